//! Where a remembered API key lives: the extension origin's IndexedDB. It survives browser
//! restarts like `chrome.storage.local`, but content scripts cannot read it: they run in the
//! page's origin, so their `indexedDB` is Fetcher's, whereas Chrome lets content scripts read
//! `chrome.storage.local` (and `setAccessLevel` exists only for `.session`).

use crate::browser::indexed_db::KeyValueStore;
use wasm_bindgen::JsValue;

const VAULT: KeyValueStore = KeyValueStore {
    database: "fetcher-ashby-vault",
    store: "secrets",
};
/// The one record: the remembered key.
const RECORD: &str = "ashbyApiKey";

/// The remembered key, if any (`None` also when IndexedDB is unavailable).
pub async fn read() -> Option<String> {
    VAULT.get(RECORD).await.ok()?.as_string()
}

pub async fn write(key: &str) -> Result<(), JsValue> {
    VAULT.put(RECORD, &JsValue::from_str(key)).await
}

pub async fn forget() -> Result<(), JsValue> {
    VAULT.delete(RECORD).await
}
