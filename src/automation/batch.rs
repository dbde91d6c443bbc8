//! One batch of observations from a page → what the worker writes and queues. Pure: the worker
//! reads the keys named by [`keys_to_read`] in one storage call, calls [`plan`], queues the
//! uploads in the outbox, then writes the plan's values (histories last, so a worker stopped
//! in between decides again and the outbox's keys turn the repeat into a no-op).
//!
//! Storage layout (`chrome.storage.local`):
//!
//! | key | value |
//! |---|---|
//! | `history/<searchId>/<candidateId>` | [`CandidateHistory`]: what was observed and fired |
//! | `autoUploads/<searchId>` | how many candidates the search's automation has queued (its applicant limit counts these) |
//! | `autoBrake/<searchId>` | the search's [`Brake`]: recent automatic uploads, paused or not |
//!
//! Ids are validated before they get here (`[A-Za-z0-9_-]`), so `/` separates them safely.

use super::brake::{brake_key, Brake, BrakeAnswer};
use super::{decide, Action, CandidateHistory};
use crate::domain::{
    CandidateId, EpochMs, FetcherCandidate, JobId, SearchAutomation, SearchId, UploadProblem,
};
use crate::from_json::FromJson;
use crate::keyed::Keyed;
use crate::storage_schema::automation_key;
use crate::storage_schema::keys::{self, AUTO_UPLOADS_PREFIX};
use crate::upload::outbox::{record_key, UploadOrigin, UploadRecord, UploadStatus};
use crate::upload::pipeline::can_search;
use serde_json::Value;
use std::collections::BTreeMap;

const MAX_BRAKE_UPLOADS: usize = super::brake::MAX_UPLOADS_IN_WINDOW;

/// `history/<search>/<candidate>`.
pub fn history_key(search_id: &SearchId, candidate_id: &CandidateId) -> String {
    keys::history(search_id, candidate_id)
}

/// `autoUploads/<search>`.
pub fn count_key(search_id: &SearchId) -> String {
    keys::auto_uploads(search_id)
}

/// Every key [`plan`] needs for these candidates: each search's settings and count, each
/// candidate's history and card record.
pub fn keys_to_read(candidates: &[FetcherCandidate]) -> Vec<String> {
    // Each search's keys once per candidate: the sort and dedup below keep one of each.
    let mut keys: Vec<String> = Vec::new();
    for candidate in candidates {
        let search = &candidate.search_id;
        keys.extend([automation_key(search), count_key(search), brake_key(search)]);
        keys.push(history_key(search, &candidate.candidate_id));
        keys.push(record_key(search, &candidate.candidate_id));
    }
    crate::sorting::sort(&mut keys);
    keys.dedup();
    keys
}

/// An upload automation asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedUpload {
    pub candidate: FetcherCandidate,
    pub job_id: JobId,
    pub origin: UploadOrigin,
}

/// What to do about a batch.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchPlan {
    /// Queue these first (the outbox makes a repeat of the same key a no-op).
    pub uploads: Vec<PlannedUpload>,
    /// Card records for candidates skipped over the applicant limit (only where the card shows
    /// nothing yet: an earlier upload's record is never replaced by a skip).
    pub skipped: Vec<(String, UploadRecord)>,
    /// Then write these: changed histories and counts.
    pub writes: Vec<(String, Value)>,
}

/// Decides a batch of observations (in page order) against what is stored under
/// [`keys_to_read`]. Unreadable stored values count as absent. `job_title` names a job for
/// the skip records.
pub fn plan(
    candidates: &[FetcherCandidate],
    stored: &BTreeMap<String, Value>,
    job_title: &dyn Fn(&str) -> String,
    now_ms: u64,
) -> BatchPlan {
    plan_remembering(candidates, stored, job_title, &|_, _| false, now_ms)
}

