//! The worker's side of automation: every batch of observations from a Fetcher tab is decided
//! by the pure [`crate::automation::batch::plan`] and made durable before the tab is answered.
//!
//! Batches are handled one at a time (tabs report concurrently, and two batches deciding from
//! the same stored history could both fire a trigger). Order of writes: the outbox entries
//! first, then the skip records, then the histories and counts. A worker stopped in between
//! decides the batch again when the tab re-sends it (it was not answered), and the outbox
//! turns the repeat into a no-op.

use super::outbox;
use super::storage::{self, ChromeStore};
use super::{jobs, settings};
use crate::automation::batch::{self, PlannedUpload};
use crate::automation::brake::{brake_key, Brake};
use crate::automation::retention::{self, ForgottenSketch, SKETCH_KEY};
use crate::browser::now_ms;
use crate::domain::{FetcherCandidate, SearchId};
use crate::messages::WorkerProblem;
use crate::messages::{Answer, Done, SearchesView};
use crate::sorting::SortedMap;
use crate::upload::runner::UploadRequest;
use crate::upload::store::Store;
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// More candidates than a search page shows in one batch is not a real page.
pub const MAX_CANDIDATES_PER_REPORT: usize = 200;

/// New history entries between two looks at the history's size ([`retention`]).
const PRUNE_CHECK_EVERY: usize = 1_000;

thread_local! {
    /// The batch being handled; the next one waits for it.
    static TAIL: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
    /// The sketch of forgotten candidates, read once per worker instance.
    static SKETCH: RefCell<Option<ForgottenSketch>> = const { RefCell::new(None) };
    /// New history entries since the last size check (a new worker checks at its first batch).
    static NEW_HISTORIES: Cell<usize> = const { Cell::new(PRUNE_CHECK_EVERY) };
}

/// Records a batch of observations and queues what the searches' automation asks for.
pub async fn observe(candidates: Vec<FetcherCandidate>) -> Answer<Done> {
    // The candidates' ids are typed (checked when the message was decoded).
    if candidates.len() > MAX_CANDIDATES_PER_REPORT {
        return Err(WorkerProblem::MessageRefused);
    }
    one_at_a_time(handle(candidates)).await
}

async fn handle(candidates: Vec<FetcherCandidate>) -> Answer<Done> {
    storage::ready().await;
    let mut keys = batch::keys_to_read(&candidates);
    keys.push(jobs::JOB_CACHE.to_owned());
    let Ok(stored) = ChromeStore.get(&keys).await else {
        return Err(WorkerProblem::StorageFailed);
    };
    let titles = cached_job_titles(&stored);
    let title = |job_id: &str| titles.get(job_id).cloned().unwrap_or_default();
    let sketch = sketch().await;
    let forgotten = |search: &str, candidate: &str| {
        sketch
            .as_ref()
            .is_some_and(|s| s.contains(search, candidate))
    };
    let plan = batch::plan_remembering(&candidates, &stored, &title, &forgotten, now_ms() as u64);
    let new_histories = plan
        .writes
        .iter()
        .filter(|(key, _)| key.starts_with("history/") && !stored.contains_key(key))
        .count();

    if !plan.uploads.is_empty() {
        let recruiter_email = outbox::account_email().await;
        let requests = plan
            .uploads
            .into_iter()
            .map(
                |PlannedUpload {
                     candidate,
                     job_id,
                     origin,
                 }| UploadRequest {
                    job_title: title(&job_id),
                    candidate,
                    job_id,
                    origin,
                    recruiter_email: recruiter_email.clone(),
                },
            )
            .collect();
        if outbox::queue()
            .enqueue_many(requests, now_ms())
            .await
            .is_err()
        {
            return Err(WorkerProblem::StorageFailed);
        }
        outbox::kick();
    }
    let mut writes: Vec<(String, Value)> = plan
        .skipped
        .iter()
        .map(|(key, record)| (key.clone(), crate::to_json::value(record)))
        .collect();
    writes.extend(plan.writes);
    if !writes.is_empty() && ChromeStore.set(writes).await.is_err() {
        return Err(WorkerProblem::StorageFailed);
    }
    let due = NEW_HISTORIES.with(|n| {
        n.set(n.get() + new_histories);
        n.get() >= PRUNE_CHECK_EVERY
    });
    if due {
        prune(false).await;
    }
    Ok(Done {})
}

