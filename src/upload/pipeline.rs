//! The upload step machine: one outbox entry, one Ashby call per [`advance`].
//!
//! Order (`shared/design.md`, "Upload: exactly once, never lost"):
//!
//! 1. **Find**: `candidate.search {email}` for each of the candidate's emails (as shown, then
//!    lower-cased when that differs: Ashby does not document case-insensitive matching),
//!    stopping at the first match on any of the candidate's emails; then, only with a name and a LinkedIn/GitHub link, `candidate.search {name}`
//!    with the links compared client-side. A name alone never matches.
//! 2. **Reuse or create**: a found candidate gets one `candidate.update` when it lacks some of
//!    our contact data (new LinkedIn/GitHub links merged into its links, one missing email as
//!    `alternateEmail`, a phone when it has none), none otherwise. Else `candidate.create`
//!    with source and credited user.
//! 3. **Existing applications**: the candidate's `applicationIds` (from the search, update or
//!    create answer; `candidate.info` when they must be read again), then `application.info`
//!    for each until one is for our job. (`application.info` rather than paging
//!    `application.list {jobId}`: a candidate has a handful of applications, a job thousands.)
//! 4. **Apply**: `application.create` unless one exists for the job.
//! 5. **Note**: `candidate.createNote` linking back to Fetcher, only when this entry created the
//!    candidate or the application (repeated sends add no notes).
//!
//! **Never twice.** Ashby has no idempotency keys. Before a create (candidate, application,
//! note) the entry is marked `*_attempted` and the runner persists it; only then is the
//! request sent (the in-memory [`Armed`] flag tells the two apart). An entry read back with
//! `*_attempted` but not armed — the worker died around the call — and a call whose answer was
//! lost (timeout, network, 5xx, unreadable answer) are treated alike: the create *may* have
//! landed, so Ashby is searched again (find step; `candidate.info` + `application.info`)
//! before creating. A candidate that cannot be searched for (no email, no name + profile link)
//! is failed instead, asking the recruiter to check Ashby. A lost note answer is not re-checked
//! nor retried: a missing note is cheaper than a duplicate one on a recruiter's timeline.
//!
//! **Errors**: auth/permission → [`StepResult::PauseQueue`] (the entry stays pending); 429 →
//! retry after `Retry-After` (never counted as a failed attempt, and the runner holds the whole
//! queue); 5xx/network/timeout → exponential backoff with jitter (creates re-check first);
//! validation and other Ashby refusals (e.g. a closed job) → [`StepResult::Failed`] with the
//! recruiter message, kept for a manual retry. No decision rests on an error code Ashby does not
//! document: a refused `application.create` re-reads the candidate's `applicationIds` (one for
//! the job = already applied), and a refused `candidate.info` means the candidate is gone.
//! A reused candidate's `candidate.update` merges links against a `candidate.info` read right
//! before it, because `socialLinks` replaces them all.

use super::dedupe::{email_search_terms, find_match, name_search_applies, normalise_email, Match};
use super::dedupe::{normalise_github_for_match, normalise_linkedin_for_match, Normalise};
use super::outbox::UploadOrigin;
use super::outbox::{Armed, AshbyCandidateRef, ContactUpdate, EntryState, OutboxEntry, Progress};
use crate::ashby::client::Endpoint;
use crate::ashby::http::Transport;
use crate::ashby::retry::{retry_decision, OperationKind, RetryDecision};
use crate::ashby::social_links::merge_social_links;
use crate::ashby::types::{
    ApplicationCreateRequest, ApplicationInfoRequest, Candidate, CandidateCreateRequest,
    CandidateInfoRequest, CandidateSearchRequest, CandidateUpdateRequest, CreateNoteRequest,
    NoteBody, SocialLink,
};
use crate::ashby::{AshbyClient, AshbyError};
use crate::automation::name_only::{self, NameOnly};
use crate::domain::{AshbyProfileUrl, FetcherCandidate, HttpsUrl, UploadProblem};
use crate::text;

/// Settings every upload uses, from the connection (`source.list`, `user.search`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UploadContext {
    /// The "Fetcher" source, set on new candidates and applications when known.
    pub fetcher_source_id: Option<String>,
    /// The recruiter's Ashby user, credited with new candidates and applications.
    pub credited_user_id: Option<String>,
}

