//! Adds "Send to Ashby" to the menu the profile's ⋮ (More actions) button opens, and to no
//! other menu on the page (`shared/fetcher-page-model.md`). The page may render that menu
//! when it opens, keep it in the DOM hidden and only show it, or move it to a portal at the
//! end of `body`; the button may point at it with `aria-controls` and report
//! `aria-expanded`. So the menu is recognised by what the button says or, failing that, as
//! the menu that became shown after the button was activated.
//!
//! The item acts only on trusted input (a real click, Enter or Space): the page's scripts
//! cannot choose it for the recruiter. One capture-phase listener on the document, registered
//! with the profile route's signal, follows the ⋮ button and acts for the items: no listener
//! is added per menu opening or per item.

use super::feature::{listen, Batch, Feature};
use super::{accname, dom, page_reader};
use crate::fetcher::route::FetcherRoute;
use crate::messages::MenuPlacement;
use crate::text;
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use web_sys::{AbortSignal, Element, MutationObserver, MutationObserverInit, MutationRecord};

/// Marks what this feature added, so it is never added twice and can be removed.
const MARK: &str = "data-fetcher-ashby";
const MARK_VALUE: &str = "send-to-ashby";
/// The items, by `MARK` and `MARK_VALUE` (spelled out: no formatting at run time).
const ITEM: &str = "[data-fetcher-ashby=\"send-to-ashby\"]";
const MENU: &str = "[role=\"menu\"]";
/// How long after the button is activated a menu that appears counts as its menu.
const OPENING_WINDOW_MS: i32 = 3_000;

/// The ⋮ menu being followed, from the button's activation until the menu closes.
struct Tracking {
    button: Element,
    /// Menus already shown when the button was activated (never ours).
    shown_before: Vec<Element>,
    /// The menu the item went into, while it is open.
    menu: Option<Element>,
    /// Watches the document for the menu appearing, being shown, re-rendered or closed.
    observer: MutationObserver,
    _callback: Closure<dyn FnMut(Vec<MutationRecord>)>,
    /// Which activation this is (a later one replaces it).
    generation: u32,
}

pub struct SendMenuItem;

thread_local! {
    static TRACKING: RefCell<Option<Tracking>> = const { RefCell::new(None) };
    static GENERATION: Cell<u32> = const { Cell::new(0) };
    static PLACEMENT: Cell<MenuPlacement> = const { Cell::new(MenuPlacement::NotOpened) };
    static LAST_ACTIVATION_MS: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
    /// The items this feature made (a page element wearing our mark is not one of them).
    static ITEMS: js_sys::WeakSet = js_sys::WeakSet::new();
    /// The one input listener, added on each profile route with its signal.
    static ON_INPUT: Closure<dyn FnMut(web_sys::Event)> = Closure::new(on_input);
}

impl Feature for SendMenuItem {
    /// On a profile, listens for the recruiter activating the ⋮ button or the item. Capture
    /// phase, so the menus shown before the page reacts are known.
    fn enter(&self, route: Option<&FetcherRoute>, signal: &AbortSignal) {
        if matches!(route, Some(FetcherRoute::Profile { .. })) {
            listen_for_input(signal);
        }
    }

    /// Removes the items and stops following a menu.
    fn leave(&self) {
        teardown();
    }

    fn nodes_touched(&self, route: &FetcherRoute, batch: &Batch) {
        if matches!(route, FetcherRoute::Profile { .. }) {
            on_mutations(batch.records());
        }
    }
}

/// Whether the item went into the profile's menu (for the popup's "This page" report).
pub fn placement() -> MenuPlacement {
    PLACEMENT.with(Cell::get)
}

fn listen_for_input(signal: &AbortSignal) {
    let document = dom::document();
    ON_INPUT.with(|on_input| {
        let kinds = ["pointerdown", "keydown", "click"];
        listen(
            &document,
            &kinds,
            on_input.as_ref().unchecked_ref(),
            signal,
            true,
        );
    });
}

