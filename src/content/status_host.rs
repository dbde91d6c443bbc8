//! Where the upload status is drawn: our host element inside each candidate card, or right
//! after the profile heading, its content in a shadow root. Shared by the status feature that
//! draws it and the Send dialog, which returns focus to the profile's Send button in it.

use super::{dom, page_reader};
use wasm_bindgen::JsCast;
use web_sys::{Element, ShadowRootInit, ShadowRootMode};

/// Marks our host element inside a card or profile (its value is the candidate's id).
pub const HOST_ATTRIBUTE: &str = "data-fetcher-ashby-status";
const HOST: &str = "[data-fetcher-ashby-status]";

/// Our host for `candidate_id` inside a card, or right after the profile heading. A host left
/// from another candidate (the page kept the element and changed its content, as an SPA
/// navigating between profiles does) is removed.
pub fn existing(anchor: &Element, candidate_id: &str) -> Option<Element> {
    let host = if is_card(anchor) {
        anchor.query_selector(HOST).ok().flatten()
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

/// A new host for `candidate_id`: inside the card, or right after the profile heading.
pub fn new(anchor: &Element, candidate_id: &str) -> Element {
    // A div: the card reader (`card_dom`) looks for hosts among divs only.
    let host = dom::element("div", "", &[(HOST_ATTRIBUTE, candidate_id)]);
    // Its insertion is ours, not a change of the page to read again.
    crate::browser::card_dom::own_host(&host);
    if host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .is_ok()
    {
        if is_card(anchor) {
            anchor.append_child(&host).ok();
        } else {
            anchor.after_with_node_1(&host).ok();
        }
    }
    host
}

fn is_card(anchor: &Element) -> bool {
    anchor
        .matches("article, [role=\"article\"]")
        .unwrap_or(false)
}

/// The profile's Send button, where focus returns when its button was redrawn meanwhile.
pub fn profile_button() -> Option<web_sys::HtmlElement> {
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
