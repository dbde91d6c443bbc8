//! The worker's side of the outbox: one runner over `chrome.storage.local`, woken by new
//! entries, by `chrome.alarms` and by the worker starting (so a worker stopped mid-upload
//! resumes where it left off). The pure queue and pipeline live in `crate::upload`.

use super::{connection, fetch_transport::FetchTransport, jobs};
use crate::ashby::types::{ApplicationInfoRequest, SourceListRequest, UserSearchRequest};
use crate::browser::{chrome, chrome::local, from_js, now_ms, to_js};
use crate::domain::FetcherCandidate;
use crate::messages::{SendPreview, WorkerReply};
use crate::text;
use crate::upload::dedupe::MatchReason;
use crate::upload::outbox::{EntryKey, UploadOrigin};
use crate::upload::pipeline::{find_existing, UploadContext};
use crate::upload::runner::{Runner, UploadRequest};
use crate::upload::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The alarm that wakes the worker for due retries.
pub const ALARM: &str = "outbox";
/// Ashby calls per drain before yielding back to the event loop (keeps a worker run short).
const CALLS_PER_DRAIN: u32 = 40;
/// Chrome's shortest alarm delay: a stopped worker resumes its queue within this time.
const SAFETY_WAKE_MS: f64 = 30_000.0;
/// Storage keys of what the worker knows about the recruiter.
const ACCOUNT_EMAIL: &str = "fetcher/accountEmail";
const CONTEXT_CACHE: &str = "cache/uploadContext";
const PAGE_PROBLEM: &str = "fetcher/pageProblem";

type ChromeRunner = Runner<ChromeStore, FetchTransport>;

thread_local! {
    /// One runner per worker instance: its in-memory index must be the only one.
    static RUNNER: std::cell::RefCell<Option<Rc<ChromeRunner>>> = const { std::cell::RefCell::new(None) };
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "alarms"], js_name = create, catch)]
    fn alarms_create(name: &str, info: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "alarms"], js_name = clear, catch)]
    fn alarms_clear(name: &str) -> Result<js_sys::Promise, JsValue>;
}

/// [`Store`] over `chrome.storage.local`, batching each call into one storage operation.
pub struct ChromeStore;

fn store_error(error: JsValue) -> StoreError {
    StoreError(format!("{error:?}"))
}

impl Store for ChromeStore {
    async fn get(&self, keys: &[String]) -> Result<BTreeMap<String, Value>, StoreError> {
        let list: js_sys::Array = keys.iter().map(|k| JsValue::from_str(k)).collect();
        let found = JsFuture::from(chrome::local_get(&list).map_err(store_error)?)
            .await
            .map_err(store_error)?;
        from_js(found).map_err(store_error)
    }

    async fn set(&self, items: Vec<(String, Value)>) -> Result<(), StoreError> {
        let map: BTreeMap<String, Value> = items.into_iter().collect();
        let object = to_js(&map).map_err(store_error)?;
        JsFuture::from(chrome::local_set(&object).map_err(store_error)?)
            .await
            .map(drop)
            .map_err(store_error)
    }

    async fn remove(&self, keys: &[String]) -> Result<(), StoreError> {
        let list: js_sys::Array = keys.iter().map(|k| JsValue::from_str(k)).collect();
        JsFuture::from(chrome::local_remove(&list).map_err(store_error)?)
            .await
            .map(drop)
            .map_err(store_error)
    }
}

/// The shared runner, created with the saved key; `None` while disconnected (the queue then
/// waits: entries stay in storage and go when the recruiter reconnects).
async fn runner() -> Option<Rc<ChromeRunner>> {
    if let Some(runner) = RUNNER.with(|r| r.borrow().clone()) {
        return Some(runner);
    }
    let client = connection::client().await?;
    let runner = Rc::new(Runner::new(ChromeStore, client, UploadContext::default()));
    runner.set_context(upload_context(&runner).await);
    RUNNER.with(|r| *r.borrow_mut() = Some(runner.clone()));
    Some(runner)
}

