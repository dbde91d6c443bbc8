//! Answers the popup about the Fetcher tab it was opened on (`PopupToContent`): what the
//! extension recognised here (the "This page" report, no page text in it), and "Send this
//! profile to Ashby", which opens the same flow as the ⋮ menu item without depending on it.
//! Only this extension's own pages are answered.

use super::feature::Feature;
use super::{dom, page_reader, send_menu_item};
use crate::browser::{ask_worker, decode_js, json_to_js, runtime};
use crate::fetcher::fields::{self, RawCandidate};
use crate::fetcher::page_report::{
    count, FoundFields, PageKind, PageReport, ProfileReport, SearchReport,
};
use crate::fetcher::route::FetcherRoute;
use crate::message_checks::MAX_CANDIDATES_SEEN;
use crate::messages::{CheckCandidates, ContentAnswer, PopupToContent};

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
            PopupToContent::DescribePage => {
                wasm_bindgen_futures::spawn_local(async move {
                    reply(ContentAnswer::Page(describe().await));
                });
            }
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

/// What the extension recognises on the current page, as counts and found/missing only. The
/// page's readings are checked by the worker, which validates every candidate.
pub async fn describe() -> PageReport {
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
            let readings = cards
                .iter()
                .filter_map(|card| page_reader::card(card, search_id))
                .collect();
            let found: Vec<FoundFields> = check(readings).await.into_iter().flatten().collect();
            report.search = Some(SearchReport {
                title_found: seen.search_title.is_some_and(|t| !t.trim().is_empty()),
                owner_found: seen
                    .search_owner_email
                    .is_some_and(|e| !e.trim().is_empty()),
                cards: count(cards.len()),
                readable_cards: count(found.len()),
                cards_with_contact: count(found.iter().filter(|f| f.searchable).count()),
            });
        }
        FetcherRoute::Profile {
            search_id,
            candidate_id,
        } => {
            report.page = PageKind::Profile;
            let raw = page_reader::profile(search_id, candidate_id);
            let mut profile = ProfileReport {
                more_actions_button: page_reader::more_actions_button().is_some(),
                like_button: page_reader::profile_like_button().is_some(),
                menu: send_menu_item::placement(),
                ..ProfileReport::default()
            };
            if let Some(raw) = raw {
                profile.name = !raw.name.trim().is_empty();
                profile.headline = raw.headline.is_some();
                profile.location = raw.location.as_ref().is_some_and(|l| !l.trim().is_empty());
                if let Some(Some(found)) = check(vec![raw]).await.pop() {
                    profile.readable = true;
                    profile.emails = found.emails;
                    profile.phones = found.phones;
                    profile.linkedin = found.linkedin;
                    profile.github = found.github;
                    profile.other_links = found.other_links;
                    profile.status = found.status;
                }
            }
            report.profile = Some(profile);
        }
    }
    report
}

/// What each reading holds once the worker validated it (`None`: no candidate), in order;
/// nothing is counted when the worker cannot answer.
async fn check(readings: Vec<RawCandidate>) -> Vec<Option<FoundFields>> {
    let mut found = Vec::with_capacity(readings.len());
    for chunk in fields::messages_of(&readings, MAX_CANDIDATES_SEEN) {
        let request = CheckCandidates {
            candidates: chunk.to_vec(),
        };
        match ask_worker(request).await {
            Ok(checked) => found.extend(checked.candidates),
            Err(_) => return Vec::new(),
        }
    }
    found
}
