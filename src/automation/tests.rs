use super::*;
use CandidateStatus::*;
use Trigger::*;

/// What a card shows: its status (if readable) and whether Like is pressed.
type Observation = (Option<CandidateStatus>, bool);

const SEARCH: &str = "s1";
const JOB: &str = "job-1";

/// Every state a card can show: status (or none readable) × Like pressed.
fn all_observations() -> Vec<Observation> {
    let statuses = [
        None,
        Some(New),
        Some(Liked),
        Some(Contacted),
        Some(Replied),
        Some(Interested),
    ];
    statuses
        .into_iter()
        .flat_map(|s| [(s, false), (s, true)])
        .collect()
}

fn seen(status: Option<CandidateStatus>, liked: bool) -> FetcherCandidate {
    FetcherCandidate {
        name: "Jane".into(),
        status,
        liked,
        ..FetcherCandidate::new(SEARCH.parse().unwrap(), "c1".parse().unwrap())
    }
}

fn armed_with(trigger: Trigger) -> SearchAutomation {
    SearchAutomation {
        search_id: SEARCH.into(),
        job_id: Some(JOB.into()),
        enabled: true,
        trigger,
        applicant_limit: None,
        enabled_at_ms: None,
    }
}

fn upload(trigger: Trigger) -> Action {
    Action::Upload {
        job_id: JOB.into(),
        trigger,
    }
}

/// The page model, stated independently of the implementation: the first observation of a
/// sequence at which `trigger` happens, if any.
fn spec_fires_at(trigger: Trigger, observations: &[Observation]) -> Option<usize> {
    match trigger {
        AllNewCandidates => {
            // The first observation with a readable status, if that status is New.
            let first_known = observations.iter().position(|(s, _)| s.is_some())?;
            (observations[first_known].0 == Some(New)).then_some(first_known)
        }
        _ => {
            let point = match trigger {
                OnLike => Liked,
                OnContact => Contacted,
                OnReply => Replied,
                _ => Interested,
            };
            observations.iter().position(|&(status, liked)| {
                status.is_some_and(|s| s >= point) || (trigger == OnLike && liked)
            })
        }
    }
}

/// Runs a sequence of observations; `settings_at(i)` gives the settings at step `i`. Returns
/// the actions and the final history.
fn run(
    observations: &[Observation],
    settings_at: impl Fn(usize) -> Option<SearchAutomation>,
) -> (Vec<Action>, Option<CandidateHistory>) {
    let mut history: Option<CandidateHistory> = None;
    let mut uploads = 0;
    let mut actions = Vec::new();
    for (i, &(status, liked)) in observations.iter().enumerate() {
        let settings = settings_at(i);
        let decision = decide(
            &seen(status, liked),
            settings.as_ref(),
            history.as_ref(),
            uploads,
            1_000 + i as u64,
        );
        if matches!(decision.action, Action::Upload { .. }) {
            uploads += 1;
        }
        assert_eq!(
            decision.history_changed,
            history.as_ref() != Some(&decision.new_history)
        );
        actions.push(decision.action);
        history = Some(decision.new_history);
    }
    (actions, history)
}

/// Every sequence of up to `len` observations.
fn sequences(len: usize) -> Vec<Vec<Observation>> {
    let mut all = vec![Vec::new()];
    let mut frontier = vec![Vec::new()];
    for _ in 0..len {
        let mut next = Vec::new();
        for seq in &frontier {
            for obs in all_observations() {
                let mut longer: Vec<_> = seq.clone();
                longer.push(obs);
                next.push(longer);
            }
        }
        all.extend(next.iter().cloned());
        frontier = next;
    }
    all
}

// ---- Explicit cases ------------------------------------------------------------------------

