//! Bindings to the few chrome.* APIs the extension uses. Promise-returning MV3 forms only.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = sendMessage, catch)]
    fn runtime_send_message(message: &JsValue) -> Result<Promise, JsValue>;

    #[wasm_bindgen(thread_local_v2, js_namespace = chrome, js_name = runtime)]
    static RUNTIME: JsValue;

    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = getURL, catch)]
    fn runtime_get_url_checked(path: &str) -> Result<String, JsValue>;

    #[wasm_bindgen(js_namespace = ["chrome", "storage", "local"], js_name = get, catch)]
    pub fn local_get(keys: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "local"], js_name = set, catch)]
    pub fn local_set(items: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "local"], js_name = remove, catch)]
    pub fn local_remove(keys: &JsValue) -> Result<Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["chrome", "storage", "onChanged"], js_name = addListener, catch)]
    fn storage_on_changed_add_listener(callback: &js_sys::Function) -> Result<(), JsValue>;
}

/// Calls `on_change(key, new_value)` for every change to `chrome.storage.local`
/// (`new_value` is `undefined` when the key was removed). The listener lives as long as the page.
pub fn on_local_storage_change(mut on_change: impl FnMut(String, JsValue) + 'static) {
    let callback =
        Closure::<dyn FnMut(JsValue, JsValue)>::new(move |changes: JsValue, area: JsValue| {
            if area.as_string().as_deref() != Some("local") {
                return;
            }
            let entries = js_sys::Object::entries(changes.unchecked_ref());
            for entry in entries.iter() {
                let pair: js_sys::Array = entry.unchecked_into();
                let key = pair.get(0).as_string().unwrap_or_default();
                let new_value = js_sys::Reflect::get(&pair.get(1), &"newValue".into())
                    .unwrap_or(JsValue::UNDEFINED);
                on_change(key, new_value);
            }
        });
    if storage_on_changed_add_listener(callback.as_ref().unchecked_ref()).is_ok() {
        callback.forget();
    }
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "runtime", "onMessage"], js_name = addListener, catch)]
    fn runtime_on_message_add_listener(callback: &js_sys::Function) -> Result<(), JsValue>;
}

/// Calls `on_message(message)` for each message another part of this extension sends here
/// (content scripts receive them from the worker through `chrome.tabs.sendMessage`). Messages
/// from anywhere else are dropped.
pub fn on_extension_message(mut on_message: impl FnMut(JsValue) + 'static) {
    let callback = Closure::<dyn FnMut(JsValue, JsValue)>::new(move |message, sender: JsValue| {
        let sender_id = js_sys::Reflect::get(&sender, &"id".into())
            .ok()
            .and_then(|id| id.as_string());
        if sender_id.is_some() && sender_id == runtime_id() {
            on_message(message);
        }
    });
    if runtime_on_message_add_listener(callback.as_ref().unchecked_ref()).is_ok() {
        callback.forget();
    }
}

/// This extension's id (`chrome.runtime.id`). Read through the `chrome` binding, not the
/// global object: in a Firefox content script the global object has no `chrome`.
pub fn runtime_id() -> Option<String> {
    RUNTIME.with(|runtime| {
        js_sys::Reflect::get(runtime, &"id".into())
            .ok()?
            .as_string()
    })
}

/// This extension's own origin, `runtime.getURL("")`: `chrome-extension://<id>/` in Chrome,
/// `moz-extension://<per-install uuid>/` in Firefox. Empty when the API is missing.
pub fn own_origin() -> String {
    runtime_get_url("")
}

/// The full URL of one of the extension's own files (`runtime.getURL(path)`).
pub fn runtime_get_url(path: &str) -> String {
    runtime_get_url_checked(path).unwrap_or_default()
}

/// Sends a message to the worker and waits for its reply.
pub async fn send_message(message: &JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(runtime_send_message(message)?).await
}

/// `chrome.storage.local`: the durable store, readable only by this extension's own code.
pub mod local {
    use super::*;

    /// Reads one key; `undefined` when absent.
    pub async fn get(key: &str) -> Result<JsValue, JsValue> {
        let all = JsFuture::from(local_get(&JsValue::from_str(key))?).await?;
        js_sys::Reflect::get(&all, &JsValue::from_str(key))
    }

    pub async fn set(key: &str, value: &JsValue) -> Result<(), JsValue> {
        let items = js_sys::Object::new();
        js_sys::Reflect::set(&items, &JsValue::from_str(key), value)?;
        JsFuture::from(local_set(&items)?).await.map(drop)
    }

    pub async fn remove(keys: &[&str]) -> Result<(), JsValue> {
        let list: js_sys::Array = keys.iter().map(|k| JsValue::from_str(k)).collect();
        JsFuture::from(local_remove(&list)?).await.map(drop)
    }
}
