//! The durable queue's data: entries, their progress through the pipeline, and the per-card
//! upload records, with the storage keys they live under.
//!
//! Storage layout (`chrome.storage.local`, one JSON value per key):
//!
//! | key | value |
//! |---|---|
//! | `outbox/<searchId>/<candidateId>/<jobId>` | one [`OutboxEntry`] |
//! | `outbox/index` | the keys of the **pending** entries, oldest first (FIFO) |
//! | `outbox/paused` | why the queue is paused, an [`UploadProblem`] (absent otherwise) |
//! | `outbox/rate` | the rate guard's bucket ([`crate::upload::runner::RateState`]) |
//! | `outbox/prunedAt` | when finished entries were last pruned ([`entries_to_prune`]) |
//! | `upload/<searchId>/<candidateId>` | one [`UploadRecord`], what the card shows |
//!
//! A step rewrites only its own entry and record (one batched write of two keys), never the
//! queue; the index changes only when an entry is added, retried or leaves the queue. Ids are
//! the domain's ([`crate::domain::is_valid_id`]: Fetcher ids and Ashby's UUIDs, no `/`), so `/`
//! can separate them without escaping and an id can never collide with `index`, `paused` or
//! `rate` (those keys have one segment after `outbox/`, entries three).

use super::dedupe::MatchReason;
use crate::ashby::types::SocialLink;
pub use crate::domain::InvalidId;
use crate::domain::{
    AshbyProfileUrl, CandidateId, Email, EpochMs, FetcherCandidate, JobId, SearchId, Trigger,
    UploadProblem,
};
use crate::from_json::{named, tag, Fields, FromJson, Mismatch};
use crate::json_text::Json;
use crate::json_writer::{Object, WriteJson};
use crate::storage_schema::keys::{self, StorageKey};
#[cfg(not(target_arch = "wasm32"))]
use serde::Deserialize;
use serde::Serialize;
use std::fmt;

pub const INDEX_KEY: &str = keys::OUTBOX_INDEX;
/// When finished entries were last pruned (epoch ms).
pub const PRUNED_AT_KEY: &str = keys::OUTBOX_PRUNED_AT;
/// Finished entries are kept this long, then removed (their card records stay). Storage is
/// limited (10 MB for `storage.local`), and once the upload is in Ashby a repeat is caught by
/// the pipeline's search anyway.
pub const KEEP_DONE_MS: f64 = 30.0 * 24.0 * 60.0 * 60.0 * 1000.0;
/// How often to look for entries to prune.
pub const PRUNE_EVERY_MS: f64 = 24.0 * 60.0 * 60.0 * 1000.0;
pub const PAUSED_KEY: &str = keys::OUTBOX_PAUSED;
pub const RATE_KEY: &str = keys::OUTBOX_RATE;
/// What makes an upload unique: this Fetcher candidate, seen in this search, to this job.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct EntryKey {
    pub search_id: SearchId,
    pub candidate_id: CandidateId,
    pub job_id: JobId,
}

impl EntryKey {
    /// A key from validated ids.
    pub fn new(
        search_id: impl Into<String>,
        candidate_id: impl Into<String>,
        job_id: impl Into<String>,
    ) -> Result<Self, InvalidId> {
        Ok(Self {
            search_id: SearchId::try_from(search_id.into())?,
            candidate_id: CandidateId::try_from(candidate_id.into())?,
            job_id: JobId::try_from(job_id.into())?,
        })
    }

    /// The key of sending `candidate` to `job_id` (ids checked when they were made).
    pub fn for_candidate(candidate: &FetcherCandidate, job_id: &JobId) -> Self {
        Self {
            search_id: candidate.search_id.clone(),
            candidate_id: candidate.candidate_id.clone(),
            job_id: job_id.clone(),
        }
    }

    /// `outbox/<search>/<candidate>/<job>`.
    pub fn storage_key(&self) -> String {
        keys::outbox_entry(&self.search_id, &self.candidate_id, &self.job_id)
    }

    /// Reads a storage key back (`None` for any other key, e.g. `outbox/index`).
    pub fn from_storage_key(key: &str) -> Option<Self> {
        match StorageKey::parse(key)? {
            StorageKey::OutboxEntry {
                search_id,
                candidate_id,
                job_id,
            } => Self::new(search_id, candidate_id, job_id).ok(),
            _ => None,
        }
    }

    /// The storage key of this candidate's [`UploadRecord`].
    pub fn record_key(&self) -> String {
        record_key(&self.search_id, &self.candidate_id)
    }
}

impl fmt::Display for EntryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.storage_key())
    }
}

/// `upload/<search>/<candidate>`: where the card's [`UploadRecord`] lives.
pub fn record_key(search_id: &SearchId, candidate_id: &CandidateId) -> String {
    keys::upload_record(search_id, candidate_id)
}

/// Why the upload was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum UploadOrigin {
    /// The recruiter clicked "Send to Ashby".
    Manual,
    /// The search's automation fired.
    Automatic { trigger: Trigger },
}

impl FromJson for UploadOrigin {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        match tag(&fields, "kind")? {
            "manual" => Ok(UploadOrigin::Manual),
            "automatic" => Ok(UploadOrigin::Automatic {
                trigger: fields.required("trigger")?,
            }),
            _ => Err(Mismatch("an upload origin")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
pub enum EntryState {
    /// In the queue (possibly waiting for `next_attempt_at_ms`, or for the queue to resume).
    Pending,
    /// Everything is in Ashby.
    Done,
    /// Stopped on an error retrying cannot fix by itself; waits for a manual retry.
    Failed,
    /// An automatic upload of a candidate the extension cannot look up in Ashby yet (a card
    /// showing neither an email nor a LinkedIn/GitHub link): creating it blind could duplicate
    /// someone already in Ashby. Not in the queue; it joins it once the candidate is seen with
    /// contact details (e.g. the recruiter opens the profile) or is sent by hand.
    Waiting,
}

/// The Ashby candidate an entry uploads to, once known.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct AshbyCandidateRef {
    pub id: String,
    #[serde(default, deserialize_with = "crate::domain::web::link_or_none")]
    pub profile_url: Option<AshbyProfileUrl>,
    /// This entry created it (including a create whose answer was lost and that a re-check
    /// then found). `false`: it was already in Ashby and is reused.
    pub created: bool,
    /// Why an existing candidate was taken to be this one (`None` when created).
    #[serde(default)]
    pub matched_by: Option<MatchReason>,
}

/// The contact data a reused candidate lacks, sent with one `candidate.update`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct ContactUpdate {
    /// The complete new list (current links plus the new ones): Ashby replaces all links.
    #[serde(default)]
    pub social_links: Option<Vec<SocialLink>>,
    #[serde(default)]
    pub alternate_email: Option<Email>,
    #[serde(default)]
    pub phone_number: Option<String>,
}

/// A write whose request is about to be sent by this very process. Never stored: an entry read
/// back from storage with `*_attempted` set but not armed means the request may have been sent
/// and its answer lost, so the pipeline re-checks Ashby before anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Armed {
    Create,
    Apply,
    Note,
}

