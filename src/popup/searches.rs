//! "Ashby Sync": the searches seen on Fetcher. The one in front of the recruiter comes first
//! with its form open; the others follow, most recently seen first, each one line (title,
//! owner, linked job, on/off, uploaded so far) that opens with a click on its title. With
//! more than a few searches a "Filter searches" box narrows them by title. This part loads
//! what the list shows; `super::search_list` draws it.

use super::search_lines::arrange;
use super::search_list::SearchList;
use super::startup;
use crate::page_components::effect::derived;
use crate::page_components::work::Work;
use crate::page_components::{line, line_while, redrawn};
use crate::text;
use leptos::either::Either;
use leptos::prelude::*;

/// What the "Ashby Sync" section shows. A list is built for its searches (their ids, in the
/// order shown): a newer answer with the same searches updates the rows in place.
#[derive(Clone, PartialEq)]
enum Shown {
    Loading,
    Failed(String),
    NoSearches,
    List(Vec<String>),
}

#[component]
pub fn Searches() -> impl IntoView {
    let searches = Work::load(startup::searches);
    // What the worker listed last time, from storage, until it answers now; the search in
    // front of the recruiter joins it when the browser says which it is.
    let remembered = Work::load(|| async { Ok(startup::remembered_searches().await) });
    let current = Work::load(|| async { Ok(startup::current().await) });
    let latest = Memo::new(move |_| match searches.value() {
        Some(answer) => Some(answer),
        None => {
            let list = remembered.value()?.ok()??;
            Some(Ok((list, current.value().and_then(Result::ok).flatten())))
        }
    });
    let shown = Memo::new(move |_| match latest.get() {
        None => Shown::Loading,
        Some(Err(message)) => Shown::Failed(message),
        Some(Ok((list, _))) if list.is_empty() => Shown::NoSearches,
        Some(Ok((list, current))) => Shown::List(
            arrange(list, current.as_deref())
                .into_iter()
                .map(|(item, _)| item.search_id.to_string())
                .collect(),
        ),
    });
    let listed_jobs = Work::load(|| async { Ok(startup::listed_jobs().await?) });
    // The cached jobs first (straight from storage), until the worker's list replaces them.
    let cached_jobs = Work::load(|| async { Ok(startup::cached_jobs().await) });
    // `None` until some jobs are known, or when the worker could not list them.
    let jobs = derived(None, move |_| match listed_jobs.value() {
        Some(Ok(list)) => Some(list.jobs),
        Some(Err(_)) => None,
        None => cached_jobs.value().and_then(Result::ok).flatten(),
    });
    let jobs_problem = move || {
        let failure = listed_jobs.value()?.err()?;
        Some(format!("{} {failure}", text::JOBS_UNAVAILABLE))
    };
    view! {
        <section class="sync" aria-label=text::SYNC_HEADING>
            <h2>{text::SYNC_HEADING}</h2>
            {line_while("warning", None, Box::new(jobs_problem))}
            {move || match shown.get() {
                Shown::Loading => Either::Left(line("muted", None, text::LOADING.to_owned())),
                Shown::Failed(message) => Either::Left(line("warning", None, message)),
                Shown::NoSearches => Either::Left(line("muted", None, text::NO_SEARCHES_YET.to_owned())),
                Shown::List(_) => {
                    let (list, current) =
                        latest.get_untracked().and_then(Result::ok).unwrap_or_default();
                    Either::Right(redrawn(view! { <SearchList list current jobs latest /> }))
                }
            }}
        </section>
    }
}
