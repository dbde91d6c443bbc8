//! "This page": what the extension recognised on the Fetcher tab the popup was opened on
//! (asked of that tab's content script), a "Copy report" without personal data, and, on a
//! candidate profile, "Send this profile to Ashby" (the menu item's flow, without the menu).
//! Uses `chrome.tabs.query` / `sendMessage` only: no `tabs` permission (the Fetcher host
//! permission lets the popup see which tabs are Fetcher's).

use crate::browser::tabs::{self, TabQuery};
use crate::browser::{decode_js, json_to_js, runtime};
use crate::fetcher::page_report::{PageKind, PageReport};
use crate::messages::{ContentAnswer, PopupToContent, FETCHER_ORIGIN};
use crate::page_components::dom::{append, button, element, pressed_button_id, set};
use crate::page_components::effect::derived;
use crate::page_components::work::Work;
use crate::page_components::{handler, line, Notice, NoticeLine};
use crate::text;
use leptos::either::Either;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::Element;

/// What the section shows.
#[derive(Clone, PartialEq)]
enum Seen {
    /// The popup was not opened on a Fetcher tab.
    NoFetcherTab,
    /// A Fetcher tab whose content script does not answer (not loaded yet, or blocked).
    NotAnswering,
    Report {
        tab_id: f64,
        report: PageReport,
    },
}

/// The Fetcher tab "this page" means, and whether the popup runs in a tab of its own.
async fn fetcher_tab() -> (Option<f64>, bool) {
    // In the toolbar popup `getCurrent` gives nothing and the page is the active tab of the
    // popup's window; opened in a tab of its own, it is the Fetcher tab used last.
    let in_tab = tabs::in_own_tab().await;
    let pattern = format!("{FETCHER_ORIGIN}*");
    let query = if in_tab {
        TabQuery::Url(&pattern)
    } else {
        TabQuery::ActiveInCurrentWindow
    };
    let Ok(found) = tabs::query(query).await else {
        return (None, in_tab);
    };
    let best = found
        .into_iter()
        .filter(|tab| {
            tab.url
                .as_deref()
                .is_some_and(|url| url.starts_with(FETCHER_ORIGIN))
        })
        .max_by(|a, b| a.last_accessed_ms.total_cmp(&b.last_accessed_ms))
        .and_then(|tab| tab.id);
    (best, in_tab)
}

async fn ask_tab(tab_id: f64, request: &PopupToContent) -> Option<ContentAnswer> {
    let message = json_to_js(request).ok()?;
    let reply = tabs::send_message(tab_id, &message).await.ok()?;
    decode_js(&reply).ok()
}

/// The extension's version and the browser, for the report's first lines.
fn version_and_browser() -> (String, String) {
    let version = runtime::manifest_version();
    let browser = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"navigator".into()).ok())
        .and_then(|n| js_sys::Reflect::get(&n, &"userAgent".into()).ok())
        .and_then(|ua| ua.as_string())
        .unwrap_or_default();
    (version, browser)
}

/// `navigator.clipboard.writeText(text)`.
async fn copy_to_clipboard(text: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let navigator = js_sys::Reflect::get(&window, &"navigator".into())?;
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())?;
    let write: js_sys::Function =
        js_sys::Reflect::get(&clipboard, &"writeText".into())?.dyn_into()?;
    let promise: js_sys::Promise = write.call1(&clipboard, &text.into())?.dyn_into()?;
    JsFuture::from(promise).await.map(drop)
}

/// What the popup found when it opened: the page, and whether it runs in a tab of its own.
#[derive(Clone)]
struct Looked {
    seen: Seen,
    in_tab: bool,
}

async fn look() -> Looked {
    let (tab, in_tab) = fetcher_tab().await;
    let seen = match tab {
        None => Seen::NoFetcherTab,
        Some(tab_id) => match ask_tab(tab_id, &PopupToContent::DescribePage).await {
            Some(ContentAnswer::Page(report)) => Seen::Report { tab_id, report },
            _ => Seen::NotAnswering,
        },
    };
    Looked { seen, in_tab }
}

/// The section's two buttons.
#[derive(Clone)]
enum PageAction {
    CopyReport(PageReport),
    Send { tab_id: f64, in_tab: bool },
}