/// [`plan`] where `forgotten(search, candidate)` says whether a candidate without history had
/// one that was pruned ([`super::retention`]): such a candidate is not new.
pub fn plan_remembering(
    candidates: &[FetcherCandidate],
    stored: &BTreeMap<String, Value>,
    job_title: &dyn Fn(&str) -> String,
    forgotten: &dyn Fn(&str, &str) -> bool,
    now_ms: u64,
) -> BatchPlan {
    let read = |key: &str| stored.get(key).cloned();
    // Lists, not maps: a few entries per batch (see `crate::keyed`).
    let mut histories: Keyed<CandidateHistory> = Keyed::default();
    let mut counts: Keyed<u32> = Keyed::default();
    let mut brakes: Keyed<Brake> = Keyed::default();
    let mut changed: Vec<String> = Vec::new();
    let mut plan = BatchPlan::default();
    for candidate in candidates {
        let search = &candidate.search_id;
        let settings: Option<SearchAutomation> = read(&automation_key(search))
            .and_then(|v| SearchAutomation::from_value(&v).ok())
            .filter(|s| &s.search_id == search);
        let count_key = count_key(search);
        let count = *counts.get_or_insert_with(count_key.clone(), || {
            read(&count_key)
                .and_then(|v| v.as_u64())
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(0)
        });
        let key = history_key(search, &candidate.candidate_id);
        if !histories.contains_key(&key) {
            if let Some(history) = read(&key).and_then(|v| CandidateHistory::from_value(&v).ok()) {
                histories.insert(key.clone(), history);
            } else if forgotten(search, &candidate.candidate_id) {
                histories.insert(key.clone(), super::retention::remembered_history());
            }
        }
        let mut decision = decide(
            candidate,
            settings.as_ref(),
            histories.get(&key),
            count,
            now_ms,
        );
        if let Action::Upload { trigger, .. } = decision.action {
            let brake_key = brake_key(search);
            let brake = brakes.get_or_insert_with(brake_key.clone(), || {
                Brake::from_stored(stored.get(&brake_key), now_ms)
            });
            let answer = brake.ask(now_ms);
            changed.push(brake_key);
            if let BrakeAnswer::Hold { .. } = answer {
                decision.new_history.uploaded_by = None;
                decision.new_history.held_by_brake = Some(trigger);
                decision.history_changed = true;
                decision.action = Action::HeldByBrake { trigger };
            }
        }
        let record_key = record_key(search, &candidate.candidate_id);
        let record: Option<UploadRecord> =
            read(&record_key).and_then(|v| UploadRecord::from_value(&v).ok());
        match decision.action {
            Action::Upload { job_id, trigger } => {
                counts.insert(count_key.clone(), count.saturating_add(1));
                changed.push(count_key);
                plan.uploads.push(PlannedUpload {
                    candidate: candidate.clone(),
                    job_id,
                    origin: UploadOrigin::Automatic { trigger },
                });
            }
            Action::SkipOverLimit { trigger } => {
                let already_shown =
                    record.is_some() || plan.skipped.iter().any(|(key, _)| key == &record_key);
                let job_id = settings.as_ref().and_then(|s| s.job_id.clone());
                if let (false, Some(settings), Some(job_id)) =
                    (already_shown, settings.as_ref(), job_id)
                {
                    let limit = settings.applicant_limit.unwrap_or(0);
                    plan.skipped.push((
                        record_key,
                        UploadRecord {
                            status: UploadStatus::Skipped,
                            job_title: job_title(&job_id),
                            job_id,
                            ashby_candidate_id: None,
                            profile_url: None,
                            application_id: None,
                            reused: false,
                            matched_by: None,
                            at_ms: EpochMs::from_clock(now_ms as f64),
                            error: Some(UploadProblem::OverApplicantLimit { limit }),
                            origin: UploadOrigin::Automatic { trigger },
                        },
                    ));
                }
            }
            Action::HeldByBrake { trigger } => {
                let already_shown =
                    record.is_some() || plan.skipped.iter().any(|(key, _)| key == &record_key);
                let job_id = settings.as_ref().and_then(|s| s.job_id.clone());
                if let (false, Some(_), Some(job_id)) = (already_shown, settings.as_ref(), job_id) {
                    plan.skipped.push((
                        record_key,
                        UploadRecord {
                            status: UploadStatus::Skipped,
                            job_title: job_title(&job_id),
                            job_id,
                            ashby_candidate_id: None,
                            profile_url: None,
                            application_id: None,
                            reused: false,
                            matched_by: None,
                            at_ms: EpochMs::from_clock(now_ms as f64),
                            error: Some(UploadProblem::AutomationBraked {
                                limit: MAX_BRAKE_UPLOADS,
                            }),
                            origin: UploadOrigin::Automatic { trigger },
                        },
                    ));
                }
            }
            // An automatic upload waiting for contact details goes once they are seen, and
            // one that created its candidate without them adds them (the outbox tells which;
            // for any other it is a no-op).
            Action::Nothing => {
                if let Some(record) = record.filter(|r| {
                    let created_by_us = r.status == UploadStatus::Sent
                        && r.ashby_candidate_id.is_some()
                        && !r.reused;
                    (r.status == UploadStatus::Queued || created_by_us)
                        && matches!(r.origin, UploadOrigin::Automatic { .. })
                        && can_search(candidate)
                }) {
                    plan.uploads.push(PlannedUpload {
                        candidate: candidate.clone(),
                        job_id: record.job_id,
                        origin: record.origin,
                    });
                }
            }
        }
        if decision.history_changed {
            histories.insert(key.clone(), decision.new_history);
            changed.push(key);
        }
    }
    // Written in key order, each once.
    crate::sorting::sort(&mut changed);
    changed.dedup();
    for key in changed {
        let value = if key.starts_with(AUTO_UPLOADS_PREFIX) {
            counts.get(&key).map(|n| Value::from(*n))
        } else if let Some(brake) = brakes.get(&key) {
            Some(crate::to_json::value(brake))
        } else {
            histories.get(&key).map(crate::to_json::value)
        };
        if let Some(value) = value {
            plan.writes.push((key, value));
        }
    }
    plan
}

