//! The content script on Fetcher pages. It never holds the API key and never calls Ashby: it
//! reads the page (through the page model), adds the extension's UI, and talks to the worker.
//!
//! Fetcher is a single-page app, so the script follows route changes without reloads. What it
//! adds comes as features (`feature::Feature`), listed once in `FEATURES`: on each route change
//! the old route's signal aborts and every feature leaves it, then enters the new one; each
//! batch of DOM changes goes to every feature.
//!
//! Thread-local state here is reached through `LocalKey`'s `with_borrow`, `with_borrow_mut`,
//! `set` and `take`: the `RefCell` borrow inside them carries one panic location, where a
//! `borrow()` at each call site carried its own (−0.6 KB of wasm; the worker and the pages
//! measured larger with them, so they keep `with`).

mod accname;
mod candidate_watch;
mod card_map;
mod dom;
mod feature;
#[cfg(all(test, target_arch = "wasm32"))]
mod hostile_pages;
mod notice;
mod page;
mod page_reader;
mod page_seen;
mod popup_requests;
mod send_dialog;
mod send_menu_item;
mod shortcut;
mod status_host;
#[cfg(all(test, target_arch = "wasm32"))]
mod test_page;
mod upload_status;

use crate::domain::PageKind;
use crate::fetcher::route::FetcherRoute;
use crate::messages::{ContentToWorker, Hello};
use feature::{Batch, Feature};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{MutationObserver, MutationObserverInit};

/// Every feature, in the order they are installed, entered, left and given DOM changes.
const FEATURES: &[&dyn Feature] = &[
    &upload_status::UploadStatuses,
    &shortcut::Shortcut,
    &send_dialog::SendDialog,
    &send_menu_item::SendMenuItem,
    &popup_requests::PopupRequests,
    &candidate_watch::CandidateWatch,
    &page_seen::PageSeenReport,
];

/// The registry's own page listeners, held for the page's lifetime (an observer or callback
/// nobody references may be garbage-collected or freed).
struct Watching {
    _observer: MutationObserver,
    _on_mutations: Closure<dyn FnMut(js_sys::Array)>,
    _on_popstate: Closure<dyn FnMut()>,
}

thread_local! {
    static WATCHING: RefCell<Option<Watching>> = const { RefCell::new(None) };
}

/// Called once by the loader after the wasm module is instantiated, with what it started at
/// `document_start` (each `undefined` when it did not): `storage.local.getKeys()`, so the
/// search's records are read without waiting for the wasm first, and on a search page its
/// guess of the records' key prefix with their read and the read of the search's upload digest
/// (both used only if the prefix is the route's); and the upload records changed since those
/// reads began (`[[key, newValue], …]`).
#[wasm_bindgen]
pub fn start_content(
    early_keys: JsValue,
    early_prefix: JsValue,
    early_records: JsValue,
    early_digest: JsValue,
    changed_meanwhile: JsValue,
) -> Result<(), JsValue> {
    upload_status::asked_early(early_keys, early_prefix, early_records, early_digest);
    for feature in FEATURES {
        feature.install();
    }
    on_possible_navigation();
    upload_status::changed_meanwhile(&changed_meanwhile);
    let watching = watch_document()?;
    WATCHING.set(Some(watching));
    Ok(())
}

/// One observer for the whole document: SPA navigations re-render the page, so route changes
/// are noticed here too (and on `popstate`), and each feature gets only the batch of changed
/// nodes to look at.
fn watch_document() -> Result<Watching, JsValue> {
    let on_mutations = Closure::<dyn FnMut(js_sys::Array)>::new(on_mutations);
    let observer = MutationObserver::new(on_mutations.as_ref().unchecked_ref())?;
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
    // The document itself: at `document_start` its element may not exist yet.
    observer.observe_with_options(&dom::document(), &options)?;
    let on_popstate = Closure::<dyn FnMut()>::new(on_possible_navigation);
    dom::window()
        .add_event_listener_with_callback("popstate", on_popstate.as_ref().unchecked_ref())?;
    Ok(Watching {
        _observer: observer,
        _on_mutations: on_mutations,
        _on_popstate: on_popstate,
    })
}

/// One batch of DOM changes (delivered before the next paint, so what is re-attached here is
/// never seen missing). Only batches that add nodes can need anything re-attached.
fn on_mutations(records: js_sys::Array) {
    on_possible_navigation();
    let Some(route) = page::route() else {
        return;
    };
    let batch = Batch::new(records, &route);
    for feature in FEATURES {
        feature.nodes_touched(&route, &batch);
    }
    if !batch.adds_nodes() {
        return;
    }
    for feature in FEATURES {
        feature.nodes_added(&route, &batch);
    }
}

/// Re-reads the URL; on a change, the features leave the old route and enter the new one.
fn on_possible_navigation() {
    let href = dom::window().location().href().unwrap_or_default();
    if page::is_at(&href) {
        return;
    }
    let path = dom::window().location().pathname().unwrap_or_default();
    let route = FetcherRoute::from_path(&path);
    page::leave();
    page_reader::forget_cards();
    for feature in FEATURES {
        feature.leave();
    }
    page_seen::report(ContentToWorker::Hello(Hello {
        page_kind: route
            .as_ref()
            .map_or(PageKind::Unrecognised, FetcherRoute::page_kind),
    }));
    let Some(signal) = page::enter(href, route.clone()) else {
        return;
    };
    for feature in FEATURES {
        feature.enter(route.as_ref(), &signal);
    }
}
