//! The background service worker: the only code that holds the API key and calls Ashby.
//!
//! MV3 stops the worker when idle, so it keeps no state in memory that matters: everything
//! lives in `chrome.storage.local`. The JS shim (`extension/background.js`) registers the
//! listeners synchronously at start and forwards to the exports below once wasm is ready.

mod connection;
mod fetch_transport;

use crate::browser::{chrome, from_js, now_ms, to_js};
use crate::messages::{classify_sender, ContentToWorker, Incoming, UiToWorker, WorkerReply};
use crate::text;
use std::cell::Cell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// When this worker instance started; replies to `Ping` carry it so restarts are visible.
    static STARTED_AT: Cell<f64> = const { Cell::new(0.0) };
}

/// Called once by the shim after the wasm module is instantiated.
#[wasm_bindgen]
pub fn start_background() {
    STARTED_AT.with(|started| started.set(now_ms()));
}

/// Handles one `chrome.runtime.onMessage` message; the reply goes back through `sendResponse`.
#[wasm_bindgen]
pub async fn handle_message(message: JsValue, sender: JsValue) -> Result<JsValue, JsValue> {
    let reply = match accept(message, &sender) {
        Some(Incoming::Ui(request)) => handle_ui(request).await,
        Some(Incoming::Content(report)) => handle_content(report).await,
        None => WorkerReply::Error {
            message: text::MESSAGE_REFUSED.into(),
        },
    };
    to_js(&reply)
}

/// Applies the sender allow-list and the message schema; anything else is dropped.
fn accept(message: JsValue, sender: &JsValue) -> Option<Incoming> {
    let field = |name: &str| js_sys::Reflect::get(sender, &name.into()).ok();
    let sender_id = field("id").and_then(|v| v.as_string());
    let sender_url = field("url").and_then(|v| v.as_string());
    let from_tab = field("tab").is_some_and(|tab| tab.is_object());
    let kind = classify_sender(
        &chrome::runtime_id()?,
        sender_id.as_deref(),
        sender_url.as_deref(),
        from_tab,
    )?;
    let incoming: Incoming = from_js(message).ok()?;
    incoming.allowed_from(kind).then_some(incoming)
}

async fn handle_ui(request: UiToWorker) -> WorkerReply {
    match request {
        UiToWorker::Ping => WorkerReply::Pong {
            version: env!("CARGO_PKG_VERSION").into(),
            started_at: STARTED_AT.with(Cell::get),
        },
        UiToWorker::Connect { api_key } => connection::connect(api_key).await,
        UiToWorker::ConnectionStatus => connection::status().await,
        UiToWorker::Disconnect => connection::disconnect().await,
    }
}

async fn handle_content(report: ContentToWorker) -> WorkerReply {
    match report {
        ContentToWorker::Hello { .. } => WorkerReply::Ok,
        ContentToWorker::SendReadiness => WorkerReply::Readiness {
            connected: connection::is_connected().await,
        },
    }
}
