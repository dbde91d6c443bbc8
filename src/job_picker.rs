//! The job pickers' rules, shared by the Send dialog and the popup: which Ashby jobs are
//! offered, how they are described, how typing filters them, when the cache is stale, and how
//! an incremental (`syncToken`) refresh is merged into it.

use crate::ashby::types::{Department, Job, JobExpand, JobListRequest, JobStatus};
use crate::domain::lower_case::{lower_case, lower_case_each};
use crate::domain::JobId;
use crate::from_json::{Fields, FromJson, Mismatch};
use crate::json_text::Json;
use crate::messages::JobChoice;
use crate::sorting::{SortedMap, SortedSet};
use serde::{Deserialize, Serialize};

pub mod combo_state;

/// How long the worker trusts its cached job list before asking Ashby again when a picker
/// opens (the periodic alarm refreshes it in the background as well).
pub const CACHE_MAX_AGE_MS: f64 = 15.0 * 60.0 * 1000.0;

/// A full listing at least this often even while incremental syncs succeed: it catches what a
/// sync may not report (a job archived straight from open, a renamed department).
pub const FULL_REFRESH_MAX_AGE_MS: f64 = 24.0 * 60.0 * 60.0 * 1000.0;

/// Overlap when asking for jobs closed since the last refresh, so clock skew between the
/// browser and Ashby cannot hide a closure.
pub const CLOSED_SINCE_MARGIN_MS: f64 = 10.0 * 60.0 * 1000.0;

/// The cache from its stored JSON text, read in wasm ([`FromJson::from_json_text`], the
/// popup's way: one string crosses from JS, not every field of 1,800 jobs). Reads what
/// [`JobCache::from_stored`] reads from the same text.
impl FromJson for JobCache {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(JobCache {
            fetched_at_ms: fields.required("fetchedAtMs")?,
            jobs: fields.required("jobs")?,
            sync_token: fields.optional("syncToken")?,
            full_at_ms: fields.or_default("fullAtMs")?,
            departments: fields.or_default("departments")?,
        })
    }
}

/// The cache as its serde derive writes it (`crate::json_writer`), without serde in the wasm.
impl crate::json_writer::WriteJson for JobCache {
    fn write_json(&self, out: &mut String) {
        let mut object = crate::json_writer::Object::open(out);
        object
            .member("fetchedAtMs", &self.fetched_at_ms)
            .member("jobs", &self.jobs)
            .member_some("syncToken", &self.sync_token)
            .member("fullAtMs", &self.full_at_ms);
        if !self.departments.is_empty() {
            object.member("departments", &self.departments);
        }
        object.close();
    }
}

/// At most this many options are rendered by a picker; typing narrows the rest.
pub const MAX_OPTIONS: usize = 50;

/// The worker's cached job list, as stored.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobCache {
    /// When the cache was last brought up to date (full or incremental).
    pub fetched_at_ms: f64,
    pub jobs: Vec<JobChoice>,
    /// From the last `job.list` page: the next refresh asks only for what changed since.
    #[serde(default)]
    pub sync_token: Option<String>,
    /// When the last full listing was made (0 for caches written before syncs existed).
    #[serde(default)]
    pub full_at_ms: f64,
    /// Department id → name from `department.list`, for jobs that change between full
    /// listings. Empty when the key may not read departments.
    #[serde(default, skip_serializing_if = "SortedMap::is_empty")]
    pub departments: SortedMap<String>,
}

impl JobCache {
    /// The cache as stored: JSON text (one string comes out of `chrome.storage` several times
    /// faster than 1,800 job objects, for the popup and the worker alike), or the object
    /// earlier versions wrote. `None` when unreadable.
    pub fn from_stored(value: serde_json::Value) -> Option<JobCache> {
        // Decoded by hand either way (no derived visitors in the worker's wasm).
        match value {
            serde_json::Value::String(text) => JobCache::from_json_text(&text).ok(),
            object => JobCache::from_value(&object).ok(),
        }
    }

    /// What is stored: the cache as JSON text.
    pub fn to_stored(&self) -> String {
        crate::to_json::text(self)
    }

