//! The thin browser shell shared by the surfaces: the crate's only `extern` bindings (one
//! module per browser API), wrapped as typed functions, and conversions between Rust values
//! and JS objects. No logic lives here; it is covered end to end in Chromium.

// Each binding is compiled for the surfaces that use it, so a surface's unused bindings are
// an error (dead code), not silently carried along.
#[cfg(feature = "background")]
pub mod alarms;
#[cfg(feature = "content")]
pub mod card_dom;
#[cfg(feature = "background")]
pub mod fetch;
#[cfg(any(feature = "background", feature = "popup"))]
pub mod global;
#[cfg(feature = "background")]
pub mod indexed_db;
#[cfg(any(feature = "popup", feature = "send"))]
pub mod long_text;
#[cfg(feature = "popup")]
pub mod permissions;
pub mod runtime;
#[cfg(any(feature = "background", feature = "content", feature = "popup"))]
pub mod storage;
#[cfg(any(feature = "background", feature = "popup"))]
pub mod tabs;

use wasm_bindgen::JsValue;

// No serde encoder in any wasm: what a surface sends and stores is written as JSON text by the
// hand-written encoders of `crate::json_writer` and crosses once, through `JSON.parse`
// (derived `Serialize` impls were ~57 KB of the worker's wasm with serde_json's serializer,
// and the pages' with serde-wasm-bindgen's). The worker holds its storage as
// `serde_json::Value`, read from JSON text by `crate::json_text`. Every surface decodes
// without serde: a value crosses once as JSON text and is read by the hand-written
// `crate::from_json` decoders (derived `Deserialize` impls with serde's error text were a
// fifth of their wasm). chrome.runtime messages and chrome.storage values are JSON either way.

/// JS value → JSON, the form the worker's storage layer works in. `undefined` reads as
/// `null`. (Typed values are read by [`decode_js`]: no serde visitors in the worker.)
#[cfg(feature = "background")]
pub fn json_from_js(value: &JsValue) -> Result<serde_json::Value, JsValue> {
    if value.is_undefined() {
        return Ok(serde_json::Value::Null);
    }
    match json_of(value) {
        Ok(json) => Ok(json.to_value()),
        Err(mismatch) => Err(JsValue::from_str(mismatch.0)),
    }
}

/// A JS object's members as JSON (what `chrome.storage`'s `get` answers); anything else is an
/// error.
#[cfg(feature = "background")]
pub fn members_from_js(
    value: &JsValue,
) -> Result<std::collections::BTreeMap<String, serde_json::Value>, JsValue> {
    match json_from_js(value)? {
        serde_json::Value::Object(members) => Ok(crate::sorting::map_of(members)),
        _ => Err(JsValue::from_str("expected an object")),
    }
}

/// A value with a hand-written encoder ([`crate::json_writer`]) → plain JS object, as
/// chrome.* APIs expect: it crosses once, as JSON text. Every surface sends and stores
/// everything this way (no serde encoder in any wasm).
pub fn json_to_js<T: crate::json_writer::WriteJson + ?Sized>(
    value: &T,
) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&value.json_text())
}

#[cfg(any(feature = "background", feature = "popup"))]
/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[cfg(any(feature = "background", feature = "content", feature = "popup"))]
/// A JS value decoded with its hand-written [`crate::from_json::FromJson`]: it crosses once,
/// as JSON text (`undefined` and other values JSON cannot hold are refused).
pub fn decode_js<T: crate::from_json::FromJson>(
    value: &JsValue,
) -> Result<T, crate::from_json::Mismatch> {
    T::from_json(&json_of(value)?)
}

/// A JS value as [`crate::json_text::Json`], through `JSON.stringify`.
fn json_of(value: &JsValue) -> Result<crate::json_text::Json, crate::from_json::Mismatch> {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
        .and_then(|text| crate::json_text::Json::parse(&text))
        .ok_or(crate::from_json::Mismatch("a JSON value"))
}

#[cfg(any(
    feature = "content",
    feature = "popup",
    feature = "options",
    feature = "send"
))]
/// Sends a request to the worker and decodes the reply it gets: its own reply type, or why
/// there is none. The reply crosses once, as JSON text, and is read by the hand-written
/// [`crate::from_json`] decoders, so no serde `Deserialize` enters a page's wasm.
pub async fn ask_worker<R: crate::messages::Request>(
    request: R,
) -> Result<R::Reply, crate::messages::AskError> {
    use crate::from_json::FromJson;
    use crate::messages::Reply;
    let json = ask_for_reply(json_to_js(&request.into_message()), R::Reply::TAG).await?;
    R::Reply::from_json(&json).map_err(|_| crate::messages::AskError::Unavailable)
}

#[cfg(any(
    feature = "content",
    feature = "popup",
    feature = "options",
    feature = "send"
))]
/// [`ask_worker`]'s round trip, not generic: one copy of it for every request type (each
/// request's own future holds only the encoding and the body's decoding).
async fn ask_for_reply(
    message: Result<JsValue, JsValue>,
    reply_tag: &'static str,
) -> Result<crate::json_text::Json, crate::messages::AskError> {
    use crate::from_json::FromJson;
    use crate::messages::{AskError, ReplyHeader};
    let message = message.map_err(|_| AskError::Unavailable)?;
    let reply = runtime::send_message(&message)
        .await
        .map_err(|_| AskError::Unavailable)?;
    let json = json_of(&reply).map_err(|_| AskError::Unavailable)?;
    // The header first (the type, an error's problem), then only the body this request gets.
    ReplyHeader::from_json(&json)
        .map_err(|_| AskError::Unavailable)?
        .expect_tag(reply_tag)?;
    Ok(json)
}

#[cfg(any(
    feature = "content",
    feature = "popup",
    feature = "options",
    feature = "send"
))]
/// What the recruiter reads when a request got no reply of its type.
impl From<crate::messages::AskError> for String {
    fn from(error: crate::messages::AskError) -> String {
        match error {
            crate::messages::AskError::Failed(problem) => crate::text::worker_problem(&problem),
            crate::messages::AskError::Unavailable => crate::text::EXTENSION_UNAVAILABLE.to_owned(),
        }
    }
}
