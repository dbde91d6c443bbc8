//! The background service worker: the only code that holds the API key and calls Ashby.
//!
//! MV3 stops the worker when idle, so it keeps no state in memory that matters: everything
//! lives in `chrome.storage.local`. The JS shim (`extension/background.js`) registers the
//! listeners synchronously at start and forwards to the exports below once wasm is ready.
//!
//! The modules are layered, each using only those listed before it: `quota`, `storage`
//! (typed storage and the migration gate), `upload_digest`, `fetch_transport`, `popup_views`, `page_budget`, `runner`,
//! `connection` (the only holder of the key), `jobs`, `outbox`, `settings`,
//! `automation`, `send_drafts`, `shortcut`.

mod automation;
mod connection;
mod fetch_transport;
mod jobs;
mod outbox;
mod page_budget;
mod popup_views;
mod quota;
mod runner;
mod send_drafts;
mod settings;
mod shortcut;
mod storage;
mod upload_digest;

use crate::browser::runtime::{AllowList, MessageSender};
use crate::browser::{decode_js, json_to_js, now_ms};
use crate::domain::{FetcherCandidate, PageKind, PageProblem};
use crate::fetcher::fields::RawCandidate;
use crate::fetcher::page_report::FoundFields;
use crate::messages::WorkerProblem;
use crate::messages::{
    wire_answer, Answer, CandidatesSeen, CheckCandidates, CheckedCandidates, CloseDraft,
    ConfirmAccount, Connect, ConnectionStatus, ContentBlocked, ContentToWorker, Disconnect, Done,
    ForgetAutomation, Hello, Incoming, ListActivity, ListHeldUploads, ListJobs, ListSearches,
    OpenDraft, PageSeen, Ping, Pong, PrepareSend, PreviewDraft, Reply, Request, ResolveHeldUploads,
    ResumeAutomation, RetryFromActivity, RetryUpload, SaveAutomation, SendByShortcut, SendDraft,
    SendNow, SetKeyStorage, UiToWorker,
};
use crate::send_draft::FrameRef;
use fetch_transport::generation;
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
    // Search pages draw their first statuses from each search's digest of its records.
    upload_digest::follow_records();
    // A full storage forgets the oldest finished uploads and observation history.
    quota::when_full(|at| {
        wasm_bindgen_futures::spawn_local(async move {
            outbox::prune_finished(at).await;
            automation::prune_now().await;
        });
    });
    // The messages that woke the worker are answered first: the start-up work below waits one
    // macrotask, so their storage reads are not queued behind the queue's.
    wasm_bindgen_futures::spawn_local(async {
        crate::browser::global::sleep(0.0).await;
        // A worker stopped mid-upload resumes here: pending entries are in storage.
        outbox::kick();
        wasm_bindgen_futures::spawn_local(outbox::prune_if_due());
        jobs::schedule_refresh();
    });
}

/// Handles a `chrome.alarms.onAlarm` event (registered by the shim at start).
#[wasm_bindgen]
pub fn handle_alarm(name: String) {
    if name == outbox::ALARM {
        outbox::kick();
    } else if name == jobs::ALARM {
        wasm_bindgen_futures::spawn_local(jobs::refresh_in_background());
    }
}

/// Handles one `chrome.runtime.onMessage` message; the reply goes back through `sendResponse`.
#[wasm_bindgen]
pub async fn handle_message(message: JsValue, sender: JsValue) -> Result<JsValue, JsValue> {
    let sender = MessageSender::read(&sender);
    // The tab and frame a message came from (the Send dialog's drafts are bound to them).
    let frame = send_drafts::frame_of(&sender);
    match accept(message, &sender) {
        Some(Incoming::Ui(request)) => handle_ui(request, frame).await,
        Some(Incoming::Content(report)) => handle_content(report, frame).await,
        None => answer::<Done>(Err(WorkerProblem::MessageRefused)),
    }
}

/// The answer in its wire form.
fn answer<T: Reply>(answer: Answer<T>) -> Result<JsValue, JsValue> {
    json_to_js(&wire_answer(&answer))
}

/// Answers request `R` with the reply type it gets (a wrong one does not compile).
fn reply<R: Request>(reply: Answer<R::Reply>) -> Result<JsValue, JsValue> {
    answer(reply)
}

/// Applies the sender allow-list and the message schema; anything else is dropped.
fn accept(message: JsValue, sender: &MessageSender) -> Option<Incoming> {
    let kind = AllowList::current()?.classify(sender)?;
    let incoming: Incoming = decode_js(&message).ok()?;
    crate::message_checks::check(&incoming).ok()?;
    incoming.allowed_from(kind).then_some(incoming)
}

