//! Elements built by hand, for the parts of the pages drawn without Leptos views (see
//! `job_combobox` and the popup's notices). Text goes in as text, never as markup.

use leptos::prelude::document;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// A new `tag` element with `class` (none when empty) and `text` (none when empty).
pub fn element(tag: &str, class: &str, text: &str) -> Element {
    let element = document().create_element(tag).expect("a known tag");
    if !class.is_empty() {
        set(&element, "class", class);
    }
    if !text.is_empty() {
        element.set_text_content(Some(text));
    }
    element
}

pub fn set(element: &Element, name: &str, value: &str) {
    let _ = element.set_attribute(name, value);
}

/// Appends `child` to `parent` and returns it, to fill it in place.
pub fn append(parent: &Element, child: Element) -> Element {
    let _ = parent.append_child(&child);
    child
}

/// Removes every element under `parent` that `selector` finds.
pub fn remove_all(parent: &Element, selector: &str) {
    if let Ok(found) = parent.query_selector_all(selector) {
        for node in (0..found.length()).filter_map(|i| found.item(i)) {
            if let Some(element) = node.dyn_ref::<Element>() {
                element.remove();
            }
        }
    }
}