fn on_input(event: web_sys::Event) {
    if !event.is_trusted() {
        return;
    }
    let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    let ours = target
        .closest(ITEM)
        .ok()
        .flatten()
        .is_some_and(|item| ITEMS.with(|items| items.has(item.unchecked_ref())));
    if ours {
        return on_item_input(&event);
    }
    if let Some(key) = event.dyn_ref::<web_sys::KeyboardEvent>() {
        if !matches!(key.key().as_str(), "Enter" | " " | "ArrowDown" | "ArrowUp") {
            return;
        }
    }
    let Some(button) = target
        .closest(accname::BUTTONS)
        .ok()
        .flatten()
        .filter(|b| accname::has_name(b, "More actions"))
    else {
        return;
    };
    // Activating the button of an open menu closes it: nothing to follow.
    if button.get_attribute("aria-expanded").as_deref() == Some("true") {
        return;
    }
    let now = js_sys::Date::now();
    // A click right after the pointerdown or key that opened the menu is the same activation.
    if event.type_() == "click" && now - LAST_ACTIVATION_MS.with(Cell::get) < 1_000.0 {
        return;
    }
    LAST_ACTIVATION_MS.with(|t| t.set(now));
    track(button, &[]);
}

/// The recruiter's own click, Enter or Space on the item (the caller checked it is trusted).
/// Enter and Space act directly (never through a synthetic click, which is ignored), and still
/// reach the page's menu so it closes as it does for its own items.
fn on_item_input(event: &web_sys::Event) {
    let chosen = match event.dyn_ref::<web_sys::KeyboardEvent>() {
        Some(key) => {
            key.type_() == "keydown" && !key.repeat() && matches!(key.key().as_str(), "Enter" | " ")
        }
        None => event.type_() == "click",
    };
    if chosen {
        if event.type_() == "keydown" {
            event.prevent_default();
        }
        wasm_bindgen_futures::spawn_local(on_choose());
    }
}

/// DOM changes seen by the content script's observer: the ⋮ button reporting
/// `aria-expanded="true"` (however it was opened) starts following its menu too.
fn on_mutations(records: &[MutationRecord]) {
    let mut expanded = None;
    let mut changed: Vec<Element> = Vec::new();
    for record in records {
        let Some(target) = record.target().and_then(dom::as_element) else {
            continue;
        };
        if record.attribute_name().as_deref() == Some("aria-expanded")
            && target.get_attribute("aria-expanded").as_deref() == Some("true")
            && accname::has_name(&target, "More actions")
        {
            expanded = Some(target.clone());
        }
        changed.push(target);
        let added = record.added_nodes();
        changed.extend((0..added.length()).filter_map(|i| dom::as_element(added.item(i)?)));
    }
    let Some(button) = expanded else {
        return;
    };
    let already = TRACKING.with_borrow(|t| t.as_ref().is_some_and(|t| t.button == button));
    if !already {
        // Menus that changed in this very batch may be the one just opened: not "before".
        track(button, &changed);
    } else {
        check();
    }
}

/// Starts following the menu `button` opens.
fn track(button: Element, changed_now: &[Element]) {
    stop_tracking();
    let generation = GENERATION.with(|g| {
        g.set(g.get().wrapping_add(1));
        g.get()
    });
    let shown_before: Vec<Element> = shown_menus()
        .into_iter()
        .filter(|menu| !changed_now.iter().any(|c| c.contains(Some(menu))))
        .collect();
    let callback = Closure::<dyn FnMut(Vec<MutationRecord>)>::new(|_| check());
    let Ok(observer) = MutationObserver::new(callback.as_ref().unchecked_ref()) else {
        return;
    };
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    options.set_attribute_filter(&js_sys::Array::of5(
        &"hidden".into(),
        &"style".into(),
        &"class".into(),
        &"aria-hidden".into(),
        &"aria-expanded".into(),
    ));
    if let Some(root) = dom::document().document_element() {
        let _ = observer.observe_with_options(&root, &options);
    }
    TRACKING.set(Some(Tracking {
        button,
        shown_before,
        menu: None,
        observer,
        _callback: callback,
        generation,
    }));
    // Menus shown without any DOM change we observe (e.g. a CSS transition) are found by
    // looking again shortly; a menu that never appears is reported.
    for delay in [0, 100, 400] {
        after(delay, check);
    }
    after(OPENING_WINDOW_MS, move || {
        let unplaced = TRACKING.with_borrow(|t| {
            t.as_ref()
                .is_some_and(|t| t.generation == generation && t.menu.is_none())
        });
        if unplaced {
            stop_tracking();
            if placement() != MenuPlacement::Placed {
                PLACEMENT.with(|p| p.set(MenuPlacement::MenuNotFound));
            }
        }
    });
}