/// Each completed step's result. Persisted after every Ashby call, so a worker killed at any
/// point resumes at the next step and never creates anything twice.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase", default)]
pub struct Progress {
    // -- find the candidate (the current pass)
    /// How many email search terms (each email as shown, then lower-cased when different;
    /// [`super::dedupe::email_search_terms`]) have been searched without a match.
    #[serde(skip_serializing_if = "is_zero")]
    pub emails_searched: u32,
    /// The name search (with social-link matching) ran without a match.
    #[serde(skip_serializing_if = "is_false")]
    pub name_searched: bool,
    /// The candidate in Ashby, once found or created.
    pub candidate: Option<AshbyCandidateRef>,
    /// A `candidate.create` is about to be sent or may have been sent; set and persisted
    /// BEFORE sending, cleared when its outcome is known.
    #[serde(skip_serializing_if = "is_false")]
    pub create_attempted: bool,
    /// A create's answer was lost (timeout, dropped connection, 5xx, killed worker): it may
    /// have landed, so the candidate is looked up again before creating.
    #[serde(skip_serializing_if = "is_false")]
    pub create_maybe_landed: bool,

    // -- contact data (reused candidates only)
    /// What `candidate.update` must add; `None` once done or when nothing is new.
    pub contact_update: Option<ContactUpdate>,
    #[serde(skip_serializing_if = "is_false")]
    pub contact_update_done: bool,
    /// `contact_update` was computed from a `candidate.info` read just now: `socialLinks`
    /// replaces every link, so it is merged against fresh data, never a search snapshot.
    #[serde(skip_serializing_if = "is_false")]
    pub contact_fresh: bool,
    /// Why Ashby refused the contact update (the upload went on without it).
    pub contact_update_error: Option<UploadProblem>,

    // -- the application
    /// The candidate's application ids as last read from Ashby; `None` = read them
    /// (`candidate.info`).
    pub known_application_ids: Option<Vec<String>>,
    /// When they were read (set by the runner); older ones are read again.
    pub known_applications_at_ms: Option<EpochMs>,
    /// Applications already looked at (`application.info`) that are for other jobs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_job_application_ids: Vec<String>,
    /// The application for this job, once found or created.
    pub application_id: Option<String>,
    /// This entry created the application (`false`: it already existed).
    #[serde(skip_serializing_if = "is_false")]
    pub application_created: bool,
    /// An `application.create` is about to be sent or may have been sent; persisted first.
    #[serde(skip_serializing_if = "is_false")]
    pub apply_attempted: bool,
    /// An apply's answer was lost; the applications are read again before applying.
    #[serde(skip_serializing_if = "is_false")]
    pub apply_maybe_landed: bool,
    /// Kept for entries stored by earlier versions (which counted a sandbox-only error code);
    /// no longer written.
    #[serde(skip_serializing_if = "is_zero")]
    pub apply_conflicts: u32,
    /// Ashby refused our `application.create`. Ashby documents no code for "already
    /// applied", so the applications are read again: one for this job means already applied;
    /// none means the entry fails with this problem.
    pub apply_refused: Option<UploadProblem>,

    // -- the note
    /// A `candidate.createNote` is about to be sent or may have been sent; persisted first.
    #[serde(skip_serializing_if = "is_false")]
    pub note_attempted: bool,
    /// The note step is over (added, not needed, or given up on).
    #[serde(skip_serializing_if = "is_false")]
    pub note_done: bool,

    pub note_id: Option<String>,
    /// Why there is no note although one was wanted (its answer was lost, or Ashby refused).
    pub note_error: Option<UploadProblem>,

    /// An automatic upload without contact details: Ashby was searched for the same name and
    /// had nobody by it, so creating is safe ([`crate::automation::name_only`]).
    #[serde(skip_serializing_if = "is_false")]
    pub same_name_checked: bool,
    /// The profile was seen with contact details after this entry created the candidate from
    /// a card without them: they are to be added to that Ashby candidate.
    #[serde(skip_serializing_if = "is_false")]
    pub enrich_pending: bool,

    /// Ashby calls this entry has made, all attempts included.
    #[serde(skip_serializing_if = "is_zero")]
    pub calls: u32,

    /// In-process only; see [`Armed`].
    #[serde(skip)]
    pub armed: Option<Armed>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_zero(value: &u32) -> bool {
    *value == 0
}

/// One queued upload.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct OutboxEntry {
    pub key: EntryKey,
    pub candidate: FetcherCandidate,
    pub job_title: String,
    pub origin: UploadOrigin,
    /// The recruiter's email, for the note ("Sent from Fetcher by …").
    pub recruiter_email: Option<Email>,
    pub enqueued_at_ms: EpochMs,
    pub state: EntryState,
    #[serde(default)]
    pub progress: Progress,
    /// Failed attempts of the current step (reset after a successful step).
    #[serde(default)]
    pub attempts: u32,
    /// Not before this time (epoch ms).
    #[serde(default)]
    pub next_attempt_at_ms: EpochMs,
    /// The last error (shown through [`crate::text::upload_problem`]).
    #[serde(default)]
    pub last_error: Option<UploadProblem>,
    /// When this entry last changed (epoch ms).
    #[serde(default)]
    pub updated_at_ms: EpochMs,
    /// The connection that queued it ([`super::held::connection_fingerprint`]); `None` when
    /// queued while disconnected (or by an earlier version). Another connection holds it.
    #[serde(default)]
    pub connection: Option<String>,
}

impl OutboxEntry {
    pub fn new(
        key: EntryKey,
        candidate: FetcherCandidate,
        job_title: impl Into<String>,
        origin: UploadOrigin,
        recruiter_email: Option<Email>,
        now_ms: f64,
    ) -> Self {
        Self {
            key,
            candidate,
            job_title: job_title.into(),
            origin,
            recruiter_email,
            enqueued_at_ms: EpochMs::from_clock(now_ms),
            state: EntryState::Pending,
            progress: Progress::default(),
            attempts: 0,
            next_attempt_at_ms: EpochMs::from_clock(now_ms),
            last_error: None,
            updated_at_ms: EpochMs::from_clock(now_ms),
            connection: None,
        }
    }

    /// Back to the queue after a failure: attempts and error cleared, due now. Progress is
    /// kept, so finished steps are not repeated (and a possibly-landed create is re-checked).
    /// A re-check that cannot run (a candidate without email or profile link) is waived: the
    /// recruiter was asked to check Ashby before retrying.
    pub fn reset_for_retry(&mut self, now_ms: f64) {
        self.state = EntryState::Pending;
        self.attempts = 0;
        self.next_attempt_at_ms = EpochMs::from_clock(now_ms);
        self.last_error = None;
        self.updated_at_ms = EpochMs::from_clock(now_ms);
        self.progress.apply_conflicts = 0;
        if self.progress.candidate.is_none() && !super::dedupe::can_search(&self.candidate) {
            self.progress.create_maybe_landed = false;
            self.progress.create_attempted = false;
        }
    }

