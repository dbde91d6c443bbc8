//! The upload status on each candidate card and on the profile: "Sent to Ashby · <job> ·
//! <time>" with a link to Ashby, or why it failed with a Retry button. Rendered from the upload
//! records the worker keeps in storage, live on every change, and re-attached when the page
//! re-renders a card (React throws away what was injected into it).

use super::{dom, page_reader};
use crate::browser::{ask_worker, from_js, storage};
use crate::fetcher::route::FetcherRoute;
use crate::messages::{AskError, RetryUpload};
use crate::text;
use crate::upload::outbox::{record_key, UploadRecord, UploadStatus};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use web_sys::{Element, MutationRecord, ShadowRootInit, ShadowRootMode};

/// Marks our host element inside a card or profile (its content is in a shadow root).
const HOST_ATTRIBUTE: &str = "data-fetcher-ashby-status";

thread_local! {
    /// The records known for the current search, by candidate id (`None` = none stored).
    static RECORDS: RefCell<HashMap<String, Option<UploadRecord>>> = RefCell::new(HashMap::new());
    static ROUTE: RefCell<Option<FetcherRoute>> = const { RefCell::new(None) };
}

/// Starts listening to storage changes (once per page load).
pub fn install() {
    storage::local::on_change(|key, value| {
        let Some(route) = ROUTE.with(|r| r.borrow().clone()) else {
            return;
        };
        let prefix = record_key(route.search_id(), "");
        let Some(candidate_id) = key.strip_prefix(&prefix) else {
            return;
        };
        let record = from_js::<UploadRecord>(value).ok();
        RECORDS.with(|r| r.borrow_mut().insert(candidate_id.to_owned(), record));
        render_for(&route, candidate_id);
    });
}

/// A new page: forget the old search's records and attach to whatever is already shown.
pub fn on_route(route: Option<&FetcherRoute>) {
    RECORDS.with(|r| r.borrow_mut().clear());
    ROUTE.with(|r| *r.borrow_mut() = route.cloned());
    refresh();
}

/// Attaches to every card (or the profile) that lacks a status.
pub fn refresh() {
    if let Some(route) = ROUTE.with(|r| r.borrow().clone()) {
        let cards = matches!(route, FetcherRoute::Search { .. }).then(page_reader::cards);
        attach(&route, cards);
    }
}

/// For a batch of DOM changes: looks only at the cards it touched (re-rendered or new ones).
pub fn on_mutations(records: &[MutationRecord]) {
    if let Some(route) = ROUTE.with(|r| r.borrow().clone()) {
        let cards = matches!(route, FetcherRoute::Search { .. })
            .then(|| page_reader::cards_touched(records));
        attach(&route, cards);
    }
}

fn attach(route: &FetcherRoute, cards: Option<Vec<Element>>) {
    let route = route.clone();
    let mut unknown: Vec<(String, Element)> = Vec::new();
    for (candidate_id, anchor) in targets(&route, cards) {
        match RECORDS.with(|r| r.borrow().get(&candidate_id).cloned()) {
            // Known: draw it only where a re-render threw it away.
            Some(Some(record)) if existing_host(&anchor, &candidate_id).is_none() => {
                render(&route, &candidate_id, &anchor, Some(&record))
            }
            Some(None) if on_profile(&route) && existing_host(&anchor, &candidate_id).is_none() => {
                render(&route, &candidate_id, &anchor, None)
            }
            Some(_) => {}
            None => unknown.push((candidate_id, anchor)),
        }
    }
    if unknown.is_empty() {
        return;
    }
    // Mark them as being looked up, so the next batch does not ask again.
    RECORDS.with(|r| {
        let mut records = r.borrow_mut();
        for (id, _) in &unknown {
            records.insert(id.clone(), None);
        }
    });
    // One storage read for the whole batch (a page of cards arrives at once).
    let keys: Vec<String> = unknown
        .iter()
        .map(|(id, _)| record_key(route.search_id(), id))
        .collect();
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(found) = storage::local::get_many(&keys).await else {
            return;
        };
        for (candidate_id, anchor) in unknown {
            let key = record_key(route.search_id(), &candidate_id);
            let value = js_sys::Reflect::get(&found, &JsValue::from_str(&key))
                .unwrap_or(JsValue::UNDEFINED);
            // Nothing stored: cards show nothing, the profile shows its Send button.
            if value.is_undefined() && !on_profile(&route) {
                continue;
            }
            let record = from_js::<UploadRecord>(value).ok();
            RECORDS.with(|r| r.borrow_mut().insert(candidate_id.clone(), record.clone()));
            // The card read a moment ago, unless the page re-rendered it meanwhile.
            if anchor.is_connected() {
                render(&route, &candidate_id, &anchor, record.as_ref());
            } else {
                render_for(&route, &candidate_id);
            }
        }
    });
}