fn after(ms: i32, action: impl FnOnce() + 'static) {
    let callback = Closure::once_into_js(action);
    let _ = dom::window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), ms);
}

fn stop_tracking() {
    if let Some(tracking) = TRACKING.take() {
        tracking.observer.disconnect();
    }
}

/// Places the item in the followed button's menu once it is shown; keeps it there while the
/// menu is open (a re-render may drop it) and stops following once the menu has closed.
fn check() {
    enum Next {
        Place(Element),
        Keep,
        Stop,
        Wait,
    }
    let next = TRACKING.with_borrow(|tracking| {
        let Some(tracking) = tracking.as_ref() else {
            return Next::Wait;
        };
        if let Some(menu) = &tracking.menu {
            if menu.is_connected() && is_shown(menu) {
                return Next::Keep;
            }
        }
        match controlled_menu(tracking) {
            Some(menu) => Next::Place(menu),
            None if tracking.menu.is_some()
                && tracking.button.get_attribute("aria-expanded").as_deref() != Some("true") =>
            {
                Next::Stop
            }
            None => Next::Wait,
        }
    });
    match next {
        Next::Place(menu) => {
            add_item(&menu);
            PLACEMENT.with(|p| p.set(MenuPlacement::Placed));
            TRACKING.with_borrow_mut(|t| {
                if let Some(tracking) = t.as_mut() {
                    tracking.menu = Some(menu);
                }
            });
        }
        Next::Keep => {
            if let Some(menu) = TRACKING.with_borrow(|t| t.as_ref()?.menu.clone()) {
                add_item(&menu);
            }
        }
        Next::Stop => stop_tracking(),
        Next::Wait => {}
    }
}

/// The shown menu the button controls: its `aria-controls` target when it names a menu, else
/// the menu shown since the button was activated.
fn controlled_menu(tracking: &Tracking) -> Option<Element> {
    let document = dom::document();
    let controlled: Vec<Element> = tracking
        .button
        .get_attribute("aria-controls")
        .unwrap_or_default()
        .split_ascii_whitespace()
        .filter_map(|id| document.get_element_by_id(id))
        .filter_map(|target| {
            if target.matches(MENU).unwrap_or(false) {
                Some(target)
            } else {
                target.query_selector(MENU).ok().flatten()
            }
        })
        .collect();
    if !controlled.is_empty() {
        return controlled.into_iter().find(is_shown);
    }
    shown_menus()
        .into_iter()
        .find(|menu| !tracking.shown_before.contains(menu))
}

/// Every `role="menu"` shown on the page (outside this extension's own UI).
fn shown_menus() -> Vec<Element> {
    let Some(root) = dom::document().document_element() else {
        return Vec::new();
    };
    dom::with_role(&root, "menu")
        .into_iter()
        .filter(is_shown)
        .collect()
}

/// Rendered and not hidden from assistive technology.
fn is_shown(element: &Element) -> bool {
    accname::is_rendered(element)
        && element
            .closest("[aria-hidden=\"true\"]")
            .ok()
            .flatten()
            .is_none()
}

/// Removes the items this feature added and stops following a menu (route change).
fn teardown() {
    stop_tracking();
    PLACEMENT.with(|p| p.set(MenuPlacement::NotOpened));
    if let Ok(list) = dom::document().query_selector_all(ITEM) {
        for node in (0..list.length()).filter_map(|i| list.item(i)) {
            if let Some(element) = dom::as_element(node) {
                element.remove();
            }
        }
    }
}

