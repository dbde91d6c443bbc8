//! Reports the candidates the page shows to the worker, which runs the searches' automation
//! (`shared/fetcher-page-model.md`, "Events the extension reacts to"). State-based: each
//! candidate is reported when first read and again whenever what automation cares about
//! changes (status, Like, whether contact details are shown), never for a mere re-render.
//!
//! Cards whose Like state needs their elements' computed names are read a task later, after
//! the batch's statuses are drawn (see `page_reader::settle_like`).
//!
//! A report counts as delivered only when the worker answers `Ok` (it answers after storing
//! it); otherwise the candidates are reported again on the next scan, and a scan is scheduled
//! in case the page stays still.

use super::card_map::{card_map, CardMap};
use super::feature::{Batch, Feature};
use super::page_reader::{self, ReadCard};
use super::{dom, page};
use crate::browser::ask_worker;
use crate::domain::{CandidateStatus, FetcherCandidate};
use crate::fetcher::fields::RawCandidate;
use crate::fetcher::route::FetcherRoute;
use crate::messages::CandidatesSeen;
use crate::upload::pipeline::can_search;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use web_sys::AbortSignal;

/// Candidates per message (a big batch page is split, keeping each message small).
const CANDIDATES_PER_REPORT: usize = 50;
/// A report the worker did not take is tried again after this long if nothing else happens.
const RETRY_AFTER_MS: i32 = 3_000;

/// What automation decides on, per candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Observed {
    status: Option<CandidateStatus>,
    liked: bool,
    searchable: bool,
}

impl Observed {
    fn of(candidate: &FetcherCandidate) -> Self {
        Self {
            status: candidate.status,
            liked: candidate.liked,
            searchable: can_search(candidate),
        }
    }
}

pub struct CandidateWatch;

thread_local! {
    /// What was last reported (or is being reported) on this page, by candidate id.
    static REPORTED: RefCell<CardMap<Observed>> = const { RefCell::new(card_map()) };
    /// The last card read per candidate id and what it showed: a re-rendered card reads the
    /// same (usually the very same shared reading), and is then known unchanged without
    /// validating it again.
    static LAST_READ: RefCell<CardMap<(Rc<RawCandidate>, Observed)>> =
        const { RefCell::new(card_map()) };
    static RETRY_PENDING: Cell<bool> = const { Cell::new(false) };
    /// Cards of this search page read later, in order, when a batch had a Like to settle.
    static TO_SETTLE: RefCell<Vec<ReadCard>> = const { RefCell::new(Vec::new()) };
    static SETTLE_PENDING: Cell<bool> = const { Cell::new(false) };
}

impl Feature for CandidateWatch {
    /// A new page: forget what was reported on the previous one and read this one.
    fn enter(&self, _route: Option<&FetcherRoute>, _signal: &AbortSignal) {
        REPORTED.with_borrow_mut(CardMap::clear);
        LAST_READ.with_borrow_mut(CardMap::clear);
        TO_SETTLE.with_borrow_mut(Vec::clear);
        scan();
    }

    /// Reads only the cards the batch touched (a profile is read whole).
    fn nodes_touched(&self, route: &FetcherRoute, batch: &Batch) {
        let FetcherRoute::Search { .. } = route else {
            report_changes(route, shown(route));
            return;
        };
        let cards = batch.cards().iter().filter(|card| card.raw.is_some());
        let waiting = TO_SETTLE.with_borrow(|waiting| !waiting.is_empty());
        if waiting || batch.cards().iter().any(ReadCard::like_unread) {
            TO_SETTLE.with_borrow_mut(|waiting| waiting.extend(cards.cloned()));
            dom::run_later(&SETTLE_PENDING, 0, settle_and_report);
            return;
        }
        report_changes(route, changed_cards(cards));
    }
}

/// The cards whose candidates changed since last reported, validated.
fn changed_cards<'a>(cards: impl Iterator<Item = &'a ReadCard>) -> Vec<FetcherCandidate> {
    cards
        .filter_map(page_reader::settle_like)
        .filter(|raw| !unchanged(raw))
        .filter_map(|raw| validate_card(&raw))
        .collect()
}