/// What happened in one [`advance`].
#[derive(Debug, Clone, PartialEq)]
pub enum StepResult {
    /// A step finished; there is more to do.
    Continue,
    /// The entry is complete (`state` is `Done`).
    Done,
    /// A transient failure: try this entry again after `after_ms`. `rate_limited`: Ashby said
    /// 429, so the whole queue should wait that long.
    RetryAfter { after_ms: u64, rate_limited: bool },
    /// The key cannot be used (auth or permission): stop the whole queue until the recruiter
    /// reconnects. The entry stays pending. The problem is [`UploadProblem::Paused`].
    PauseQueue(UploadProblem),
    /// The entry stopped on an error retrying will not fix (`state` is `Failed`).
    Failed(UploadProblem),
    /// The entry waits for the candidate's contact details (`state` is `Waiting`).
    Wait(UploadProblem),
}

/// The next thing [`advance`] will do for an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A candidate create may have landed: start a fresh find pass first. No call.
    RecheckCandidate,
    /// `candidate.search {email}` with the candidate's email at this index.
    SearchEmail(usize),
    /// `candidate.search {name}`, matched by LinkedIn/GitHub.
    SearchName,
    /// A create may have landed but the candidate cannot be searched for: fail. No call.
    FailUncertainCreate,
    /// `candidate.search {name}` for an automatic upload without contact details: create only
    /// when Ashby has nobody by that name ([`crate::automation::name_only`]).
    CheckSameName,
    /// `candidate.info` of the candidate this entry created, to add the contact details its
    /// profile showed later.
    EnrichFromProfile,
    /// Mark `create_attempted` (persisted before sending). No call.
    ArmCreate,
    CreateCandidate,
    /// `candidate.info` right before the update, to merge links against fresh data.
    ReadBeforeUpdate,
    UpdateContact,
    /// An application create may have landed: read the applications again. No call.
    RecheckApplications,
    /// `candidate.info`, for fresh `applicationIds`.
    CandidateInfo,
    /// `application.info` for this application id.
    ApplicationInfo(String),
    ArmApply,
    Apply,
    /// Ashby refused the application and none for this job exists: fail. No call.
    FailRefusedApply,
    /// A note's answer was lost with the worker: give up on the note. No call.
    AbandonNote,
    ArmNote,
    Note,
    /// Everything is done. No call.
    Finish,
    /// The entry is not pending; nothing to do.
    Idle,
}

impl Step {
    /// The Ashby call this step makes, if any.
    pub fn endpoint(&self) -> Option<Endpoint> {
        match self {
            Step::SearchEmail(_) | Step::SearchName | Step::CheckSameName => {
                Some(Endpoint::CandidateSearch)
            }
            Step::EnrichFromProfile => Some(Endpoint::CandidateInfo),
            Step::CreateCandidate => Some(Endpoint::CandidateCreate),
            Step::UpdateContact => Some(Endpoint::CandidateUpdate),
            Step::CandidateInfo | Step::ReadBeforeUpdate => Some(Endpoint::CandidateInfo),
            Step::ApplicationInfo(_) => Some(Endpoint::ApplicationInfo),
            Step::Apply => Some(Endpoint::ApplicationCreate),
            Step::Note => Some(Endpoint::CandidateCreateNote),
            _ => None,
        }
    }

    /// Whether this step makes a call or arms one (the armed call must follow in the same
    /// run, so the runner only starts it when a call is allowed).
    pub fn needs_call(&self) -> bool {
        self.endpoint().is_some()
            || matches!(self, Step::ArmCreate | Step::ArmApply | Step::ArmNote)
    }
}

pub use super::dedupe::can_search;

/// An automatic upload that cannot be looked up by contact details checks Ashby for the same
/// name before creating (a manual send is the recruiter's call).
fn needs_same_name_check(entry: &OutboxEntry) -> bool {
    matches!(entry.origin, UploadOrigin::Automatic { .. }) && !can_search(&entry.candidate)
}

