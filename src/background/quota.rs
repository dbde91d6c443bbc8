//! A write refused because `chrome.storage.local` is full: remembered where a full `.local`
//! cannot stop it (`chrome.storage.session`, and this worker's memory), shown in the popup
//! with what to do, and answered by forgetting the oldest data at once. The forgetting is done
//! by the modules that own that data, above the storage layer: the worker's start registers
//! it here ([`when_full`]).

use crate::browser::now_ms;
use crate::browser::storage::session;
use std::cell::Cell;
use wasm_bindgen::JsValue;

/// Where the fact is kept (`chrome.storage.session`: out of `.local`'s quota), as the time in
/// ms, a number: formatting and parsing a float as text would bring ~15 KB of code into the
/// worker. (`.session` is emptied when the extension updates, so no older form is read.)
const STORAGE_FULL: &str = crate::storage_schema::keys::STORAGE_FULL_AT;

/// At most one emergency pruning per this long (a storm of failed writes prunes once).
const PRUNE_AT_MOST_EVERY_MS: f64 = 60_000.0;

/// Frees room in `.local` (given when storage was found full); spawned, not awaited.
pub type Prune = fn(f64);

thread_local! {
    static FULL_AT: Cell<Option<f64>> = const { Cell::new(None) };
    static PRUNED_AT: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
    static PRUNE: Cell<Option<Prune>> = const { Cell::new(None) };
}

/// Sets what a full storage triggers (once, when the worker starts).
pub fn when_full(prune: Prune) {
    PRUNE.with(|p| p.set(Some(prune)));
}

/// Whether a storage error is the quota (Chrome: "QUOTA_BYTES quota exceeded"; Firefox:
/// "QuotaExceededError").
pub fn is_quota_error(error: &str) -> bool {
    crate::substring::contains(&error.to_ascii_lowercase(), "quota")
}

/// Called with every failed write's error: a quota failure is recorded and old data pruned.
pub fn write_failed(error: &JsValue) {
    let message = error
        .as_string()
        .or_else(|| {
            js_sys::Reflect::get(error, &"message".into())
                .ok()?
                .as_string()
        })
        .unwrap_or_else(|| format!("{error:?}"));
    if !is_quota_error(&message) {
        return;
    }
    let at = now_ms();
    FULL_AT.with(|f| f.set(Some(at)));
    let prune = PRUNED_AT.with(|p| {
        let due = at - p.get() >= PRUNE_AT_MOST_EVERY_MS;
        if due {
            p.set(at);
        }
        due
    });
    let prune = prune.then(|| PRUNE.with(Cell::get)).flatten();
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(write) = session::set(STORAGE_FULL, &JsValue::from_f64(at)) {
            let _ = write.await;
        }
        if let Some(prune) = prune {
            prune(at);
        }
    });
}

/// A write succeeded after a quota failure: storage has room again.
pub fn write_succeeded() {
    if FULL_AT.with(std::cell::Cell::take).is_some() {
        wasm_bindgen_futures::spawn_local(async {
            let _ = session::remove(STORAGE_FULL).await;
        });
    }
}

/// When a write last failed for the quota, if none has succeeded since.
pub async fn full_since() -> Option<f64> {
    if let Some(at) = FULL_AT.with(Cell::get) {
        return Some(at);
    }
    session::get(STORAGE_FULL).await.ok()?.as_f64()
}
