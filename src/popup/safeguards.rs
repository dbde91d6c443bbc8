//! What the worker's safeguards ask of the recruiter, at the top of the popup: a search whose
//! automation the brake paused (with "Resume automation"), storage that is full (with what to
//! do), and a Fetcher account other than the one uploads are credited for (with a
//! confirmation).

use crate::browser::ask_worker;
use crate::domain::SearchId;
use crate::messages::{
    ConfirmAccount, ConnectionStatus, ConnectionView, ListSearches, ResumeAutomation, SearchItem,
    SearchesView,
};
use crate::text;
use leptos::prelude::*;

/// The searches and the connection as the worker last described them.
type Loaded = (Result<SearchesView, String>, Option<ConnectionView>);

async fn load() -> Loaded {
    let searches = ask_worker(ListSearches).await.map_err(String::from);
    (searches, ask_worker(ConnectionStatus).await.ok())
}

/// What the recruiter answers a safeguard with.
#[derive(Clone)]
enum Answer {
    Resume { search_id: SearchId },
    Confirm { email: String },
}

/// Sends the answer; the worker's fresh view replaces the one shown.
async fn send(answer: Answer, loaded: LocalResource<Loaded>) -> Result<(), String> {
    match answer {
        Answer::Resume { search_id } => {
            let view = ask_worker(ResumeAutomation { search_id }).await?;
            loaded.update(|now| {
                if let Some((searches, _)) = now {
                    *searches = Ok(view);
                }
            });
        }
        Answer::Confirm { email } => {
            let view = ask_worker(ConfirmAccount { email }).await?;
            loaded.update(|now| {
                if let Some((_, connection)) = now {
                    *connection = Some(view);
                }
            });
        }
    }
    Ok(())
}

/// The safeguards' notices, each with the one action that answers it.
#[component]
pub fn Safeguards() -> impl IntoView {
    let loaded = LocalResource::new(load);
    let answer = Action::new_local(move |answer: &Answer| send(answer.clone(), loaded));
    let paused = Memo::new(move |_| {
        loaded.with(|now| match now {
            Some((Ok(view), _)) => view
                .searches
                .iter()
                .filter(|s| s.automation_paused.is_some())
                .cloned()
                .collect::<Vec<SearchItem>>(),
            _ => Vec::new(),
        })
    });
    let connection = move || loaded.get().and_then(|(_, view)| view);
    let storage_full = move || connection()?.storage_full;
    // (the account uploads are credited for, the other account a page showed)
    let account_change = move || {
        let view = connection()?;
        view.confirmed_account.zip(view.account_change)
    };
    // The last answer's failure (none while one is under way), else the loading's.
    let problem = Memo::new(move |_| {
        if answer.pending().get() {
            return None;
        }
        match answer.value().get() {
            Some(outcome) => outcome.err(),
            None => loaded.with(|now| now.as_ref()?.0.as_ref().err().cloned()),
        }
    });
    let resume = move |search_id: SearchId| {
        answer.dispatch_local(Answer::Resume { search_id });
    };
    let confirm = move |email: String| {
        answer.dispatch_local(Answer::Confirm { email });
    };
    view! {
        {move || account_change().map(|(confirmed, shown)| {
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
        {move || storage_full().map(|message| view! {
            <section class="safeguard warning" aria-label=text::STORAGE_FULL_HEADING>
                <h2>{text::STORAGE_FULL_HEADING}</h2>
                <p role="alert">{message}</p>
            </section>
        })}
        <For each=move || paused.get() key=|s| s.search_id.clone() let:search>
            <section class="safeguard warning" aria-label=text::AUTOMATION_PAUSED_HEADING>
                <h2>{text::AUTOMATION_PAUSED_HEADING}{" · "}
                    {search.title.clone().unwrap_or_else(|| search.search_id.to_string())}</h2>
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
