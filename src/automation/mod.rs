//! Automation: what the page shows → whether a search's automation uploads a candidate.
//! Pure decisions, no storage and no browser types; the background worker stores the
//! [`CandidateHistory`] and queues the uploads.
//!
//! The rules are the page model's "Events the extension reacts to"
//! (`shared/fetcher-page-model.md`):
//!
//! * The content script only reports **observations**: [`PageEvent::CandidateSeen`] carries a
//!   candidate's current state (status and liked) every time a card or profile is read.
//!   Status changes and likes are just later observations with a different state, so
//!   re-renders and reloads (the same observation again) change nothing.
//! * A trigger **fires** when an observation shows the candidate past the trigger's point and
//!   no earlier observation had: On like at `Like` pressed or status ≥ `Liked`; On contact at
//!   status ≥ `Contacted`; On reply at ≥ `Replied`; On interested reply at `Interested`. A
//!   later status implies the earlier ones, so a candidate first seen as `Interested` fires
//!   On like, On contact, On reply and On interested reply at once.
//! * All new candidates fires when the candidate's first known status is `New` ("a card
//!   appears whose status is New"). A candidate first seen as `Liked` or later was never seen
//!   as new, so it does not fire All new candidates (it fires the triggers up to its status).
//!   An observation without a readable status does not count as the first sighting of a
//!   status: the first observation that has one decides.
//! * Each trigger fires at most once per candidate and search: the history remembers what it
//!   has seen (highest status, whether a like was seen) and which triggers fired; statuses
//!   never go back in the history, and an "unlike" does not undo a like.
//! * **Not retroactive**: the history is updated by *every* observation, whatever the
//!   search's settings (none, disabled, no job). A trigger that fired while automation was
//!   off, or was set to another trigger, has fired: turning automation on or changing its
//!   trigger later acts only on candidates first seen afterwards and on status changes
//!   observed afterwards. So the worker must call [`decide`] and store the new history for
//!   every `CandidateSeen`, also for searches without automation settings.
//! * At most one upload per candidate and search (a search has one job), whichever trigger
//!   queued it. Over the search's applicant limit the decision is [`Action::SkipOverLimit`],
//!   reported once (the trigger has then fired) and remembered in the history.

use crate::domain::{CandidateStatus, FetcherCandidate, JobId, SearchAutomation, Trigger};
use serde::{Deserialize, Serialize};

pub mod batch;
pub mod brake;
pub mod name_only;
pub mod retention;
#[cfg(test)]
mod tests;

/// What the content script reports about the page (state-based: it says what is shown, not
/// what changed, so saying it twice is harmless).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all_fields = "camelCase")]
pub enum PageEvent {
    /// A card or profile was read: the candidate with its current status and liked state.
    /// Sent when it first renders and again whenever its status or Like button changes.
    CandidateSeen { candidate: FetcherCandidate },
}

impl PageEvent {
    /// The candidate the event is about.
    pub fn candidate(&self) -> &FetcherCandidate {
        match self {
            PageEvent::CandidateSeen { candidate } => candidate,
        }
    }
}

/// A set of [`Trigger`]s, stored as a small bit mask (compact in storage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(transparent)]
pub struct TriggerSet(u8);

impl TriggerSet {
    pub const EMPTY: TriggerSet = TriggerSet(0);

    fn bit(trigger: Trigger) -> u8 {
        match trigger {
            Trigger::AllNewCandidates => 1,
            Trigger::OnLike => 1 << 1,
            Trigger::OnContact => 1 << 2,
            Trigger::OnReply => 1 << 3,
            Trigger::OnInterestedReply => 1 << 4,
        }
    }

    pub fn contains(self, trigger: Trigger) -> bool {
        self.0 & Self::bit(trigger) != 0
    }

    pub fn insert(&mut self, trigger: Trigger) {
        self.0 |= Self::bit(trigger);
    }

    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// The triggers in `self` that are not in `other`.
    pub fn difference(self, other: TriggerSet) -> TriggerSet {
        TriggerSet(self.0 & !other.0)
    }

    pub fn union(self, other: TriggerSet) -> TriggerSet {
        TriggerSet(self.0 | other.0)
    }

    /// The triggers in the set, in [`Trigger::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Trigger> {
        Trigger::ALL.into_iter().filter(move |t| self.contains(*t))
    }
}