    pub fn is_stale(&self, now_ms: f64) -> bool {
        self.jobs.is_empty() || now_ms - self.fetched_at_ms > CACHE_MAX_AGE_MS
    }

    /// How the next refresh should ask Ashby.
    pub fn next_refresh(&self, now_ms: f64) -> Refresh {
        match &self.sync_token {
            Some(token) if now_ms - self.full_at_ms <= FULL_REFRESH_MAX_AGE_MS => {
                Refresh::Incremental {
                    sync_token: token.clone(),
                    closed_after_ms: (self.fetched_at_ms - CLOSED_SINCE_MARGIN_MS).max(0.0),
                }
            }
            _ => Refresh::Full,
        }
    }

    /// The cache after a full listing: exactly what Ashby listed.
    pub fn from_full(
        jobs: &[Job],
        departments: SortedMap<String>,
        sync_token: Option<String>,
        now_ms: f64,
    ) -> Self {
        let jobs = jobs
            .iter()
            .filter(|job| is_offered(job.status.as_ref()))
            .filter_map(|job| choice(job, &departments))
            .collect();
        Self {
            fetched_at_ms: now_ms,
            jobs: sorted(jobs),
            sync_token,
            full_at_ms: now_ms,
            departments,
        }
    }

    /// The cache after an incremental refresh: `changed` (jobs created or changed since the
    /// token) replace their cached versions, or leave the cache when no longer offered;
    /// `closed` (ids of jobs closed since the last refresh) leave it. A fresh department list
    /// replaces the cached one; `None` (it could not be read) keeps it.
    pub fn merged(
        &self,
        changed: &[Job],
        closed: &[String],
        departments: Option<SortedMap<String>>,
        sync_token: Option<String>,
        now_ms: f64,
    ) -> Self {
        let departments = departments.unwrap_or_else(|| self.departments.clone());
        // Sets of ids, not a map of jobs: the worker has sets of `&str` already, and each map
        // type is code of its own.
        let replaced: SortedSet<&str> = crate::sorting::set_of(
            closed
                .iter()
                .map(String::as_str)
                .chain(changed.iter().map(|job| job.id.as_str())),
        );
        let mut jobs: Vec<JobChoice> = self
            .jobs
            .iter()
            .filter(|job| !replaced.contains(&job.id.as_str()))
            .cloned()
            .collect();
        // The last version of each changed job, if it is still offered.
        let mut seen: SortedSet<&str> = SortedSet::new();
        for job in changed.iter().rev() {
            if seen.insert(job.id.as_str()) && is_offered(job.status.as_ref()) {
                jobs.extend(choice(job, &departments));
            }
        }
        Self {
            fetched_at_ms: now_ms,
            jobs: sorted(jobs),
            // Ashby sends a token on the last page; without one, the next refresh is full.
            sync_token,
            full_at_ms: self.full_at_ms,
            departments,
        }
    }
}

/// How a refresh asks Ashby for jobs.
#[derive(Debug, Clone, PartialEq)]
pub enum Refresh {
    /// List every offered job (`job.list` with [`sync_request`] and no token).
    Full,
    /// Only what changed since the token, plus jobs closed after `closed_after_ms`.
    Incremental {
        sync_token: String,
        closed_after_ms: f64,
    },
}

/// Statuses the cache keeps: open jobs, which take applications, and drafts, which the popup
/// shows flagged so a recruiter sees why a job they expect cannot be used yet.
pub const OFFERED_STATUSES: [JobStatus; 2] = [JobStatus::Open, JobStatus::Draft];

fn is_offered(status: Option<&JobStatus>) -> bool {
    status.is_some_and(|status| OFFERED_STATUSES.contains(status))
}

/// The `job.list` request of both full and incremental refreshes (a sync token is bound to
/// its filter): offered statuses, location inlined.
pub fn sync_request(sync_token: Option<String>) -> JobListRequest {
    JobListRequest {
        status: Some(OFFERED_STATUSES.to_vec()),
        expand: Some(vec![JobExpand::Location]),
        sync_token,
        ..JobListRequest::default()
    }
}

