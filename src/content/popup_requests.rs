//! Answers the popup about the Fetcher tab it was opened on (`PopupToContent`): what the
//! extension recognised here (the "This page" report, no page text in it), and "Send this
//! profile to Ashby", which opens the same flow as the ⋮ menu item without depending on it.
//! Only this extension's own pages are answered.

use super::feature::Feature;
use super::{dom, page_reader, send_menu_item};
use crate::browser::{decode_js, json_to_js, runtime};
use crate::fetcher::page_report::{PageKind, PageReport, ProfileReport, SearchReport};
use crate::fetcher::route::FetcherRoute;
use crate::messages::{ContentAnswer, PopupToContent};
use crate::upload::pipeline::can_search;

pub struct PopupRequests;

impl Feature for PopupRequests {
    /// Starts answering the popup.
    fn install(&self) {
        install();
    }
}

/// Only this extension's own pages are heard (the popup's messages come through
/// `chrome.tabs.sendMessage`); the listener lives as long as the page.
fn install() {
    runtime::on_own_page_message(|message, respond| {
        let Ok(request) = decode_js::<PopupToContent>(&message) else {
            // Not ours to answer (the worker's messages have their own listener).
            return false;
        };
        let reply = move |answer: ContentAnswer| {
            if let Ok(answer) = json_to_js(&answer) {
                respond.send(&answer);
            }
        };
        match request {
            PopupToContent::DescribePage => reply(ContentAnswer::Page(describe())),
            PopupToContent::OpenSendDialog => {
                wasm_bindgen_futures::spawn_local(async move {
                    reply(match send_menu_item::open_flow().await {
                        Ok(()) => ContentAnswer::Ok,
                        Err(problem) => ContentAnswer::Error {
                            message: crate::text::unsendable(&problem),
                        },
                    });
                });
            }
        }
        // The answer may come later (sendResponse stays valid).
        true
    });
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
