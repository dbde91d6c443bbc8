//! The worker's cache of Ashby jobs, which both pickers read. Ashby is asked again when the
//! cache is older than `job_picker::CACHE_MAX_AGE_MS`, when the recruiter asks to refresh, and
//! every [`REFRESH_MINUTES`] by the `jobs` alarm. Refreshes are incremental (`syncToken`) when
//! the cache has a token, with a full listing when Ashby says the token is no longer usable.
//! A failed refresh never replaces the cache.

use super::connection;
use super::fetch_transport::{self, FetchTransport};
use super::storage;
use crate::ashby::client::AshbyClient;
use crate::ashby::error::AshbyError;
use crate::ashby::types::DepartmentListRequest;
use crate::browser::{alarms, decode_js, json_to_js, now_ms};
use crate::domain::{JobId, SearchId};
use crate::job_picker::{
    closed_since_request, department_names, open_only, sync_request, JobCache, Refresh,
};
use crate::message_checks::page_budget::PageCaused;
use crate::messages::WorkerProblem;
use crate::messages::{Answer, JobChoice, JobList};
use crate::sorting::SortedMap;
use crate::storage_schema::keys;

/// Storage keys: the cache, and the job each Fetcher search used last.
pub const JOB_CACHE: &str = keys::JOB_CACHE;

/// The periodic refresh alarm, and how often it fires.
pub const ALARM: &str = "jobs";
const REFRESH_MINUTES: f64 = 30.0;

thread_local! {
    /// A first listing (empty cache) was tried without the page budget and did not succeed:
    /// the next ones are budgeted, so a page cannot hammer an Ashby that keeps failing.
    static FREE_LISTING_FAILED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The job-list refresh under way, if one is, with the connection generation it started
    /// under: a refresh begun before a Disconnect or a new key is never joined (its requests
    /// are refused and retried with backoff for many seconds; the new key's list goes now).
    static REFRESHING: std::cell::RefCell<Option<(u64, js_sys::Promise)>> =
        const { std::cell::RefCell::new(None) };
}

/// Creates the periodic alarm unless it exists. Called at every worker start: re-creating it
/// each time would push its first firing back by a period whenever the worker wakes often.
pub fn schedule_refresh() {
    wasm_bindgen_futures::spawn_local(async {
        if !alarms::exists(ALARM).await {
            alarms::create_periodic(ALARM, REFRESH_MINUTES).await;
        }
    });
}

/// The alarm's refresh: only when connected and something was cached before (a recruiter who
/// never opened a picker costs Ashby nothing).
pub async fn refresh_in_background() {
    let cached = read_cache().await;
    if cached.jobs.is_empty() && cached.sync_token.is_none() {
        return;
    }
    if let Some(client) = connection::client().await {
        let _ = refresh(&client, &cached).await;
    }
}

async fn read_cache() -> JobCache {
    storage::local_json(JOB_CACHE)
        .await
        .and_then(JobCache::from_stored)
        .unwrap_or_default()
}

/// Brings `cached` up to date and stores it (unless the connection changed meanwhile); on
/// failure the stored cache is left as it was.
async fn refresh(
    client: &AshbyClient<FetchTransport>,
    cached: &JobCache,
) -> Result<JobCache, AshbyError> {
    let generation = fetch_transport::generation();
    let fresh = match cached.next_refresh(now_ms()) {
        Refresh::Incremental {
            sync_token,
            closed_after_ms,
        } => match incremental(client, cached, sync_token, closed_after_ms).await {
            // The token expired, is invalid, or the change set is too large: start over.
            Err(failure) if failure.requires_full_sync() => full(client, cached).await?,
            other => other?,
        },
        Refresh::Full => full(client, cached).await?,
    };
    // A Disconnect (or another key) while listing emptied the cache: another organisation's
    // jobs must not refill it.
    if fetch_transport::generation() == generation {
        let _ = storage::local_write_string(JOB_CACHE, &fresh.to_stored()).await;
    }
    Ok(fresh)
}

async fn full(
    client: &AshbyClient<FetchTransport>,
    cached: &JobCache,
) -> Result<JobCache, AshbyError> {
    // Names from the last refresh if departments cannot be read this time.
    let departments = departments(client)
        .await
        .unwrap_or_else(|| cached.departments.clone());
    let listed = client.list_jobs_all(&sync_request(None)).await?;
    Ok(JobCache::from_full(
        &listed.items,
        departments,
        listed.sync_token,
        now_ms(),
    ))
}

async fn incremental(
    client: &AshbyClient<FetchTransport>,
    cached: &JobCache,
    sync_token: String,
    closed_after_ms: f64,
) -> Result<JobCache, AshbyError> {
    let changed = client
        .list_jobs_all(&sync_request(Some(sync_token)))
        .await?;
    let closed = client
        .list_jobs_all(&closed_since_request(closed_after_ms))
        .await?;
    let closed_ids: Vec<String> = closed.items.into_iter().map(|job| job.id).collect();
    Ok(cached.merged(
        &changed.items,
        &closed_ids,
        departments(client).await,
        changed.sync_token,
        now_ms(),
    ))
}