#[test]
fn first_sightings_fire_every_trigger_up_to_the_status() {
    // (observation, triggers fired) — for a candidate never seen before.
    let cases: &[(Observation, &[Trigger])] = &[
        ((None, false), &[]),
        ((None, true), &[OnLike]),
        ((Some(New), false), &[AllNewCandidates]),
        ((Some(New), true), &[AllNewCandidates, OnLike]),
        ((Some(Liked), false), &[OnLike]),
        ((Some(Contacted), false), &[OnLike, OnContact]),
        ((Some(Replied), false), &[OnLike, OnContact, OnReply]),
        (
            (Some(Interested), false),
            &[OnLike, OnContact, OnReply, OnInterestedReply],
        ),
        (
            (Some(Interested), true),
            &[OnLike, OnContact, OnReply, OnInterestedReply],
        ),
    ];
    for &((status, liked), want) in cases {
        let decision = decide(&seen(status, liked), None, None, 0, 42);
        assert_eq!(
            decision.fired.iter().collect::<Vec<_>>(),
            want,
            "{status:?} liked={liked}"
        );
        assert_eq!(decision.action, Action::Nothing);
        assert!(decision.history_changed);
        assert_eq!(decision.new_history.first_seen_ms, 42);
        assert_eq!(decision.new_history.status, status);
        assert_eq!(decision.new_history.liked, liked);
        for trigger in Trigger::ALL {
            let armed = decide(
                &seen(status, liked),
                Some(&armed_with(trigger)),
                None,
                0,
                42,
            );
            let want_action = if want.contains(&trigger) {
                upload(trigger)
            } else {
                Action::Nothing
            };
            assert_eq!(armed.action, want_action, "{trigger:?} {status:?} {liked}");
        }
    }
}

#[test]
fn status_changes_of_known_candidates_fire() {
    let history = |status, liked| decide(&seen(status, liked), None, None, 0, 1).new_history;
    // (known state, observed state, trigger, uploads?)
    let cases: &[(Observation, Observation, Trigger, bool)] = &[
        ((Some(New), false), (Some(New), true), OnLike, true),
        ((Some(New), false), (Some(Liked), false), OnLike, true),
        ((Some(New), false), (Some(Contacted), false), OnLike, true),
        (
            (Some(New), false),
            (Some(Contacted), false),
            OnContact,
            true,
        ),
        (
            (Some(Liked), true),
            (Some(Contacted), true),
            OnContact,
            true,
        ),
        (
            (Some(Contacted), false),
            (Some(Replied), false),
            OnReply,
            true,
        ),
        (
            (Some(Contacted), false),
            (Some(Interested), false),
            OnReply,
            true,
        ),
        (
            (Some(Replied), false),
            (Some(Interested), false),
            OnInterestedReply,
            true,
        ),
        // already past the point: nothing new
        (
            (Some(Liked), false),
            (Some(Contacted), false),
            OnLike,
            false,
        ),
        ((None, true), (Some(Liked), true), OnLike, false),
        (
            (Some(Replied), false),
            (Some(Interested), false),
            OnContact,
            false,
        ),
        // a New card seen before is not new again; a later first readable New is
        (
            (Some(New), false),
            (Some(New), false),
            AllNewCandidates,
            false,
        ),
        ((None, false), (Some(New), false), AllNewCandidates, true),
        ((None, true), (Some(New), true), AllNewCandidates, true),
        ((None, false), (Some(Liked), false), AllNewCandidates, false),
        // statuses do not go back, an unlike does not undo a like
        ((Some(Replied), false), (Some(New), false), OnContact, false),
        ((Some(New), true), (Some(New), false), OnLike, false),
        // no readable status now: nothing is lost or invented
        ((Some(Liked), false), (None, false), OnContact, false),
    ];
    for &((ks, kl), (os, ol), trigger, uploads) in cases {
        let known = history(ks, kl);
        let decision = decide(
            &seen(os, ol),
            Some(&armed_with(trigger)),
            Some(&known),
            0,
            9,
        );
        let want = if uploads {
            upload(trigger)
        } else {
            Action::Nothing
        };
        assert_eq!(
            decision.action, want,
            "{ks:?}/{kl} → {os:?}/{ol}, {trigger:?}"
        );
        assert_eq!(decision.new_history.first_seen_ms, 1);
        assert_eq!(decision.new_history.status, ks.max(os));
        assert_eq!(decision.new_history.liked, kl || ol);
    }
}

