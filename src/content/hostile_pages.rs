//! The hostile page corpus (`tests/fixtures/hostile/`, written by its `generate.mjs`) through
//! the content script's page reader, the field rules and the Send dialog, in Chromium: no
//! script runs, nothing panics, and every field that would reach the worker passes the
//! worker's own checks (bounded, clean, well-formed).

use super::test_page::{load, unload};
use super::{dom, page_reader};
use crate::fetcher::route::FetcherRoute;
use crate::message_checks;
use crate::messages::{CandidatesSeen, ContentToWorker, Incoming, PrepareSend, SendNow};
use wasm_bindgen_test::wasm_bindgen_test;

const FIXTURES: &[(&str, &str)] = include!("../../tests/fixtures/hostile/index.rs");
/// The page reader's bound on any one raw string, in bytes.
const MAX_RAW_BYTES: usize = 4096;

fn xss_ran() -> bool {
    !js_sys::Reflect::get(&js_sys::global(), &"__xss".into())
        .unwrap()
        .is_undefined()
}

fn accepted(message: ContentToWorker, fixture: &str) {
    let checked = message_checks::check(&Incoming::Content(message));
    assert_eq!(checked, Ok(()), "{fixture}: the worker would refuse this");
}

async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        dom::window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
fn the_corpus_is_large_enough() {
    assert!(FIXTURES.len() >= 50, "{} fixtures", FIXTURES.len());
}

#[wasm_bindgen_test]
async fn hostile_pages_run_no_script_and_yield_only_bounded_valid_fields() {
    let search = FetcherRoute::Search {
        search_id: "s".parse().unwrap(),
    };
    let profile_route = FetcherRoute::Profile {
        search_id: "s".parse().unwrap(),
        candidate_id: "c".parse().unwrap(),
    };
    for (name, fixture) in FIXTURES {
        load(fixture);
        assert!(!xss_ran(), "{name}: the fixture itself ran script");

        for route in [&search, &profile_route] {
            let seen = page_reader::page_seen(route);
            for text in [
                &seen.account_email,
                &seen.search_title,
                &seen.search_owner_email,
            ]
            .into_iter()
            .flatten()
            {
                assert!(text.len() <= MAX_RAW_BYTES, "{name}: raw text unbounded");
            }
            accepted(ContentToWorker::PageSeen(seen), name);
        }

        let mut readings = Vec::new();
        if let Some(raw) = page_reader::profile("s", "c") {
            let raws = raw
                .email_hrefs
                .iter()
                .chain(&raw.phone_hrefs)
                .chain(&raw.link_hrefs)
                .chain([&raw.name]);
            assert!(
                raws.into_iter().all(|s| s.len() <= MAX_RAW_BYTES),
                "{name}: raw profile field unbounded"
            );
            readings.push(raw);
        }
        let cards: Vec<_> = page_reader::cards()
            .iter()
            .filter_map(|card| page_reader::card(card, "s"))
            .collect();
        // Cards go to the worker as read, whatever they hold: each report is within bounds.
        for chunk in crate::fetcher::fields::messages_of(&cards, 50) {
            accepted(
                ContentToWorker::CandidatesSeen(CandidatesSeen {
                    candidates: chunk.to_vec(),
                }),
                name,
            );
        }
        readings.extend(cards);
        for raw in readings.into_iter().take(20) {
            // A card whose link carries a bad candidate id is skipped by the worker, never a
            // crash (the profile's ids are the route's).
            let Ok(candidate) = raw.clone().validate() else {
                continue;
            };
            accepted(
                ContentToWorker::SendNow(SendNow {
                    candidate: raw.clone(),
                    job_id: "job-1".into(),
                }),
                name,
            );
            // What the worker makes of it passes the worker's checks on a candidate (as the
            // Send dialog gives it back), and the review form gives it back unchanged.
            assert_eq!(
                message_checks::check_candidate(&candidate),
                Ok(()),
                "{name}: the validated candidate"
            );
            let review = crate::send_review::ReviewForm::from_candidate(&candidate);
            assert_eq!(
                review.apply(&candidate).as_ref(),
                Ok(&candidate),
                "{name}: the review changes nothing unedited"
            );
            accepted(
                ContentToWorker::PrepareSend(PrepareSend { candidate: raw }),
                name,
            );
            settle().await;
        }
        assert!(!xss_ran(), "{name}: a payload ran");
    }
    unload();
}
