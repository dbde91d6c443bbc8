//! The worker's cache of open Ashby jobs, which both pickers read. Ashby is asked again when
//! the cache is older than `job_picker::CACHE_MAX_AGE_MS` or the recruiter asks to refresh.

use super::connection;
use crate::ashby::types::JobListRequest;
use crate::browser::{chrome::local, from_js, now_ms, to_js};
use crate::job_picker::{sorted_choices, JobCache};
use crate::messages::{JobChoice, WorkerReply};
use crate::text;

/// Storage keys: the cache, and the job each Fetcher search used last.
pub const JOB_CACHE: &str = "cache/jobs";
const LAST_JOB_PREFIX: &str = "lastJob/";

/// The pickers' job list: from cache when fresh, else from Ashby (falling back to a stale cache
/// with no error when Ashby cannot be reached, so the recruiter can still pick).
pub async fn choices(refresh: bool) -> Result<Vec<JobChoice>, String> {
    let cached: JobCache = match local::get(JOB_CACHE).await {
        Ok(value) if !value.is_undefined() => from_js(value).unwrap_or_default(),
        _ => JobCache::default(),
    };
    if !refresh && !cached.is_stale(now_ms()) {
        return Ok(cached.jobs);
    }
    let Some(client) = connection::client().await else {
        return Err(text::CONNECT_FIRST.into());
    };
    match client
        .list_jobs_all(&JobListRequest::open_jobs_with_location())
        .await
    {
        Ok(all) => {
            let fresh = JobCache {
                fetched_at_ms: now_ms(),
                jobs: sorted_choices(&all.items),
            };
            if let Ok(value) = to_js(&fresh) {
                let _ = local::set(JOB_CACHE, &value).await;
            }
            Ok(fresh.jobs)
        }
        Err(_) if !cached.jobs.is_empty() => Ok(cached.jobs),
        Err(failure) => Err(text::ashby_error(&failure)),
    }
}

pub async fn list(refresh: bool) -> WorkerReply {
    match choices(refresh).await {
        Ok(jobs) => WorkerReply::Jobs {
            jobs,
            last_job_id: None,
        },
        Err(message) => WorkerReply::Error { message },
    }
}

/// The Send dialog's list, with the job this search used last preselected.
pub async fn for_search(search_id: &str) -> WorkerReply {
    let last_job_id = local::get(&last_job_key(search_id))
        .await
        .ok()
        .and_then(|value| value.as_string());
    match choices(false).await {
        Ok(jobs) => WorkerReply::Jobs { jobs, last_job_id },
        Err(message) => WorkerReply::Error { message },
    }
}

pub async fn remember_last_job(search_id: &str, job_id: &str) {
    let _ = local::set(&last_job_key(search_id), &job_id.into()).await;
}

/// The title of a cached job, for records and notes.
pub async fn title_of(job_id: &str) -> Option<String> {
    let jobs = choices(false).await.ok()?;
    jobs.into_iter()
        .find(|job| job.id == job_id)
        .map(|job| job.title)
}

fn last_job_key(search_id: &str) -> String {
    format!("{LAST_JOB_PREFIX}{search_id}")
}
