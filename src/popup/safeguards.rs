//! What the worker's safeguards ask of the recruiter, at the top of the popup: a search whose
//! automation the brake paused (with "Resume automation"), storage that is full (with what to
//! do), and a Fetcher account other than the one uploads are credited for (with a
//! confirmation).

use crate::browser::ask_worker;
use crate::domain::{Email, SearchId};
use crate::messages::{
    AskError, ConfirmAccount, ConnectionStatus, ConnectionView, ListSearches, ResumeAutomation,
    SearchItem, SearchesView,
};
use crate::text;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The safeguards' notices, each with the one action that answers it.
#[component]
pub fn Safeguards() -> impl IntoView {
    let paused = RwSignal::new(Vec::<SearchItem>::new());
    let problem = RwSignal::new(None::<String>);
    let storage_full = RwSignal::new(false);
    // (the account uploads are credited for, the other account a page showed)
    let account_change = RwSignal::new(None::<(Email, Email)>);
    let show = move |reply: Result<SearchesView, AskError>| match reply {
        Ok(view) => paused.set(
            view.searches
                .into_iter()
                .filter(|s| s.automation_paused.is_some())
                .collect(),
        ),
        Err(failure) => problem.set(Some(failure.into())),
    };
    let show_connection = move |view: ConnectionView| {
        storage_full.set(view.storage_full);
        account_change.set(view.confirmed_account.zip(view.account_change));
    };
    spawn_local(async move {
        show(ask_worker(ListSearches).await);
        if let Ok(view) = ask_worker(ConnectionStatus).await {
            show_connection(view);
        }
    });
    let resume = move |search_id: SearchId| {
        spawn_local(async move {
            problem.set(None);
            show(ask_worker(ResumeAutomation { search_id }).await);
        });
    };
    let confirm = move |email: Email| {
        spawn_local(async move {
            match ask_worker(ConfirmAccount { email }).await {
                Ok(view) => show_connection(view),
                Err(failure) => problem.set(Some(failure.into())),
            }
        });
    };
    view! {
        {move || account_change.get().map(|(confirmed, shown)| {
            let notice = text::account_change_notice(&confirmed, &shown);
            let label = text::confirm_account_button(&shown);
            view! {
                <section class="safeguard warning" aria-label=text::ACCOUNT_CHANGE_HEADING>
                    <h2>{text::ACCOUNT_CHANGE_HEADING}</h2>
                    <p role="status">{notice}</p>
                    <button type="button" on:click=move |_| confirm(shown.clone())>{label}</button>
                </section>
            }
        })}
        {move || storage_full.get().then(|| view! {
            <section class="safeguard warning" aria-label=text::STORAGE_FULL_HEADING>
                <h2>{text::STORAGE_FULL_HEADING}</h2>
                <p role="alert">{text::STORAGE_FULL}</p>
            </section>
        })}
        <For each=move || paused.get() key=|s| s.search_id.clone() let:search>
            <section class="safeguard warning" aria-label=text::AUTOMATION_PAUSED_HEADING>
                <h2>{text::AUTOMATION_PAUSED_HEADING}{" · "}
                    {search.title.clone().unwrap_or_else(|| search.search_id.to_string())}</h2>
                <p role="status">{search.automation_paused.as_ref().map(text::automation_paused)}</p>
                <button type="button" on:click={
                    let id = search.search_id.clone();
                    move |_| resume(id.clone())
                }>{text::RESUME_AUTOMATION}</button>
            </section>
        </For>
        {move || problem.get().map(|p| view! { <p role="alert" class="error">{p}</p> })}
    }
}