/// Department names, or `None` when they cannot be read (e.g. the key lacks Organization
/// read): jobs are listed all the same, without departments.
async fn departments(client: &AshbyClient<FetchTransport>) -> Option<SortedMap<String>> {
    client
        .list_departments_all(&DepartmentListRequest::default())
        .await
        .ok()
        .map(|list| department_names(&list.items))
}

/// The pickers' job list (open jobs and drafts): from cache when fresh, else from Ashby
/// (falling back to a stale cache with no error when Ashby cannot be reached, so the recruiter
/// can still pick).
pub async fn choices(refresh_now: bool) -> Result<Vec<JobChoice>, WorkerProblem> {
    choices_for(refresh_now, false).await
}

/// [`choices`] for a page's request: a refresh it causes is within the page budget (past it,
/// the cached list is used, however old).
async fn choices_for(refresh_now: bool, for_page: bool) -> Result<Vec<JobChoice>, WorkerProblem> {
    let cached = read_cache().await;
    if !refresh_now && !cached.is_stale(now_ms()) {
        return Ok(cached.jobs);
    }
    let joining = under_way().is_some();
    // The first listing after a Connect (the recruiter's own act, which empties the cache) is
    // not the page's doing; every refresh after it is within the page budget.
    let first_listing =
        cached.fetched_at_ms == 0.0 && !FREE_LISTING_FAILED.with(std::cell::Cell::get);
    if for_page && !joining && !first_listing && !super::page_budget::allow(PageCaused::JobsRefresh)
    {
        return if cached.jobs.is_empty() {
            Err(WorkerProblem::TooManyChecks)
        } else {
            Ok(cached.jobs)
        };
    }
    shared_refresh(cached).await
}

/// One refresh at a time: callers arriving while one runs get its answer.
async fn shared_refresh(cached: JobCache) -> Result<Vec<JobChoice>, WorkerProblem> {
    let promise = under_way().unwrap_or_else(|| {
        let generation = fetch_transport::generation();
        let promise = wasm_bindgen_futures::future_to_promise(async move {
            let answer = refresh_choices(&cached).await;
            // A refresh of an earlier connection leaves the current one's state alone.
            if fetch_transport::generation() == generation {
                FREE_LISTING_FAILED.with(|failed| failed.set(answer.is_err()));
                REFRESHING.with(|r| r.borrow_mut().take());
            }
            json_to_js(&answer)
        });
        REFRESHING.with(|r| *r.borrow_mut() = Some((generation, promise.clone())));
        promise
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()
        .and_then(|value| decode_js::<Result<Vec<JobChoice>, WorkerProblem>>(&value).ok())
        .unwrap_or(Err(WorkerProblem::Unavailable))
}

/// The refresh under way for the current connection, if one is.
fn under_way() -> Option<js_sys::Promise> {
    let generation = fetch_transport::generation();
    REFRESHING.with(|r| {
        r.borrow()
            .as_ref()
            .filter(|(started, _)| *started == generation)
            .map(|(_, promise)| promise.clone())
    })
}

async fn refresh_choices(cached: &JobCache) -> Result<Vec<JobChoice>, WorkerProblem> {
    let Some(client) = connection::client().await else {
        return Err(WorkerProblem::ConnectFirst);
    };
    match refresh(&client, cached).await {
        Ok(fresh) => Ok(fresh.jobs),
        Err(_) if !cached.jobs.is_empty() => Ok(cached.jobs.clone()),
        Err(failure) => Err((&failure).into()),
    }
}

pub async fn list(refresh_now: bool) -> Answer<JobList> {
    Ok(JobList {
        jobs: choices(refresh_now).await?,
        last_job_id: None,
    })
}

/// The Send dialog's list (open jobs only: drafts take no applications), with the job this
/// search used last preselected.
pub async fn for_search(search_id: &SearchId) -> Answer<JobList> {
    // `.local` is writable by content scripts: a value that is not a job id is no preselection.
    let last_job_id = storage::local_string(&last_job_key(search_id))
        .await
        .and_then(|id| JobId::try_from(id).ok());
    Ok(JobList {
        jobs: open_only(choices_for(false, true).await?),
        last_job_id,
    })
}

pub async fn remember_last_job(search_id: &SearchId, job_id: &str) {
    let _ = storage::local_write_string(&last_job_key(search_id), job_id).await;
}

/// The title of a cached job, for records and notes.
pub async fn title_of(job_id: &str) -> Option<String> {
    let jobs = choices_for(false, true).await.ok()?;
    jobs.into_iter()
        .find(|job| job.id == job_id)
        .map(|job| job.title)
}

fn last_job_key(search_id: &SearchId) -> String {
    keys::last_job(search_id)
}
