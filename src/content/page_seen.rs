//! Tells the worker who is signed in and which search this is, once each becomes readable (the
//! SPA renders them late). Cheap: stops reading once everything the page model promises for
//! the route has been read.

use super::feature::{Batch, Feature};
use super::{dom, page, page_reader};
use crate::browser::{json_to_js, runtime};
use crate::fetcher::route::FetcherRoute;
use crate::messages::{ContentToWorker, PageSeen};
use std::cell::{Cell, RefCell};
use web_sys::AbortSignal;

pub struct PageSeenReport;

thread_local! {
    /// What was last reported about the current route (`None`: nothing read yet).
    static REPORTED: RefCell<Option<PageSeen>> = const { RefCell::new(None) };
    static READ_PENDING: Cell<bool> = const { Cell::new(false) };
}

impl Feature for PageSeenReport {
    fn enter(&self, route: Option<&FetcherRoute>, _signal: &AbortSignal) {
        REPORTED.set(None);
        if let Some(route) = route {
            report_page_seen(route);
        }
    }

    /// Read a task later: names are computed with visibility checks, which make the browser
    /// compute the new content's styles, and that should not delay what the batch draws.
    fn nodes_added(&self, route: &FetcherRoute, _batch: &Batch) {
        if all_read(route) {
            return;
        }
        dom::run_later(&READ_PENDING, 0, || {
            if let Some(route) = page::route() {
                report_page_seen(&route);
            }
        });
    }
}

/// Whether everything the page model promises for `route` has been read.
fn all_read(route: &FetcherRoute) -> bool {
    REPORTED.with_borrow(|reported| {
        reported.as_ref().is_some_and(|reported| {
            reported.account_email.is_some()
                && (reported.search_title.is_some()
                    || matches!(route, FetcherRoute::Profile { .. }))
        })
    })
}

fn report_page_seen(route: &FetcherRoute) {
    if all_read(route) {
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
    if let Ok(message) = json_to_js(&message) {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = runtime::send_message(&message).await;
        });
    }
}
