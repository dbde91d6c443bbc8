//! `chrome.storage`: `.local`, the durable store (readable by content scripts too), and
//! `.session`, kept until the browser closes (its default access level keeps it from content
//! scripts). Keys and values cross as plain JS; what they mean is the storage layer's business.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "local"], js_name = get, catch)]
    fn local_get(keys: &JsValue) -> Result<Promise, JsValue>;
    #[cfg(any(feature = "background", feature = "content"))]
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "local"], js_name = getKeys, catch)]
    fn local_get_keys() -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "local"], js_name = set, catch)]
    fn local_set(items: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "local"], js_name = remove, catch)]
    fn local_remove(keys: &JsValue) -> Result<Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["chrome", "storage", "session"], js_name = get, catch)]
    fn session_get(keys: &JsValue) -> Result<Promise, JsValue>;
    #[cfg(feature = "background")]
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "session"], js_name = set, catch)]
    fn session_set(items: &JsValue) -> Result<Promise, JsValue>;
    #[cfg(feature = "background")]
    #[wasm_bindgen(js_namespace = ["chrome", "storage", "session"], js_name = remove, catch)]
    fn session_remove(keys: &JsValue) -> Result<Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["chrome", "storage", "onChanged"], js_name = addListener, catch)]
    fn storage_on_changed_add_listener(callback: &js_sys::Function) -> Result<(), JsValue>;
}

#[cfg(any(feature = "background", feature = "content"))]
fn key_list<K: AsRef<str>>(keys: &[K]) -> js_sys::Array {
    keys.iter().map(|k| JsValue::from_str(k.as_ref())).collect()
}

#[cfg(feature = "background")]
/// `{ key: value }`.
fn one_item(key: &str, value: &JsValue) -> Result<JsValue, JsValue> {
    let items = js_sys::Object::new();
    js_sys::Reflect::set(&items, &JsValue::from_str(key), value)?;
    Ok(items.into())
}

/// One key from the answer to a `get` a page's boot script started before its wasm ran (the
/// key's value, `undefined` when absent); `None` when there is no such answer (no early
/// `get`, or it failed), so the key is asked for now.
#[cfg(feature = "popup")]
async fn from_asked(key: &str, asked: Option<Promise>) -> Option<JsValue> {
    let items = JsFuture::from(asked?).await.ok()?;
    if !items.is_object() {
        return None;
    }
    js_sys::Reflect::get(&items, &JsValue::from_str(key)).ok()
}

/// `chrome.storage.local`.
pub mod local {
    use super::*;

    #[cfg(any(feature = "background", feature = "popup"))]
    /// Reads one key; `undefined` when absent.
    pub async fn get(key: &str) -> Result<JsValue, JsValue> {
        let all = JsFuture::from(local_get(&JsValue::from_str(key))?).await?;
        js_sys::Reflect::get(&all, &JsValue::from_str(key))
    }

    /// [`get`], answered by `asked` when it is a `get` started earlier (see [`from_asked`]).
    #[cfg(feature = "popup")]
    pub async fn get_early(key: &str, asked: Option<Promise>) -> Result<JsValue, JsValue> {
        match from_asked(key, asked).await {
            Some(value) => Ok(value),
            None => get(key).await,
        }
    }

    /// Reads several keys in one operation: an object holding those that are stored.
    #[cfg(any(feature = "background", feature = "content"))]
    pub async fn get_many<K: AsRef<str>>(keys: &[K]) -> Result<JsValue, JsValue> {
        get_many_now(keys)?.await
    }

    /// [`get_many`], asked before this returns (the read runs while the caller awaits
    /// something else).
    #[cfg(any(feature = "background", feature = "content"))]
    pub fn get_many_now<K: AsRef<str>>(keys: &[K]) -> Result<JsFuture, JsValue> {
        Ok(JsFuture::from(local_get(&key_list(keys))?))
    }

    /// Every key stored (`getKeys`: Chrome 130, Firefox 143; an error where it is missing).
    /// `asked`: a `getKeys()` the loader started before the wasm was ready, if any (its
    /// answer is used when it is a list).
    #[cfg(any(feature = "background", feature = "content"))]
    pub async fn keys(asked: Option<Promise>) -> Result<Vec<String>, JsValue> {
        let early = match asked {
            Some(asked) => JsFuture::from(asked).await.ok(),
            None => None,
        };
        let keys = match early.filter(js_sys::Array::is_array) {
            Some(keys) => keys,
            None => JsFuture::from(local_get_keys()?).await?,
        };
        let keys: js_sys::Array = keys.dyn_into()?;
        Ok(keys.iter().filter_map(|key| key.as_string()).collect())
    }

    #[cfg(feature = "background")]
    /// Everything stored, as one object.
    pub async fn get_all() -> Result<JsValue, JsValue> {
        JsFuture::from(local_get(&JsValue::NULL)?).await
    }

    #[cfg(feature = "background")]
    pub async fn set(key: &str, value: &JsValue) -> Result<(), JsValue> {
        JsFuture::from(local_set(&one_item(key, value)?)?)
            .await
            .map(drop)
    }

    #[cfg(feature = "background")]
    /// Writes every property of `items` in one operation.
    pub async fn set_many(items: &JsValue) -> Result<(), JsValue> {
        JsFuture::from(local_set(items)?).await.map(drop)
    }

    #[cfg(feature = "background")]
    pub async fn remove<K: AsRef<str>>(keys: &[K]) -> Result<(), JsValue> {
        JsFuture::from(local_remove(&key_list(keys))?)
            .await
            .map(drop)
    }

    #[cfg(any(feature = "background", feature = "content"))]
    /// Calls `on_change(key, new_value)` for every change to `chrome.storage.local`
    /// (`new_value` is `undefined` when the key was removed). The listener lives as long as
    /// the page (or the worker instance).
    pub fn on_change(mut on_change: impl FnMut(String, JsValue) + 'static) {
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
}

#[cfg(any(feature = "background", feature = "popup"))]
/// `chrome.storage.session`.
pub mod session {
    use super::*;

    /// Reads one key; `undefined` when absent.
    pub async fn get(key: &str) -> Result<JsValue, JsValue> {
        let all = JsFuture::from(session_get(&JsValue::from_str(key))?).await?;
        js_sys::Reflect::get(&all, &JsValue::from_str(key))
    }

    /// [`get`], answered by `asked` when it is a `get` started earlier (see [`from_asked`]).
    #[cfg(feature = "popup")]
    pub async fn get_early(key: &str, asked: Option<Promise>) -> Result<JsValue, JsValue> {
        match from_asked(key, asked).await {
            Some(value) => Ok(value),
            None => get(key).await,
        }
    }

    /// Writes one key. The write is issued before this returns (so it is ordered before any
    /// later call), and the future only says how it went.
    #[cfg(feature = "background")]
    pub fn set(key: &str, value: &JsValue) -> Result<JsFuture, JsValue> {
        Ok(JsFuture::from(session_set(&one_item(key, value)?)?))
    }

    #[cfg(feature = "background")]
    pub async fn remove(key: &str) -> Result<(), JsValue> {
        JsFuture::from(session_remove(&JsValue::from_str(key))?)
            .await
            .map(drop)
    }
}
