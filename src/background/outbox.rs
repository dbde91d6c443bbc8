//! The worker's side of the outbox: one runner over `chrome.storage.local`, woken by new
//! entries, by `chrome.alarms` and by the worker starting (so a worker stopped mid-upload
//! resumes where it left off). The pure queue and pipeline live in `crate::upload`.

use super::fetch_transport::{self, FetchTransport};
use super::runner::{self, ChromeRunner};
use super::storage::{self, ChromeStore};
use super::{connection, jobs};
use crate::ashby::types::{ApplicationInfoRequest, SourceListRequest, UserSearchRequest};
use crate::ashby::AshbyClient;
use crate::browser::{alarms, global, now_ms};
use crate::domain::{CandidateId, Email, FetcherCandidate, JobId, SearchId};
use crate::from_json::FromJson;
use crate::messages::WorkerProblem;
use crate::messages::{Answer, Done, HeldUploadsView, SendPreview};
use crate::storage_schema::keys;
use crate::upload::context_cache::ContextCache;
use crate::upload::held::HeldChoice;
use crate::upload::outbox::{finished_to_prune, UploadOrigin, PRUNED_AT_KEY, PRUNE_EVERY_MS};
use crate::upload::pipeline::{find_existing, UploadContext};
use crate::upload::runner::UploadRequest;
use crate::upload::store::Store;
use std::rc::Rc;

pub use super::runner::{reset, stop};

/// The alarm that wakes the worker for due retries.
pub const ALARM: &str = "outbox";
/// Ashby calls per drain before yielding back to the event loop (keeps a worker run short).
const CALLS_PER_DRAIN: u32 = 40;
/// Chrome's shortest alarm delay: a stopped worker resumes its queue within this time.
const SAFETY_WAKE_MS: f64 = 30_000.0;
/// How long one drain keeps going before handing over to an alarm (Ashby calls and storage
/// writes keep the worker alive meanwhile; Chrome stops event handling only after 5 minutes).
const DRAIN_FOR_MS: f64 = 4.0 * 60_000.0;
/// Waits up to this long are slept in the running drain rather than left to an alarm.
const SHORT_WAIT_MS: f64 = 10_000.0;
/// Where earlier builds kept the account email (now only `fetcher/account`); removed on prune.
const LEGACY_ACCOUNT_EMAIL: &str = keys::LEGACY_ACCOUNT_EMAIL;
/// The source and credited user looked up for the account.
const CONTEXT_CACHE: &str = keys::UPLOAD_CONTEXT;

/// The runner, ready to call Ashby with the saved key; `None` while disconnected (the queue
/// then waits: entries stay in storage and go when the recruiter reconnects).
async fn runner() -> Option<Rc<ChromeRunner>> {
    let runner = runner::shared();
    if runner::is_ready() {
        return Some(runner);
    }
    let generation = fetch_transport::generation();
    let client = connection::client().await?;
    let context = upload_context(&client).await;
    let fingerprint = connection::fingerprint().await;
    // A Disconnect while the context was looked up: the client is not kept.
    if fetch_transport::generation() != generation {
        return None;
    }
    runner.set_client(client);
    runner.set_connection(fingerprint);
    runner.set_context(context);
    runner::set_ready();
    Some(runner)
}

/// The runner for queueing, connected or not (it drains only once connected).
pub fn queue() -> Rc<ChromeRunner> {
    runner::shared()
}

/// What to stamp on uploads: the "Fetcher" source and the recruiter's Ashby user. Cached per
/// recruiter email and looked up again when old ([`ContextCache::reusable_for`]); a failed
/// lookup leaves the field empty (the upload still goes, unsourced or uncredited) rather than
/// blocking it.
async fn upload_context(client: &AshbyClient<FetchTransport>) -> UploadContext {
    let email = account_email().await;
    let stored = ChromeStore
        .get(&[CONTEXT_CACHE.to_owned()])
        .await
        .ok()
        .and_then(|mut found| found.remove(CONTEXT_CACHE))
        .and_then(|value| ContextCache::from_value(&value).ok());
    if let Some(context) = stored.and_then(|c| c.reusable_for(email.as_ref(), now_ms())) {
        return context;
    }
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
                email: email.to_string(),
            })
            .await
            .ok()
            .and_then(|users| {
                // Never credit a deactivated user: Ashby does not say it accepts one, and the
                // strict reading refuses the whole create. Unknown (`isEnabled` missing) is
                // not credited either; the upload goes uncredited.
                users
                    .into_iter()
                    .find(|u| {
                        u.is_enabled == Some(true)
                            && u.email
                                .as_deref()
                                .is_some_and(|e| e.eq_ignore_ascii_case(email))
                    })
                    .map(|u| u.id)
            }),
        None => None,
    };
    let context = UploadContext {
        fetcher_source_id,
        credited_user_id,
    };
    let cache = ContextCache::new(email, &context, now_ms());
    let value = crate::to_json::value(&cache);
    let _ = ChromeStore
        .set(vec![(CONTEXT_CACHE.to_owned(), value)])
        .await;
    context
}

/// The Fetcher recruiter uploads are credited for: the account confirmed at Connect or in the
/// popup, never merely the one a page shows last.
pub async fn account_email() -> Option<Email> {
    connection::credited_account().await
}

/// The recruiter connected (again): a queue paused by an auth problem resumes.
pub async fn reconnected() {
    // A drain still using the previous key stops; the next one uses the new key.
    stop();
    if let Some(runner) = runner().await {
        let _ = runner.resume().await;
        kick();
    }
}

