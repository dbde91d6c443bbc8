//! The messages between the extension's parts, named by direction (as in Dark Reader):
//! `UiToWorker` from the popup and options pages, `ContentToWorker` from content scripts,
//! and the worker's replies. Plain serde types: the worker validates every field before use.

use crate::domain::FetcherCandidate;
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
    /// The Ashby jobs the pickers offer, from the worker's cache (`refresh` asks Ashby again).
    ListJobs { refresh: bool },
    /// Keep the key only until the browser closes (`remember: false`, `chrome.storage.session`)
    /// or remember it (the worker's IndexedDB). Moves a saved key at once; `Connect` saves new
    /// keys there. Answered with [`WorkerReply::Connection`].
    SetKeyStorage { remember: bool },
    /// The Fetcher searches seen, with their automation. Answered with [`WorkerReply::Searches`].
    ListSearches,
    /// Save one search's automation ("Ashby Sync"); only the search's owner may. Answered with
    /// [`WorkerReply::Searches`].
    SaveAutomation {
        automation: crate::domain::SearchAutomation,
    },
    /// Forget every search's automation settings (and the searches seen).
    ForgetAutomation,
    /// Recent uploads and failures. Answered with [`WorkerReply::Activity`].
    ListActivity,
    /// Retry a failed upload from the popup's activity list (as the card's Retry does).
    RetryFromActivity {
        #[serde(rename = "searchId")]
        search_id: String,
        #[serde(rename = "candidateId")]
        candidate_id: String,
    },
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
    /// What the page shows about the signed-in recruiter and the current search.
    PageSeen(PageSeen),
    /// Open Ashby jobs for the Send dialog's picker, and the job last used for this search.
    JobsForSearch {
        #[serde(rename = "searchId")]
        search_id: String,
    },
    /// Is this candidate already in Ashby, and already applied to this job? Answered with
    /// [`WorkerReply::Preview`] before the recruiter sends.
    PreviewSend {
        candidate: FetcherCandidate,
        #[serde(rename = "jobId")]
        job_id: String,
    },
    /// Queue this candidate for this job (the outbox makes a second request a no-op).
    SendNow {
        candidate: FetcherCandidate,
        #[serde(rename = "jobId")]
        job_id: String,
    },
    /// Candidates as the page shows them now (cards on a search page, or the profile), sent
    /// when first read and whenever their status or Like button changes. The worker records
    /// every observation and runs the search's automation (`automation::batch`); it answers
    /// `Ok` only once that is stored, so an unanswered report is sent again.
    CandidatesSeen { candidates: Vec<FetcherCandidate> },
    /// Try a failed upload again.
    RetryUpload {
        #[serde(rename = "searchId")]
        search_id: String,
        #[serde(rename = "candidateId")]
        candidate_id: String,
    },
    /// The loader could not start the wasm content script (e.g. the page's CSP forbids wasm).
    ContentBlocked { reason: String },
}

/// Messages from the worker to the content script in a Fetcher tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum WorkerToContent {
    /// The recruiter pressed the "Send to Ashby" keyboard shortcut (`commands` API) in this tab.
    ShortcutSend,
}

/// The page's recruiter and search, as the content script read them (validated fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct PageSeen {
    pub account_email: Option<String>,
    pub search_id: Option<String>,
    pub search_title: Option<String>,
    pub search_owner_email: Option<String>,
}

/// An Ashby job as the pickers show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobChoice {
    pub id: String,
    pub title: String,
    /// `Open`, `Closed`, `Draft`, `Archived`.
    pub status: String,
    pub location: Option<String>,
    pub department: Option<String>,
}

/// What the Send dialog shows before sending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SendPreview {
    /// The Ashby candidate this one would be merged into, and why it matched.
    pub existing_profile_url: Option<String>,
    pub matched_by: Option<String>,
    pub already_applied: bool,
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
    Jobs {
        jobs: Vec<JobChoice>,
        /// The job this search used last (preselected in the Send dialog).
        #[serde(rename = "lastJobId")]
        last_job_id: Option<String>,
    },
    Preview(SendPreview),
    Searches(SearchesView),
    Activity {
        items: Vec<ActivityItem>,
        /// Today's uploads at a glance (counted over every record, not only `items`).
        #[serde(default)]
        today: ActivityCounts,
    },
    Ok,
    /// A recruiter-facing message (from `text`), never containing the key.
    Error {
        message: String,
    },
}

