//! The upload pipeline and runner against a stateful fake Ashby and an in-memory store.

use super::fake_ashby::{FakeAshby, Fault};
use super::outbox::{EntryKey, EntryState, UploadOrigin, UploadStatus, INDEX_KEY, PAUSED_KEY};
use super::pipeline::UploadContext;
use super::runner::{DrainReport, EnqueueOutcome, RateGuard, Runner, RunnerConfig, UploadRequest};
use super::store::MemoryStore;
use super::MatchReason;
use crate::ashby::test_support::block_on;
use crate::ashby::AshbyClient;
use crate::domain::{AshbyProblem, FetcherCandidate, Trigger, UploadProblem};
use crate::text;
use serde_json::{json, Value};
use std::future::Future;
use std::rc::Rc;

/// What the recruiter reads for a stored problem.
fn shown(problem: Option<&UploadProblem>) -> Option<String> {
    problem.map(text::upload_problem)
}

const JOB: &str = "00000001-0000-4000-8000-000000000001";
const OTHER_JOB: &str = "00000001-0000-4000-8000-000000000002";
const SOURCE: &str = "00000005-0000-4000-8000-000000000001";
const USER: &str = "00000004-0000-4000-8000-000000000001";
const T0: f64 = 1_000_000.0;

fn ctx() -> UploadContext {
    UploadContext {
        fetcher_source_id: Some(SOURCE.into()),
        credited_user_id: Some(USER.into()),
    }
}

fn candidate(id: &str, name: &str, emails: &[&str]) -> FetcherCandidate {
    FetcherCandidate {
        name: name.into(),
        emails: emails.iter().map(|e| (*e).into()).collect(),
        ..FetcherCandidate::new("search-1".parse().unwrap(), id.parse().unwrap())
    }
}

fn jane() -> FetcherCandidate {
    FetcherCandidate {
        phones: vec!["+49 30 1234567".into()],
        linkedin_url: Some("https://www.linkedin.com/in/jane-doe".into()),
        website_urls: vec!["https://jane.dev".into()],
        ..candidate(
            "cand-jane",
            "Jane Doe",
            &["jane@example.com", "jane@work.example"],
        )
    }
}

struct Harness {
    ashby: FakeAshby,
    store: Rc<MemoryStore>,
}

type TestRunner = Runner<Rc<MemoryStore>, FakeAshby>;

impl Harness {
    fn new() -> Self {
        Self {
            ashby: FakeAshby::new(),
            store: Rc::new(MemoryStore::new()),
        }
    }

    /// A fresh runner over the same store and Ashby: a restarted worker.
    fn runner(&self) -> TestRunner {
        self.runner_with(RunnerConfig::default())
    }

    fn runner_with(&self, config: RunnerConfig) -> TestRunner {
        Runner::with_config(
            self.store.clone(),
            AshbyClient::new(self.ashby.clone(), "test-key"),
            ctx(),
            config,
        )
    }

    fn enqueue(&self, runner: &TestRunner, candidate: FetcherCandidate) -> EnqueueOutcome {
        block_on(runner.enqueue(manual(candidate, JOB), T0)).unwrap()
    }

    /// Enqueues and drains to the end with a fresh runner.
    fn send(&self, candidate: FetcherCandidate) -> (EnqueueOutcome, DrainReport) {
        let runner = self.runner();
        let outcome = self.enqueue(&runner, candidate);
        let report = block_on(runner.drain(T0, 1_000)).unwrap();
        (outcome, report)
    }

    fn entry(&self, candidate: &FetcherCandidate, job: &str) -> super::OutboxEntry {
        let key = EntryKey::for_candidate(candidate, &job.into());
        serde_json::from_value(self.store.peek(&key.storage_key()).expect("entry stored")).unwrap()
    }

    fn record(&self, candidate: &FetcherCandidate) -> super::UploadRecord {
        let key = super::outbox::record_key(&candidate.search_id, &candidate.candidate_id);
        serde_json::from_value(self.store.peek(&key).expect("record stored")).unwrap()
    }
}

fn manual(candidate: FetcherCandidate, job: &str) -> UploadRequest {
    UploadRequest {
        candidate,
        job_id: job.into(),
        job_title: "Senior Backend Engineer".into(),
        origin: UploadOrigin::Manual,
        recruiter_email: Some("recruiter@fetcher-demo.example".into()),
    }
}

fn automatic(candidate: FetcherCandidate, job: &str) -> UploadRequest {
    UploadRequest {
        origin: UploadOrigin::Automatic {
            trigger: Trigger::OnReply,
        },
        ..manual(candidate, job)
    }
}

// ---- Happy paths -----------------------------------------------------------------------------

#[test]
fn new_candidate_is_searched_by_every_email_and_name_then_created_applied_and_noted() {
    let h = Harness::new();
    let (outcome, report) = h.send(jane());
    assert!(matches!(outcome, EnqueueOutcome::Queued(ref r) if r.status == UploadStatus::Queued));
    assert_eq!(
        h.ashby.calls(),
        [
            "candidate.search",
            "candidate.search",
            "candidate.search",
            "candidate.create",
            "application.create",
            "candidate.createNote"
        ]
    );
    assert_eq!(report.calls, 6);
    assert_eq!(report.completed, 1);
    assert_eq!(report.next_wake_at_ms, None);
    let searches = h.ashby.bodies("candidate.search");
    assert_eq!(searches[0], json!({"email": "jane@example.com"}));
    assert_eq!(searches[1], json!({"email": "jane@work.example"}));
    assert_eq!(searches[2], json!({"name": "Jane Doe"}));
    assert_eq!(
        h.ashby.bodies("candidate.create")[0],
        json!({
            "name": "Jane Doe",
            "email": "jane@example.com",
            "phoneNumber": "+49 30 1234567",
            "linkedInUrl": "https://www.linkedin.com/in/jane-doe",
            "website": "https://jane.dev",
            "alternateEmailAddresses": ["jane@work.example"],
            "sourceId": SOURCE,
            "creditedToUserId": USER
        })
    );
    let candidates = h.ashby.candidates();
    assert_eq!(candidates.len(), 1);
    let ashby_id = candidates[0].id.clone();
    assert_eq!(
        h.ashby.bodies("application.create")[0],
        json!({"candidateId": ashby_id, "jobId": JOB, "sourceId": SOURCE, "creditedToUserId": USER})
    );
    let notes = h.ashby.notes();
    assert_eq!(notes.len(), 1);
    assert_eq!(
        notes[0].1,
        text::upload_note(
            "https://app.fetcher.ai/searches/search-1/candidates/cand-jane",
            "search-1",
            Some("recruiter@fetcher-demo.example")
        )
    );
    assert!(notes[0]
        .1
        .contains("Sent from Fetcher by recruiter@fetcher-demo.example"));

    let record = h.record(&jane());
    assert_eq!(record.status, UploadStatus::Sent);
    assert_eq!(
        record.ashby_candidate_id.as_deref(),
        Some(ashby_id.as_str())
    );
    assert_eq!(
        record.profile_url.as_deref(),
        Some(format!("https://app.ashbyhq.com/candidates/{ashby_id}").as_str())
    );
    assert_eq!(
        record.application_id,
        Some(h.ashby.applications()[0].id.clone())
    );
    assert!(!record.reused);
    assert_eq!(record.error, None);
    assert_eq!(h.entry(&jane(), JOB).state, EntryState::Done);
    assert_eq!(h.store.peek(INDEX_KEY), Some(json!([])));
}

#[test]
fn a_candidate_with_one_email_and_no_links_takes_four_calls() {
    let h = Harness::new();
    h.send(candidate("c1", "Sam", &["sam@example.com"]));
    assert_eq!(
        h.ashby.calls(),
        [
            "candidate.search",
            "candidate.create",
            "application.create",
            "candidate.createNote"
        ]
    );
}

#[test]
fn a_nameless_candidate_gets_the_fallback_name() {
    let h = Harness::new();
    h.send(candidate("c-9", "", &["x@example.com"]));
    assert_eq!(
        h.ashby.bodies("candidate.create")[0]["name"],
        json!(text::unnamed_candidate_in_ashby("c-9"))
    );
}

#[test]
fn existing_candidate_by_email_in_another_case_is_reused_and_given_the_new_link() {
    let h = Harness::new();
    let existing = h.ashby.seed_candidate(
        "Existing Person",
        &[
            "Existing.Person@Example.com",
            "existing.person@work.example",
        ],
        &[],
        &[],
    );
    let fetcher = FetcherCandidate {
        linkedin_url: Some("https://www.linkedin.com/in/existing-person".into()),
        ..candidate("c1", "Existing Person", &["Existing.Person@Work.Example"])
    };
    h.send(fetcher.clone());
    // As shown (no exact match), then lower-cased: the candidate's alternate address.
    assert_eq!(
        h.ashby.calls(),
        [
            "candidate.search",
            "candidate.search",
            "candidate.info",
            "candidate.update",
            "application.create",
            "candidate.createNote"
        ]
    );
    assert_eq!(
        h.ashby.bodies("candidate.update")[0],
        json!({
            "candidateId": existing,
            "socialLinks": [{"type": "LinkedIn", "url": "https://www.linkedin.com/in/existing-person"}],
            "sendNotifications": false
        })
    );
    assert_eq!(h.ashby.candidates().len(), 1, "no second candidate");
    let record = h.record(&fetcher);
    assert!(record.reused);
    assert_eq!(
        record.matched_by,
        Some(MatchReason::Email("Existing.Person@Work.Example".into()))
    );
    assert_eq!(record.ashby_candidate_id, Some(existing));
}