/// The step [`advance`] will take next. Pure.
pub fn next_step(entry: &OutboxEntry) -> Step {
    if entry.state != EntryState::Pending {
        return Step::Idle;
    }
    let p = &entry.progress;
    let fetcher = &entry.candidate;
    let Some(candidate) = &p.candidate else {
        if p.create_attempted && p.armed != Some(Armed::Create) {
            return Step::RecheckCandidate;
        }
        let searched = p.emails_searched as usize;
        if searched < email_search_terms(&fetcher.emails).len() {
            return Step::SearchEmail(searched);
        }
        if name_search_applies(fetcher) && !p.name_searched {
            return Step::SearchName;
        }
        if p.create_maybe_landed && !can_search(fetcher) {
            return Step::FailUncertainCreate;
        }
        if needs_same_name_check(entry) && !p.same_name_checked {
            return Step::CheckSameName;
        }
        return if p.armed == Some(Armed::Create) {
            Step::CreateCandidate
        } else {
            Step::ArmCreate
        };
    };
    if p.enrich_pending {
        return Step::EnrichFromProfile;
    }
    if !p.contact_update_done && p.contact_update.is_some() {
        return if p.contact_fresh {
            Step::UpdateContact
        } else {
            Step::ReadBeforeUpdate
        };
    }
    if p.application_id.is_none() {
        if p.apply_attempted && p.armed != Some(Armed::Apply) {
            return Step::RecheckApplications;
        }
        let Some(ids) = &p.known_application_ids else {
            return Step::CandidateInfo;
        };
        if let Some(id) = ids
            .iter()
            .find(|id| !p.other_job_application_ids.contains(id))
        {
            return Step::ApplicationInfo(id.clone());
        }
        if p.apply_refused.is_some() {
            return Step::FailRefusedApply;
        }
        return if p.armed == Some(Armed::Apply) {
            Step::Apply
        } else {
            Step::ArmApply
        };
    }
    let note_wanted = candidate.created || p.application_created;
    if note_wanted && !p.note_done {
        if p.note_attempted && p.armed != Some(Armed::Note) {
            return Step::AbandonNote;
        }
        return if p.armed == Some(Armed::Note) {
            Step::Note
        } else {
            Step::ArmNote
        };
    }
    Step::Finish
}