/// Runs a button's request; the notice to show, if any.
async fn run(action: PageAction) -> Option<Notice> {
    match action {
        PageAction::CopyReport(report) => {
            let (version, browser) = version_and_browser();
            let report_text = report.to_text(&version, &browser);
            Some(match copy_to_clipboard(&report_text).await {
                Ok(()) => Notice::Done(text::REPORT_COPIED.into()),
                Err(_) => Notice::Failed(text::REPORT_COPY_FAILED.into()),
            })
        }
        PageAction::Send { tab_id, in_tab } => {
            match ask_tab(tab_id, &PopupToContent::OpenSendDialog).await {
                Some(ContentAnswer::Ok) => {
                    // The dialog is in the page: get out of its way.
                    if in_tab {
                        let _ = tabs::activate(tab_id).await;
                    } else if let Some(window) = web_sys::window() {
                        let _ = window.close();
                    }
                    None
                }
                Some(ContentAnswer::Error { message }) => Some(Notice::Failed(message)),
                _ => Some(Notice::Failed(text::THIS_PAGE_NOT_ANSWERING.into())),
            }
        }
    }
}

/// Runs a button's request as the section's work.
fn dispatch(act: Work<Option<Notice>>, action: PageAction) {
    act.run(move || {
        let action = action.clone();
        async move { Ok(run(action).await) }
    });
}

#[component]
pub fn ThisPage() -> impl IntoView {
    let looked = Work::load(|| async { Ok(look().await) });
    let act = Work::<Option<Notice>>::new();
    // The latest notice a button gave (a Send that opened the dialog gives none).
    let notice = derived(None, move |before: &Option<Notice>| {
        act.value()
            .and_then(Result::ok)
            .flatten()
            .or_else(|| before.clone())
    });
    view! {
        <section class="this-page" aria-labelledby="this-page-heading">
            <h2 id="this-page-heading">{text::THIS_PAGE_HEADING}</h2>
            {move || match looked.value().and_then(Result::ok) {
                None => Either::Left(line("muted", None, text::LOADING)),
                Some(Looked { seen, in_tab }) => {
                    let pressed = seen.clone();
                    let on_click = move |event: web_sys::MouseEvent| {
                        if let Some(action) = action_of(&pressed, in_tab, &event) {
                            dispatch(act, action);
                        }
                    };
                    Either::Right(view! {
                        <div class="found" use:draw_found=seen on:click=handler(on_click)></div>
                    })
                }
            }}
            <NoticeLine notice />
        </section>
    }
}

const SEND_BUTTON_ID: &str = "send-this-profile";
const COPY_BUTTON_ID: &str = "copy-report";

/// The action of the button a click on the found area pressed, if any.
fn action_of(seen: &Seen, in_tab: bool, event: &web_sys::MouseEvent) -> Option<PageAction> {
    let Seen::Report { tab_id, report } = seen else {
        return None;
    };
    match pressed_button_id(event)?.as_str() {
        SEND_BUTTON_ID => Some(PageAction::Send {
            tab_id: *tab_id,
            in_tab,
        }),
        COPY_BUTTON_ID => Some(PageAction::CopyReport(report.clone())),
        _ => None,
    }
}

/// What was found on the page, with its buttons, drawn by hand as Leptos builds the area (a
/// report's lines are fixed once found: as Leptos views they cost ~3 KB of wasm).
fn draw_found(area: Element, seen: Seen) {
    let report = match seen {
        Seen::NoFetcherTab => {
            append(&area, element("p", "muted", text::THIS_PAGE_NO_FETCHER_TAB));
            return;
        }
        Seen::NotAnswering => {
            append(
                &area,
                element("p", "warning", text::THIS_PAGE_NOT_ANSWERING),
            );
            return;
        }
        Seen::Report { report, .. } => report,
    };
    if report.page == PageKind::Profile {
        button(&area, "", text::SEND_THIS_PROFILE, SEND_BUTTON_ID);
    }
    let list = append(&area, element("dl", "page-report", ""));
    for line in report.lines() {
        append(&list, element("dt", "", line.label));
        let class = if line.problem { "problem" } else { "" };
        append(&list, element("dd", class, &line.value));
    }
    if let Some(reason) = report.automation_blocked() {
        let blocked = format!("{}: {reason}", text::REPORT_AUTOMATION);
        set(
            &append(&area, element("p", "warning", &blocked)),
            "role",
            "note",
        );
    }
    button(&area, "secondary", text::COPY_REPORT, COPY_BUTTON_ID);
}
