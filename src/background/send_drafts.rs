//! The worker's side of the Send dialog (`crate::send_draft` has the rules): the content
//! script's "PrepareSend" becomes a draft in `chrome.storage.session` (one per tab, so storage
//! stays bounded; content scripts cannot read it), and the dialog's frame opens, previews,
//! sends and closes it. Closing goes back to the tab's content script through
//! `chrome.tabs.sendMessage`, which no page script can forge.

use super::storage;
use super::{connection, jobs, outbox};
use crate::browser::runtime::MessageSender;
use crate::browser::{global, json_to_js, now_ms, tabs};
use crate::domain::{FetcherCandidate, JobId};
use crate::from_json::FromJson;
use crate::json_writer::WriteJson;
use crate::messages::WorkerProblem;
use crate::messages::{Answer, Done, DraftView, Prepared, SendPreview, WorkerToContent};
use crate::send_draft::{Draft, FrameRef};
use crate::send_review::reviewed;
use crate::upload::outbox::record_key;
use crate::upload::UploadRecord;
use wasm_bindgen::JsValue;

/// The content script of `tab_id` read this profile for the dialog: keep it, return a token.
pub async fn prepare(candidate: FetcherCandidate, tab_id: Option<i64>) -> Answer<Prepared> {
    let Some(tab_id) = tab_id else {
        return refused();
    };
    // The dialog could not send without a connection: the recruiter is told to connect first.
    if !connection::is_connected().await {
        return Err(WorkerProblem::ConnectFirst);
    }
    let token = global::random_uuid();
    let draft = Draft::new(token.clone(), tab_id, candidate, now_ms());
    match write(&draft).await {
        Ok(()) => Ok(Prepared { token }),
        Err(_) => Err(WorkerProblem::StorageFailed),
    }
}

/// The dialog's frame opens its draft: the candidate, the jobs and what was sent before.
pub async fn open(token: &str, from: Option<FrameRef>) -> Answer<DraftView> {
    let Some(draft) = admit(token, from, true).await else {
        return Err(WorkerProblem::DraftGone);
    };
    let search_id = draft.candidate.search_id.clone();
    let previous: Option<UploadRecord> =
        storage::local_read(&record_key(&search_id, &draft.candidate.candidate_id)).await;
    let jobs = jobs::for_search(&search_id).await?;
    Ok(DraftView {
        candidate: draft.candidate,
        jobs: jobs.jobs,
        last_job_id: jobs.last_job_id,
        previous,
    })
}

/// Is the reviewed candidate already in Ashby?
pub async fn preview(
    token: &str,
    from: Option<FrameRef>,
    edited: FetcherCandidate,
    job_id: JobId,
) -> Answer<SendPreview> {
    let Some(draft) = admit(token, from, false).await else {
        return Err(WorkerProblem::DraftGone);
    };
    let candidate = reviewed(&draft.candidate, &edited);
    outbox::preview(candidate, job_id).await
}

/// Queues the candidate as reviewed; the draft is used up and the dialog closed.
pub async fn send(
    token: &str,
    from: Option<FrameRef>,
    edited: FetcherCandidate,
    job_id: JobId,
) -> Answer<Done> {
    let Some(draft) = admit(token, from, false).await else {
        return Err(WorkerProblem::DraftGone);
    };
    let candidate = reviewed(&draft.candidate, &edited);
    let reply = outbox::send_now(candidate, job_id).await;
    if reply.is_ok() {
        close_for(&draft).await;
    }
    reply
}

/// The recruiter closed the dialog (Cancel, Escape, a click outside it).
pub async fn close(token: &str, from: Option<FrameRef>) -> Answer<Done> {
    match admit(token, from, false).await {
        Some(draft) => {
            close_for(&draft).await;
            Ok(Done {})
        }
        None => refused(),
    }
}

/// The tab's draft, if `from` may use it with `token` (`claim`: opening it).
async fn admit(token: &str, from: Option<FrameRef>, claim: bool) -> Option<Draft> {
    let from = from?;
    let stored = storage::session_read(&Draft::key(from.tab_id)).await?;
    let mut draft = Draft::from_json_text(&stored).ok()?;
    let unclaimed = draft.claimed_by.is_none();
    draft.admit(token, from, now_ms(), claim).ok()?;
    if unclaimed && draft.claimed_by.is_some() {
        write(&draft).await.ok()?;
    }
    Some(draft)
}

async fn write(draft: &Draft) -> Result<(), JsValue> {
    storage::session_write(&Draft::key(draft.tab_id), &draft.json_text()).await
}

/// Forgets the draft and tells the tab's top frame (the content script) to remove the dialog.
async fn close_for(draft: &Draft) {
    let _ = storage::session_delete(&Draft::key(draft.tab_id)).await;
    let (Ok(message), Ok(tab_id)) = (
        json_to_js(&WorkerToContent::CloseSendDialog),
        i32::try_from(draft.tab_id),
    ) else {
        return;
    };
    let _ = tabs::send_message_to_frame(f64::from(tab_id), 0.0, &message).await;
}

/// The sender's tab and frame, when the message came from a tab.
pub fn frame_of(sender: &MessageSender) -> Option<FrameRef> {
    let tab_id = sender.tab_id?;
    let frame_id = sender.frame_id?;
    Some(FrameRef {
        tab_id: tab_id as i64,
        frame_id: frame_id as i64,
    })
}

fn refused<T>() -> Answer<T> {
    Err(WorkerProblem::MessageRefused)
}
