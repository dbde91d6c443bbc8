//! The worker's storage layer, below every other worker module: typed reads and writes of
//! `chrome.storage.local` and `.session`, the upload queue's [`Store`] over `.local`, and the
//! migration gate (storage is brought to the current schema once per worker instance before
//! anything reads it). The layout and every rule are in the pure [`crate::storage_schema`].

use super::quota;
use crate::browser::storage::{local, session};
use crate::browser::{decode_js, json_from_js, json_to_js, members_from_js, now_ms};
use crate::from_json::FromJson;
use crate::storage_schema::{self as schema, StorageReport};
use crate::upload::store::{Store, StoreError};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::BTreeMap;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Every key in `chrome.storage.local`, as JSON.
pub async fn local_all() -> Result<BTreeMap<String, Value>, JsValue> {
    members_from_js(&local::get_all().await?)
}

/// The `.local` values whose keys `wanted` picks from the list of every key stored: only those
/// are read when the browser lists keys (`getKeys`), so a reader of a few small keys does not
/// pay for the job cache and the outbox; where it cannot, everything is read and picked from.
pub async fn local_picked(
    wanted: fn(&[String]) -> Vec<String>,
) -> Result<BTreeMap<String, Value>, JsValue> {
    match local::keys(None).await {
        Ok(stored) => {
            let keys = wanted(&stored);
            if keys.is_empty() {
                return Ok(BTreeMap::new());
            }
            members_from_js(&local::get_many(&keys).await?)
        }
        Err(_) => {
            let mut all = local_all().await?;
            let stored: Vec<String> = all.keys().cloned().collect();
            let wanted = wanted(&stored);
            let keep = crate::sorting::set_of(wanted.iter().map(String::as_str));
            all.retain(|key, _| keep.contains(&key.as_str()));
            Ok(all)
        }
    }
}

/// Writes several keys in one batch.
pub async fn local_set_many(items: &[(String, Value)]) -> Result<(), JsValue> {
    if items.is_empty() {
        return Ok(());
    }
    let object = js_sys::Object::new();
    for (key, value) in items {
        js_sys::Reflect::set(&object, &JsValue::from_str(key), &json_to_js(value)?)?;
    }
    local::set_many(&object).await
}

/// One `.local` value decoded, `None` when absent or unreadable (never an error).
pub async fn local_read<T: FromJson>(key: &str) -> Option<T> {
    let value = local::get(key).await.ok()?;
    if value.is_undefined() {
        return None;
    }
    decode_js(&value).ok()
}

pub async fn local_write<T: crate::json_writer::WriteJson>(
    key: &str,
    value: &T,
) -> Result<(), JsValue> {
    local::set(key, &json_to_js(value)?).await
}

/// Several `.local` values in one storage read (absent ones are not in the map; a failed read
/// is an empty map, as if nothing were stored). Asked before this returns, so the read runs
/// while the caller awaits something else.
pub fn local_many(keys: &[&str]) -> impl std::future::Future<Output = BTreeMap<String, Value>> {
    let asked = local::get_many_now(keys);
    async move {
        match asked {
            Ok(read) => match read.await {
                Ok(found) => members_from_js(&found).unwrap_or_default(),
                Err(_) => BTreeMap::new(),
            },
            Err(_) => BTreeMap::new(),
        }
    }
}

/// One `.local` value as JSON, `None` when absent or unreadable; a string is taken as it is
/// (no round trip through JSON text in JS).
pub async fn local_json(key: &str) -> Option<Value> {
    let value = local::get(key).await.ok()?;
    if value.is_undefined() {
        return None;
    }
    match value.as_string() {
        Some(text) => Some(Value::String(text)),
        None => json_from_js(&value).ok(),
    }
}

/// One `.local` string, read as it is (no decoding); `None` when absent or not a string.
pub async fn local_string(key: &str) -> Option<String> {
    local::get(key).await.ok()?.as_string()
}

pub async fn local_write_string(key: &str, value: &str) -> Result<(), JsValue> {
    local::set(key, &JsValue::from_str(value)).await
}

