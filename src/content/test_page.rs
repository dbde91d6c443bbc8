//! Test-only page loading for the content script's browser tests: a fixture inserted through a
//! `<template>` (the markup is our own file), so its `<script>` elements stay inert and only
//! the code under test could make its payloads run. Each load replaces the previous fixture,
//! whichever test module loaded it, and never the test runner's own elements.

use super::dom;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlTemplateElement};

const FIXTURE_ID: &str = "fixture";

/// Replaces the fixture in the test page with `markup`; returns its holder.
pub fn load(markup: &str) -> Element {
    unload();
    let document = dom::document();
    let holder = document.create_element("div").unwrap();
    holder.set_id(FIXTURE_ID);
    let template: HtmlTemplateElement = document
        .create_element("template")
        .unwrap()
        .unchecked_into();
    template.set_inner_html(markup);
    holder.append_child(&template.content()).unwrap();
    document.body().unwrap().append_child(&holder).unwrap();
    holder
}

/// Removes the fixture, if one is loaded.
pub fn unload() {
    if let Some(old) = dom::document().get_element_by_id(FIXTURE_ID) {
        old.remove();
    }
}