/// The worker's replies to content scripts: the variants of [`WorkerReply`] that
/// `ContentToWorker` requests get, with the same wire form. The content script decodes only
/// these, so its wasm carries no decoder for the pages' views (measured: ~10 KB gzip).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ContentReply {
    Readiness {
        connected: bool,
    },
    Jobs {
        jobs: Vec<JobChoice>,
        #[serde(rename = "lastJobId")]
        last_job_id: Option<String>,
    },
    Preview(SendPreview),
    Ok,
    Error {
        message: String,
    },
}

/// A request to the worker and the type its reply is decoded as.
pub trait WorkerRequest: Serialize {
    type Reply: serde::de::DeserializeOwned;
}

impl WorkerRequest for UiToWorker {
    type Reply = WorkerReply;
}

impl WorkerRequest for ContentToWorker {
    type Reply = ContentReply;
}

/// The connection as the popup and options pages show it. Never contains the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ConnectionView {
    pub connected: bool,
    /// The key's title from `apiKey.info`.
    #[serde(rename = "keyTitle")]
    pub key_title: Option<String>,
    pub scopes: Vec<String>,
    /// The key is remembered after the browser closes (in the worker's IndexedDB).
    #[serde(default, rename = "rememberKey")]
    pub remember_key: bool,
    /// A key was kept only until the browser closed, and the browser has closed since.
    #[serde(default, rename = "sessionEnded")]
    pub session_ended: bool,
    /// The Fetcher account last seen in a tab.
    #[serde(default, rename = "accountEmail")]
    pub account_email: Option<String>,
    /// The Ashby user matched to that account.
    #[serde(default)]
    pub user: crate::storage_schema::UserMatch,
    /// Why uploads are paused, while they are.
    #[serde(default, rename = "uploadsPaused")]
    pub uploads_paused: Option<String>,
    /// Saved data that could not be read at the last start and was reset (recruiter-facing).
    #[serde(default, rename = "storageProblems")]
    pub storage_problems: Vec<String>,
    /// Why the extension could not work on the last Fetcher page it ran on (recruiter-facing).
    #[serde(default, rename = "pageProblem")]
    pub page_problem: Option<String>,
}

/// The popup's "Ashby Sync" list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SearchesView {
    /// The Fetcher account last seen (owners of searches may change their automation).
    pub account_email: Option<String>,
    /// Most recently seen first.
    pub searches: Vec<SearchItem>,
}

/// One Fetcher search in the popup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SearchItem {
    pub search_id: String,
    pub title: Option<String>,
    pub owner_email: Option<String>,
    /// Why the recruiter may only look (`None`: they own the search and may change it).
    pub read_only_reason: Option<String>,
    /// The saved settings (defaults, switched off, when none are saved).
    pub automation: crate::domain::SearchAutomation,
    /// Candidates the automation has uploaded or queued so far (compared with the limit).
    pub uploaded: u32,
}

/// One recent upload or failure in the popup's activity list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityItem {
    pub search_id: String,
    pub candidate_id: String,
    pub candidate_name: Option<String>,
    pub record: crate::upload::UploadRecord,
}

/// "Recent uploads" at a glance: sent and failed since the start of the recruiter's day, and
/// what waits in the queue now (however long it has waited).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ActivityCounts {
    pub sent: u32,
    pub failed: u32,
    pub queued: u32,
}

impl ActivityCounts {
    /// Counts each candidate's latest upload record; `day_start_ms` is local midnight.
    pub fn of<'a>(
        records: impl IntoIterator<Item = &'a crate::upload::UploadRecord>,
        day_start_ms: f64,
    ) -> ActivityCounts {
        use crate::upload::UploadStatus;
        let mut counts = ActivityCounts::default();
        for record in records {
            let today = record.at_ms >= day_start_ms;
            match record.status {
                UploadStatus::Sent if today => counts.sent += 1,
                UploadStatus::Failed if today => counts.failed += 1,
                UploadStatus::Queued | UploadStatus::Sending => counts.queued += 1,
                _ => {}
            }
        }
        counts
    }
}