#[test]
fn settings_that_cannot_upload_do_nothing_but_record_history() {
    let no_job = SearchAutomation {
        job_id: None,
        ..armed_with(OnLike)
    };
    let disabled = SearchAutomation {
        enabled: false,
        ..armed_with(OnLike)
    };
    let other_search = SearchAutomation {
        search_id: "s2".into(),
        ..armed_with(OnLike)
    };
    for settings in [None, Some(no_job), Some(disabled), Some(other_search)] {
        let decision = decide(&seen(Some(Liked), true), settings.as_ref(), None, 0, 5);
        assert_eq!(decision.action, Action::Nothing, "{settings:?}");
        assert!(decision.fired.contains(OnLike));
        assert!(decision.new_history.fired.contains(OnLike));
        assert_eq!(decision.new_history.uploaded_by, None);
        assert_eq!(decision.new_history.status, Some(Liked));
    }
}

#[test]
fn applicant_limit() {
    let limited = |limit| SearchAutomation {
        applicant_limit: Some(limit),
        ..armed_with(OnContact)
    };
    let obs = seen(Some(Contacted), false);
    // under the limit
    assert_eq!(
        decide(&obs, Some(&limited(3)), None, 2, 0).action,
        upload(OnContact)
    );
    // at or over it
    for (limit, so_far) in [(3, 3), (3, 7), (0, 0)] {
        let decision = decide(&obs, Some(&limited(limit)), None, so_far, 0);
        assert_eq!(
            decision.action,
            Action::SkipOverLimit { trigger: OnContact }
        );
        assert_eq!(decision.new_history.skipped_over_limit, Some(OnContact));
        assert_eq!(decision.new_history.uploaded_by, None);
        // reported once: the same observation again (re-render, reload) is nothing
        let again = decide(
            &obs,
            Some(&limited(limit)),
            Some(&decision.new_history),
            so_far,
            1,
        );
        assert_eq!(again.action, Action::Nothing);
        assert!(!again.history_changed);
        // and raising the limit afterwards is not retroactive either
        let raised = decide(
            &obs,
            Some(&limited(100)),
            Some(&decision.new_history),
            so_far,
            2,
        );
        assert_eq!(raised.action, Action::Nothing);
    }
    // no limit
    assert_eq!(
        decide(&obs, Some(&armed_with(OnContact)), None, u32::MAX, 0).action,
        upload(OnContact)
    );
}

#[test]
fn one_upload_per_candidate_and_search_even_when_the_trigger_changes() {
    let first = decide(
        &seen(Some(Liked), false),
        Some(&armed_with(OnLike)),
        None,
        0,
        0,
    );
    assert_eq!(first.action, upload(OnLike));
    assert_eq!(first.new_history.uploaded_by, Some(OnLike));
    // the recruiter switches to On contact; the candidate is then contacted
    let later = decide(
        &seen(Some(Contacted), false),
        Some(&armed_with(OnContact)),
        Some(&first.new_history),
        1,
        1,
    );
    assert!(later.fired.contains(OnContact));
    assert_eq!(later.action, Action::Nothing);
}

#[test]
fn re_renders_and_reloads_are_idempotent() {
    for trigger in Trigger::ALL {
        for (status, liked) in all_observations() {
            let settings = armed_with(trigger);
            let first = decide(&seen(status, liked), Some(&settings), None, 0, 10);
            let again = decide(
                &seen(status, liked),
                Some(&settings),
                Some(&first.new_history),
                1,
                20,
            );
            assert_eq!(again.action, Action::Nothing);
            assert!(again.fired.is_empty());
            assert!(!again.history_changed);
            assert_eq!(again.new_history, first.new_history);
        }
    }
}

// ---- Exhaustive sequences ------------------------------------------------------------------