/// Takes the entry's next step: at most one Ashby call. Updates `entry.progress` (and, on
/// `Done`/`Failed`, `entry.state`; on errors `attempts` and `last_error`). The caller persists
/// the entry after every call and handles timing (`next_attempt_at_ms`) from the result.
pub async fn advance<T: Transport>(
    entry: &mut OutboxEntry,
    client: &AshbyClient<T>,
    ctx: &UploadContext,
) -> StepResult {
    match next_step(entry) {
        Step::Idle => match entry.state {
            EntryState::Done => StepResult::Done,
            _ => StepResult::Failed(entry.last_error.clone().unwrap_or(UploadProblem::Legacy {
                text: String::new(),
            })),
        },
        Step::RecheckCandidate => {
            let p = &mut entry.progress;
            p.create_attempted = false;
            p.create_maybe_landed = true;
            restart_find(p);
            StepResult::Continue
        }
        Step::SearchEmail(index) => {
            let Some(email) = email_search_terms(&entry.candidate.emails)
                .into_iter()
                .nth(index)
            else {
                entry.progress.emails_searched += 1;
                return StepResult::Continue;
            };
            let request = CandidateSearchRequest::by_email(email);
            entry.progress.calls += 1;
            match client.search_candidates(&request).await {
                Ok(found) => {
                    entry.progress.emails_searched += 1;
                    resolve_if_matched(entry, &found);
                    succeeded(entry)
                }
                Err(error) => failed(entry, &error, OperationKind::Read),
            }
        }
        Step::SearchName => {
            let request = CandidateSearchRequest::by_name(entry.candidate.name.trim());
            entry.progress.calls += 1;
            match client.search_candidates(&request).await {
                Ok(found) => {
                    entry.progress.name_searched = true;
                    resolve_if_matched(entry, &found);
                    succeeded(entry)
                }
                Err(error) => failed(entry, &error, OperationKind::Read),
            }
        }
        Step::FailUncertainCreate => fail(entry, UploadProblem::MaybeCreated),
        Step::CheckSameName => {
            let request = CandidateSearchRequest::by_name(entry.candidate.name.trim());
            entry.progress.calls += 1;
            match client.search_candidates(&request).await {
                Ok(found) => {
                    let names = found.iter().map(|c| c.name.as_str());
                    match name_only::decide(&entry.candidate.name, names) {
                        NameOnly::GoAhead => {
                            entry.progress.same_name_checked = true;
                            succeeded(entry)
                        }
                        NameOnly::WaitForProfile { same_name } => {
                            let reason = UploadProblem::WaitingSameName { same_name };
                            entry.state = EntryState::Waiting;
                            entry.attempts = 0;
                            entry.last_error = Some(reason.clone());
                            StepResult::Wait(reason)
                        }
                    }
                }
                Err(error) => failed(entry, &error, OperationKind::Read),
            }
        }
        Step::EnrichFromProfile => {
            let Some(candidate) = &entry.progress.candidate else {
                entry.progress.enrich_pending = false;
                return StepResult::Continue;
            };
            let request = CandidateInfoRequest::by_id(candidate.id.clone());
            entry.progress.calls += 1;
            match client.candidate_info(&request).await {
                Ok(info) => {
                    let p = &mut entry.progress;
                    p.enrich_pending = false;
                    p.contact_update = contact_update_for(&entry.candidate, &info);
                    p.contact_update_done = p.contact_update.is_none();
                    p.contact_update_error = None;
                    // This read is the fresh one the update merges against (the next step).
                    p.contact_fresh = true;
                    refresh_candidate(p, &info);
                    succeeded(entry)
                }
                Err(AshbyError::Api { .. }) => {
                    // Refused to read a candidate by the id Ashby gave us: gone (merged or
                    // deleted), so there is nothing to add the details to.
                    entry.progress.enrich_pending = false;
                    succeeded(entry)
                }
                Err(error) => failed(entry, &error, OperationKind::Read),
            }
        }
        Step::ArmCreate => {
            entry.progress.create_attempted = true;
            entry.progress.armed = Some(Armed::Create);
            StepResult::Continue
        }
        Step::CreateCandidate => {
            let request = create_request(&entry.candidate, ctx);
            entry.progress.armed = None;
            entry.progress.calls += 1;
            match client.create_candidate(&request).await {
                Ok(created) => {
                    let p = &mut entry.progress;
                    p.create_attempted = false;
                    p.candidate = Some(AshbyCandidateRef {
                        id: created.value.id.clone(),
                        profile_url: ashby_link(&created.value),
                        created: true,
                        matched_by: None,
                    });
                    p.contact_update = None;
                    p.contact_update_done = true;
                    set_known_applications(p, created.value.application_ids);
                    succeeded(entry)
                }
                Err(error) => {
                    let p = &mut entry.progress;
                    p.create_attempted = false;
                    if outcome_unknown(&error) {
                        p.create_maybe_landed = true;
                        restart_find(p);
                    }
                    failed(entry, &error, OperationKind::Create)
                }
            }
        }
        Step::ReadBeforeUpdate => {
            let Some(candidate) = &entry.progress.candidate else {
                entry.progress.contact_update_done = true;
                return StepResult::Continue;
            };
            let request = CandidateInfoRequest::by_id(candidate.id.clone());
            entry.progress.calls += 1;
            match client.candidate_info(&request).await {
                Ok(fresh) => {
                    let update = contact_update_for(&entry.candidate, &fresh);
                    let p = &mut entry.progress;
                    p.contact_update_done = update.is_none();
                    p.contact_update = update;
                    p.contact_fresh = true;
                    refresh_candidate(p, &fresh);
                    succeeded(entry)
                }
                Err(error @ AshbyError::Api { .. }) => candidate_gone(entry, &error),
                Err(error) => failed(entry, &error, OperationKind::Read),
            }
        }
        Step::UpdateContact => {
            let (Some(candidate), Some(update)) =
                (&entry.progress.candidate, &entry.progress.contact_update)
            else {
                entry.progress.contact_update_done = true;
                return StepResult::Continue;
            };
            let request = CandidateUpdateRequest {
                social_links: update.social_links.clone(),
                alternate_email: update.alternate_email.as_ref().map(ToString::to_string),
                phone_number: update.phone_number.clone(),
                send_notifications: Some(false),
                ..CandidateUpdateRequest::new(candidate.id.clone())
            };
            entry.progress.calls += 1;
            match client.update_candidate(&request).await {
                Ok(updated) => {
                    let p = &mut entry.progress;
                    p.contact_update = None;
                    p.contact_update_done = true;
                    p.contact_fresh = false;
                    refresh_candidate(p, &updated);
                    succeeded(entry)
                }
                Err(error @ AshbyError::Api { .. }) => {
                    // Ashby refused some of the extra contact data: the upload goes on
                    // without it (the candidate is already there and matched).
                    let p = &mut entry.progress;
                    p.contact_update = None;
                    p.contact_update_done = true;
                    p.contact_update_error = Some(UploadProblem::ashby(&error));
                    succeeded(entry)
                }
                Err(error) => {
                    // Read again before the retry: the candidate may change meanwhile.
                    entry.progress.contact_fresh = false;
                    failed(entry, &error, OperationKind::IdempotentWrite)
                }
            }
        }
        Step::RecheckApplications => {
            let p = &mut entry.progress;
            p.apply_attempted = false;
            p.apply_maybe_landed = true;
            p.known_application_ids = None;
            p.known_applications_at_ms = None;
            StepResult::Continue
        }
        Step::CandidateInfo => {
            let Some(candidate) = &entry.progress.candidate else {
                return StepResult::Continue;
            };
            let request = CandidateInfoRequest::by_id(candidate.id.clone());
            entry.progress.calls += 1;
            match client.candidate_info(&request).await {
                Ok(info) => {
                    refresh_candidate(&mut entry.progress, &info);
                    succeeded(entry)
                }
                // Refused to read a candidate by the id Ashby gave us: it is gone (merged or
                // deleted). Ashby documents no code for this, so any refusal counts.
                Err(error @ AshbyError::Api { .. }) => candidate_gone(entry, &error),
                Err(error) => failed(entry, &error, OperationKind::Read),
            }
        }
        Step::ApplicationInfo(application_id) => {
            let request = ApplicationInfoRequest::new(application_id.clone());
            entry.progress.calls += 1;
            match client.application_info(&request).await {
                Ok(application) => {
                    let for_our_job = application
                        .job
                        .as_ref()
                        .is_some_and(|job| job.id == entry.key.job_id);
                    let p = &mut entry.progress;
                    if for_our_job {
                        p.application_id = Some(application.id);
                        // Found only after our own create's answer was lost: it is ours.
                        p.application_created = p.apply_maybe_landed;
                    } else {
                        p.other_job_application_ids.push(application_id);
                    }
                    succeeded(entry)
                }
                // `application_not_found` (documented) or any other refusal: not ours to use.
                Err(AshbyError::Api { .. }) => {
                    entry
                        .progress
                        .other_job_application_ids
                        .push(application_id);
                    succeeded(entry)
                }
                Err(error) => failed(entry, &error, OperationKind::Read),
            }
        }
        Step::ArmApply => {
            entry.progress.apply_attempted = true;
            entry.progress.armed = Some(Armed::Apply);
            StepResult::Continue
        }
        Step::Apply => {
            entry.progress.armed = None;
            let Some(candidate) = &entry.progress.candidate else {
                entry.progress.apply_attempted = false;
                return StepResult::Continue;
            };
            let request = ApplicationCreateRequest {
                candidate_id: candidate.id.clone(),
                job_id: entry.key.job_id.to_string(),
                source_id: ctx.fetcher_source_id.clone(),
                credited_to_user_id: ctx.credited_user_id.clone(),
                ..ApplicationCreateRequest::default()
            };
            entry.progress.calls += 1;
            match client.create_application(&request).await {
                Ok(created) => {
                    let p = &mut entry.progress;
                    p.apply_attempted = false;
                    p.application_id = Some(created.value.id);
                    p.application_created = true;
                    succeeded(entry)
                }
                Err(error) => {
                    let p = &mut entry.progress;
                    p.apply_attempted = false;
                    if let AshbyError::Api { .. } = error {
                        // A refusal. Ashby documents no code for "already applied" or "no such
                        // candidate", so decide from its state: read the candidate's
                        // applications again (a refusal to read the candidate means it is
                        // gone); one for this job means already applied.
                        p.apply_refused = Some(UploadProblem::ashby(&error));
                        p.known_application_ids = None;
                        p.known_applications_at_ms = None;
                        return succeeded(entry);
                    }
                    if outcome_unknown(&error) {
                        p.apply_maybe_landed = true;
                        p.known_application_ids = None;
                        p.known_applications_at_ms = None;
                    }
                    failed(entry, &error, OperationKind::Create)
                }
            }
        }
        Step::FailRefusedApply => {
            let refused = entry.progress.apply_refused.take();
            fail(
                entry,
                refused.unwrap_or(UploadProblem::Legacy {
                    text: String::new(),
                }),
            )
        }
        Step::AbandonNote => {
            let p = &mut entry.progress;
            p.note_attempted = false;
            p.note_done = true;
            p.note_error = Some(UploadProblem::NoteUncertain);
            StepResult::Continue
        }
        Step::ArmNote => {
            entry.progress.note_attempted = true;
            entry.progress.armed = Some(Armed::Note);
            StepResult::Continue
        }
        Step::Note => {
            entry.progress.armed = None;
            let Some(candidate) = &entry.progress.candidate else {
                entry.progress.note_attempted = false;
                return StepResult::Continue;
            };
            let request = CreateNoteRequest {
                candidate_id: candidate.id.clone(),
                note: NoteBody::Plain(text::upload_note(
                    &entry.candidate.profile_url(),
                    &entry.key.search_id,
                    entry.recruiter_email.as_deref(),
                )),
                send_notifications: None,
                is_private: None,
                created_at: None,
            };
            entry.progress.calls += 1;
            match client.create_note(&request).await {
                Ok(note) => {
                    let p = &mut entry.progress;
                    p.note_attempted = false;
                    p.note_done = true;
                    p.note_id = Some(note.id);
                    succeeded(entry)
                }
                Err(error) => {
                    let p = &mut entry.progress;
                    p.note_attempted = false;
                    if error.is_auth_problem() || matches!(error, AshbyError::RateLimited { .. }) {
                        // Refused before anything happened: safe to send again later.
                        return failed(entry, &error, OperationKind::Create);
                    }
                    // Lost answer (may have landed) or refused: no retry; see the module doc.
                    p.note_done = true;
                    p.note_error = Some(if outcome_unknown(&error) {
                        UploadProblem::NoteUncertain
                    } else {
                        UploadProblem::ashby(&error)
                    });
                    succeeded(entry)
                }
            }
        }
        Step::Finish => {
            entry.state = EntryState::Done;
            entry.attempts = 0;
            entry.last_error = None;
            StepResult::Done
        }
    }
}

