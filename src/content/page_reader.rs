//! Reads Fetcher pages the way a screen reader does (`shared/fetcher-page-model.md`): routes,
//! landmarks, roles, accessible names and link targets, never CSS classes or exact nesting.
//! It only collects raw strings; `fetcher::fields` validates and bounds them.

use super::accname;
use super::dom;
use crate::browser::card_dom;
use crate::fetcher::fields::RawCandidate;
use crate::fetcher::route::FetcherRoute;
use crate::messages::PageSeen;
use wasm_bindgen::JsCast;
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
        .find(|text| text.contains(" at "));
    let mut links = profile_links(&main);
    if let Some(section) = by_name(&main, "Links") {
        links.extend(all(&section, "a[href]").iter().filter_map(href));
    }
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

/// The candidate a search-page card shows (`article` or `role="article"`), if it links to a
/// profile in this search. The card is read in one call (`browser::card_dom`): this runs for
/// every card on every re-render.
pub fn card(article: &Element, search_id: &str) -> Option<RawCandidate> {
    let snapshot = CardSnapshot::parse(card_dom::read_card(article));
    let (name, candidate_id) = snapshot.anchors.iter().find_map(|anchor| {
        match FetcherRoute::from_path(&anchor.pathname)? {
            FetcherRoute::Profile {
                search_id: s,
                candidate_id,
            } if s == search_id => Some((anchor.text.clone(), candidate_id)),
            _ => None,
        }
    })?;
    let like_pressed = snapshot.like_pressed(article);
    // Contact links are optional on cards; when shown they let automation check Ashby for
    // duplicates without waiting for the profile.
    Some(RawCandidate {
        search_id: search_id.to_owned(),
        candidate_id: candidate_id.to_string(),
        name: bounded(name),
        email_hrefs: snapshot.mailto.into_iter().map(bounded).collect(),
        phone_hrefs: snapshot.tel.into_iter().map(bounded).collect(),
        link_hrefs: snapshot
            .anchors
            .into_iter()
            .map(|anchor| bounded(anchor.href))
            .filter(|url| is_profile_link(url))
            .collect(),
        status_text: snapshot.status.map(bounded),
        like_pressed,
        ..RawCandidate::default()
    })
}

/// One link of a card: its path, text and resolved URL.
struct CardAnchor {
    pathname: String,
    text: String,
    href: String,
}

/// One button of a card: whether it has `aria-labelledby`, its `aria-label` (empty when
/// absent), its `aria-pressed`.
struct CardButton {
    labelledby: bool,
    label: String,
    pressed: String,
}

/// What `card_dom::read_card` returned, by kind, in document order.
#[derive(Default)]
struct CardSnapshot {
    anchors: Vec<CardAnchor>,
    mailto: Vec<String>,
    tel: Vec<String>,
    status: Option<String>,
    buttons: Vec<CardButton>,
}

impl CardSnapshot {
    fn parse(strings: Vec<String>) -> Self {
        let mut snapshot = Self::default();
        let mut strings = strings.into_iter();
        let mut next = || strings.next();
        while let Some(tag) = next() {
            match tag.as_str() {
                "a" => {
                    let (Some(pathname), Some(text), Some(href)) = (next(), next(), next()) else {
                        break;
                    };
                    snapshot.anchors.push(CardAnchor {
                        pathname,
                        text,
                        href,
                    });
                }
                "m" => snapshot.mailto.extend(next()),
                "t" => snapshot.tel.extend(next()),
                "s" => snapshot.status = next(),
                "b" => {
                    let (Some(labelledby), Some(label), Some(pressed)) = (next(), next(), next())
                    else {
                        break;
                    };
                    snapshot.buttons.push(CardButton {
                        labelledby: labelledby == "1",
                        label,
                        pressed,
                    });
                }
                _ => break,
            }
        }
        snapshot
    }

    /// Whether the card's first button named `Like` is pressed. A plain `aria-label` names a
    /// button without reading the page again; any other form is computed on the element
    /// (`accname`), as [`like_button`] does.
    fn like_pressed(&self, article: &Element) -> bool {
        let mut elements = None;
        for (index, button) in self.buttons.iter().enumerate() {
            let is_like = match accname::label_is(button.labelledby, &button.label, "Like") {
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
    url.contains("linkedin.com/") || url.contains("github.com/")
}

/// The profile's name heading (where the profile's upload status goes).
pub fn profile_heading() -> Option<Element> {
    first(
        &first(&dom::document().document_element()?, "main")?,
        HEADING_1,
    )
}

const CARD: &str = "article, [role=\"article\"]";

/// Every candidate card on the page.
pub fn cards() -> Vec<Element> {
    dom::document()
        .document_element()
        .map(|root| all(&root, CARD))
        .unwrap_or_default()
}

/// The cards a batch of DOM changes touched (`records`, the observer's `MutationRecord`
/// array): cards added (or inside added nodes) and cards whose content changed, each once.
/// Keeps per-batch work proportional to what changed, not to the page.
pub fn cards_touched(records: &js_sys::Array) -> Vec<Element> {
    card_dom::touched_cards(records)
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
    use crate::domain::CandidateStatus;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// Loads a fixture into the test page (test-only: the fixture is our own file), replacing
    /// the previous one but not the test runner's own elements.
    fn load(fixture: &str) {
        let document = dom::document();
        if let Some(old) = document.get_element_by_id("fixture") {
            old.remove();
        }
        let body = document.create_element("div").unwrap();
        body.set_id("fixture");
        document.body().unwrap().append_child(&body).unwrap();
        let template = dom::document().create_element("template").unwrap();
        template
            .unchecked_ref::<web_sys::HtmlTemplateElement>()
            .set_inner_html(fixture);
        let content = template
            .unchecked_ref::<web_sys::HtmlTemplateElement>()
            .content();
        body.append_child(&content).unwrap();
    }

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
        let touched = cards_touched(&records(&observer));
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
        let touched = cards_touched(&records(&observer));
        assert_eq!(touched.len(), 1);
        assert!(touched[0].parent_element().unwrap() == wrapper);
        observer.disconnect();
        // Leave only the fixture behind for the other tests.
        wrapper.remove();
        unrelated.remove();
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
