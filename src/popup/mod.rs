//! The popup (Leptos): connect with an Ashby API key, see the connection and its permissions,
//! set each Fetcher search's automation ("Ashby Sync"), and see recent uploads.

mod activity_csv;

use crate::browser::{ask_worker, now_ms};
use crate::domain::SearchAutomation;
use crate::messages::{ConnectionView, JobChoice, SearchItem, UiToWorker, WorkerReply};
use crate::page_components::{ActivityList, ConnectionDetails, Notice, NoticeLine, SearchCard};
use crate::text;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

mod held_uploads;
mod host_access;
mod safeguards;
mod this_page;

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
                    <held_uploads::HeldUploads />
                    <safeguards::Safeguards />
                    <SyncSection />
                    <ActivitySection />
                    <p class="footer">
                        <a href="../options/index.html" target="_blank">{text::SETTINGS_LINK}</a>
                    </p>
                }.into_any(),
            }}
            <this_page::ThisPage />
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
    // Search id → title, for the CSV export (the activity records only the search's id).
    let search_titles = RwSignal::new(BTreeMap::<String, String>::new());
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
    // Titles first, so the list (and its Export button) appears with them known.
    spawn_local(async move {
        if let Ok(WorkerReply::Searches(view)) = ask_worker(&UiToWorker::ListSearches).await {
            search_titles.set(
                view.searches
                    .into_iter()
                    .filter_map(|s| Some((s.search_id, s.title?)))
                    .collect(),
            );
        }
        load();
    });
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
            <Show when=move || items.with(|i| i.as_ref().is_some_and(|i| !i.is_empty()))>
                <button type="button" class="secondary" on:click=move |_| {
                    let csv = items.with_untracked(|i| {
                        search_titles.with_untracked(|titles| {
                            activity_csv::activity_csv(i.as_deref().unwrap_or_default(), titles)
                        })
                    });
                    if download(&activity_csv::file_name(now_ms()), &csv).is_err() {
                        notice.set(Some(Notice::Failed(text::EXPORT_FAILED.into())));
                    }
                }>{text::EXPORT_CSV}</button>
            </Show>
            <NoticeLine notice />
        </section>
    }
}

/// Saves `content` as a file through a temporary object URL and `<a download>` (no markup is
/// built from the data; it only ever becomes the Blob's bytes).
fn download(file_name: &str, content: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let document = window.document().ok_or(JsValue::NULL)?;
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.set_hidden(true);
    document.body().ok_or(JsValue::NULL)?.append_child(&link)?;
    link.click();
    link.remove();
    // Revoked a little later: revoking during the click can cancel the download in Firefox.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000)?;
    Ok(())
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
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