/// Looks the candidate up in Ashby without writing anything: every email, then the name
/// (matched by LinkedIn/GitHub). For the Send dialog's preview. Up to `emails + 1` calls.
pub async fn find_existing<T: Transport>(
    client: &AshbyClient<T>,
    candidate: &FetcherCandidate,
) -> Result<Option<(Candidate, Match)>, AshbyError> {
    let mut requests: Vec<CandidateSearchRequest> = email_search_terms(&candidate.emails)
        .into_iter()
        .map(CandidateSearchRequest::by_email)
        .collect();
    if name_search_applies(candidate) {
        requests.push(CandidateSearchRequest::by_name(candidate.name.trim()));
    }
    for request in requests {
        let found = client.search_candidates(&request).await?;
        if let Some(matched) = find_match(candidate, &found) {
            if let Some(hit) = found.into_iter().find(|c| c.id == matched.candidate_id) {
                return Ok(Some((hit, matched)));
            }
        }
    }
    Ok(None)
}

/// The `candidate.create` for a Fetcher candidate: primary email, the others as alternates,
/// first phone, profile links, first website, the Fetcher source and the credited user.
pub fn create_request(candidate: &FetcherCandidate, ctx: &UploadContext) -> CandidateCreateRequest {
    let name = candidate.name.trim();
    let name = if name.is_empty() {
        text::unnamed_candidate_in_ashby(&candidate.candidate_id)
    } else {
        name.to_owned()
    };
    let alternates: Vec<String> = candidate
        .emails
        .iter()
        .skip(1)
        .map(ToString::to_string)
        .collect();
    CandidateCreateRequest {
        name,
        email: candidate.emails.first().map(ToString::to_string),
        phone_number: candidate.phones.first().cloned(),
        linked_in_url: candidate.linkedin_url.as_ref().map(ToString::to_string),
        github_url: candidate.github_url.as_ref().map(ToString::to_string),
        website: candidate.website_urls.first().map(ToString::to_string),
        alternate_email_addresses: (!alternates.is_empty()).then_some(alternates),
        source_id: ctx.fetcher_source_id.clone(),
        credited_to_user_id: ctx.credited_user_id.clone(),
        ..CandidateCreateRequest::default()
    }
}