#[test]
fn armed_from_the_start_uploads_exactly_when_the_trigger_first_happens() {
    for trigger in Trigger::ALL {
        for seq in sequences(3) {
            let (actions, _) = run(&seq, |_| Some(armed_with(trigger)));
            let uploads: Vec<usize> = actions
                .iter()
                .enumerate()
                .filter(|(_, a)| **a != Action::Nothing)
                .map(|(i, _)| i)
                .collect();
            let want: Vec<usize> = spec_fires_at(trigger, &seq).into_iter().collect();
            assert_eq!(uploads, want, "{trigger:?} {seq:?}");
            for i in uploads {
                assert_eq!(actions[i], upload(trigger));
            }
        }
    }
}

#[test]
fn enabling_later_is_not_retroactive() {
    // Automation is off (in each of the ways it can be off) for the first `enable_at`
    // observations, then on. It uploads only when the trigger first happens after that.
    let off: [fn(Trigger) -> Option<SearchAutomation>; 4] = [
        |_| None,
        |t| {
            Some(SearchAutomation {
                enabled: false,
                ..armed_with(t)
            })
        },
        |t| {
            Some(SearchAutomation {
                job_id: None,
                ..armed_with(t)
            })
        },
        // set to some other trigger before: changing the trigger is not retroactive either
        |t| {
            let other = Trigger::ALL.into_iter().find(|o| *o != t).unwrap();
            Some(armed_with(other))
        },
    ];
    for trigger in Trigger::ALL {
        for off_settings in off {
            for seq in sequences(3) {
                for enable_at in 0..=seq.len() {
                    let settings_at = |i: usize| {
                        if i < enable_at {
                            off_settings(trigger)
                        } else {
                            Some(armed_with(trigger))
                        }
                    };
                    let (actions, _) = run(&seq, settings_at);
                    // one upload per candidate and search: one by the other trigger before
                    // enabling uses it up
                    let used_up = actions[..enable_at].iter().any(|a| *a != Action::Nothing);
                    let want = spec_fires_at(trigger, &seq).filter(|&i| i >= enable_at && !used_up);
                    let got = actions
                        .iter()
                        .enumerate()
                        .find(|(i, a)| *i >= enable_at && **a == upload(trigger))
                        .map(|(i, _)| i);
                    assert_eq!(got, want, "{trigger:?} enabled at {enable_at}: {seq:?}");
                    let armed_uploads = actions[enable_at..]
                        .iter()
                        .filter(|a| **a != Action::Nothing)
                        .count();
                    assert!(armed_uploads <= 1, "{trigger:?} {seq:?}");
                }
            }
        }
    }
}

#[test]
fn each_trigger_fires_at_most_once_and_history_is_monotone() {
    for seq in sequences(4) {
        let mut history: Option<CandidateHistory> = None;
        let mut fired_so_far = TriggerSet::EMPTY;
        for &(status, liked) in &seq {
            let decision = decide(&seen(status, liked), None, history.as_ref(), 0, 0);
            assert_eq!(
                decision.fired.difference(fired_so_far),
                decision.fired,
                "{seq:?}"
            );
            fired_so_far = fired_so_far.union(decision.fired);
            assert_eq!(decision.new_history.fired, fired_so_far);
            if let Some(old) = &history {
                assert!(decision.new_history.status >= old.status);
                assert!(decision.new_history.liked >= old.liked);
            }
            history = Some(decision.new_history);
        }
        for trigger in Trigger::ALL {
            assert_eq!(
                fired_so_far.contains(trigger),
                spec_fires_at(trigger, &seq).is_some(),
                "{trigger:?} {seq:?}"
            );
        }
    }
}

// ---- Wire and storage formats --------------------------------------------------------------

