//! `chrome.tabs`, as far as the extension uses it without the `tabs` permission: host
//! permissions let it see which tabs are Fetcher's.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = query, catch)]
    fn tabs_query(query: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = sendMessage, catch)]
    fn tabs_send_message(tab_id: f64, message: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = sendMessage, catch)]
    fn tabs_send_message_with(
        tab_id: f64,
        message: &JsValue,
        options: &JsValue,
    ) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = getCurrent, catch)]
    fn tabs_get_current() -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "tabs"], js_name = update, catch)]
    fn tabs_update(tab_id: f64, properties: &JsValue) -> Result<Promise, JsValue>;
}

#[cfg(feature = "popup")]
/// A tab as far as the extension reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tab {
    pub id: Option<f64>,
    /// Absent when the extension may not read it.
    pub url: Option<String>,
    /// When the tab was last shown (0 when unknown).
    pub last_accessed_ms: f64,
}

#[cfg(feature = "popup")]
impl Tab {
    fn read(tab: &JsValue) -> Self {
        let field = |name: &str| js_sys::Reflect::get(tab, &name.into()).ok();
        Tab {
            id: field("id").and_then(|v| v.as_f64()),
            url: field("url").and_then(|v| v.as_string()),
            last_accessed_ms: field("lastAccessed")
                .and_then(|v| v.as_f64())
                .unwrap_or(0.0),
        }
    }
}

#[cfg(feature = "popup")]
/// Which tabs to list.
pub enum TabQuery<'a> {
    /// The active tab of the current window.
    ActiveInCurrentWindow,
    /// Tabs whose URL matches a match pattern.
    Url(&'a str),
}

#[cfg(feature = "popup")]
/// The tabs matching `query`. The browser is asked before this returns, so several queries
/// made one after another run at the same time.
pub fn query(
    query: TabQuery<'_>,
) -> impl std::future::Future<Output = Result<Vec<Tab>, JsValue>> + 'static {
    let asked = ask(query);
    async move {
        let tabs = JsFuture::from(asked?).await?;
        Ok(js_sys::Array::from(&tabs)
            .iter()
            .map(|tab| Tab::read(&tab))
            .collect())
    }
}

#[cfg(feature = "popup")]
fn ask(query: TabQuery<'_>) -> Result<Promise, JsValue> {
    let filter = js_sys::Object::new();
    match query {
        TabQuery::ActiveInCurrentWindow => {
            js_sys::Reflect::set(&filter, &"active".into(), &JsValue::TRUE)?;
            js_sys::Reflect::set(&filter, &"currentWindow".into(), &JsValue::TRUE)?;
        }
        TabQuery::Url(pattern) => {
            js_sys::Reflect::set(&filter, &"url".into(), &pattern.into())?;
        }
    }
    tabs_query(&filter)
}

#[cfg(feature = "popup")]
/// Whether this page runs in a tab of its own (`tabs.getCurrent` gives nothing in a toolbar
/// popup).
pub async fn in_own_tab() -> bool {
    match tabs_get_current() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .is_ok_and(|tab| !tab.is_undefined() && !tab.is_null()),
        Err(_) => false,
    }
}

#[cfg(feature = "popup")]
/// Sends a message to every frame's content script in a tab and waits for the first answer.
pub async fn send_message(tab_id: f64, message: &JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(tabs_send_message(tab_id, message)?).await
}

#[cfg(feature = "background")]
/// Sends a message to one frame's content script in a tab and waits for its answer.
pub async fn send_message_to_frame(
    tab_id: f64,
    frame_id: f64,
    message: &JsValue,
) -> Result<JsValue, JsValue> {
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"frameId".into(), &JsValue::from_f64(frame_id))?;
    JsFuture::from(tabs_send_message_with(tab_id, message, &options)?).await
}

#[cfg(feature = "popup")]
/// Brings a tab to the front of its window.
pub async fn activate(tab_id: f64) -> Result<(), JsValue> {
    let active = js_sys::Object::new();
    js_sys::Reflect::set(&active, &"active".into(), &JsValue::TRUE)?;
    JsFuture::from(tabs_update(tab_id, &active)?)
        .await
        .map(drop)
}