    /// What the card shows for this entry.
    pub fn record(&self, status: UploadStatus) -> UploadRecord {
        let candidate = self.progress.candidate.as_ref();
        UploadRecord {
            status,
            job_id: self.key.job_id.clone(),
            job_title: self.job_title.clone(),
            ashby_candidate_id: candidate.map(|c| c.id.clone()),
            profile_url: candidate.and_then(|c| c.profile_url.clone()),
            application_id: self.progress.application_id.clone(),
            reused: candidate.is_some_and(|c| !c.created),
            matched_by: candidate.and_then(|c| c.matched_by.clone()),
            at_ms: self.updated_at_ms,
            error: match status {
                UploadStatus::Sent => None,
                _ => self.last_error.clone(),
            },
            origin: self.origin,
        }
    }

    /// The record matching the entry's state (`Queued` for a pending entry not being worked).
    pub fn resting_record(&self) -> UploadRecord {
        self.record(match self.state {
            EntryState::Pending | EntryState::Waiting => UploadStatus::Queued,
            EntryState::Done => UploadStatus::Sent,
            EntryState::Failed => UploadStatus::Failed,
        })
    }
}

/// The card's status (the UI contract's "Queued for Ashby", "Sending to Ashby", "Sent to
/// Ashby", "Ashby upload failed"), or why automation did not send the candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
pub enum UploadStatus {
    Queued,
    Sending,
    Sent,
    Failed,
    /// Automation fired but the search had reached its applicant limit: nothing was sent.
    Skipped,
}

impl UploadStatus {
    /// Its name in storage and messages (serde's), read by `FromJson` and written by
    /// `WriteJson` alike.
    pub const fn name(self) -> &'static str {
        match self {
            UploadStatus::Queued => "Queued",
            UploadStatus::Sending => "Sending",
            UploadStatus::Sent => "Sent",
            UploadStatus::Failed => "Failed",
            UploadStatus::Skipped => "Skipped",
        }
    }
}

impl FromJson for UploadStatus {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        const NAMES: [(&str, UploadStatus); 5] = [
            (UploadStatus::Queued.name(), UploadStatus::Queued),
            (UploadStatus::Sending.name(), UploadStatus::Sending),
            (UploadStatus::Sent.name(), UploadStatus::Sent),
            (UploadStatus::Failed.name(), UploadStatus::Failed),
            (UploadStatus::Skipped.name(), UploadStatus::Skipped),
        ];
        named(json, &NAMES, "an upload status")
    }
}

/// What the content script shows on a Fetcher candidate's card: the latest upload of that
/// candidate. Small on purpose (one per candidate, read on every render).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct UploadRecord {
    pub status: UploadStatus,
    pub job_id: JobId,
    pub job_title: String,
    #[serde(default)]
    pub ashby_candidate_id: Option<String>,
    /// Ashby's `profileUrl` ("Open in Ashby"). Records are in `.local`, which content scripts
    /// can write: a link that is not into Ashby's app reads as none.
    #[serde(default, deserialize_with = "crate::domain::web::link_or_none")]
    pub profile_url: Option<AshbyProfileUrl>,
    #[serde(default)]
    pub application_id: Option<String>,
    /// The candidate was already in Ashby.
    #[serde(default)]
    pub reused: bool,
    #[serde(default)]
    pub matched_by: Option<MatchReason>,
    /// When the status was set (epoch ms).
    pub at_ms: EpochMs,
    /// Why it failed, waits (to retry, for the queue to resume, for contact details) or was not
    /// sent; shown through [`crate::text::upload_problem`].
    #[serde(default)]
    pub error: Option<UploadProblem>,
    pub origin: UploadOrigin,
}

impl FromJson for UploadRecord {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(UploadRecord {
            status: fields.required("status")?,
            job_id: fields.required("jobId")?,
            job_title: fields.required("jobTitle")?,
            ashby_candidate_id: fields.optional("ashbyCandidateId")?,
            // As `link_or_none`: a string that is no Ashby link reads as none.
            profile_url: fields
                .optional::<String>("profileUrl")?
                .and_then(|raw| AshbyProfileUrl::try_from(raw).ok()),
            application_id: fields.optional("applicationId")?,
            reused: fields.or_default("reused")?,
            matched_by: fields.optional("matchedBy")?,
            at_ms: fields.required("atMs")?,
            error: fields.optional("error")?,
            origin: fields.required("origin")?,
        })
    }
}

// The outbox's own records, decoded by hand in the worker (see `crate::from_json`): each reads
// what its serde form reads (checked in the tests below).

impl FromJson for EntryKey {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(EntryKey {
            search_id: fields.required("searchId")?,
            candidate_id: fields.required("candidateId")?,
            job_id: fields.required("jobId")?,
        })
    }
}

impl EntryState {
    /// Its name in storage and messages (serde's), read by `FromJson` and written by
    /// `WriteJson` alike.
    pub const fn name(self) -> &'static str {
        match self {
            EntryState::Pending => "Pending",
            EntryState::Done => "Done",
            EntryState::Failed => "Failed",
            EntryState::Waiting => "Waiting",
        }
    }
}

impl FromJson for EntryState {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        const NAMES: [(&str, EntryState); 4] = [
            (EntryState::Pending.name(), EntryState::Pending),
            (EntryState::Done.name(), EntryState::Done),
            (EntryState::Failed.name(), EntryState::Failed),
            (EntryState::Waiting.name(), EntryState::Waiting),
        ];
        named(json, &NAMES, "an entry state")
    }
}

/// As `link_or_none`: a string that is no Ashby link reads as none.
fn ashby_link_or_none(
    fields: &Fields,
    name: &'static str,
) -> Result<Option<AshbyProfileUrl>, Mismatch> {
    Ok(fields
        .optional::<String>(name)?
        .and_then(|raw| AshbyProfileUrl::try_from(raw).ok()))
}

impl FromJson for AshbyCandidateRef {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(AshbyCandidateRef {
            id: fields.required("id")?,
            profile_url: ashby_link_or_none(&fields, "profileUrl")?,
            created: fields.required("created")?,
            matched_by: fields.or_default("matchedBy")?,
        })
    }
}

impl FromJson for ContactUpdate {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(ContactUpdate {
            social_links: fields.or_default("socialLinks")?,
            alternate_email: fields.or_default("alternateEmail")?,
            phone_number: fields.or_default("phoneNumber")?,
        })
    }
}