#[test]
fn a_reused_candidate_with_nothing_new_gets_no_update() {
    let h = Harness::new();
    h.ashby.seed_candidate(
        "Existing Person",
        &["existing.person@example.com"],
        &[],
        &[],
    );
    h.send(candidate(
        "c1",
        "Existing Person",
        &["EXISTING.person@example.com"],
    ));
    assert_eq!(
        h.ashby.calls(),
        [
            "candidate.search",
            "candidate.search",
            "application.create",
            "candidate.createNote"
        ]
    );
}

#[test]
fn existing_candidate_by_linkedin_with_another_email_is_reused_and_given_the_email() {
    let h = Harness::new();
    let linda = h.ashby.seed_candidate(
        "Linda Linkedin",
        &[],
        &[
            ("LinkedIn", "https://www.linkedin.com/in/existing-linkedin"),
            ("GitHub", "https://github.com/existing-linkedin"),
        ],
        &[],
    );
    // A namesake with another profile must not be taken.
    h.ashby.seed_candidate(
        "Linda Linkedin",
        &["other.linda@example.com"],
        &[("LinkedIn", "https://www.linkedin.com/in/another-linda")],
        &[],
    );
    let fetcher = FetcherCandidate {
        linkedin_url: Some("https://www.linkedin.com/in/existing-linkedin".into()),
        ..candidate("c2", "Linda Linkedin", &["linda@new.example"])
    };
    h.send(fetcher.clone());
    assert_eq!(
        h.ashby.calls(),
        [
            "candidate.search",
            "candidate.search",
            "candidate.info",
            "candidate.update",
            "application.create",
            "candidate.createNote"
        ]
    );
    assert_eq!(
        h.ashby.bodies("candidate.update")[0],
        json!({"candidateId": linda, "alternateEmail": "linda@new.example", "sendNotifications": false})
    );
    let record = h.record(&fetcher);
    assert!(record.reused);
    assert_eq!(record.matched_by, Some(MatchReason::LinkedIn));
    assert_eq!(record.ashby_candidate_id, Some(linda));
    assert_eq!(h.ashby.candidates().len(), 2);
}

#[test]
fn an_already_applied_candidate_gets_no_application_and_no_note() {
    let h = Harness::new();
    h.ashby.seed_candidate(
        "Applied Candidate",
        &["applied.candidate@example.com"],
        &[],
        &[OTHER_JOB, JOB],
    );
    let fetcher = candidate(
        "c3",
        "Applied Candidate",
        &["applied.candidate@example.com"],
    );
    h.send(fetcher.clone());
    assert_eq!(
        h.ashby.calls(),
        ["candidate.search", "application.info", "application.info"]
    );
    assert_eq!(h.ashby.applications().len(), 2);
    assert!(h.ashby.notes().is_empty());
    let record = h.record(&fetcher);
    assert_eq!(record.status, UploadStatus::Sent);
    assert_eq!(
        record.application_id,
        Some(h.ashby.applications()[1].id.clone())
    );
}

#[test]
fn a_name_only_match_is_not_used() {
    let h = Harness::new();
    h.ashby.seed_candidate(
        "Jane Doe",
        &["another.jane@example.com"],
        &[("LinkedIn", "https://www.linkedin.com/in/another-jane")],
        &[],
    );
    let (_, report) = h.send(jane());
    assert_eq!(report.completed, 1);
    assert_eq!(h.ashby.candidates().len(), 2, "a new candidate was created");
    assert!(!h.record(&jane()).reused);
}

#[test]
fn sending_twice_creates_nothing_new_and_enqueue_is_idempotent() {
    let h = Harness::new();
    let runner = h.runner();
    assert!(matches!(
        h.enqueue(&runner, jane()),
        EnqueueOutcome::Queued(_)
    ));
    assert!(matches!(
        h.enqueue(&runner, jane()),
        EnqueueOutcome::AlreadyQueued(_)
    ));
    assert_eq!(block_on(runner.pending_keys()).unwrap().len(), 1);
    block_on(runner.drain(T0, 100)).unwrap();
    let calls = h.ashby.calls().len();
    let again = h.enqueue(&h.runner(), jane());
    let EnqueueOutcome::AlreadySent(record) = again else {
        panic!("{again:?}")
    };
    assert_eq!(record.status, UploadStatus::Sent);
    let report = block_on(h.runner().drain(T0 + 1.0, 100)).unwrap();
    assert_eq!(report.calls, 0);
    assert_eq!(h.ashby.calls().len(), calls);

    // The same candidate to another job is another upload: reused, applied, no new candidate.
    block_on(h.runner().enqueue(manual(jane(), OTHER_JOB), T0)).unwrap();
    block_on(h.runner().drain(T0, 100)).unwrap();
    assert_eq!(h.ashby.candidates().len(), 1);
    assert_eq!(h.ashby.applications().len(), 2);
    assert_eq!(
        h.ashby.notes().len(),
        2,
        "the new application gets its note"
    );
}

#[test]
fn a_batch_enqueue_writes_once_and_dedupes_within_the_batch() {
    let h = Harness::new();
    let runner = h.runner();
    let before = h.store.stats();
    let outcomes = block_on(runner.enqueue_many(
        vec![
            automatic(jane(), JOB),
            automatic(candidate("c2", "B", &["b@example.com"]), JOB),
            automatic(jane(), JOB),
        ],
        T0,
    ))
    .unwrap();
    // Ids are typed (checked when read), so every request has a key.
    assert!(matches!(outcomes[0], Ok(EnqueueOutcome::Queued(_))));
    assert!(matches!(outcomes[1], Ok(EnqueueOutcome::Queued(_))));
    assert!(matches!(outcomes[2], Ok(EnqueueOutcome::AlreadyQueued(_))));
    assert_eq!(h.store.stats().set_calls - before.set_calls, 1);
    assert_eq!(block_on(runner.pending_keys()).unwrap().len(), 2);
}

#[test]
fn an_automatic_upload_without_contact_details_goes_when_nobody_in_ashby_has_the_name() {
    let h = Harness::new();
    h.ashby
        .seed_candidate("Name Onlyson", &["other@example.com"], &[], &[]);
    let name_only = candidate("c-name", "Name Only", &[]);
    let runner = h.runner();
    let outcome = block_on(runner.enqueue(automatic(name_only.clone(), JOB), T0)).unwrap();
    assert!(matches!(outcome, EnqueueOutcome::Queued(_)));
    block_on(runner.drain(T0, 100)).unwrap();
    assert_eq!(
        h.ashby.bodies("candidate.search"),
        [json!({"name": "Name Only"})],
        "one name search, then a create"
    );
    assert_eq!(h.ashby.candidates().len(), 2);
    assert_eq!(h.ashby.applications().len(), 1);
    assert_eq!(h.record(&name_only).status, UploadStatus::Sent);

    // Seen again without details: nothing to do.
    let again = block_on(runner.enqueue(automatic(name_only.clone(), JOB), T0 + 1.0)).unwrap();
    assert!(matches!(again, EnqueueOutcome::AlreadySent(_)));

    // The profile shows an email and LinkedIn: they are added to the candidate it created.
    let profile = FetcherCandidate {
        linkedin_url: Some("https://www.linkedin.com/in/name-only".into()),
        ..candidate("c-name", "Name Only", &["name.only@example.com"])
    };
    h.ashby.clear_log();
    let enriched = block_on(runner.enqueue(automatic(profile.clone(), JOB), T0 + 2.0)).unwrap();
    assert!(matches!(enriched, EnqueueOutcome::Queued(_)));
    block_on(runner.drain(T0 + 2.0, 100)).unwrap();
    assert_eq!(h.ashby.calls(), ["candidate.info", "candidate.update"]);
    let update = &h.ashby.bodies("candidate.update")[0];
    assert_eq!(update["alternateEmail"], json!("name.only@example.com"));
    assert!(update["socialLinks"]
        .to_string()
        .contains("linkedin.com/in/name-only"));
    assert_eq!(h.ashby.candidates().len(), 2, "no second candidate");
    assert_eq!(h.ashby.applications().len(), 1);
    assert_eq!(h.record(&profile).status, UploadStatus::Sent);
    // Once added, seeing the profile again does nothing.
    let last = block_on(runner.enqueue(automatic(profile, JOB), T0 + 3.0)).unwrap();
    assert!(matches!(last, EnqueueOutcome::AlreadySent(_)));
}

