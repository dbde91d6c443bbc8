//! The popup (Leptos): connect with an Ashby API key, see the connection and its permissions,
//! set each Fetcher search's automation ("Ashby Sync"), and see recent uploads.

use crate::browser::ask_worker;
use crate::domain::SearchAutomation;
use crate::messages::{ConnectionView, JobChoice, SearchItem, UiToWorker, WorkerReply};
use crate::page_components::{ActivityList, ConnectionDetails, Notice, NoticeLine, SearchCard};
use crate::text;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;

mod host_access;

/// Called by `popup-boot.js` after the wasm module is instantiated.
#[wasm_bindgen]
pub fn start_popup() {
    leptos::mount::mount_to_body(Popup);
}

/// What the popup knows about the connection.
#[derive(Clone, PartialEq)]
enum Status {
    Loading,
    Disconnected(ConnectionView),
    Connected(ConnectionView),
}

#[component]
fn Popup() -> impl IntoView {
    let status = RwSignal::new(Status::Loading);
    let error = RwSignal::new(None::<String>);
    spawn_local(async move {
        match ask_worker(&UiToWorker::ConnectionStatus).await {
            Ok(WorkerReply::Connection(view)) if view.connected => {
                status.set(Status::Connected(view))
            }
            Ok(WorkerReply::Connection(view)) => status.set(Status::Disconnected(view)),
            Ok(_) => status.set(Status::Disconnected(ConnectionView::default())),
            Err(message) => {
                status.set(Status::Disconnected(ConnectionView::default()));
                error.set(Some(message));
            }
        }
    });
    view! {
        <main id="fetcher-ashby-popup">
            <h1>{text::PRODUCT_NAME}</h1>
            <host_access::HostAccess />
            {move || match status.get() {
                Status::Connected(view) | Status::Disconnected(view) => view.page_problem,
                Status::Loading => None,
            }.map(|problem| view! { <p role="note" class="page-problem">{problem}</p> })}
            {move || match status.get() {
                Status::Loading => view! { <p>{text::LOADING}</p> }.into_any(),
                Status::Disconnected(view) => view! {
                    <ConnectForm status error view />
                }.into_any(),
                Status::Connected(view) => view! {
                    <ConnectionDetails view />
                    <SyncSection />
                    <ActivitySection />
                    <p class="footer">
                        <a href="../options/index.html" target="_blank">{text::SETTINGS_LINK}</a>
                    </p>
                }.into_any(),
            }}
            <Show when=move || error.get().is_some()>
                <p role="alert" class="error">{move || error.get().unwrap_or_default()}</p>
            </Show>
        </main>
    }
}

#[component]
fn ConnectForm(
    status: RwSignal<Status>,
    error: RwSignal<Option<String>>,
    view: ConnectionView,
) -> impl IntoView {
    let api_key = RwSignal::new(String::new());
    let remember = RwSignal::new(view.remember_key);
    let busy = RwSignal::new(false);
    let connect = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        error.set(None);
        let request = UiToWorker::Connect {
            api_key: api_key.get_untracked(),
        };
        let storage = UiToWorker::SetKeyStorage {
            remember: remember.get_untracked(),
        };
        spawn_local(async move {
            let reply = match ask_worker(&storage).await {
                Ok(WorkerReply::Connection(_)) => ask_worker(&request).await,
                other => other,
            };
            match reply {
                Ok(WorkerReply::Connection(view)) if view.connected => {
                    status.set(Status::Connected(view))
                }
                Ok(WorkerReply::Error { message }) | Err(message) => error.set(Some(message)),
                Ok(_) => error.set(Some(text::EXTENSION_UNAVAILABLE.into())),
            }
            busy.set(false);
        });
    };
    let ended = view
        .session_ended
        .then(|| view! { <p class="warning">{text::SESSION_ENDED}</p> });
    view! {
        {ended}
        <form on:submit=connect class="connect">
            <label for="api-key">{text::API_KEY_LABEL}</label>
            <input id="api-key" type="password" autocomplete="off" spellcheck="false"
                aria-label=text::API_KEY_LABEL
                prop:value=move || api_key.get()
                on:input=move |ev| api_key.set(event_target_value(&ev)) />
            <div class="row">
                <input id="remember-key" type="checkbox"
                    prop:checked=move || remember.get()
                    on:change=move |ev| remember.set(event_target_checked(&ev)) />
                <label for="remember-key" class="inline">{text::REMEMBER_KEY}</label>
            </div>
            <p class="hint">{text::REMEMBER_KEY_HELP}</p>
            <button type="submit" disabled=move || busy.get()>{text::CONNECT}</button>
        </form>
    }
}

