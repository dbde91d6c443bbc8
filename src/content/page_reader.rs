//! Reads Fetcher pages the way a screen reader does (`shared/fetcher-page-model.md`): routes,
//! landmarks, roles, accessible names and link targets, never CSS classes or exact nesting.
//! It only collects raw strings; `fetcher::fields` validates and bounds them.

use super::accname;
use super::card_map::{card_map, CardMap};
use super::dom;
use crate::browser::card_dom;
use crate::fetcher::card_reading::{self, CardFields};
use crate::fetcher::fields::{RawCandidate, MAX_RAW_ITEMS};
use crate::fetcher::route::FetcherRoute;
use crate::messages::PageSeen;
use crate::substring;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlAnchorElement};

const HEADING_1: &str = "h1, [role=\"heading\"][aria-level=\"1\"]";
/// A text value on a page is read only up to this many characters (the rest is cut anyway).
const MAX_RAW_CHARS: usize = 4096;

/// The recruiter and search the page shows.
pub fn page_seen(route: &FetcherRoute) -> PageSeen {
    let document = dom::document();
    let root = document.document_element();
    let named = |candidates: &str, name: &str| {
        root.as_ref()
            .and_then(|r| accname::find(r, candidates, name))
            .map(|e| raw_text(&e))
    };
    let on_search_page = matches!(route, FetcherRoute::Search { .. });
    PageSeen {
        account_email: named(accname::ANY_NAMED, "Account"),
        search_id: Some(route.search_id().clone()),
        search_title: on_search_page
            .then(|| {
                root.as_ref()
                    .and_then(|r| first(r, HEADING_1))
                    .map(|h| raw_text(&h))
            })
            .flatten(),
        // A value named by an attribute (a generic element is not named by its content).
        search_owner_email: named(accname::LABELLED, "Search owner"),
    }
}

/// The candidate on a profile page, or `None` until its heading has rendered.
pub fn profile(search_id: &str, candidate_id: &str) -> Option<RawCandidate> {
    let main = first(&dom::document().document_element()?, "main")?;
    let heading = first(&main, HEADING_1)?;
    let headline = all(&main, "p")
        .into_iter()
        .filter(|p| follows(&heading, p))
        .map(|p| raw_text(&p))
        .find(|text| substring::contains(text, " at "));
    let mut links = profile_links(&main);
    if let Some(section) = by_name(&main, "Links") {
        links.extend(all(&section, "a[href]").iter().filter_map(href));
    }
    links.truncate(MAX_RAW_ITEMS);
    Some(RawCandidate {
        search_id: search_id.to_owned(),
        candidate_id: candidate_id.to_owned(),
        name: raw_text(&heading),
        headline,
        location: accname::find(&main, accname::LABELLED, "Location").map(|e| raw_text(&e)),
        email_hrefs: attributes(&main, "a[href^=\"mailto:\" i]", "href"),
        phone_hrefs: attributes(&main, "a[href^=\"tel:\" i]", "href"),
        link_hrefs: links,
        status_text: first(&main, "[role=\"status\"]").map(|e| raw_text(&e)),
        like_pressed: like_pressed(&main),
    })
}

/// One card as read: the element, the candidate it shows in this search (`None`: not a
/// readable card of this search; shared with every card that read the same), and the
/// candidate id on our status host inside it (empty when there is none).
#[derive(Clone)]
pub struct ReadCard {
    pub element: Element,
    /// Its `like_pressed` is final only once [`settle_like`] has nothing left to read.
    pub raw: Option<Rc<RawCandidate>>,
    pub host_for: String,
    /// The card's reading, while its Like state is still unread (see [`settle_like`]).
    like_unread_in: Option<String>,
}

impl ReadCard {
    /// Whether the Like state is still to be read from the card's elements.
    pub fn like_unread(&self) -> bool {
        self.like_unread_in.is_some()
    }
}

