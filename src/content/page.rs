//! The page the content script is attached to: its URL, its Fetcher route, and the
//! `AbortSignal` that ends what features attached for that route. One copy, set by the
//! registry (`content/mod.rs`) on each navigation and read by every feature.

use crate::fetcher::route::FetcherRoute;
use std::cell::RefCell;
use web_sys::{AbortController, AbortSignal};

struct Current {
    href: String,
    route: Option<FetcherRoute>,
    /// Aborted when the page leaves this route.
    controller: AbortController,
}

thread_local! {
    static CURRENT: RefCell<Option<Current>> = const { RefCell::new(None) };
}

/// The route the features are attached to (`None` before the first one, or on a page the
/// page model does not describe).
pub fn route() -> Option<FetcherRoute> {
    CURRENT.with_borrow(|current| current.as_ref()?.route.clone())
}

/// The current route's signal: once aborted, whatever was started for it is stale.
pub fn signal() -> Option<AbortSignal> {
    CURRENT.with_borrow(|current| Some(current.as_ref()?.controller.signal()))
}

/// Whether the features are attached to the page at `href`.
pub(super) fn is_at(href: &str) -> bool {
    CURRENT.with_borrow(|current| current.as_ref().is_some_and(|c| c.href == href))
}

/// Ends the current route: its signal aborts (listeners registered with it go away).
pub(super) fn leave() {
    if let Some(current) = CURRENT.take() {
        current.controller.abort();
    }
}

/// Starts `route` at `href`; returns the signal its features register with.
pub(super) fn enter(href: String, route: Option<FetcherRoute>) -> Option<AbortSignal> {
    let controller = AbortController::new().ok()?;
    let signal = controller.signal();
    CURRENT.set(Some(Current {
        href,
        route,
        controller,
    }));
    Some(signal)
}