/// The stored sketch of forgotten candidates (`None`: nothing forgotten yet, or unreadable).
async fn sketch() -> Option<ForgottenSketch> {
    if let Some(cached) = SKETCH.with(|s| s.borrow().clone()) {
        return Some(cached);
    }
    let stored = ChromeStore.get(&[SKETCH_KEY.to_owned()]).await.ok()?;
    let sketch = ForgottenSketch::from_stored(stored.get(SKETCH_KEY))?;
    SKETCH.with(|s| *s.borrow_mut() = Some(sketch.clone()));
    Some(sketch)
}

/// Forgets the oldest history past the cap (or half of it when storage is full). The sketch
/// is saved first, so a worker stopped in between has forgotten nothing yet; when storage is
/// too full for that, the entries go first and the sketch follows into the room they leave.
async fn prune(storage_full: bool) {
    NEW_HISTORIES.with(|n| n.set(0));
    let Ok(all) = storage::local_all().await else {
        return;
    };
    let current = sketch().await.unwrap_or_default();
    let pruning = if storage_full {
        retention::prune_half(&all, &current)
    } else {
        retention::prune_histories(&all, &current)
    };
    let Some(pruning) = pruning else {
        return;
    };
    drop(all);
    let sketch = || vec![(SKETCH_KEY.to_owned(), pruning.sketch.to_stored())];
    if ChromeStore.set(sketch()).await.is_err() {
        if ChromeStore.remove(&pruning.remove).await.is_err()
            || ChromeStore.set(sketch()).await.is_err()
        {
            return;
        }
    } else if ChromeStore.remove(&pruning.remove).await.is_err() {
        return;
    }
    SKETCH.with(|s| *s.borrow_mut() = Some(pruning.sketch.clone()));
}

/// Storage is full: prune now, in turn with the batches.
pub async fn prune_now() {
    one_at_a_time(async {
        prune(true).await;
    })
    .await;
}

/// Releases a search's brake (the recruiter checked the search): automation goes on from now.
/// In turn with the batches, so a batch being decided cannot write the old brake back.
pub async fn resume(search_id: SearchId) -> Answer<SearchesView> {
    let released = one_at_a_time(async {
        let mut brake = Brake::default();
        brake.resume();
        let value = crate::to_json::value(&brake);
        match ChromeStore.set(vec![(brake_key(&search_id), value)]).await {
            Ok(()) => Ok(()),
            Err(_) => Err(WorkerProblem::StorageFailed),
        }
    })
    .await;
    released?;
    settings::list_searches().await
}

/// Job titles from the worker's job cache (never from Ashby: a slow or unreachable Ashby must
/// not hold up queueing; an unknown title is shown as "Ashby job").
fn cached_job_titles(stored: &BTreeMap<String, Value>) -> SortedMap<String> {
    let cache = stored
        .get(jobs::JOB_CACHE)
        .cloned()
        .and_then(crate::job_picker::JobCache::from_stored);
    SortedMap::of(
        cache
            .into_iter()
            .flat_map(|cache| cache.jobs)
            .map(|job| (job.id.to_string(), job.title)),
    )
}

/// Runs `work` after every batch handed in before it has finished.
async fn one_at_a_time<T, F: std::future::Future<Output = T>>(work: F) -> T {
    let mut release: Option<js_sys::Function> = None;
    let mine = js_sys::Promise::new(&mut |resolve, _| release = Some(resolve));
    let previous = TAIL.with(|tail| tail.borrow_mut().replace(mine));
    if let Some(previous) = previous {
        let _ = JsFuture::from(previous).await;
    }
    let reply = work.await;
    if let Some(release) = release {
        let _ = release.call0(&JsValue::NULL);
    }
    reply
}
