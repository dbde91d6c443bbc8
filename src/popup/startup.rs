//! The popup's first data, asked for the moment its wasm starts, all at once, before anything
//! is mounted: the connection, the searches (with the one in front of the recruiter), and the
//! cached jobs read straight from storage. Mounted parts take the answers already under way
//! instead of asking one after another (the connection, then the searches, then the jobs), and
//! each request goes to the worker once, however many parts show its answer (the searches feed
//! the "Ashby Sync" list, the safeguards and the activity export). The "Ashby job" list
//! renders from the cache without waiting for the worker (stopped: it has to start first) or
//! for Ashby; the worker is asked for the jobs only when that cache is missing or stale (it
//! then refreshes from Ashby and its answer replaces the cache shown). A fresh cache is what
//! the worker would answer.
//!
//! The cache (`cache/jobs`: job ids, titles, statuses, departments) holds nothing secret; the
//! API key stays in the worker.
//!
//! The connection and the searches render from storage first too: the worker keeps its last
//! answers to those two questions in `.session` (its `popup_views`), and the popup shows them
//! until the worker answers again (a stopped worker has to start first).
//!
//! The worker's questions are started at once too, but the popup's messages are held until it
//! has shown what storage holds (`runtime::hold_messages_until`, at most a moment): a stopped
//! worker, woken by them, would start in the popup's own process and compete with its render.

use super::current_search;
use crate::browser::{ask_worker, long_text, now_ms, runtime, storage};
use crate::from_json::FromJson;
use crate::job_picker::JobCache;
use crate::messages::{
    AskError, ConnectionStatus, ConnectionView, JobChoice, JobList, ListJobs, ListSearches,
    SearchItem, SearchesView,
};
use crate::storage_schema::keys;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::{JsCast, JsValue};

/// The longest the popup holds its messages to the worker while it shows what storage holds
/// (storage answers within milliseconds; this only bounds a read that never settles).
const HOLD_MESSAGES_AT_MOST_MS: f64 = 300.0;

/// The searches, and the search in front of the recruiter.
pub type Listed = (Vec<SearchItem>, Option<String>);

/// [`Listed`], or why the searches could not be listed.
pub type Searches = Result<Listed, String>;

/// A value that arrives once; each reader gets a copy (awaiting until it is there).
struct Arrival<T> {
    state: Rc<RefCell<(Option<T>, Vec<Waker>)>>,
}

impl<T> Clone for Arrival<T> {
    fn clone(&self) -> Self {
        Self {
            state: Rc::clone(&self.state),
        }
    }
}

impl<T: Clone + 'static> Arrival<T> {
    fn start(work: impl Future<Output = T> + 'static) -> Self {
        let state = Rc::new(RefCell::new((None, Vec::new())));
        let filled = Rc::clone(&state);
        wasm_bindgen_futures::spawn_local(async move {
            let value = work.await;
            let wakers = {
                let mut state = filled.borrow_mut();
                state.0 = Some(value);
                std::mem::take(&mut state.1)
            };
            wakers.into_iter().for_each(Waker::wake);
        });
        Self { state }
    }

    fn get(&self) -> impl Future<Output = T> {
        Waiting {
            state: Rc::clone(&self.state),
        }
    }
}

struct Waiting<T> {
    state: Rc<RefCell<(Option<T>, Vec<Waker>)>>,
}