#[test]
fn an_automatic_upload_without_contact_details_waits_when_ashby_has_the_name() {
    let h = Harness::new();
    h.ashby
        .seed_candidate("name only", &["someone@example.com"], &[], &[]);
    let name_only = candidate("c-name", "Name Only", &[]);
    let runner = h.runner();
    block_on(runner.enqueue(automatic(name_only.clone(), JOB), T0)).unwrap();
    let report = block_on(runner.drain(T0, 100)).unwrap();
    assert_eq!((report.calls, report.next_wake_at_ms), (1, None));
    assert_eq!(h.entry(&name_only, JOB).state, EntryState::Waiting);
    let record = h.record(&name_only);
    assert_eq!(record.status, UploadStatus::Queued);
    assert_eq!(
        record.error,
        Some(UploadProblem::WaitingSameName { same_name: 1 })
    );
    assert_eq!(
        shown(record.error.as_ref()),
        Some(text::waiting_same_name(1))
    );
    assert!(block_on(runner.pending_keys()).unwrap().is_empty());

    // Seen again without details: still waiting, no call. Retry does not send it blind either.
    let again = block_on(runner.enqueue(automatic(name_only.clone(), JOB), T0 + 1.0)).unwrap();
    assert!(matches!(again, EnqueueOutcome::AlreadyQueued(_)));
    let key = EntryKey::for_candidate(&name_only, &JOB.into());
    block_on(runner.retry(&key, T0 + 2.0)).unwrap();
    assert_eq!(h.entry(&name_only, JOB).state, EntryState::Waiting);
    assert_eq!(block_on(runner.drain(T0 + 2.0, 100)).unwrap().calls, 0);

    // The profile shows an email: the entry joins the queue with it and the usual duplicate
    // check decides (here: another person, created once).
    let with_email = candidate("c-name", "Name Only", &["name.only@example.com"]);
    let upgraded = block_on(runner.enqueue(automatic(with_email, JOB), T0 + 3.0)).unwrap();
    assert!(matches!(upgraded, EnqueueOutcome::Queued(_)));
    block_on(runner.drain(T0 + 3.0, 100)).unwrap();
    assert_eq!(h.entry(&name_only, JOB).state, EntryState::Done);
    assert_eq!(h.ashby.candidates().len(), 2);
    assert_eq!(h.ashby.applications().len(), 1);
    assert_eq!(h.record(&name_only).status, UploadStatus::Sent);
}

/// The profile of a name-only candidate seen while its upload still waits its turn in the queue
/// (a recruiter opening profiles while a batch drains): its contact details go with the
/// upload, which therefore never waits for a profile already seen.
#[test]
fn contact_details_seen_while_a_name_only_upload_is_queued_go_with_it() {
    let h = Harness::new();
    // Someone in Ashby has the name: without the profile's email the upload would wait for it.
    h.ashby
        .seed_candidate("Name Only", &["someone@example.com"], &[], &[]);
    let name_only = candidate("c-name", "Name Only", &[]);
    let with_email = candidate("c-name", "Name Only", &["name.only@example.com"]);
    let runner = h.runner();
    block_on(runner.enqueue(automatic(name_only.clone(), JOB), T0)).unwrap();
    let seen = block_on(runner.enqueue(automatic(with_email.clone(), JOB), T0 + 1.0)).unwrap();
    assert!(matches!(seen, EnqueueOutcome::AlreadyQueued(_)));
    // Durable before the answer: a restarted worker drains it with the email.
    let report = block_on(h.runner().drain(T0 + 2.0, 100)).unwrap();
    assert_eq!((report.completed, report.next_wake_at_ms), (1, None));
    assert_eq!(
        h.ashby.bodies("candidate.search")[0],
        json!({"email": "name.only@example.com"})
    );
    assert_eq!(h.entry(&name_only, JOB).state, EntryState::Done);
    assert_eq!(
        h.ashby.candidates().len(),
        2,
        "another person, created once"
    );
    assert_eq!(h.ashby.applications().len(), 1);
    assert_eq!(h.record(&with_email).status, UploadStatus::Sent);
}

/// The same sighting arriving while the drain is working on that very upload (its same-name
/// check under way): the drain holds a copy of the entry, so the details wait beside it and
/// the drain asks to run again at once instead of leaving the upload waiting for a profile.
#[test]
fn contact_details_seen_during_the_same_name_check_are_not_lost() {
    let h = Harness::new();
    h.ashby
        .seed_candidate("Name Only", &["someone@example.com"], &[], &[]);
    let (store, runner) = hook_runner(&h, None);
    let name_only = candidate("c-name", "Name Only", &[]);
    block_on(runner.enqueue(automatic(name_only.clone(), JOB), T0)).unwrap();
    // The drain's first write is the answer to its same-name check: the profile is seen then.
    let during = Rc::downgrade(&runner);
    *store.hook.borrow_mut() = Some(Box::new(move || {
        let runner = during.upgrade().unwrap();
        let with_email = candidate("c-name", "Name Only", &["name.only@example.com"]);
        block_on(runner.enqueue(automatic(with_email, JOB), T0)).unwrap();
    }));
    let report = block_on(runner.drain(T0, 100)).unwrap();
    assert_eq!(report.next_wake_at_ms, Some(T0), "due again at once");
    let report = block_on(runner.drain(T0, 100)).unwrap();
    assert_eq!((report.completed, report.next_wake_at_ms), (1, None));
    let entry = h.entry(&name_only, JOB);
    assert_eq!(entry.state, EntryState::Done);
    assert_eq!(entry.candidate.emails, ["name.only@example.com"]);
    assert_eq!(h.ashby.candidates().len(), 2);
    assert_eq!(h.ashby.applications().len(), 1);
}

/// A name-only upload that created its candidate but has not applied yet when the profile is
/// seen: the profile's details are added to that candidate (never a second one).
#[test]
fn contact_details_seen_after_the_blind_create_are_added_to_that_candidate() {
    let h = Harness::new();
    let name_only = candidate("c-name", "Name Only", &[]);
    let runner = h.runner();
    block_on(runner.enqueue(automatic(name_only.clone(), JOB), T0)).unwrap();
    // Budget for the same-name check and the create only.
    block_on(runner.drain(T0, 2)).unwrap();
    assert_eq!(h.ashby.candidates().len(), 1);
    assert_eq!(h.entry(&name_only, JOB).state, EntryState::Pending);
    let profile = FetcherCandidate {
        linkedin_url: Some("https://www.linkedin.com/in/name-only".into()),
        ..candidate("c-name", "Name Only", &["name.only@example.com"])
    };
    block_on(runner.enqueue(automatic(profile, JOB), T0 + 1.0)).unwrap();
    let report = block_on(runner.drain(T0 + 2.0, 100)).unwrap();
    assert_eq!((report.completed, report.next_wake_at_ms), (1, None));
    let update = &h.ashby.bodies("candidate.update")[0];
    assert!(update.to_string().contains("name.only@example.com"));
    assert!(update.to_string().contains("linkedin.com/in/name-only"));
    assert_eq!(h.ashby.candidates().len(), 1, "no second candidate");
    assert_eq!(h.ashby.applications().len(), 1);
}

#[test]
fn a_manual_send_of_a_waiting_upload_goes_at_once() {
    let h = Harness::new();
    h.ashby
        .seed_candidate("Name Only", &["someone@example.com"], &[], &[]);
    let name_only = candidate("c-name", "Name Only", &[]);
    let runner = h.runner();
    block_on(runner.enqueue(automatic(name_only.clone(), JOB), T0)).unwrap();
    block_on(runner.drain(T0, 100)).unwrap();
    assert_eq!(h.entry(&name_only, JOB).state, EntryState::Waiting);
    let outcome = h.enqueue(&runner, name_only.clone());
    assert!(matches!(outcome, EnqueueOutcome::Queued(_)));
    let entry = h.entry(&name_only, JOB);
    assert_eq!(
        (entry.state, entry.origin),
        (EntryState::Pending, UploadOrigin::Manual)
    );
    block_on(runner.drain(T0, 100)).unwrap();
    assert_eq!(h.ashby.candidates().len(), 2, "the recruiter's call");
}

type HookRunner = Runner<Rc<HookStore>, FakeAshby>;

/// A runner over the harness's store and Ashby whose store runs a hook once, at its first
/// write (or its first write of `at_key`).
fn hook_runner(h: &Harness, at_key: Option<String>) -> (Rc<HookStore>, Rc<HookRunner>) {
    let store = Rc::new(HookStore {
        inner: h.store.clone(),
        hook: std::cell::RefCell::new(None),
        at_key,
    });
    let runner = Rc::new(Runner::new(
        store.clone(),
        AshbyClient::new(h.ashby.clone(), "test-key"),
        ctx(),
    ));
    (store, runner)
}