async fn handle_ui(request: UiToWorker, frame: Option<FrameRef>) -> Result<JsValue, JsValue> {
    match request {
        UiToWorker::Ping => reply::<Ping>(Ok(Pong {
            version: env!("CARGO_PKG_VERSION").into(),
            started_at: STARTED_AT.with(Cell::get),
        })),
        UiToWorker::Connect(Connect { api_key }) => {
            let connected = connection::connect(api_key).await;
            // Connect starts a new generation itself: this answer belongs to the one after it.
            popup_views::remember_connection(&connected, generation());
            if matches!(&connected, Ok(view) if view.connected) {
                outbox::reconnected().await;
            }
            reply::<Connect>(connected)
        }
        UiToWorker::ConnectionStatus => {
            let asked_under = generation();
            let view = connection::status().await;
            popup_views::remember_connection(&view, asked_under);
            reply::<ConnectionStatus>(view)
        }
        UiToWorker::Disconnect => {
            // Both before anything is awaited: no call with the key leaves after this point.
            outbox::stop();
            let disconnected = connection::disconnect().await;
            popup_views::forget_connection().await;
            reply::<Disconnect>(disconnected)
        }
        UiToWorker::ListJobs(ListJobs { refresh }) => reply::<ListJobs>(jobs::list(refresh).await),
        UiToWorker::SetKeyStorage(SetKeyStorage { remember }) => {
            let asked_under = generation();
            let view = connection::set_key_storage(remember).await;
            popup_views::remember_connection(&view, asked_under);
            reply::<SetKeyStorage>(view)
        }
        UiToWorker::ListSearches => {
            let view = settings::list_searches().await;
            popup_views::remember_searches(&view);
            reply::<ListSearches>(view)
        }
        UiToWorker::SaveAutomation(SaveAutomation { automation }) => {
            let view = settings::save_automation(automation).await;
            popup_views::remember_searches(&view);
            reply::<SaveAutomation>(view)
        }
        UiToWorker::ForgetAutomation => {
            let forgotten = settings::forget_automation().await;
            popup_views::forget_searches().await;
            reply::<ForgetAutomation>(forgotten)
        }
        UiToWorker::ListActivity => reply::<ListActivity>(settings::list_activity().await),
        UiToWorker::RetryFromActivity(RetryFromActivity {
            search_id,
            candidate_id,
        }) => reply::<RetryFromActivity>(outbox::retry(&search_id, &candidate_id).await),
        UiToWorker::OpenDraft(OpenDraft { token }) => {
            reply::<OpenDraft>(send_drafts::open(&token, frame).await)
        }
        UiToWorker::PreviewDraft(PreviewDraft {
            token,
            candidate,
            job_id,
        }) => reply::<PreviewDraft>(send_drafts::preview(&token, frame, candidate, job_id).await),
        UiToWorker::SendDraft(SendDraft {
            token,
            candidate,
            job_id,
        }) => reply::<SendDraft>(send_drafts::send(&token, frame, candidate, job_id).await),
        UiToWorker::CloseDraft(CloseDraft { token }) => {
            reply::<CloseDraft>(send_drafts::close(&token, frame).await)
        }
        UiToWorker::ListHeldUploads => reply::<ListHeldUploads>(outbox::held_uploads().await),
        UiToWorker::ResolveHeldUploads(ResolveHeldUploads { choice }) => {
            reply::<ResolveHeldUploads>(outbox::resolve_held(choice).await)
        }
        UiToWorker::ResumeAutomation(ResumeAutomation { search_id }) => {
            let view = automation::resume(search_id).await;
            popup_views::remember_searches(&view);
            reply::<ResumeAutomation>(view)
        }
        UiToWorker::ConfirmAccount(ConfirmAccount { email }) => {
            let asked_under = generation();
            let confirmed = connection::confirm_account(&email).await;
            popup_views::remember_connection(&confirmed, asked_under);
            outbox::reset();
            reply::<ConfirmAccount>(confirmed)
        }
    }
}

/// A profile's reading, validated (its ids were checked with the message, so it always is).
fn profile_candidate(raw: RawCandidate) -> Option<FetcherCandidate> {
    raw.validate().ok()
}

async fn handle_content(
    report: ContentToWorker,
    frame: Option<FrameRef>,
) -> Result<JsValue, JsValue> {
    match report {
        ContentToWorker::Hello(Hello { page_kind }) => {
            connection::record_page_problem(
                (page_kind == PageKind::Unrecognised).then_some(PageProblem::NotRecognised),
            )
            .await;
            reply::<Hello>(Ok(Done {}))
        }
        ContentToWorker::SendByShortcut(SendByShortcut { candidate }) => {
            let Some(candidate) = profile_candidate(candidate) else {
                return reply::<SendByShortcut>(Err(WorkerProblem::MessageRefused));
            };
            reply::<SendByShortcut>(shortcut::send(candidate, frame.map(|f| f.tab_id)).await)
        }
        ContentToWorker::PageSeen(seen) => {
            reply::<PageSeen>(settings::record_page_seen(seen).await)
        }
        // The loader's error text comes from the page's context: only the fact is kept.
        ContentToWorker::ContentBlocked(_) => {
            connection::record_page_problem(Some(PageProblem::ContentBlocked)).await;
            reply::<ContentBlocked>(Ok(Done {}))
        }
        ContentToWorker::SendNow(SendNow { candidate, job_id }) => {
            let Some(candidate) = profile_candidate(candidate) else {
                return reply::<SendNow>(Err(WorkerProblem::MessageRefused));
            };
            reply::<SendNow>(outbox::send_now(candidate, job_id).await)
        }
        ContentToWorker::CandidatesSeen(CandidatesSeen { candidates }) => {
            // A card whose ids are not Fetcher ids is no candidate automation can act on.
            let candidates = candidates
                .into_iter()
                .filter_map(|raw| raw.validate().ok())
                .collect();
            reply::<CandidatesSeen>(automation::observe(candidates).await)
        }
        ContentToWorker::PrepareSend(PrepareSend { candidate }) => {
            let Some(candidate) = profile_candidate(candidate) else {
                return reply::<PrepareSend>(Err(WorkerProblem::MessageRefused));
            };
            reply::<PrepareSend>(send_drafts::prepare(candidate, frame.map(|f| f.tab_id)).await)
        }
        ContentToWorker::CheckCandidates(CheckCandidates { candidates }) => {
            let candidates = candidates
                .into_iter()
                .map(|raw| raw.validate().ok().map(|c| FoundFields::of(&c)))
                .collect();
            reply::<CheckCandidates>(Ok(CheckedCandidates { candidates }))
        }
        ContentToWorker::RetryUpload(RetryUpload {
            search_id,
            candidate_id,
        }) => reply::<RetryUpload>(outbox::retry(&search_id, &candidate_id).await),
    }
}
