//! The popup's first data, asked for the moment its wasm starts, all at once, before anything
//! is mounted: the searches (with the one in front of the recruiter), the worker's job list,
//! and the cached jobs read straight from storage. Mounted parts take the answers already
//! under way instead of asking one after another (the connection, then the searches, then
//! the jobs), and the "Ashby job" list renders from the cache without waiting for the worker
//! (stopped: it has to start first) or for Ashby (a stale cache is refreshed behind it).
//!
//! The cache (`cache/jobs`: job ids, titles, statuses, departments) holds nothing secret; the
//! API key stays in the worker.

use super::current_search;
use crate::browser::{ask_worker, from_js, storage};
use crate::job_picker::JobCache;
use crate::messages::{AskError, JobChoice, JobList, ListJobs, ListSearches, SearchItem};
use crate::storage_schema::keys;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// The searches and the search in front of the recruiter, or why they could not be listed.
pub type Searches = Result<(Vec<SearchItem>, Option<String>), String>;

/// A value that arrives once; each reader gets a copy (awaiting until it is there).
struct Arrival<T> {
    state: Rc<RefCell<(Option<T>, Vec<Waker>)>>,
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

struct Started {
    searches: Option<Arrival<Searches>>,
    jobs: Option<Arrival<Result<JobList, AskError>>>,
    cached_jobs: Option<Arrival<Option<Vec<JobChoice>>>>,
}

thread_local! {
    /// Taken by the first reader of each (a part mounted again asks afresh).
    static STARTED: RefCell<Option<Started>> = const { RefCell::new(None) };
}

/// Starts every first request (called once, before mounting).
pub fn begin() {
    let started = Started {
        searches: Some(Arrival::start(load_searches())),
        jobs: Some(Arrival::start(ask_worker(ListJobs { refresh: false }))),
        cached_jobs: Some(Arrival::start(read_cached_jobs())),
    };
    STARTED.with(|slot| *slot.borrow_mut() = Some(started));
}

async fn load_searches() -> Searches {
    let searches = ask_worker(ListSearches).await?.searches;
    Ok((searches, current_search::find().await))
}

/// The jobs the worker cached, read from storage (`None`: no cache, or unreadable).
async fn read_cached_jobs() -> Option<Vec<JobChoice>> {
    let value = storage::local::get(keys::JOB_CACHE).await.ok()?;
    if value.is_undefined() {
        return None;
    }
    from_js::<JobCache>(value).ok().map(|cache| cache.jobs)
}

/// Takes one of the started requests, if it is still there.
fn take<T>(pick: impl FnOnce(&mut Started) -> Option<T>) -> Option<T> {
    STARTED.with(|slot| slot.borrow_mut().as_mut().and_then(pick))
}

/// The searches: the answer started at opening, else a new request.
pub async fn searches() -> Searches {
    let started = take(|s| s.searches.take().map(|a| a.get()));
    match started {
        Some(answer) => answer.await,
        None => load_searches().await,
    }
}

/// The worker's job list (`ListJobs` without a refresh): the request started at opening, else
/// a new one.
pub async fn listed_jobs() -> Result<JobList, AskError> {
    let started = take(|s| s.jobs.take().map(|a| a.get()));
    match started {
        Some(answer) => match answer.await {
            Ok(list) => Ok(list),
            // Asked before a Connect in this popup (the worker had no key then): ask again.
            Err(_) => ask_worker(ListJobs { refresh: false }).await,
        },
        None => ask_worker(ListJobs { refresh: false }).await,
    }
}

/// The cached jobs, straight from storage, to show until the worker answers.
pub async fn cached_jobs() -> Option<Vec<JobChoice>> {
    let started = take(|s| s.cached_jobs.take().map(|a| a.get()));
    match started {
        Some(answer) => answer.await,
        None => read_cached_jobs().await,
    }
}