impl FromIterator<Trigger> for TriggerSet {
    fn from_iter<I: IntoIterator<Item = Trigger>>(iter: I) -> Self {
        let mut set = TriggerSet::EMPTY;
        for trigger in iter {
            set.insert(trigger);
        }
        set
    }
}

fn is_false(b: &bool) -> bool {
    !b
}

/// What the extension has observed of one candidate in one search, persisted per
/// `(searchId, candidateId)`. Compact: fields at their default are left out of the JSON, e.g.
/// `{"status":"Liked","firstSeenMs":1700000000000,"fired":3}`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct CandidateHistory {
    /// The highest status observed so far (`None`: never readable).
    #[serde(default)]
    pub status: Option<CandidateStatus>,
    /// Whether the Like button was ever observed pressed.
    #[serde(default, skip_serializing_if = "is_false")]
    pub liked: bool,
    /// When the candidate was first observed (ms since the Unix epoch).
    #[serde(default)]
    pub first_seen_ms: u64,
    /// The triggers that have fired for this candidate and search, whatever the settings were.
    #[serde(default, skip_serializing_if = "TriggerSet::is_empty")]
    pub fired: TriggerSet,
    /// The trigger that queued this candidate's upload for the search, once one has.
    #[serde(default)]
    pub uploaded_by: Option<Trigger>,
    /// The trigger that fired while the search was at its applicant limit, if one did.
    #[serde(default)]
    pub skipped_over_limit: Option<Trigger>,
    /// The trigger whose upload the brake held back (automation paused), if one was.
    #[serde(default)]
    pub held_by_brake: Option<Trigger>,
}

/// What the worker does about an observation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all_fields = "camelCase")]
pub enum Action {
    Nothing,
    /// Queue the candidate for the search's job (the outbox entry `(searchId, candidateId,
    /// jobId)`).
    Upload {
        job_id: JobId,
        trigger: Trigger,
    },
    /// The trigger fired but the search has reached its applicant limit: tell the recruiter,
    /// upload nothing. Reported once.
    SkipOverLimit {
        trigger: Trigger,
    },
    /// The trigger fired but the search's automation is paused by its brake
    /// ([`brake`]): upload nothing, tell the recruiter. Set by [`batch::plan`], never by
    /// [`decide`].
    HeldByBrake {
        trigger: Trigger,
    },
}

/// The outcome of [`decide`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Store this as the candidate's history (always, whatever the action).
    pub new_history: CandidateHistory,
    /// Whether `new_history` differs from the stored one (when not, the write can be skipped:
    /// re-renders are frequent).
    pub history_changed: bool,
    /// The triggers this observation fired (for the activity log).
    pub fired: TriggerSet,
    pub action: Action,
}

/// The triggers whose point this state has reached, except All new candidates (an event of
/// the first sighting, not a state).
fn reached(status: Option<CandidateStatus>, liked: bool) -> TriggerSet {
    let at_least = |s: CandidateStatus| status >= Some(s);
    [
        (liked || at_least(CandidateStatus::Liked), Trigger::OnLike),
        (at_least(CandidateStatus::Contacted), Trigger::OnContact),
        (at_least(CandidateStatus::Replied), Trigger::OnReply),
        (
            at_least(CandidateStatus::Interested),
            Trigger::OnInterestedReply,
        ),
    ]
    .into_iter()
    .filter_map(|(hit, trigger)| hit.then_some(trigger))
    .collect()
}

/// The search's automation, if it can upload this candidate at all: enabled, for this
/// candidate's search, with a job.
fn armed<'a>(
    settings: Option<&'a SearchAutomation>,
    candidate: &FetcherCandidate,
) -> Option<(&'a SearchAutomation, &'a JobId)> {
    let settings = settings.filter(|s| s.enabled && s.search_id == candidate.search_id)?;
    Some((settings, settings.job_id.as_ref()?))
}

