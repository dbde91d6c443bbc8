//! What the worker's safeguards ask of the recruiter, at the top of the popup: a search whose
//! automation the brake paused (with "Resume automation"), and storage that is full (with
//! what to do).

use crate::browser::ask_worker;
use crate::messages::{SearchItem, UiToWorker, WorkerReply};
use crate::text;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The searches paused by their brake, each with a one-click Resume.
#[component]
pub fn Safeguards() -> impl IntoView {
    let paused = RwSignal::new(Vec::<SearchItem>::new());
    let problem = RwSignal::new(None::<String>);
    let show = move |reply: Result<WorkerReply, String>| match reply {
        Ok(WorkerReply::Searches(view)) => paused.set(
            view.searches
                .into_iter()
                .filter(|s| s.automation_paused.is_some())
                .collect(),
        ),
        Ok(WorkerReply::Error { message }) | Err(message) => problem.set(Some(message)),
        Ok(_) => {}
    };
    let storage_full = RwSignal::new(None::<String>);
    spawn_local(async move {
        show(ask_worker(&UiToWorker::ListSearches).await);
        if let Ok(WorkerReply::Connection(view)) = ask_worker(&UiToWorker::ConnectionStatus).await {
            storage_full.set(view.storage_full);
        }
    });
    let resume = move |search_id: String| {
        spawn_local(async move {
            problem.set(None);
            show(ask_worker(&UiToWorker::ResumeAutomation { search_id }).await);
        });
    };
    view! {
        {move || storage_full.get().map(|message| view! {
            <section class="safeguard warning" aria-label=text::STORAGE_FULL_HEADING>
                <h2>{text::STORAGE_FULL_HEADING}</h2>
                <p role="alert">{message}</p>
            </section>
        })}
        <For each=move || paused.get() key=|s| s.search_id.clone() let:search>
            <section class="safeguard warning" aria-label=text::AUTOMATION_PAUSED_HEADING>
                <h2>{text::AUTOMATION_PAUSED_HEADING}{" · "}
                    {search.title.clone().unwrap_or_else(|| search.search_id.clone())}</h2>
                <p role="status">{search.automation_paused.clone().unwrap_or_default()}</p>
                <button type="button" on:click={
                    let id = search.search_id.clone();
                    move |_| resume(id.clone())
                }>{text::RESUME_AUTOMATION}</button>
            </section>
        </For>
        {move || problem.get().map(|p| view! { <p role="alert" class="error">{p}</p> })}
    }
}