/// A store that runs a hook once, at its first write (or its first write of `at_key`): lets a
/// test act in the middle of a drain.
struct HookStore {
    inner: Rc<MemoryStore>,
    hook: std::cell::RefCell<Option<Box<dyn FnOnce()>>>,
    at_key: Option<String>,
}

impl super::Store for HookStore {
    async fn get(
        &self,
        keys: &[String],
    ) -> Result<std::collections::BTreeMap<String, serde_json::Value>, super::StoreError> {
        self.inner.get(keys).await
    }

    async fn set(&self, items: Vec<(String, serde_json::Value)>) -> Result<(), super::StoreError> {
        let now = self
            .at_key
            .as_deref()
            .is_none_or(|key| items.iter().any(|(k, _)| k == key));
        let hook = if now {
            self.hook.borrow_mut().take()
        } else {
            None
        };
        if let Some(hook) = hook {
            hook();
        }
        self.inner.set(items).await
    }

    async fn remove(&self, keys: &[String]) -> Result<(), super::StoreError> {
        self.inner.remove(keys).await
    }
}

#[test]
fn an_upload_queued_during_a_drain_is_due_at_once_not_left_for_the_next_event() {
    let h = Harness::new();
    let (store, runner) = hook_runner(&h, None);
    block_on(runner.enqueue(manual(jane(), JOB), T0)).unwrap();
    // While the first upload is being sent, the recruiter sends a second candidate.
    let during = Rc::downgrade(&runner);
    *store.hook.borrow_mut() = Some(Box::new(move || {
        let runner = during.upgrade().unwrap();
        let second = candidate("c2", "Second", &["second@example.com"]);
        assert!(matches!(
            block_on(runner.enqueue(manual(second, JOB), T0)).unwrap(),
            EnqueueOutcome::Queued(_)
        ));
    }));
    let report = block_on(runner.drain(T0, 1_000)).unwrap();
    assert_eq!(report.completed, 1, "the first upload");
    assert_eq!(report.next_wake_at_ms, Some(T0), "the second is due now");
    let report = block_on(runner.drain(T0, 1_000)).unwrap();
    assert_eq!((report.completed, report.next_wake_at_ms), (1, None));
    assert_eq!(h.ashby.applications().len(), 2);
}

/// The same while the drain writes its last bookkeeping (the index and rate limit, after the
/// last entry): the second upload is due at once. Before, it was missed there, the worker
/// cleared its alarm, and the upload waited for the next event (the drain bench's stall).
#[test]
fn an_upload_queued_while_a_drain_writes_its_index_is_due_at_once() {
    let h = Harness::new();
    let (store, runner) = hook_runner(&h, Some(INDEX_KEY.to_owned()));
    block_on(runner.enqueue(manual(jane(), JOB), T0)).unwrap();
    let during = Rc::downgrade(&runner);
    *store.hook.borrow_mut() = Some(Box::new(move || {
        let runner = during.upgrade().unwrap();
        let second = candidate("c2", "Second", &["second@example.com"]);
        assert!(matches!(
            block_on(runner.enqueue(manual(second, JOB), T0)).unwrap(),
            EnqueueOutcome::Queued(_)
        ));
    }));
    let report = block_on(runner.drain(T0, 1_000)).unwrap();
    assert!(store.hook.borrow().is_none(), "the hook ran");
    assert_eq!(report.completed, 1, "the first upload");
    assert_eq!(report.next_wake_at_ms, Some(T0), "the second is due now");
    let report = block_on(runner.drain(T0, 1_000)).unwrap();
    assert_eq!((report.completed, report.next_wake_at_ms), (1, None));
    assert_eq!(h.ashby.applications().len(), 2);
}

/// A name-only upload the drain has just left waiting (same name in Ashby) is queued again
/// by its profile while the same drain goes on with the next upload; the worker's kick finds
/// the drain busy. The drain must run again at once: the upload was in its snapshot, so the
/// index alone did not show it (the drain bench's 30 s pauses until the safety alarm).
#[test]
fn a_drain_asked_for_while_busy_runs_again_at_once() {
    let h = Harness::new();
    h.ashby
        .seed_candidate("Name Only", &["someone@example.com"], &[], &[]);
    let name_only = candidate("c-name", "Name Only", &[]);
    let next = candidate("c-next", "Next One", &["next@example.com"]);
    let next_key = EntryKey::for_candidate(&next, &JOB.into()).storage_key();
    let (store, runner) = hook_runner(&h, Some(next_key));
    block_on(runner.enqueue(automatic(name_only.clone(), JOB), T0)).unwrap();
    block_on(runner.enqueue(automatic(next, JOB), T0)).unwrap();
    // While the drain works on the next upload, the name-only one (left waiting) is seen on
    // its profile, and the worker kicks the queue.
    let during = Rc::downgrade(&runner);
    *store.hook.borrow_mut() = Some(Box::new(move || {
        let runner = during.upgrade().unwrap();
        let with_email = candidate("c-name", "Name Only", &["name.only@example.com"]);
        assert!(matches!(
            block_on(runner.enqueue(automatic(with_email, JOB), T0)).unwrap(),
            EnqueueOutcome::Queued(_)
        ));
        assert!(block_on(runner.drain(T0, 100)).unwrap().busy);
    }));
    let report = block_on(runner.drain(T0, 100)).unwrap();
    assert!(store.hook.borrow().is_none(), "the hook ran");
    assert_eq!(report.next_wake_at_ms, Some(T0), "due again at once");
    let report = block_on(runner.drain(T0, 100)).unwrap();
    assert_eq!(report.next_wake_at_ms, None);
    assert_eq!(h.entry(&name_only, JOB).state, EntryState::Done);
    assert_eq!(h.ashby.applications().len(), 2);
}

#[test]
fn thousands_of_queued_entries_are_read_in_batches_and_never_rewritten_per_step() {
    let h = Harness::new();
    let runner = h.runner();
    let requests: Vec<UploadRequest> = (0..3_000)
        .map(|n| {
            let email = format!("c{n}@example.com");
            automatic(
                candidate(&format!("c{n}"), "Candidate", &[email.as_str()]),
                JOB,
            )
        })
        .collect();
    let before = h.store.stats();
    block_on(runner.enqueue_many(requests, T0)).unwrap();
    assert_eq!(
        h.store.stats().set_calls - before.set_calls,
        1,
        "one write for the batch"
    );

    // A drain with a budget for the first candidate only (a fresh worker: index read from
    // storage) writes that entry per step and the index once, never the other 2,999 entries.
    let runner = h.runner();
    let before = h.store.stats();
    let report = block_on(runner.drain(T0, 4)).unwrap();
    let after = h.store.stats();
    assert_eq!(report.completed, 1);
    let steps = u64::from(report.processed);
    // Each step writes (and a create/apply/note also before sending), then one final write.
    let writes = after.set_calls - before.set_calls;
    assert!(writes <= 2 * steps + 1, "{writes} writes for {steps} steps");
    assert!(
        after.keys_written - before.keys_written <= 2 * writes,
        "only the entry and its record per write, then the index and the rate once"
    );
    assert!(after.get_calls - before.get_calls <= 4, "reads are batched");
    assert_eq!(block_on(runner.pending_keys()).unwrap().len(), 2_999);
}

// ---- Crashes and lost answers ----------------------------------------------------------------

/// Runs `candidate` through a worker that is killed right after its `n`-th storage write (the
/// `n+1`-th write fails and the runner is dropped), for every `n`, then through a fresh worker.
/// Every time: exactly one candidate (or the seeded one), one application, at most one note.
fn crash_at_every_write(seed: impl Fn(&FakeAshby), fetcher: FetcherCandidate, expect_note: bool) {
    let total_writes = {
        let h = Harness::new();
        seed(&h.ashby);
        let before = h.store.stats().set_calls;
        h.send(fetcher.clone());
        h.store.stats().set_calls - before
    };
    assert!(total_writes >= 5, "{total_writes}");
    for n in 0..total_writes {
        let h = Harness::new();
        seed(&h.ashby);
        let seeded = h.ashby.candidates().len();
        {
            let runner = h.runner();
            h.store.fail_set_after(n, "worker killed");
            let enqueued = block_on(runner.enqueue(manual(fetcher.clone(), JOB), T0));
            if enqueued.is_ok() {
                assert!(block_on(runner.drain(T0, 100)).is_err(), "write {n}");
            }
        }
        let runner = h.runner();
        block_on(runner.enqueue(manual(fetcher.clone(), JOB), T0 + 1.0)).unwrap();
        let report = block_on(runner.drain(T0 + 2.0, 100)).unwrap();
        assert_eq!(report.next_wake_at_ms, None, "write {n}: {report:?}");
        let entry = h.entry(&fetcher, JOB);
        assert_eq!(entry.state, EntryState::Done, "write {n}: {entry:?}");
        let created = h.ashby.candidates().len() - seeded;
        assert!(created <= 1, "write {n}: {created} candidates created");
        assert_eq!(
            h.ashby
                .applications()
                .iter()
                .filter(|a| a.job_id == JOB)
                .count(),
            1,
            "write {n}"
        );
        let notes = h.ashby.notes().len();
        assert!(notes <= 1, "write {n}: {notes} notes");
        if expect_note && notes == 0 {
            assert_eq!(
                entry.progress.note_error,
                Some(UploadProblem::NoteUncertain),
                "write {n}"
            );
        }
        assert_eq!(h.record(&fetcher).status, UploadStatus::Sent, "write {n}");
    }
}