/// Jobs closed or archived after `closed_after_ms`: a sync filtered to offered statuses
/// may not report a job that left them.
pub fn closed_since_request(closed_after_ms: f64) -> JobListRequest {
    JobListRequest {
        status: Some(vec![JobStatus::Closed, JobStatus::Archived]),
        closed_after: Some(closed_after_ms as i64),
        ..JobListRequest::default()
    }
}

/// Department id → name, skipping nameless entries.
pub fn department_names(departments: &[Department]) -> SortedMap<String> {
    departments
        .iter()
        .filter(|d| !d.name.trim().is_empty())
        .map(|d| (d.id.clone(), d.name.trim().to_owned()))
        .fold(SortedMap::new(), |mut names, (id, name)| {
            names.insert(id, name);
            names
        })
}

/// A picker's view of an Ashby job, with its department's name when known. `None` for a job
/// whose id is not an id the extension can store or send (Ashby's are UUIDs).
pub fn choice(job: &Job, departments: &SortedMap<String>) -> Option<JobChoice> {
    Some(JobChoice {
        id: JobId::parse(&job.id).ok()?,
        title: job.title.clone(),
        status: job.status.unwrap_or(JobStatus::Unknown),
        location: job
            .location
            .as_ref()
            .and_then(|l| l.name.clone())
            .filter(|name| !name.trim().is_empty()),
        department: job
            .department_id
            .as_ref()
            .and_then(|id| departments.get(id))
            .cloned(),
    })
}

/// Sorted for display: by title, then location, then department, so the list reads like
/// Ashby's (then by id, so equal-looking jobs keep one order however the list was built).
fn sorted(choices: Vec<JobChoice>) -> Vec<JobChoice> {
    // Each title lowered once, not once per comparison.
    let mut keyed: Vec<(String, JobChoice)> = choices
        .into_iter()
        .map(|choice| (lower_case(&choice.title), choice))
        .collect();
    crate::sorting::sort_by(&mut keyed, |(a_title, a), (b_title, b)| {
        (a_title, &a.location, &a.department, &a.id).cmp(&(
            b_title,
            &b.location,
            &b.department,
            &b.id,
        ))
    });
    keyed.into_iter().map(|(_, choice)| choice).collect()
}

/// Jobs sorted for display (see [`sorted`]).
pub fn sorted_choices(jobs: &[Job]) -> Vec<JobChoice> {
    sorted(
        jobs.iter()
            .filter_map(|job| choice(job, &SortedMap::new()))
            .collect(),
    )
}

/// The jobs the Send dialog offers: only open ones take applications.
pub fn open_only(jobs: Vec<JobChoice>) -> Vec<JobChoice> {
    jobs.into_iter()
        .filter(|job| job.status.is_open())
        .collect()
}

/// The text typing is matched against: title, department and location, lower case.
fn haystack(job: &JobChoice) -> String {
    lower_case(&searched_text(job))
}

/// Title, department and location, as typed text is matched against them (before lowering).
fn searched_text(job: &JobChoice) -> String {
    format!(
        "{} {} {}",
        job.title,
        job.department.as_deref().unwrap_or_default(),
        job.location.as_deref().unwrap_or_default(),
    )
}

/// Whether a job matches what the recruiter typed: every word must appear (any case) in the
/// title, department or location. An empty query matches everything.
pub fn matches_query(job: &JobChoice, query: &str) -> bool {
    words_match(&haystack(job), &query_words(query))
}

fn query_words(query: &str) -> Vec<String> {
    lower_case(query)
        .split_whitespace()
        .map(String::from)
        .collect()
}

fn words_match(haystack: &str, words: &[String]) -> bool {
    words
        .iter()
        .all(|word| crate::substring::contains(haystack, word))
}

/// The one filter both pickers use. Built once per job list (lower-casing 2,000 titles on
/// every keystroke would be wasted work), then asked per keystroke.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JobFilter {
    haystacks: Vec<String>,
}

impl JobFilter {
    pub fn new(jobs: &[JobChoice]) -> Self {
        Self {
            haystacks: lower_case_each(jobs.iter().map(searched_text).collect()),
        }
    }

