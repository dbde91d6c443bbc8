//! The messages between the extension's parts, named by direction (as in Dark Reader):
//! `UiToWorker` from the popup and options pages, `ContentToWorker` from content scripts,
//! and the worker's replies. Plain serde types: the worker validates every field before use.

use crate::domain::{AshbyProfileUrl, CandidateId, Email, FetcherCandidate, JobId, SearchId};
use crate::fetcher::fields::RawCandidate;
use crate::fetcher::page_report::FoundFields;
use crate::from_json::{tag, variant, with_fields, Fields, FromJson, Mismatch};
use crate::json_text::Json;
use crate::json_writer::{write_tagged, Object, WriteJson, WriteMembers};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// Longest API key the worker accepts from the popup.
pub use crate::domain::MAX_API_KEY_LEN;

/// Requests from the extension's own pages (popup, options). Each variant holds its request
/// (sent with [`crate::browser::ask_worker`]), whose [`Request::Reply`] says what it gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum UiToWorker {
    Ping,
    Connect(Connect),
    ConnectionStatus,
    Disconnect,
    ListJobs(ListJobs),
    SetKeyStorage(SetKeyStorage),
    ListSearches,
    SaveAutomation(SaveAutomation),
    ForgetAutomation,
    ListActivity,
    RetryFromActivity(RetryFromActivity),
    OpenDraft(OpenDraft),
    PreviewDraft(PreviewDraft),
    SendDraft(SendDraft),
    CloseDraft(CloseDraft),
    ListHeldUploads,
    ResolveHeldUploads(ResolveHeldUploads),
    ResumeAutomation(ResumeAutomation),
    ConfirmAccount(ConfirmAccount),
}

/// Is the worker alive? `startedAt` in the reply shows a restart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ping;

/// Check a key against Ashby (`apiKey.info`) and save it only if Ashby accepts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connect {
    #[serde(rename = "apiKey")]
    pub api_key: String,
}

/// What the popup shows: whether a key is saved and what Ashby said about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionStatus;

/// Forget the key and every cached Ashby answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Disconnect;

/// The Ashby jobs the pickers offer, from the worker's cache (`refresh` asks Ashby again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListJobs {
    pub refresh: bool,
}

/// Keep the key only until the browser closes (`remember: false`, `chrome.storage.session`)
/// or remember it (the worker's IndexedDB). Moves a saved key at once; `Connect` saves new
/// keys there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetKeyStorage {
    pub remember: bool,
}

/// The Fetcher searches seen, with their automation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListSearches;

/// Save one search's automation ("Ashby Sync"); only the search's owner may.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveAutomation {
    pub automation: crate::domain::SearchAutomation,
}

/// Forget every search's automation settings (and the searches seen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForgetAutomation;

impl FromJson for Prepared {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        Ok(Prepared {
            token: Fields::of(json)?.required("token")?,
        })
    }
}

/// Recent uploads and failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListActivity;

/// Retry a failed upload from the popup's activity list (as the card's Retry does).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryFromActivity {
    #[serde(rename = "searchId")]
    pub search_id: SearchId,
    #[serde(rename = "candidateId")]
    pub candidate_id: CandidateId,
}

/// The Send dialog (an extension page framed into a Fetcher tab) asks for the draft the
/// content script of its tab prepared. The first frame to ask claims the draft, so a page
/// that frames the dialog itself gets nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenDraft {
    pub token: String,
}

/// Is the reviewed candidate already in Ashby, and already applied to this job?
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewDraft {
    pub token: String,
    pub candidate: FetcherCandidate,
    #[serde(rename = "jobId")]
    pub job_id: JobId,
}

/// Queue the candidate as the recruiter reviewed it (the worker keeps the draft's ids).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendDraft {
    pub token: String,
    pub candidate: FetcherCandidate,
    #[serde(rename = "jobId")]
    pub job_id: JobId,
}

/// The recruiter closed the Send dialog: the worker tells the tab to remove it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloseDraft {
    pub token: String,
}

/// Uploads queued under another Ashby connection (before a Disconnect and a Connect with
/// another key), waiting for the recruiter's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListHeldUploads;

/// Send every held upload with the current connection, or discard them all; the reply is
/// what is still held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolveHeldUploads {
    pub choice: crate::upload::held::HeldChoice,
}

/// Release the brake of a search whose automation it paused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResumeAutomation {
    #[serde(rename = "searchId")]
    pub search_id: SearchId,
}

/// The recruiter confirms that uploads are now credited for this Fetcher account (the
/// one a page showed since connecting).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmAccount {
    pub email: Email,
}

/// Reports and requests from the content script on Fetcher pages, each holding its request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ContentToWorker {
    Hello(Hello),
    PageSeen(PageSeen),
    SendByShortcut(SendByShortcut),
    SendNow(SendNow),
    CandidatesSeen(CandidatesSeen),
    RetryUpload(RetryUpload),
    ContentBlocked(ContentBlocked),
    PrepareSend(PrepareSend),
    CheckCandidates(CheckCandidates),
}

/// The content script started on a Fetcher page it recognised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    #[serde(rename = "pageKind")]
    pub page_kind: crate::domain::PageKind,
}

/// The recruiter pressed the "Send to Ashby" shortcut on this profile: the worker queues it
/// for the job its search used last, if that job is still open, and otherwise prepares the
/// Send dialog's draft (a keypress never guesses a job).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendByShortcut {
    pub candidate: RawCandidate,
}

/// What the shortcut did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ShortcutOutcome {
    /// Queued for the job titled `job_title`; `name` as the worker keeps it.
    Queued {
        name: String,
        #[serde(rename = "jobTitle")]
        job_title: String,
    },
    /// No open job used for the search yet: the Send dialog's draft, for its frame.
    Review { token: String },
}

/// The worker's answer to [`SendByShortcut`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShortcutDone {
    pub outcome: ShortcutOutcome,
}

impl FromJson for ShortcutOutcome {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        match variant(json)? {
            ("queued", value) => {
                let fields = with_fields(value)?;
                Ok(ShortcutOutcome::Queued {
                    name: fields.required("name")?,
                    job_title: fields.required("jobTitle")?,
                })
            }
            ("review", value) => Ok(ShortcutOutcome::Review {
                token: with_fields(value)?.required("token")?,
            }),
            _ => Err(Mismatch("a shortcut outcome")),
        }
    }
}

impl FromJson for ShortcutDone {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        Ok(ShortcutDone {
            outcome: Fields::of(json)?.required("outcome")?,
        })
    }
}

impl WriteJson for ShortcutOutcome {
    /// Externally tagged, as serde writes it: `{"queued": {…}}` or `{"review": {…}}`.
    fn write_json(&self, out: &mut String) {
        match self {
            ShortcutOutcome::Queued { name, job_title } => {
                out.push_str("{\"queued\":");
                let mut fields = Object::open(out);
                fields.member("name", name).member("jobTitle", job_title);
                fields.close();
            }
            ShortcutOutcome::Review { token } => {
                out.push_str("{\"review\":");
                let mut fields = Object::open(out);
                fields.member("token", token);
                fields.close();
            }
        }
        out.push('}');
    }
}

/// Queue this candidate for this job (the outbox makes a second request a no-op).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendNow {
    pub candidate: RawCandidate,
    #[serde(rename = "jobId")]
    pub job_id: JobId,
}

/// Candidates as the page shows them now (cards on a search page, or the profile), sent
/// when first read and whenever their status or Like button changes. The worker records
/// every observation and runs the search's automation (`automation::batch`); it answers
/// [`Done`] only once that is stored, so an unanswered report is sent again. Readings whose
/// ids are not Fetcher ids are skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidatesSeen {
    pub candidates: Vec<RawCandidate>,
}

/// Try a failed upload again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryUpload {
    #[serde(rename = "searchId")]
    pub search_id: SearchId,
    #[serde(rename = "candidateId")]
    pub candidate_id: CandidateId,
}

/// The loader could not start the wasm content script (e.g. the page's CSP forbids wasm).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentBlocked {
    pub reason: String,
}

/// The profile as read from the page, for the Send dialog to review. The reply is a one-time
/// token the dialog's frame asks for the draft with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrepareSend {
    pub candidate: RawCandidate,
}

/// The page's readings checked by the page model's rules, for the popup's "This page"
/// report: what each holds once validated (counts and found/missing, no text), in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckCandidates {
    pub candidates: Vec<RawCandidate>,
}

/// Each reading of [`CheckCandidates`], in order: what it holds once validated, or `None`
/// when it is no candidate (its ids are not Fetcher ids).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedCandidates {
    pub candidates: Vec<Option<FoundFields>>,
}

impl FromJson for CheckedCandidates {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        Ok(CheckedCandidates {
            candidates: Fields::of(json)?.required("candidates")?,
        })
    }
}

/// Messages from the worker to the content script in a Fetcher tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum WorkerToContent {
    /// The recruiter pressed the "Send to Ashby" keyboard shortcut (`commands` API) in this tab.
    ShortcutSend,
    /// The Send dialog asked to be closed (sent, cancelled or Escape): remove its frame.
    CloseSendDialog,
}

impl FromJson for WorkerToContent {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        match tag(&Fields::of(json)?, "type")? {
            "ShortcutSend" => Ok(WorkerToContent::ShortcutSend),
            "CloseSendDialog" => Ok(WorkerToContent::CloseSendDialog),
            _ => Err(Mismatch("a message from the worker")),
        }
    }
}

/// Requests from the popup to the content script of the active Fetcher tab
/// (`chrome.tabs.sendMessage`), answered with [`ContentAnswer`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum PopupToContent {
    /// What the extension recognised on this page (no page text in the answer).
    DescribePage,
    /// Open the Send to Ashby flow for the open profile, as the ⋮ menu item does.
    OpenSendDialog,
}

impl FromJson for PopupToContent {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        match tag(&Fields::of(json)?, "type")? {
            "DescribePage" => Ok(PopupToContent::DescribePage),
            "OpenSendDialog" => Ok(PopupToContent::OpenSendDialog),
            _ => Err(Mismatch("a message from the popup")),
        }
    }
}

/// The content script's answers to [`PopupToContent`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ContentAnswer {
    Page(crate::fetcher::page_report::PageReport),
    Ok,
    /// Why the open profile could not be sent, as the content script renders it
    /// (`text::unsendable`): sent as an `Unsendable`, its encoder would add about 8.5 KB to
    /// the content script's wasm for one sentence the popup only shows.
    Error {
        message: String,
    },
}

impl FromJson for ContentAnswer {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        match tag(&fields, "type")? {
            // Internally tagged: the report's fields sit beside its `type`.
            "Page" => {
                crate::fetcher::page_report::PageReport::from_json(json).map(ContentAnswer::Page)
            }
            "Ok" => Ok(ContentAnswer::Ok),
            "Error" => Ok(ContentAnswer::Error {
                message: fields.required("message")?,
            }),
            _ => Err(Mismatch("an answer from the page")),
        }
    }
}