#[test]
fn page_event_json() {
    let event = PageEvent::CandidateSeen {
        candidate: seen(Some(Liked), true),
    };
    let json = serde_json::to_value(&event).unwrap();
    assert_eq!(json["type"], "CandidateSeen");
    assert_eq!(json["candidate"]["searchId"], SEARCH);
    assert_eq!(json["candidate"]["status"], "Liked");
    assert_eq!(json["candidate"]["liked"], true);
    let back: PageEvent = serde_json::from_value(json).unwrap();
    assert_eq!(back, event);
    assert_eq!(
        decide_event(&event, Some(&armed_with(OnLike)), None, 0, 0).action,
        upload(OnLike)
    );
}

#[test]
fn history_json_is_compact_and_round_trips() {
    let empty = CandidateHistory {
        first_seen_ms: 7,
        ..CandidateHistory::default()
    };
    assert_eq!(
        serde_json::to_string(&empty).unwrap(),
        r#"{"firstSeenMs":7}"#
    );
    let full = CandidateHistory {
        status: Some(Replied),
        liked: true,
        first_seen_ms: 1_700_000_000_000,
        fired: [OnLike, OnContact, OnReply].into_iter().collect(),
        uploaded_by: Some(OnContact),
        skipped_over_limit: None,
        held_by_brake: None,
    };
    let json = serde_json::to_string(&full).unwrap();
    assert_eq!(
        json,
        r#"{"status":"Replied","liked":true,"firstSeenMs":1700000000000,"fired":14,"uploadedBy":"OnContact"}"#
    );
    assert_eq!(
        serde_json::from_str::<CandidateHistory>(&json).unwrap(),
        full
    );
    // unknown bits from a newer version are ignored, missing fields default
    let lenient: CandidateHistory = serde_json::from_str(r#"{"fired":224}"#).unwrap();
    assert!(lenient.fired.is_empty());
    assert_eq!(lenient.first_seen_ms, 0);
}

#[test]
fn action_json() {
    assert_eq!(
        serde_json::to_string(&upload(OnReply)).unwrap(),
        r#"{"type":"Upload","jobId":"job-1","trigger":"OnReply"}"#
    );
    assert_eq!(
        serde_json::to_string(&Action::Nothing).unwrap(),
        r#"{"type":"Nothing"}"#
    );
}

#[test]
fn events_histories_and_actions_are_written_as_serde_writes_them() {
    use crate::json_writer::testing::{awkward_text, same_as_serde};
    let mut awkward = seen(None, false);
    awkward.name = awkward_text();
    for candidate in [seen(Some(Interested), true), awkward] {
        same_as_serde(&PageEvent::CandidateSeen { candidate });
    }

    let mut histories = vec![CandidateHistory::default()];
    for (observation, trigger) in all_observations()
        .into_iter()
        .zip(Trigger::ALL.iter().cycle())
    {
        let (status, liked) = observation;
        histories.push(CandidateHistory {
            status,
            liked,
            first_seen_ms: u64::MAX,
            fired: [*trigger].into_iter().collect(),
            uploaded_by: Some(*trigger),
            skipped_over_limit: None,
            held_by_brake: None,
        });
        histories.push(CandidateHistory {
            status,
            liked,
            first_seen_ms: 1_700_000_000_000,
            fired: TriggerSet::EMPTY,
            uploaded_by: None,
            skipped_over_limit: Some(*trigger),
            held_by_brake: Some(*trigger),
        });
    }
    histories.push(CandidateHistory {
        fired: Trigger::ALL.into_iter().collect(),
        ..CandidateHistory::default()
    });
    // Unknown bits alone read as empty and are left out, as serde's `is_empty` leaves them.
    histories.push(CandidateHistory {
        fired: TriggerSet(224),
        ..CandidateHistory::default()
    });
    histories.push(CandidateHistory {
        fired: TriggerSet(u8::MAX),
        ..CandidateHistory::default()
    });
    for history in &histories {
        same_as_serde(history);
        same_as_serde(&history.fired);
    }

    let mut actions = vec![Action::Nothing];
    for trigger in Trigger::ALL {
        actions.push(upload(trigger));
        actions.push(Action::SkipOverLimit { trigger });
        actions.push(Action::HeldByBrake { trigger });
    }
    for action in &actions {
        same_as_serde(action);
    }
}
