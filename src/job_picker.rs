//! The job pickers' rules, shared by the Send dialog and the popup: which Ashby jobs are
//! offered, how they are described, how typing filters them, and when the cache is stale.

use crate::ashby::types::{Job, JobStatus};
use crate::messages::JobChoice;
use serde::{Deserialize, Serialize};

/// How long the worker trusts its cached job list before asking Ashby again.
pub const CACHE_MAX_AGE_MS: f64 = 15.0 * 60.0 * 1000.0;

/// The worker's cached job list, as stored.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobCache {
    pub fetched_at_ms: f64,
    pub jobs: Vec<JobChoice>,
}

impl JobCache {
    pub fn is_stale(&self, now_ms: f64) -> bool {
        self.jobs.is_empty() || now_ms - self.fetched_at_ms > CACHE_MAX_AGE_MS
    }
}

impl From<&Job> for JobChoice {
    fn from(job: &Job) -> Self {
        let status = match &job.status {
            Some(JobStatus::Open) => "Open",
            Some(JobStatus::Closed) => "Closed",
            Some(JobStatus::Draft) => "Draft",
            Some(JobStatus::Archived) => "Archived",
            _ => "Unknown",
        };
        JobChoice {
            id: job.id.clone(),
            title: job.title.clone(),
            status: status.to_owned(),
            location: job.location.as_ref().and_then(|l| l.name.clone()),
            department: None,
        }
    }
}

/// Jobs sorted for display: by title, then location, so the list reads like Ashby's.
pub fn sorted_choices(jobs: &[Job]) -> Vec<JobChoice> {
    let mut choices: Vec<JobChoice> = jobs.iter().map(JobChoice::from).collect();
    choices.sort_by(|a, b| {
        (a.title.to_lowercase(), &a.location).cmp(&(b.title.to_lowercase(), &b.location))
    });
    choices
}

/// Whether a job matches what the recruiter typed: every word must appear (any case) in the
/// title, location or department. An empty query matches everything.
pub fn matches_query(job: &JobChoice, query: &str) -> bool {
    let haystack = format!(
        "{} {} {}",
        job.title,
        job.location.as_deref().unwrap_or_default(),
        job.department.as_deref().unwrap_or_default()
    )
    .to_lowercase();
    query
        .split_whitespace()
        .all(|word| haystack.contains(&word.to_lowercase()))
}

/// The line a picker shows for a job: "Title · Location".
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

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(title: &str, location: Option<&str>) -> JobChoice {
        JobChoice {
            id: title.to_lowercase(),
            title: title.into(),
            status: "Open".into(),
            location: location.map(str::to_owned),
            department: None,
        }
    }

    #[test]
    fn every_typed_word_must_match_title_or_location() {
        let job = choice("Senior Backend Engineer", Some("Berlin"));
        assert!(matches_query(&job, ""));
        assert!(matches_query(&job, "  backend  "));
        assert!(matches_query(&job, "ENG berl"));
        assert!(!matches_query(&job, "backend london"));
    }

    #[test]
    fn describes_with_the_parts_it_has() {
        assert_eq!(
            describe(&choice("Designer", Some("Remote"))),
            "Designer · Remote"
        );
        assert_eq!(describe(&choice("Designer", None)), "Designer");
    }

    #[test]
    fn maps_ashby_jobs_and_sorts_by_title() {
        let jobs: Vec<Job> = serde_json::from_value(serde_json::json!([
            {"id": "j2", "title": "zeta", "status": "Open", "location": {"name": "Berlin"}},
            {"id": "j1", "title": "Alpha", "status": "Closed", "location": null}
        ]))
        .unwrap();
        let choices = sorted_choices(&jobs);
        assert_eq!(choices[0].id, "j1");
        assert_eq!(choices[0].status, "Closed");
        assert_eq!(choices[1].location.as_deref(), Some("Berlin"));
    }

    #[test]
    fn the_cache_goes_stale() {
        let cache = JobCache {
            fetched_at_ms: 1_000.0,
            jobs: vec![choice("A", None)],
        };
        assert!(!cache.is_stale(1_000.0 + CACHE_MAX_AGE_MS));
        assert!(cache.is_stale(1_001.0 + CACHE_MAX_AGE_MS));
        assert!(JobCache::default().is_stale(0.0));
    }
}