pub use crate::fetcher::page_report::MenuPlacement;

/// The page's recruiter and search, as the content script read them (validated fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct PageSeen {
    pub account_email: Option<String>,
    pub search_id: Option<SearchId>,
    pub search_title: Option<String>,
    pub search_owner_email: Option<String>,
}

pub use crate::domain::JobChoice;

/// What the Send dialog shows before sending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct SendPreview {
    /// The Ashby candidate this one would be merged into, and why it matched.
    pub existing_profile_url: Option<AshbyProfileUrl>,
    pub matched_by: Option<crate::upload::dedupe::MatchReason>,
    pub already_applied: bool,
}

impl FromJson for SendPreview {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(SendPreview {
            existing_profile_url: fields.optional("existingProfileUrl")?,
            matched_by: fields.optional("matchedBy")?,
            already_applied: fields.required("alreadyApplied")?,
        })
    }
}

/// What the Send dialog opens with: the candidate as read from the page (the recruiter
/// reviews and edits it), the jobs to pick from, and what was sent before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftView {
    pub candidate: FetcherCandidate,
    pub jobs: Vec<JobChoice>,
    pub last_job_id: Option<JobId>,
    /// The candidate's upload record for this search, when there is one ("Send again…").
    pub previous: Option<crate::upload::outbox::UploadRecord>,
}

impl FromJson for DraftView {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(DraftView {
            candidate: fields.required("candidate")?,
            jobs: fields.required("jobs")?,
            last_job_id: fields.optional("lastJobId")?,
            previous: fields.optional("previous")?,
        })
    }
}

/// The worker is alive; `startedAt` is when this worker instance started (ms since epoch), so
/// a restart shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pong {
    pub version: String,
    #[serde(rename = "startedAt")]
    pub started_at: f64,
}

impl FromJson for Pong {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(Pong {
            version: fields.required("version")?,
            started_at: fields.required("startedAt")?,
        })
    }
}

/// Ashby jobs for a picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobList {
    pub jobs: Vec<JobChoice>,
    /// The job this search used last (preselected in the Send dialog).
    #[serde(rename = "lastJobId")]
    pub last_job_id: Option<JobId>,
}

impl FromJson for JobList {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(JobList {
            jobs: fields.required("jobs")?,
            last_job_id: fields.optional("lastJobId")?,
        })
    }
}

/// A Send dialog's draft was prepared; its frame asks for it with this token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prepared {
    pub token: String,
}

/// Recent uploads and failures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityView {
    pub items: Vec<ActivityItem>,
    /// Today's uploads at a glance (counted over every record, not only `items`).
    #[serde(default)]
    pub today: ActivityCounts,
}

impl FromJson for ActivityView {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(ActivityView {
            items: fields.required("items")?,
            today: fields.or_default("today")?,
        })
    }
}

/// Uploads held back from another Ashby connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldUploadsView {
    pub uploads: Vec<crate::upload::held::HeldUpload>,
}

impl FromJson for HeldUploadsView {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        Ok(HeldUploadsView {
            uploads: Fields::of(json)?.required("uploads")?,
        })
    }
}

/// The request was carried out; there is nothing more to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Done {}

impl FromJson for Done {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        Fields::of(json).map(|_| Done {})
    }
}

/// What the worker answers a request with: its reply, or why it did not carry it out (the
/// page that asked turns it into English with `text::worker_problem`).
pub type Answer<T> = Result<T, WorkerProblem>;

pub use crate::domain::WorkerProblem;

/// A reply the worker sends: on the wire it is its body with a `type` tag (`{"type":
/// "Searches", ...}`), or `{"type": "Error", "problem": ...}` instead.
pub trait Reply: Serialize + DeserializeOwned + FromJson + WriteJson + WriteMembers {
    /// The reply's `type` on the wire.
    const TAG: &'static str;
}

/// The `type` of an error reply.
pub const ERROR_TAG: &str = "Error";

macro_rules! reply_tags {
    ($($reply:ty => $tag:literal,)*) => {
        $(impl Reply for $reply {
            const TAG: &'static str = $tag;
        })*
    };
}

reply_tags! {
    Pong => "Pong",
    ConnectionView => "Connection",
    JobList => "Jobs",
    SendPreview => "Preview",
    DraftView => "Draft",
    Prepared => "Prepared",
    ShortcutDone => "Shortcut",
    CheckedCandidates => "Checked",
    SearchesView => "Searches",
    ActivityView => "Activity",
    HeldUploadsView => "HeldUploads",
    Done => "Ok",
}

/// A request to the worker: the message it travels as, and the reply it gets.
pub trait Request {
    /// [`UiToWorker`] or [`ContentToWorker`].
    type Message: WriteJson;
    type Reply: Reply;
    fn into_message(self) -> Self::Message;
}

macro_rules! requests {
    ($message:ident { $($request:ident $(($unit:ident))? => $reply:ty,)* }) => {
        $(impl Request for $request {
            type Message = $message;
            type Reply = $reply;
            fn into_message(self) -> $message {
                requests!(@variant $message $request self $($unit)?)
            }
        })*
    };
    (@variant $message:ident $request:ident $value:ident unit) => { $message::$request };
    (@variant $message:ident $request:ident $value:ident) => { $message::$request($value) };
}

requests!(UiToWorker {
    Ping(unit) => Pong,
    Connect => ConnectionView,
    ConnectionStatus(unit) => ConnectionView,
    Disconnect(unit) => Done,
    ListJobs => JobList,
    SetKeyStorage => ConnectionView,
    ListSearches(unit) => SearchesView,
    SaveAutomation => SearchesView,
    ForgetAutomation(unit) => Done,
    ListActivity(unit) => ActivityView,
    RetryFromActivity => Done,
    OpenDraft => DraftView,
    PreviewDraft => SendPreview,
    SendDraft => Done,
    CloseDraft => Done,
    ListHeldUploads(unit) => HeldUploadsView,
    ResolveHeldUploads => HeldUploadsView,
    ResumeAutomation => SearchesView,
    ConfirmAccount => ConnectionView,
});

requests!(ContentToWorker {
    Hello => Done,
    PageSeen => Done,
    SendByShortcut => ShortcutDone,
    SendNow => Done,
    CandidatesSeen => Done,
    RetryUpload => Done,
    ContentBlocked => Done,
    PrepareSend => Prepared,
    CheckCandidates => CheckedCandidates,
});

/// A reply as it travels: its `type` tag, then the body's fields (or the error's problem).
#[derive(Serialize)]
#[serde(untagged)]
pub enum WireAnswer<'a, T> {
    Reply {
        #[serde(rename = "type")]
        tag: &'static str,
        #[serde(flatten)]
        body: &'a T,
    },
    Error {
        #[serde(rename = "type")]
        tag: &'static str,
        problem: &'a WorkerProblem,
    },
}

/// The wire form of an answer (the worker sends only these).
pub fn wire_answer<T: Reply>(answer: &Answer<T>) -> WireAnswer<'_, T> {
    match answer {
        Ok(body) => WireAnswer::Reply { tag: T::TAG, body },
        Err(problem) => WireAnswer::Error {
            tag: ERROR_TAG,
            problem,
        },
    }
}

// Hand-written encoders (`crate::json_writer`) for what the content script sends (its
// reports and requests to the worker, its answers to the popup): serde's forms without serde
// in its wasm.

impl WriteMembers for PageSeen {
    fn write_members(&self, object: &mut Object) {
        object
            .member("accountEmail", &self.account_email)
            .member("searchId", &self.search_id)
            .member("searchTitle", &self.search_title)
            .member("searchOwnerEmail", &self.search_owner_email);
    }
}

impl WriteJson for ContentToWorker {
    fn write_json(&self, out: &mut String) {
        let tag = match self {
            ContentToWorker::Hello(_) => "Hello",
            ContentToWorker::PageSeen(_) => "PageSeen",
            ContentToWorker::SendByShortcut(_) => "SendByShortcut",
            ContentToWorker::SendNow(_) => "SendNow",
            ContentToWorker::CandidatesSeen(_) => "CandidatesSeen",
            ContentToWorker::RetryUpload(_) => "RetryUpload",
            ContentToWorker::ContentBlocked(_) => "ContentBlocked",
            ContentToWorker::PrepareSend(_) => "PrepareSend",
            ContentToWorker::CheckCandidates(_) => "CheckCandidates",
        };
        let mut object = Object::tagged(out, tag);
        match self {
            ContentToWorker::Hello(hello) => {
                object.member("pageKind", &hello.page_kind);
            }
            ContentToWorker::PageSeen(seen) => seen.write_members(&mut object),
            ContentToWorker::SendByShortcut(request) => {
                object.member("candidate", &request.candidate);
            }
            ContentToWorker::SendNow(request) => {
                object
                    .member("candidate", &request.candidate)
                    .member("jobId", &request.job_id);
            }
            ContentToWorker::CandidatesSeen(seen) => {
                object.member("candidates", &seen.candidates);
            }
            ContentToWorker::RetryUpload(request) => {
                object
                    .member("searchId", &request.search_id)
                    .member("candidateId", &request.candidate_id);
            }
            ContentToWorker::ContentBlocked(blocked) => {
                object.member("reason", &blocked.reason);
            }
            ContentToWorker::PrepareSend(request) => {
                object.member("candidate", &request.candidate);
            }
            ContentToWorker::CheckCandidates(request) => {
                object.member("candidates", &request.candidates);
            }
        }
        object.close();
    }
}

impl WriteJson for ContentAnswer {
    fn write_json(&self, out: &mut String) {
        match self {
            ContentAnswer::Page(report) => write_tagged("Page", report, out),
            ContentAnswer::Ok => Object::tagged(out, "Ok").close(),
            ContentAnswer::Error { message } => {
                let mut object = Object::tagged(out, "Error");
                object.member("message", message);
                object.close();
            }
        }
    }
}

// Hand-written encoders for what the pages send (the popup's, the options page's and the
// Send dialog's requests to the worker, the popup's to a content script): serde's forms,
// without serde in the pages' wasm.

