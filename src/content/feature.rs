//! What the content script adds to Fetcher pages comes as features, listed once in the
//! registry (`content/mod.rs`), which calls them as the page changes: the Rust form of Refined
//! GitHub's `init(signal)`. A feature attaches what it needs when a route is entered,
//! registering its page listeners with the route's `AbortSignal`, and removes what it added
//! when the route is left; the page's route lives in one place (`content::page`).

use super::page_reader::{self, ReadCard};
use crate::fetcher::route::FetcherRoute;
use std::cell::OnceCell;
use wasm_bindgen::JsCast;
use web_sys::{AbortSignal, AddEventListenerOptions, EventTarget, MutationRecord};

pub trait Feature {
    /// Once per page load, before the first route: listeners on the extension's own channels
    /// (worker messages, storage), which live as long as the page.
    fn install(&self) {}

    /// The page entered `route` (`None`: a page the page model does not describe). Listeners
    /// added to the page for it are registered with `signal`, which aborts when it is left.
    fn enter(&self, _route: Option<&FetcherRoute>, _signal: &AbortSignal) {}

    /// The route is being left: remove what was added to the page for it.
    fn leave(&self) {}

    /// Every batch of DOM changes on a recognised route: nodes added, attributes or text
    /// touched.
    fn nodes_touched(&self, _route: &FetcherRoute, _batch: &Batch) {}

    /// Only the batches that add nodes (new or re-rendered content) on a recognised route.
    fn nodes_added(&self, _route: &FetcherRoute, _batch: &Batch) {}
}

/// One batch of DOM changes, as every feature sees it. On a search page the cards it touched
/// are found and read at once, in one call into JS, and shared: a re-render of many cards is
/// read once, not once per feature.
pub struct Batch {
    records: js_sys::Array,
    list: OnceCell<Vec<MutationRecord>>,
    cards: Vec<ReadCard>,
    adds_nodes: bool,
}

impl Batch {
    /// `records`: the `MutationRecord` array the observer delivered, on `route`.
    pub fn new(records: js_sys::Array, route: &FetcherRoute) -> Self {
        let search_id = match route {
            FetcherRoute::Search { search_id } => Some(search_id.as_str()),
            FetcherRoute::Profile { .. } => None,
        };
        let (cards, adds_nodes) = page_reader::read_batch(&records, search_id);
        Self {
            records,
            list: OnceCell::new(),
            cards,
            adds_nodes,
        }
    }

    pub fn records(&self) -> &[MutationRecord] {
        self.list
            .get_or_init(|| self.records.iter().map(JsCast::unchecked_into).collect())
    }

    /// Whether any change added nodes (other than our own status hosts).
    pub fn adds_nodes(&self) -> bool {
        self.adds_nodes
    }

    /// On a search page, the cards the batch touched, each with the candidate it shows in this
    /// search (`None`: not a readable card of this search).
    pub fn cards(&self) -> &[ReadCard] {
        &self.cards
    }
}

/// Adds `listener` for each of `kinds` on `target` until `signal` aborts; in the capture
/// phase when `capture` (seen before the page's own handlers react).
pub fn listen(
    target: &EventTarget,
    kinds: &[&str],
    listener: &js_sys::Function,
    signal: &AbortSignal,
    capture: bool,
) {
    let options = AddEventListenerOptions::new();
    options.set_capture(capture);
    options.set_signal(signal);
    for kind in kinds {
        let _ = target.add_event_listener_with_callback_and_add_event_listener_options(
            kind, listener, &options,
        );
    }
}
