//! Tells the worker who is signed in and which search this is, once each becomes readable (the
//! SPA renders them late). Cheap: stops reading once everything the page model promises for
//! the route has been read.

use super::feature::{Batch, Feature};
use super::page_reader;
use crate::browser::{runtime, to_js};
use crate::fetcher::route::FetcherRoute;
use crate::messages::{ContentToWorker, PageSeen};
use std::cell::RefCell;
use web_sys::AbortSignal;

pub struct PageSeenReport;

thread_local! {
    /// What was last reported about the current route (`None`: nothing read yet).
    static REPORTED: RefCell<Option<PageSeen>> = const { RefCell::new(None) };
}

impl Feature for PageSeenReport {
    fn enter(&self, route: Option<&FetcherRoute>, _signal: &AbortSignal) {
        REPORTED.with(|reported| *reported.borrow_mut() = None);
        if let Some(route) = route {
            report_page_seen(route);
        }
    }

    fn nodes_added(&self, route: &FetcherRoute, _batch: &Batch) {
        report_page_seen(route);
    }
}

fn report_page_seen(route: &FetcherRoute) {
    let complete = REPORTED.with(|reported| {
        reported.borrow().as_ref().is_some_and(|reported| {
            reported.account_email.is_some()
                && (reported.search_title.is_some()
                    || matches!(route, FetcherRoute::Profile { .. }))
        })
    });
    if complete {
        return;
    }
    let seen = page_reader::page_seen(route);
    let changed =
        REPORTED.with(|reported| reported.replace(Some(seen.clone())).unwrap_or_default() != seen);
    if changed && seen.account_email.is_some() {
        report(ContentToWorker::PageSeen(seen));
    }
}

/// Fire-and-forget report to the worker (a worker that is waking up still receives it).
pub fn report(message: ContentToWorker) {
    if let Ok(message) = to_js(&message) {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = runtime::send_message(&message).await;
        });
    }
}