#[test]
fn a_new_candidate_survives_a_crash_at_every_step() {
    crash_at_every_write(|_| {}, jane(), true);
}

#[test]
fn a_reused_candidate_survives_a_crash_at_every_step() {
    crash_at_every_write(
        |ashby| {
            ashby.seed_candidate("Jane Doe", &["jane@example.com"], &[], &[OTHER_JOB]);
        },
        jane(),
        true,
    );
}

#[test]
fn a_crash_after_create_was_sent_rechecks_and_never_creates_twice() {
    let h = Harness::new();
    let fetcher = candidate("c1", "Sam", &["sam@example.com"]);
    {
        let runner = h.runner();
        h.enqueue(&runner, fetcher.clone());
        // Writes: search result, arm create; the write after create's answer fails.
        h.store.fail_set_after(2, "killed");
        assert!(block_on(runner.drain(T0, 100)).is_err());
    }
    assert_eq!(h.ashby.candidates().len(), 1, "the create landed");
    let entry = h.entry(&fetcher, JOB);
    assert!(entry.progress.create_attempted);
    assert!(entry.progress.candidate.is_none());
    h.ashby.clear_log();
    block_on(h.runner().drain(T0 + 1.0, 100)).unwrap();
    assert_eq!(
        h.ashby.calls(),
        [
            "candidate.search",
            "application.create",
            "candidate.createNote"
        ]
    );
    assert_eq!(h.ashby.candidates().len(), 1);
    assert!(
        !h.record(&fetcher).reused,
        "the recovered candidate is ours"
    );
}

#[test]
fn a_budget_stop_at_every_call_resumes_with_a_new_worker() {
    for budget in 1..=6 {
        let h = Harness::new();
        h.enqueue(&h.runner(), jane());
        let mut wakes = 0;
        loop {
            let report = block_on(h.runner().drain(T0, budget)).unwrap();
            if report.next_wake_at_ms.is_none() {
                break;
            }
            assert_eq!(report.next_wake_at_ms, Some(T0), "more work is due now");
            wakes += 1;
            assert!(wakes < 10);
        }
        assert_eq!(h.ashby.calls().len(), 6, "budget {budget}");
        assert_eq!(h.ashby.candidates().len(), 1);
        assert_eq!(h.ashby.notes().len(), 1);
    }
}

#[test]
fn a_timeout_on_create_that_landed_is_found_by_the_recheck() {
    let h = Harness::new();
    h.ashby.fault_after("candidate.create", Fault::Timeout);
    let (_, report) = h.send(jane());
    assert_eq!(report.completed, 0);
    let wake = report.next_wake_at_ms.expect("a retry is scheduled");
    assert!(wake > T0 && wake <= T0 + 1_000.0, "{wake}");
    let entry = h.entry(&jane(), JOB);
    assert_eq!(entry.state, EntryState::Pending);
    assert_eq!(entry.attempts, 1);
    assert_eq!(
        entry.last_error,
        Some(UploadProblem::Ashby {
            error: AshbyProblem::Timeout
        })
    );
    assert_eq!(
        shown(entry.last_error.as_ref()).as_deref(),
        Some(text::ASHBY_TIMEOUT)
    );
    assert_eq!(h.record(&jane()).status, UploadStatus::Queued);

    // Not due yet: nothing happens.
    let early = block_on(h.runner().drain(wake - 1.0, 100)).unwrap();
    assert_eq!(early.calls, 0);
    assert_eq!(early.next_wake_at_ms, Some(wake));

    h.ashby.clear_log();
    let report = block_on(h.runner().drain(wake, 100)).unwrap();
    assert_eq!(report.completed, 1);
    assert_eq!(
        h.ashby.calls(),
        [
            "candidate.search",
            "application.create",
            "candidate.createNote"
        ],
        "searched again, found, no second create"
    );
    assert_eq!(h.ashby.candidates().len(), 1);
    assert_eq!(
        h.entry(&jane(), JOB).attempts,
        0,
        "reset after a successful step"
    );
}

#[test]
fn a_timeout_on_create_that_did_not_land_creates_after_the_recheck() {
    let h = Harness::new();
    h.ashby.fault("candidate.create", Fault::Network);
    let (_, report) = h.send(jane());
    h.ashby.clear_log();
    block_on(h.runner().drain(report.next_wake_at_ms.unwrap(), 100)).unwrap();
    assert_eq!(
        h.ashby.calls(),
        [
            "candidate.search",
            "candidate.search",
            "candidate.search",
            "candidate.create",
            "application.create",
            "candidate.createNote"
        ]
    );
    assert_eq!(h.ashby.candidates().len(), 1);
}

#[test]
fn a_lost_create_answer_for_an_unsearchable_candidate_fails_instead_of_guessing() {
    let h = Harness::new();
    let nameless = candidate("c1", "No Contact", &[]);
    h.ashby.fault_after("candidate.create", Fault::Timeout);
    let (_, report) = h.send(nameless.clone());
    block_on(h.runner().drain(report.next_wake_at_ms.unwrap(), 100)).unwrap();
    let record = h.record(&nameless);
    assert_eq!(record.status, UploadStatus::Failed);
    assert_eq!(record.error, Some(UploadProblem::MaybeCreated));
    assert_eq!(
        shown(record.error.as_ref()).as_deref(),
        Some(text::UPLOAD_MAYBE_CREATED)
    );
    assert_eq!(h.ashby.candidates().len(), 1);
    // The recruiter checked Ashby and retries: a create is sent again (their call).
    block_on(
        h.runner()
            .retry(&EntryKey::for_candidate(&nameless, &JOB.into()), T0 + 5e3),
    )
    .unwrap();
    block_on(h.runner().drain(T0 + 5e3, 100)).unwrap();
    assert_eq!(h.record(&nameless).status, UploadStatus::Sent);
    assert_eq!(h.ashby.candidates().len(), 2);
}

#[test]
fn a_timeout_on_apply_rechecks_the_applications_before_applying_again() {
    for landed in [true, false] {
        let h = Harness::new();
        h.ashby
            .seed_candidate("Jane Doe", &["jane@example.com"], &[], &[OTHER_JOB]);
        if landed {
            h.ashby.fault_after("application.create", Fault::Timeout);
        } else {
            h.ashby.fault(
                "application.create",
                Fault::Status {
                    status: 502,
                    retry_after: None,
                },
            );
        }
        let fetcher = candidate("c1", "Jane Doe", &["jane@example.com"]);
        let (_, report) = h.send(fetcher.clone());
        h.ashby.clear_log();
        block_on(h.runner().drain(report.next_wake_at_ms.unwrap(), 100)).unwrap();
        // The application for the other job was looked at before: not again.
        let expected = if landed {
            ["candidate.info", "application.info", "candidate.createNote"]
        } else {
            [
                "candidate.info",
                "application.create",
                "candidate.createNote",
            ]
        };
        assert_eq!(h.ashby.calls(), expected, "landed: {landed}");
        assert_eq!(
            h.ashby
                .applications()
                .iter()
                .filter(|a| a.job_id == JOB)
                .count(),
            1
        );
        assert_eq!(h.ashby.notes().len(), 1, "our application gets its note");
        assert_eq!(h.record(&fetcher).status, UploadStatus::Sent);
    }
}

#[test]
fn a_refused_application_is_looked_up_not_failed() {
    let h = Harness::new();
    h.ashby
        .seed_candidate("Jane Doe", &["jane@example.com"], &[], &[]);
    let fetcher = candidate("c1", "Jane Doe", &["jane@example.com"]);
    let runner = h.runner();
    h.enqueue(&runner, fetcher.clone());
    // Someone applies them in Ashby between our check and our create.
    let search = block_on(runner.drain(T0, 1)).unwrap();
    assert_eq!(search.calls, 1);
    let ashby_id = h.ashby.candidates()[0].id.clone();
    block_on(AshbyClient::new(h.ashby.clone(), "k").create_application(
        &crate::ashby::types::ApplicationCreateRequest {
            candidate_id: ashby_id,
            job_id: JOB.into(),
            ..Default::default()
        },
    ))
    .unwrap();
    h.ashby.clear_log();
    block_on(runner.drain(T0, 100)).unwrap();
    assert_eq!(
        h.ashby.calls(),
        ["application.create", "candidate.info", "application.info"]
    );
    let record = h.record(&fetcher);
    assert_eq!(record.status, UploadStatus::Sent);
    assert_eq!(
        record.application_id,
        Some(h.ashby.applications()[0].id.clone())
    );
    assert!(
        h.ashby.notes().is_empty(),
        "not our application, not our candidate"
    );
}

