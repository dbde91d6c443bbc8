//! Adds "Send to Ashby" to the profile's ⋮ (More actions) menu. Fetcher renders the menu each
//! time it opens and removes it on close, so the item is added to every new menu.

use super::{dom, page_reader};
use crate::browser::ask_worker;
use crate::domain::FetcherCandidate;
use crate::fetcher::route::FetcherRoute;
use crate::messages::{ContentReply, ContentToWorker, JobChoice};
use crate::text;
use wasm_bindgen::prelude::*;
use web_sys::{Element, MutationRecord};

/// Marks what this feature added, so it is never added twice and can be removed.
const MARK: &str = "data-fetcher-ashby";
const MARK_VALUE: &str = "send-to-ashby";

/// Looks only at the added nodes: cheap enough to run on every mutation batch.
pub fn on_mutations(records: &[MutationRecord]) {
    for record in records {
        let added = record.added_nodes();
        for node in (0..added.length()).filter_map(|i| added.item(i)) {
            if let Some(element) = dom::as_element(node) {
                for menu in dom::with_role(&element, "menu") {
                    add_item(&menu);
                }
            }
        }
    }
}

/// Removes the items this feature added (route change away from a profile).
pub fn teardown() {
    let selector = format!("[{MARK}=\"{MARK_VALUE}\"]");
    if let Ok(list) = dom::document().query_selector_all(&selector) {
        for node in (0..list.length()).filter_map(|i| list.item(i)) {
            if let Some(element) = dom::as_element(node) {
                element.remove();
            }
        }
    }
}

fn add_item(menu: &Element) {
    let selector = format!("[{MARK}=\"{MARK_VALUE}\"]");
    if menu.query_selector(&selector).ok().flatten().is_some() {
        return;
    }
    let item = dom::element(
        "div",
        text::SEND_TO_ASHBY,
        &[("role", "menuitem"), ("tabindex", "-1"), (MARK, MARK_VALUE)],
    );
    let on_click = Closure::<dyn FnMut()>::new(|| wasm_bindgen_futures::spawn_local(on_choose()));
    let _ = item.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    on_click.forget();
    // Keyboard users choose it with Enter or Space whether or not the page's menu forwards
    // those keys as clicks (the click then bubbles to the menu, which closes).
    let on_key =
        Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(|event: web_sys::KeyboardEvent| {
            if matches!(event.key().as_str(), "Enter" | " ") {
                event.prevent_default();
                event.stop_propagation();
                if let Some(item) = event
                    .current_target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    item.click();
                }
            }
        });
    let _ = item.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
    on_key.forget();
    add_focus_style();
    let _ = menu.append_child(&item);
}

/// A visible focus ring for the item, whatever the page's CSS does to its own items.
fn add_focus_style() {
    const STYLE_ID: &str = "fetcher-ashby-menu-focus";
    let document = dom::document();
    if document.get_element_by_id(STYLE_ID).is_some() {
        return;
    }
    let css =
        format!("[{MARK}=\"{MARK_VALUE}\"]:focus{{outline:2px solid #4f46e5;outline-offset:-2px}}");
    let style = dom::element("style", &css, &[("id", STYLE_ID)]);
    if let Some(parent) = document
        .query_selector("head")
        .ok()
        .flatten()
        .or_else(|| document.document_element())
    {
        let _ = parent.append_child(&style);
    }
}

/// Opens the Send dialog on the profile (or explains why it cannot).
async fn on_choose() {
    super::send_dialog::open_for_profile(more_actions_button()).await;
}

/// Checks the connection and reads the profile and the worker's jobs for its search.
pub(super) async fn prepare() -> Result<(FetcherCandidate, Vec<JobChoice>, Option<String>), String>
{
    match ask_worker(&ContentToWorker::SendReadiness).await? {
        ContentReply::Readiness { connected: true } => {}
        ContentReply::Readiness { connected: false } => return Err(text::CONNECT_FIRST.into()),
        _ => return Err(text::EXTENSION_UNAVAILABLE.into()),
    }
    let path = dom::window().location().pathname().unwrap_or_default();
    let Some(FetcherRoute::Profile {
        search_id,
        candidate_id,
    }) = FetcherRoute::from_path(&path)
    else {
        return Err(text::PROFILE_NOT_READABLE.into());
    };
    let candidate = page_reader::profile(&search_id, &candidate_id)
        .and_then(|raw| raw.validate().ok())
        .ok_or_else(|| text::PROFILE_NOT_READABLE.to_owned())?;
    match ask_worker(&ContentToWorker::JobsForSearch { search_id }).await? {
        ContentReply::Jobs { jobs, last_job_id } => Ok((candidate, jobs, last_job_id)),
        ContentReply::Error { message } => Err(message),
        _ => Err(text::EXTENSION_UNAVAILABLE.into()),
    }
}

/// The ⋮ button, where focus returns when the dialog closes.
pub(super) fn more_actions_button() -> Option<web_sys::HtmlElement> {
    dom::document()
        .query_selector("button[aria-label=\"More actions\"]")
        .ok()
        .flatten()?
        .dyn_into()
        .ok()
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn menu_with_one_item() -> Element {
        let menu = dom::element("div", "", &[("role", "menu")]);
        let existing = dom::element("div", "Archive", &[("role", "menuitem")]);
        menu.append_child(&existing).unwrap();
        dom::document().body().unwrap().append_child(&menu).unwrap();
        menu
    }

    fn our_items(root: &Element) -> u32 {
        root.query_selector_all(&format!("[{MARK}=\"{MARK_VALUE}\"]"))
            .unwrap()
            .length()
    }

    #[wasm_bindgen_test]
    fn adds_one_menu_item_however_often_it_is_asked() {
        let menu = menu_with_one_item();
        add_item(&menu);
        add_item(&menu);
        assert_eq!(our_items(&menu), 1);
        let item = menu.last_element_child().unwrap();
        assert_eq!(item.get_attribute("role").as_deref(), Some("menuitem"));
        assert_eq!(item.text_content().as_deref(), Some(text::SEND_TO_ASHBY));
        teardown();
        assert_eq!(our_items(&menu), 0);
        menu.remove();
    }

    #[wasm_bindgen_test]
    async fn a_newly_rendered_menu_gets_the_item_from_the_observer() {
        let records = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let sink = records.clone();
        let callback = Closure::<dyn FnMut(Vec<MutationRecord>)>::new(move |batch| {
            sink.borrow_mut().extend(batch)
        });
        let observer = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()).unwrap();
        let options = web_sys::MutationObserverInit::new();
        options.set_child_list(true);
        options.set_subtree(true);
        let body = dom::document().body().unwrap();
        observer.observe_with_options(&body, &options).unwrap();
        // A menu nested in wrappers, as React renders it.
        let wrapper = dom::element("div", "", &[("class", "x9f2")]);
        let menu = dom::element("ul", "", &[("role", "menu")]);
        wrapper.append_child(&menu).unwrap();
        body.append_child(&wrapper).unwrap();
        // Mutation records are delivered in a microtask.
        wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&JsValue::NULL))
            .await
            .unwrap();
        let pending: Vec<MutationRecord> = observer
            .take_records()
            .iter()
            .map(|record| record.unchecked_into())
            .collect();
        on_mutations(&pending);
        on_mutations(&records.borrow());
        assert_eq!(our_items(&menu), 1);
        observer.disconnect();
        wrapper.remove();
    }
}