impl WriteJson for UiToWorker {
    fn write_json(&self, out: &mut String) {
        let tag = match self {
            UiToWorker::Ping => "Ping",
            UiToWorker::Connect(_) => "Connect",
            UiToWorker::ConnectionStatus => "ConnectionStatus",
            UiToWorker::Disconnect => "Disconnect",
            UiToWorker::ListJobs(_) => "ListJobs",
            UiToWorker::SetKeyStorage(_) => "SetKeyStorage",
            UiToWorker::ListSearches => "ListSearches",
            UiToWorker::SaveAutomation(_) => "SaveAutomation",
            UiToWorker::ForgetAutomation => "ForgetAutomation",
            UiToWorker::ListActivity => "ListActivity",
            UiToWorker::RetryFromActivity(_) => "RetryFromActivity",
            UiToWorker::OpenDraft(_) => "OpenDraft",
            UiToWorker::PreviewDraft(_) => "PreviewDraft",
            UiToWorker::SendDraft(_) => "SendDraft",
            UiToWorker::CloseDraft(_) => "CloseDraft",
            UiToWorker::ListHeldUploads => "ListHeldUploads",
            UiToWorker::ResolveHeldUploads(_) => "ResolveHeldUploads",
            UiToWorker::ResumeAutomation(_) => "ResumeAutomation",
            UiToWorker::ConfirmAccount(_) => "ConfirmAccount",
        };
        let mut object = Object::tagged(out, tag);
        match self {
            UiToWorker::Ping
            | UiToWorker::ConnectionStatus
            | UiToWorker::Disconnect
            | UiToWorker::ListSearches
            | UiToWorker::ForgetAutomation
            | UiToWorker::ListActivity
            | UiToWorker::ListHeldUploads => {}
            UiToWorker::Connect(request) => {
                object.member("apiKey", &request.api_key);
            }
            UiToWorker::ListJobs(request) => {
                object.member("refresh", &request.refresh);
            }
            UiToWorker::SetKeyStorage(request) => {
                object.member("remember", &request.remember);
            }
            UiToWorker::SaveAutomation(request) => {
                object.member("automation", &request.automation);
            }
            UiToWorker::RetryFromActivity(request) => {
                object
                    .member("searchId", &request.search_id)
                    .member("candidateId", &request.candidate_id);
            }
            UiToWorker::OpenDraft(request) => {
                object.member("token", &request.token);
            }
            UiToWorker::PreviewDraft(request) => {
                object
                    .member("token", &request.token)
                    .member("candidate", &request.candidate)
                    .member("jobId", &request.job_id);
            }
            UiToWorker::SendDraft(request) => {
                object
                    .member("token", &request.token)
                    .member("candidate", &request.candidate)
                    .member("jobId", &request.job_id);
            }
            UiToWorker::CloseDraft(request) => {
                object.member("token", &request.token);
            }
            UiToWorker::ResolveHeldUploads(request) => {
                object.member("choice", &request.choice);
            }
            UiToWorker::ResumeAutomation(request) => {
                object.member("searchId", &request.search_id);
            }
            UiToWorker::ConfirmAccount(request) => {
                object.member("email", &request.email);
            }
        }
        object.close();
    }
}

impl WriteJson for PopupToContent {
    fn write_json(&self, out: &mut String) {
        let tag = match self {
            PopupToContent::DescribePage => "DescribePage",
            PopupToContent::OpenSendDialog => "OpenSendDialog",
        };
        Object::tagged(out, tag).close();
    }
}

// Hand-written encoders (`crate::json_writer`) for what the worker sends: serde's forms of
// the derives above, without serde in the worker's wasm. A reply's members are written
// beside its `type` tag (serde's `flatten` in `WireAnswer`), so each reply writes members.

impl<T: Reply> WriteJson for WireAnswer<'_, T> {
    fn write_json(&self, out: &mut String) {
        match self {
            WireAnswer::Reply { tag, body } => write_tagged(tag, *body, out),
            WireAnswer::Error { tag, problem } => {
                let mut object = Object::tagged(out, tag);
                object.member("problem", *problem);
                object.close();
            }
        }
    }
}

/// A struct written as an object of its members.
macro_rules! members_as_object {
    ($($ty:ty),+) => {
        $(impl WriteJson for $ty {
            fn write_json(&self, out: &mut String) {
                let mut object = Object::open(out);
                self.write_members(&mut object);
                object.close();
            }
        })+
    };
}
members_as_object!(
    Pong,
    ConnectionView,
    JobList,
    SendPreview,
    DraftView,
    Prepared,
    ShortcutDone,
    CheckedCandidates,
    SearchesView,
    ActivityView,
    HeldUploadsView,
    Done
);

impl WriteMembers for ShortcutDone {
    fn write_members(&self, object: &mut Object) {
        object.member("outcome", &self.outcome);
    }
}

impl WriteMembers for CheckedCandidates {
    fn write_members(&self, object: &mut Object) {
        object.member("candidates", &self.candidates);
    }
}

impl WriteMembers for Pong {
    fn write_members(&self, object: &mut Object) {
        object
            .member("version", &self.version)
            .member("startedAt", &self.started_at);
    }
}

impl WriteMembers for ConnectionView {
    fn write_members(&self, object: &mut Object) {
        object
            .member("connected", &self.connected)
            .member("keyTitle", &self.key_title)
            .member("scopes", &self.scopes)
            .member("rememberKey", &self.remember_key)
            .member("sessionEnded", &self.session_ended)
            .member("accountEmail", &self.account_email)
            .member("user", &self.user)
            .member("uploadsPaused", &self.uploads_paused)
            .member("storageProblems", &self.storage_problems)
            .member("pageProblem", &self.page_problem)
            .member("storageFull", &self.storage_full)
            .member("confirmedAccount", &self.confirmed_account)
            .member("accountChange", &self.account_change);
    }
}

impl WriteMembers for JobList {
    fn write_members(&self, object: &mut Object) {
        object
            .member("jobs", &self.jobs)
            .member("lastJobId", &self.last_job_id);
    }
}

impl WriteMembers for SendPreview {
    fn write_members(&self, object: &mut Object) {
        object
            .member("existingProfileUrl", &self.existing_profile_url)
            .member("matchedBy", &self.matched_by)
            .member("alreadyApplied", &self.already_applied);
    }
}

impl WriteMembers for DraftView {
    fn write_members(&self, object: &mut Object) {
        object
            .member("candidate", &self.candidate)
            .member("jobs", &self.jobs)
            .member("lastJobId", &self.last_job_id)
            .member("previous", &self.previous);
    }
}

impl WriteMembers for Prepared {
    fn write_members(&self, object: &mut Object) {
        object.member("token", &self.token);
    }
}

impl WriteMembers for SearchesView {
    fn write_members(&self, object: &mut Object) {
        object
            .member("accountEmail", &self.account_email)
            .member("searches", &self.searches);
    }
}

impl WriteJson for SearchItem {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("searchId", &self.search_id)
            .member("title", &self.title)
            .member("ownerEmail", &self.owner_email)
            .member("readOnlyReason", &self.read_only_reason)
            .member("automation", &self.automation)
            .member("uploaded", &self.uploaded)
            .member("automationPaused", &self.automation_paused);
        object.close();
    }
}

impl WriteMembers for ActivityView {
    fn write_members(&self, object: &mut Object) {
        object
            .member("items", &self.items)
            .member("today", &self.today);
    }
}

impl WriteJson for ActivityItem {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("searchId", &self.search_id)
            .member("candidateId", &self.candidate_id)
            .member("candidateName", &self.candidate_name)
            .member("record", &self.record);
        object.close();
    }
}

impl WriteJson for ActivityCounts {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("sent", &self.sent)
            .member("failed", &self.failed)
            .member("queued", &self.queued);
        object.close();
    }
}

impl WriteMembers for HeldUploadsView {
    fn write_members(&self, object: &mut Object) {
        object.member("uploads", &self.uploads);
    }
}

impl WriteMembers for Done {
    fn write_members(&self, _: &mut Object) {}
}

impl WriteJson for WorkerToContent {
    fn write_json(&self, out: &mut String) {
        let tag = match self {
            WorkerToContent::ShortcutSend => "ShortcutSend",
            WorkerToContent::CloseSendDialog => "CloseSendDialog",
        };
        Object::tagged(out, tag).close();
    }
}

/// Why a request got no reply of its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AskError {
    /// The worker did not carry the request out, and said why.
    Failed(WorkerProblem),
    /// The worker did not answer, or not with a reply this request gets.
    Unavailable,
}

impl AskError {
    /// Why the request was not carried out, as the worker's problem (no answer is
    /// [`WorkerProblem::Unavailable`]).
    pub fn problem(self) -> WorkerProblem {
        match self {
            AskError::Failed(problem) => problem,
            AskError::Unavailable => WorkerProblem::Unavailable,
        }
    }
}

/// What the content script tells the recruiter when a request for the open profile failed.
impl From<AskError> for crate::domain::Unsendable {
    fn from(error: AskError) -> Self {
        Self::Worker(error.problem())
    }
}

/// A reply's `type`, and the problem when it is an error: what a page or content script reads
/// before the body, so it decodes only the reply types of the requests it sends.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReplyHeader {
    #[serde(rename = "type")]
    tag: String,
    #[serde(default)]
    problem: Option<WorkerProblem>,
}

impl ReplyHeader {
    /// `Ok` when the body's type is `reply_tag` (a [`Reply::TAG`]); otherwise the worker's
    /// problem, or `Unavailable`.
    pub fn expect_tag(self, reply_tag: &str) -> Result<(), AskError> {
        match (self.tag.as_str(), self.problem) {
            (tag, _) if tag == reply_tag => Ok(()),
            (ERROR_TAG, Some(problem)) => Err(AskError::Failed(problem)),
            _ => Err(AskError::Unavailable),
        }
    }
}

impl FromJson for ReplyHeader {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(ReplyHeader {
            tag: fields.required("type")?,
            problem: fields.optional("problem")?,
        })
    }
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
    pub account_email: Option<Email>,
    /// The Ashby user matched to that account.
    #[serde(default)]
    pub user: crate::storage_schema::UserMatch,
    /// Why uploads are paused, while they are.
    #[serde(default, rename = "uploadsPaused")]
    pub uploads_paused: Option<crate::domain::UploadProblem>,
    /// Saved data that could not be read at the last start and was reset.
    #[serde(default, rename = "storageProblems")]
    pub storage_problems: Vec<crate::domain::StorageProblem>,
    /// Why the extension could not work on the last Fetcher page it ran on.
    #[serde(default, rename = "pageProblem")]
    pub page_problem: Option<crate::domain::PageProblem>,
    /// The browser refused to save because the extension's storage is full, until a write
    /// succeeds again.
    #[serde(default, rename = "storageFull")]
    pub storage_full: bool,
    /// The Fetcher account uploads are credited for (recorded at Connect, or confirmed since).
    #[serde(default, rename = "confirmedAccount")]
    pub confirmed_account: Option<Email>,
    /// A different Fetcher account a page showed since, waiting for the recruiter to confirm.
    #[serde(default, rename = "accountChange")]
    pub account_change: Option<Email>,
}

impl FromJson for ConnectionView {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(ConnectionView {
            connected: fields.required("connected")?,
            key_title: fields.optional("keyTitle")?,
            scopes: fields.required("scopes")?,
            remember_key: fields.or_default("rememberKey")?,
            session_ended: fields.or_default("sessionEnded")?,
            account_email: fields.optional("accountEmail")?,
            user: fields.or_default("user")?,
            uploads_paused: fields.optional("uploadsPaused")?,
            storage_problems: fields.or_default("storageProblems")?,
            page_problem: fields.optional("pageProblem")?,
            storage_full: fields.or_default("storageFull")?,
            confirmed_account: fields.optional("confirmedAccount")?,
            account_change: fields.optional("accountChange")?,
        })
    }
}