#[test]
fn a_lost_note_answer_is_not_retried() {
    let h = Harness::new();
    h.ashby.fault_after("candidate.createNote", Fault::Timeout);
    let (_, report) = h.send(jane());
    assert_eq!(report.completed, 1);
    assert_eq!(report.next_wake_at_ms, None);
    assert_eq!(h.ashby.notes().len(), 1);
    assert_eq!(h.ashby.bodies("candidate.createNote").len(), 1);
    let entry = h.entry(&jane(), JOB);
    assert_eq!(
        shown(entry.progress.note_error.as_ref()).as_deref(),
        Some(text::UPLOAD_NOTE_UNCERTAIN)
    );
    assert_eq!(h.record(&jane()).status, UploadStatus::Sent);
}

// ---- Rate limits, auth, validation, server errors ---------------------------------------------

#[test]
fn a_429_with_retry_after_holds_the_whole_queue() {
    let h = Harness::new();
    let runner = h.runner();
    h.enqueue(&runner, jane());
    block_on(runner.enqueue(manual(candidate("c2", "B", &["b@example.com"]), JOB), T0)).unwrap();
    h.ashby.fault(
        "candidate.search",
        Fault::Status {
            status: 429,
            retry_after: Some(30),
        },
    );
    let report = block_on(runner.drain(T0, 100)).unwrap();
    assert_eq!(
        report.calls, 1,
        "the second entry is not tried into the same limit"
    );
    let wake = report.next_wake_at_ms.unwrap();
    assert!(
        (T0 + 30_000.0..=T0 + 31_000.0).contains(&wake),
        "Retry-After honoured (+ jitter): {wake}"
    );
    let entry = h.entry(&jane(), JOB);
    assert_eq!(entry.next_attempt_at_ms, wake);
    assert_eq!(entry.attempts, 0, "a rate limit is not a failed attempt");
    let record = h.record(&jane());
    assert_eq!(record.status, UploadStatus::Queued);
    assert!(matches!(
        record.error,
        Some(UploadProblem::Ashby {
            error: AshbyProblem::RateLimited { .. }
        })
    ));
    assert!(shown(record.error.as_ref())
        .unwrap()
        .starts_with(text::ASHBY_RATE_LIMITED));

    // A new worker before the wait is over makes no call (the block is persisted).
    let early = block_on(h.runner().drain(T0 + 10_000.0, 100)).unwrap();
    assert_eq!(early.calls, 0);
    assert_eq!(early.next_wake_at_ms, Some(wake));
    let done = block_on(h.runner().drain(wake, 100)).unwrap();
    assert_eq!(done.completed, 2);
}

#[test]
fn auth_errors_pause_the_queue_until_resume() {
    for status in [401, 403] {
        let h = Harness::new();
        h.ashby.fault(
            "candidate.search",
            Fault::Status {
                status,
                retry_after: None,
            },
        );
        let (_, report) = h.send(jane());
        let reason = report.paused.clone().expect("paused");
        assert!(matches!(reason, UploadProblem::Paused { .. }), "{reason:?}");
        let words = text::upload_problem(&reason);
        assert!(words.starts_with(text::UPLOAD_PAUSED), "{words}");
        assert_eq!(report.next_wake_at_ms, None);
        assert_eq!(
            h.store.peek(PAUSED_KEY),
            Some(serde_json::to_value(&reason).unwrap())
        );
        assert_eq!(block_on(h.runner().paused()).unwrap(), Some(reason.clone()));
        let entry = h.entry(&jane(), JOB);
        assert_eq!(entry.state, EntryState::Pending, "not failed");
        assert_eq!(entry.attempts, 0);
        let record = h.record(&jane());
        assert_eq!(record.status, UploadStatus::Queued);
        assert_eq!(record.error, Some(reason.clone()));

        let runner = h.runner();
        let still = block_on(runner.drain(T0 + 60_000.0, 100)).unwrap();
        assert_eq!(still.paused, Some(reason));
        assert_eq!(still.calls, 0);
        block_on(runner.resume()).unwrap();
        assert_eq!(block_on(runner.paused()).unwrap(), None);
        let report = block_on(runner.drain(T0 + 60_000.0, 100)).unwrap();
        assert_eq!(report.completed, 1, "status {status}");
        assert_eq!(h.record(&jane()).status, UploadStatus::Sent);
    }
}

#[test]
fn a_closed_job_fails_with_the_recruiter_message_and_can_be_retried_by_hand() {
    let h = Harness::new();
    h.ashby.set_job_status(JOB, "Closed");
    let (_, report) = h.send(jane());
    assert_eq!(report.failed, 1);
    assert_eq!(report.next_wake_at_ms, None);
    let record = h.record(&jane());
    assert_eq!(record.status, UploadStatus::Failed);
    assert!(matches!(
        record.error,
        Some(UploadProblem::Ashby {
            error: AshbyProblem::Refused { .. }
        })
    ));
    let error = shown(record.error.as_ref()).unwrap();
    assert!(error.starts_with(text::ASHBY_REFUSED), "{error}");
    assert!(error.contains("is Closed"), "{error}");
    assert_eq!(h.entry(&jane(), JOB).state, EntryState::Failed);
    assert_eq!(block_on(h.runner().pending_keys()).unwrap().len(), 0);

    // An automatic trigger does not retry it; the recruiter does.
    let auto = block_on(h.runner().enqueue(automatic(jane(), JOB), T0 + 1.0)).unwrap();
    assert!(matches!(auto, EnqueueOutcome::AlreadyFailed(_)));
    h.ashby.set_job_status(JOB, "Open");
    h.ashby.clear_log();
    let runner = h.runner();
    let record =
        block_on(runner.retry_candidate(&"search-1".into(), &"cand-jane".into(), T0 + 2.0))
            .unwrap();
    assert_eq!(record.status, UploadStatus::Queued);
    assert_eq!(record.error, None);
    block_on(runner.drain(T0 + 2.0, 100)).unwrap();
    assert_eq!(
        h.ashby.calls(),
        ["application.create", "candidate.createNote"],
        "finished steps are not repeated"
    );
    assert_eq!(h.ashby.candidates().len(), 1);
    assert_eq!(h.record(&jane()).status, UploadStatus::Sent);
}

#[test]
fn a_manual_send_of_a_failed_upload_requeues_it() {
    let h = Harness::new();
    h.ashby.set_job_status(JOB, "Closed");
    h.send(jane());
    h.ashby.set_job_status(JOB, "Open");
    let again = h.enqueue(&h.runner(), jane());
    assert!(matches!(again, EnqueueOutcome::Requeued(_)), "{again:?}");
    block_on(h.runner().drain(T0, 100)).unwrap();
    assert_eq!(h.record(&jane()).status, UploadStatus::Sent);
}

#[test]
fn server_errors_back_off_then_give_up() {
    let h = Harness::new();
    let error = Fault::Status {
        status: 503,
        retry_after: None,
    };
    for _ in 0..2 {
        h.ashby.fault("candidate.search", error.clone());
    }
    let (_, first) = h.send(jane());
    let wake1 = first.next_wake_at_ms.unwrap();
    assert!((T0 + 500.0..T0 + 1_000.0).contains(&wake1), "{wake1}");
    let second = block_on(h.runner().drain(wake1, 100)).unwrap();
    let wake2 = second.next_wake_at_ms.unwrap();
    assert!(
        (wake1 + 1_000.0..wake1 + 2_000.0).contains(&wake2),
        "{wake2}"
    );
    assert_eq!(h.entry(&jane(), JOB).attempts, 2);
    let third = block_on(h.runner().drain(wake2, 100)).unwrap();
    assert_eq!(third.completed, 1);
    assert_eq!(h.entry(&jane(), JOB).attempts, 0);

    // Five failures in a row: failed, kept for a manual retry.
    let h = Harness::new();
    for _ in 0..5 {
        h.ashby.fault("candidate.search", error.clone());
    }
    let (_, mut report) = h.send(jane());
    while let Some(wake) = report.next_wake_at_ms {
        report = block_on(h.runner().drain(wake, 100)).unwrap();
    }
    assert_eq!(report.failed, 1);
    let record = h.record(&jane());
    assert_eq!(record.status, UploadStatus::Failed);
    assert!(shown(record.error.as_ref())
        .unwrap()
        .starts_with(text::ASHBY_SERVER_ERROR));
}

