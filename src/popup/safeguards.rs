//! What the worker's safeguards ask of the recruiter, at the top of the popup: a search whose
//! automation the brake paused (with "Resume automation"), storage that is full (with what to
//! do), and a Fetcher account other than the one uploads are credited for (with a
//! confirmation).

use crate::browser::ask_worker;
use crate::domain::{Email, SearchId};
use crate::messages::{ConfirmAccount, ConnectionView, ResumeAutomation, SearchItem, SearchesView};
use crate::page_components::work::Work;
use crate::page_components::{button, line_while, redrawn};
use crate::text;
use leptos::prelude::*;

/// The searches and the connection as the worker described them when the popup opened.
type Loaded = (Result<SearchesView, String>, Option<ConnectionView>);

async fn load() -> Result<Loaded, String> {
    let searches = super::startup::searches_for_safeguards()
        .await
        .map_err(String::from);
    Ok((
        searches,
        super::startup::connection_for_safeguards().await.ok(),
    ))
}

/// The worker's fresh view after an answer: it replaces the one shown.
#[derive(Clone)]
enum Answered {
    Searches(SearchesView),
    Connection(Box<ConnectionView>),
}

/// The safeguards' notices, each with the one action that answers it.
#[component]
pub fn Safeguards() -> impl IntoView {
    let loaded = Work::load(load);
    let answer = Work::<Answered>::new();
    // The searches and the connection: as loaded, then as the latest answer left them.
    let searches = Memo::new(
        move |before: Option<&Option<SearchesView>>| match answer.value() {
            Some(Ok(Answered::Searches(view))) => Some(view),
            _ => before
                .cloned()
                .flatten()
                .or_else(|| loaded.value()?.ok()?.0.ok()),
        },
    );
    let connection =
        Memo::new(
            move |before: Option<&Option<ConnectionView>>| match answer.value() {
                Some(Ok(Answered::Connection(view))) => Some(*view),
                _ => before
                    .cloned()
                    .flatten()
                    .or_else(|| loaded.value()?.ok()?.1),
            },
        );
    let paused_now = move |search_id: &SearchId| {
        searches.with(|view| {
            view.iter()
                .flat_map(|view| &view.searches)
                .any(|s| &s.search_id == search_id && s.automation_paused.is_some())
        })
    };
    // Every search paused since the popup opened, with its pause as last seen: a notice is
    // drawn once and hidden when its search is resumed, so the notices that stay are not drawn
    // (and announced, `role="status"`) again; the list is drawn anew only when a search is
    // paused (again).
    let ever_paused = Memo::new(move |before: Option<&Vec<SearchItem>>| {
        let mut all = before.cloned().unwrap_or_default();
        searches.with(|view| {
            let paused = view
                .iter()
                .flat_map(|view| &view.searches)
                .filter(|s| s.automation_paused.is_some());
            for search in paused {
                match all.iter_mut().find(|s| s.search_id == search.search_id) {
                    Some(seen) if seen.automation_paused == search.automation_paused => {}
                    Some(seen) => *seen = search.clone(),
                    None => all.push(search.clone()),
                }
            }
        });
        all
    });
    let storage_full =
        move || connection.with(|view| view.as_ref().is_some_and(|v| v.storage_full));
    // (the account uploads are credited for, the other account a page showed)
    let account_change = move || {
        let view = connection.get()?;
        view.confirmed_account.zip(view.account_change)
    };
    // The last answer's failure (none while one is under way), else the loading's.
    let problem = move || {
        if answer.pending() {
            return None;
        }
        match answer.value() {
            Some(outcome) => outcome.err(),
            None => loaded.value()?.ok()?.0.err(),
        }
    };
    let resume = move |search_id: SearchId| {
        answer.run(move || {
            let request = ResumeAutomation {
                search_id: search_id.clone(),
            };
            async move { Ok(Answered::Searches(ask_worker(request).await?)) }
        });
    };
    let confirm = move |email: Email| {
        answer.run(move || {
            let request = ConfirmAccount {
                email: email.clone(),
            };
            async move { Ok(Answered::Connection(Box::new(ask_worker(request).await?))) }
        });
    };
    view! {
        {move || account_change().map(|(confirmed, shown)| {
            let notice = text::account_change_notice(&confirmed, &shown);
            let label = text::confirm_account_button(&shown);
            redrawn(view! {
                <section class="safeguard warning" aria-label=text::ACCOUNT_CHANGE_HEADING>
                    <h2>{text::ACCOUNT_CHANGE_HEADING}</h2>
                    <p role="status">{notice}</p>
                    {button("", label, move |_| confirm(shown.clone()))}
                </section>
            })
        })}
        {move || storage_full().then(|| view! {
            <section class="safeguard warning" aria-label=text::STORAGE_FULL_HEADING>
                <h2>{text::STORAGE_FULL_HEADING}</h2>
                <p role="alert">{text::STORAGE_FULL}</p>
            </section>
        })}
        {move || redrawn(ever_paused.get().into_iter().map(|search| {
            let (id, shown_id) = (search.search_id.clone(), search.search_id.clone());
            view! {
                <section class="safeguard warning" aria-label=text::AUTOMATION_PAUSED_HEADING
                    hidden=move || !paused_now(&shown_id)>
                    <h2>{text::AUTOMATION_PAUSED_HEADING}{" · "}
                        {search.title.clone().unwrap_or_else(|| search.search_id.to_string())}</h2>
                    <p role="status">{search.automation_paused.as_ref().map(text::automation_paused)}</p>
                    {button("", text::RESUME_AUTOMATION, move |_| resume(id.clone()))}
                </section>
            }
        }).collect::<Vec<_>>())}
        {line_while("error", Some("alert"), Box::new(problem))}
    }
}
