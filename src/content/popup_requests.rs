//! Answers the popup about the Fetcher tab it was opened on (`PopupToContent`): what the
//! extension recognised here (the "This page" report, no page text in it), and "Send this
//! profile to Ashby", which opens the same flow as the ⋮ menu item without depending on it.
//! Only this extension's own pages are answered.

use super::feature::Feature;
use super::{dom, page_reader, send_menu_item};
use crate::browser::{chrome, from_js, to_js};
use crate::fetcher::page_report::{PageKind, PageReport, ProfileReport, SearchReport};
use crate::fetcher::route::FetcherRoute;
use crate::messages::{ContentAnswer, PopupToContent};
use crate::upload::pipeline::can_search;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `chrome.runtime.onMessage.addListener`, with a listener that answers through
    /// `sendResponse` (returning `true` keeps it valid for an answer given later).
    #[wasm_bindgen(js_namespace = ["chrome", "runtime", "onMessage"], js_name = addListener, catch)]
    fn add_message_listener(listener: &js_sys::Function) -> Result<(), JsValue>;
}

pub struct PopupRequests;

thread_local! {
    /// The popup's listener, held for the page's lifetime.
    static LISTENER: std::cell::RefCell<Option<PopupListener>> =
        const { std::cell::RefCell::new(None) };
}

type PopupListener = Closure<dyn FnMut(JsValue, JsValue, js_sys::Function) -> JsValue>;

impl Feature for PopupRequests {
    /// Starts answering the popup.
    fn install(&self) {
        install();
    }
}

fn install() {
    let listener = Closure::<dyn FnMut(JsValue, JsValue, js_sys::Function) -> JsValue>::new(
        |message: JsValue, sender: JsValue, respond: js_sys::Function| {
            if !from_own_page(&sender) {
                return JsValue::FALSE;
            }
            let Ok(request) = from_js::<PopupToContent>(message) else {
                // Not ours to answer (the worker's messages have their own listener).
                return JsValue::FALSE;
            };
            let reply = move |answer: ContentAnswer| {
                if let Ok(answer) = to_js(&answer) {
                    let _ = respond.call1(&JsValue::NULL, &answer);
                }
            };
            match request {
                PopupToContent::DescribePage => reply(ContentAnswer::Page(describe())),
                PopupToContent::OpenSendDialog => {
                    wasm_bindgen_futures::spawn_local(async move {
                        reply(match send_menu_item::open_flow().await {
                            Ok(()) => ContentAnswer::Ok,
                            Err(message) => ContentAnswer::Error { message },
                        });
                    });
                }
            }
            // The answer may come later (sendResponse stays valid).
            JsValue::TRUE
        },
    );
    if add_message_listener(listener.as_ref().unchecked_ref()).is_ok() {
        LISTENER.with(|held| *held.borrow_mut() = Some(listener));
    }
}

/// A message from this extension's own pages (the popup), not from another content script.
fn from_own_page(sender: &JsValue) -> bool {
    let field = |name: &str| {
        js_sys::Reflect::get(sender, &name.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    if field("id").is_none() || field("id") != chrome::runtime_id() {
        return false;
    }
    // Extension pages' URLs start with the extension's base URL (in Firefox a per-install
    // UUID, not the id); content scripts' URLs are web pages.
    let own_base = chrome::runtime_get_url("");
    field("url").is_some_and(|url| !own_base.is_empty() && url.starts_with(&own_base))
}

/// What the extension recognises on the current page, as counts and found/missing only.
pub fn describe() -> PageReport {
    let path = dom::window().location().pathname().unwrap_or_default();
    let route = FetcherRoute::from_path(&path);
    let Some(route) = route else {
        return PageReport::default();
    };
    let seen = page_reader::page_seen(&route);
    let mut report = PageReport {
        account_found: seen.account_email.is_some_and(|e| !e.trim().is_empty()),
        ..PageReport::default()
    };
    match &route {
        FetcherRoute::Search { search_id } => {
            report.page = PageKind::Search;
            let cards = page_reader::cards();
            let readable: Vec<_> = cards
                .iter()
                .filter_map(|card| page_reader::card(card, search_id)?.validate().ok())
                .collect();
            report.search = Some(SearchReport {
                title_found: seen.search_title.is_some_and(|t| !t.trim().is_empty()),
                owner_found: seen
                    .search_owner_email
                    .is_some_and(|e| !e.trim().is_empty()),
                cards: count(cards.len()),
                readable_cards: count(readable.len()),
                cards_with_contact: count(readable.iter().filter(|c| can_search(c)).count()),
            });
        }
        FetcherRoute::Profile {
            search_id,
            candidate_id,
        } => {
            report.page = PageKind::Profile;
            let raw = page_reader::profile(search_id, candidate_id);
            let valid = raw.clone().and_then(|r| r.validate().ok());
            let mut profile = ProfileReport {
                readable: valid.is_some(),
                more_actions_button: page_reader::more_actions_button().is_some(),
                like_button: page_reader::profile_like_button().is_some(),
                menu: send_menu_item::placement(),
                ..ProfileReport::default()
            };
            if let Some(raw) = &raw {
                profile.name = !raw.name.trim().is_empty();
                profile.headline = raw.headline.is_some();
                profile.location = raw.location.as_ref().is_some_and(|l| !l.trim().is_empty());
                profile.status = raw.status_text.is_some();
            }
            if let Some(candidate) = &valid {
                profile.emails = count(candidate.emails.len());
                profile.phones = count(candidate.phones.len());
                profile.linkedin = candidate.linkedin_url.is_some();
                profile.github = candidate.github_url.is_some();
                profile.other_links = count(candidate.website_urls.len());
                profile.status = candidate.status.is_some();
            }
            report.profile = Some(profile);
        }
    }
    report
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn only_this_extensions_pages_are_answered() {
        // The test page is no extension: nothing it sends counts as ours.
        let sender = js_sys::Object::new();
        js_sys::Reflect::set(&sender, &"id".into(), &"abc".into()).unwrap();
        js_sys::Reflect::set(&sender, &"url".into(), &"https://app.fetcher.ai/".into()).unwrap();
        assert!(!from_own_page(&sender));
        assert!(!from_own_page(&JsValue::UNDEFINED));
    }
}