impl FromJson for Progress {
    /// Every member may be absent (`#[serde(default)]` on the struct).
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of_defaulted(json)?;
        Ok(Progress {
            emails_searched: fields.or_default("emailsSearched")?,
            name_searched: fields.or_default("nameSearched")?,
            candidate: fields.or_default("candidate")?,
            create_attempted: fields.or_default("createAttempted")?,
            create_maybe_landed: fields.or_default("createMaybeLanded")?,
            contact_update: fields.or_default("contactUpdate")?,
            contact_update_done: fields.or_default("contactUpdateDone")?,
            contact_fresh: fields.or_default("contactFresh")?,
            contact_update_error: fields.or_default("contactUpdateError")?,
            known_application_ids: fields.or_default("knownApplicationIds")?,
            known_applications_at_ms: fields.or_default("knownApplicationsAtMs")?,
            other_job_application_ids: fields.or_default("otherJobApplicationIds")?,
            application_id: fields.or_default("applicationId")?,
            application_created: fields.or_default("applicationCreated")?,
            apply_attempted: fields.or_default("applyAttempted")?,
            apply_maybe_landed: fields.or_default("applyMaybeLanded")?,
            apply_conflicts: fields.or_default("applyConflicts")?,
            apply_refused: fields.or_default("applyRefused")?,
            note_attempted: fields.or_default("noteAttempted")?,
            note_done: fields.or_default("noteDone")?,
            note_id: fields.or_default("noteId")?,
            note_error: fields.or_default("noteError")?,
            same_name_checked: fields.or_default("sameNameChecked")?,
            enrich_pending: fields.or_default("enrichPending")?,
            calls: fields.or_default("calls")?,
            armed: None,
        })
    }
}

impl FromJson for OutboxEntry {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(OutboxEntry {
            key: fields.required("key")?,
            candidate: fields.required("candidate")?,
            job_title: fields.required("jobTitle")?,
            origin: fields.required("origin")?,
            recruiter_email: fields.optional("recruiterEmail")?,
            enqueued_at_ms: fields.required("enqueuedAtMs")?,
            state: fields.required("state")?,
            progress: fields.or_default("progress")?,
            attempts: fields.or_default("attempts")?,
            next_attempt_at_ms: fields.or_default("nextAttemptAtMs")?,
            last_error: fields.or_default("lastError")?,
            updated_at_ms: fields.or_default("updatedAtMs")?,
            connection: fields.or_default("connection")?,
        })
    }
}

// Hand-written encoders (`crate::json_writer`): what serde's derives above write, without
// serde in the worker's wasm. The tests below hold each to its derive.

impl WriteJson for EntryKey {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("searchId", &self.search_id)
            .member("candidateId", &self.candidate_id)
            .member("jobId", &self.job_id);
        object.close();
    }
}

impl WriteJson for UploadOrigin {
    /// Internally tagged by `kind`, variants in camelCase.
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        match self {
            UploadOrigin::Manual => {
                object.member("kind", "manual");
            }
            UploadOrigin::Automatic { trigger } => {
                object
                    .member("kind", "automatic")
                    .member("trigger", trigger);
            }
        }
        object.close();
    }
}

crate::write_json_as!(name: EntryState, UploadStatus);

impl WriteJson for AshbyCandidateRef {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("id", &self.id)
            .member_some("profileUrl", &self.profile_url)
            .member("created", &self.created)
            .member_some("matchedBy", &self.matched_by);
        object.close();
    }
}

impl WriteJson for ContactUpdate {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member_some("socialLinks", &self.social_links)
            .member_some("alternateEmail", &self.alternate_email)
            .member_some("phoneNumber", &self.phone_number);
        object.close();
    }
}

/// A flag, written only when set (`skip_serializing_if = "is_false"`).
fn flag(object: &mut Object, name: &str, set: bool) {
    if set {
        object.member(name, &true);
    }
}

/// A count, written only when not zero (`skip_serializing_if = "is_zero"`).
fn count(object: &mut Object, name: &str, n: u32) {
    if n != 0 {
        object.member(name, &n);
    }
}

impl WriteJson for Progress {
    /// Options only when `Some`, flags only when set, counts only when not zero, and never
    /// `armed` (in-process only).
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        let o = &mut object;
        count(o, "emailsSearched", self.emails_searched);
        flag(o, "nameSearched", self.name_searched);
        o.member_some("candidate", &self.candidate);
        flag(o, "createAttempted", self.create_attempted);
        flag(o, "createMaybeLanded", self.create_maybe_landed);
        o.member_some("contactUpdate", &self.contact_update);
        flag(o, "contactUpdateDone", self.contact_update_done);
        flag(o, "contactFresh", self.contact_fresh);
        o.member_some("contactUpdateError", &self.contact_update_error)
            .member_some("knownApplicationIds", &self.known_application_ids)
            .member_some("knownApplicationsAtMs", &self.known_applications_at_ms);
        if !self.other_job_application_ids.is_empty() {
            o.member("otherJobApplicationIds", &self.other_job_application_ids);
        }
        o.member_some("applicationId", &self.application_id);
        flag(o, "applicationCreated", self.application_created);
        flag(o, "applyAttempted", self.apply_attempted);
        flag(o, "applyMaybeLanded", self.apply_maybe_landed);
        count(o, "applyConflicts", self.apply_conflicts);
        o.member_some("applyRefused", &self.apply_refused);
        flag(o, "noteAttempted", self.note_attempted);
        flag(o, "noteDone", self.note_done);
        o.member_some("noteId", &self.note_id)
            .member_some("noteError", &self.note_error);
        flag(o, "sameNameChecked", self.same_name_checked);
        flag(o, "enrichPending", self.enrich_pending);
        count(o, "calls", self.calls);
        object.close();
    }
}

impl WriteJson for OutboxEntry {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("key", &self.key)
            .member("candidate", &self.candidate)
            .member("jobTitle", &self.job_title)
            .member("origin", &self.origin)
            .member_some("recruiterEmail", &self.recruiter_email)
            .member("enqueuedAtMs", &self.enqueued_at_ms)
            .member("state", &self.state)
            .member("progress", &self.progress)
            .member("attempts", &self.attempts)
            .member("nextAttemptAtMs", &self.next_attempt_at_ms)
            .member_some("lastError", &self.last_error)
            .member("updatedAtMs", &self.updated_at_ms)
            .member_some("connection", &self.connection);
        object.close();
    }
}

impl WriteJson for UploadRecord {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("status", &self.status)
            .member("jobId", &self.job_id)
            .member("jobTitle", &self.job_title)
            .member_some("ashbyCandidateId", &self.ashby_candidate_id)
            .member_some("profileUrl", &self.profile_url)
            .member_some("applicationId", &self.application_id)
            .member("reused", &self.reused)
            .member_some("matchedBy", &self.matched_by)
            .member("atMs", &self.at_ms)
            .member_some("error", &self.error)
            .member("origin", &self.origin);
        object.close();
    }
}