/// How many candidates a search's automation has queued (for the popup).
pub fn uploads_counted(search_id: &SearchId, stored: &BTreeMap<String, Value>) -> Option<u32> {
    stored
        .get(&count_key(search_id))
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CandidateStatus, Trigger};
    use serde_json::json;

    const SEARCH: &str = "s1";

    fn card(id: &str, status: CandidateStatus, email: Option<&str>) -> FetcherCandidate {
        FetcherCandidate {
            search_id: SEARCH.parse().unwrap(),
            candidate_id: id.parse().unwrap(),
            name: format!("Name {id}"),
            emails: email.map(|e| vec![e.into()]).unwrap_or_default(),
            status: Some(status),
            ..FetcherCandidate::new("s".parse().unwrap(), "c".parse().unwrap())
        }
    }

    fn armed(trigger: Trigger, limit: Option<u32>) -> BTreeMap<String, Value> {
        let settings = SearchAutomation {
            search_id: SEARCH.into(),
            job_id: Some("job-1".into()),
            enabled: true,
            trigger,
            applicant_limit: limit,
            enabled_at_ms: Some(1),
        };
        BTreeMap::from([(
            automation_key(&SEARCH.into()),
            serde_json::to_value(settings).unwrap(),
        )])
    }

    fn title(_: &str) -> String {
        "Backend".into()
    }

    /// Applies a plan's writes (and skip records) to the stored map, as the worker does.
    fn apply(stored: &mut BTreeMap<String, Value>, plan: &BatchPlan) {
        for (key, value) in &plan.writes {
            stored.insert(key.clone(), value.clone());
        }
        for (key, record) in &plan.skipped {
            stored.insert(key.clone(), serde_json::to_value(record).unwrap());
        }
    }

    #[test]
    fn keys_cover_settings_counts_histories_and_records_once() {
        let batch = [
            card("a", CandidateStatus::New, None),
            card("a", CandidateStatus::Liked, None),
        ];
        assert_eq!(
            keys_to_read(&batch),
            [
                "autoBrake/s1",
                "autoUploads/s1",
                "automation/s1",
                "history/s1/a",
                "upload/s1/a"
            ]
        );
    }

    #[test]
    fn a_limit_of_two_uploads_two_of_five_new_cards_and_records_the_rest_as_skipped() {
        let mut stored = armed(Trigger::AllNewCandidates, Some(2));
        let batch: Vec<_> = (1..=5)
            .map(|n| {
                let email = format!("c{n}@example.com");
                card(&format!("c{n}"), CandidateStatus::New, Some(email.as_str()))
            })
            .collect();
        let plan = plan(&batch, &stored, &title, 10);
        let uploaded: Vec<_> = plan
            .uploads
            .iter()
            .map(|u| u.candidate.candidate_id.as_str())
            .collect();
        assert_eq!(uploaded, ["c1", "c2"]);
        assert!(plan.uploads.iter().all(|u| u.job_id == "job-1"
            && u.origin
                == UploadOrigin::Automatic {
                    trigger: Trigger::AllNewCandidates
                }));
        let skipped: Vec<_> = plan.skipped.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(skipped, ["upload/s1/c3", "upload/s1/c4", "upload/s1/c5"]);
        let record = &plan.skipped[0].1;
        assert_eq!(record.status, UploadStatus::Skipped);
        assert_eq!(record.job_title, "Backend");
        assert_eq!(
            record.error,
            Some(UploadProblem::OverApplicantLimit { limit: 2 })
        );
        let shown = crate::text::upload_problem(record.error.as_ref().unwrap());
        assert!(shown.contains("limit of 2"), "{shown}");
        assert!(plan
            .writes
            .contains(&("autoUploads/s1".to_owned(), json!(2))));
        assert_eq!(
            plan.writes.len(),
            7,
            "five histories, the count and the brake"
        );

        // The same page again (a re-render or a reload): nothing new at all.
        apply(&mut stored, &plan);
        let again = super::plan(&batch, &stored, &title, 20);
        assert_eq!(again, BatchPlan::default());
    }

    #[test]
    fn observations_without_settings_are_remembered_so_automation_is_not_retroactive() {
        let mut stored = BTreeMap::new();
        let batch = [card("a", CandidateStatus::Liked, Some("a@example.com"))];
        let first = plan(&batch, &stored, &title, 1);
        assert!(first.uploads.is_empty());
        assert_eq!(first.writes.len(), 1);
        apply(&mut stored, &first);
        // Automation is turned on for likes afterwards: the like seen before does not fire.
        stored.extend(armed(Trigger::OnLike, None));
        assert!(plan(&batch, &stored, &title, 2).uploads.is_empty());
        // A status change observed afterwards does fire the later triggers, once.
        stored.extend(armed(Trigger::OnContact, None));
        let contacted = [card("a", CandidateStatus::Contacted, Some("a@example.com"))];
        let fired = plan(&contacted, &stored, &title, 3);
        assert_eq!(fired.uploads.len(), 1);
        apply(&mut stored, &fired);
        assert!(plan(&contacted, &stored, &title, 4).uploads.is_empty());
    }

    #[test]
    fn a_waiting_upload_is_asked_for_again_once_contact_details_are_seen() {
        let mut stored = armed(Trigger::AllNewCandidates, None);
        let name_only = [card("a", CandidateStatus::New, None)];
        let first = plan(&name_only, &stored, &title, 1);
        assert_eq!(first.uploads.len(), 1);
        apply(&mut stored, &first);
        let waiting = UploadRecord {
            status: UploadStatus::Queued,
            job_id: "job-1".parse().unwrap(),
            job_title: "Backend".into(),
            ashby_candidate_id: None,
            profile_url: None,
            application_id: None,
            reused: false,
            matched_by: None,
            at_ms: EpochMs::from_clock(1.0),
            // As an earlier version stored it: the English itself.
            error: Some(UploadProblem::Legacy {
                text: crate::text::WAITING_FOR_CONTACT_DETAILS.into(),
            }),
            origin: UploadOrigin::Automatic {
                trigger: Trigger::AllNewCandidates,
            },
        };
        stored.insert(
            record_key(&SEARCH.into(), &"a".into()),
            serde_json::to_value(&waiting).unwrap(),
        );
        // Seen again without details: nothing to do.
        assert!(plan(&name_only, &stored, &title, 2).uploads.is_empty());
        // The profile shows an email: the same upload is asked for with the richer data.
        let profile = [card("a", CandidateStatus::New, Some("a@example.com"))];
        let upgrade = plan(&profile, &stored, &title, 3);
        assert_eq!(upgrade.uploads.len(), 1);
        assert_eq!(upgrade.uploads[0].candidate.emails, ["a@example.com"]);
        assert_eq!(upgrade.uploads[0].job_id, "job-1");
        // The count is not raised again: it is the same upload.
        assert!(upgrade.writes.iter().all(|(k, _)| k != "autoUploads/s1"));
    }

    #[test]
    fn the_brake_holds_back_the_fifty_first_upload_and_every_later_one_until_resumed() {
        let mut stored = armed(Trigger::AllNewCandidates, None);
        let cards = |from: u32, to: u32| -> Vec<FetcherCandidate> {
            (from..to)
                .map(|n| {
                    let email = format!("c{n}@example.com");
                    card(&format!("c{n}"), CandidateStatus::New, Some(email.as_str()))
                })
                .collect()
        };
        let first = plan(&cards(0, 60), &stored, &title, 1_000);
        assert_eq!(first.uploads.len(), 50);
        assert_eq!(first.skipped.len(), 10);
        let held = &first.skipped[0].1;
        assert_eq!(first.skipped[0].0, "upload/s1/c50");
        assert_eq!(held.status, UploadStatus::Skipped);
        assert!(matches!(
            held.error,
            Some(UploadProblem::AutomationBraked { .. })
        ));
        let shown = crate::text::upload_problem(held.error.as_ref().unwrap());
        assert!(shown.contains("paused"), "{shown}");
        apply(&mut stored, &first);
        assert!(plan(&cards(0, 60), &stored, &title, 2_000)
            .uploads
            .is_empty());
        let brake = Brake::from_stored(stored.get("autoBrake/s1"), 0);
        assert_eq!((brake.is_paused(), brake.held), (true, 10));
        let history: CandidateHistory =
            serde_json::from_value(stored[&history_key(&SEARCH.into(), &"c55".into())].clone())
                .unwrap();
        assert_eq!(history.uploaded_by, None);
        assert_eq!(history.held_by_brake, Some(Trigger::AllNewCandidates));
        // Only automatic uploads count against the limit: the count says 50.
        assert_eq!(uploads_counted(&SEARCH.into(), &stored), Some(50));

        // Hours later, still paused: new candidates are held too.
        let later = plan(&cards(60, 61), &stored, &title, 10_000_000);
        assert!(later.uploads.is_empty());
        apply(&mut stored, &later);

        // The recruiter resumes: new candidates go again (the held ones stay for a hand send).
        let mut resumed = Brake::from_stored(stored.get("autoBrake/s1"), 0);
        resumed.resume();
        stored.insert(
            "autoBrake/s1".into(),
            serde_json::to_value(resumed).unwrap(),
        );
        let after = plan(&cards(55, 65), &stored, &title, 10_000_001);
        let ids: Vec<_> = after
            .uploads
            .iter()
            .map(|u| u.candidate.candidate_id.as_str())
            .collect();
        assert_eq!(ids, ["c61", "c62", "c63", "c64"]);
    }

    #[test]
    fn a_forgotten_candidate_seen_again_is_not_new() {
        let stored = armed(Trigger::AllNewCandidates, None);
        let batch = [
            card("old", CandidateStatus::New, Some("old@example.com")),
            card("new", CandidateStatus::New, Some("new@example.com")),
        ];
        let plan = plan_remembering(&batch, &stored, &title, &|_, c| c == "old", 1);
        let ids: Vec<_> = plan
            .uploads
            .iter()
            .map(|u| u.candidate.candidate_id.as_str())
            .collect();
        assert_eq!(ids, ["new"]);
        // Its history is written again, so it is remembered exactly from now on.
        assert!(plan.writes.iter().any(|(k, _)| k == "history/s1/old"));
    }

    #[test]
    fn a_candidate_created_without_contact_details_is_asked_for_again_when_they_are_seen() {
        let mut stored = armed(Trigger::AllNewCandidates, None);
        let first = plan(&[card("a", CandidateStatus::New, None)], &stored, &title, 1);
        apply(&mut stored, &first);
        let created = |reused: bool| UploadRecord {
            status: UploadStatus::Sent,
            job_id: "job-1".parse().unwrap(),
            job_title: "Backend".into(),
            ashby_candidate_id: Some("ashby-1".into()),
            profile_url: None,
            application_id: Some("app-1".into()),
            reused,
            matched_by: None,
            at_ms: EpochMs::from_clock(2.0),
            error: None,
            origin: UploadOrigin::Automatic {
                trigger: Trigger::AllNewCandidates,
            },
        };
        let profile = [card("a", CandidateStatus::New, Some("a@example.com"))];
        for (reused, asked) in [(false, 1), (true, 0)] {
            stored.insert(
                record_key(&SEARCH.into(), &"a".into()),
                serde_json::to_value(created(reused)).unwrap(),
            );
            let again = plan(&profile, &stored, &title, 3);
            assert_eq!(again.uploads.len(), asked, "reused: {reused}");
        }
        // Without contact details on the card, nothing is asked for.
        let plain = plan(&[card("a", CandidateStatus::New, None)], &stored, &title, 4);
        assert!(plain.uploads.is_empty());
    }

    #[test]
    fn a_skip_never_replaces_an_earlier_upload_record() {
        let mut stored = armed(Trigger::OnLike, Some(0));
        let sent = UploadRecord {
            status: UploadStatus::Sent,
            job_id: "job-1".parse().unwrap(),
            job_title: "Backend".into(),
            ashby_candidate_id: None,
            profile_url: None,
            application_id: None,
            reused: false,
            matched_by: None,
            at_ms: EpochMs::from_clock(1.0),
            error: None,
            origin: UploadOrigin::Manual,
        };
        stored.insert(
            record_key(&SEARCH.into(), &"a".into()),
            serde_json::to_value(&sent).unwrap(),
        );
        let plan = plan(
            &[card("a", CandidateStatus::Liked, Some("a@example.com"))],
            &stored,
            &title,
            5,
        );
        assert!(plan.uploads.is_empty());
        assert!(plan.skipped.is_empty());
        assert_eq!(plan.writes.len(), 1, "the history still records the skip");
    }

    #[test]
    fn unreadable_stored_values_count_as_absent() {
        let mut stored = armed(Trigger::AllNewCandidates, None);
        stored.insert(history_key(&SEARCH.into(), &"a".into()), json!("garbage"));
        stored.insert(count_key(&SEARCH.into()), json!(-3));
        let plan = plan(
            &[card("a", CandidateStatus::New, Some("a@example.com"))],
            &stored,
            &title,
            1,
        );
        assert_eq!(plan.uploads.len(), 1);
        assert_eq!(uploads_counted(&SEARCH.into(), &stored), None);
    }
}