/// The activity list: the `limit` most recent records, plus every older failure (up to
/// `limit` more), so a failure waiting for Retry is never pushed out by later successes.
/// Most recent first.
pub fn recent_activity(mut items: Vec<ActivityItem>, limit: usize) -> Vec<ActivityItem> {
    items.sort_by(|a, b| b.record.at_ms.total_cmp(&a.record.at_ms));
    let mut older_failures = 0;
    let mut position = 0;
    items.retain(|item| {
        position += 1;
        let failed = item.record.status == crate::upload::UploadStatus::Failed;
        let keep = position <= limit || (failed && older_failures < limit);
        if keep && position > limit {
            older_failures += 1;
        }
        keep
    });
    items
}

/// Any message the worker may receive; which variant is allowed depends on the sender.
/// (One short-lived value per message, so the variants' size difference does not matter.)
#[allow(clippy::large_enum_variant)]
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
    fn content_replies_read_the_worker_replies_content_scripts_get() {
        let sent = [
            WorkerReply::Readiness { connected: true },
            WorkerReply::Jobs {
                jobs: vec![JobChoice {
                    id: "j".into(),
                    title: "Engineer".into(),
                    status: "Open".into(),
                    location: Some("Paris".into()),
                    department: None,
                }],
                last_job_id: Some("j".into()),
            },
            WorkerReply::Preview(SendPreview {
                existing_profile_url: Some("https://app.ashbyhq.com/candidates/c".into()),
                matched_by: Some("email".into()),
                already_applied: true,
            }),
            WorkerReply::Ok,
            WorkerReply::Error {
                message: "no".into(),
            },
        ];
        for reply in sent {
            let json = serde_json::to_value(&reply).unwrap();
            let read: ContentReply = serde_json::from_value(json.clone()).unwrap();
            assert_eq!(serde_json::to_value(&read).unwrap(), json);
        }
        let pages_only = serde_json::to_value(WorkerReply::Searches(SearchesView::default()));
        assert!(serde_json::from_value::<ContentReply>(pages_only.unwrap()).is_err());
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

#[cfg(test)]
mod activity_tests {
    use super::*;

    fn record(status: crate::upload::UploadStatus, at_ms: f64) -> crate::upload::UploadRecord {
        crate::upload::UploadRecord {
            status,
            job_id: "j1".into(),
            job_title: "Backend".into(),
            ashby_candidate_id: None,
            profile_url: None,
            application_id: None,
            reused: false,
            matched_by: None,
            at_ms,
            error: None,
            origin: crate::upload::UploadOrigin::Manual,
        }
    }

    fn item(candidate: &str, status: crate::upload::UploadStatus, at_ms: f64) -> ActivityItem {
        ActivityItem {
            search_id: "s1".into(),
            candidate_id: candidate.into(),
            candidate_name: None,
            record: record(status, at_ms),
        }
    }

    #[test]
    fn today_counts_sent_and_failed_since_midnight_and_the_whole_queue() {
        use crate::upload::UploadStatus::*;
        let midnight = 1_000.0;
        let records = [
            record(Sent, 1_500.0),
            record(Sent, 999.0), // yesterday
            record(Failed, 1_000.0),
            record(Failed, 10.0), // yesterday
            record(Queued, 5.0),  // still waiting since yesterday
            record(Sending, 2_000.0),
            record(Skipped, 2_000.0),
        ];
        assert_eq!(
            ActivityCounts::of(&records, midnight),
            ActivityCounts {
                sent: 1,
                failed: 1,
                queued: 2
            }
        );
        let wire = serde_json::to_value(WorkerReply::Activity {
            items: vec![],
            today: ActivityCounts::of(&records, midnight),
        })
        .unwrap();
        assert_eq!(wire["today"]["queued"], 2);
    }

    #[test]
    fn recent_activity_keeps_older_failures_beyond_the_limit() {
        use crate::upload::UploadStatus::*;
        let items = vec![
            item("old-failed", Failed, 1.0),
            item("old-sent", Sent, 2.0),
            item("new-sent", Sent, 5.0),
            item("newer-sent", Sent, 6.0),
            item("older-failed", Failed, 0.5),
        ];
        let kept: Vec<String> = recent_activity(items.clone(), 2)
            .into_iter()
            .map(|i| i.candidate_id)
            .collect();
        assert_eq!(
            kept,
            ["newer-sent", "new-sent", "old-failed", "older-failed"]
        );
        let kept: Vec<String> = recent_activity(items, 1)
            .into_iter()
            .map(|i| i.candidate_id)
            .collect();
        assert_eq!(
            kept,
            ["newer-sent", "old-failed"],
            "older failures are bounded too"
        );
    }
}
