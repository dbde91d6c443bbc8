//! Connecting to Ashby: a key is saved only after Ashby accepts it (`apiKey.info`).

use super::fetch_transport::FetchTransport;
use crate::ashby::client::AshbyClient;
use crate::browser::{chrome::local, from_js, to_js};
use crate::messages::{ConnectionView, WorkerReply, MAX_API_KEY_LEN};
use crate::text;

/// Storage keys. The key itself is only ever read by the worker.
const API_KEY: &str = "ashbyApiKey";
const CONNECTION: &str = "ashbyConnection";

pub async fn connect(api_key: String) -> WorkerReply {
    let api_key = api_key.trim().to_owned();
    if api_key.is_empty() || api_key.len() > MAX_API_KEY_LEN || !api_key.is_ascii() {
        return error(text::API_KEY_MALFORMED);
    }
    let client = AshbyClient::new(FetchTransport, api_key.clone());
    let info = match client.api_key_info().await {
        Ok(info) => info,
        Err(failure) => return error(&text::ashby_error(&failure)),
    };
    let view = ConnectionView {
        connected: true,
        key_title: Some(info.title),
        scopes: info.scopes,
    };
    let saved = async {
        local::set(API_KEY, &api_key.into()).await?;
        local::set(CONNECTION, &to_js(&view)?).await
    };
    match saved.await {
        Ok(()) => WorkerReply::Connection(view),
        Err(_) => error(text::STORAGE_FAILED),
    }
}

pub async fn status() -> WorkerReply {
    let stored = local::get(CONNECTION)
        .await
        .ok()
        .filter(|v| !v.is_undefined());
    let view = stored
        .and_then(|value| from_js::<ConnectionView>(value).ok())
        .unwrap_or_default();
    WorkerReply::Connection(view)
}

pub async fn disconnect() -> WorkerReply {
    match local::remove(&[API_KEY, CONNECTION]).await {
        Ok(()) => WorkerReply::Ok,
        Err(_) => error(text::STORAGE_FAILED),
    }
}

fn error(message: &str) -> WorkerReply {
    WorkerReply::Error {
        message: message.to_owned(),
    }
}

/// Whether a key is saved (the key itself stays here).
pub async fn is_connected() -> bool {
    local::get(API_KEY)
        .await
        .is_ok_and(|key| key.as_string().is_some_and(|k| !k.is_empty()))
}