/// What a reading gave, on the search it was read for.
struct Decoded {
    search_id: String,
    raw: Option<Rc<RawCandidate>>,
    like_unread: bool,
}

/// Readings kept at most (a page's cards; a bound against a page inventing ids forever).
const MAX_REMEMBERED: usize = 50_000;

thread_local! {
    /// What each reading gave: a re-rendered card that reads as before gives the same, with no
    /// decoding (re-renders of unchanged cards are most of the work on a busy page).
    static DECODED: RefCell<CardMap<Decoded>> = const { RefCell::new(card_map()) };
    /// The card each candidate was last read from.
    static SHOWN: RefCell<CardMap<Element>> = const { RefCell::new(card_map()) };
}

/// The candidate a search-page card shows (`article` or `role="article"`), if it links to a
/// profile in this search.
pub fn card(article: &Element, search_id: &str) -> Option<RawCandidate> {
    let batch = card_dom::batch_text(&card_dom::read_cards(&js_sys::Array::of1(article)));
    decode(vec![article.clone()], &batch, search_id)
        .pop()
        .and_then(|card| settle_like(&card))
        .map(Rc::unwrap_or_clone)
}

/// Every card on the page, read in one call, Like states included.
pub fn read_all(search_id: &str) -> Vec<ReadCard> {
    let found = card_dom::all_cards();
    let batch = card_dom::batch_text(&found.get(1));
    decode(elements(&found.get(0)), &batch, search_id)
        .into_iter()
        .map(|card| ReadCard {
            raw: settle_like(&card),
            like_unread_in: None,
            ..card
        })
        .collect()
}

/// The card's candidate with its Like state read. A Like button not named by a plain
/// `aria-label` is found by its computed name, and computing names checks visibility, which
/// makes the browser compute the styles of a freshly rendered page (milliseconds on a first
/// load): so batches leave it unread, and automation, the one reader of Like, settles it
/// after the statuses are drawn. `None` also for a card no longer in the page (its elements
/// would read as hidden; the card that replaced it comes in a batch of its own).
pub fn settle_like(card: &ReadCard) -> Option<Rc<RawCandidate>> {
    let raw = card.raw.as_ref()?;
    let Some(reading) = &card.like_unread_in else {
        return Some(Rc::clone(raw));
    };
    let settled_before = DECODED.with_borrow(|decoded| {
        decoded
            .get(reading.as_str())
            .filter(|known| !known.like_unread && known.search_id == raw.search_id)
            .and_then(|known| known.raw.clone())
    });
    if settled_before.is_some() {
        return settled_before;
    }
    if !card.element.is_connected() {
        return None;
    }
    let fields = CardFields::parse(reading);
    let settled = Rc::new(RawCandidate {
        like_pressed: like_pressed_in(&fields, &card.element),
        ..RawCandidate::clone(raw)
    });
    remember(reading, &raw.search_id, Some(Rc::clone(&settled)), false);
    Some(settled)
}

/// The cards a batch of DOM changes touched (`records`, the observer's `MutationRecord`
/// array; cards added, inside added nodes, or whose content changed, each once), read, when
/// `search_id` is given; and whether the batch added nodes (other than our own). One call
/// into JS per batch: per-batch work is proportional to what changed, not to the page.
pub fn read_batch(records: &js_sys::Array, search_id: Option<&str>) -> (Vec<ReadCard>, bool) {
    let scanned = card_dom::scan_batch(records, search_id.is_some());
    let adds_nodes = scanned.get(2).as_bool().unwrap_or(true);
    let Some(search_id) = search_id else {
        return (Vec::new(), adds_nodes);
    };
    let batch = card_dom::batch_text(&scanned.get(1));
    (
        decode(elements(&scanned.get(0)), &batch, search_id),
        adds_nodes,
    )
}

/// The card last read for `candidate_id`, if it is still in the page.
pub fn shown_card(candidate_id: &str) -> Option<Element> {
    SHOWN
        .with_borrow(|shown| shown.get(candidate_id).cloned())
        .filter(|card| card.is_connected())
}

