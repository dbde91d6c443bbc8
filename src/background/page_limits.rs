//! The Send dialog's previews, within the page budget ([`super::page_budget`]) and
//! deduplicated (the same question while one is under way, or asked again within 10 seconds
//! and no send since, gets the same answer).

use super::{outbox, page_budget};
use crate::browser::{decode_js, json_to_js, now_ms};
use crate::domain::{FetcherCandidate, JobId};
use crate::json_writer::WriteJson;
use crate::message_checks::page_budget::{PageCaused, RecentAnswers};
use crate::messages::WorkerProblem;
use crate::messages::{Answer, SendPreview};
use std::cell::RefCell;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// How long a preview's answer is given again (short: a send changes the answer, and sends
/// also clear it), and how many are kept.
const PREVIEW_FRESH_MS: f64 = 10_000.0;
const PREVIEWS_KEPT: usize = 50;

thread_local! {
    static PREVIEWS: RefCell<RecentAnswers<SendPreview>> =
        RefCell::new(RecentAnswers::new(PREVIEW_FRESH_MS, PREVIEWS_KEPT));
    /// Previews being asked, by question (a few at most: a list, not another map type).
    static PREVIEWS_UNDER_WAY: RefCell<Vec<(String, js_sys::Promise)>> =
        const { RefCell::new(Vec::new()) };
}

/// A candidate was queued: answers given before may no longer hold.
pub fn forget_previews() {
    PREVIEWS.with(|p| *p.borrow_mut() = RecentAnswers::new(PREVIEW_FRESH_MS, PREVIEWS_KEPT));
}

/// The Send dialog's preview, deduplicated and within the page budget.
pub async fn preview(candidate: FetcherCandidate, job_id: JobId) -> Answer<SendPreview> {
    // The question is what Ashby is searched by, and the job, as JSON text (an in-memory key,
    // never stored: the contact parts nest so the pairs and triples json_writer has suffice).
    let question = (
        (
            &candidate.emails,
            &candidate.linkedin_url,
            &candidate.github_url,
        ),
        &candidate.name,
        &job_id,
    )
        .json_text();
    if let Some(answer) = PREVIEWS.with(|p| p.borrow_mut().get(&question, now_ms())) {
        return Ok(answer);
    }
    let under_way = PREVIEWS_UNDER_WAY.with(|u| {
        u.borrow()
            .iter()
            .find(|(asked, _)| *asked == question)
            .map(|(_, promise)| promise.clone())
    });
    let promise = match under_way {
        Some(promise) => promise,
        None => {
            if !page_budget::allow(PageCaused::Preview) {
                return Err(WorkerProblem::TooManyChecks);
            }
            let key = question.clone();
            let promise = wasm_bindgen_futures::future_to_promise(async move {
                let answer = outbox::preview(candidate, job_id).await;
                PREVIEWS_UNDER_WAY.with(|u| u.borrow_mut().retain(|(asked, _)| *asked != key));
                if let Ok(preview) = &answer {
                    PREVIEWS.with(|p| p.borrow_mut().put(key, preview.clone(), now_ms()));
                }
                json_to_js(&answer)
            });
            PREVIEWS_UNDER_WAY.with(|u| u.borrow_mut().push((question, promise.clone())));
            promise
        }
    };
    JsFuture::from(promise)
        .await
        .and_then(|value| decode_js::<Answer<SendPreview>>(&value).map_err(|_| JsValue::NULL))
        .unwrap_or(Err(WorkerProblem::Unavailable))
}