/// Forgets the runner (the key changed or was removed); the queue itself stays in storage.
pub fn reset() {
    RUNNER.with(|r| r.borrow_mut().take());
}

/// What to stamp on uploads: the "Fetcher" source and the recruiter's Ashby user. Cached per
/// recruiter email; a failed lookup leaves the field empty (the upload still goes, unsourced
/// or uncredited) rather than blocking it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ContextCache {
    for_email: Option<String>,
    fetcher_source_id: Option<String>,
    credited_user_id: Option<String>,
}

async fn upload_context(runner: &ChromeRunner) -> UploadContext {
    let email = account_email().await;
    let stored = ChromeStore
        .get(&[CONTEXT_CACHE.to_owned()])
        .await
        .ok()
        .and_then(|mut found| found.remove(CONTEXT_CACHE))
        .and_then(|value| serde_json::from_value::<ContextCache>(value).ok());
    if let Some(cache) = stored.filter(|c| c.for_email == email && c.fetcher_source_id.is_some()) {
        return UploadContext {
            fetcher_source_id: cache.fetcher_source_id,
            credited_user_id: cache.credited_user_id,
        };
    }
    let client = runner.client();
    let fetcher_source_id = client
        .list_sources(&SourceListRequest::default())
        .await
        .ok()
        .and_then(|sources| {
            sources
                .into_iter()
                .find(|s| !s.is_archived && s.title.eq_ignore_ascii_case("fetcher"))
                .map(|s| s.id)
        });
    let credited_user_id = match &email {
        Some(email) => client
            .search_users(&UserSearchRequest {
                email: email.clone(),
            })
            .await
            .ok()
            .and_then(|users| {
                users
                    .into_iter()
                    .find(|u| {
                        u.email
                            .as_deref()
                            .is_some_and(|e| e.eq_ignore_ascii_case(email))
                    })
                    .map(|u| u.id)
            }),
        None => None,
    };
    let cache = ContextCache {
        for_email: email,
        fetcher_source_id: fetcher_source_id.clone(),
        credited_user_id: credited_user_id.clone(),
    };
    if let Ok(value) = serde_json::to_value(&cache) {
        let _ = ChromeStore
            .set(vec![(CONTEXT_CACHE.to_owned(), value)])
            .await;
    }
    UploadContext {
        fetcher_source_id,
        credited_user_id,
    }
}

/// What the popup says about the last Fetcher page (`None`: it worked there).
pub async fn record_page_problem(problem: Option<&str>) {
    let _ = match problem {
        Some(problem) => local::set(PAGE_PROBLEM, &problem.into()).await,
        None => local::remove(&[PAGE_PROBLEM]).await,
    };
}

pub async fn page_problem() -> Option<String> {
    local::get(PAGE_PROBLEM).await.ok()?.as_string()
}

/// The signed-in Fetcher recruiter, as last reported by a content script.
pub async fn account_email() -> Option<String> {
    local::get(ACCOUNT_EMAIL).await.ok()?.as_string()
}

pub async fn record_account_email(email: &str) {
    if account_email().await.as_deref() != Some(email) {
        let _ = local::set(ACCOUNT_EMAIL, &email.into()).await;
        // The credited user follows the account: look it up again on the next upload.
        let _ = local::remove(&[CONTEXT_CACHE]).await;
        reset();
    }
}

/// The recruiter connected (again): a queue paused by an auth problem resumes.
pub async fn reconnected() {
    reset();
    if let Some(runner) = runner().await {
        let _ = runner.resume().await;
        kick();
    }
}

