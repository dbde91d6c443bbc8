//! The upload pipeline (`fetcher_ashby::upload`) against the sandbox, in-process: the real
//! runner and Ashby client over HTTPS, an in-memory store, and the sandbox's state dump as the
//! judge of what landed in "Ashby".

use ashby_sandbox::native::{block_on, UreqTransport};
use ashby_sandbox::{Sandbox, SandboxConfig};
use fetcher_ashby::ashby::AshbyClient;
use fetcher_ashby::domain::{FetcherCandidate, Trigger};
use fetcher_ashby::text;
use fetcher_ashby::upload::runner::{DrainReport, EnqueueOutcome, UploadRequest};
use fetcher_ashby::upload::{
    EntryKey, EntryState, MatchReason, MemoryStore, Runner, UploadContext, UploadOrigin,
    UploadStatus,
};
use serde_json::{json, Value};
use std::rc::Rc;

const KEY: &str = "sandbox-key-full";
const JOB_OPEN: &str = "00000001-0000-4000-8000-000000000001";
const JOB_CLOSED: &str = "00000001-0000-4000-8000-000000000009";
const FETCHER_SOURCE: &str = "00000005-0000-4000-8000-000000000001";
const RILEY: &str = "00000004-0000-4000-8000-000000000001";
const EXISTING_PERSON: &str = "00000002-0000-4000-8000-000000000001";
const LINDA: &str = "00000002-0000-4000-8000-000000000002";
const APPLIED_CANDIDATE: &str = "00000002-0000-4000-8000-000000000003";
const T0: f64 = 1_800_000_000_000.0;

struct World {
    sb: Sandbox,
    store: Rc<MemoryStore>,
}

type SandboxRunner = Runner<Rc<MemoryStore>, UreqTransport>;

impl World {
    fn new() -> Self {
        Self {
            sb: Sandbox::start(SandboxConfig::default()),
            store: Rc::new(MemoryStore::new()),
        }
    }

    /// A runner over the shared store: a new one is a restarted worker.
    fn runner_with_timeout(&self, timeout_ms: u32) -> SandboxRunner {
        let client =
            AshbyClient::new(UreqTransport::for_sandbox(&self.sb), KEY).with_timeout_ms(timeout_ms);
        Runner::new(
            self.store.clone(),
            client,
            UploadContext {
                fetcher_source_id: Some(FETCHER_SOURCE.into()),
                credited_user_id: Some(RILEY.into()),
            },
        )
    }

    fn runner(&self) -> SandboxRunner {
        self.runner_with_timeout(10_000)
    }

    fn enqueue(
        &self,
        runner: &SandboxRunner,
        candidate: &FetcherCandidate,
        job: &str,
    ) -> EnqueueOutcome {
        block_on(runner.enqueue(request(candidate, job), T0)).expect("enqueue")
    }

    /// Enqueues with a fresh runner and drains until nothing is due (following retry waits).
    fn send(&self, candidate: &FetcherCandidate, job: &str) -> DrainReport {
        let runner = self.runner();
        self.enqueue(&runner, candidate, job);
        drain_all(&runner, T0)
    }

    fn state(&self) -> Value {
        self.sb.admin().state()
    }

    fn candidates(&self) -> Vec<Value> {
        self.state()["candidates"].as_array().unwrap().clone()
    }

    fn applications(&self) -> Vec<Value> {
        self.state()["applications"].as_array().unwrap().clone()
    }