#[test]
fn a_merged_candidate_is_found_again() {
    let h = Harness::new();
    h.ashby
        .seed_candidate("Jane Doe", &["jane@example.com"], &[], &[]);
    let fetcher = candidate("c1", "Jane Doe", &["jane@example.com"]);
    // Ashby refuses the application (no documented code says why) and then refuses to read
    // the candidate by its old id: it was merged. Found again by email, then applied.
    h.ashby
        .fault("application.create", Fault::Api("invalid_input".into()));
    h.ashby
        .fault("candidate.info", Fault::Api("invalid_input".into()));
    let (_, report) = h.send(fetcher.clone());
    assert_eq!(report.completed, 1);
    assert_eq!(
        h.ashby.calls(),
        [
            "candidate.search",
            "application.create",
            "candidate.info",
            "candidate.search",
            "application.create",
            "candidate.createNote"
        ]
    );
}

// ---- Rate guard and scale --------------------------------------------------------------------

#[test]
fn the_rate_guard_yields_a_wake_time_instead_of_sleeping() {
    let guard = RateGuard::new(60, 2);
    let mut state = guard.fresh(0.0);
    assert_eq!(guard.check(&mut state, 0.0), Ok(()));
    guard.consume(&mut state, 2);
    assert_eq!(guard.check(&mut state, 0.0), Err(1_000.0));
    assert_eq!(guard.check(&mut state, 500.0), Err(1_000.0));
    assert_eq!(guard.check(&mut state, 1_000.0), Ok(()));
    // Never more than the burst, and a clock going backwards refills nothing.
    assert_eq!(guard.check(&mut state, 1e9), Ok(()));
    assert_eq!(state.tokens, 2.0);
    guard.consume(&mut state, 2);
    assert_eq!(guard.check(&mut state, 0.0), Err(1_000.0));
    guard.block_until(&mut state, 5e9);
    assert_eq!(guard.check(&mut state, 2e9), Err(5e9));

    let h = Harness::new();
    let runner = h.runner_with(RunnerConfig {
        calls_per_minute: 60,
        burst: 2,
    });
    h.enqueue(&runner, candidate("c1", "Sam", &["sam@example.com"]));
    let report = block_on(runner.drain(T0, 100)).unwrap();
    assert_eq!(report.calls, 2);
    assert_eq!(report.next_wake_at_ms, Some(T0 + 1_000.0));
    let report = block_on(runner.drain(T0 + 1_000.0, 100)).unwrap();
    assert_eq!(report.calls, 1);
    let report = block_on(runner.drain(T0 + 3_000.0, 100)).unwrap();
    assert_eq!(report.calls, 1);
    assert_eq!(report.completed, 1);
}

#[test]
fn two_thousand_queued_entries_cost_one_small_write_per_step() {
    let h = Harness::new();
    let runner = h.runner();
    let requests: Vec<UploadRequest> = (0..2_000)
        .map(|i| {
            automatic(
                candidate(
                    &format!("cand-{i}"),
                    "Person",
                    &[&format!("p{i}@example.com")],
                ),
                JOB,
            )
        })
        .collect();
    block_on(runner.enqueue_many(requests, T0)).unwrap();
    assert_eq!(block_on(runner.pending_keys()).unwrap().len(), 2_000);

    // A fresh worker: reads the index, takes the oldest entry, one call.
    let runner = h.runner();
    let before = h.store.stats();
    let report = block_on(runner.drain(T0, 1)).unwrap();
    let after = h.store.stats();
    assert_eq!(report.calls, 1);
    assert_eq!(report.next_wake_at_ms, Some(T0));
    // One batched write for the step (entry + record); when the budget stops the drain, the
    // entry's card goes back to "Queued" (entry + record); at the end, the rate bucket.
    assert_eq!(after.set_calls - before.set_calls, 3);
    assert_eq!(after.keys_written - before.keys_written, 5);
    // Bytes do not grow with the queue (the index alone is ~110 kB here).
    let index_bytes = h.store.peek(INDEX_KEY).unwrap().to_string().len() as u64;
    assert!(index_bytes > 100_000);
    assert!(
        after.bytes_written - before.bytes_written < 3_000,
        "{} bytes",
        after.bytes_written - before.bytes_written
    );
    assert_eq!(
        h.ashby.bodies("candidate.search")[0],
        json!({"email": "p0@example.com"})
    );

    // Completing an entry rewrites the index once per drain, not per step.
    let before = h.store.stats();
    let later = T0 + 60_000.0;
    let report = block_on(runner.drain(later, 20)).unwrap();
    let after = h.store.stats();
    assert_eq!(report.calls, 20);
    assert!(report.completed >= 5);
    assert_eq!(
        after.set_calls - before.set_calls,
        u64::from(report.processed) + 2,
        "a write per step, plus the budget stop and rate + index at the end"
    );
    assert_eq!(
        block_on(h.runner().pending_keys()).unwrap().len(),
        2_000 - report.completed as usize
    );
}

#[test]
fn application_ids_read_long_ago_are_read_again() {
    let h = Harness::new();
    h.ashby
        .seed_candidate("Jane Doe", &["jane@example.com"], &[], &[]);
    let fetcher = candidate("c1", "Jane Doe", &["jane@example.com"]);
    let runner = h.runner();
    h.enqueue(&runner, fetcher.clone());
    block_on(runner.drain(T0, 1)).unwrap();
    // Fresh enough: straight to the application.
    let mut quick = h.entry(&fetcher, JOB);
    super::runner::refresh_if_stale(&mut quick, T0 + 60_000.0);
    assert_eq!(quick.progress.known_application_ids, Some(vec![]));
    // Eleven minutes later (the worker slept through a rate limit): read them again.
    h.ashby.clear_log();
    block_on(h.runner().drain(T0 + 11.0 * 60_000.0, 100)).unwrap();
    assert_eq!(
        h.ashby.calls(),
        [
            "candidate.info",
            "application.create",
            "candidate.createNote"
        ]
    );
}

#[test]
fn a_refused_contact_update_does_not_stop_the_upload() {
    let h = Harness::new();
    h.ashby
        .seed_candidate("Jane Doe", &["jane@example.com"], &[], &[]);
    h.ashby
        .fault("candidate.update", Fault::Api("invalid_input".into()));
    let (_, report) = h.send(jane());
    assert_eq!(report.completed, 1);
    let entry = h.entry(&jane(), JOB);
    assert!(shown(entry.progress.contact_update_error.as_ref())
        .unwrap()
        .starts_with(text::ASHBY_REFUSED));
    assert_eq!(h.record(&jane()).status, UploadStatus::Sent);
}

/// A store whose reads wait once, so a drain can be caught half-way.
struct SlowStore(Rc<MemoryStore>, std::cell::Cell<bool>);

impl super::store::Store for SlowStore {
    fn get(
        &self,
        keys: &[String],
    ) -> impl std::future::Future<
        Output = Result<std::collections::BTreeMap<String, serde_json::Value>, super::StoreError>,
    > {
        let inner = self.0.get(keys);
        let wait = !self.1.replace(true);
        async move {
            if wait {
                YieldOnce(false).await;
            }
            inner.await
        }
    }
    fn set(
        &self,
        items: Vec<(String, serde_json::Value)>,
    ) -> impl std::future::Future<Output = Result<(), super::StoreError>> {
        self.0.set(items)
    }
    fn remove(
        &self,
        keys: &[String],
    ) -> impl std::future::Future<Output = Result<(), super::StoreError>> {
        self.0.remove(keys)
    }
}

struct YieldOnce(bool);

impl std::future::Future for YieldOnce {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 {
            std::task::Poll::Ready(())
        } else {
            self.0 = true;
            std::task::Poll::Pending
        }
    }
}

#[test]
fn a_second_drain_while_one_runs_does_nothing() {
    let h = Harness::new();
    h.enqueue(&h.runner(), jane());
    let runner = Runner::new(
        SlowStore(h.store.clone(), std::cell::Cell::new(false)),
        AshbyClient::new(h.ashby.clone(), "k"),
        ctx(),
    );
    let mut first = Box::pin(runner.drain(T0, 100));
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    assert!(first.as_mut().poll(&mut cx).is_pending());
    let second = block_on(runner.drain(T0, 100)).unwrap();
    assert!(second.busy);
    assert_eq!(second.calls, 0);
    let std::task::Poll::Ready(done) = first.as_mut().poll(&mut cx) else {
        panic!("the first drain finishes")
    };
    assert_eq!(done.unwrap().completed, 1);
    assert_eq!(h.ashby.candidates().len(), 1);
    // The flag is released afterwards.
    assert!(!block_on(runner.drain(T0, 100)).unwrap().busy);
}

#[test]
fn an_unreadable_entry_does_not_block_the_queue() {
    let h = Harness::new();
    let runner = h.runner();
    h.enqueue(&runner, candidate("c1", "A", &["a@example.com"]));
    h.enqueue(&runner, candidate("c2", "B", &["b@example.com"]));
    let bad = EntryKey::new("search-1", "c1", JOB).unwrap().storage_key();
    block_on(super::store::Store::set(
        &*h.store,
        vec![(bad.clone(), json!({"garbage": true}))],
    ))
    .unwrap();
    let report = block_on(h.runner().drain(T0, 100)).unwrap();
    assert_eq!(report.skipped, 1);
    assert_eq!(report.completed, 1);
    assert_eq!(h.store.peek(&bad), Some(json!({"garbage": true})));
    assert!(block_on(h.runner().pending_keys()).unwrap().is_empty());
}

