//! The "Send to Ashby" keyboard shortcut on a profile (`commands` in the manifest): the
//! content script sends the profile it read; here it goes to the job its search used last, if
//! that job is still open, and otherwise the Send dialog's draft is prepared for the content
//! script to frame, so a keypress never guesses a job.

use super::{connection, jobs, outbox, send_drafts};
use crate::domain::FetcherCandidate;
use crate::messages::{Answer, ShortcutDone, ShortcutOutcome, WorkerProblem};

pub async fn send(candidate: FetcherCandidate, tab_id: Option<i64>) -> Answer<ShortcutDone> {
    if !connection::is_connected().await {
        return Err(WorkerProblem::ConnectFirst);
    }
    let jobs = jobs::for_search(&candidate.search_id).await?;
    let last_open_job = jobs.last_job_id.as_ref().and_then(|id| {
        jobs.jobs
            .iter()
            .find(|job| job.id == *id && job.status.is_open())
    });
    let outcome = match last_open_job {
        Some(job) => {
            let name = candidate.name.clone();
            outbox::send_now(candidate, job.id.clone()).await?;
            ShortcutOutcome::Queued {
                name,
                job_title: job.title.clone(),
            }
        }
        None => ShortcutOutcome::Review {
            token: send_drafts::prepare(candidate, tab_id).await?.token,
        },
    };
    Ok(ShortcutDone { outcome })
}