/// The popup's "Ashby Sync" list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SearchesView {
    /// The Fetcher account last seen (owners of searches may change their automation).
    pub account_email: Option<Email>,
    /// Most recently seen first.
    pub searches: Vec<SearchItem>,
}

impl FromJson for SearchesView {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(SearchesView {
            account_email: fields.optional("accountEmail")?,
            searches: fields.required("searches")?,
        })
    }
}

/// One Fetcher search in the popup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchItem {
    pub search_id: SearchId,
    pub title: Option<String>,
    pub owner_email: Option<Email>,
    /// Why the recruiter may only look (`None`: they own the search and may change it).
    pub read_only_reason: Option<crate::domain::ReadOnlyReason>,
    /// The saved settings (defaults, switched off, when none are saved).
    pub automation: crate::domain::SearchAutomation,
    /// Candidates the automation has uploaded or queued so far (compared with the limit).
    pub uploaded: u32,
    /// The search's automation is paused by its brake, while it is.
    #[serde(default)]
    pub automation_paused: Option<crate::domain::AutomationPaused>,
}

impl FromJson for SearchItem {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(SearchItem {
            search_id: fields.required("searchId")?,
            title: fields.optional("title")?,
            owner_email: fields.optional("ownerEmail")?,
            read_only_reason: fields.optional("readOnlyReason")?,
            automation: fields.required("automation")?,
            uploaded: fields.required("uploaded")?,
            automation_paused: fields.optional("automationPaused")?,
        })
    }
}

/// One recent upload or failure in the popup's activity list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityItem {
    pub search_id: SearchId,
    pub candidate_id: CandidateId,
    pub candidate_name: Option<String>,
    pub record: crate::upload::outbox::UploadRecord,
}

impl FromJson for ActivityItem {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(ActivityItem {
            search_id: fields.required("searchId")?,
            candidate_id: fields.required("candidateId")?,
            candidate_name: fields.optional("candidateName")?,
            record: fields.required("record")?,
        })
    }
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

impl FromJson for ActivityCounts {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(ActivityCounts {
            sent: fields.required("sent")?,
            failed: fields.required("failed")?,
            queued: fields.required("queued")?,
        })
    }
}

impl ActivityCounts {
    /// Counts each candidate's latest upload record; `day_start_ms` is local midnight.
    pub fn of<'a>(
        records: impl IntoIterator<Item = &'a crate::upload::outbox::UploadRecord>,
        day_start_ms: f64,
    ) -> ActivityCounts {
        use crate::upload::outbox::UploadStatus;
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
    crate::sorting::sort_by_key(&mut items, |item| std::cmp::Reverse(item.record.at_ms));
    let mut older_failures = 0;
    let mut position = 0;
    items.retain(|item| {
        position += 1;
        let failed = item.record.status == crate::upload::outbox::UploadStatus::Failed;
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

// The messages the worker receives, decoded by hand (see `crate::from_json`): the forms serde
// reads for them (internally tagged by `type`, other members ignored), checked in the tests.

impl FromJson for UiToWorker {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(match tag(&fields, "type")? {
            "Ping" => UiToWorker::Ping,
            "Connect" => UiToWorker::Connect(Connect {
                api_key: fields.required("apiKey")?,
            }),
            "ConnectionStatus" => UiToWorker::ConnectionStatus,
            "Disconnect" => UiToWorker::Disconnect,
            "ListJobs" => UiToWorker::ListJobs(ListJobs {
                refresh: fields.required("refresh")?,
            }),
            "SetKeyStorage" => UiToWorker::SetKeyStorage(SetKeyStorage {
                remember: fields.required("remember")?,
            }),
            "ListSearches" => UiToWorker::ListSearches,
            "SaveAutomation" => UiToWorker::SaveAutomation(SaveAutomation {
                automation: fields.required("automation")?,
            }),
            "ForgetAutomation" => UiToWorker::ForgetAutomation,
            "ListActivity" => UiToWorker::ListActivity,
            "RetryFromActivity" => UiToWorker::RetryFromActivity(RetryFromActivity {
                search_id: fields.required("searchId")?,
                candidate_id: fields.required("candidateId")?,
            }),
            "OpenDraft" => UiToWorker::OpenDraft(OpenDraft {
                token: fields.required("token")?,
            }),
            "PreviewDraft" => UiToWorker::PreviewDraft(PreviewDraft {
                token: fields.required("token")?,
                candidate: fields.required("candidate")?,
                job_id: fields.required("jobId")?,
            }),
            "SendDraft" => UiToWorker::SendDraft(SendDraft {
                token: fields.required("token")?,
                candidate: fields.required("candidate")?,
                job_id: fields.required("jobId")?,
            }),
            "CloseDraft" => UiToWorker::CloseDraft(CloseDraft {
                token: fields.required("token")?,
            }),
            "ListHeldUploads" => UiToWorker::ListHeldUploads,
            "ResolveHeldUploads" => UiToWorker::ResolveHeldUploads(ResolveHeldUploads {
                choice: fields.required("choice")?,
            }),
            "ResumeAutomation" => UiToWorker::ResumeAutomation(ResumeAutomation {
                search_id: fields.required("searchId")?,
            }),
            "ConfirmAccount" => UiToWorker::ConfirmAccount(ConfirmAccount {
                email: fields.required("email")?,
            }),
            _ => return Err(Mismatch("a request from a page")),
        })
    }
}

impl FromJson for PageSeen {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(PageSeen {
            account_email: fields.optional("accountEmail")?,
            search_id: fields.optional("searchId")?,
            search_title: fields.optional("searchTitle")?,
            search_owner_email: fields.optional("searchOwnerEmail")?,
        })
    }
}

impl FromJson for ContentToWorker {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(match tag(&fields, "type")? {
            "Hello" => ContentToWorker::Hello(Hello {
                page_kind: fields.required("pageKind")?,
            }),
            "PageSeen" => ContentToWorker::PageSeen(PageSeen::from_json(json)?),
            "SendByShortcut" => ContentToWorker::SendByShortcut(SendByShortcut {
                candidate: fields.required("candidate")?,
            }),
            "SendNow" => ContentToWorker::SendNow(SendNow {
                candidate: fields.required("candidate")?,
                job_id: fields.required("jobId")?,
            }),
            "CandidatesSeen" => ContentToWorker::CandidatesSeen(CandidatesSeen {
                candidates: fields.required("candidates")?,
            }),
            "RetryUpload" => ContentToWorker::RetryUpload(RetryUpload {
                search_id: fields.required("searchId")?,
                candidate_id: fields.required("candidateId")?,
            }),
            "ContentBlocked" => ContentToWorker::ContentBlocked(ContentBlocked {
                reason: fields.required("reason")?,
            }),
            "PrepareSend" => ContentToWorker::PrepareSend(PrepareSend {
                candidate: fields.required("candidate")?,
            }),
            "CheckCandidates" => ContentToWorker::CheckCandidates(CheckCandidates {
                candidates: fields.required("candidates")?,
            }),
            _ => return Err(Mismatch("a message from a content script")),
        })
    }
}