#[test]
fn an_email_shown_in_another_case_is_also_searched_in_lower_case() {
    // Ashby does not say its email search ignores case; the strict fake matches exactly.
    let h = Harness::new();
    h.ashby
        .seed_candidate("Jane Doe", &["jane.doe@example.com"], &[], &[]);
    let fetcher = candidate("c1", "Jane Doe", &["Jane.Doe@Example.com"]);
    h.send(fetcher.clone());
    let searched: Vec<Value> = h
        .ashby
        .bodies("candidate.search")
        .into_iter()
        .map(|body| body["email"].clone())
        .collect();
    assert_eq!(
        searched,
        [json!("Jane.Doe@Example.com"), json!("jane.doe@example.com")]
    );
    assert_eq!(h.ashby.candidates().len(), 1, "reused, not duplicated");
    assert!(h.record(&fetcher).reused);
    // An address already in lower case is searched once.
    assert_eq!(
        crate::upload::dedupe::email_search_terms(&["a@b.co".into(), "A@B.co".into()]),
        ["a@b.co", "A@B.co"]
    );
}

#[test]
fn a_refused_application_without_one_for_the_job_fails_with_ashbys_words() {
    let h = Harness::new();
    h.ashby.set_job_status(JOB, "Closed");
    let (_, report) = h.send(jane());
    assert_eq!(report.failed, 1);
    let calls = h.ashby.calls();
    assert_eq!(
        calls[calls.len() - 3..],
        ["candidate.create", "application.create", "candidate.info"],
        "one create, then Ashby's state is read instead of trusting an error code"
    );
    let record = h.record(&jane());
    assert_eq!(record.status, UploadStatus::Failed);
    assert!(shown(record.error.as_ref()).unwrap().contains("Closed"));
    assert!(h.ashby.applications().is_empty());
}

#[test]
fn links_are_merged_against_a_read_made_right_before_the_update() {
    let h = Harness::new();
    let id = h.ashby.seed_candidate(
        "Jane Doe",
        &["jane@example.com"],
        &[("Twitter", "https://x.com/jane")],
        &[],
    );
    let fetcher = FetcherCandidate {
        linkedin_url: Some("https://www.linkedin.com/in/jane-doe".into()),
        ..candidate("c1", "Jane Doe", &["jane@example.com"])
    };
    let runner = h.runner();
    h.enqueue(&runner, fetcher.clone());
    // The search sees only the Twitter link; then a recruiter adds a GitHub link in Ashby.
    let first = block_on(runner.drain(T0, 1)).unwrap();
    assert_eq!(first.calls, 1);
    h.ashby
        .add_social_link(&id, "GitHub", "https://github.com/jane");
    block_on(runner.drain(T0, 100)).unwrap();
    let update = h.ashby.bodies("candidate.update").pop().expect("an update");
    let links: Vec<&str> = update["socialLinks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["url"].as_str().unwrap())
        .collect();
    assert!(
        links.contains(&"https://github.com/jane"),
        "{links:?}: the recruiter's link kept"
    );
    assert!(links.contains(&"https://x.com/jane"), "{links:?}");
    assert!(
        links.contains(&"https://www.linkedin.com/in/jane-doe"),
        "{links:?}"
    );
}

// ---- Held uploads: queued under another connection ------------------------------------------

#[test]
fn uploads_queued_under_another_connection_wait_for_the_recruiter() {
    use super::held::HeldChoice;
    let h = Harness::new();
    let org_a = h.runner();
    org_a.set_connection(Some("org-a".into()));
    h.enqueue(&org_a, jane());
    h.enqueue(&org_a, candidate("c2", "Sam Second", &["sam@example.com"]));
    assert_eq!(h.entry(&jane(), JOB).connection.as_deref(), Some("org-a"));

    // Disconnect, then connect with another key: nothing goes to the new organisation.
    let org_b = h.runner();
    org_b.set_connection(Some("org-b".into()));
    let report = block_on(org_b.drain(T0, 1_000)).unwrap();
    assert_eq!(report.calls, 0);
    assert_eq!(report.held, 2);
    assert_eq!(
        report.next_wake_at_ms, None,
        "nothing to wake for until the recruiter decides"
    );
    assert!(h.ashby.calls().is_empty());
    let held = block_on(org_b.held()).unwrap();
    let names: Vec<&str> = held.iter().map(|u| u.candidate_name.as_str()).collect();
    assert_eq!(names, ["Jane Doe", "Sam Second"]);

    // A new upload under the new connection is not held.
    h.enqueue(&org_b, candidate("c3", "New Org", &["new@example.com"]));
    block_on(org_b.drain(T0, 1_000)).unwrap();
    assert_eq!(
        h.ashby.candidates().len(),
        1,
        "only the new connection's upload went"
    );
    assert_eq!(block_on(org_b.held()).unwrap().len(), 2);

    // The recruiter sends them with the new connection.
    assert_eq!(
        block_on(org_b.resolve_held(HeldChoice::SendWithCurrent, T0)).unwrap(),
        2
    );
    assert!(block_on(org_b.held()).unwrap().is_empty());
    let report = block_on(org_b.drain(T0, 1_000)).unwrap();
    assert_eq!(report.completed, 2);
    assert_eq!(h.ashby.candidates().len(), 3);
}

#[test]
fn discarded_held_uploads_are_not_sent_and_say_why() {
    use super::held::HeldChoice;
    let h = Harness::new();
    let org_a = h.runner();
    org_a.set_connection(Some("org-a".into()));
    h.enqueue(&org_a, jane());
    let org_b = h.runner();
    org_b.set_connection(Some("org-b".into()));
    assert_eq!(
        block_on(org_b.resolve_held(HeldChoice::Discard, T0)).unwrap(),
        1
    );
    let report = block_on(org_b.drain(T0, 1_000)).unwrap();
    assert_eq!((report.calls, report.held), (0, 0));
    assert!(h.ashby.calls().is_empty());
    let record = h.record(&jane());
    assert_eq!(record.status, UploadStatus::Failed);
    assert_eq!(
        shown(record.error.as_ref()).as_deref(),
        Some(text::UPLOAD_DISCARDED_OTHER_CONNECTION)
    );
    // Retry by hand sends it, with the connection of now.
    block_on(org_b.retry(&EntryKey::for_candidate(&jane(), &JOB.into()), T0)).unwrap();
    let report = block_on(org_b.drain(T0, 1_000)).unwrap();
    assert_eq!(report.completed, 1);
    assert_eq!(h.entry(&jane(), JOB).connection.as_deref(), Some("org-b"));
}

#[test]
fn uploads_queued_while_disconnected_go_with_the_next_connection() {
    let h = Harness::new();
    let disconnected = h.runner();
    h.enqueue(&disconnected, jane());
    assert_eq!(h.entry(&jane(), JOB).connection, None);
    let connected = h.runner();
    connected.set_connection(Some("org-b".into()));
    assert!(block_on(connected.held()).unwrap().is_empty());
    let report = block_on(connected.drain(T0, 1_000)).unwrap();
    assert_eq!(report.completed, 1);
}

#[test]
fn after_a_disconnect_a_running_drain_sends_nothing_queued_under_the_old_key() {
    let h = Harness::new();
    let runner = h.runner();
    runner.set_connection(Some("org-a".into()));
    h.enqueue(&runner, jane());
    // Disconnect: the worker's runner forgets its connection, though it keeps its client.
    runner.set_connection(None);
    let report = block_on(runner.drain(T0, 1_000)).unwrap();
    assert_eq!(report.calls, 0);
    assert!(h.ashby.calls().is_empty());
    // The same key again: it goes.
    runner.set_connection(Some("org-a".into()));
    assert_eq!(block_on(runner.drain(T0, 1_000)).unwrap().completed, 1);
}

/// A queue paused by an earlier version (the English itself under `outbox/paused`) stays
/// paused after the update, with the same words, until the recruiter reconnects.
#[test]
fn a_pause_stored_as_english_still_pauses() {
    use super::store::Store;
    let h = Harness::new();
    let words = "Uploads to Ashby are paused. Ashby rejected the API key. Check that it is \
                 copied whole and still active, then connect again.";
    block_on(h.store.set(vec![(
        PAUSED_KEY.to_owned(),
        Value::String(words.to_owned()),
    )]))
    .unwrap();
    let runner = h.runner();
    h.enqueue(&runner, jane());
    let report = block_on(runner.drain(T0, 100)).unwrap();
    assert_eq!(report.calls, 0);
    let reason = report.paused.expect("still paused");
    assert_eq!(text::upload_problem(&reason), words);
    block_on(runner.resume()).unwrap();
    assert_eq!(block_on(runner.drain(T0, 100)).unwrap().completed, 1);
}