/// The entries to remove from storage: finished (`Done`) more than [`KEEP_DONE_MS`] ago.
/// Pending, waiting and failed entries are never pruned (they are the queue, or wait for the
/// recruiter); unreadable values are left to the runner's own handling.
pub fn entries_to_prune<'a>(
    stored: impl IntoIterator<Item = (&'a String, &'a serde_json::Value)>,
    now_ms: f64,
) -> Vec<String> {
    stored
        .into_iter()
        .filter(|(key, _)| EntryKey::from_storage_key(key).is_some())
        .filter(|(_, value)| {
            value.get("state").and_then(serde_json::Value::as_str) == Some("Done")
                && value
                    .get("updatedAtMs")
                    .and_then(serde_json::Value::as_f64)
                    .is_some_and(|at| now_ms - at > KEEP_DONE_MS)
        })
        .map(|(key, _)| key.clone())
        .collect()
}

/// Finished entries and card records kept at most, newest first (beyond the age rule):
/// enough for weeks of heavy use, small next to the storage quota (~1 KB and ~300 bytes each).
pub const MAX_FINISHED_ENTRIES: usize = 2_000;
pub const MAX_FINISHED_RECORDS: usize = 5_000;
/// Sent and skipped card records are kept this long.
pub const KEEP_RECORDS_MS: f64 = 90.0 * 24.0 * 60.0 * 60.0 * 1000.0;

/// Everything finished that may go: the [`entries_to_prune`], `Done` entries past the newest
/// [`MAX_FINISHED_ENTRIES`], and `Sent`/`Skipped` card records older than
/// [`KEEP_RECORDS_MS`] or past the newest [`MAX_FINISHED_RECORDS`]. Queued, sending and
/// failed records stay (they are the queue, or wait for the recruiter). A repeat of a pruned
/// upload is still caught: automation's history remembers it fired, and the pipeline finds
/// the candidate and its application in Ashby.
pub fn finished_to_prune(
    stored: &std::collections::BTreeMap<String, serde_json::Value>,
    now_ms: f64,
) -> Vec<String> {
    use serde_json::Value;
    let at = |value: &Value, field: &str| value.get(field).and_then(Value::as_f64).unwrap_or(0.0);
    let mut remove = entries_to_prune(stored, now_ms);
    let mut done: Vec<(f64, &String)> = stored
        .iter()
        .filter(|(key, value)| {
            EntryKey::from_storage_key(key).is_some()
                && value.get("state").and_then(Value::as_str) == Some("Done")
                && !remove.contains(key)
        })
        .map(|(key, value)| (at(value, "updatedAtMs"), key))
        .collect();
    newest_first(&mut done);
    remove.extend(
        done.iter()
            .skip(MAX_FINISHED_ENTRIES)
            .map(|(_, key)| (*key).clone()),
    );

    let mut finished: Vec<(f64, &String)> = stored
        .iter()
        .filter(|(key, value)| {
            matches!(
                StorageKey::parse(key),
                Some(StorageKey::UploadRecord { .. })
            ) && matches!(
                value.get("status").and_then(Value::as_str),
                Some("Sent" | "Skipped")
            )
        })
        .map(|(key, value)| (at(value, "atMs"), key))
        .collect();
    newest_first(&mut finished);
    for (n, (at_ms, key)) in finished.iter().enumerate() {
        if n >= MAX_FINISHED_RECORDS || now_ms - at_ms > KEEP_RECORDS_MS {
            remove.push((*key).clone());
        }
    }
    remove
}

