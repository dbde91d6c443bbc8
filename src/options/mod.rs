//! The options page (Leptos): connection details and Disconnect.

use crate::browser::ask_worker;
use crate::messages::{ConnectionView, UiToWorker, WorkerReply};
use crate::text;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;

/// Called by `options-boot.js` after the wasm module is instantiated.
#[wasm_bindgen]
pub fn start_options() {
    leptos::mount::mount_to_body(OptionsPage);
}

#[component]
fn OptionsPage() -> impl IntoView {
    let connection = RwSignal::new(None::<ConnectionView>);
    let message = RwSignal::new(None::<String>);
    spawn_local(async move {
        match ask_worker(&UiToWorker::ConnectionStatus).await {
            Ok(WorkerReply::Connection(view)) => connection.set(Some(view)),
            Ok(_) => {}
            Err(failure) => message.set(Some(failure)),
        }
    });
    let disconnect = move |_| {
        spawn_local(async move {
            match ask_worker(&UiToWorker::Disconnect).await {
                Ok(WorkerReply::Ok) => {
                    connection.set(Some(ConnectionView::default()));
                    message.set(Some(text::DISCONNECTED.into()));
                }
                Ok(WorkerReply::Error { message: failure }) | Err(failure) => {
                    message.set(Some(failure))
                }
                Ok(_) => message.set(Some(text::EXTENSION_UNAVAILABLE.into())),
            }
        });
    };
    view! {
        <main id="fetcher-ashby-options">
            <h1>{text::OPTIONS_TITLE}</h1>
            <p>{move || match connection.get() {
                Some(ConnectionView { connected: true, key_title, .. }) =>
                    format!("{} {}", text::CONNECTED_AS, key_title.unwrap_or_default()),
                Some(_) => text::NOT_CONNECTED.to_owned(),
                None => text::LOADING.to_owned(),
            }}</p>
            <button type="button" on:click=disconnect>{text::DISCONNECT}</button>
            <p role="status">{move || message.get().unwrap_or_default()}</p>
        </main>
    }
}
