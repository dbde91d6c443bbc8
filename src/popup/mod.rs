//! The popup (Leptos): connect with an Ashby API key; then, for daily use, what needs the
//! recruiter first (problems, expanded, with what to do), the connection in one line, the
//! search in front of them with its "Ashby Sync" form open, the other searches one click away,
//! and recent uploads at a glance.
//!
//! Layout (`Connected`): a fixed top (`Problems`, then `Connection`) and one scrolling area
//! below (`This page`, the searches, recent uploads), so the popup fits the browser's 600 px.
//! Each part is a component in its own module here; mounting one is one line below.

mod activity;
mod activity_csv;
mod connection;
mod current_search;
mod held_uploads;
mod host_access;
// Also the Send dialog's (`send_page`), which lives in the same wasm module.
pub(crate) mod job_combobox;
mod safeguards;
mod search_form;
mod searches;
mod startup;
mod this_page;

use crate::browser::ask_worker;
use crate::messages::{Connect, ConnectionStatus, ConnectionView, SetKeyStorage};
use crate::text;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;

/// Called by `popup-boot.js` after the wasm module is instantiated.
#[wasm_bindgen]
pub fn start_popup() {
    startup::begin();
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
        match ask_worker(ConnectionStatus).await {
            Ok(view) if view.connected => status.set(Status::Connected(view)),
            Ok(view) => status.set(Status::Disconnected(view)),
            Err(failure) => {
                status.set(Status::Disconnected(ConnectionView::default()));
                error.set(Some(failure.into()));
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
            }.map(|problem| view! { <p role="note" class="page-problem">{text::page_problem(&problem)}</p> })}
            {move || match status.get() {
                Status::Loading => view! { <p>{text::LOADING}</p> }.into_any(),
                Status::Disconnected(view) => view! {
                    <ConnectForm status error view />
                }.into_any(),
                Status::Connected(view) => view! { <Connected view /> }.into_any(),
            }}
            <Show when=move || error.get().is_some()>
                <p role="alert" class="error">{move || error.get().unwrap_or_default()}</p>
            </Show>
        </main>
    }
}

/// The connected popup. Problems sit at the top, expanded, each saying what to do; a part
/// with nothing to report renders nothing.
#[component]
fn Connected(view: ConnectionView) -> impl IntoView {
    let paused = view.uploads_paused.as_ref().map(text::upload_problem);
    view! {
        <div class="top">
            <div class="problems">
                {paused.map(|reason| view! { <UploadsPaused reason /> })}
                <held_uploads::HeldUploads />
                <safeguards::Safeguards />
            </div>
            <connection::Connection view />
        </div>
        <div class="scroll">
            <this_page::ThisPage />
            <searches::Searches />
            <activity::Activity />
            <p class="footer">
                <a href="../options/index.html" target="_blank">{text::SETTINGS_LINK}</a>
            </p>
        </div>
    }
}

/// The upload queue waits (an auth or permission problem); the reason says what to do.
#[component]
fn UploadsPaused(reason: String) -> impl IntoView {
    view! {
        <section class="problem" aria-label=text::UPLOADS_PAUSED_HEADING>
            <p class="warning">{reason}</p>
        </section>
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
        let request = Connect {
            api_key: api_key.get_untracked(),
        };
        let storage = SetKeyStorage {
            remember: remember.get_untracked(),
        };
        spawn_local(async move {
            let reply = match ask_worker(storage).await {
                Ok(_) => ask_worker(request).await,
                Err(failure) => Err(failure),
            };
            match reply {
                Ok(view) if view.connected => status.set(Status::Connected(view)),
                // Ashby accepted the key but the worker could not keep it.
                Ok(_) => error.set(Some(text::EXTENSION_UNAVAILABLE.into())),
                Err(failure) => error.set(Some(failure.into())),
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

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use crate::page_components::test_dom::{host, next_tick};
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    async fn without_a_worker_the_popup_offers_the_key_form_and_says_why() {
        let host = host();
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
