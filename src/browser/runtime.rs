//! `chrome.runtime`: this extension's identity, messages between its parts, and the sender
//! allow-list every listener applies.

#[cfg(any(feature = "background", feature = "content"))]
use crate::messages::{classify_sender, Sender};
use js_sys::Promise;
use wasm_bindgen::prelude::*;
#[cfg(any(
    feature = "content",
    feature = "popup",
    feature = "options",
    feature = "send"
))]
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = sendMessage, catch)]
    fn runtime_send_message(message: &JsValue) -> Result<Promise, JsValue>;

    #[wasm_bindgen(thread_local_v2, js_namespace = chrome, js_name = runtime)]
    static RUNTIME: JsValue;

    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = getURL, catch)]
    fn runtime_get_url_checked(path: &str) -> Result<String, JsValue>;

    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = getManifest, catch)]
    fn runtime_get_manifest() -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["chrome", "runtime", "onMessage"], js_name = addListener, catch)]
    fn runtime_on_message_add_listener(callback: &js_sys::Function) -> Result<(), JsValue>;
}

#[cfg(any(feature = "background", feature = "content"))]
/// This extension's id (`chrome.runtime.id`). Read through the `chrome` binding, not the
/// global object: in a Firefox content script the global object has no `chrome`.
pub fn id() -> Option<String> {
    RUNTIME.with(|runtime| {
        js_sys::Reflect::get(runtime, &"id".into())
            .ok()?
            .as_string()
    })
}

#[cfg(any(feature = "background", feature = "content"))]
/// The full URL of one of the extension's own files (`runtime.getURL(path)`); empty when the
/// API is missing.
pub fn get_url(path: &str) -> String {
    runtime_get_url_checked(path).unwrap_or_default()
}

#[cfg(feature = "popup")]
/// The manifest's `version` (empty when the API is missing).
pub fn manifest_version() -> String {
    runtime_get_manifest()
        .ok()
        .and_then(|manifest| js_sys::Reflect::get(&manifest, &"version".into()).ok())
        .and_then(|version| version.as_string())
        .unwrap_or_default()
}

#[cfg(any(
    feature = "content",
    feature = "popup",
    feature = "options",
    feature = "send"
))]
/// Sends a message to the worker and waits for its reply (once the page lets its messages
/// go: see [`hold_messages_until`]).
pub async fn send_message(message: &JsValue) -> Result<JsValue, JsValue> {
    #[cfg(feature = "popup")]
    if let Some(ready) = HELD_UNTIL.with(|held| held.borrow().clone()) {
        // Settled either way: a failed wait must not keep the page from its worker.
        let _ = JsFuture::from(ready).await;
    }
    JsFuture::from(runtime_send_message(message)?).await
}

#[cfg(feature = "popup")]
thread_local! {
    static HELD_UNTIL: std::cell::RefCell<Option<js_sys::Promise>> =
        const { std::cell::RefCell::new(None) };
}

/// Holds this page's messages to the worker until `ready` settles: the popup, until it has
/// shown what storage holds, so that a stopped worker, woken by a message, does not start
/// while the popup renders (they share a process and its CPU).
#[cfg(feature = "popup")]
pub fn hold_messages_until(ready: js_sys::Promise) {
    HELD_UNTIL.with(|held| *held.borrow_mut() = Some(ready));
}

#[cfg(any(feature = "background", feature = "content"))]
/// What the browser says about a message's sender (`runtime.MessageSender`), as far as the
/// extension reads it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MessageSender {
    /// The sending extension's id (set by the browser, not by the sender).
    pub id: Option<String>,
    /// The sending page or frame's URL.
    pub url: Option<String>,
    /// The sender's tab id, when it runs in a tab.
    pub tab_id: Option<f64>,
    /// Whether the sender runs in a tab (`sender.tab` is an object).
    pub from_tab: bool,
    /// The sender's frame in its tab.
    pub frame_id: Option<f64>,
}

#[cfg(any(feature = "background", feature = "content"))]
impl MessageSender {
    /// Reads the fields of a `runtime.MessageSender`; missing or odd fields read as absent.
    pub fn read(sender: &JsValue) -> Self {
        let field = |object: &JsValue, name: &str| js_sys::Reflect::get(object, &name.into()).ok();
        let tab = field(sender, "tab").filter(JsValue::is_object);
        MessageSender {
            id: field(sender, "id").and_then(|v| v.as_string()),
            url: field(sender, "url").and_then(|v| v.as_string()),
            tab_id: tab
                .as_ref()
                .and_then(|tab| field(tab, "id"))
                .and_then(|v| v.as_f64()),
            from_tab: tab.is_some(),
            frame_id: field(sender, "frameId").and_then(|v| v.as_f64()),
        }
    }
}

#[cfg(any(feature = "background", feature = "content"))]
/// The sender allow-list, built from what the browser says this extension is: its id
/// (`runtime.id`) and its own origin (`runtime.getURL("")`: `chrome-extension://<id>/` in
/// Chrome, `moz-extension://<per-install uuid>/` in Firefox). The rules are the pure
/// [`classify_sender`].
#[derive(Debug, Clone)]
pub struct AllowList {
    id: String,
    origin: String,
}

