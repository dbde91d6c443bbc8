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
use crate::fetcher::fields::{self, RawCandidate};
use crate::fetcher::route::FetcherRoute;
use crate::messages::CandidatesSeen;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use web_sys::AbortSignal;

/// Candidates per message (a big batch page is split, keeping each message small; so is a
/// report whose readings hold a lot of text, `fields::messages_of`).
const CANDIDATES_PER_REPORT: usize = 50;
/// A report the worker did not take is tried again after this long if nothing else happens.
const RETRY_AFTER_MS: i32 = 3_000;

/// Whether two readings of a candidate show automation the same: its status, its Like, and
/// what Ashby could be searched by (name, emails, links). Compared as read: the worker
/// validates, so a change here that validation would undo costs one report more, never one
/// less.
fn same_observation(a: &RawCandidate, b: &RawCandidate) -> bool {
    a.status_text == b.status_text
        && a.like_pressed == b.like_pressed
        && a.name == b.name
        && a.email_hrefs == b.email_hrefs
        && a.link_hrefs == b.link_hrefs
}

pub struct CandidateWatch;

thread_local! {
    /// What was last reported (or is being reported) on this page, by candidate id: a
    /// re-rendered card reads the same (usually the very same shared reading), and is then
    /// known unchanged.
    static REPORTED: RefCell<CardMap<Rc<RawCandidate>>> = const { RefCell::new(card_map()) };
    static RETRY_PENDING: Cell<bool> = const { Cell::new(false) };
    /// Cards of this search page read later, in order, when a batch had a Like to settle.
    static TO_SETTLE: RefCell<Vec<ReadCard>> = const { RefCell::new(Vec::new()) };
    static SETTLE_PENDING: Cell<bool> = const { Cell::new(false) };
}

impl Feature for CandidateWatch {
    /// A new page: forget what was reported on the previous one and read this one.
    fn enter(&self, _route: Option<&FetcherRoute>, _signal: &AbortSignal) {
        REPORTED.with_borrow_mut(CardMap::clear);
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
        report_changes(route, settled(cards));
    }
}

/// The cards' readings, with their Like states read.
fn settled<'a>(cards: impl Iterator<Item = &'a ReadCard>) -> Vec<Rc<RawCandidate>> {
    cards.filter_map(page_reader::settle_like).collect()
}

/// The cards left for later, with their Like states read, reported if changed (and if the
/// page is still on a search: entering a route forgets what was left).
fn settle_and_report() {
    let cards = TO_SETTLE.take();
    if let Some(route @ FetcherRoute::Search { .. }) = page::route() {
        report_changes(&route, settled(cards.iter()));
    }
}

/// Whether `raw` shows automation what was last reported (or is being reported) for its
/// candidate: nothing to tell the worker.
fn unchanged(raw: &Rc<RawCandidate>) -> bool {
    REPORTED.with_borrow(|reported| {
        reported
            .get(&raw.candidate_id)
            .is_some_and(|last| Rc::ptr_eq(last, raw) || same_observation(last, raw))
    })
}

/// Reads every candidate shown and reports those that changed.
fn scan() {
    if let Some(route) = page::route() {
        report_changes(&route, shown(&route));
    }
}

/// Reports the candidates (read from the cards on a search page, from the profile otherwise)
/// whose observation differs from what was last reported.
fn report_changes(route: &FetcherRoute, shown: Vec<Rc<RawCandidate>>) {
    let changed: Vec<Rc<RawCandidate>> = shown.into_iter().filter(|raw| !unchanged(raw)).collect();
    if changed.is_empty() {
        return;
    }
    // Marked before sending, so the next mutation batch does not send them again meanwhile.
    REPORTED.with_borrow_mut(|reported| {
        for raw in &changed {
            reported.insert(raw.candidate_id.clone(), Rc::clone(raw));
        }
    });
    for chunk in fields::messages_of(&changed, CANDIDATES_PER_REPORT) {
        let sent = chunk.to_vec();
        let search_id = route.search_id().to_owned();
        wasm_bindgen_futures::spawn_local(async move {
            let report = CandidatesSeen {
                candidates: sent.iter().map(|raw| RawCandidate::clone(raw)).collect(),
            };
            if ask_worker(report).await.is_ok() {
                return;
            }
            unmark(&search_id, &sent);
            schedule_retry();
        });
    }
}

/// Un-marks readings whose report was not taken (if the page has not moved on meanwhile, and
/// no later reading of the candidate was marked since).
fn unmark(search_id: &str, sent: &[Rc<RawCandidate>]) {
    let same_search = page::route().is_some_and(|route| route.search_id() == search_id);
    if !same_search {
        return;
    }
    REPORTED.with_borrow_mut(|reported| {
        for raw in sent {
            if reported
                .get(&raw.candidate_id)
                .is_some_and(|last| Rc::ptr_eq(last, raw))
            {
                reported.remove(&raw.candidate_id);
            }
        }
    });
}

fn schedule_retry() {
    dom::run_later(&RETRY_PENDING, RETRY_AFTER_MS, scan);
}

/// The candidates the page shows, as read (cards that are not readable cards of this search
/// are skipped; the worker skips readings whose ids are not Fetcher ids).
fn shown(route: &FetcherRoute) -> Vec<Rc<RawCandidate>> {
    match route {
        FetcherRoute::Search { search_id } => page_reader::read_all(search_id)
            .into_iter()
            .filter_map(|card| card.raw)
            .collect(),
        FetcherRoute::Profile {
            search_id,
            candidate_id,
        } => page_reader::profile(search_id, candidate_id)
            .map(Rc::new)
            .into_iter()
            .collect(),
    }
}