/// Forgets every reading (a new page).
pub fn forget_cards() {
    DECODED.with_borrow_mut(CardMap::clear);
    SHOWN.with_borrow_mut(CardMap::clear);
}

fn elements(array: &JsValue) -> Vec<Element> {
    array
        .dyn_ref::<js_sys::Array>()
        .map(|array| array.iter().map(JsCast::unchecked_into).collect())
        .unwrap_or_default()
}

/// Pairs each card with its reading in `batch`. A card that reads as one read before gives
/// what that gave (looked up by the reading itself: no decoding, no copy).
fn decode(cards: Vec<Element>, batch: &str, search_id: &str) -> Vec<ReadCard> {
    cards
        .into_iter()
        .zip(card_reading::cards(batch))
        .map(|(element, (host_for, reading))| {
            let known = DECODED.with_borrow(|decoded| {
                decoded
                    .get(reading)
                    .filter(|known| known.search_id == search_id)
                    .map(|known| (known.raw.clone(), known.like_unread))
            });
            let (raw, like_unread) = known.unwrap_or_else(|| {
                let (raw, like_unread) = match decode_reading(reading, search_id) {
                    Some((raw, like_unread)) => (Some(Rc::new(raw)), like_unread),
                    None => (None, false),
                };
                remember(reading, search_id, raw.clone(), like_unread);
                (raw, like_unread)
            });
            if let Some(raw) = &raw {
                shown_in(&raw.candidate_id, &element);
            }
            ReadCard {
                element,
                raw,
                host_for: host_for.to_owned(),
                like_unread_in: like_unread.then(|| reading.to_owned()),
            }
        })
        .collect()
}

/// The candidate a card's reading shows in this search, if it links to one of its profiles,
/// and whether its Like state is still unread (then `like_pressed` is `false` for now).
fn decode_reading(reading: &str, search_id: &str) -> Option<(RawCandidate, bool)> {
    let fields = CardFields::parse(reading);
    let (candidate_id, name) = profile_link(&fields, search_id)?;
    let like = like_pressed_by_labels(&fields);
    let mut raw = candidate(&fields, search_id, candidate_id, name);
    raw.like_pressed = like.unwrap_or(false);
    Some((raw, like.is_none()))
}

fn remember(reading: &str, search_id: &str, raw: Option<Rc<RawCandidate>>, like_unread: bool) {
    DECODED.with_borrow_mut(|decoded| {
        if decoded.len() >= MAX_REMEMBERED {
            decoded.clear();
        }
        decoded.insert(
            reading.to_owned(),
            Decoded {
                search_id: search_id.to_owned(),
                raw,
                like_unread,
            },
        );
    });
}

/// Notes `card` as where `candidate_id` is shown now (no new key for a candidate seen before).
fn shown_in(candidate_id: &str, card: &Element) {
    SHOWN.with_borrow_mut(|shown| {
        if let Some(known) = shown.get_mut(candidate_id) {
            known.clone_from(card);
            return;
        }
        if shown.len() >= MAX_REMEMBERED {
            shown.clear();
        }
        shown.insert(candidate_id.to_owned(), card.clone());
    });
}

/// The candidate id and name of the card's first link to a profile in this search.
fn profile_link<'a>(fields: &CardFields<'a>, search_id: &str) -> Option<(String, &'a str)> {
    fields
        .links
        .iter()
        .find_map(|link| match FetcherRoute::from_path(link.path)? {
            FetcherRoute::Profile {
                search_id: s,
                candidate_id,
            } if s == search_id => Some((candidate_id.to_string(), link.text)),
            _ => None,
        })
}