/// What a reused candidate lacks of ours, for one `candidate.update`; `None` when nothing is
/// new. Links: our LinkedIn and GitHub when Ashby has no link to the same profile (merged into
/// the full list, since Ashby replaces all links). Email: the first of ours Ashby does not
/// have, as `alternateEmail` (Ashby takes one per call; the rest stay in Fetcher). Phone: only
/// when Ashby has none.
pub fn contact_update_for(fetcher: &FetcherCandidate, ashby: &Candidate) -> Option<ContactUpdate> {
    let mut additions: Vec<SocialLink> = Vec::new();
    let profiles: [(Option<&HttpsUrl>, &str, Normalise); 2] = [
        (
            fetcher.linkedin_url.as_ref(),
            "LinkedIn",
            normalise_linkedin_for_match,
        ),
        (
            fetcher.github_url.as_ref(),
            "GitHub",
            normalise_github_for_match,
        ),
    ];
    for (url, kind, normalise) in profiles {
        let Some(url) = url else { continue };
        let wanted = normalise(url);
        if !ashby
            .social_links
            .iter()
            .any(|l| normalise(&l.url) == wanted)
        {
            additions.push(SocialLink {
                r#type: kind.to_owned(),
                url: url.to_string(),
            });
        }
    }
    let theirs: Vec<String> = ashby
        .all_emails()
        .iter()
        .map(|e| normalise_email(e))
        .collect();
    let alternate_email = fetcher
        .emails
        .iter()
        .find(|e| !theirs.contains(&normalise_email(e)))
        .cloned();
    let has_phone = ashby.primary_phone_number.is_some() || !ashby.phone_numbers.is_empty();
    let phone_number = if has_phone {
        None
    } else {
        fetcher.phones.first().cloned()
    };
    let update = ContactUpdate {
        social_links: (!additions.is_empty())
            .then(|| merge_social_links(&ashby.social_links, &additions)),
        alternate_email,
        phone_number,
    };
    (update != ContactUpdate::default()).then_some(update)
}