/// Sorts `(time, key)` pairs newest first, equal times in the order given (one sort for every
/// caller: each sort the wasm carries is code of its own).
pub fn newest_first(items: &mut [(f64, &String)]) {
    crate::sorting::sort_by(items, |a, b| b.0.total_cmp(&a.0));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new entry, and one with every member of it, its progress and its Ashby candidate set.
    fn fresh_and_busy() -> (OutboxEntry, OutboxEntry) {
        use crate::domain::{problem::AshbyProblem, HttpsUrl};
        let key = EntryKey::new("search-1", "cand-1", "job-1").unwrap();
        let mut candidate = FetcherCandidate::new("search-1".into(), "cand-1".into());
        candidate.name = "Ana".into();
        candidate.emails = vec!["ana@example.com".into()];
        let fresh = OutboxEntry::new(
            key,
            candidate,
            "Engineer",
            UploadOrigin::Manual,
            Some("rita@agency.com".into()),
            1_000.0,
        );
        let mut busy = fresh.clone();
        busy.origin = UploadOrigin::Automatic {
            trigger: Trigger::OnLike,
        };
        busy.state = EntryState::Failed;
        busy.attempts = 3;
        busy.next_attempt_at_ms = EpochMs::from_clock(5_000.0);
        busy.updated_at_ms = EpochMs::from_clock(4_000.0);
        busy.last_error = Some(UploadProblem::Ashby {
            error: AshbyProblem::Timeout,
        });
        busy.connection = Some("fingerprint".into());
        busy.progress = Progress {
            emails_searched: 2,
            name_searched: true,
            candidate: Some(AshbyCandidateRef {
                id: "a-1".into(),
                profile_url: AshbyProfileUrl::try_from(
                    "https://app.ashbyhq.com/candidates/00000002-0000-4000-8000-000000000001"
                        .to_owned(),
                )
                .ok(),
                created: false,
                matched_by: Some(MatchReason::Email("ana@example.com".into())),
            }),
            create_attempted: true,
            create_maybe_landed: true,
            contact_update: Some(ContactUpdate {
                social_links: Some(vec![SocialLink {
                    r#type: "LinkedIn".into(),
                    url: HttpsUrl::parse("https://www.linkedin.com/in/ana")
                        .unwrap()
                        .to_string(),
                }]),
                alternate_email: Some("ana@work.example".into()),
                phone_number: Some("+49 30 1".into()),
            }),
            contact_update_done: true,
            contact_fresh: true,
            contact_update_error: Some(UploadProblem::MaybeCreated),
            known_application_ids: Some(vec!["ap-1".into()]),
            known_applications_at_ms: Some(EpochMs::from_clock(3_000.0)),
            other_job_application_ids: vec!["ap-0".into()],
            application_id: Some("ap-1".into()),
            application_created: true,
            apply_attempted: true,
            apply_maybe_landed: true,
            apply_conflicts: 1,
            apply_refused: Some(UploadProblem::NoteUncertain),
            note_attempted: true,
            note_done: true,
            note_id: Some("n-1".into()),
            note_error: Some(UploadProblem::NoteUncertain),
            same_name_checked: true,
            enrich_pending: true,
            calls: 9,
            armed: None,
        };
        (fresh, busy)
    }

    #[test]
    fn entries_read_by_hand_as_serde_reads_them() {
        use crate::from_json::testing::{agrees_with_serde, round_trips};
        let (fresh, busy) = fresh_and_busy();
        round_trips(&[fresh, busy.clone()]);
        // Every member of the entry, its progress and its Ashby candidate, in turn absent,
        // `null`, of the wrong type, and (in the nested records) an unknown extra.
        let full = serde_json::to_value(&busy).unwrap();
        let mut texts = vec![full.to_string()];
        let paths: [&[&str]; 4] = [
            &[],
            &["progress"],
            &["progress", "candidate"],
            &["progress", "contactUpdate"],
        ];
        for path in paths {
            let at = |value: &mut serde_json::Value| -> serde_json::Value {
                path.iter().fold(value.clone(), |v, name| v[*name].clone())
            };
            let record = at(&mut full.clone());
            for name in record.as_object().unwrap().keys() {
                for change in [
                    None,
                    Some(serde_json::Value::Null),
                    Some(7.into()),
                    Some("x".into()),
                ] {
                    let mut edited = full.clone();
                    let mut target = &mut edited;
                    for step in path {
                        target = &mut target[*step];
                    }
                    let members = target.as_object_mut().unwrap();
                    match &change {
                        None => {
                            members.remove(name);
                        }
                        Some(value) => {
                            members.insert(name.clone(), value.clone());
                        }
                    }
                    members.insert("unknown".into(), true.into());
                    texts.push(edited.to_string());
                }
            }
        }
        agrees_with_serde::<OutboxEntry>(&texts.iter().map(String::as_str).collect::<Vec<_>>());
        // (Not `[]`: serde also reads a struct from an array of its fields in order, a form
        // nothing writes; the hand decoder refuses it.)
        agrees_with_serde::<Progress>(&["{}", "null", r#"{"calls": -1}"#, r#"{"calls": 2.5}"#]);
        agrees_with_serde::<EntryState>(&[r#""Done""#, r#""done""#, r#"{"Done": null}"#, "1"]);
        agrees_with_serde::<SocialLink>(&[
            "{}",
            r#"{"type": null, "url": null}"#,
            r#"{"type": "GitHub", "url": "https://github.com/a", "extra": 1}"#,
            r#"{"type": 1}"#,
            "null",
        ]);
    }

    /// A card record with every member set, and one with every optional member absent.
    fn full_and_bare_records() -> (UploadRecord, UploadRecord) {
        let id = "00000002-0000-4000-8000-000000000001";
        let full = UploadRecord {
            status: UploadStatus::Failed,
            job_id: "job-1".into(),
            job_title: "Engineer".into(),
            ashby_candidate_id: Some(id.into()),
            profile_url: Some(
                format!("https://app.ashbyhq.com/candidates/{id}")
                    .as_str()
                    .into(),
            ),
            application_id: Some("app-1".into()),
            reused: true,
            matched_by: Some(MatchReason::Email("Rita@agency.com".into())),
            at_ms: EpochMs::new(1_764_625_000_000.0).unwrap(),
            error: Some(UploadProblem::NoteUncertain),
            origin: UploadOrigin::Automatic {
                trigger: Trigger::OnInterestedReply,
            },
        };
        let bare = UploadRecord {
            status: UploadStatus::Queued,
            ashby_candidate_id: None,
            profile_url: None,
            application_id: None,
            reused: false,
            matched_by: None,
            error: None,
            origin: UploadOrigin::Manual,
            ..full.clone()
        };
        (full, bare)
    }

    #[test]
    fn card_records_read_by_hand_as_serde_reads_them() {
        use crate::from_json::testing::{agrees_with_serde, round_trips};
        let (full, bare) = full_and_bare_records();
        let mut records = vec![full, bare.clone()];
        for status in [
            UploadStatus::Sending,
            UploadStatus::Sent,
            UploadStatus::Skipped,
        ] {
            records.push(UploadRecord {
                status,
                ..bare.clone()
            });
        }
        for matched_by in [MatchReason::LinkedIn, MatchReason::GitHub] {
            records.push(UploadRecord {
                matched_by: Some(matched_by),
                ..bare.clone()
            });
        }
        for trigger in Trigger::ALL {
            records.push(UploadRecord {
                origin: UploadOrigin::Automatic { trigger },
                ..bare.clone()
            });
        }
        round_trips(&records);
        let base = r#""status": "Sent", "jobId": "job-1", "jobTitle": "E", "atMs": 5"#;
        let texts = [
            format!(r#"{{{base}, "origin": {{"kind": "manual"}}}}"#),
            format!(r#"{{{base}}}"#),
            format!(r#"{{{base}, "origin": {{"kind": "automatic"}}}}"#),
            format!(r#"{{{base}, "origin": {{"kind": "automatic", "trigger": "OnLike"}}}}"#),
            format!(r#"{{{base}, "origin": {{"kind": "other"}}}}"#),
            format!(r#"{{{base}, "origin": {{"kind": "manual"}}, "profileUrl": "https://evil.example/x"}}"#),
            format!(r#"{{{base}, "origin": {{"kind": "manual"}}, "profileUrl": 5}}"#),
            format!(r#"{{{base}, "origin": {{"kind": "manual"}}, "profileUrl": null}}"#),
            format!(r#"{{{base}, "origin": {{"kind": "manual"}}, "reused": null}}"#),
            format!(r#"{{{base}, "origin": {{"kind": "manual"}}, "matchedBy": {{"by": "LinkedIn", "value": null}}}}"#),
            format!(r#"{{{base}, "origin": {{"kind": "manual"}}, "matchedBy": {{"by": "Email"}}}}"#),
            format!(r#"{{{base}, "origin": {{"kind": "manual"}}, "matchedBy": {{"by": "Email", "value": "x"}}}}"#),
            format!(r#"{{{base}, "origin": {{"kind": "manual"}}, "error": "Old English."}}"#),
            format!(r#"{{{base}, "origin": {{"kind": "manual"}}, "status": "Lost"}}"#),
            r#"{"status": "Sent", "jobId": "", "jobTitle": "E", "atMs": 5, "origin": {"kind": "manual"}}"#.to_owned(),
            r#"{"status": "Sent", "jobId": "j", "jobTitle": "E", "atMs": -5, "origin": {"kind": "manual"}}"#.to_owned(),
            r#"{"status": {"Sent": null}, "jobId": "j", "jobTitle": "E", "atMs": 1.5, "origin": {"kind": "manual"}}"#.to_owned(),
            "null".to_owned(),
        ];
        agrees_with_serde::<UploadRecord>(&texts.iter().map(String::as_str).collect::<Vec<_>>());
    }

    #[test]
    fn finished_entries_and_records_are_capped_newest_kept() {
        use serde_json::json;
        let now = 1_000.0 * KEEP_RECORDS_MS;
        let mut stored = std::collections::BTreeMap::new();
        for n in 0..MAX_FINISHED_ENTRIES + 3 {
            let key = EntryKey::new("s", format!("c{n}"), "j").unwrap();
            let mut entry = OutboxEntry::new(
                key.clone(),
                FetcherCandidate::new("s".parse().unwrap(), "c".parse().unwrap()),
                "Job",
                UploadOrigin::Manual,
                None,
                0.0,
            );
            entry.state = EntryState::Done;
            entry.updated_at_ms = EpochMs::from_clock(now - n as f64);
            stored.insert(key.storage_key(), serde_json::to_value(&entry).unwrap());
        }
        let record = |status: &str, at: f64| json!({"status": status, "jobId": "j", "jobTitle": "J", "atMs": at, "origin": {"kind": "manual"}});
        for n in 0..MAX_FINISHED_RECORDS + 2 {
            stored.insert(format!("upload/s/r{n}"), record("Sent", now - n as f64));
        }
        stored.insert(
            "upload/s/old-skipped".into(),
            record("Skipped", now - KEEP_RECORDS_MS - 1.0),
        );
        stored.insert("upload/s/failed".into(), record("Failed", 0.0));
        stored.insert("upload/s/queued".into(), record("Queued", 0.0));
        let remove = finished_to_prune(&stored, now);
        let entries: Vec<_> = remove.iter().filter(|k| k.starts_with("outbox/")).collect();
        let n = MAX_FINISHED_ENTRIES;
        assert_eq!(entries.len(), 3);
        for oldest in [n, n + 1, n + 2] {
            assert!(remove.contains(&format!("outbox/s/c{oldest}/j")));
        }
        let records: Vec<_> = remove.iter().filter(|k| k.starts_with("upload/")).collect();
        assert_eq!(records.len(), 3, "{records:?}");
        assert!(remove.contains(&"upload/s/old-skipped".to_owned()));
        assert!(remove.contains(&format!("upload/s/r{}", MAX_FINISHED_RECORDS + 1)));
        assert!(!remove.contains(&"upload/s/failed".to_owned()));
        assert!(!remove.contains(&"upload/s/queued".to_owned()));
    }

    #[test]
    fn only_entries_finished_long_ago_are_pruned() {
        let now = 100.0 * KEEP_DONE_MS;
        let entry = |state: EntryState, updated: f64| {
            let key = EntryKey::new("s", "c", "j").unwrap();
            let mut entry = OutboxEntry::new(
                key,
                FetcherCandidate::new("s".parse().unwrap(), "c".parse().unwrap()),
                "Job",
                UploadOrigin::Manual,
                None,
                updated,
            );
            entry.state = state;
            serde_json::to_value(entry).unwrap()
        };
        let stored = std::collections::BTreeMap::from([
            (
                "outbox/s/old-done/j".to_owned(),
                entry(EntryState::Done, now - KEEP_DONE_MS - 1.0),
            ),
            (
                "outbox/s/new-done/j".to_owned(),
                entry(EntryState::Done, now - 1.0),
            ),
            (
                "outbox/s/old-failed/j".to_owned(),
                entry(EntryState::Failed, 0.0),
            ),
            (
                "outbox/s/old-waiting/j".to_owned(),
                entry(EntryState::Waiting, 0.0),
            ),
            (
                "outbox/s/old-pending/j".to_owned(),
                entry(EntryState::Pending, 0.0),
            ),
            ("upload/s/old-done".to_owned(), entry(EntryState::Done, 0.0)),
            (INDEX_KEY.to_owned(), serde_json::json!([])),
        ]);
        assert_eq!(entries_to_prune(&stored, now), ["outbox/s/old-done/j"]);
    }

    #[test]
    fn keys_round_trip_and_reject_separators() {
        let key = EntryKey::new("s_1", "c-2", "00000001-0000-4000-8000-000000000001").unwrap();
        assert_eq!(
            key.storage_key(),
            "outbox/s_1/c-2/00000001-0000-4000-8000-000000000001"
        );
        assert_eq!(
            EntryKey::from_storage_key(&key.storage_key()),
            Some(key.clone())
        );
        assert_eq!(key.record_key(), "upload/s_1/c-2");
        assert_eq!(EntryKey::from_storage_key(INDEX_KEY), None);
        assert_eq!(EntryKey::from_storage_key("outbox/a/b/c/d"), None);
        for bad in ["", "a/b", "a b", "ä", "..", &"x".repeat(129)] {
            assert!(EntryKey::new(bad, "c", "j").is_err(), "{bad:?}");
            assert!(EntryKey::new("s", "c", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn entries_round_trip_without_the_armed_flag() {
        let key = EntryKey::new("s", "c", "j").unwrap();
        let mut entry = OutboxEntry::new(
            key,
            FetcherCandidate::new("s".parse().unwrap(), "c".parse().unwrap()),
            "Job",
            UploadOrigin::Automatic {
                trigger: Trigger::OnReply,
            },
            None,
            5.0,
        );
        entry.progress.create_attempted = true;
        entry.progress.armed = Some(Armed::Create);
        let json = serde_json::to_value(&entry).unwrap();
        assert_eq!(
            json["origin"],
            serde_json::json!({"kind": "automatic", "trigger": "OnReply"})
        );
        let back: OutboxEntry = serde_json::from_value(json).unwrap();
        assert!(back.progress.create_attempted);
        assert_eq!(back.progress.armed, None);
    }

    /// An entry and its card record as the versions before typed problems wrote them: the
    /// English itself in `lastError`, `error` and the progress notes. They load, nothing lost,
    /// and show the same words.
    #[test]
    fn entries_and_records_stored_with_english_still_load() {
        use crate::domain::AshbyProblem;
        let refused = "Ashby refused the request. Ashby said: “Job is Closed”. (Ashby request \
                       id: 01JREQCLOSED)";
        let old_entry = serde_json::json!({
            "key": {"searchId": "s_1", "candidateId": "c-2",
                    "jobId": "00000001-0000-4000-8000-000000000001"},
            "candidate": {"searchId": "s_1", "candidateId": "c-2", "name": "Jane Doe",
                          "title": "Engineer", "company": null, "location": null,
                          "emails": ["jane@example.com"], "phones": [],
                          "linkedinUrl": null, "githubUrl": null, "websiteUrls": [],
                          "status": "Replied", "liked": false},
            "jobTitle": "Senior Backend Engineer",
            "origin": {"kind": "automatic", "trigger": "OnReply"},
            "recruiterEmail": "rita@agency.com",
            "enqueuedAtMs": 1.0,
            "state": "Failed",
            "progress": {
                "candidate": {"id": "00000002-0000-4000-8000-000000000001", "created": true},
                "knownApplicationIds": [],
                "contactUpdateError": "Ashby refused the request. Ashby said: “bad phone”.",
                "noteError": "Ashby's answer to adding the Fetcher note was lost; the note \
                              may be missing.",
                "applyRefused": refused,
                "calls": 4
            },
            "attempts": 0,
            "nextAttemptAtMs": 1.0,
            "lastError": refused,
            "updatedAtMs": 2.0
        });
        let entry: OutboxEntry = serde_json::from_value(old_entry).unwrap();
        let legacy = |text: &str| UploadProblem::Legacy { text: text.into() };
        assert_eq!(entry.last_error, Some(legacy(refused)));
        assert_eq!(entry.progress.apply_refused, Some(legacy(refused)));
        assert!(entry.progress.note_error.is_some());
        assert!(entry.progress.contact_update_error.is_some());
        assert_eq!(entry.progress.calls, 4);
        let record = entry.resting_record();
        assert_eq!(
            crate::text::upload_status_line(&record, "09:00"),
            format!("Ashby upload failed: {refused}")
        );

        let old_record = serde_json::json!({
            "status": "Queued", "jobId": "00000001-0000-4000-8000-000000000001",
            "jobTitle": "Backend", "reused": false, "atMs": 3.0,
            "error": "Uploads to Ashby are paused. Ashby rejected the API key.",
            "origin": {"kind": "manual"}
        });
        let record: UploadRecord = serde_json::from_value(old_record).unwrap();
        assert_eq!(
            crate::text::upload_status_line(&record, "09:00"),
            "Queued for Ashby · Backend · Uploads to Ashby are paused. Ashby rejected the API key."
        );

        // Written again, it is the tagged form, and reads back the same.
        let again: UploadRecord =
            serde_json::from_value(serde_json::to_value(&record).unwrap()).unwrap();
        assert_eq!(again, record);
        assert_eq!(
            serde_json::to_value(&record).unwrap()["error"]["kind"],
            "legacy"
        );

        // A new entry stores data, not words.
        let mut entry = entry;
        entry.last_error = Some(UploadProblem::Ashby {
            error: AshbyProblem::Timeout,
        });
        let json = serde_json::to_value(&entry).unwrap();
        assert_eq!(
            json["lastError"],
            serde_json::json!({"kind": "ashby", "error": {"kind": "timeout"}})
        );
    }

    #[test]
    fn records_are_small() {
        let key = EntryKey::new("s", "c", "00000001-0000-4000-8000-000000000001").unwrap();
        let mut entry = OutboxEntry::new(
            key,
            FetcherCandidate::new("s".parse().unwrap(), "c".parse().unwrap()),
            "Senior Backend Engineer",
            UploadOrigin::Manual,
            None,
            1.0,
        );
        entry.progress.candidate = Some(AshbyCandidateRef {
            id: "00000002-0000-4000-8000-000000000001".into(),
            profile_url: Some(
                "https://app.ashbyhq.com/candidates/00000002-0000-4000-8000-000000000001".into(),
            ),
            created: false,
            matched_by: Some(MatchReason::Email("jane@example.com".into())),
        });
        entry.progress.application_id = Some("00000003-0000-4000-8000-000000000001".into());
        let record = serde_json::to_string(&entry.record(UploadStatus::Sent)).unwrap();
        assert!(record.len() < 600, "{} bytes: {record}", record.len());
    }

    #[test]
    fn entries_and_records_are_written_as_serde_writes_them() {
        use crate::json_writer::testing::{awkward_text, same_as_serde};
        let (fresh, busy) = fresh_and_busy();
        let mut entries = vec![fresh.clone(), busy.clone()];
        // Awkward text in every string, and in turn each optional member absent.
        let mut awkward = busy.clone();
        awkward.job_title = awkward_text();
        awkward.candidate.name = awkward_text();
        awkward.connection = Some(awkward_text());
        let progress = &mut awkward.progress;
        progress.note_id = Some(awkward_text());
        progress.application_id = Some(awkward_text());
        progress.known_application_ids = Some(vec![awkward_text(), String::new()]);
        progress.other_job_application_ids = vec![awkward_text()];
        let found = progress.candidate.as_mut().unwrap();
        found.id = awkward_text();
        found.profile_url = None;
        found.created = true;
        found.matched_by = None;
        progress.contact_update = Some(ContactUpdate {
            social_links: Some(vec![
                SocialLink {
                    r#type: awkward_text(),
                    url: awkward_text(),
                },
                SocialLink::default(),
            ]),
            alternate_email: None,
            phone_number: Some(awkward_text()),
        });
        entries.push(awkward);
        let mut sparse = busy.clone();
        sparse.recruiter_email = None;
        sparse.last_error = None;
        sparse.connection = None;
        sparse.progress.known_application_ids = Some(vec![]);
        sparse.progress.contact_update = Some(ContactUpdate {
            social_links: Some(vec![]),
            ..ContactUpdate::default()
        });
        entries.push(sparse);
        let mut blank = busy.clone();
        blank.progress.contact_update = Some(ContactUpdate::default());
        blank.progress.armed = Some(Armed::Create);
        entries.push(blank);
        for state in [EntryState::Pending, EntryState::Done, EntryState::Waiting] {
            entries.push(OutboxEntry {
                state,
                ..fresh.clone()
            });
        }
        for trigger in Trigger::ALL {
            entries.push(OutboxEntry {
                origin: UploadOrigin::Automatic { trigger },
                ..fresh.clone()
            });
        }
        for matched_by in [MatchReason::LinkedIn, MatchReason::GitHub] {
            let mut entry = busy.clone();
            entry.progress.candidate.as_mut().unwrap().matched_by = Some(matched_by);
            entries.push(entry);
        }
        for entry in &entries {
            same_as_serde(entry);
            for status in [
                UploadStatus::Queued,
                UploadStatus::Sending,
                UploadStatus::Sent,
                UploadStatus::Failed,
                UploadStatus::Skipped,
            ] {
                same_as_serde(&entry.record(status));
            }
        }
        // Every flag and count alone, the others at their defaults and left out.
        same_as_serde(&Progress::default());
        assert_eq!(Progress::default().json_text(), "{}");
        let flags: [fn(&mut Progress); 15] = [
            |p| p.emails_searched = 2,
            |p| p.name_searched = true,
            |p| p.create_attempted = true,
            |p| p.create_maybe_landed = true,
            |p| p.contact_update_done = true,
            |p| p.contact_fresh = true,
            |p| p.application_created = true,
            |p| p.apply_attempted = true,
            |p| p.apply_maybe_landed = true,
            |p| p.apply_conflicts = u32::MAX,
            |p| p.note_attempted = true,
            |p| p.note_done = true,
            |p| p.same_name_checked = true,
            |p| p.enrich_pending = true,
            |p| p.calls = 9,
        ];
        for set in flags {
            let mut progress = Progress::default();
            set(&mut progress);
            same_as_serde(&progress);
            assert_eq!(progress.json_text().matches(':').count(), 1, "{progress:?}");
        }

        let (full, bare) = full_and_bare_records();
        let mut records = vec![full.clone(), bare.clone()];
        records.push(UploadRecord {
            job_title: awkward_text(),
            ashby_candidate_id: Some(awkward_text()),
            application_id: Some(awkward_text()),
            matched_by: Some(MatchReason::Email("J.Doe+x@Example.org".into())),
            ..full
        });
        for matched_by in [MatchReason::LinkedIn, MatchReason::GitHub] {
            records.push(UploadRecord {
                matched_by: Some(matched_by),
                ..bare.clone()
            });
        }
        for record in &records {
            same_as_serde(record);
        }
    }
}

crate::deserialize_through_from_json!(
    UploadOrigin,
    UploadRecord,
    UploadStatus,
    EntryKey,
    EntryState,
    AshbyCandidateRef,
    ContactUpdate,
    Progress,
    OutboxEntry
);
