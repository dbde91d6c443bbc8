//! The options page (Leptos): connection details, where the key is kept, and Disconnect.

mod connection_details;

use crate::browser::ask_worker;
use crate::messages::{
    ConnectionStatus, ConnectionView, Disconnect, Done, ForgetAutomation, SetKeyStorage,
};
use crate::page_components::{handler, line, redrawn, Notice, NoticeLine};
use crate::text;
use connection_details::ConnectionDetails;
use leptos::either::Either;
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
    let notice = RwSignal::new(None::<Notice>);
    spawn_local(async move {
        match ask_worker(ConnectionStatus).await {
            Ok(view) => connection.set(Some(view)),
            Err(failure) => notice.set(Some(Notice::Failed(failure.into()))),
        }
    });
    view! {
        <main id="fetcher-ashby-options">
            <h1>{text::OPTIONS_TITLE}</h1>
            {move || match connection.get() {
                None => Either::Left(line("", None, text::LOADING)),
                Some(view) => Either::Right(redrawn(view! { <Settings view connection notice /> })),
            }}
            <NoticeLine notice />
        </main>
    }
}

#[component]
fn Settings(
    view: ConnectionView,
    connection: RwSignal<Option<ConnectionView>>,
    notice: RwSignal<Option<Notice>>,
) -> impl IntoView {
    let details = if view.connected {
        Either::Left(view! { <ConnectionDetails view=view.clone() /> })
    } else if view.session_ended {
        Either::Right(line("warning", None, text::SESSION_ENDED))
    } else {
        Either::Right(line("", None, text::NOT_CONNECTED))
    };
    let problems = (!view.storage_problems.is_empty()).then(|| {
        let lines = view
            .storage_problems
            .iter()
            .map(|p| view! { <li>{text::storage_problem(p)}</li> })
            .collect_view();
        view! {
            <section class="warning" aria-label=text::STORAGE_PROBLEMS_HEADING>
                <p>{text::STORAGE_PROBLEMS_HEADING}</p>
                <ul>{lines}</ul>
            </section>
        }
    });
    let remember = RwSignal::new(view.remember_key);
    let choose = move |value: bool| {
        remember.set(value);
        spawn_local(async move {
            match ask_worker(SetKeyStorage { remember: value }).await {
                Ok(view) => {
                    remember.set(view.remember_key);
                    notice.set(Some(Notice::Done(text::KEY_STORAGE_CHANGED.into())));
                }
                Err(failure) => notice.set(Some(Notice::Failed(failure.into()))),
            }
        });
    };
    let forget = RwSignal::new(false);
    let disconnect = move |_| {
        let forget_settings = forget.get_untracked();
        spawn_local(async move {
            let mut reply: Result<Done, _> = ask_worker(Disconnect).await;
            if forget_settings && reply.is_ok() {
                reply = ask_worker(ForgetAutomation).await;
            }
            match reply {
                Ok(Done {}) => {
                    connection.set(Some(ConnectionView {
                        remember_key: remember.get_untracked(),
                        ..ConnectionView::default()
                    }));
                    let done = if forget_settings {
                        text::DISCONNECTED_SETTINGS_FORGOTTEN
                    } else {
                        text::DISCONNECTED_SETTINGS_KEPT
                    };
                    notice.set(Some(Notice::Done(done.into())));
                }
                Err(failure) => notice.set(Some(Notice::Failed(failure.into()))),
            }
        });
    };
    view! {
        {details}
        {problems}
        <fieldset class="storage">
            <legend>{text::KEY_STORAGE_HEADING}</legend>
            <div class="row">
                <input id="key-session" type="radio" name="key-storage"
                    prop:checked=move || !remember.get()
                    on:change=handler(move |_| choose(false)) />
                <label for="key-session" class="inline">{text::KEY_IN_SESSION}</label>
            </div>
            <div class="row">
                <input id="key-local" type="radio" name="key-storage"
                    prop:checked=move || remember.get()
                    on:change=handler(move |_| choose(true)) />
                <label for="key-local" class="inline">{text::KEY_REMEMBERED}</label>
            </div>
            <p class="hint">{text::KEY_STORAGE_HELP}</p>
        </fieldset>
        <section class="disconnect" aria-label=text::DISCONNECT>
            <h2>{text::DISCONNECT}</h2>
            <p>{text::DISCONNECT_EXPLAINED}</p>
            <div class="row">
                <input id="forget-automation" type="checkbox"
                    prop:checked=move || forget.get()
                    on:change=handler(move |ev| forget.set(event_target_checked(&ev))) />
                <label for="forget-automation" class="inline">{text::FORGET_AUTOMATION}</label>
            </div>
            <button type="button" on:click=handler(disconnect)>{text::DISCONNECT}</button>
        </section>
    }
}