fn add_item(menu: &Element) {
    if menu.query_selector(ITEM).ok().flatten().is_some() {
        return;
    }
    let item = dom::element(
        "div",
        text::SEND_TO_ASHBY,
        &[("role", "menuitem"), ("tabindex", "-1"), (MARK, MARK_VALUE)],
    );
    ITEMS.with(|items| items.add(item.unchecked_ref()));
    add_focus_style();
    let _ = menu.append_child(&item);
}

/// A visible focus ring for the item, whatever the page's CSS does to its own items.
fn add_focus_style() {
    const STYLE_ID: &str = "fetcher-ashby-menu-focus";
    let document = dom::document();
    if document.get_element_by_id(STYLE_ID).is_some() {
        return;
    }
    const CSS: &str =
        "[data-fetcher-ashby=\"send-to-ashby\"]:focus{outline:2px solid #4f46e5;outline-offset:-2px}";
    let style = dom::element("style", CSS, &[("id", STYLE_ID)]);
    if let Some(parent) = document
        .query_selector("head")
        .ok()
        .flatten()
        .or_else(|| document.document_element())
    {
        let _ = parent.append_child(&style);
    }
}

/// Opens the Send dialog on the profile (or explains why it cannot).
async fn on_choose() {
    super::send_dialog::open_for_profile(more_actions_button()).await;
}

/// The review-and-send flow for the open profile (the popup's "Send this profile to Ashby"):
/// opens the Send dialog, or says why it cannot.
pub(super) async fn open_flow() -> Result<(), super::send_dialog::Unsendable> {
    let candidate = super::send_dialog::read_profile()?;
    super::send_dialog::open(candidate, more_actions_button()).await
}

