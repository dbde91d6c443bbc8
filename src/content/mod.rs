//! The content script on Fetcher pages. It never holds the API key and never calls Ashby: it
//! reads the page (through the page model), adds the extension's UI, and talks to the worker.
//!
//! Fetcher is a single-page app, so the script follows route changes without reloads: each
//! feature is attached for the current route and torn down when the route changes.

mod accname;
mod candidate_watch;
mod dom;
#[cfg(all(test, target_arch = "wasm32"))]
mod hostile_pages;
mod notice;
mod page_reader;
mod popup_requests;
mod send_dialog;
mod send_menu_item;
mod shortcut;
mod upload_status;

use crate::browser::{runtime, to_js};
use crate::fetcher::route::FetcherRoute;
use crate::messages::{ContentToWorker, Hello, PageSeen};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{MutationObserver, MutationObserverInit, MutationRecord};

/// What is attached for the current page.
struct Page {
    href: String,
    route: Option<FetcherRoute>,
    /// What was last reported to the worker about the recruiter and search; reporting stops
    /// once everything the page model promises has been read.
    reported: PageSeen,
}

thread_local! {
    static PAGE: RefCell<Option<Page>> = const { RefCell::new(None) };
    /// Held for the page's lifetime: an observer nobody references may be garbage-collected.
    static OBSERVER: RefCell<Option<MutationObserver>> = const { RefCell::new(None) };
}

/// Called once by the loader after the wasm module is instantiated.
#[wasm_bindgen]
pub fn start_content() -> Result<(), JsValue> {
    upload_status::install();
    shortcut::install();
    send_dialog::install();
    send_menu_item::install();
    popup_requests::install();
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
    let callback = Closure::<dyn FnMut(Vec<MutationRecord>)>::new(on_mutations);
    let observer = MutationObserver::new(callback.as_ref().unchecked_ref())?;
    callback.forget();
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    // Status text is updated in place and Like flips `aria-pressed`: automation needs both.
    options.set_character_data(true);
    // The ⋮ button reports `aria-expanded` when its menu opens: "Send to Ashby" follows it.
    options.set_attribute_filter(&js_sys::Array::of2(
        &"aria-pressed".into(),
        &"aria-expanded".into(),
    ));
    let root = dom::document()
        .document_element()
        .ok_or("no document element")?;
    observer.observe_with_options(&root, &options)?;
    OBSERVER.with(|slot| *slot.borrow_mut() = Some(observer));
    Ok(())
}

/// One batch of DOM changes (delivered before the next paint, so what is re-attached here is
/// never seen missing). Only batches that add nodes can need anything re-attached.
fn on_mutations(records: Vec<MutationRecord>) {
    on_possible_navigation();
    candidate_watch::on_mutations(&records);
    if on_profile() {
        send_menu_item::on_mutations(&records);
    }
    if !records
        .iter()
        .any(|record| record.added_nodes().length() > 0)
    {
        return;
    }
    report_page_seen();
    upload_status::on_mutations(&records);
}

fn on_profile() -> bool {
    PAGE.with(|page| {
        matches!(
            page.borrow().as_ref().and_then(|p| p.route.as_ref()),
            Some(FetcherRoute::Profile { .. })
        )
    })
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
    send_dialog::close();
    report(ContentToWorker::Hello(Hello {
        page_kind: route
            .as_ref()
            .map_or("unrecognised", FetcherRoute::kind)
            .into(),
    }));
    PAGE.with(|page| {
        *page.borrow_mut() = Some(Page {
            href,
            route,
            reported: PageSeen::default(),
        })
    });
    let route = PAGE.with(|page| page.borrow().as_ref().and_then(|p| p.route.clone()));
    upload_status::on_route(route.as_ref());
    candidate_watch::on_route(route.as_ref());
    report_page_seen();
}

/// Tells the worker who is signed in and which search this is, once each becomes readable
/// (the SPA renders them late). Cheap: stops reading once complete.
fn report_page_seen() {
    let Some(route) = PAGE.with(|page| {
        let page = page.borrow();
        let page = page.as_ref()?;
        let complete = page.reported.account_email.is_some()
            && (page.reported.search_title.is_some()
                || matches!(page.route, Some(FetcherRoute::Profile { .. })));
        if complete {
            None
        } else {
            page.route.clone()
        }
    }) else {
        return;
    };
    let seen = page_reader::page_seen(&route);
    let changed = PAGE.with(|page| {
        let mut page = page.borrow_mut();
        let Some(page) = page.as_mut() else {
            return false;
        };
        let changed = page.reported != seen;
        page.reported = seen.clone();
        changed
    });
    if changed && seen.account_email.is_some() {
        report(ContentToWorker::PageSeen(seen));
    }
}

/// Fire-and-forget report to the worker (a worker that is waking up still receives it).
fn report(message: ContentToWorker) {
    if let Ok(message) = to_js(&message) {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = runtime::send_message(&message).await;
        });
    }
}
