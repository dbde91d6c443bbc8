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
mod host_access;
mod notices;
mod problems;
mod search_form;
mod search_lines;
mod search_list;
mod searches;
mod startup;
mod this_page;

use crate::browser::ask_worker;
use crate::messages::{Connect, ConnectionView, SetKeyStorage};
use crate::page_components::work::Work;
use crate::page_components::{handler, line, line_while, redrawn};
use crate::text;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// Called by `popup-boot.js` after the wasm module is instantiated, with the storage reads
/// it started meanwhile ([`startup::Early`]).
#[wasm_bindgen]
pub fn start_popup(early: JsValue) {
    startup::begin(startup::Early::read(&early));
    leptos::mount::mount_to_body(Popup);
}

/// What the popup knows about the connection.
#[derive(Clone, PartialEq)]
enum Status {
    Loading,
    Disconnected(ConnectionView),
    Connected(ConnectionView),
}

/// What the key form submits: the key, and whether to keep it beyond the session.
#[derive(Clone)]
struct KeyEntry {
    api_key: String,
    remember: bool,
}

/// Sets where the key is kept, then connects with it; the view when Ashby accepted it.
async fn connect_with(entry: KeyEntry) -> Result<ConnectionView, String> {
    ask_worker(SetKeyStorage {
        remember: entry.remember,
    })
    .await?;
    let view = ask_worker(Connect {
        api_key: entry.api_key,
    })
    .await?;
    // Ashby accepted the key but the worker could not keep it.
    view.connected
        .then_some(view)
        .ok_or_else(|| text::EXTENSION_UNAVAILABLE.to_owned())
}

/// What the popup shows: the shape only, so a new view of the same shape updates the parts
/// that show it instead of building the popup again.
#[derive(Clone, PartialEq)]
enum Layout {
    Loading,
    Disconnected(Box<ConnectionView>),
    Connected,
}

#[component]
fn Popup() -> impl IntoView {
    // The worker's answer when the popup opened, then a Connect's.
    let connection = Work::load(|| async { Ok(startup::connection().await?) });
    // What the worker said last time, from storage, until it answers now.
    let remembered = Work::load(|| async { Ok(startup::remembered_connection().await) });
    // A failed Connect leaves the form as it was; a failed opening shows the form.
    let status = Memo::new(move |before: Option<&Status>| match connection.value() {
        None => match remembered.value() {
            Some(Ok(Some(view))) if view.connected => Status::Connected(view),
            _ => Status::Loading,
        },
        Some(Ok(view)) if view.connected => Status::Connected(view),
        Some(Ok(view)) => Status::Disconnected(view),
        Some(Err(_)) => match before {
            Some(Status::Disconnected(view)) => Status::Disconnected(view.clone()),
            _ => Status::Disconnected(ConnectionView::default()),
        },
    });
    let layout = Memo::new(move |_| match status.get() {
        Status::Loading => Layout::Loading,
        Status::Disconnected(view) => Layout::Disconnected(Box::new(view)),
        Status::Connected(_) => Layout::Connected,
    });
    // The last request's failure (none while one is under way).
    let error = move || {
        if connection.pending() {
            return None;
        }
        connection.value()?.err()
    };
    view! {
        <main id="fetcher-ashby-popup">
            <h1>{text::PRODUCT_NAME}</h1>
            <host_access::HostAccess />
            {move || match status.get() {
                Status::Connected(view) | Status::Disconnected(view) => view.page_problem,
                Status::Loading => None,
            }.map(|problem| line("page-problem", Some("note"), text::page_problem(&problem)))}
            {move || match layout.get() {
                Layout::Loading => EitherOf3::A(line("", None, text::LOADING)),
                // Only the opening's answer shows the form (a failed Connect leaves the same
                // view, so this does not run again while the recruiter types the key).
                Layout::Disconnected(view) => {
                    EitherOf3::B(redrawn(view! { <ConnectForm connect=connection view=*view /> }))
                }
                Layout::Connected => EitherOf3::C(redrawn(view! { <Connected status /> })),
            }}
            {line_while("error", Some("alert"), Box::new(error))}
        </main>
    }
}

