//! The thin browser shell shared by the surfaces: chrome.* bindings and conversions between
//! Rust values and JS objects. No logic lives here; it is covered end to end in Chromium.

pub mod chrome;

use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::JsValue;

/// Rust value → plain JS object (maps as objects, not `Map`), as chrome.* APIs expect.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(JsValue::from)
}

/// JS value → Rust value; a shape mismatch is an error, never a panic.
pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(JsValue::from)
}

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Sends a request to the worker and decodes its reply; failures become a recruiter-facing text.
pub async fn ask_worker<M: Serialize>(message: &M) -> Result<crate::messages::WorkerReply, String> {
    let unavailable = |_| crate::text::EXTENSION_UNAVAILABLE.to_owned();
    let message = to_js(message).map_err(unavailable)?;
    let reply = chrome::send_message(&message).await.map_err(unavailable)?;
    from_js(reply).map_err(unavailable)
}