#[cfg(any(feature = "background", feature = "content"))]
impl AllowList {
    /// `None` outside an extension (no `runtime.id`): then nothing is accepted.
    pub fn current() -> Option<Self> {
        Some(AllowList {
            id: id()?,
            origin: get_url(""),
        })
    }

    /// Which of this extension's parts sent a message (`None`: anyone else).
    pub fn classify(&self, sender: &MessageSender) -> Option<Sender> {
        classify_sender(
            &self.origin,
            &self.id,
            sender.id.as_deref(),
            sender.url.as_deref(),
            sender.from_tab,
        )
    }

    #[cfg(feature = "content")]
    /// Sent by one of this extension's own pages (popup, options, Send dialog).
    pub fn is_own_page(&self, sender: &MessageSender) -> bool {
        self.classify(sender) == Some(Sender::OwnPage)
    }

    #[cfg(feature = "content")]
    /// Sent by any part of this extension (content scripts receive the worker's messages
    /// through `chrome.tabs.sendMessage`, which only the extension itself can call).
    pub fn is_this_extension(&self, sender: &MessageSender) -> bool {
        !self.id.is_empty() && sender.id.as_deref() == Some(self.id.as_str())
    }
}

#[cfg(feature = "content")]
/// Calls `on_message(message)` for each message another part of this extension sends here
/// (content scripts receive them from the worker through `chrome.tabs.sendMessage`). Messages
/// from anywhere else are dropped. The listener lives as long as the page.
pub fn on_extension_message(mut on_message: impl FnMut(JsValue) + 'static) {
    let callback = Closure::<dyn FnMut(JsValue, JsValue)>::new(move |message, sender: JsValue| {
        let sender = MessageSender::read(&sender);
        if AllowList::current().is_some_and(|allow| allow.is_this_extension(&sender)) {
            on_message(message);
        }
    });
    if runtime_on_message_add_listener(callback.as_ref().unchecked_ref()).is_ok() {
        callback.forget();
    }
}

#[cfg(feature = "content")]
/// The answer to one message, through its `sendResponse`.
pub struct Responder(js_sys::Function);

#[cfg(feature = "content")]
impl Responder {
    /// Sends the answer (the sender stops waiting; later answers are ignored).
    pub fn send(&self, answer: &JsValue) {
        let _ = self.0.call1(&JsValue::NULL, answer);
    }
}

#[cfg(feature = "content")]
/// Calls `on_message(message, respond)` for each message one of this extension's own pages
/// sends here; messages from anyone else are not answered. `on_message` returns whether it
/// will answer (possibly later, through `respond`): `false` leaves the message to other
/// listeners. The listener lives as long as the page.
pub fn on_own_page_message(mut on_message: impl FnMut(JsValue, Responder) -> bool + 'static) {
    let listener = Closure::<dyn FnMut(JsValue, JsValue, js_sys::Function) -> JsValue>::new(
        move |message: JsValue, sender: JsValue, respond: js_sys::Function| {
            let sender = MessageSender::read(&sender);
            if !AllowList::current().is_some_and(|allow| allow.is_own_page(&sender)) {
                return JsValue::FALSE;
            }
            // `true` keeps `sendResponse` valid for an answer given later.
            JsValue::from_bool(on_message(message, Responder(respond)))
        },
    );
    if runtime_on_message_add_listener(listener.as_ref().unchecked_ref()).is_ok() {
        listener.forget();
    }
}

#[cfg(all(test, target_arch = "wasm32", feature = "content"))]
mod browser_tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn outside_an_extension_nothing_counts_as_ours() {
        // The test page is no extension: nothing it sends counts as ours.
        let sender = js_sys::Object::new();
        js_sys::Reflect::set(&sender, &"id".into(), &"abc".into()).unwrap();
        js_sys::Reflect::set(&sender, &"url".into(), &"https://app.fetcher.ai/".into()).unwrap();
        let sender = MessageSender::read(&sender);
        assert_eq!(sender.id.as_deref(), Some("abc"));
        assert!(AllowList::current().is_none());
        assert_eq!(
            MessageSender::read(&JsValue::UNDEFINED),
            MessageSender::default()
        );
    }

    #[wasm_bindgen_test]
    fn a_sender_is_read_with_its_tab_and_frame() {
        let sender: JsValue = js_sys::JSON::parse(
            r#"{"id":"ext","url":"https://app.fetcher.ai/s","tab":{"id":7},"frameId":0}"#,
        )
        .unwrap();
        assert_eq!(
            MessageSender::read(&sender),
            MessageSender {
                id: Some("ext".into()),
                url: Some("https://app.fetcher.ai/s".into()),
                tab_id: Some(7.0),
                from_tab: true,
                frame_id: Some(0.0),
            }
        );
    }
}