fn candidate(
    fields: &CardFields,
    search_id: &str,
    candidate_id: String,
    name: &str,
) -> RawCandidate {
    // Contact links are optional on cards; when shown they let automation check Ashby for
    // duplicates without waiting for the profile.
    RawCandidate {
        search_id: search_id.to_owned(),
        candidate_id,
        name: bounded(name.to_owned()),
        email_hrefs: fields
            .mailto
            .iter()
            .take(MAX_RAW_ITEMS)
            .map(|h| bounded((*h).to_owned()))
            .collect(),
        phone_hrefs: fields
            .tel
            .iter()
            .take(MAX_RAW_ITEMS)
            .map(|h| bounded((*h).to_owned()))
            .collect(),
        link_hrefs: fields
            .links
            .iter()
            .map(|link| bounded(link.href.to_owned()))
            .filter(|url| is_profile_link(url))
            .take(MAX_RAW_ITEMS)
            .collect(),
        status_text: fields.status.map(|s| bounded(s.to_owned())),
        ..RawCandidate::default()
    }
}

/// Whether the card's first button named `Like` is pressed, when plain `aria-label`s tell
/// (`None`: a button before it, or it, is named some other way).
fn like_pressed_by_labels(fields: &CardFields) -> Option<bool> {
    for button in &fields.buttons {
        if accname::label_is(button.labelledby, button.label, "Like")? {
            return Some(button.pressed == "true");
        }
    }
    Some(false)
}

/// Whether the card's first button named `Like` is pressed. A plain `aria-label` names a
/// button without reading the page again; any other form is computed on the element
/// (`accname`), as [`like_button`] does.
fn like_pressed_in(fields: &CardFields, article: &Element) -> bool {
    let mut elements = None;
    for (index, button) in fields.buttons.iter().enumerate() {
        let is_like = match accname::label_is(button.labelledby, button.label, "Like") {
            Some(answer) => answer,
            None => {
                let list = elements
                    .get_or_insert_with(|| article.query_selector_all(accname::BUTTONS).ok());
                list.as_ref()
                    .and_then(|list| list.item(index as u32))
                    .and_then(|node| node.dyn_into::<Element>().ok())
                    .is_some_and(|element| accname::has_name(&element, "Like"))
            }
        };
        if is_like {
            return button.pressed == "true";
        }
    }
    false
}

/// LinkedIn and GitHub links inside `scope`.
fn profile_links(scope: &Element) -> Vec<String> {
    all(scope, "a[href]")
        .iter()
        .filter_map(href)
        .filter(|url| is_profile_link(url))
        .collect()
}

fn is_profile_link(url: &str) -> bool {
    substring::contains(url, "linkedin.com/") || substring::contains(url, "github.com/")
}

/// The profile's name heading (where the profile's upload status goes).
pub fn profile_heading() -> Option<Element> {
    first(
        &first(&dom::document().document_element()?, "main")?,
        HEADING_1,
    )
}

/// Every candidate card on the page.
pub fn cards() -> Vec<Element> {
    elements(&card_dom::all_cards().get(0))
}

fn like_pressed(scope: &Element) -> bool {
    like_button(scope)
        .and_then(|b| b.get_attribute("aria-pressed"))
        .is_some_and(|v| v == "true")
}

/// The button named `Like` inside `scope`.
pub fn like_button(scope: &Element) -> Option<Element> {
    accname::find(scope, accname::BUTTONS, "Like")
}

/// The profile's Like button (inside `main`).
pub fn profile_like_button() -> Option<Element> {
    like_button(&first(&dom::document().document_element()?, "main")?)
}

/// The profile's ⋮ button (named `More actions`): inside `main` when there is one.
pub fn more_actions_button() -> Option<Element> {
    let root = dom::document().document_element()?;
    let scope = first(&root, "main").unwrap_or(root);
    accname::find(&scope, accname::BUTTONS, "More actions")
}

/// The first element inside `scope` whose accessible name is `name` (any way a page gives
/// it: `aria-labelledby`, `aria-label`, own or visually hidden text, `title`).
pub fn by_name(scope: &Element, name: &str) -> Option<Element> {
    accname::find(scope, accname::ANY_NAMED, name)
}