impl<T: Clone> Future for Waiting<T> {
    type Output = T;
    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<T> {
        let mut state = self.state.borrow_mut();
        match &state.0 {
            Some(value) => Poll::Ready(value.clone()),
            None => {
                state.1.push(context.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// The worker's answers started at opening, one slot per reader: each part takes its own
/// (a part mounted again, e.g. after a Connect, asks afresh).
struct Started {
    connection: Option<Arrival<Result<ConnectionView, AskError>>>,
    connection_for_safeguards: Option<Arrival<Result<ConnectionView, AskError>>>,
    searches: Option<Arrival<Searches>>,
    searches_for_safeguards: Option<Arrival<Result<SearchesView, AskError>>>,
    searches_for_activity: Option<Arrival<Result<SearchesView, AskError>>>,
    jobs: Option<Arrival<Result<JobList, AskError>>>,
    cached_jobs: Option<Arrival<Option<Rc<JobCache>>>>,
    remembered_connection: Option<Arrival<Option<ConnectionView>>>,
    remembered_searches: Option<Arrival<Option<Vec<SearchItem>>>>,
    current: Option<Arrival<Option<String>>>,
}

thread_local! {
    /// Taken by the first reader of each (a part mounted again asks afresh).
    static STARTED: RefCell<Option<Started>> = const { RefCell::new(None) };
}

/// The storage reads `popup-boot.js` starts while the wasm loads (each a `get` promise, or
/// absent): what the popup shows first.
pub struct Early {
    /// `chrome.storage.session.get([popup/connection, popup/searches])`.
    remembered: Option<js_sys::Promise>,
    /// `chrome.storage.local.get(cache/jobs)`.
    jobs: Option<js_sys::Promise>,
}

impl Early {
    /// Reads the boot script's object (anything else: nothing was started early).
    pub fn read(asked: &JsValue) -> Self {
        let promise = |name: &str| {
            js_sys::Reflect::get(asked, &JsValue::from_str(name))
                .ok()
                .and_then(|value| value.dyn_into::<js_sys::Promise>().ok())
        };
        Early {
            remembered: promise("remembered"),
            jobs: promise("jobs"),
        }
    }
}

/// Starts every first request (called once, before mounting).
pub fn begin(early: Early) {
    // Storage first (what shows at once), then the worker's questions. A stopped worker
    // starts in the popup's own process: asked at once, its start-up competed with the
    // popup's first render on the CPU, so every message to it is held until the popup has
    // shown what storage holds.
    let remembered_connection =
        Arrival::start(remembered(keys::POPUP_CONNECTION, early.remembered.clone()));
    // The browser's tabs are asked meanwhile, not after the searches arrive.
    let current = Arrival::start(current_search::find());
    let remembered_searches = Arrival::start(async move {
        let view = remembered::<SearchesView>(keys::POPUP_SEARCHES, early.remembered).await?;
        Some(view.searches)
    });
    let cached = Arrival::start(read_cache(early.jobs));
    let shown = storage_shown(
        remembered_connection.clone(),
        remembered_searches.clone(),
        cached.clone(),
    );
    let shown = wasm_bindgen_futures::future_to_promise(async move {
        shown.await;
        Ok(JsValue::UNDEFINED)
    });
    // Never longer than a moment, whatever storage does.
    let at_most = crate::browser::global::timer(HOLD_MESSAGES_AT_MOST_MS);
    runtime::hold_messages_until(js_sys::Promise::race(&js_sys::Array::of2(&shown, &at_most)));
    let connection = Arrival::start(ask_worker(ConnectionStatus));
    let searches_view = Arrival::start(ask_worker(ListSearches));
    let started = Started {
        remembered_connection: Some(remembered_connection),
        remembered_searches: Some(remembered_searches),
        current: Some(current.clone()),
        connection: Some(connection.clone()),
        connection_for_safeguards: Some(connection),
        searches: Some(Arrival::start(with_current(
            searches_view.get(),
            current.get(),
        ))),
        searches_for_safeguards: Some(searches_view.clone()),
        searches_for_activity: Some(searches_view),
        jobs: Some(Arrival::start(jobs_unless_fresh(cached.get()))),
        cached_jobs: Some(cached),
    };
    STARTED.with(|slot| *slot.borrow_mut() = Some(started));
}

/// Resolves once the popup has shown what storage holds (the remembered connection and
/// searches, the cached jobs): Leptos renders them in microtasks, so a timer after they
/// arrive runs after the render. At once when no connection is remembered (the first opening
/// in a browser session): then the popup has nothing to show before the worker answers.
async fn storage_shown(
    connection: Arrival<Option<ConnectionView>>,
    searches: Arrival<Option<Vec<SearchItem>>>,
    jobs: Arrival<Option<Rc<JobCache>>>,
) {
    if connection.get().await.is_none() {
        return;
    }
    searches.get().await;
    jobs.get().await;
    crate::browser::global::sleep(0.0).await;
}

async fn load_searches() -> Searches {
    with_current(ask_worker(ListSearches), current_search::find()).await
}

/// The searches listed, and the search in front of the recruiter.
async fn with_current(
    listed: impl Future<Output = Result<SearchesView, AskError>>,
    current: impl Future<Output = Option<String>>,
) -> Searches {
    let searches = listed.await?.searches;
    Ok((searches, current.await))
}

/// The job cache the worker keeps, read from storage (`None`: no cache, or unreadable).
async fn read_cache(asked: Option<js_sys::Promise>) -> Option<Rc<JobCache>> {
    // JSON text (`JobCache::to_stored`), read in wasm: one string crosses from JS, not each
    // field of every job. A cache from before it was text does not read here: the worker is
    // asked instead, and stores it as text at its next refresh.
    let stored = storage::local::get_early(keys::JOB_CACHE, asked)
        .await
        .ok()?;
    JobCache::from_json_text(&long_text::long_string(&stored)?)
        .ok()
        .map(Rc::new)
}

/// The worker's last answer kept under `key` (JSON text in `.session`); `None` when there is
/// none or it does not read (then the popup waits for the worker, as without it).
async fn remembered<T: crate::from_json::FromJson>(
    key: &str,
    asked: Option<js_sys::Promise>,
) -> Option<T> {
    let text = storage::session::get_early(key, asked)
        .await
        .ok()?
        .as_string()?;
    T::from_json_text(&text).ok()
}

/// The job list: the cache read from storage while it is fresh (what the worker would answer
/// without asking Ashby), else the worker's answer (which refreshes a stale cache).
async fn jobs_unless_fresh(
    cache: impl Future<Output = Option<Rc<JobCache>>>,
) -> Result<JobList, AskError> {
    match cache.await {
        Some(cache) if !cache.is_stale(now_ms()) => Ok(JobList {
            jobs: cache.jobs.clone(),
            last_job_id: None,
        }),
        _ => ask_worker(ListJobs { refresh: false }).await,
    }
}

/// Takes one of the started requests, if it is still there.
fn take<T>(pick: impl FnOnce(&mut Started) -> Option<T>) -> Option<T> {
    STARTED.with(|slot| slot.borrow_mut().as_mut().and_then(pick))
}

/// One reader's answer started at opening (`pick` takes its slot), else `fallback`'s: a part
/// mounted again (e.g. after a Connect) asks afresh.
async fn started_or<T: Clone + 'static, F: Future<Output = T>>(
    pick: impl FnOnce(&mut Started) -> Option<Arrival<T>>,
    fallback: impl FnOnce() -> F,
) -> T {
    match take(pick) {
        Some(arrival) => arrival.get().await,
        None => fallback().await,
    }
}

/// The connection the worker last described, to show until it answers (only at opening: a
/// part mounted again has the worker's answers already).
pub async fn remembered_connection() -> Option<ConnectionView> {
    started_or(|s| s.remembered_connection.take(), || async { None }).await
}

/// The searches the worker last listed, to show until it answers (only at opening). They are
/// shown without waiting for the search in front of the recruiter ([`current`]: the browser
/// answers slowly while it starts the worker).
pub async fn remembered_searches() -> Option<Vec<SearchItem>> {
    started_or(|s| s.remembered_searches.take(), || async { None }).await
}

/// The search in front of the recruiter, as found at opening (only at opening: the worker's
/// answers come with it).
pub async fn current() -> Option<String> {
    started_or(|s| s.current.take(), || async { None }).await
}

/// The searches: the answer started at opening, else a new request.
pub async fn searches() -> Searches {
    started_or(|s| s.searches.take(), load_searches).await
}

/// The worker's job list (`ListJobs` without a refresh): the request started at opening, else
/// a new one.
pub async fn listed_jobs() -> Result<JobList, AskError> {
    let ask = || ask_worker(ListJobs { refresh: false });
    match take(|s| s.jobs.take()) {
        Some(arrival) => match arrival.get().await {
            Ok(list) => Ok(list),
            // Asked before a Connect in this popup (the worker had no key then): ask again.
            Err(_) => ask().await,
        },
        None => ask().await,
    }
}

/// The cached jobs, straight from storage, to show until the worker answers.
pub async fn cached_jobs() -> Option<Vec<JobChoice>> {
    started_or(|s| s.cached_jobs.take(), || read_cache(None))
        .await
        .map(|cache| cache.jobs.clone())
}

/// The connection as the worker describes it: the answer started at opening, else a new
/// request.
pub async fn connection() -> Result<ConnectionView, AskError> {
    started_or(|s| s.connection.take(), || ask_worker(ConnectionStatus)).await
}

/// [`connection`] for the safeguards.
pub async fn connection_for_safeguards() -> Result<ConnectionView, AskError> {
    started_or(
        |s| s.connection_for_safeguards.take(),
        || ask_worker(ConnectionStatus),
    )
    .await
}

/// Every search as the worker lists it, for the safeguards (paused searches).
pub async fn searches_for_safeguards() -> Result<SearchesView, AskError> {
    started_or(
        |s| s.searches_for_safeguards.take(),
        || ask_worker(ListSearches),
    )
    .await
}

/// Every search as the worker lists it, for the activity export (search titles).
pub async fn searches_for_activity() -> Result<SearchesView, AskError> {
    started_or(
        |s| s.searches_for_activity.take(),
        || ask_worker(ListSearches),
    )
    .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_boot_script_asks_early_for_the_keys_the_popup_reads() {
        use crate::storage_schema::keys::{JOB_CACHE, POPUP_CONNECTION, POPUP_SEARCHES};
        let boot = include_str!("../../extension/pages/popup-boot.js");
        for (area, keys) in [
            (
                "session",
                format!("['{POPUP_CONNECTION}', '{POPUP_SEARCHES}']"),
            ),
            ("local", format!("'{JOB_CACHE}'")),
        ] {
            let call = format!("chrome.storage.{area}.get({keys})");
            assert!(boot.contains(&call), "popup-boot.js has {call}");
        }
    }
}
