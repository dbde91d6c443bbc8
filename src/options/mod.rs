//! The options page (Leptos): connection details, where the key is kept, and Disconnect.

mod connection_details;

use crate::browser::ask_worker;
use crate::messages::{
    ConnectionStatus, ConnectionView, Disconnect, Done, ForgetAutomation, SetKeyStorage,
};
use crate::page_components::{Notice, NoticeLine};
use crate::text;
use connection_details::ConnectionDetails;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// Called by `options-boot.js` after the wasm module is instantiated.
#[wasm_bindgen]
pub fn start_options() {
    leptos::mount::mount_to_body(OptionsPage);
}

/// What the page asks of the worker: the connection when it opens, then each change the
/// recruiter makes. One Action runs them all, so the page pays for one Action type.
#[derive(Clone, Copy)]
enum Change {
    Open,
    KeyStorage {
        remember: bool,
    },
    /// `remember`: where the key is kept, shown again on the disconnected page.
    Disconnect {
        forget_settings: bool,
        remember: bool,
    },
}

/// What the worker answered.
#[derive(Clone)]
enum Changed {
    Opened(Box<ConnectionView>),
    KeyStorage { remember: bool },
    Disconnected { forgot: bool, remember: bool },
}

async fn apply(change: Change) -> Result<Changed, String> {
    match change {
        Change::Open => Ok(Changed::Opened(Box::new(
            ask_worker(ConnectionStatus).await?,
        ))),
        Change::KeyStorage { remember } => {
            let view = ask_worker(SetKeyStorage { remember }).await?;
            Ok(Changed::KeyStorage {
                remember: view.remember_key,
            })
        }
        Change::Disconnect {
            forget_settings,
            remember,
        } => {
            let Done {} = ask_worker(Disconnect).await?;
            if forget_settings {
                let Done {} = ask_worker(ForgetAutomation).await?;
            }
            Ok(Changed::Disconnected {
                forgot: forget_settings,
                remember,
            })
        }
    }
}

#[component]
fn OptionsPage() -> impl IntoView {
    let change = Action::new_local(|change: &Change| apply(*change));
    change.dispatch_local(Change::Open);
    // The latest answer is the notice under the page (the opening's only when it failed).
    let notice = Signal::derive(move || match change.value().get()? {
        Ok(Changed::Opened(_)) => None,
        Ok(Changed::KeyStorage { .. }) => Some(Notice::Done(text::KEY_STORAGE_CHANGED.into())),
        Ok(Changed::Disconnected { forgot, .. }) => Some(Notice::Done(
            if forgot {
                text::DISCONNECTED_SETTINGS_FORGOTTEN
            } else {
                text::DISCONNECTED_SETTINGS_KEPT
            }
            .into(),
        )),
        Err(message) => Some(Notice::Failed(message)),
    });
    // The connection as the page opened on it, then as disconnected (a later failed change
    // does not undo that); `None` until the worker answered.
    let shown =
        Memo::new(
            move |before: Option<&Option<ConnectionView>>| match change.value().get() {
                Some(Ok(Changed::Opened(view))) => Some(*view),
                Some(Ok(Changed::Disconnected { remember, .. })) => Some(ConnectionView {
                    remember_key: remember,
                    ..ConnectionView::default()
                }),
                _ => before.cloned().flatten(),
            },
        );
    view! {
        <main id="fetcher-ashby-options">
            <h1>{text::OPTIONS_TITLE}</h1>
            {move || match shown.get() {
                // Also when the worker did not answer: the notice below says so.
                None => view! { <p>{text::LOADING}</p> }.into_any(),
                Some(view) => view! { <Settings view change /> }.into_any(),
            }}
            <NoticeLine notice />
        </main>
    }
}

#[component]
fn Settings(
    view: ConnectionView,
    change: Action<Change, Result<Changed, String>>,
) -> impl IntoView {
    let details = if view.connected {
        view! { <ConnectionDetails view=view.clone() /> }.into_any()
    } else if view.session_ended {
        view! { <p class="warning">{text::SESSION_ENDED}</p> }.into_any()
    } else {
        view! { <p>{text::NOT_CONNECTED}</p> }.into_any()
    };
    // A list fixed for this view: rendered once, so no keyed `<For>`.
    let problems = (!view.storage_problems.is_empty()).then(|| {
        let lines = view
            .storage_problems
            .iter()
            .map(|p| view! { <li>{p.clone()}</li> })
            .collect_view();
        view! {
            <section class="warning" aria-label=text::STORAGE_PROBLEMS_HEADING>
                <p>{text::STORAGE_PROBLEMS_HEADING}</p>
                <ul>{lines}</ul>
            </section>
        }
    });
    // The choice being saved, then what the worker kept; a refused change keeps the choice.
    let initial = view.remember_key;
    let remember = Memo::new(move |before: Option<&bool>| {
        match (change.input().get(), change.value().get()) {
            (Some(Change::KeyStorage { remember }), _)
            | (None, Some(Ok(Changed::KeyStorage { remember }))) => remember,
            _ => before.copied().unwrap_or(initial),
        }
    });
    let choose = move |remember: bool| {
        change.dispatch_local(Change::KeyStorage { remember });
    };
    let forget = RwSignal::new(false);
    let disconnect = move |_| {
        change.dispatch_local(Change::Disconnect {
            forget_settings: forget.get_untracked(),
            remember: remember.get_untracked(),
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
                    on:change=move |_| choose(false) />
                <label for="key-session" class="inline">{text::KEY_IN_SESSION}</label>
            </div>
            <div class="row">
                <input id="key-local" type="radio" name="key-storage"
                    prop:checked=move || remember.get()
                    on:change=move |_| choose(true) />
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
                    on:change=move |ev| forget.set(event_target_checked(&ev)) />
                <label for="forget-automation" class="inline">{text::FORGET_AUTOMATION}</label>
            </div>
            <button type="button" on:click=disconnect>{text::DISCONNECT}</button>
        </section>
    }
}
