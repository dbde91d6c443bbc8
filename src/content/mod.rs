//! The content script on Fetcher pages. It never holds the API key and never calls Ashby: it
//! reads the page (through the page model), adds the extension's UI, and talks to the worker.
//!
//! Fetcher is a single-page app, so the script follows route changes without reloads: each
//! feature is attached for the current route and torn down when the route changes.

mod dom;
mod notice;
mod send_menu_item;

use crate::browser::{chrome, to_js};
use crate::fetcher::route::FetcherRoute;
use crate::messages::ContentToWorker;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{MutationObserver, MutationObserverInit, MutationRecord};

/// What is attached for the current page.
struct Page {
    href: String,
    route: Option<FetcherRoute>,
}

thread_local! {
    static PAGE: RefCell<Option<Page>> = const { RefCell::new(None) };
}

/// Called once by the loader after the wasm module is instantiated.
#[wasm_bindgen]
pub fn start_content() -> Result<(), JsValue> {
    on_possible_navigation();
    observe_document()?;
    let on_popstate = Closure::<dyn FnMut()>::new(on_possible_navigation);
    dom::window()
        .add_event_listener_with_callback("popstate", on_popstate.as_ref().unchecked_ref())?;
    on_popstate.forget();
    Ok(())
}

/// One observer for the whole document: SPA navigations re-render the page, so route changes
/// are noticed here too, and each feature gets only the batch of added nodes to look at.
fn observe_document() -> Result<(), JsValue> {
    let callback =
        Closure::<dyn FnMut(Vec<MutationRecord>)>::new(|records: Vec<MutationRecord>| {
            on_possible_navigation();
            let on_profile = PAGE.with(|page| {
                matches!(
                    page.borrow().as_ref().and_then(|p| p.route.as_ref()),
                    Some(FetcherRoute::Profile { .. })
                )
            });
            if on_profile {
                send_menu_item::on_mutations(&records);
            }
        });
    let observer = MutationObserver::new(callback.as_ref().unchecked_ref())?;
    callback.forget();
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    let root = dom::document()
        .document_element()
        .ok_or("no document element")?;
    observer.observe_with_options(&root, &options)
}

/// Re-reads the URL; on a change, tears down the old page's features and attaches the new.
fn on_possible_navigation() {
    let href = dom::window().location().href().unwrap_or_default();
    let changed = PAGE.with(|page| {
        page.borrow()
            .as_ref()
            .map(|p| p.href != href)
            .unwrap_or(true)
    });
    if !changed {
        return;
    }
    let path = dom::window().location().pathname().unwrap_or_default();
    let route = FetcherRoute::from_path(&path);
    send_menu_item::teardown();
    if let Some(route) = &route {
        report(ContentToWorker::Hello {
            page_kind: route.kind().into(),
        });
    }
    PAGE.with(|page| *page.borrow_mut() = Some(Page { href, route }));
}

/// Fire-and-forget report to the worker (a worker that is waking up still receives it).
fn report(message: ContentToWorker) {
    if let Ok(message) = to_js(&message) {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = chrome::send_message(&message).await;
        });
    }
}