/// The connected popup. Problems sit at the top, expanded, each saying what to do; a part
/// with nothing to report renders nothing. The connection may change while it is shown (the
/// worker's answer after the one remembered): only the parts showing it are rendered again.
#[component]
fn Connected(status: Memo<Status>) -> impl IntoView {
    view! {
        <div class="top">
            <problems::Problems status />
            {move || match status.get() {
                Status::Connected(view) => Some(redrawn(view! { <connection::Connection view /> })),
                // Leaving the connected layout: it is taken down next.
                _ => None,
            }}
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

#[component]
fn ConnectForm(connect: Work<ConnectionView>, view: ConnectionView) -> impl IntoView {
    // The controls hold what the recruiter set: read when the form is sent.
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(form) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let control = |selector: &str| {
            form.query_selector(selector)
                .ok()
                .flatten()
                .and_then(|control| control.dyn_into::<web_sys::HtmlInputElement>().ok())
        };
        let entry = KeyEntry {
            api_key: control("#api-key")
                .map(|key| key.value())
                .unwrap_or_default(),
            remember: control("#remember-key").is_some_and(|remember| remember.checked()),
        };
        connect.run(move || connect_with(entry.clone()));
    };
    let ended = view
        .session_ended
        .then(|| line("warning", None, text::SESSION_ENDED));
    view! {
        {ended}
        <form on:submit=handler(submit) class="connect">
            <label for="api-key">{text::API_KEY_LABEL}</label>
            <input id="api-key" type="password" autocomplete="off" spellcheck="false"
                aria-label=text::API_KEY_LABEL />
            <div class="row">
                <input id="remember-key" type="checkbox"
                    checked=view.remember_key />
                <label for="remember-key" class="inline">{text::REMEMBER_KEY}</label>
            </div>
            <p class="hint">{text::REMEMBER_KEY_HELP}</p>
            <button type="submit" disabled=move || connect.pending()>{text::CONNECT}</button>
        </form>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use crate::page_components::test_input::{host, next_tick};
    use wasm_bindgen_test::wasm_bindgen_test;

    /// A browser whose worker never answers, with the worker's last answers in `.session`
    /// (`connection` and `searches` as JSON text); every other chrome.* call stays pending.
    /// `globalThis.firstMessageFound` is whether `host` held the popup's connection section
    /// when the popup sent the worker its first message.
    fn silent_worker_with_remembered(connection: &str, searches: &str, host: &web_sys::Element) {
        let install = js_sys::Function::new_with_args(
            "connection, searches, host, shown",
            "const pending = () => new Promise(() => {});
             const api = (overrides) => new Proxy(overrides, {
               get: (target, name) => name in target ? target[name] : () => pending(),
             });
             delete globalThis.firstMessageFound;
             globalThis.chrome = {
               runtime: api({
                 onMessage: { addListener() {} },
                 sendMessage: () => {
                   globalThis.firstMessageFound ??= host.querySelector(shown) !== null;
                   return pending();
                 },
               }),
               storage: {
                 session: api({ get: async (key) => ({ 'popup/connection': connection,
                   'popup/searches': searches })[key] === undefined ? {} :
                   { [key]: ({ 'popup/connection': connection, 'popup/searches': searches })[key] } }),
                 local: api({ get: async () => ({}) }),
                 onChanged: { addListener() {} },
               },
               tabs: api({ query: async () => [] }),
               permissions: api({ contains: async () => true }),
             };",
        );
        let shown = format!("section[aria-label='{}']", text::CONNECTION_HEADING);
        install
            .apply(
                &JsValue::NULL,
                &js_sys::Array::of4(&connection.into(), &searches.into(), host, &shown.into()),
            )
            .unwrap();
    }

    fn remove_chrome() {
        js_sys::Function::new_no_args("delete globalThis.chrome;")
            .call0(&JsValue::NULL)
            .unwrap();
    }

    #[wasm_bindgen_test]
    async fn with_the_worker_silent_the_popup_shows_what_it_last_answered() {
        let connection = ConnectionView {
            connected: true,
            key_title: Some("Fetcher key".into()),
            ..ConnectionView::default()
        };
        let searches = crate::messages::SearchesView {
            account_email: None,
            searches: vec![crate::messages::SearchItem {
                search_id: "s1".into(),
                title: Some("Platform Engineers".into()),
                owner_email: None,
                read_only_reason: None,
                automation: crate::domain::SearchAutomation::off("s1".into()),
                uploaded: 0,
                automation_paused: None,
            }],
        };
        let json = |value: JsValue| {
            js_sys::JSON::stringify(&value)
                .unwrap()
                .as_string()
                .unwrap()
        };
        let host = host();
        silent_worker_with_remembered(
            &json(crate::browser::json_to_js(&connection).unwrap()),
            &json(crate::browser::json_to_js(&searches).unwrap()),
            &host,
        );
        startup::begin(startup::Early::read(&JsValue::UNDEFINED));
        let _mounted = leptos::mount::mount_to(host.clone(), Popup);
        next_tick().await;
        // The held messages go after a timer: wait for the first one.
        let first_message_found = || {
            js_sys::Reflect::get(&js_sys::global(), &"firstMessageFound".into())
                .unwrap()
                .as_bool()
        };
        for _ in 0..50 {
            if first_message_found().is_some() {
                break;
            }
            crate::browser::global::sleep(10.0).await;
        }
        let shown = |selector: &str| host.query_selector(selector).unwrap().is_some();
        let connection_section = format!("section[aria-label='{}']", text::CONNECTION_HEADING);
        let first_search = host.query_selector("section.search h3").unwrap();
        remove_chrome();
        assert!(
            shown(&connection_section),
            "the connection as last answered"
        );
        assert!(!shown("#api-key"), "no key form while the worker is silent");
        assert_eq!(
            first_message_found(),
            Some(true),
            "the worker is asked once what storage holds is shown, not while the popup renders"
        );
        assert_eq!(
            first_search
                .and_then(|title| title.text_content())
                .as_deref()
                .map(|t| t.contains("Platform Engineers")),
            Some(true),
            "the searches as last listed"
        );
    }

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