/// Where statuses go: each of `cards` (all cards when `None`) on a search page, or the
/// profile's heading.
fn targets(route: &FetcherRoute, cards: Option<Vec<Element>>) -> Vec<(String, Element)> {
    match route {
        FetcherRoute::Search { search_id } => cards
            .unwrap_or_else(page_reader::cards)
            .into_iter()
            .filter_map(|card| {
                let raw = page_reader::card(&card, search_id)?;
                Some((raw.candidate_id, card))
            })
            .collect(),
        FetcherRoute::Profile { candidate_id, .. } => page_reader::profile_heading()
            .map(|heading| vec![(candidate_id.clone(), heading)])
            .unwrap_or_default(),
    }
}

fn render_for(route: &FetcherRoute, candidate_id: &str) {
    let record = RECORDS.with(|r| r.borrow().get(candidate_id).cloned().flatten());
    if record.is_none() && !on_profile(route) {
        return;
    }
    for (id, anchor) in targets(route, None) {
        if id == candidate_id {
            render(route, candidate_id, &anchor, record.as_ref());
        }
    }
}

fn on_profile(route: &FetcherRoute) -> bool {
    matches!(route, FetcherRoute::Profile { .. })
}

/// Draws (or redraws) the status for one candidate next to `anchor`, and on the profile the
/// "Send to Ashby" button.
fn render(
    route: &FetcherRoute,
    candidate_id: &str,
    anchor: &Element,
    record: Option<&UploadRecord>,
) {
    let host =
        existing_host(anchor, candidate_id).unwrap_or_else(|| new_host(anchor, candidate_id));
    let Some(shadow) = host.shadow_root() else {
        return;
    };
    // Redrawing must not take keyboard focus away from the recruiter's button.
    let had_focus = shadow.active_element().is_some();
    shadow.set_text_content(None);
    shadow
        .append_child(&dom::element("style", STATUS_CSS, &[]))
        .ok();
    if on_profile(route) {
        let button = profile_button(record);
        shadow.append_child(&button).ok();
        if had_focus && !button.has_attribute("disabled") {
            button.unchecked_ref::<web_sys::HtmlElement>().focus().ok();
        }
    }
    let Some(record) = record else {
        return;
    };
    let search_id = route.search_id();
    let time = js_sys::Date::new(&JsValue::from_f64(record.at_ms))
        .to_locale_time_string("default")
        .as_string()
        .unwrap_or_default();
    let class = match record.status {
        UploadStatus::Sent => "sent",
        UploadStatus::Failed => "failed",
        UploadStatus::Queued | UploadStatus::Sending => "pending",
        UploadStatus::Skipped => "skipped",
    };
    let status = dom::element(
        "div",
        &text::upload_status_line(record, &time),
        &[
            ("role", "status"),
            ("aria-label", text::UPLOAD_STATUS_NAME),
            ("class", class),
        ],
    );
    if let Some(link) = record.profile_url.as_deref().and_then(dom::ashby_link) {
        status.append_child(&dom::text(" · ")).ok();
        status.append_child(&link).ok();
    }
    shadow.append_child(&status).ok();
    if record.status == UploadStatus::Failed {
        let retry = dom::element("button", text::RETRY, &[("type", "button")]);
        let request = RetryUpload {
            search_id: search_id.to_owned(),
            candidate_id: candidate_id.to_owned(),
        };
        let on_click = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            // Only the recruiter's own click: a page script's click() or dispatchEvent is not.
            if !event.is_trusted() {
                return;
            }
            let request = request.clone();
            wasm_bindgen_futures::spawn_local(async move {
                // As before: only a worker that does not answer is reported here.
                if let Err(AskError::Unavailable) = ask_worker(request).await {
                    super::notice::show(text::EXTENSION_UNAVAILABLE);
                }
            });
        });
        retry
            .add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())
            .ok();
        // One closure per render of a failed record; failures are rare and re-renders few.
        on_click.forget();
        shadow.append_child(&retry).ok();
    }
}