/// One `.local` number, read as it is; `None` when absent or not a number.
pub async fn local_number(key: &str) -> Option<f64> {
    local::get(key).await.ok()?.as_f64()
}

pub async fn local_write_number(key: &str, value: f64) -> Result<(), JsValue> {
    local::set(key, &JsValue::from_f64(value)).await
}

pub async fn local_remove<K: AsRef<str>>(keys: &[K]) -> Result<(), JsValue> {
    local::remove(keys).await
}

/// One `chrome.storage.session` string.
pub async fn session_read(key: &str) -> Option<String> {
    session::get(key).await.ok()?.as_string()
}

pub async fn session_write(key: &str, value: &str) -> Result<(), JsValue> {
    session::set(key, &JsValue::from_str(value))?
        .await
        .map(drop)
}

/// Issues a `chrome.storage.session` string write now; the future says how it went.
pub fn session_write_now(
    key: &str,
    value: &str,
) -> Result<wasm_bindgen_futures::JsFuture, JsValue> {
    session::set(key, &JsValue::from_str(value))
}

pub async fn session_delete(key: &str) -> Result<(), JsValue> {
    session::remove(key).await
}

/// [`Store`] over `chrome.storage.local`, batching each call into one storage operation. Its
/// writes tell [`quota`] whether storage is full.
pub struct ChromeStore;

fn store_error(error: JsValue) -> StoreError {
    StoreError(format!("{error:?}"))
}

impl Store for ChromeStore {
    async fn get(&self, keys: &[String]) -> Result<BTreeMap<String, Value>, StoreError> {
        let found = local::get_many(keys).await.map_err(store_error)?;
        members_from_js(&found).map_err(store_error)
    }

    async fn set(&self, items: Vec<(String, Value)>) -> Result<(), StoreError> {
        let map: BTreeMap<String, Value> = crate::sorting::map_of(items);
        let object = json_to_js(&map).map_err(store_error)?;
        match local::set_many(&object).await {
            Ok(()) => {
                quota::write_succeeded();
                Ok(())
            }
            Err(error) => {
                quota::write_failed(&error);
                Err(store_error(error))
            }
        }
    }

    async fn remove(&self, keys: &[String]) -> Result<(), StoreError> {
        local::remove(keys).await.map_err(store_error)
    }
}

thread_local! {
    /// The migration of this worker instance, shared by every caller of [`ready`].
    static MIGRATION: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// Waits until storage is at the current schema version (migrating once per worker instance).
/// Never fails: a migration that cannot run is retried by the next worker instance.
pub async fn ready() {
    let promise = MIGRATION.with(|slot| {
        slot.borrow_mut()
            .get_or_insert_with(|| {
                wasm_bindgen_futures::future_to_promise(async {
                    migrate().await;
                    Ok(JsValue::UNDEFINED)
                })
            })
            .clone()
    });
    let _ = JsFuture::from(promise).await;
}

async fn migrate() {
    let version = local::get(schema::SCHEMA_VERSION_KEY).await.ok();
    if version.and_then(|v| v.as_f64()) == Some(schema::CURRENT_VERSION as f64) {
        return;
    }
    let Ok(all) = local_all().await else {
        return;
    };
    let plan = schema::migrate(&all);
    let mut writes = plan.set.clone();
    if !plan.problems.is_empty() {
        let report = StorageReport {
            at_ms: crate::domain::EpochMs::from_clock(now_ms()),
            problems: plan.problems.clone(),
        };
        // Logged as the stored report's JSON: no Debug formatting in the worker's wasm.
        web_sys::console::warn_2(
            &JsValue::from_str("fetcher-ashby: storage reset:"),
            &json_to_js(&plan.problems).unwrap_or_default(),
        );
        writes.push((schema::REPORT.into(), crate::to_json::value(&report)));
    }
    // Values first, then removals: a worker stopped in between leaves only stale keys behind,
    // which the next migration removes.
    if local_set_many(&writes).await.is_ok() && !plan.remove.is_empty() {
        let _ = local::remove(&plan.remove).await;
    }
}