/// The cards left for later, with their Like states read, reported if changed (and if the
/// page is still on a search: entering a route forgets what was left).
fn settle_and_report() {
    let cards = TO_SETTLE.take();
    if let Some(route @ FetcherRoute::Search { .. }) = page::route() {
        report_changes(&route, changed_cards(cards.iter()));
    }
}

/// Whether `raw` is what this candidate's card showed when last read, and that was reported
/// (or is being reported): nothing to tell the worker.
fn unchanged(raw: &Rc<RawCandidate>) -> bool {
    let Some(observed) = LAST_READ.with_borrow(|r| {
        r.get(&raw.candidate_id)
            .filter(|(last, _)| Rc::ptr_eq(last, raw) || last == raw)
            .map(|(_, observed)| *observed)
    }) else {
        return false;
    };
    REPORTED.with_borrow(|r| r.get(&raw.candidate_id) == Some(&observed))
}

/// A card's candidate, validated (and remembered with what it showed, for [`unchanged`]).
fn validate_card(raw: &Rc<RawCandidate>) -> Option<FetcherCandidate> {
    let candidate = RawCandidate::clone(raw).validate().ok()?;
    LAST_READ.with_borrow_mut(|r| {
        r.insert(
            raw.candidate_id.clone(),
            (Rc::clone(raw), Observed::of(&candidate)),
        )
    });
    Some(candidate)
}

/// Reads every candidate shown and reports those that changed.
fn scan() {
    if let Some(route) = page::route() {
        report_changes(&route, shown(&route));
    }
}

/// Reports the candidates (read from the cards on a search page, from the profile otherwise)
/// whose observation differs from what was last reported.
fn report_changes(route: &FetcherRoute, shown: Vec<FetcherCandidate>) {
    let changed: Vec<FetcherCandidate> = shown
        .into_iter()
        .filter(|candidate| {
            REPORTED.with_borrow(|r| r.get(candidate.candidate_id.as_str()).copied())
                != Some(Observed::of(candidate))
        })
        .collect();
    if changed.is_empty() {
        return;
    }
    // Marked before sending, so the next mutation batch does not send them again meanwhile.
    REPORTED.with_borrow_mut(|reported| {
        for candidate in &changed {
            reported.insert(candidate.candidate_id.to_string(), Observed::of(candidate));
        }
    });
    for chunk in changed.chunks(CANDIDATES_PER_REPORT) {
        let candidates = chunk.to_vec();
        let search_id = route.search_id().to_owned();
        wasm_bindgen_futures::spawn_local(async move {
            let report = CandidatesSeen {
                candidates: candidates.clone(),
            };
            if ask_worker(report).await.is_ok() {
                return;
            }
            unmark(&search_id, &candidates);
            schedule_retry();
        });
    }
}

/// Un-marks candidates whose report was not taken (if the page has not moved on meanwhile).
fn unmark(search_id: &str, candidates: &[FetcherCandidate]) {
    let same_search = page::route().is_some_and(|route| route.search_id() == search_id);
    if !same_search {
        return;
    }
    REPORTED.with_borrow_mut(|reported| {
        for candidate in candidates {
            if reported.get(candidate.candidate_id.as_str()) == Some(&Observed::of(candidate)) {
                reported.remove(candidate.candidate_id.as_str());
            }
        }
    });
}

fn schedule_retry() {
    dom::run_later(&RETRY_PENDING, RETRY_AFTER_MS, scan);
}

/// The candidates the page shows, validated (unreadable ones are skipped: a card whose link,
/// id or fields fail the page model's rules is not a candidate automation can act on).
fn shown(route: &FetcherRoute) -> Vec<FetcherCandidate> {
    match route {
        FetcherRoute::Search { search_id } => page_reader::read_all(search_id)
            .into_iter()
            .filter_map(|card| Rc::unwrap_or_clone(card.raw?).validate().ok())
            .collect(),
        FetcherRoute::Profile {
            search_id,
            candidate_id,
        } => page_reader::profile(search_id, candidate_id)
            .and_then(|raw| raw.validate().ok())
            .into_iter()
            .collect(),
    }
}