    /// Positions (in the list given to [`JobFilter::new`]) of the first `limit` jobs matching
    /// `query`, in list order.
    pub fn matching(&self, query: &str, limit: usize) -> Vec<usize> {
        let words = query_words(query);
        self.haystacks
            .iter()
            .enumerate()
            .filter(|(_, haystack)| words_match(haystack, &words))
            .map(|(position, _)| position)
            .take(limit)
            .collect()
    }

    pub fn len(&self) -> usize {
        self.haystacks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.haystacks.is_empty()
    }
}

/// The line a picker shows for a job: "Title · Department · Location".
pub fn describe(job: &JobChoice) -> String {
    [
        Some(job.title.as_str()),
        job.department.as_deref(),
        job.location.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(" · ")
}

/// The flag a picker shows next to a job that cannot take applications (its Ashby status).
pub fn status_flag(job: &JobChoice) -> Option<&str> {
    (!job.status.is_open()).then_some(job.status.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn choice_of(title: &str, department: Option<&str>, location: Option<&str>) -> JobChoice {
        JobChoice {
            id: title.to_lowercase().replace(' ', "-").as_str().into(),
            title: title.into(),
            status: "Open".into(),
            location: location.map(str::to_owned),
            department: department.map(str::to_owned),
        }
    }

    fn jobs(value: serde_json::Value) -> Vec<Job> {
        serde_json::from_value(value).unwrap()
    }

    fn departments() -> SortedMap<String> {
        SortedMap::of([
            ("d-eng".to_owned(), "Engineering".to_owned()),
            ("d-sales".to_owned(), "Sales".to_owned()),
        ])
    }

    #[test]
    fn every_typed_word_must_match_title_department_or_location() {
        let job = choice_of("Senior Backend Engineer", Some("Platform"), Some("Berlin"));
        assert!(matches_query(&job, ""));
        assert!(matches_query(&job, "  backend  "));
        assert!(matches_query(&job, "ENG berl"));
        assert!(matches_query(&job, "platform berlin"));
        assert!(!matches_query(&job, "backend london"));
    }

    #[test]
    fn the_shared_filter_agrees_with_matches_query_and_stops_at_the_limit() {
        let list = vec![
            choice_of("Backend Engineer", Some("Engineering"), Some("Berlin")),
            choice_of("Account Executive", Some("Sales"), Some("London")),
            choice_of("Frontend Engineer", Some("Engineering"), Some("London")),
            choice_of("Engineering Manager", None, None),
        ];
        let filter = JobFilter::new(&list);
        assert_eq!(filter.len(), 4);
        assert_eq!(filter.matching("", 10), [0, 1, 2, 3]);
        assert_eq!(filter.matching("engineering", 10), [0, 2, 3]);
        assert_eq!(filter.matching("ENGINEERING london", 10), [2]);
        assert_eq!(filter.matching("sales", 10), [1]);
        assert_eq!(filter.matching("engineer", 2), [0, 2]);
        assert!(filter.matching("nothing like it", 10).is_empty());
        for query in ["", "eng", "london sales", "x"] {
            let expected: Vec<usize> = (0..list.len())
                .filter(|&i| matches_query(&list[i], query))
                .collect();
            assert_eq!(filter.matching(query, usize::MAX), expected, "{query}");
        }
        assert!(JobFilter::default().is_empty());
    }

    #[test]
    fn describes_with_the_parts_it_has() {
        assert_eq!(
            describe(&choice_of("Designer", Some("Design"), Some("Remote"))),
            "Designer · Design · Remote"
        );
        assert_eq!(
            describe(&choice_of("Designer", None, Some("Remote"))),
            "Designer · Remote"
        );
        assert_eq!(describe(&choice_of("Designer", None, None)), "Designer");
    }

    #[test]
    fn only_jobs_that_cannot_take_applications_are_flagged() {
        let mut job = choice_of("Designer", None, None);
        assert_eq!(status_flag(&job), None);
        job.status = "Draft".into();
        assert_eq!(status_flag(&job), Some("Draft"));
        job.status = "Closed".into();
        assert_eq!(status_flag(&job), Some("Closed"));
        let open = open_only(vec![job, choice_of("Open one", None, None)]);
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].title, "Open one");
    }

    #[test]
    fn maps_ashby_jobs_with_department_names_and_sorts_by_title() {
        let listed = jobs(json!([
            {"id": "j2", "title": "zeta", "status": "Open", "location": {"name": "Berlin"},
             "departmentId": "d-eng"},
            {"id": "j1", "title": "Alpha", "status": "Draft", "location": null,
             "departmentId": "d-unknown"},
            {"id": "j3", "title": "Beta", "status": "Closed"}
        ]));
        let cache = JobCache::from_full(&listed, departments(), Some("t1".into()), 5.0);
        let ids: Vec<&str> = cache.jobs.iter().map(|j| j.id.as_str()).collect();
        assert_eq!(ids, ["j1", "j2"], "closed jobs are not offered");
        assert_eq!(cache.jobs[0].status, JobStatus::Draft);
        assert_eq!(cache.jobs[0].department, None, "unknown department: absent");
        assert_eq!(cache.jobs[1].department.as_deref(), Some("Engineering"));
        assert_eq!(cache.jobs[1].location.as_deref(), Some("Berlin"));
        assert_eq!(cache.sync_token.as_deref(), Some("t1"));
        assert_eq!((cache.fetched_at_ms, cache.full_at_ms), (5.0, 5.0));
        // Without department names (no permission), jobs are listed all the same.
        let bare = JobCache::from_full(&listed, SortedMap::new(), None, 5.0);
        assert_eq!(bare.jobs.len(), 2);
        assert!(bare.jobs.iter().all(|j| j.department.is_none()));
        assert_eq!(sorted_choices(&listed)[0].id, "j1");
    }

    #[test]
    fn department_names_skip_blank_ones() {
        let list: Vec<Department> = serde_json::from_value(json!([
            {"id": "d1", "name": " Engineering "},
            {"id": "d2", "name": ""},
            {"id": "d3", "name": null}
        ]))
        .unwrap();
        assert_eq!(
            department_names(&list),
            SortedMap::of([("d1".to_owned(), "Engineering".to_owned())])
        );
    }

    fn full_cache() -> JobCache {
        JobCache::from_full(
            &jobs(json!([
                {"id": "a", "title": "Backend", "status": "Open", "departmentId": "d-eng"},
                {"id": "b", "title": "Closer", "status": "Open", "departmentId": "d-sales"},
                {"id": "c", "title": "Designer", "status": "Open"}
            ])),
            departments(),
            Some("t1".into()),
            1_000.0,
        )
    }

    #[test]
    fn a_sync_adds_updates_and_removes_jobs() {
        let cache = full_cache();
        let changed = jobs(json!([
            // Renamed and moved.
            {"id": "a", "title": "Backend Lead", "status": "Open", "departmentId": "d-sales"},
            // Closed: reported by the sync itself.
            {"id": "b", "title": "Closer", "status": "Closed"},
            // New, and a new draft.
            {"id": "d", "title": "Analyst", "status": "Open", "departmentId": "d-new"},
            {"id": "e", "title": "Zed", "status": "Draft"}
        ]));
        let mut names = departments();
        names.insert("d-new".into(), "Data".into());
        let merged = cache.merged(&changed, &[], Some(names), Some("t2".into()), 2_000.0);
        let summary: Vec<(&str, &str, Option<&str>)> = merged
            .jobs
            .iter()
            .map(|j| (j.id.as_str(), j.title.as_str(), j.department.as_deref()))
            .collect();
        assert_eq!(
            summary,
            [
                ("d", "Analyst", Some("Data")),
                ("a", "Backend Lead", Some("Sales")),
                ("c", "Designer", None),
                ("e", "Zed", None),
            ]
        );
        assert_eq!(merged.sync_token.as_deref(), Some("t2"));
        assert_eq!(merged.fetched_at_ms, 2_000.0);
        assert_eq!(
            merged.full_at_ms, 1_000.0,
            "still the time of the last full listing"
        );
    }

    #[test]
    fn jobs_closed_since_leave_the_cache_and_departments_survive_a_failed_read() {
        let cache = full_cache();
        let merged = cache.merged(&[], &["c".into(), "not-cached".into()], None, None, 3_000.0);
        let ids: Vec<&str> = merged.jobs.iter().map(|j| j.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(merged.departments, departments());
        assert_eq!(merged.sync_token, None);
        assert_eq!(merged.next_refresh(3_001.0), Refresh::Full);
        // Nothing changed: the same jobs, a new token.
        let same = cache.merged(&[], &[], None, Some("t3".into()), 4_000.0);
        assert_eq!(same.jobs, cache.jobs);
    }

    #[test]
    fn the_last_word_on_a_job_wins() {
        let cache = full_cache();
        let changed = jobs(json!([
            {"id": "a", "title": "Backend (old)", "status": "Open"},
            {"id": "a", "title": "Backend (new)", "status": "Open"},
            // Closed, then reopened within the same sync.
            {"id": "c", "title": "Designer", "status": "Closed"},
            {"id": "c", "title": "Designer", "status": "Open"}
        ]));
        // Also reported closed since the last refresh: its reopening is newer news.
        let merged = cache.merged(&changed, &["c".into()], None, None, 2_000.0);
        let titles: Vec<(&str, &str)> = merged
            .jobs
            .iter()
            .map(|j| (j.id.as_str(), j.title.as_str()))
            .collect();
        assert_eq!(
            titles,
            [("a", "Backend (new)"), ("b", "Closer"), ("c", "Designer")]
        );
    }

    #[test]
    fn refreshes_are_incremental_while_a_token_is_fresh() {
        let cache = full_cache();
        assert_eq!(
            cache.next_refresh(1_000.0 + CACHE_MAX_AGE_MS),
            Refresh::Incremental {
                sync_token: "t1".into(),
                closed_after_ms: 0.0,
            }
        );
        let later = cache.merged(
            &[],
            &[],
            None,
            Some("t2".into()),
            1_000.0 + 3.0 * 3_600_000.0,
        );
        assert_eq!(
            later.next_refresh(later.fetched_at_ms + 1.0),
            Refresh::Incremental {
                sync_token: "t2".into(),
                closed_after_ms: later.fetched_at_ms - CLOSED_SINCE_MARGIN_MS,
            }
        );
        assert_eq!(
            later.next_refresh(1_001.0 + FULL_REFRESH_MAX_AGE_MS),
            Refresh::Full,
            "a daily full listing"
        );
        assert_eq!(JobCache::default().next_refresh(0.0), Refresh::Full);
    }

    #[test]
    fn both_refreshes_send_the_same_filter() {
        let full = serde_json::to_value(sync_request(None)).unwrap();
        assert_eq!(
            full,
            json!({"status": ["Open", "Draft"], "expand": ["location"]})
        );
        let incremental = serde_json::to_value(sync_request(Some("t".into()))).unwrap();
        assert_eq!(
            incremental,
            json!({"status": ["Open", "Draft"], "expand": ["location"], "syncToken": "t"})
        );
        assert_eq!(
            serde_json::to_value(closed_since_request(1_234.9)).unwrap(),
            json!({"status": ["Closed", "Archived"], "closedAfter": 1234})
        );
    }

    #[test]
    fn caches_are_written_as_serde_writes_them() {
        use crate::json_writer::testing::{awkward_text, same_as_serde};
        let full = JobCache {
            fetched_at_ms: 1_700_000_000_123.0,
            jobs: vec![
                JobChoice {
                    title: awkward_text(),
                    ..choice_of("Backend", Some("Platform / Infra"), Some("Zürich"))
                },
                choice_of("Designer", None, None),
            ],
            sync_token: Some(awkward_text()),
            full_at_ms: 1_699_999_000_000.0,
            departments: SortedMap::of([
                (awkward_text(), awkward_text()),
                ("d-1".into(), "Sales".into()),
                (String::new(), String::new()),
            ]),
        };
        same_as_serde(&full);
        same_as_serde(&JobCache {
            sync_token: None,
            departments: departments(),
            ..full.clone()
        });
        same_as_serde(&JobCache {
            jobs: vec![],
            departments: SortedMap::new(),
            ..full
        });
        same_as_serde(&JobCache::default());
    }

    #[test]
    fn the_popup_reads_the_stored_text_as_the_worker_does() {
        let full = JobCache {
            fetched_at_ms: 1_700_000_000_123.0,
            jobs: vec![
                JobChoice {
                    title: "Backend \"Core\" Engineer \\ tab\t 🎨".into(),
                    ..choice_of("Backend", Some("Platform / Infra"), Some("Zürich"))
                },
                JobChoice {
                    status: "Draft".into(),
                    ..choice_of("Designer", None, Some("Berlin"))
                },
                JobChoice {
                    status: crate::domain::JobStatus::Unknown,
                    ..choice_of("Closed soon", Some("Sales"), None)
                },
            ],
            sync_token: Some("token\u{2028}".into()),
            full_at_ms: 1_699_999_000_000.0,
            departments: departments(),
        };
        // What the worker writes, then texts it never wrote but a reader must take or refuse
        // as serde does.
        let job = r#"{"id":"j","title":"T","status":"Open"}"#;
        let texts = [
            full.to_stored(),
            JobCache::default().to_stored(),
            format!(r#"{{"fetchedAtMs":1,"jobs":[{job}]}}"#),
            format!(r#"{{"fetchedAtMs":1,"jobs":[{job}],"syncToken":null,"fullAtMs":2}}"#),
            r#"{"fetchedAtMs":1,"jobs":[{"id":"j","title":"T","status":"Paused","location":null}]}"#.to_owned(),
            r#"{"fetchedAtMs":1,"jobs":[],"departments":{"d":"D"}}"#.to_owned(),
            // Refused by both.
            r#"{"jobs":[]}"#.to_owned(),
            r#"{"fetchedAtMs":"1","jobs":[]}"#.to_owned(),
            r#"{"fetchedAtMs":1,"jobs":[],"fullAtMs":null}"#.to_owned(),
            r#"{"fetchedAtMs":1,"jobs":[],"syncToken":3}"#.to_owned(),
            r#"{"fetchedAtMs":1,"jobs":[],"departments":{"d":1}}"#.to_owned(),
            r#"{"fetchedAtMs":1,"jobs":[{"id":"j","title":"T"}]}"#.to_owned(),
            r#"{"fetchedAtMs":1,"jobs":[{"id":"","title":"T","status":"Open"}]}"#.to_owned(),
            r#"{"fetchedAtMs":1,"jobs":[{"id":"j","title":"T","status":"Open","location":5}]}"#.to_owned(),
            r#"{"fetchedAtMs":1,"jobs":[{"id":"j","title":"T","status":1}]}"#.to_owned(),
            r#"{"fetchedAtMs":1,"jobs":[7]}"#.to_owned(),
            "[]".to_owned(),
            "not json".to_owned(),
        ];
        for text in &texts {
            assert_eq!(
                JobCache::from_json_text(text).ok(),
                JobCache::from_stored(json!(text)),
                "{text}"
            );
        }
        assert_eq!(JobCache::from_json_text(&full.to_stored()), Ok(full));
    }

    #[test]
    fn the_cache_goes_stale_and_old_caches_still_read() {
        let cache = JobCache {
            fetched_at_ms: 1_000.0,
            jobs: vec![choice_of("A", None, None)],
            ..JobCache::default()
        };
        assert!(!cache.is_stale(1_000.0 + CACHE_MAX_AGE_MS));
        assert!(cache.is_stale(1_001.0 + CACHE_MAX_AGE_MS));
        assert!(JobCache::default().is_stale(0.0));
        // Stored as JSON text; the object earlier versions stored still reads.
        assert_eq!(
            JobCache::from_stored(json!(cache.to_stored())).as_ref(),
            Some(&cache)
        );
        assert_eq!(
            JobCache::from_stored(serde_json::to_value(&cache).unwrap()).as_ref(),
            Some(&cache)
        );
        assert_eq!(JobCache::from_stored(json!("not json")), None);
        assert_eq!(JobCache::from_stored(json!({"jobs": 3})), None);
        // A cache stored before incremental refresh existed: no token, so a full refresh next.
        let old: JobCache = serde_json::from_value(json!({
            "fetchedAtMs": 10.0,
            "jobs": [{"id": "j", "title": "T", "status": "Open", "location": null,
                      "department": null}]
        }))
        .unwrap();
        assert_eq!(old.jobs.len(), 1);
        assert_eq!(old.next_refresh(11.0), Refresh::Full);
    }
}
