//! The popup (Leptos): connect with an Ashby API key and see the connection.

use crate::browser::ask_worker;
use crate::messages::{ConnectionView, UiToWorker, WorkerReply};
use crate::text;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;

/// Called by `popup-boot.js` after the wasm module is instantiated.
#[wasm_bindgen]
pub fn start_popup() {
    leptos::mount::mount_to_body(Popup);
}

/// What the popup knows about the connection.
#[derive(Clone, PartialEq)]
enum Status {
    Loading,
    Disconnected,
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
            Ok(_) => status.set(Status::Disconnected),
            Err(message) => {
                status.set(Status::Disconnected);
                error.set(Some(message));
            }
        }
    });
    view! {
        <main id="fetcher-ashby-popup">
            <h1>{text::PRODUCT_NAME}</h1>
            {move || match status.get() {
                Status::Loading => view! { <p>{text::LOADING}</p> }.into_any(),
                Status::Disconnected => view! { <ConnectForm status error /> }.into_any(),
                Status::Connected(view) => view! { <ConnectedSummary view /> }.into_any(),
            }}
            <Show when=move || error.get().is_some()>
                <p role="alert" class="error">{move || error.get().unwrap_or_default()}</p>
            </Show>
        </main>
    }
}

#[component]
fn ConnectForm(status: RwSignal<Status>, error: RwSignal<Option<String>>) -> impl IntoView {
    let api_key = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let connect = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        error.set(None);
        let request = UiToWorker::Connect {
            api_key: api_key.get_untracked(),
        };
        spawn_local(async move {
            match ask_worker(&request).await {
                Ok(WorkerReply::Connection(view)) => status.set(Status::Connected(view)),
                Ok(WorkerReply::Error { message }) | Err(message) => error.set(Some(message)),
                Ok(_) => error.set(Some(text::EXTENSION_UNAVAILABLE.into())),
            }
            busy.set(false);
        });
    };
    view! {
        <form on:submit=connect>
            <label for="api-key">{text::API_KEY_LABEL}</label>
            <input id="api-key" type="password" autocomplete="off" spellcheck="false"
                aria-label=text::API_KEY_LABEL
                prop:value=move || api_key.get()
                on:input=move |ev| api_key.set(event_target_value(&ev)) />
            <button type="submit" disabled=move || busy.get()>{text::CONNECT}</button>
        </form>
    }
}

#[component]
fn ConnectedSummary(view: ConnectionView) -> impl IntoView {
    let title = view.key_title.unwrap_or_default();
    view! {
        <section aria-label=text::CONNECTION_HEADING>
            <p role="status">{format!("{} {title}", text::CONNECTED_AS)}</p>
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
