//! The worker's last answers to the popup's two opening questions (the connection and the
//! "Ashby Sync" list), kept in `chrome.storage.session` so the next popup shows them at once,
//! from storage, while its own questions wait for this worker (which may have to start first).
//! The worker's fresh answer then replaces what was shown.
//!
//! `.session`: nothing here is secret (never the key), but it stays out of content scripts'
//! reach and ends with the browser session, like a key kept only for the session.

use super::fetch_transport::generation;
use super::storage;
use crate::json_writer::WriteJson;
use crate::messages::{Answer, ConnectionView, SearchesView};
use crate::storage_schema::keys::{POPUP_CONNECTION, POPUP_SEARCHES};

/// Keeps a connection answer computed under connection generation `asked_under`; an answer
/// computed across a Disconnect (the generation moved on) is not kept, so a popup never
/// opens on a connection that was forgotten.
pub fn remember_connection(answer: &Answer<ConnectionView>, asked_under: u64) {
    if let Ok(view) = answer {
        if generation() == asked_under {
            keep(POPUP_CONNECTION, view);
        }
    }
}

/// Keeps an "Ashby Sync" answer.
pub fn remember_searches(answer: &Answer<SearchesView>) {
    if let Ok(view) = answer {
        keep(POPUP_SEARCHES, view);
    }
}

/// Forgets the connection shown (Disconnect).
pub async fn forget_connection() {
    let _ = storage::session_delete(POPUP_CONNECTION).await;
}

/// Forgets the searches shown (their settings were forgotten).
pub async fn forget_searches() {
    let _ = storage::session_delete(POPUP_SEARCHES).await;
}

/// Writes in the background: the answer goes back without waiting for it. The write is
/// issued now, so a later forget is applied after it. A failed write only costs the next
/// popup its head start.
fn keep<T: WriteJson>(key: &'static str, view: &T) {
    if let Ok(write) = storage::session_write_now(key, &crate::to_json::text(view)) {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = write.await;
        });
    }
}