fn first(scope: &Element, selector: &str) -> Option<Element> {
    scope.query_selector(selector).ok().flatten()
}

fn all(scope: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = scope.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

fn attributes(scope: &Element, selector: &str, attribute: &str) -> Vec<String> {
    all(scope, selector)
        .iter()
        .filter_map(|e| e.get_attribute(attribute))
        .take(MAX_RAW_ITEMS)
        .map(bounded)
        .collect()
}

/// A link's resolved URL (relative links become absolute), bounded.
fn href(element: &Element) -> Option<String> {
    Some(bounded(element.dyn_ref::<HtmlAnchorElement>()?.href()))
}

/// Whether `later` comes after `earlier` in document order.
fn follows(earlier: &Element, later: &Element) -> bool {
    const DOCUMENT_POSITION_FOLLOWING: u16 = 4;
    earlier.compare_document_position(later) & DOCUMENT_POSITION_FOLLOWING != 0
}

fn raw_text(element: &Element) -> String {
    bounded(element.text_content().unwrap_or_default())
}

fn bounded(mut text: String) -> String {
    if text.len() > MAX_RAW_CHARS {
        let mut cut = MAX_RAW_CHARS;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    text
}

/// The adapter read against the stored page fixtures (`tests/fixtures/pages`), in Chromium.
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use crate::content::test_page::load;
    use crate::domain::CandidateStatus;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn reads_a_profile_by_roles_and_names_only() {
        load(include_str!("../../tests/fixtures/pages/profile.html"));
        let candidate = profile("search-eng-berlin", "cand-lena")
            .unwrap()
            .validate()
            .unwrap();
        assert_eq!(candidate.name, "Lena Hoffmann");
        assert_eq!(candidate.title.as_deref(), Some("Staff Engineer"));
        assert_eq!(candidate.company.as_deref(), Some("Zalando"));
        assert_eq!(candidate.location.as_deref(), Some("Berlin, Germany"));
        assert_eq!(
            candidate.emails,
            ["Lena.Hoffmann@Example.com", "lena@work.example"]
        );
        assert_eq!(candidate.phones.len(), 1);
        assert_eq!(
            candidate.linkedin_url.as_deref(),
            Some("https://www.linkedin.com/in/lena-hoffmann")
        );
        assert_eq!(
            candidate.github_url.as_deref(),
            Some("https://github.com/lenah")
        );
        assert_eq!(candidate.website_urls, ["https://lena.dev/"]);
        assert_eq!(candidate.status, Some(CandidateStatus::New));
        assert!(!candidate.liked);
    }

    #[wasm_bindgen_test]
    fn reads_a_profile_whose_names_are_given_other_ways() {
        load(include_str!(
            "../../tests/fixtures/pages/profile-named-otherwise.html"
        ));
        let candidate = profile("s", "c").unwrap().validate().unwrap();
        assert_eq!(candidate.location.as_deref(), Some("Berlin, Germany"));
        assert_eq!(
            candidate.linkedin_url.as_deref(),
            Some("https://www.linkedin.com/in/lena-hoffmann")
        );
        assert_eq!(
            candidate.website_urls,
            ["https://lena.dev/"],
            "only the Links section's"
        );
        assert!(candidate.liked, "Like named by its title");
        let more = more_actions_button().expect("named by visually hidden text");
        assert_eq!(more.get_attribute("class").as_deref(), Some("mm"));
        let seen = page_seen(&FetcherRoute::Profile {
            search_id: "s".parse().unwrap(),
            candidate_id: "c".parse().unwrap(),
        });
        assert_eq!(seen.account_email.as_deref(), Some("jane@agency.com"));
    }

    #[wasm_bindgen_test]
    fn reads_a_search_whose_names_are_given_other_ways() {
        load(include_str!(
            "../../tests/fixtures/pages/search-named-otherwise.html"
        ));
        let seen = page_seen(&FetcherRoute::Search {
            search_id: "search-eng-berlin".parse().unwrap(),
        });
        assert_eq!(seen.account_email.as_deref(), Some("jane@agency.com"));
        assert_eq!(seen.search_owner_email.as_deref(), Some("lead@agency.com"));
        let liked: Vec<bool> = cards()
            .iter()
            .filter_map(|c| card(c, "search-eng-berlin"))
            .map(|raw| raw.validate().unwrap().liked)
            .collect();
        assert_eq!(liked, [true, true], "hidden text, then title over an icon");
    }

    #[wasm_bindgen_test]
    fn hostile_profile_content_is_bounded_text() {
        load(include_str!(
            "../../tests/fixtures/pages/hostile-profile.html"
        ));
        let candidate = profile("s", "c").unwrap().validate().unwrap();
        assert!(
            candidate.name.starts_with("<img src=x onerror="),
            "kept literally"
        );
        assert!(!candidate.name.contains('\u{202E}') && !candidate.name.contains('\u{7}'));
        assert!(candidate.emails.is_empty(), "{:?}", candidate.emails);
        assert!(candidate.linkedin_url.is_none() && candidate.website_urls.is_empty());
        assert_eq!(candidate.status, None);
        assert!(js_sys::Reflect::get(&js_sys::global(), &"__xss".into())
            .unwrap()
            .is_undefined());
    }

    #[wasm_bindgen_test]
    fn a_batch_of_changes_touches_only_the_cards_it_changed() {
        load(include_str!("../../tests/fixtures/pages/search.html"));
        let observer = web_sys::MutationObserver::new(&js_sys::Function::new_no_args("")).unwrap();
        let options = web_sys::MutationObserverInit::new();
        options.set_child_list(true);
        options.set_subtree(true);
        options.set_character_data(true);
        options.set_attribute_filter(&js_sys::Array::of1(&"aria-pressed".into()));
        observer
            .observe_with_options(&dom::document().body().unwrap(), &options)
            .unwrap();
        let all_cards = cards();
        // A status text updated in place, and a Like pressed on another card.
        let status = all_cards[0]
            .query_selector("[role=\"status\"]")
            .unwrap()
            .unwrap();
        status
            .first_child()
            .unwrap()
            .set_node_value(Some("Contacted"));
        let like = all_cards[1]
            .query_selector("[aria-label=\"Like\"]")
            .unwrap()
            .unwrap();
        like.set_attribute("aria-pressed", "true").unwrap();
        let touched = touched_cards(&records(&observer));
        assert_eq!(touched, [all_cards[0].clone(), all_cards[1].clone()]);
        // A card added inside a wrapper is found; unrelated changes touch nothing.
        let wrapper = dom::element("div", "", &[]);
        wrapper
            .append_child(&all_cards[2].clone_node_with_deep(true).unwrap())
            .unwrap();
        dom::document()
            .body()
            .unwrap()
            .append_child(&wrapper)
            .unwrap();
        let unrelated = dom::element("p", "x", &[]);
        dom::document()
            .body()
            .unwrap()
            .append_child(&unrelated)
            .unwrap();
        let touched = touched_cards(&records(&observer));
        assert_eq!(touched.len(), 1);
        assert!(touched[0].parent_element().unwrap() == wrapper);
        // Our own status host going into a card is no change of the page's; a page element
        // wearing its attribute is.
        let ours = dom::element("div", "", &[]);
        card_dom::own_host(&ours);
        all_cards[0].append_child(&ours).unwrap();
        let (cards, adds_nodes) = read_batch(&records(&observer), Some("search-eng-berlin"));
        assert!(cards.is_empty() && !adds_nodes);
        let theirs = dom::element("div", "", &[("data-fetcher-ashby-status", "x")]);
        all_cards[1].append_child(&theirs).unwrap();
        let (cards, adds_nodes) = read_batch(&records(&observer), Some("search-eng-berlin"));
        assert!(adds_nodes);
        assert_eq!(cards.len(), 1);
        assert_eq!(cards[0].host_for, "x");
        assert_eq!(cards[0].raw.as_ref().unwrap().candidate_id, "cand-b");
        ours.remove();
        theirs.remove();
        observer.disconnect();
        // Leave only the fixture behind for the other tests.
        wrapper.remove();
        unrelated.remove();
    }

    #[wasm_bindgen_test]
    fn likes_named_otherwise_are_read_later_and_once() {
        forget_cards();
        let observer = web_sys::MutationObserver::new(&js_sys::Function::new_no_args("")).unwrap();
        let options = web_sys::MutationObserverInit::new();
        options.set_child_list(true);
        options.set_subtree(true);
        observer
            .observe_with_options(&dom::document().body().unwrap(), &options)
            .unwrap();
        load(include_str!(
            "../../tests/fixtures/pages/search-named-otherwise.html"
        ));
        let (batch, _) = read_batch(&records(&observer), Some("search-eng-berlin"));
        assert_eq!(batch.len(), 2);
        assert!(batch.iter().all(ReadCard::like_unread), "left for later");
        // A card gone before its Like is read gives nothing (its elements would read as hidden).
        let gone = batch[1].element.clone();
        let (parent, next) = (gone.parent_node().unwrap(), gone.next_sibling());
        gone.remove();
        assert!(settle_like(&batch[1]).is_none());
        parent.insert_before(&gone, next.as_ref()).unwrap();
        let liked: Vec<bool> = batch
            .iter()
            .map(|card| settle_like(card).unwrap().like_pressed)
            .collect();
        assert_eq!(liked, [true, true], "hidden text, then title over an icon");
        // Re-rendered cards that read the same come with their Like state read.
        let copy = batch[0].element.clone_node_with_deep(true).unwrap();
        batch[0].element.replace_with_with_node_1(&copy).unwrap();
        let (again, _) = read_batch(&records(&observer), Some("search-eng-berlin"));
        assert!(again.iter().any(|card| *card.element == copy));
        assert!(again
            .iter()
            .all(|card| !card.like_unread() && card.raw.as_ref().unwrap().like_pressed));
        observer.disconnect();
    }

    fn touched_cards(records: &js_sys::Array) -> Vec<Element> {
        read_batch(records, Some("search-eng-berlin"))
            .0
            .into_iter()
            .map(|card| card.element)
            .collect()
    }

    fn records(observer: &web_sys::MutationObserver) -> js_sys::Array {
        observer.take_records()
    }

    #[wasm_bindgen_test]
    fn reads_cards_and_the_search_in_this_search_only() {
        load(include_str!("../../tests/fixtures/pages/search.html"));
        let route = FetcherRoute::Search {
            search_id: "search-eng-berlin".parse().unwrap(),
        };
        let seen = page_seen(&route);
        assert_eq!(seen.account_email.as_deref(), Some("jane@agency.com"));
        assert_eq!(
            seen.search_title.as_deref(),
            Some("Senior Backend Engineer – Berlin")
        );
        assert_eq!(seen.search_owner_email.as_deref(), Some("jane@agency.com"));
        let cards: Vec<_> = cards()
            .iter()
            .filter_map(|c| card(c, "search-eng-berlin"))
            .map(|raw| raw.validate().unwrap())
            .collect();
        assert_eq!(cards.len(), 2, "the card for another search is ignored");
        assert_eq!(cards[0].name, "Ana Alves");
        assert_eq!(cards[0].status, Some(CandidateStatus::Liked));
        assert!(cards[0].liked);
        assert_eq!(cards[1].candidate_id, "cand-b");
        assert_eq!(cards[1].status, Some(CandidateStatus::Contacted));
    }
}
