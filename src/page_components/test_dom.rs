//! DOM helpers that every Leptos page's browser tests (wasm-bindgen-test in headless Chromium)
//! use; the popup's and the Send dialog's typing and reading helpers are in `test_input`.

use wasm_bindgen::JsCast;

/// A fresh element in the test page to mount into.
pub fn host() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    host
}

/// The text of the first element `selector` matches (a test fails when there is none).
pub fn text_of(host: &web_sys::HtmlElement, selector: &str) -> String {
    host.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .text_content()
        .unwrap_or_default()
}

/// The element that has focus (a test fails when none has).
pub fn focused() -> web_sys::Element {
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .expect("an element has focus")
}
