//! Elements built by hand, for the parts of the pages drawn without Leptos views (see
//! `job_combobox`, the popup's notices and its search list). Text goes in as text, never as
//! markup.

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

/// A `type="button"` button appended to `parent`, with `class` (none when empty), `label` and
/// `id` (what a click handler on an ancestor tells it by: [`pressed_button_id`]). The popup's
/// hand-drawn parts have buttons; the Send dialog's picker has none.
#[cfg(feature = "popup")]
pub fn button(parent: &Element, class: &str, label: &str, id: &str) -> Element {
    let button = append(parent, element("button", class, label));
    set(&button, "type", "button");
    set(&button, "id", id);
    button
}

/// The id of the button a click landed in (on it or on its text), for one click handler on
/// the area a part draws by hand.
#[cfg(feature = "popup")]
pub fn pressed_button_id(event: &web_sys::MouseEvent) -> Option<String> {
    let target: Element = event.target()?.dyn_into().ok()?;
    Some(target.closest("button").ok()??.id())
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