// ---- Helpers ---------------------------------------------------------------------------------

fn restart_find(p: &mut Progress) {
    p.emails_searched = 0;
    p.name_searched = false;
}

fn resolve_if_matched(entry: &mut OutboxEntry, found: &[Candidate]) {
    let Some(matched) = find_match(&entry.candidate, found) else {
        return;
    };
    let Some(ashby) = found.iter().find(|c| c.id == matched.candidate_id) else {
        return;
    };
    let p = &mut entry.progress;
    // Found only after our own create's answer was lost: it is the one we created (the pass
    // before that create found nothing).
    let created = p.create_maybe_landed;
    p.candidate = Some(AshbyCandidateRef {
        id: ashby.id.clone(),
        profile_url: ashby_link(ashby),
        created,
        matched_by: (!created).then_some(matched.matched_by),
    });
    p.contact_update = if created {
        None
    } else {
        contact_update_for(&entry.candidate, ashby)
    };
    p.contact_update_done = p.contact_update.is_none();
    set_known_applications(p, ashby.application_ids.clone());
}

/// The candidate's "Open in Ashby" link, when Ashby's answer has one into its own app.
fn ashby_link(ashby: &Candidate) -> Option<AshbyProfileUrl> {
    AshbyProfileUrl::parse(ashby.profile_url.as_deref()?).ok()
}