/// The ⋮ button, where focus returns when the dialog closes.
pub(super) fn more_actions_button() -> Option<web_sys::HtmlElement> {
    page_reader::more_actions_button()?.dyn_into().ok()
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn menu_with_one_item() -> Element {
        let menu = dom::element("div", "", &[("role", "menu")]);
        let existing = dom::element("div", "Archive", &[("role", "menuitem")]);
        menu.append_child(&existing).unwrap();
        dom::document().body().unwrap().append_child(&menu).unwrap();
        menu
    }

    fn our_items(root: &Element) -> u32 {
        root.query_selector_all(ITEM).unwrap().length()
    }

    #[wasm_bindgen_test]
    fn adds_one_menu_item_however_often_it_is_asked() {
        assert_eq!(ITEM, format!("[{MARK}=\"{MARK_VALUE}\"]"));
        let menu = menu_with_one_item();
        add_item(&menu);
        add_item(&menu);
        assert_eq!(our_items(&menu), 1);
        let item = menu.last_element_child().unwrap();
        assert_eq!(item.get_attribute("role").as_deref(), Some("menuitem"));
        assert_eq!(item.text_content().as_deref(), Some(text::SEND_TO_ASHBY));
        teardown();
        assert_eq!(our_items(&menu), 0);
        menu.remove();
    }

    async fn settle() {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            dom::window()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 60)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }

    /// A profile fragment: the ⋮ button (named by visually hidden text) and another menu
    /// already shown on the page.
    fn profile_with_other_menu() -> (Element, Element, Element) {
        let body = dom::document().body().unwrap();
        let main = dom::element("main", "", &[]);
        let button = dom::element("button", "", &[("aria-expanded", "false")]);
        let label = dom::element(
            "span",
            "More actions",
            &[("style", "position:absolute;clip:rect(0 0 0 0)")],
        );
        button.append_child(&label).unwrap();
        main.append_child(&button).unwrap();
        body.append_child(&main).unwrap();
        let other = menu_with_one_item();
        (main, button, other)
    }

    #[wasm_bindgen_test]
    async fn a_menu_rendered_in_a_portal_after_activation_gets_the_item_and_no_other_does() {
        let (main, button, other) = profile_with_other_menu();
        track(button.clone(), &[]);
        // Rendered on open, nested in wrappers, at the end of body (a portal).
        let wrapper = dom::element("div", "", &[("class", "x9f2")]);
        let menu = dom::element("ul", "", &[("role", "menu")]);
        wrapper.append_child(&menu).unwrap();
        dom::document()
            .body()
            .unwrap()
            .append_child(&wrapper)
            .unwrap();
        settle().await;
        assert_eq!(our_items(&menu), 1);
        assert_eq!(
            our_items(&other),
            0,
            "the menu shown before is not the button's"
        );
        assert_eq!(placement(), MenuPlacement::Placed);
        // Re-rendered items (React) lose the item; it comes back while the menu is open.
        menu.set_text_content(Some(""));
        settle().await;
        assert_eq!(our_items(&menu), 1);
        teardown();
        assert_eq!(our_items(&menu), 0);
        for element in [main, other, wrapper] {
            element.remove();
        }
    }

    #[wasm_bindgen_test]
    async fn a_persistent_hidden_menu_named_by_aria_controls_gets_the_item_when_shown() {
        let (main, button, other) = profile_with_other_menu();
        let body = dom::document().body().unwrap();
        // Two hidden menus kept in the DOM; the button controls the second one.
        let decoy = dom::element("div", "", &[("role", "menu"), ("hidden", "")]);
        let menu = dom::element(
            "div",
            "",
            &[("role", "menu"), ("id", "mine"), ("hidden", "")],
        );
        body.append_child(&decoy).unwrap();
        body.append_child(&menu).unwrap();
        button.set_attribute("aria-controls", "mine").unwrap();
        track(button.clone(), &[]);
        settle().await;
        assert_eq!(our_items(&menu), 0, "not while it is hidden");
        decoy.remove_attribute("hidden").unwrap();
        settle().await;
        assert_eq!(
            our_items(&decoy),
            0,
            "another menu shown meanwhile is not it"
        );
        menu.remove_attribute("hidden").unwrap();
        button.set_attribute("aria-expanded", "true").unwrap();
        settle().await;
        assert_eq!(our_items(&menu), 1);
        assert_eq!(our_items(&other) + our_items(&decoy), 0);
        teardown();
        for element in [main, other, decoy, menu] {
            element.remove();
        }
    }

    #[wasm_bindgen_test]
    async fn a_hidden_menu_shown_after_activation_gets_the_item_without_aria_controls() {
        let (main, button, other) = profile_with_other_menu();
        let menu = dom::element("div", "", &[("role", "menu"), ("style", "display:none")]);
        main.append_child(&menu).unwrap();
        track(button.clone(), &[]);
        menu.set_attribute("style", "display:block").unwrap();
        settle().await;
        assert_eq!(our_items(&menu), 1);
        assert_eq!(our_items(&other), 0);
        teardown();
        for element in [main, other] {
            element.remove();
        }
    }

    #[wasm_bindgen_test]
    async fn synthetic_events_from_the_page_do_not_choose_the_item() {
        // Listening as on a profile route.
        let route = web_sys::AbortController::new().unwrap();
        listen_for_input(&route.signal());
        let menu = menu_with_one_item();
        add_item(&menu);
        let item: web_sys::HtmlElement = menu.last_element_child().unwrap().unchecked_into();
        item.click();
        let init = js_sys::Object::new();
        js_sys::Reflect::set(&init, &"key".into(), &"Enter".into()).unwrap();
        js_sys::Reflect::set(&init, &"bubbles".into(), &JsValue::TRUE).unwrap();
        let constructor = js_sys::Reflect::get(&js_sys::global(), &"KeyboardEvent".into())
            .unwrap()
            .unchecked_into::<js_sys::Function>();
        let enter: web_sys::Event =
            js_sys::Reflect::construct(&constructor, &js_sys::Array::of2(&"keydown".into(), &init))
                .unwrap()
                .unchecked_into();
        item.dispatch_event(&enter).unwrap();
        // Also handed straight to the listener (whatever the page did to its propagation).
        on_input(enter);
        settle().await;
        // Choosing it asks the worker and, with none here, shows a notice.
        let notice = || dom::document().get_element_by_id("fetcher-ashby-notice");
        assert!(notice().is_none(), "neither event chose the item");
        on_choose().await;
        assert!(notice().is_some(), "choosing it does show one");
        notice().unwrap().remove();
        teardown();
        route.abort();
        menu.remove();
    }
}
