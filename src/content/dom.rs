//! Small DOM helpers for reading pages the way a screen reader does.

use std::cell::Cell;
use std::thread::LocalKey;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Node, Window};

pub fn window() -> Window {
    web_sys::window().expect("content scripts run in a window")
}

pub fn document() -> Document {
    window().document().expect("a window has a document")
}

/// Runs `work` in a task of its own `delay_ms` from now, once however often it is asked for
/// before then (`pending` says it is asked for).
pub fn run_later(pending: &'static LocalKey<Cell<bool>>, delay_ms: i32, work: fn()) {
    if pending.with(|p| p.replace(true)) {
        return;
    }
    let run = Closure::once_into_js(move || {
        pending.with(|p| p.set(false));
        work();
    });
    let _ = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(run.unchecked_ref(), delay_ms);
}

/// Elements with this ARIA role inside `root`, `root` included.
pub fn with_role(root: &Element, role: &str) -> Vec<Element> {
    let selector = format!("[role=\"{role}\"]");
    let mut found = Vec::new();
    if root.matches(&selector).unwrap_or(false) {
        found.push(root.clone());
    }
    if let Ok(list) = root.query_selector_all(&selector) {
        found.extend((0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()));
    }
    found
}

/// The element form of a node, if it is one.
pub fn as_element(node: Node) -> Option<Element> {
    node.dyn_into::<Element>().ok()
}

/// Creates an element with text (never markup) and attributes.
pub fn element(tag: &str, text: &str, attributes: &[(&str, &str)]) -> Element {
    let element = document().create_element(tag).expect("valid tag name");
    element.set_text_content(Some(text));
    for (name, value) in attributes {
        let _ = element.set_attribute(name, value);
    }
    element
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn page_text_stays_text() {
        let hostile = "<img src=x onerror=\"window.__xss=1\">";
        let element = element("span", hostile, &[("title", hostile)]);
        assert_eq!(element.child_element_count(), 0, "no markup was parsed");
        assert_eq!(element.text_content().as_deref(), Some(hostile));
    }

    #[wasm_bindgen_test]
    fn finds_roles_at_any_depth_including_the_root() {
        let root = element("div", "", &[("role", "menu")]);
        let wrapper = element("div", "", &[]);
        let item = element("div", "x", &[("role", "menu")]);
        wrapper.append_child(&item).unwrap();
        root.append_child(&wrapper).unwrap();
        assert_eq!(with_role(&root, "menu").len(), 2);
        assert_eq!(with_role(&wrapper, "menu").len(), 1);
        assert!(with_role(&wrapper, "dialog").is_empty());
    }
}

/// "Open in Ashby" for an Ashby profile URL (its type admits only Ashby's own app, so a record
/// in storage or an odd API answer cannot point elsewhere).
pub fn ashby_link(url: &crate::domain::AshbyProfileUrl) -> Element {
    element(
        "a",
        crate::text::OPEN_IN_ASHBY,
        &[
            ("href", url),
            ("target", "_blank"),
            ("rel", "noopener noreferrer"),
        ],
    )
}

/// A text node (page and API text always go in as text, never markup).
pub fn text(content: &str) -> web_sys::Text {
    document().create_text_node(content)
}
