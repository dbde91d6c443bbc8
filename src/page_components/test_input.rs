//! DOM helpers for the popup's and the Send dialog's browser tests: awaiting Leptos, typing,
//! pressing keys, reading the combobox. The ones the options page shares are in
//! `page_components::test_dom`.

pub use crate::page_components::test_dom::{host, text_of};
use wasm_bindgen::JsCast;

/// Ticks of Leptos's executor [`next_tick`] waits: each runs every task queued before it, and
/// a task a component spawns (a worker request, a resource) queues at most a few more.
const TICKS: usize = 8;

/// Lets Leptos run what is waiting (spawned tasks, effects, the DOM updates they make) by
/// awaiting its executor, not a clock.
pub async fn next_tick() {
    for _ in 0..TICKS {
        leptos::task::tick().await;
    }
}

pub fn job(id: &str, title: &str, status: &str) -> crate::messages::JobChoice {
    crate::messages::JobChoice {
        id: id.into(),
        title: title.into(),
        status: status.into(),
        location: Some("Berlin".into()),
        department: None,
    }
}

pub fn set_value(host: &web_sys::HtmlElement, selector: &str, value: &str, event: &str) {
    let element = host.query_selector(selector).unwrap().unwrap();
    js_sys::Reflect::set(&element, &"value".into(), &value.into()).unwrap();
    // A bubbling event, as a user's input makes (Leptos may delegate listeners).
    let dispatch = js_sys::Function::new_with_args(
        "element, type",
        "element.dispatchEvent(new Event(type, { bubbles: true }))",
    );
    dispatch
        .call2(&wasm_bindgen::JsValue::NULL, &element, &event.into())
        .unwrap();
}

/// Types into the combobox as a user does: the value changes, then `input` fires.
pub fn type_into(host: &web_sys::HtmlElement, selector: &str, value: &str) {
    set_value(host, selector, value, "input");
}

pub fn press(host: &web_sys::HtmlElement, selector: &str, key: &str) -> bool {
    let element = host.query_selector(selector).unwrap().unwrap();
    let dispatch = js_sys::Function::new_with_args(
        "element, key",
        "return element.dispatchEvent(new KeyboardEvent('keydown', \
         { key, bubbles: true, cancelable: true }))",
    );
    // `false` when the handler called preventDefault.
    dispatch
        .call2(&wasm_bindgen::JsValue::NULL, &element, &key.into())
        .unwrap()
        .as_bool()
        .unwrap()
}

pub fn option_texts(host: &web_sys::HtmlElement) -> Vec<String> {
    let options = host.query_selector_all("[role=option]").unwrap();
    (0..options.length())
        .map(|i| options.item(i).unwrap().text_content().unwrap())
        .collect()
}

pub fn attribute(host: &web_sys::HtmlElement, selector: &str, name: &str) -> Option<String> {
    host.query_selector(selector)
        .unwrap()
        .unwrap()
        .get_attribute(name)
}

pub fn input_value(host: &web_sys::HtmlElement, selector: &str) -> String {
    let input: web_sys::HtmlInputElement = host
        .query_selector(selector)
        .unwrap()
        .unwrap()
        .unchecked_into();
    input.value()
}

#[cfg(feature = "popup")] // only the popup's tests click
pub fn click(host: &web_sys::HtmlElement, selector: &str) {
    let element: web_sys::HtmlElement = host
        .query_selector(selector)
        .unwrap()
        .unwrap()
        .unchecked_into();
    element.click();
}