/// Queues a manual send and starts the queue. The entry is durable before this returns.
pub async fn send_now(candidate: FetcherCandidate, job_id: JobId) -> Answer<Done> {
    let Some(runner) = runner().await else {
        return Err(WorkerProblem::ConnectFirst);
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
            Ok(Done {})
        }
        Err(_) => Err(WorkerProblem::StorageFailed),
    }
}

/// The uploads queued under another connection than the current one (count and names for
/// the popup).
pub async fn held_uploads() -> Answer<HeldUploadsView> {
    let Some(runner) = runner().await else {
        return Ok(HeldUploadsView { uploads: vec![] });
    };
    match runner.held().await {
        Ok(uploads) => Ok(HeldUploadsView { uploads }),
        Err(_) => Err(WorkerProblem::StorageFailed),
    }
}

/// The recruiter's choice for the held uploads; then the queue runs.
pub async fn resolve_held(choice: HeldChoice) -> Answer<HeldUploadsView> {
    let Some(runner) = runner().await else {
        return Err(WorkerProblem::ConnectFirst);
    };
    if runner.resolve_held(choice, now_ms()).await.is_err() {
        return Err(WorkerProblem::StorageFailed);
    }
    kick();
    held_uploads().await
}

/// Puts a failed upload of this candidate back in the queue.
pub async fn retry(search_id: &SearchId, candidate_id: &CandidateId) -> Answer<Done> {
    let Some(runner) = runner().await else {
        return Err(WorkerProblem::ConnectFirst);
    };
    match runner
        .retry_candidate(search_id, candidate_id, now_ms())
        .await
    {
        Ok(_) => {
            kick();
            Ok(Done {})
        }
        Err(_) => Err(WorkerProblem::NothingToRetry),
    }
}

/// Whether the candidate is already in Ashby (and why), and already applied to the job.
pub async fn preview(candidate: FetcherCandidate, job_id: JobId) -> Answer<SendPreview> {
    let Some(client) = connection::client().await else {
        return Err(WorkerProblem::ConnectFirst);
    };
    let found = match find_existing(&client, &candidate).await {
        Ok(found) => found,
        Err(failure) => return Err((&failure).into()),
    };
    let Some((existing, matched)) = found else {
        return Ok(SendPreview::default());
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
    Ok(SendPreview {
        existing_profile_url: existing
            .profile_url
            .as_deref()
            .and_then(|url| crate::domain::AshbyProfileUrl::parse(url).ok()),
        matched_by: Some(matched.matched_by),
        already_applied,
    })
}

/// Removes long-finished entries, at most once a day (called when the worker starts).
pub async fn prune_if_due() {
    let now = now_ms();
    let last = storage::local_number(PRUNED_AT_KEY).await.unwrap_or(0.0);
    if now - last < PRUNE_EVERY_MS {
        return;
    }
    prune_finished(now).await;
}

/// Removes finished entries and card records past their age or count ([`finished_to_prune`]).
pub async fn prune_finished(now: f64) {
    let Ok(all) = storage::local_all().await else {
        return;
    };
    let mut old = finished_to_prune(&all, now);
    if all.contains_key(LEGACY_ACCOUNT_EMAIL) {
        old.push(LEGACY_ACCOUNT_EMAIL.to_owned());
    }
    if !old.is_empty() && ChromeStore.remove(&old).await.is_err() {
        return;
    }
    let _ = storage::local_write_number(PRUNED_AT_KEY, now).await;
}

/// Starts draining in the background (no-op while a drain runs or while disconnected).
pub fn kick() {
    wasm_bindgen_futures::spawn_local(drain());
}

async fn drain() {
    let Some(runner) = runner().await else {
        return;
    };
    // Rounds while work is due, for up to DRAIN_FOR_MS: a big batch goes at the rate limit's
    // pace instead of waiting for an alarm every few rounds (Chrome fires alarms of packed
    // extensions at most every 30 s). Each round persists after every step.
    let started = now_ms();
    while now_ms() - started < DRAIN_FOR_MS {
        // If Chrome stops the worker mid-drain, this alarm wakes it to resume (every step is
        // already persisted). Re-armed each round, as a long drain outlives one; a drain that
        // ends normally replaces or clears it.
        schedule(now_ms() + SAFETY_WAKE_MS);
        let Ok(report) = runner.drain(now_ms(), CALLS_PER_DRAIN).await else {
            return schedule(now_ms() + 60_000.0);
        };
        if report.busy {
            return;
        }
        // Disconnected (now or during this drain): the queue waits for a Connect, which kicks
        // it. The safety alarm covers a Connect that arrived while this drain was finishing.
        if report.stopped {
            return schedule(now_ms() + SAFETY_WAKE_MS);
        }
        if report.paused.is_some() {
            return clear_alarm();
        }
        match report.next_wake_at_ms {
            Some(at) if at <= now_ms() => continue,
            // A short wait (rate limit, Retry-After, first backoffs) is slept here: the worker
            // is awake anyway, and Chrome may delay alarms by up to 30 s.
            Some(at) if at - now_ms() <= SHORT_WAIT_MS => global::sleep(at - now_ms()).await,
            Some(at) => return schedule(at),
            None => return clear_alarm(),
        }
    }
    schedule(now_ms() + 1_000.0);
}

fn clear_alarm() {
    alarms::clear(ALARM);
}

/// Wakes the worker at `at_ms` (alarms survive the worker being stopped; timers do not).
fn schedule(at_ms: f64) {
    alarms::set_at(ALARM, at_ms);
}