/// Decides what one observation of a candidate means (see the module docs for the rules).
///
/// - `candidate`: the observed candidate (already validated by `fetcher::fields`);
/// - `settings`: the automation of the candidate's search, if any;
/// - `history`: the stored history for `(candidate.search_id, candidate.candidate_id)`;
///   `None` the first time the candidate is seen in this search;
/// - `uploads_so_far_for_search`: how many candidates automation has queued for this search
///   (compared with `applicant_limit`);
/// - `now_ms`: the time of the observation (recorded as `first_seen_ms` on a first sighting).
pub fn decide(
    candidate: &FetcherCandidate,
    settings: Option<&SearchAutomation>,
    history: Option<&CandidateHistory>,
    uploads_so_far_for_search: u32,
    now_ms: u64,
) -> Decision {
    let old = history.cloned().unwrap_or(CandidateHistory {
        first_seen_ms: now_ms,
        ..CandidateHistory::default()
    });
    let mut new = old.clone();
    new.status = new.status.max(candidate.status);
    new.liked |= candidate.liked;

    let mut now_true = reached(new.status, new.liked);
    if old.status.is_none() && candidate.status == Some(CandidateStatus::New) {
        now_true.insert(Trigger::AllNewCandidates);
    }
    let fired = now_true.difference(old.fired);
    new.fired = old.fired.union(fired);

    let action = match armed(settings, candidate) {
        Some((settings, job_id))
            if fired.contains(settings.trigger) && new.uploaded_by.is_none() =>
        {
            let trigger = settings.trigger;
            let over_limit = settings
                .applicant_limit
                .is_some_and(|limit| uploads_so_far_for_search >= limit);
            if over_limit {
                new.skipped_over_limit = Some(trigger);
                Action::SkipOverLimit { trigger }
            } else {
                new.uploaded_by = Some(trigger);
                Action::Upload {
                    job_id: job_id.clone(),
                    trigger,
                }
            }
        }
        _ => Action::Nothing,
    };

    Decision {
        history_changed: history != Some(&new),
        new_history: new,
        fired,
        action,
    }
}

/// Convenience for the worker: [`decide`] for a page event.
pub fn decide_event(
    event: &PageEvent,
    settings: Option<&SearchAutomation>,
    history: Option<&CandidateHistory>,
    uploads_so_far_for_search: u32,
    now_ms: u64,
) -> Decision {
    decide(
        event.candidate(),
        settings,
        history,
        uploads_so_far_for_search,
        now_ms,
    )
}

impl crate::from_json::FromJson for TriggerSet {
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        u8::from_json(json).map(TriggerSet)
    }
}

impl crate::from_json::FromJson for CandidateHistory {
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        let fields = crate::from_json::Fields::of(json)?;
        Ok(CandidateHistory {
            status: fields.or_default("status")?,
            liked: fields.or_default("liked")?,
            first_seen_ms: fields.or_default("firstSeenMs")?,
            fired: fields.or_default("fired")?,
            uploaded_by: fields.or_default("uploadedBy")?,
            skipped_over_limit: fields.or_default("skippedOverLimit")?,
            held_by_brake: fields.or_default("heldByBrake")?,
        })
    }
}

crate::deserialize_through_from_json!(TriggerSet, CandidateHistory);

// Hand-written encoders (`crate::json_writer`): what serde's derives above write, without
// serde in the worker's wasm. The tests hold each to its derive.

use crate::json_writer::{Object, WriteJson};

impl WriteJson for PageEvent {
    fn write_json(&self, out: &mut String) {
        match self {
            PageEvent::CandidateSeen { candidate } => {
                let mut object = Object::tagged(out, "CandidateSeen");
                object.member("candidate", candidate);
                object.close();
            }
        }
    }
}

impl WriteJson for TriggerSet {
    /// `transparent`: the bit mask.
    fn write_json(&self, out: &mut String) {
        self.0.write_json(out);
    }
}

impl WriteJson for CandidateHistory {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object.member_some("status", &self.status);
        if self.liked {
            object.member("liked", &true);
        }
        object.member("firstSeenMs", &self.first_seen_ms);
        if !self.fired.is_empty() {
            object.member("fired", &self.fired);
        }
        object
            .member_some("uploadedBy", &self.uploaded_by)
            .member_some("skippedOverLimit", &self.skipped_over_limit)
            .member_some("heldByBrake", &self.held_by_brake);
        object.close();
    }
}

impl WriteJson for Action {
    /// Internally tagged by `type`, fields in camelCase.
    fn write_json(&self, out: &mut String) {
        match self {
            Action::Nothing => Object::tagged(out, "Nothing").close(),
            Action::Upload { job_id, trigger } => {
                let mut object = Object::tagged(out, "Upload");
                object.member("jobId", job_id).member("trigger", trigger);
                object.close();
            }
            Action::SkipOverLimit { trigger } => {
                let mut object = Object::tagged(out, "SkipOverLimit");
                object.member("trigger", trigger);
                object.close();
            }
            Action::HeldByBrake { trigger } => {
                let mut object = Object::tagged(out, "HeldByBrake");
                object.member("trigger", trigger);
                object.close();
            }
        }
    }
}
