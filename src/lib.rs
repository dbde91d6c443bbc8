//! fetcher-ashby: send Fetcher candidates to Ashby.
//!
//! The crate is a pure core (no browser types, tested natively with `cargo test`) plus one thin
//! browser shell per extension surface. Each surface is compiled to its own wasm module by
//! enabling exactly one of the features `background`, `content`, `popup`, `options`, `send`.

// Text sliced by byte position (`&s[a..b]`) can panic, and that panic's message escapes a
// `char` with `Debug`, which links Unicode's printable tables into every wasm (9 to 12 KB
// each): use `get`, `split_at_checked`, `strip_prefix` or `crate::substring` (which also
// stands in for std's `&str` patterns, whose search reaches the same panic). Tests may slice.
#![cfg_attr(not(test), warn(clippy::string_slice))]
// Unsafe code lives in `heap` alone (the allocator), where every block says why it holds.
#![deny(unsafe_code)]

pub mod ashby;
pub mod automation;
pub mod domain;
pub mod fetcher;
pub mod from_json;
#[allow(unsafe_code)]
pub mod heap;
pub mod job_picker;
pub mod json_text;
pub mod json_writer;
pub mod keyed;
pub mod message_checks;
pub mod messages;
pub mod send_draft;
pub mod send_review;
pub mod sorting;
pub mod storage_schema;
pub mod substring;
pub mod text;
pub mod to_json;
pub mod upload;

// Shared by the surfaces; each binding is compiled only for the surfaces that use it.
#[cfg(feature = "browser")]
mod browser;

#[cfg(feature = "background")]
mod background;
#[cfg(feature = "content")]
mod content;
#[cfg(feature = "options")]
mod options;
// Views shared by the Leptos pages (each page's own views live in its module).
#[cfg(any(feature = "popup", feature = "options", feature = "send"))]
mod page_components;
#[cfg(feature = "popup")]
mod popup;
// The Send dialog, an extension page framed into Fetcher tabs. Its own wasm module: the popup,
// opened all day, does not carry it (~100 KB), nor the dialog the popup.
#[cfg(feature = "send")]
mod send_page;

// Browser-side unit tests (`cargo test --target wasm32-unknown-unknown`) run in headless
// Chromium through wasm-bindgen-test-runner.
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