/// Our host for `candidate_id` inside a card, or right after the profile heading. A host left
/// from another candidate (the page kept the element and changed its content, as an SPA
/// navigating between profiles does) is removed.
fn existing_host(anchor: &Element, candidate_id: &str) -> Option<Element> {
    let selector = format!("[{HOST_ATTRIBUTE}]");
    let host = if anchor
        .matches("article, [role=\"article\"]")
        .unwrap_or(false)
    {
        anchor.query_selector(&selector).ok().flatten()
    } else {
        anchor
            .next_element_sibling()
            .filter(|next| next.has_attribute(HOST_ATTRIBUTE))
    }?;
    if host.get_attribute(HOST_ATTRIBUTE).as_deref() == Some(candidate_id) {
        Some(host)
    } else {
        host.remove();
        None
    }
}

fn new_host(anchor: &Element, candidate_id: &str) -> Element {
    let host = dom::element("div", "", &[(HOST_ATTRIBUTE, candidate_id)]);
    if host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .is_ok()
    {
        if anchor
            .matches("article, [role=\"article\"]")
            .unwrap_or(false)
        {
            anchor.append_child(&host).ok();
        } else {
            anchor.after_with_node_1(&host).ok();
        }
    }
    host
}

/// The profile's "Send to Ashby" button: "Send again…" once sent for this search, disabled
/// while an upload is queued or sending (the status beside it says which).
fn profile_button(record: Option<&UploadRecord>) -> Element {
    let (label, disabled) = match record.map(|r| r.status) {
        Some(UploadStatus::Queued | UploadStatus::Sending) => (text::SEND_TO_ASHBY, true),
        Some(UploadStatus::Sent) => (text::SEND_AGAIN, false),
        _ => (text::SEND_TO_ASHBY, false),
    };
    let button = dom::element("button", label, &[("type", "button"), ("class", "send")]);
    if disabled {
        button.set_attribute("disabled", "").ok();
    }
    PROFILE_CLICK.with(|handler| {
        button
            .add_event_listener_with_callback("click", handler.as_ref().unchecked_ref())
            .ok()
    });
    button
}

thread_local! {
    /// One click handler shared by every profile button ever drawn (redraws add none).
    static PROFILE_CLICK: Closure<dyn FnMut(web_sys::Event)> =
        Closure::new(|event: web_sys::Event| {
            // Only the recruiter's own click (mouse, or Enter/Space on the focused button): a
            // page script's click() or dispatchEvent is not trusted and does nothing.
            if !event.is_trusted() {
                return;
            }
            let button = event
                .current_target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlElement>().ok());
            wasm_bindgen_futures::spawn_local(super::send_dialog::open_for_profile(button));
        });
}

/// The profile's Send button, where focus returns when its button was redrawn meanwhile.
pub fn profile_button_element() -> Option<web_sys::HtmlElement> {
    let heading = page_reader::profile_heading()?;
    let host = heading
        .next_element_sibling()
        .filter(|next| next.has_attribute(HOST_ATTRIBUTE))?;
    host.shadow_root()?
        .query_selector("button.send")
        .ok()
        .flatten()?
        .dyn_into()
        .ok()
}

const STATUS_CSS: &str = "\
:host{all:initial;display:flex;flex-wrap:wrap;align-items:center;gap:6px 8px;margin:6px 0;\
font:13px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif}\
div{font:13px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;padding:4px 8px;border-radius:6px;\
display:inline-block;overflow-wrap:anywhere}\
.sent{background:#ecfdf5;color:#065f46}.pending{background:#eff6ff;color:#1e40af}\
.failed{background:#fef2f2;color:#991b1b}.skipped{background:#f4f4f5;color:#3f3f46}a{color:inherit;font-weight:600}\
button{font:13px/1.4 system-ui,sans-serif;padding:3px 10px;border-radius:6px;border:0;\
background:#991b1b;color:#fff;cursor:pointer}button.send{order:-1;background:#4f46e5}\
button[disabled]{opacity:.55;cursor:default}:focus-visible{outline:3px solid #a5b4fc;outline-offset:2px}";