impl FromJson for Incoming {
    /// As serde's untagged form: a page's request, else a content script's message.
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        UiToWorker::from_json(json)
            .map(Incoming::Ui)
            .or_else(|_| ContentToWorker::from_json(json).map(Incoming::Content))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_travel_as_their_message_with_the_type_tag() {
        let connect = Connect {
            api_key: "k".into(),
        };
        let json = serde_json::to_string(&connect.clone().into_message()).unwrap();
        assert_eq!(json, r#"{"type":"Connect","apiKey":"k"}"#);
        let back: Incoming = serde_json::from_str(&json).unwrap();
        assert_eq!(back, Incoming::Ui(UiToWorker::Connect(connect)));
        let ping = serde_json::to_string(&Ping.into_message()).unwrap();
        assert_eq!(ping, r#"{"type":"Ping"}"#);
        let shortcut = SendByShortcut {
            candidate: RawCandidate::default(),
        };
        assert!(serde_json::to_string(&shortcut.into_message())
            .unwrap()
            .starts_with(r#"{"type":"SendByShortcut","candidate":{"searchId":"""#));
    }

    /// The answer's wire form, read back as a page or content script reads it.
    fn round_trip<T: Reply + PartialEq + std::fmt::Debug>(reply: T) -> serde_json::Value {
        let sent: Answer<T> = Ok(reply);
        let wire = serde_json::to_value(wire_answer(&sent)).unwrap();
        let header: ReplyHeader = serde_json::from_value(wire.clone()).unwrap();
        assert_eq!(header.expect_tag(T::TAG), Ok(()));
        assert_eq!(serde_json::from_value::<T>(wire.clone()).ok(), sent.ok());
        wire
    }

    #[test]
    fn the_options_page_replies_read_by_hand_as_serde_reads_them() {
        use crate::domain::{AshbyProblem, PageProblem, StorageProblem, UploadProblem, UserMatch};
        use crate::from_json::testing::{agrees_with_serde, round_trips};
        let full = ConnectionView {
            connected: true,
            key_title: Some("Fetcher".into()),
            scopes: vec!["candidatesWrite".into(), "jobsRead".into()],
            remember_key: true,
            session_ended: true,
            account_email: Some("rita@agency.com".into()),
            user: UserMatch::NotFound {
                email: "rita@agency.com".into(),
            },
            uploads_paused: Some(UploadProblem::Paused {
                because: AshbyProblem::InvalidKey { request_id: None },
            }),
            storage_problems: vec![StorageProblem::Corrupt { key: "k".into() }],
            page_problem: Some(PageProblem::ContentBlocked),
            storage_full: true,
            confirmed_account: Some("rita@agency.com".into()),
            account_change: Some("lead@agency.com".into()),
        };
        round_trips(&[full.clone(), ConnectionView::default()]);
        // As the worker sends it: the body with its type tag, then each field's edge.
        let wire = serde_json::to_string(&wire_answer(&Ok(full.clone()))).unwrap();
        assert_eq!(ConnectionView::from_json_text(&wire), Ok(full));
        agrees_with_serde::<ConnectionView>(&[
            r#"{"connected": false, "scopes": []}"#,
            r#"{"connected": false}"#,
            r#"{"scopes": []}"#,
            r#"{"connected": true, "scopes": [], "keyTitle": null, "user": {"kind": "unknown"}}"#,
            r#"{"connected": true, "scopes": [], "rememberKey": null}"#,
            r#"{"connected": true, "scopes": [], "storageProblems": null}"#,
            r#"{"connected": true, "scopes": [], "accountEmail": "bad"}"#,
            r#"{"connected": true, "scopes": [1]}"#,
            r#"{"connected": true, "scopes": [], "pageProblem": "Old English."}"#,
            r#"{"connected": "yes", "scopes": []}"#,
            "null",
        ]);
        agrees_with_serde::<Done>(&[r#"{"type": "Ok"}"#, "{}", "null", "3"]);
        round_trips(&[Done {}]);
        agrees_with_serde::<ReplyHeader>(&[
            r#"{"type": "Ok"}"#,
            r#"{"type": "Error", "problem": "storageFailed"}"#,
            r#"{"type": "Error", "problem": {"readOnly": "accountUnknown"}}"#,
            r#"{"type": "Error", "problem": "Some English."}"#,
            r#"{"type": "Error", "problem": null}"#,
            r#"{"type": 3}"#,
            r#"{"problem": "storageFailed"}"#,
        ]);
    }

    #[test]
    fn the_content_scripts_messages_read_by_hand_as_serde_reads_them() {
        use crate::domain::JobStatus;
        use crate::from_json::testing::{agrees_with_serde, round_trips};
        round_trips(&[
            WorkerToContent::ShortcutSend,
            WorkerToContent::CloseSendDialog,
        ]);
        round_trips(&[PopupToContent::DescribePage, PopupToContent::OpenSendDialog]);
        agrees_with_serde::<WorkerToContent>(&[
            r#"{"type": "ShortcutSend", "extra": 1}"#,
            r#"{"type": "Other"}"#,
            r#""ShortcutSend""#,
            "{}",
        ]);
        round_trips(&[Prepared { token: "t".into() }]);
        round_trips(&[
            ShortcutDone {
                outcome: ShortcutOutcome::Queued {
                    name: "Jane".into(),
                    job_title: "Engineer".into(),
                },
            },
            ShortcutDone {
                outcome: ShortcutOutcome::Review { token: "t".into() },
            },
        ]);
        agrees_with_serde::<ShortcutDone>(&[
            r#"{"outcome": {"queued": {"name": "J", "jobTitle": "E"}}}"#,
            r#"{"outcome": {"queued": {"name": "J"}}}"#,
            r#"{"outcome": {"review": {"token": "t", "extra": 1}}}"#,
            r#"{"outcome": {"review": null}}"#,
            r#"{"outcome": {"other": {"token": "t"}}}"#,
            r#"{"outcome": "review"}"#,
            r#"{"outcome": {}}"#,
            "{}",
        ]);
        let found = FoundFields {
            emails: 2,
            phones: 1,
            linkedin: true,
            github: false,
            other_links: 3,
            status: true,
            searchable: true,
        };
        round_trips(&[CheckedCandidates {
            candidates: vec![Some(found), None, Some(FoundFields::default())],
        }]);
        agrees_with_serde::<CheckedCandidates>(&[
            r#"{"candidates": [null, {"emails": 1, "phones": 0, "linkedin": true, "github": false, "otherLinks": 0, "status": false, "searchable": true}]}"#,
            r#"{"candidates": [{"emails": 1}]}"#,
            r#"{"candidates": [{"emails": -1, "phones": 0, "linkedin": true, "github": false, "otherLinks": 0, "status": false, "searchable": true}]}"#,
            r#"{"candidates": null}"#,
            "{}",
        ]);
        let jobs = [
            JobStatus::Draft,
            JobStatus::Open,
            JobStatus::Closed,
            JobStatus::Archived,
        ]
        .into_iter()
        .map(|status| JobChoice {
            id: "j".into(),
            title: "Engineer".into(),
            status,
            location: Some("Paris".into()),
            department: None,
        })
        .collect();
        round_trips(&[JobList {
            jobs,
            last_job_id: Some("j".into()),
        }]);
        agrees_with_serde::<JobList>(&[
            r#"{"jobs": [], "type": "Jobs"}"#,
            r#"{"jobs": [{"id": "j", "title": "T", "status": "Someday"}]}"#,
            r#"{"jobs": [{"id": "j", "title": "T", "status": {"Open": null}}]}"#,
            r#"{"jobs": [{"id": "j", "title": "T", "status": 3}]}"#,
            r#"{"jobs": [{"id": "j", "title": "T"}]}"#,
            r#"{"jobs": [{"id": "", "title": "T", "status": "Open"}]}"#,
            r#"{"jobs": [], "lastJobId": 4}"#,
            r#"{"lastJobId": "j"}"#,
        ]);
        agrees_with_serde::<Prepared>(&[r#"{"token": null}"#, r#"{"token": "x"}"#]);
    }

    /// The worker decodes every message it receives with this decoder.
    #[test]
    fn incoming_messages_read_by_hand_as_serde_reads_them() {
        use crate::domain::{PageKind, SearchAutomation, Trigger};
        use crate::from_json::testing::{agrees_with_serde, round_trips};
        use crate::upload::held::HeldChoice;
        let mut candidate = FetcherCandidate::new("s-1".into(), "c-1".into());
        candidate.name = "Ana".into();
        candidate.emails = vec!["ana@example.com".into()];
        let reading = RawCandidate {
            search_id: "s-1".into(),
            candidate_id: "c-1".into(),
            name: "Ana".into(),
            headline: Some("Engineer at Acme".into()),
            email_hrefs: vec!["mailto:ana@example.com".into()],
            status_text: Some("Contacted".into()),
            ..RawCandidate::default()
        };
        let automation = SearchAutomation {
            search_id: "s-1".into(),
            job_id: Some("job-1".into()),
            enabled: true,
            trigger: Trigger::OnLike,
            applicant_limit: None,
            enabled_at_ms: Some(5),
        };
        let ui = [
            UiToWorker::Ping,
            UiToWorker::Connect(Connect {
                api_key: "key".into(),
            }),
            UiToWorker::ConnectionStatus,
            UiToWorker::Disconnect,
            UiToWorker::ListJobs(ListJobs { refresh: true }),
            UiToWorker::SetKeyStorage(SetKeyStorage { remember: false }),
            UiToWorker::ListSearches,
            UiToWorker::SaveAutomation(SaveAutomation { automation }),
            UiToWorker::ForgetAutomation,
            UiToWorker::ListActivity,
            UiToWorker::RetryFromActivity(RetryFromActivity {
                search_id: "s-1".into(),
                candidate_id: "c-1".into(),
            }),
            UiToWorker::OpenDraft(OpenDraft { token: "t".into() }),
            UiToWorker::PreviewDraft(PreviewDraft {
                token: "t".into(),
                candidate: candidate.clone(),
                job_id: "job-1".into(),
            }),
            UiToWorker::SendDraft(SendDraft {
                token: "t".into(),
                candidate: candidate.clone(),
                job_id: "job-1".into(),
            }),
            UiToWorker::CloseDraft(CloseDraft { token: "t".into() }),
            UiToWorker::ListHeldUploads,
            UiToWorker::ResolveHeldUploads(ResolveHeldUploads {
                choice: HeldChoice::SendWithCurrent,
            }),
            UiToWorker::ResumeAutomation(ResumeAutomation {
                search_id: "s-1".into(),
            }),
            UiToWorker::ConfirmAccount(ConfirmAccount {
                email: "rita@agency.com".into(),
            }),
        ];
        let content = [
            ContentToWorker::Hello(Hello {
                page_kind: PageKind::Search,
            }),
            ContentToWorker::PageSeen(PageSeen {
                account_email: Some("rita@agency.com".into()),
                search_id: Some("s-1".into()),
                search_title: Some("Engineers".into()),
                search_owner_email: None,
            }),
            ContentToWorker::PageSeen(PageSeen::default()),
            ContentToWorker::SendByShortcut(SendByShortcut {
                candidate: reading.clone(),
            }),
            ContentToWorker::SendNow(SendNow {
                candidate: reading.clone(),
                job_id: "job-1".into(),
            }),
            ContentToWorker::CandidatesSeen(CandidatesSeen {
                candidates: vec![reading.clone(), RawCandidate::default()],
            }),
            ContentToWorker::CheckCandidates(CheckCandidates {
                candidates: vec![reading.clone()],
            }),
            ContentToWorker::RetryUpload(RetryUpload {
                search_id: "s-1".into(),
                candidate_id: "c-1".into(),
            }),
            ContentToWorker::ContentBlocked(ContentBlocked {
                reason: "CSP".into(),
            }),
            ContentToWorker::PrepareSend(PrepareSend { candidate: reading }),
        ];
        let all: Vec<Incoming> = ui
            .into_iter()
            .map(Incoming::Ui)
            .chain(content.into_iter().map(Incoming::Content))
            .collect();
        round_trips(&all);
        // Each message with each of its members in turn absent, `null` and mistyped, and with
        // an unknown member; the tag mistyped, unknown, or of the other direction. (Not a
        // number as the tag, nor an array: serde also takes a variant's index there, and a
        // message as an array of its members, forms nothing writes; the hand decoder refuses
        // them.)
        let mut texts = Vec::new();
        for message in &all {
            let full = serde_json::to_value(message).unwrap();
            texts.push(full.to_string());
            for name in full.as_object().unwrap().keys() {
                let mistyped: serde_json::Value = if name == "type" {
                    true.into()
                } else {
                    7.into()
                };
                for change in [
                    None,
                    Some(serde_json::Value::Null),
                    Some(mistyped),
                    Some("x".into()),
                ] {
                    let mut edited = full.clone();
                    let members = edited.as_object_mut().unwrap();
                    match &change {
                        None => {
                            members.remove(name);
                        }
                        Some(value) => {
                            members.insert(name.clone(), value.clone());
                        }
                    }
                    members.insert("extra".into(), true.into());
                    texts.push(edited.to_string());
                }
            }
        }
        texts.extend(
            [
                r#"{"type": "Nope"}"#,
                r#"{"type": true}"#,
                r#"{"apiKey": "k"}"#,
                r#"{"type": "ShortcutSend"}"#,
                r#"{"type": "ResolveHeldUploads", "choice": "Discard"}"#,
                r#"{"type": "ResolveHeldUploads", "choice": "discard"}"#,
                r#"{"type": "ResolveHeldUploads", "choice": {"discard": null}}"#,
                r#"{"type": "Hello", "pageKind": "elsewhere"}"#,
                r#""Ping""#,
                "null",
            ]
            .map(str::to_owned),
        );
        agrees_with_serde::<Incoming>(&texts.iter().map(String::as_str).collect::<Vec<_>>());
    }

    #[test]
    fn the_popups_replies_read_by_hand_as_serde_reads_them() {
        use crate::domain::{
            AutomationPaused, CandidateStatus, PageKind, ReadOnlyReason, SearchAutomation, Trigger,
        };
        use crate::fetcher::fields::RawCandidate;
        use crate::fetcher::page_report::{MenuPlacement, PageReport, ProfileReport, SearchReport};
        use crate::from_json::testing::{agrees_with_serde, round_trips};
        use crate::upload::held::HeldUpload;
        use crate::upload::outbox::{UploadOrigin, UploadRecord, UploadStatus};
        let automation = SearchAutomation {
            search_id: "s-1".into(),
            job_id: Some("job-1".into()),
            enabled: true,
            trigger: Trigger::OnReply,
            applicant_limit: Some(40),
            enabled_at_ms: Some(1_764_625_000_000),
        };
        let item = SearchItem {
            search_id: "s-1".into(),
            title: Some("Engineers, Berlin".into()),
            owner_email: Some("lead@agency.com".into()),
            read_only_reason: Some(ReadOnlyReason::NotOwner {
                owner: "lead@agency.com".into(),
            }),
            automation: automation.clone(),
            uploaded: 3,
            automation_paused: Some(AutomationPaused { limit: 50, held: 2 }),
        };
        let bare = SearchItem {
            title: None,
            owner_email: None,
            read_only_reason: None,
            automation: SearchAutomation::off("s-2".into()),
            automation_paused: None,
            ..item.clone()
        };
        round_trips(&[
            SearchesView {
                account_email: Some("rita@agency.com".into()),
                searches: vec![item, bare],
            },
            SearchesView::default(),
        ]);
        let record = UploadRecord {
            status: UploadStatus::Sent,
            job_id: "job-1".into(),
            job_title: "Engineer".into(),
            ashby_candidate_id: None,
            profile_url: None,
            application_id: None,
            reused: false,
            matched_by: None,
            at_ms: crate::domain::EpochMs::new(5.0).unwrap(),
            error: None,
            origin: UploadOrigin::Manual,
        };
        round_trips(&[ActivityView {
            items: vec![ActivityItem {
                search_id: "s-1".into(),
                candidate_id: "c_1".into(),
                candidate_name: Some("Jane".into()),
                record: record.clone(),
            }],
            today: ActivityCounts {
                sent: 1,
                failed: 2,
                queued: 3,
            },
        }]);
        round_trips(&[HeldUploadsView {
            uploads: vec![HeldUpload {
                key: "outbox/x".into(),
                candidate_name: "Jane".into(),
                job_title: "Engineer".into(),
            }],
        }]);
        let mut candidate = RawCandidate {
            search_id: "s-1".into(),
            candidate_id: "c_1".into(),
            name: "Jane Doe".into(),
            headline: Some("Staff Engineer at Acme".into()),
            location: Some("Berlin".into()),
            email_hrefs: vec!["mailto:jane%40acme.com".into(), "jane@home.example".into()],
            phone_hrefs: vec!["tel:+1%20555%20123%204567".into()],
            link_hrefs: vec![
                "https://de.linkedin.com/in/jane".into(),
                "http://github.com/Jane".into(),
                "https://jane.example/blog".into(),
            ],
            status_text: None,
            like_pressed: true,
        }
        .validate()
        .unwrap();
        let mut drafts = vec![];
        for status in [
            CandidateStatus::New,
            CandidateStatus::Liked,
            CandidateStatus::Contacted,
            CandidateStatus::Replied,
            CandidateStatus::Interested,
        ] {
            candidate.status = Some(status);
            drafts.push(DraftView {
                candidate: candidate.clone(),
                jobs: vec![],
                last_job_id: Some("job-1".into()),
                previous: Some(record.clone()),
            });
        }
        round_trips(&drafts);
        round_trips(&[
            SendPreview::default(),
            SendPreview {
                existing_profile_url: Some("https://app.ashbyhq.com/candidates/1".into()),
                matched_by: Some(crate::upload::dedupe::MatchReason::GitHub),
                already_applied: true,
            },
        ]);
        round_trips(&[Pong {
            version: "1.2".into(),
            started_at: 1_764_625_000_000.0,
        }]);
        let reports = [PageKind::Search, PageKind::Profile, PageKind::Unrecognised]
            .into_iter()
            .zip([
                MenuPlacement::NotOpened,
                MenuPlacement::Placed,
                MenuPlacement::MenuNotFound,
            ])
            .map(|(page, menu)| {
                ContentAnswer::Page(PageReport {
                    page,
                    account_found: true,
                    search: Some(SearchReport {
                        cards: 26,
                        ..SearchReport::default()
                    }),
                    profile: Some(ProfileReport {
                        menu,
                        emails: 2,
                        ..ProfileReport::default()
                    }),
                })
            });
        round_trips(
            &reports
                .chain([
                    ContentAnswer::Page(PageReport::default()),
                    ContentAnswer::Ok,
                    ContentAnswer::Error {
                        message: "No profile.".into(),
                    },
                ])
                .collect::<Vec<_>>(),
        );
        agrees_with_serde::<ContentAnswer>(&[
            r#"{"type": "Page", "page": "profile", "accountFound": false}"#,
            r#"{"type": "Page", "page": "Elsewhere", "accountFound": false}"#,
            r#"{"type": "Page", "accountFound": false}"#,
            r#"{"type": "Error"}"#,
            r#"{"type": "Ok", "message": 1}"#,
            r#"{"type": "Other"}"#,
        ]);
        let automation = |job: &str| {
            format!(
                r#"{{"searchId": "s", "enabled": false, "trigger": "OnLike", "applicantLimit": null, "jobId": {job}}}"#
            )
        };
        let texts = [
            "null",
            r#""""#,
            r#""  ""#,
            r#""job-1""#,
            "5",
            r#""bad id with spaces""#,
        ]
        .map(automation);
        agrees_with_serde::<SearchAutomation>(
            &texts.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        agrees_with_serde::<SearchAutomation>(&[
            r#"{"searchId": "s", "enabled": false, "trigger": "OnLike"}"#,
            r#"{"searchId": "s", "enabled": false, "trigger": "Sometimes", "applicantLimit": 3}"#,
            r#"{"searchId": "s", "enabled": false, "trigger": "OnLike", "applicantLimit": -3}"#,
        ]);
    }

    #[test]
    fn each_reply_travels_as_its_body_with_its_type_tag() {
        let jobs = JobList {
            jobs: vec![JobChoice {
                id: "j".into(),
                title: "Engineer".into(),
                status: "Open".into(),
                location: Some("Paris".into()),
                department: None,
            }],
            last_job_id: Some("j".into()),
        };
        let wire = round_trip(jobs);
        assert_eq!(wire["type"], "Jobs");
        assert_eq!(wire["lastJobId"], "j");
        assert_eq!(wire["jobs"][0]["title"], "Engineer");
        assert_eq!(round_trip(Done {}), serde_json::json!({ "type": "Ok" }));
        let connection = ConnectionView {
            connected: true,
            key_title: Some("Fetcher".into()),
            ..ConnectionView::default()
        };
        let wire = round_trip(connection);
        assert_eq!(wire["type"], "Connection");
        assert_eq!(wire["keyTitle"], "Fetcher");
        let wire = round_trip(Pong {
            version: "1".into(),
            started_at: 5.0,
        });
        assert_eq!(wire["startedAt"], 5.0);
        assert_eq!(round_trip(SearchesView::default())["type"], "Searches");
        assert_eq!(round_trip(SendPreview::default())["type"], "Preview");
        assert_eq!(
            round_trip(Prepared { token: "t".into() }),
            serde_json::json!({ "type": "Prepared", "token": "t" })
        );
        let wire = round_trip(HeldUploadsView { uploads: vec![] });
        assert_eq!(
            wire,
            serde_json::json!({ "type": "HeldUploads", "uploads": [] })
        );
    }

    #[test]
    fn an_error_or_another_reply_is_not_the_reply_asked_for() {
        let refused: Answer<SearchesView> = Err(WorkerProblem::StorageFailed);
        let wire = serde_json::to_value(wire_answer(&refused)).unwrap();
        assert_eq!(
            wire,
            serde_json::json!({ "type": "Error", "problem": "storageFailed" })
        );
        let header =
            |wire: serde_json::Value| -> ReplyHeader { serde_json::from_value(wire).unwrap() };
        assert_eq!(
            header(wire).expect_tag(SearchesView::TAG),
            Err(AskError::Failed(WorkerProblem::StorageFailed))
        );
        let not_owner = WorkerProblem::ReadOnly(crate::domain::ReadOnlyReason::NotOwner {
            owner: "lead@agency.com".into(),
        });
        let wire = serde_json::to_value(wire_answer::<SearchesView>(&Err(not_owner.clone())));
        assert_eq!(
            header(wire.unwrap()).expect_tag(SearchesView::TAG),
            Err(AskError::Failed(not_owner))
        );
        // Another request's reply, an error without its message, an unknown type.
        let other = serde_json::to_value(wire_answer(&Ok(Done {}))).unwrap();
        assert_eq!(
            header(other).expect_tag(SearchesView::TAG),
            Err(AskError::Unavailable)
        );
        let bare = serde_json::json!({ "type": "Error" });
        assert_eq!(
            header(bare).expect_tag(Done::TAG),
            Err(AskError::Unavailable)
        );
        // English from an older worker is not a problem this page knows.
        let english = serde_json::json!({ "type": "Error", "problem": "Try again." });
        assert!(serde_json::from_value::<ReplyHeader>(english).is_err());
        let unknown = serde_json::json!({ "type": "Nope" });
        assert_eq!(
            header(unknown).expect_tag(Done::TAG),
            Err(AskError::Unavailable)
        );
        assert!(serde_json::from_value::<ReplyHeader>(serde_json::json!({})).is_err());
    }

    #[test]
    fn content_and_ui_messages_do_not_collide() {
        let hello: Incoming =
            serde_json::from_str(r#"{"type":"Hello","pageKind":"profile"}"#).unwrap();
        assert!(matches!(
            hello,
            Incoming::Content(ContentToWorker::Hello(_))
        ));
        // The content script sends the page's kind by its name.
        let hello = Hello {
            page_kind: crate::domain::PageKind::Unrecognised,
        };
        let json = serde_json::to_string(&hello.clone().into_message()).unwrap();
        assert_eq!(json, r#"{"type":"Hello","pageKind":"Unrecognised"}"#);
        assert_eq!(
            serde_json::from_str::<Incoming>(&json).unwrap(),
            Incoming::Content(ContentToWorker::Hello(hello))
        );
        let hello_of = |kind: serde_json::Value| {
            serde_json::from_value::<Incoming>(
                serde_json::json!({"type": "Hello", "pageKind": kind}),
            )
        };
        for kind in ["search", "profile", "unrecognised", "Search"] {
            assert!(hello_of(kind.into()).is_ok(), "{kind}");
        }
        for kind in [42.into(), "".into(), "<script>".into(), "settings".into()] {
            assert!(hello_of(kind).is_err());
        }
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

/// This extension's own origin as the platform reports it (`runtime.getURL("")`):
/// `chrome-extension://<id>/` in Chrome, `moz-extension://<random uuid>/` in Firefox (where
/// `runtime.id` is the gecko id, not part of the URL). Anything that is not a bare
/// `scheme://host/` origin is rejected, so a missing or odd answer never widens the check.
fn own_origin_prefix(own_origin: &str) -> Option<&str> {
    let (scheme, rest) = crate::substring::split_once(own_origin, "://")?;
    let host = rest.strip_suffix('/')?;
    let plain = |part: &str, extra: char| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == extra)
    };
    (plain(scheme, '-') && plain(host, '.')).then_some(own_origin)
}

/// The sender allow-list: messages from other extensions, from web pages, or from content
/// scripts on other sites are refused (`None`). `own_origin` is `runtime.getURL("")` and
/// `extension_id` is `runtime.id`; the browser sets `sender_id` to the sending extension's id.
pub fn classify_sender(
    own_origin: &str,
    extension_id: &str,
    sender_id: Option<&str>,
    sender_url: Option<&str>,
    from_tab: bool,
) -> Option<Sender> {
    if extension_id.is_empty() || sender_id != Some(extension_id) {
        return None;
    }
    let own_origin = own_origin_prefix(own_origin)?;
    let url = sender_url?;
    if url.starts_with(own_origin) {
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

    /// How each browser describes this extension and its senders.
    struct Platform {
        /// `runtime.getURL("")`.
        origin: &'static str,
        /// `runtime.id` (and `sender.id` for our own senders).
        id: &'static str,
        /// Another installed extension's origin and id.
        other_origin: &'static str,
        other_id: &'static str,
    }

    const CHROME: Platform = Platform {
        origin: "chrome-extension://abcdefghijklmnopabcdefghijklmnop/",
        id: "abcdefghijklmnopabcdefghijklmnop",
        other_origin: "chrome-extension://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/",
        other_id: "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
    };
    // Firefox: the id is the manifest's gecko id; the origin's host is a per-install UUID.
    const FIREFOX: Platform = Platform {
        origin: "moz-extension://0b7c3f4e-1d2a-4c5b-9e8f-112233445566/",
        id: "fetcher-ashby@fetcher-ashby.dev",
        other_origin: "moz-extension://99999999-8888-4777-a666-555555555555/",
        other_id: "other@example.org",
    };

    fn classify(p: &Platform, id: Option<&str>, url: &str, from_tab: bool) -> Option<Sender> {
        classify_sender(p.origin, p.id, id, Some(url), from_tab)
    }

    #[test]
    fn own_pages_are_recognised_in_both_browsers() {
        for p in [&CHROME, &FIREFOX] {
            let popup = format!("{}popup/index.html", p.origin);
            assert_eq!(
                classify(p, Some(p.id), &popup, false),
                Some(Sender::OwnPage)
            );
            // The options page opens in a tab, so its sender carries a tab.
            let options = format!("{}options/index.html", p.origin);
            assert_eq!(
                classify(p, Some(p.id), &options, true),
                Some(Sender::OwnPage)
            );
        }
    }

    #[test]
    fn fetcher_tabs_are_recognised_in_both_browsers() {
        for p in [&CHROME, &FIREFOX] {
            let tab = "https://app.fetcher.ai/searches/s1";
            assert_eq!(classify(p, Some(p.id), tab, true), Some(Sender::FetcherTab));
            // A Fetcher URL without a tab is not our content script.
            assert_eq!(classify(p, Some(p.id), tab, false), None);
        }
    }

    #[test]
    fn other_extensions_are_refused_in_both_browsers() {
        for p in [&CHROME, &FIREFOX] {
            let theirs = format!("{}popup.html", p.other_origin);
            let ours = format!("{}popup/index.html", p.origin);
            assert_eq!(classify(p, Some(p.other_id), &theirs, false), None);
            // Their id with a URL claiming to be ours, or our id with their page.
            assert_eq!(classify(p, Some(p.other_id), &ours, false), None);
            assert_eq!(classify(p, Some(p.id), &theirs, false), None);
            assert_eq!(classify(p, None, &ours, false), None);
        }
    }

    #[test]
    fn the_other_browsers_scheme_is_not_ours() {
        // Chrome's own-page shape is refused in Firefox and the other way round.
        let chrome_page = format!("{}popup/index.html", CHROME.origin);
        let firefox_page = format!("{}popup/index.html", FIREFOX.origin);
        assert_eq!(
            classify(&FIREFOX, Some(FIREFOX.id), &chrome_page, false),
            None
        );
        assert_eq!(
            classify(&CHROME, Some(CHROME.id), &firefox_page, false),
            None
        );
    }

    #[test]
    fn web_pages_and_other_origins_are_refused_in_both_browsers() {
        for p in [&CHROME, &FIREFOX] {
            for url in [
                "https://evil.example/",
                "https://app.fetcher.ai.evil.example/",
                "http://app.fetcher.ai/searches/s1",
                "https://api.ashbyhq.com/",
                "about:blank",
                "",
            ] {
                assert_eq!(classify(p, Some(p.id), url, true), None, "{url}");
                assert_eq!(classify(p, Some(p.id), url, false), None, "{url}");
            }
            // A message with no URL at all.
            assert_eq!(
                classify_sender(p.origin, p.id, Some(p.id), None, false),
                None
            );
        }
    }

    #[test]
    fn a_missing_or_malformed_own_origin_refuses_everything() {
        let page = format!("{}popup/index.html", FIREFOX.origin);
        for origin in [
            "",
            "moz-extension://",
            "moz-extension:///",
            "moz-extension://x/y/",
            "//x/",
            "https:/x/",
        ] {
            assert_eq!(
                classify_sender(origin, FIREFOX.id, Some(FIREFOX.id), Some(&page), false),
                None,
                "{origin:?}"
            );
        }
        // An empty id never matches an empty sender id.
        assert_eq!(
            classify_sender(CHROME.origin, "", Some(""), Some(&page), false),
            None
        );
    }

    #[test]
    fn each_sender_may_send_only_its_own_kind() {
        let ui = Incoming::Ui(UiToWorker::Ping);
        let content = Incoming::Content(ContentToWorker::Hello(Hello {
            page_kind: crate::domain::PageKind::Search,
        }));
        assert!(ui.allowed_from(Sender::OwnPage));
        assert!(!ui.allowed_from(Sender::FetcherTab));
        assert!(content.allowed_from(Sender::FetcherTab));
        assert!(!content.allowed_from(Sender::OwnPage));
    }
}

#[cfg(test)]
mod popup_to_content_tests {
    use super::*;
    use crate::fetcher::page_report::{PageKind, PageReport};

    #[test]
    fn popup_requests_and_content_answers_use_the_type_tag() {
        let json = serde_json::to_string(&PopupToContent::OpenSendDialog).unwrap();
        assert_eq!(json, r#"{"type":"OpenSendDialog"}"#);
        let report = ContentAnswer::Page(PageReport {
            page: PageKind::Search,
            account_found: true,
            ..PageReport::default()
        });
        let wire = serde_json::to_value(&report).unwrap();
        assert_eq!(wire["type"], "Page");
        assert_eq!(wire["page"], "Search");
        assert_eq!(
            serde_json::from_value::<ContentAnswer>(wire).unwrap(),
            report
        );
        // The worker's messages to tabs are not popup requests (each listener reads its own).
        assert!(serde_json::from_str::<PopupToContent>(r#"{"type":"ShortcutSend"}"#).is_err());
    }
}

#[cfg(test)]
mod activity_tests {
    use super::*;

    fn record(
        status: crate::upload::outbox::UploadStatus,
        at_ms: f64,
    ) -> crate::upload::outbox::UploadRecord {
        crate::upload::outbox::UploadRecord {
            status,
            job_id: "j1".parse().unwrap(),
            job_title: "Backend".into(),
            ashby_candidate_id: None,
            profile_url: None,
            application_id: None,
            reused: false,
            matched_by: None,
            at_ms: crate::domain::EpochMs::from_clock(at_ms),
            error: None,
            origin: crate::upload::outbox::UploadOrigin::Manual,
        }
    }

    fn item(
        candidate: &str,
        status: crate::upload::outbox::UploadStatus,
        at_ms: f64,
    ) -> ActivityItem {
        ActivityItem {
            search_id: "s1".into(),
            candidate_id: candidate.into(),
            candidate_name: None,
            record: record(status, at_ms),
        }
    }

    /// Every reply the worker sends, as serde wrote it: the body beside its tag, or the
    /// problem; and the worker's messages to content scripts.
    #[test]
    fn every_answer_the_worker_sends_is_written_as_serde_writes_it() {
        use crate::domain::{
            AshbyProblem, AutomationPaused, JobStatus, PageProblem, ReadOnlyReason,
            SearchAutomation, StorageProblem, Trigger, UploadProblem, UserMatch,
        };
        use crate::json_writer::testing::{awkward_text, same_as_serde};
        use crate::upload::dedupe::MatchReason;
        use crate::upload::outbox::UploadStatus;
        fn both<T: Reply>(reply: T) {
            same_as_serde(&wire_answer(&Ok(reply)));
        }
        both(Pong {
            version: "0.1.0".into(),
            started_at: 1_764_000_000_123.0,
        });
        let email = || Email::parse("rita@agency.com").unwrap();
        both(ConnectionView::default());
        both(ConnectionView {
            connected: true,
            key_title: Some(awkward_text()),
            scopes: vec!["candidatesWrite".into(), "jobsRead".into()],
            remember_key: true,
            session_ended: true,
            account_email: Some(email()),
            user: UserMatch::LookupFailed {
                email: email(),
                problem: AshbyProblem::Timeout,
            },
            uploads_paused: Some(UploadProblem::Paused {
                because: AshbyProblem::InvalidKey { request_id: None },
            }),
            storage_problems: vec![StorageProblem::Corrupt { key: "k".into() }],
            page_problem: Some(PageProblem::ContentBlocked),
            storage_full: true,
            confirmed_account: Some(email()),
            account_change: Some(email()),
        });
        let jobs = vec![
            JobChoice {
                id: "j1".parse().unwrap(),
                title: awkward_text(),
                status: JobStatus::Open,
                location: Some("Remote".into()),
                department: Some("Engineering".into()),
            },
            JobChoice {
                id: "j2".parse().unwrap(),
                title: "Closed one".into(),
                status: JobStatus::Closed,
                location: None,
                department: None,
            },
        ];
        both(JobList {
            jobs: jobs.clone(),
            last_job_id: Some("j1".parse().unwrap()),
        });
        both(JobList {
            jobs: vec![],
            last_job_id: None,
        });
        both(SendPreview::default());
        for matched_by in [
            MatchReason::Email(email()),
            MatchReason::LinkedIn,
            MatchReason::GitHub,
        ] {
            both(SendPreview {
                existing_profile_url: Some(
                    AshbyProfileUrl::parse("https://app.ashbyhq.com/candidates/c-1").unwrap(),
                ),
                matched_by: Some(matched_by),
                already_applied: true,
            });
        }
        let mut sent = record(UploadStatus::Sent, 1_764_000_000_000.0);
        sent.error = Some(UploadProblem::MaybeCreated);
        sent.matched_by = Some(MatchReason::LinkedIn);
        sent.ashby_candidate_id = Some("c-1".into());
        for previous in [None, Some(sent.clone())] {
            both(DraftView {
                candidate: FetcherCandidate::new("s1".parse().unwrap(), "c1".parse().unwrap()),
                jobs: jobs.clone(),
                last_job_id: None,
                previous,
            });
        }
        both(Prepared {
            token: awkward_text(),
        });
        both(ShortcutDone {
            outcome: ShortcutOutcome::Queued {
                name: awkward_text(),
                job_title: awkward_text(),
            },
        });
        both(ShortcutDone {
            outcome: ShortcutOutcome::Review {
                token: awkward_text(),
            },
        });
        both(CheckedCandidates {
            candidates: vec![
                None,
                Some(crate::fetcher::page_report::FoundFields {
                    emails: 1,
                    searchable: true,
                    ..Default::default()
                }),
            ],
        });
        both(SearchesView::default());
        both(SearchesView {
            account_email: Some(email()),
            searches: vec![SearchItem {
                search_id: "s1".into(),
                title: Some(awkward_text()),
                owner_email: Some(email()),
                read_only_reason: Some(ReadOnlyReason::NotOwner {
                    owner: "lead@agency.com".into(),
                }),
                automation: SearchAutomation {
                    search_id: "s1".into(),
                    job_id: Some("j1".parse().unwrap()),
                    enabled: true,
                    trigger: Trigger::OnReply,
                    applicant_limit: Some(10),
                    enabled_at_ms: Some(1_764_000_000_000),
                },
                uploaded: 3,
                automation_paused: Some(AutomationPaused { limit: 10, held: 2 }),
            }],
        });
        both(ActivityView {
            items: vec![
                item("c1", UploadStatus::Queued, 1.0),
                ActivityItem {
                    candidate_name: Some(awkward_text()),
                    record: sent,
                    ..item("c2", UploadStatus::Sent, 2.0)
                },
            ],
            today: ActivityCounts {
                sent: 1,
                failed: 2,
                queued: 3,
            },
        });
        both(HeldUploadsView { uploads: vec![] });
        both(HeldUploadsView {
            uploads: vec![crate::upload::held::HeldUpload {
                key: "outbox/s1/c1".into(),
                candidate_name: awkward_text(),
                job_title: "Backend".into(),
            }],
        });
        both(Done {});
        same_as_serde(&wire_answer::<Done>(&Err(WorkerProblem::Ashby(
            AshbyProblem::RateLimited {
                retry_after_ms: Some(1_000),
                partner_limit: false,
            },
        ))));
        same_as_serde(&wire_answer::<SearchesView>(&Err(
            WorkerProblem::ConnectFirst,
        )));
        same_as_serde(&WorkerToContent::ShortcutSend);
        same_as_serde(&WorkerToContent::CloseSendDialog);
    }

    #[test]
    fn today_counts_sent_and_failed_since_midnight_and_the_whole_queue() {
        use crate::upload::outbox::UploadStatus::*;
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
        let wire = serde_json::to_value(wire_answer(&Ok(ActivityView {
            items: vec![],
            today: ActivityCounts::of(&records, midnight),
        })))
        .unwrap();
        assert_eq!(wire["today"]["queued"], 2);
    }

    #[test]
    fn recent_activity_keeps_older_failures_beyond_the_limit() {
        use crate::upload::outbox::UploadStatus::*;
        let items = vec![
            item("old-failed", Failed, 1.0),
            item("old-sent", Sent, 2.0),
            item("new-sent", Sent, 5.0),
            item("newer-sent", Sent, 6.0),
            item("older-failed", Failed, 0.5),
        ];
        let kept: Vec<CandidateId> = recent_activity(items.clone(), 2)
            .into_iter()
            .map(|i| i.candidate_id)
            .collect();
        assert_eq!(
            kept,
            ["newer-sent", "new-sent", "old-failed", "older-failed"]
        );
        let kept: Vec<CandidateId> = recent_activity(items, 1)
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

crate::deserialize_through_from_json!(SendPreview);

#[cfg(test)]
mod content_encoders {
    //! The content script's hand-written encoders, each held to its serde derive.

    use super::*;
    use crate::domain::{CandidateStatus, HttpsUrl, PageKind};
    use crate::fetcher::page_report::{MenuPlacement, PageReport, ProfileReport, SearchReport};
    use crate::json_writer::testing::{awkward_text, same_as_serde};

    fn full_candidate() -> FetcherCandidate {
        FetcherCandidate {
            name: awkward_text(),
            title: Some("Head of \"Data\"".into()),
            company: Some(String::new()),
            location: None,
            emails: vec![
                Email::parse("jane@acme.com").unwrap(),
                Email::parse("J.Doe+x@Example.org").unwrap(),
            ],
            phones: vec!["+49 30 1234".into()],
            linkedin_url: Some(HttpsUrl::parse("https://www.linkedin.com/in/jane").unwrap()),
            github_url: None,
            website_urls: vec![HttpsUrl::parse("https://jane.example/a?b=c&d").unwrap()],
            status: Some(CandidateStatus::Interested),
            liked: true,
            ..FetcherCandidate::new("search-1".parse().unwrap(), "cand-1".parse().unwrap())
        }
    }

    fn full_reading() -> RawCandidate {
        RawCandidate {
            search_id: "search-1".into(),
            candidate_id: awkward_text(),
            name: awkward_text(),
            headline: Some("Head of \"Data\" at Acme".into()),
            location: None,
            email_hrefs: vec!["mailto:jane@acme.com".into(), awkward_text()],
            phone_hrefs: vec!["tel:+49 30 1234".into()],
            link_hrefs: vec!["https://www.linkedin.com/in/jane".into()],
            status_text: Some(awkward_text()),
            like_pressed: true,
        }
    }

    #[test]
    fn every_report_and_request_is_written_as_serde_writes_it() {
        let candidate = full_reading();
        let bare = RawCandidate::default();
        let job: JobId = "job-1".parse().unwrap();
        let messages = [
            ContentToWorker::Hello(Hello {
                page_kind: PageKind::Profile,
            }),
            ContentToWorker::PageSeen(PageSeen::default()),
            ContentToWorker::PageSeen(PageSeen {
                account_email: Some("me@fetcher.ai".into()),
                search_id: Some("search-1".parse().unwrap()),
                search_title: Some(awkward_text()),
                search_owner_email: None,
            }),
            ContentToWorker::SendByShortcut(SendByShortcut {
                candidate: candidate.clone(),
            }),
            ContentToWorker::SendNow(SendNow {
                candidate: bare.clone(),
                job_id: job,
            }),
            ContentToWorker::CandidatesSeen(CandidatesSeen {
                candidates: vec![candidate.clone(), bare],
            }),
            ContentToWorker::CandidatesSeen(CandidatesSeen { candidates: vec![] }),
            ContentToWorker::RetryUpload(RetryUpload {
                search_id: "search-1".parse().unwrap(),
                candidate_id: "cand-1".parse().unwrap(),
            }),
            ContentToWorker::ContentBlocked(ContentBlocked {
                reason: awkward_text(),
            }),
            ContentToWorker::CheckCandidates(CheckCandidates {
                candidates: vec![candidate.clone(), RawCandidate::default()],
            }),
            ContentToWorker::CheckCandidates(CheckCandidates { candidates: vec![] }),
            ContentToWorker::PrepareSend(PrepareSend { candidate }),
        ];
        for message in &messages {
            same_as_serde(message);
        }
        for status in [
            CandidateStatus::New,
            CandidateStatus::Liked,
            CandidateStatus::Contacted,
            CandidateStatus::Replied,
            CandidateStatus::Interested,
        ] {
            same_as_serde(&status);
        }
        for kind in [PageKind::Search, PageKind::Profile, PageKind::Unrecognised] {
            same_as_serde(&kind);
        }
    }

    #[test]
    fn every_page_request_is_written_as_serde_writes_it() {
        use crate::domain::{SearchAutomation, Trigger};
        use crate::upload::held::HeldChoice;
        let candidate = full_candidate();
        let job: JobId = "job-1".parse().unwrap();
        let requests = [
            UiToWorker::Ping,
            UiToWorker::Connect(Connect {
                api_key: awkward_text(),
            }),
            UiToWorker::ConnectionStatus,
            UiToWorker::Disconnect,
            UiToWorker::ListJobs(ListJobs { refresh: true }),
            UiToWorker::SetKeyStorage(SetKeyStorage { remember: false }),
            UiToWorker::ListSearches,
            UiToWorker::SaveAutomation(SaveAutomation {
                automation: SearchAutomation {
                    search_id: "s1".parse().unwrap(),
                    job_id: Some(job.clone()),
                    enabled: true,
                    trigger: Trigger::OnLike,
                    applicant_limit: Some(5),
                    enabled_at_ms: None,
                },
            }),
            UiToWorker::ForgetAutomation,
            UiToWorker::ListActivity,
            UiToWorker::RetryFromActivity(RetryFromActivity {
                search_id: "s1".parse().unwrap(),
                candidate_id: "c1".parse().unwrap(),
            }),
            UiToWorker::OpenDraft(OpenDraft { token: "t".into() }),
            UiToWorker::PreviewDraft(PreviewDraft {
                token: "t".into(),
                candidate: candidate.clone(),
                job_id: job.clone(),
            }),
            UiToWorker::SendDraft(SendDraft {
                token: "t".into(),
                candidate,
                job_id: job,
            }),
            UiToWorker::CloseDraft(CloseDraft { token: "t".into() }),
            UiToWorker::ListHeldUploads,
            UiToWorker::ResolveHeldUploads(ResolveHeldUploads {
                choice: HeldChoice::SendWithCurrent,
            }),
            UiToWorker::ResolveHeldUploads(ResolveHeldUploads {
                choice: HeldChoice::Discard,
            }),
            UiToWorker::ResumeAutomation(ResumeAutomation {
                search_id: "s1".parse().unwrap(),
            }),
            UiToWorker::ConfirmAccount(ConfirmAccount {
                email: Email::parse("rita@agency.com").unwrap(),
            }),
        ];
        for request in &requests {
            same_as_serde(request);
            assert_eq!(request.json_text(), serde_json::to_string(request).unwrap());
        }
        for request in [PopupToContent::DescribePage, PopupToContent::OpenSendDialog] {
            same_as_serde(&request);
        }
    }

    #[test]
    fn every_answer_to_the_popup_is_written_as_serde_writes_it() {
        let search = SearchReport {
            title_found: true,
            owner_found: false,
            cards: 26,
            readable_cards: 25,
            cards_with_contact: 0,
        };
        let mut answers = vec![
            ContentAnswer::Page(PageReport::default()),
            ContentAnswer::Page(PageReport {
                page: PageKind::Search,
                account_found: true,
                search: Some(search),
                profile: None,
            }),
            ContentAnswer::Ok,
            ContentAnswer::Error {
                message: awkward_text(),
            },
        ];
        for menu in [
            MenuPlacement::NotOpened,
            MenuPlacement::Placed,
            MenuPlacement::MenuNotFound,
        ] {
            answers.push(ContentAnswer::Page(PageReport {
                page: PageKind::Profile,
                account_found: false,
                search: None,
                profile: Some(ProfileReport {
                    readable: true,
                    name: true,
                    headline: false,
                    location: true,
                    emails: 2,
                    phones: 0,
                    linkedin: true,
                    github: false,
                    other_links: 3,
                    status: true,
                    like_button: false,
                    more_actions_button: true,
                    menu,
                }),
            }));
        }
        for answer in &answers {
            same_as_serde(answer);
        }
    }
}
