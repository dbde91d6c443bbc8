//! The messages between the extension's parts, named by direction (as in Dark Reader):
//! `UiToWorker` from the popup and options pages, `ContentToWorker` from content scripts,
//! and the worker's replies. Plain serde types: the worker validates every field before use.

use serde::{Deserialize, Serialize};

/// Longest API key the worker accepts from the popup (Ashby keys are far shorter).
pub const MAX_API_KEY_LEN: usize = 512;

/// Requests from the extension's own pages (popup, options).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum UiToWorker {
    /// Is the worker alive? Answered with [`WorkerReply::Pong`].
    Ping,
    /// Check a key against Ashby (`apiKey.info`) and save it only if Ashby accepts it.
    Connect {
        #[serde(rename = "apiKey")]
        api_key: String,
    },
    /// What the popup shows: whether a key is saved and what Ashby said about it.
    ConnectionStatus,
    /// Forget the key and every cached Ashby answer.
    Disconnect,
}

/// Reports and requests from the content script on Fetcher pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ContentToWorker {
    /// The content script started on a Fetcher page it recognised.
    Hello {
        #[serde(rename = "pageKind")]
        page_kind: String,
    },
    /// Can a candidate be sent now (is a key saved)? Answered with [`WorkerReply::Readiness`].
    SendReadiness,
}

/// Everything the worker answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum WorkerReply {
    /// `startedAt` is when this worker instance started (ms since epoch), so a restart shows.
    Pong {
        version: String,
        #[serde(rename = "startedAt")]
        started_at: f64,
    },
    Connection(ConnectionView),
    /// Whether sending is possible; the content script never learns more than this.
    Readiness {
        connected: bool,
    },
    Ok,
    /// A recruiter-facing message (from `text`), never containing the key.
    Error {
        message: String,
    },
}

/// The connection as the popup and options pages show it. Never contains the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ConnectionView {
    pub connected: bool,
    /// The key's title from `apiKey.info`.
    #[serde(rename = "keyTitle")]
    pub key_title: Option<String>,
    pub scopes: Vec<String>,
}

/// Any message the worker may receive; which variant is allowed depends on the sender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Incoming {
    Ui(UiToWorker),
    Content(ContentToWorker),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ui_messages_use_the_type_tag_on_the_wire() {
        let json = serde_json::to_string(&UiToWorker::Connect {
            api_key: "k".into(),
        })
        .unwrap();
        assert_eq!(json, r#"{"type":"Connect","apiKey":"k"}"#);
        let back: Incoming = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back,
            Incoming::Ui(UiToWorker::Connect {
                api_key: "k".into()
            })
        );
    }

    #[test]
    fn content_and_ui_messages_do_not_collide() {
        let hello: Incoming =
            serde_json::from_str(r#"{"type":"Hello","pageKind":"profile"}"#).unwrap();
        assert!(matches!(
            hello,
            Incoming::Content(ContentToWorker::Hello { .. })
        ));
        assert!(serde_json::from_str::<Incoming>(r#"{"type":"Nope"}"#).is_err());
    }
}

/// Who sent a message, as far as the worker trusts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    /// One of this extension's own pages (popup, options).
    OwnPage,
    /// This extension's content script in a Fetcher tab.
    FetcherTab,
}

/// The origin the content script runs on (the manifest's only content-script match).
pub const FETCHER_ORIGIN: &str = "https://app.fetcher.ai/";

/// The sender allow-list: messages from other extensions, from web pages, or from content
/// scripts on other sites are refused (`None`).
pub fn classify_sender(
    extension_id: &str,
    sender_id: Option<&str>,
    sender_url: Option<&str>,
    from_tab: bool,
) -> Option<Sender> {
    if extension_id.is_empty() || sender_id != Some(extension_id) {
        return None;
    }
    let url = sender_url?;
    let own_origin = format!("chrome-extension://{extension_id}/");
    if url.starts_with(&own_origin) {
        Some(Sender::OwnPage)
    } else if from_tab && url.starts_with(FETCHER_ORIGIN) {
        Some(Sender::FetcherTab)
    } else {
        None
    }
}

impl Incoming {
    /// Whether this sender may send this message: pages send UI requests, tabs send reports.
    pub fn allowed_from(&self, sender: Sender) -> bool {
        matches!(
            (self, sender),
            (Incoming::Ui(_), Sender::OwnPage) | (Incoming::Content(_), Sender::FetcherTab)
        )
    }
}

#[cfg(test)]
mod sender_tests {
    use super::*;

    const ID: &str = "abcdefghijklmnopabcdefghijklmnop";

    #[test]
    fn own_pages_and_fetcher_tabs_are_recognised() {
        let page = format!("chrome-extension://{ID}/popup/index.html");
        assert_eq!(
            classify_sender(ID, Some(ID), Some(&page), false),
            Some(Sender::OwnPage)
        );
        assert_eq!(
            classify_sender(
                ID,
                Some(ID),
                Some("https://app.fetcher.ai/searches/s1"),
                true
            ),
            Some(Sender::FetcherTab)
        );
    }

    #[test]
    fn everyone_else_is_refused() {
        let other = "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz";
        let page = format!("chrome-extension://{ID}/popup/index.html");
        assert_eq!(classify_sender(ID, Some(other), Some(&page), false), None);
        assert_eq!(classify_sender(ID, None, Some(&page), false), None);
        assert_eq!(classify_sender("", Some(""), Some(&page), false), None);
        // Our content script on another site, or a page pretending to be a tab.
        assert_eq!(
            classify_sender(ID, Some(ID), Some("https://evil.example/"), true),
            None
        );
        assert_eq!(
            classify_sender(
                ID,
                Some(ID),
                Some("https://app.fetcher.ai.evil.example/"),
                true
            ),
            None
        );
        assert_eq!(
            classify_sender(ID, Some(ID), Some("https://app.fetcher.ai/x"), false),
            None
        );
        let other_ext = format!("chrome-extension://{other}/popup.html");
        assert_eq!(classify_sender(ID, Some(ID), Some(&other_ext), false), None);
    }

    #[test]
    fn each_sender_may_send_only_its_own_kind() {
        let ui = Incoming::Ui(UiToWorker::Ping);
        let content = Incoming::Content(ContentToWorker::Hello {
            page_kind: "search".into(),
        });
        assert!(ui.allowed_from(Sender::OwnPage));
        assert!(!ui.allowed_from(Sender::FetcherTab));
        assert!(content.allowed_from(Sender::FetcherTab));
        assert!(!content.allowed_from(Sender::OwnPage));
    }
}