/// The searches seen on Fetcher, each with its automation form.
#[component]
fn SyncSection() -> impl IntoView {
    let searches = RwSignal::new(None::<Vec<SearchItem>>);
    let jobs = RwSignal::new(None::<Vec<JobChoice>>);
    let problem = RwSignal::new(None::<String>);
    spawn_local(async move {
        match ask_worker(&UiToWorker::ListSearches).await {
            Ok(WorkerReply::Searches(view)) => searches.set(Some(view.searches)),
            Ok(WorkerReply::Error { message }) | Err(message) => problem.set(Some(message)),
            Ok(_) => problem.set(Some(text::EXTENSION_UNAVAILABLE.into())),
        }
        match ask_worker(&UiToWorker::ListJobs { refresh: false }).await {
            Ok(WorkerReply::Jobs { jobs: list, .. }) => jobs.set(Some(list)),
            Ok(WorkerReply::Error { message }) | Err(message) => {
                problem.set(Some(format!("{} {message}", text::JOBS_UNAVAILABLE)))
            }
            Ok(_) => problem.set(Some(text::JOBS_UNAVAILABLE.into())),
        }
    });
    let on_save = Callback::new(
        move |(automation, notice): (SearchAutomation, RwSignal<Option<Notice>>)| {
            spawn_local(async move {
                let request = UiToWorker::SaveAutomation { automation };
                match ask_worker(&request).await {
                    Ok(WorkerReply::Searches(_)) => {
                        notice.set(Some(Notice::Done(text::SAVED.into())))
                    }
                    Ok(WorkerReply::Error { message }) | Err(message) => {
                        notice.set(Some(Notice::Failed(message)))
                    }
                    Ok(_) => notice.set(Some(Notice::Failed(text::EXTENSION_UNAVAILABLE.into()))),
                }
            });
        },
    );
    view! {
        <section class="sync" aria-label=text::SYNC_HEADING>
            <h2>{text::SYNC_HEADING}</h2>
            {move || problem.get().map(|p| view! { <p class="warning">{p}</p> })}
            {move || match searches.get() {
                None => view! { <p class="muted">{text::LOADING}</p> }.into_any(),
                Some(list) if list.is_empty() => {
                    view! { <p class="muted">{text::NO_SEARCHES_YET}</p> }.into_any()
                }
                Some(list) => list
                    .into_iter()
                    .map(|item| view! { <SearchCard item jobs on_save /> })
                    .collect_view()
                    .into_any(),
            }}
        </section>
    }
}

/// Recent uploads and failures.
#[component]
fn ActivitySection() -> impl IntoView {
    let items = RwSignal::new(None::<Vec<crate::messages::ActivityItem>>);
    let notice = RwSignal::new(None::<Notice>);
    let load = move || {
        spawn_local(async move {
            match ask_worker(&UiToWorker::ListActivity).await {
                Ok(WorkerReply::Activity { items: list }) => items.set(Some(list)),
                Ok(WorkerReply::Error { message }) | Err(message) => {
                    notice.set(Some(Notice::Failed(message)))
                }
                Ok(_) => {}
            }
        })
    };
    load();
    let on_retry = Callback::new(move |item: crate::messages::ActivityItem| {
        spawn_local(async move {
            let request = UiToWorker::RetryFromActivity {
                search_id: item.search_id,
                candidate_id: item.candidate_id,
            };
            match ask_worker(&request).await {
                Ok(WorkerReply::Ok) => load(),
                Ok(WorkerReply::Error { message }) | Err(message) => {
                    notice.set(Some(Notice::Failed(message)))
                }
                Ok(_) => {}
            }
        });
    });
    view! {
        <section class="activity" aria-label=text::ACTIVITY_HEADING>
            <h2>{text::ACTIVITY_HEADING}</h2>
            {move || items.get().map(|items| view! { <ActivityList items on_retry /> })}
            <NoticeLine notice />
        </section>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::wasm_bindgen_test;

    async fn next_tick() {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }

    #[wasm_bindgen_test]
    async fn without_a_worker_the_popup_offers_the_key_form_and_says_why() {
        let document = web_sys::window().unwrap().document().unwrap();
        let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&host).unwrap();
        let _mounted = leptos::mount::mount_to(host.clone(), Popup);
        // A test page has no chrome.runtime: the worker is "not answering".
        next_tick().await;
        let key_box = host
            .query_selector("input[aria-label='Ashby API key']")
            .unwrap();
        assert!(key_box.is_some(), "the disconnected form is shown");
        let remember = host
            .query_selector("#remember-key")
            .unwrap()
            .expect("a choice");
        let remember: web_sys::HtmlInputElement = remember.unchecked_into();
        assert!(
            !remember.checked(),
            "by default the key is kept only for the session"
        );
        let alert = host
            .query_selector("[role=alert]")
            .unwrap()
            .expect("an alert");
        assert_eq!(
            alert.text_content().as_deref(),
            Some(text::EXTENSION_UNAVAILABLE)
        );
    }
}