fn set_known_applications(p: &mut Progress, ids: Vec<String>) {
    p.known_application_ids = Some(ids);
    p.known_applications_at_ms = None;
}

fn refresh_candidate(p: &mut Progress, ashby: &Candidate) {
    if let Some(candidate) = &mut p.candidate {
        if let Some(url) = ashby_link(ashby) {
            candidate.profile_url = Some(url);
        }
    }
    if p.application_id.is_none() {
        set_known_applications(p, ashby.application_ids.clone());
    }
}

/// The Ashby candidate is gone (merged or deleted in Ashby): find them again from scratch.
fn candidate_gone(entry: &mut OutboxEntry, error: &AshbyError) -> StepResult {
    let p = &mut entry.progress;
    p.candidate = None;
    p.create_attempted = false;
    p.create_maybe_landed = false;
    restart_find(p);
    p.contact_update = None;
    p.contact_update_done = false;
    p.known_application_ids = None;
    p.known_applications_at_ms = None;
    p.other_job_application_ids.clear();
    p.application_id = None;
    p.application_created = false;
    p.apply_attempted = false;
    p.apply_maybe_landed = false;
    p.apply_refused = None;
    p.contact_fresh = false;
    entry.attempts += 1;
    let problem = UploadProblem::ashby(error);
    if entry.attempts >= crate::ashby::RetryPolicy::default().max_attempts {
        return fail(entry, problem);
    }
    entry.last_error = Some(problem);
    StepResult::Continue
}

fn succeeded(entry: &mut OutboxEntry) -> StepResult {
    entry.last_error = None;
    entry.attempts = 0;
    StepResult::Continue
}

fn fail(entry: &mut OutboxEntry, problem: UploadProblem) -> StepResult {
    entry.state = EntryState::Failed;
    entry.progress.armed = None;
    entry.last_error = Some(problem.clone());
    StepResult::Failed(problem)
}

/// The answer to a write was lost: Ashby may or may not have acted.
fn outcome_unknown(error: &AshbyError) -> bool {
    matches!(
        error,
        AshbyError::Timeout
            | AshbyError::Network(_)
            | AshbyError::ServerError { .. }
            | AshbyError::MalformedResponse { .. }
    )
}

/// Maps a failed call through the retry policy. Rate limits never count as failed attempts.
fn failed(entry: &mut OutboxEntry, error: &AshbyError, kind: OperationKind) -> StepResult {
    if error.is_auth_problem() {
        let paused = UploadProblem::Paused {
            because: error.into(),
        };
        entry.last_error = Some(paused.clone());
        return StepResult::PauseQueue(paused);
    }
    let problem = UploadProblem::ashby(error);
    let rate_limited = matches!(error, AshbyError::RateLimited { .. });
    let attempt = if rate_limited { 1 } else { entry.attempts + 1 };
    let random = jitter_fraction(&entry.key.storage_key(), entry.attempts);
    match retry_decision(error, attempt, kind, random) {
        RetryDecision::RetryAfter(after_ms) | RetryDecision::RecheckThenRetry { after_ms } => {
            if !rate_limited {
                entry.attempts += 1;
            }
            entry.last_error = Some(problem);
            StepResult::RetryAfter {
                after_ms,
                rate_limited,
            }
        }
        RetryDecision::GiveUp => fail(entry, problem),
    }
}

/// A fraction in `[0, 1)` that differs between entries and attempts (jitter without a random
/// source, so tests stay deterministic): FNV-1a of the key and the attempt number.
fn jitter_fraction(key: &str, attempts: u32) -> f64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes().chain(attempts.to_le_bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // Below 10^6, so exact in an f64.
    #[allow(clippy::cast_precision_loss)]
    let fraction = (hash % 1_000_000) as f64 / 1_000_000.0;
    fraction
}