    /// Endpoints called since the log was last cleared.
    fn calls(&self) -> Vec<String> {
        self.sb
            .admin()
            .requests()
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["endpoint"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    fn record(&self, candidate: &FetcherCandidate) -> fetcher_ashby::upload::UploadRecord {
        block_on(
            self.runner()
                .record(&candidate.search_id, &candidate.candidate_id),
        )
        .unwrap()
        .expect("a record")
    }

    fn entry(&self, candidate: &FetcherCandidate, job: &str) -> fetcher_ashby::upload::OutboxEntry {
        let key = EntryKey::for_candidate(candidate, &job.parse().expect("a job id"));
        block_on(self.runner().entry(&key))
            .unwrap()
            .expect("an entry")
    }
}

fn drain_all(runner: &SandboxRunner, mut now: f64) -> DrainReport {
    let mut total = DrainReport::default();
    for _ in 0..20 {
        let report = block_on(runner.drain(now, 100)).expect("drain");
        total.calls += report.calls;
        total.completed += report.completed;
        total.failed += report.failed;
        total.paused = report.paused.clone();
        match report.next_wake_at_ms {
            Some(wake) if report.paused.is_none() => now = wake.max(now),
            _ => return total,
        }
    }
    panic!("the queue never settled")
}

fn request(candidate: &FetcherCandidate, job: &str) -> UploadRequest {
    UploadRequest {
        candidate: candidate.clone(),
        job_id: job.parse().expect("a job id"),
        job_title: "Senior Backend Engineer".into(),
        origin: UploadOrigin::Automatic {
            trigger: Trigger::OnReply,
        },
        recruiter_email: Some("recruiter@fetcher-demo.example".parse().unwrap()),
    }
}

fn fetcher(id: &str, name: &str, emails: &[&str]) -> FetcherCandidate {
    FetcherCandidate {
        name: name.into(),
        emails: emails.iter().map(|e| e.parse().unwrap()).collect(),
        ..FetcherCandidate::new("search-1".parse().unwrap(), id.parse().unwrap())
    }
}

fn new_person() -> FetcherCandidate {
    FetcherCandidate {
        phones: vec!["+49 30 1234567".into()],
        website_urls: vec!["https://new.person.dev".parse().unwrap()],
        ..fetcher("cand-new", "New Person", &["new.person@example.com"])
    }
}

fn applications_of(world: &World, candidate_id: &str) -> Vec<Value> {
    world
        .applications()
        .into_iter()
        .filter(|a| a["candidate"]["id"] == candidate_id)
        .collect()
}

#[test]
fn a_send_creates_one_candidate_and_one_application_with_source_and_credit() {
    let w = World::new();
    let before = w.candidates().len();
    let report = w.send(&new_person(), JOB_OPEN);
    assert_eq!(report.completed, 1);
    let candidates = w.candidates();
    assert_eq!(candidates.len(), before + 1);
    let created = candidates.last().unwrap();
    assert_eq!(created["name"], "New Person");
    assert_eq!(
        created["primaryEmailAddress"]["value"],
        "new.person@example.com"
    );
    assert_eq!(created["source"]["title"], "Fetcher");
    assert_eq!(created["creditedToUser"]["id"], RILEY);
    let id = created["id"].as_str().unwrap();
    let applications = applications_of(&w, id);
    assert_eq!(applications.len(), 1);
    assert_eq!(applications[0]["job"]["id"], JOB_OPEN);
    assert_eq!(applications[0]["source"]["title"], "Fetcher");
    assert_eq!(applications[0]["creditedToUser"]["id"], RILEY);
    let notes = created["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    let note = notes[0]["content"].as_str().unwrap();
    assert!(
        note.contains("https://app.fetcher.ai/searches/search-1/candidates/cand-new"),
        "{note}"
    );
    assert!(note.contains("Sent from Fetcher by recruiter@fetcher-demo.example"));

    let record = w.record(&new_person());
    assert_eq!(record.status, UploadStatus::Sent);
    assert_eq!(record.ashby_candidate_id.as_deref(), Some(id));
    assert_eq!(
        record.profile_url.as_deref(),
        Some(format!("https://app.ashbyhq.com/candidates/{id}").as_str())
    );
    assert_eq!(
        record.application_id,
        applications[0]["id"].as_str().map(str::to_owned)
    );
    assert!(!record.reused);
}

#[test]
fn sending_twice_creates_nothing_new() {
    let w = World::new();
    w.send(&new_person(), JOB_OPEN);
    let state = w.state();
    w.sb.admin().clear_requests();
    let runner = w.runner();
    let again = w.enqueue(&runner, &new_person(), JOB_OPEN);
    assert!(matches!(again, EnqueueOutcome::AlreadySent(_)), "{again:?}");
    drain_all(&runner, T0 + 1.0);
    assert!(w.calls().is_empty(), "{:?}", w.calls());

    // Even a fresh outbox (another browser profile) reuses the candidate and the application.
    let other = World {
        sb: w.sb,
        store: Rc::new(MemoryStore::new()),
    };
    let report = other.send(&new_person(), JOB_OPEN);
    assert_eq!(report.completed, 1);
    assert_eq!(other.calls(), ["candidate.search", "application.info"]);
    let after = other.state();
    assert_eq!(after["candidates"], state["candidates"]);
    assert_eq!(after["applications"], state["applications"]);
    assert!(other.record(&new_person()).reused);
}

#[test]
fn an_existing_candidate_is_reused_by_email_in_another_case() {
    let w = World::new();
    let before = w.candidates().len();
    // Shown in another case than Ashby stores it: searched as shown, then lower-cased, which
    // matches the candidate's alternate address (the sandbox matches case-sensitively).
    let person = fetcher(
        "cand-existing",
        "Existing Person",
        &["Existing.Person@Work.Example"],
    );
    let report = w.send(&person, JOB_OPEN);
    assert_eq!(report.completed, 1);
    assert_eq!(w.candidates().len(), before, "no new candidate");
    let applications = applications_of(&w, EXISTING_PERSON);
    assert_eq!(applications.len(), 1);
    assert_eq!(applications[0]["job"]["id"], JOB_OPEN);
    let record = w.record(&person);
    assert!(record.reused);
    assert_eq!(
        record.matched_by,
        Some(MatchReason::Email(
            "Existing.Person@Work.Example".parse().unwrap()
        ))
    );
    assert_eq!(record.ashby_candidate_id.as_deref(), Some(EXISTING_PERSON));
}

#[test]
fn a_linkedin_match_is_reused_and_gets_the_new_email() {
    let w = World::new();
    let before = w.candidates().len();
    let linda = FetcherCandidate {
        linkedin_url: Some(
            "https://www.linkedin.com/in/existing-linkedin"
                .parse()
                .unwrap(),
        ),
        ..fetcher("cand-linda", "Linda Linkedin", &["linda@new.example"])
    };
    let report = w.send(&linda, JOB_OPEN);
    assert_eq!(report.completed, 1);
    assert_eq!(w.candidates().len(), before);
    let record = w.record(&linda);
    assert_eq!(record.matched_by, Some(MatchReason::LinkedIn));
    assert_eq!(record.ashby_candidate_id.as_deref(), Some(LINDA));
    let state = w.state();
    let stored = state["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == LINDA)
        .unwrap();
    let emails: Vec<&str> = stored["emailAddresses"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["value"].as_str())
        .collect();
    assert!(emails.contains(&"linda@new.example"), "{emails:?}");
    assert_eq!(
        stored["socialLinks"].as_array().unwrap().len(),
        2,
        "links kept"
    );
    assert_eq!(applications_of(&w, LINDA).len(), 1);
}

#[test]
fn a_closed_job_fails_with_the_recruiter_message() {
    let w = World::new();
    let report = w.send(&new_person(), JOB_CLOSED);
    assert_eq!(report.failed, 1);
    let record = w.record(&new_person());
    assert_eq!(record.status, UploadStatus::Failed);
    let error = text::upload_problem(&record.error.unwrap());
    assert!(error.starts_with(text::ASHBY_REFUSED), "{error}");
    assert!(error.contains("Closed"), "{error}");
    assert_eq!(w.entry(&new_person(), JOB_CLOSED).state, EntryState::Failed);
    assert!(applications_of(&w, record.ashby_candidate_id.as_deref().unwrap()).is_empty());
}

#[test]
fn a_lost_answer_after_application_create_committed_never_applies_twice() {
    for (mode, timeout_ms) in [("drop", 10_000), ("hang", 1_500)] {
        let w = World::new();
        w.sb.admin().fault(json!({
            "endpoint": "application.create", "mode": mode, "after": true, "hangMs": 5_000
        }));
        let runner = w.runner_with_timeout(timeout_ms);
        w.enqueue(&runner, &new_person(), JOB_OPEN);
        let first = block_on(runner.drain(T0, 100)).unwrap();
        assert_eq!(first.completed, 0, "{mode}");
        let wake = first.next_wake_at_ms.expect("retry scheduled");
        let entry = w.entry(&new_person(), JOB_OPEN);
        assert_eq!(entry.state, EntryState::Pending);
        assert!(entry.progress.apply_maybe_landed, "{mode}");
        let id = entry.progress.candidate.unwrap().id;
        assert_eq!(applications_of(&w, &id).len(), 1, "{mode}: it committed");

        // A restarted worker resumes: re-reads the applications, finds it, adds the note.
        w.sb.admin().clear_requests();
        let report = drain_all(&w.runner(), wake);
        assert_eq!(report.completed, 1, "{mode}");
        assert_eq!(
            w.calls(),
            ["candidate.info", "application.info", "candidate.createNote"],
            "{mode}"
        );
        assert_eq!(
            applications_of(&w, &id).len(),
            1,
            "{mode}: still exactly one"
        );
        assert_eq!(w.record(&new_person()).status, UploadStatus::Sent);
    }
}

#[test]
fn a_lost_answer_after_candidate_create_committed_never_creates_twice() {
    let w = World::new();
    let before = w.candidates().len();
    w.sb.admin()
        .fault(json!({"endpoint": "candidate.create", "mode": "drop", "after": true}));
    let report = w.send(&new_person(), JOB_OPEN);
    assert_eq!(report.completed, 1);
    assert_eq!(w.candidates().len(), before + 1);
    assert_eq!(w.applications().len(), 2, "the seeded one and ours");
}

#[test]
fn auth_errors_pause_the_queue_until_resume() {
    let w = World::new();
    w.sb.admin()
        .seed(json!({"keys": [{"key": KEY, "title": "Disabled", "scopes": [], "disabled": true}]}));
    let report = w.send(&new_person(), JOB_OPEN);
    let reason = text::upload_problem(&report.paused.expect("paused"));
    assert!(reason.starts_with(text::UPLOAD_PAUSED), "{reason}");
    assert_eq!(w.entry(&new_person(), JOB_OPEN).state, EntryState::Pending);
    w.sb.admin().reset();
    let runner = w.runner();
    block_on(runner.resume()).unwrap();
    assert_eq!(drain_all(&runner, T0 + 1.0).completed, 1);
}

/// Ashby calls per operation, for BENCHMARKS.md.
#[test]
fn calls_per_operation() {
    let w = World::new();
    let rows: Vec<(&str, FetcherCandidate, &str)> = vec![
        (
            "new candidate (1 email)",
            fetcher("bench-1", "Bench One", &["bench.one@example.com"]),
            JOB_OPEN,
        ),
        (
            "new candidate (2 emails + LinkedIn)",
            FetcherCandidate {
                linkedin_url: Some("https://www.linkedin.com/in/bench-two".parse().unwrap()),
                ..fetcher(
                    "bench-2",
                    "Bench Two",
                    &["bench.two@example.com", "bench.two@work.example"],
                )
            },
            JOB_OPEN,
        ),
        (
            "known candidate, nothing new",
            fetcher(
                "bench-3",
                "Existing Person",
                &["existing.person@example.com"],
            ),
            JOB_OPEN,
        ),
        (
            "known candidate by LinkedIn, new email",
            FetcherCandidate {
                linkedin_url: Some(
                    "https://www.linkedin.com/in/existing-linkedin"
                        .parse()
                        .unwrap(),
                ),
                ..fetcher("bench-4", "Linda Linkedin", &["linda@new.example"])
            },
            JOB_OPEN,
        ),
        (
            "known and already applied",
            fetcher(
                "bench-5",
                "Applied Candidate",
                &["applied.candidate@example.com"],
            ),
            JOB_OPEN,
        ),
        (
            "same upload again (outbox says sent)",
            fetcher("bench-1", "Bench One", &["bench.one@example.com"]),
            JOB_OPEN,
        ),
    ];
    let mut table = Vec::new();
    for (label, candidate, job) in rows {
        w.sb.admin().clear_requests();
        let report = w.send(&candidate, job);
        let calls = w.calls();
        assert_eq!(calls.len() as u32, report.calls, "{label}");
        assert_eq!(w.record(&candidate).status, UploadStatus::Sent, "{label}");
        table.push((label, calls));
    }
    let counts: Vec<usize> = table.iter().map(|(_, calls)| calls.len()).collect();
    assert_eq!(counts, [4, 6, 3, 6, 2, 0]);
    assert_eq!(applications_of(&w, APPLIED_CANDIDATE).len(), 1);
    eprintln!("\n| operation | Ashby calls | sequence |\n|---|---|---|");
    for (label, calls) in &table {
        eprintln!("| {label} | {} | {} |", calls.len(), calls.join(" → "));
    }
}