/// Queues a manual send and starts the queue. The entry is durable before this returns.
pub async fn send_now(candidate: FetcherCandidate, job_id: String) -> WorkerReply {
    let Some(runner) = runner().await else {
        return error(text::CONNECT_FIRST);
    };
    let search_id = candidate.search_id.clone();
    let request = UploadRequest {
        job_title: jobs::title_of(&job_id).await.unwrap_or_default(),
        candidate,
        job_id: job_id.clone(),
        origin: UploadOrigin::Manual,
        recruiter_email: account_email().await,
    };
    match runner.enqueue(request, now_ms()).await {
        Ok(_) => {
            jobs::remember_last_job(&search_id, &job_id).await;
            kick();
            WorkerReply::Ok
        }
        Err(_) => error(text::STORAGE_FAILED),
    }
}

/// Puts a failed upload of this candidate back in the queue.
pub async fn retry(search_id: &str, candidate_id: &str) -> WorkerReply {
    let Some(runner) = runner().await else {
        return error(text::CONNECT_FIRST);
    };
    match runner
        .retry_candidate(search_id, candidate_id, now_ms())
        .await
    {
        Ok(_) => {
            kick();
            WorkerReply::Ok
        }
        Err(_) => error(text::RETRY_NOTHING_TO_RETRY),
    }
}

/// Whether the candidate is already in Ashby (and why), and already applied to the job.
pub async fn preview(candidate: FetcherCandidate, job_id: String) -> WorkerReply {
    let Some(client) = connection::client().await else {
        return error(text::CONNECT_FIRST);
    };
    let found = match find_existing(&client, &candidate).await {
        Ok(found) => found,
        Err(failure) => return error(&text::ashby_error(&failure)),
    };
    let Some((existing, matched)) = found else {
        return WorkerReply::Preview(SendPreview::default());
    };
    let mut already_applied = false;
    for application_id in &existing.application_ids {
        let request = ApplicationInfoRequest::new(application_id.clone());
        if let Ok(application) = client.application_info(&request).await {
            if application.job.is_some_and(|job| job.id == job_id) {
                already_applied = true;
                break;
            }
        }
    }
    WorkerReply::Preview(SendPreview {
        existing_profile_url: existing.profile_url.clone(),
        matched_by: Some(match matched.matched_by {
            MatchReason::Email(email) => text::matched_by_email(&email),
            MatchReason::LinkedIn => text::MATCHED_BY_LINKEDIN.to_owned(),
            MatchReason::GitHub => text::MATCHED_BY_GITHUB.to_owned(),
        }),
        already_applied,
    })
}

/// Starts draining in the background (no-op while a drain runs or while disconnected).
pub fn kick() {
    wasm_bindgen_futures::spawn_local(drain());
}

async fn drain() {
    let Some(runner) = runner().await else {
        return;
    };
    // If Chrome stops the worker mid-drain, this alarm wakes it to resume (every step is
    // already persisted); a drain that ends normally replaces or clears it.
    schedule(now_ms() + SAFETY_WAKE_MS);
    // Several rounds while work is due now; each round persists after every step.
    for _ in 0..25 {
        let Ok(report) = runner.drain(now_ms(), CALLS_PER_DRAIN).await else {
            return schedule(now_ms() + 60_000.0);
        };
        if report.busy {
            return;
        }
        if report.paused.is_some() {
            return clear_alarm();
        }
        match report.next_wake_at_ms {
            Some(at) if at <= now_ms() => continue,
            Some(at) => return schedule(at),
            None => return clear_alarm(),
        }
    }
    schedule(now_ms() + 1_000.0);
}

fn clear_alarm() {
    if let Ok(promise) = alarms_clear(ALARM) {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}

/// Wakes the worker at `at_ms` (alarms survive the worker being stopped; timers do not).
fn schedule(at_ms: f64) {
    let info = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&info, &"when".into(), &JsValue::from_f64(at_ms));
    if let Ok(promise) = alarms_create(ALARM, &info) {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}

/// Is this candidate key usable (ids validated before they become storage keys)?
pub fn valid_key(candidate: &FetcherCandidate, job_id: &str) -> bool {
    EntryKey::new(&candidate.search_id, &candidate.candidate_id, job_id).is_ok()
}

fn error(message: &str) -> WorkerReply {
    WorkerReply::Error {
        message: message.to_owned(),
    }
}
