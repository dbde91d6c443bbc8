//! Accessible names as browsers compute them (W3C "Accessible Name and Description
//! Computation"), the parts pages actually use: `aria-labelledby` → `aria-label` → the native
//! label (`<label>`, `alt`, a button input's value, a fieldset's legend) → the element's own
//! content for roles named from content (buttons, links, menu items, headings…), visually
//! hidden text included and `aria-hidden` / not rendered content skipped → `title` last.
//!
//! The page model names elements this way and a page may use any of these forms, so the
//! adapter finds named elements only through [`find`]. It runs on hot paths: callers filter
//! candidates by tag or role first, and an `aria-label` answers without walking content.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Node};

/// Elements that may carry any of the page model's names (a pre-filter, not a rule: the name
/// is still computed for each).
pub const ANY_NAMED: &str = "button, [role=\"button\"], a[href], [aria-label], \
     [aria-labelledby], [title]";
/// Buttons only (Like, More actions).
pub const BUTTONS: &str = "button, [role=\"button\"]";
/// Elements named only by attributes (a generic `div`/`span`/`section`: Location, Links…).
pub const LABELLED: &str = "[aria-label], [aria-labelledby], [title]";

/// The first element inside `scope` (not `scope` itself) matching `candidates` whose
/// accessible name is `name` (after whitespace is collapsed; case matters, as for a screen
/// reader user who hears it).
pub fn find(scope: &Element, candidates: &str, name: &str) -> Option<Element> {
    let list = scope.query_selector_all(candidates).ok()?;
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .find(|element| has_name(element, name))
}

/// Whether `element`'s accessible name is `name`.
pub fn has_name(element: &Element, name: &str) -> bool {
    // Fast path: a plain `aria-label` is the name without walking any content.
    if !element.has_attribute("aria-labelledby") {
        if let Some(label) = element.get_attribute("aria-label") {
            if !label.trim().is_empty() {
                return collapse(&label) == name;
            }
        }
    }
    accessible_name(element) == name
}

/// Whether a button with this `aria-label` (empty when absent) is named `name`, when that can
/// be told from the attributes alone: `None` when the name must be computed on the element
/// ([`has_name`]'s fast path, for callers that read the attributes in bulk).
pub fn label_is(has_labelledby: bool, label: &str, name: &str) -> Option<bool> {
    (!has_labelledby && !label.trim().is_empty()).then(|| collapse(label) == name)
}

/// The accessible name of `element`, whitespace collapsed and trimmed.
pub fn accessible_name(element: &Element) -> String {
    let walk = Walk {
        // Content of an element that is not rendered at all (e.g. inside a closed, hidden
        // menu) is still its content: style-based hiding is only checked when the root shows.
        root: element.clone(),
        check_rendering: is_rendered(element),
        budget: std::cell::Cell::new(MAX_NODES),
    };
    collapse(&walk.name(element, ROOT, 0))
}

/// Where in the computation the current node is reached from.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Step {
    /// The element whose name is asked for (not a descendant or a reference).
    root: bool,
    /// Inside an `aria-labelledby` traversal: another `aria-labelledby` is not followed (the
    /// spec's rule, which also makes reference cycles end).
    in_labelledby: bool,
    /// Below a hidden node that a reference chose directly: hidden descendants count too.
    hidden_ok: bool,
}

const ROOT: Step = Step {
    root: true,
    in_labelledby: false,
    hidden_ok: false,
};

/// Nodes visited for one name at most (a button or link has a handful).
const MAX_NODES: u32 = 2_000;
/// Hostile pages can nest deeply: past this depth, content is not read further.
const MAX_DEPTH: u32 = 64;

struct Walk {
    /// The element whose name is computed: met again inside its own label, it adds nothing.
    root: Element,
    check_rendering: bool,
    /// Nodes still allowed to visit (a bound on work for huge or hostile subtrees).
    budget: std::cell::Cell<u32>,
}

impl Walk {
    fn name(&self, element: &Element, step: Step, depth: u32) -> String {
        if depth > MAX_DEPTH || self.budget.get() == 0 {
            return String::new();
        }
        self.budget.set(self.budget.get() - 1);
        // 2A: hidden nodes count only when a reference chose them directly.
        if !step.root && !step.hidden_ok && self.is_hidden(element) {
            return String::new();
        }
        // 2E: a control embedded in another element's label contributes its value; the
        // control being named, met inside its own label, contributes nothing.
        if !step.root && is_form_control(element) {
            if element == &self.root {
                return String::new();
            }
            return input_value(element).unwrap_or_default();
        }
        // 2B: aria-labelledby, once (not from inside another labelledby traversal).
        if !step.in_labelledby {
            if let Some(ids) = element.get_attribute("aria-labelledby") {
                let joined = ids
                    .split_ascii_whitespace()
                    .filter_map(|id| by_id(element, id))
                    .map(|referenced| {
                        let referenced_step = Step {
                            root: false,
                            in_labelledby: true,
                            hidden_ok: self.is_hidden(&referenced),
                        };
                        self.name(&referenced, referenced_step, depth + 1)
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                if !joined.trim().is_empty() {
                    return joined;
                }
            }
        }
        // 2C: aria-label.
        if let Some(label) = element.get_attribute("aria-label") {
            if !label.trim().is_empty() {
                return label;
            }
        }
        // 2D: the host language's own label.
        if let Some(native) = self.native_label(element, step, depth) {
            if !native.trim().is_empty() {
                return native;
            }
        }
        // 2F: name from content: for roles that allow it, and always below the root.
        if !step.root || named_from_content(element) {
            let content = self.content(element, step, depth);
            if !content.trim().is_empty() {
                return content;
            }
        }
        // 2I: the tooltip attribute, last.
        element.get_attribute("title").unwrap_or_default()
    }

    /// The text of `element`'s children, each child's own name for elements.
    fn content(&self, element: &Element, step: Step, depth: u32) -> String {
        let child_step = Step {
            root: false,
            ..step
        };
        let mut text = String::new();
        let children = element.child_nodes();
        for node in (0..children.length()).filter_map(|i| children.item(i)) {
            match node.node_type() {
                Node::TEXT_NODE => text.push_str(&node.node_value().unwrap_or_default()),
                Node::ELEMENT_NODE => {
                    let child: Element = node.unchecked_into();
                    let block = is_block(&child);
                    if block {
                        text.push(' ');
                    }
                    text.push_str(&self.name(&child, child_step, depth + 1));
                    if block {
                        text.push(' ');
                    }
                }
                _ => {}
            }
        }
        text
    }

    /// `<label>` of a form control, `alt` of an image, the value of a button input, a
    /// fieldset's legend.
    fn native_label(&self, element: &Element, step: Step, depth: u32) -> Option<String> {
        let tag = element.tag_name().to_ascii_lowercase();
        match tag.as_str() {
            "img" | "area" => element.get_attribute("alt"),
            "input" => {
                let kind = element
                    .get_attribute("type")
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                match kind.as_str() {
                    "button" | "submit" | "reset" => input_value(element),
                    "image" => element.get_attribute("alt"),
                    _ => self.labels(element, step, depth),
                }
            }
            "select" | "textarea" | "meter" | "progress" | "output" => {
                self.labels(element, step, depth)
            }
            "fieldset" => {
                let legend = element.query_selector(":scope > legend").ok()??;
                Some(self.content(&legend, step, depth))
            }
            _ => None,
        }
    }

    fn labels(&self, element: &Element, step: Step, depth: u32) -> Option<String> {
        let labels = js_sys::Reflect::get(element, &"labels".into()).ok()?;
        let labels: web_sys::NodeList = labels.dyn_into().ok()?;
        let text = (0..labels.length())
            .filter_map(|i| labels.item(i)?.dyn_into::<Element>().ok())
            .map(|label| self.content(&label, step, depth + 1))
            .collect::<Vec<_>>()
            .join(" ");
        Some(text)
    }

    /// Not exposed to assistive technology: `aria-hidden="true"`, `hidden`, inert elements,
    /// or not rendered (`display: none`, `visibility: hidden`). Visually hidden text (clipped
    /// to one pixel, off screen) is rendered, so it counts.
    fn is_hidden(&self, element: &Element) -> bool {
        if element.get_attribute("aria-hidden").as_deref() == Some("true")
            || element.has_attribute("hidden")
        {
            return true;
        }
        let tag = element.tag_name().to_ascii_lowercase();
        if matches!(
            tag.as_str(),
            "script" | "style" | "template" | "noscript" | "head" | "title"
        ) {
            return true;
        }
        self.check_rendering && !is_rendered(element)
    }
}

/// Whether the element is rendered (`checkVisibility`, with `visibility` considered). Browsers
/// without it are treated as rendering everything (attributes still hide).
pub fn is_rendered(element: &Element) -> bool {
    let Ok(check) = js_sys::Reflect::get(element, &"checkVisibility".into()) else {
        return true;
    };
    let Some(check) = check.dyn_ref::<js_sys::Function>() else {
        return true;
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"visibilityProperty".into(), &JsValue::TRUE);
    check
        .call1(element, &options)
        .map_or(true, |visible| visible.as_bool().unwrap_or(true))
}

fn is_form_control(element: &Element) -> bool {
    matches!(
        element.tag_name().to_ascii_lowercase().as_str(),
        "input" | "textarea" | "select"
    )
}

fn input_value(element: &Element) -> Option<String> {
    js_sys::Reflect::get(element, &"value".into())
        .ok()?
        .as_string()
}

/// The element with this id in the same tree (document or shadow root) as `from`.
fn by_id(from: &Element, id: &str) -> Option<Element> {
    let root = from.get_root_node();
    let lookup = js_sys::Reflect::get(&root, &"getElementById".into()).ok()?;
    let lookup = lookup.dyn_ref::<js_sys::Function>()?;
    lookup
        .call1(&root, &JsValue::from_str(id))
        .ok()?
        .dyn_into::<Element>()
        .ok()
}

/// Roles whose name comes from their content (ARIA 1.2 "Name From: contents").
const CONTENT_ROLES: &[&str] = &[
    "button",
    "cell",
    "checkbox",
    "columnheader",
    "gridcell",
    "heading",
    "link",
    "menuitem",
    "menuitemcheckbox",
    "menuitemradio",
    "option",
    "radio",
    "row",
    "rowheader",
    "switch",
    "tab",
    "tooltip",
    "treeitem",
];

fn named_from_content(element: &Element) -> bool {
    let role = element.get_attribute("role").and_then(|r| {
        r.split_ascii_whitespace()
            .next()
            .map(str::to_ascii_lowercase)
    });
    if let Some(role) = role {
        return CONTENT_ROLES.contains(&role.as_str());
    }
    let tag = element.tag_name().to_ascii_lowercase();
    match tag.as_str() {
        "button" | "summary" | "option" | "td" | "th" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            true
        }
        "a" | "area" => element.has_attribute("href"),
        _ => false,
    }
}

/// Block-level elements separate the words of their neighbours.
fn is_block(element: &Element) -> bool {
    let tag = element.tag_name().to_ascii_lowercase();
    matches!(
        tag.as_str(),
        "div"
            | "p"
            | "li"
            | "ul"
            | "ol"
            | "br"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "dt"
            | "dd"
    )
}

/// Collapses runs of whitespace to one space and trims.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The algorithm on the specification's examples and the forms the page model allows, in
/// Chromium (`bash .ci/test wasm`).
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    use crate::content::test_page::load;

    fn name_of(markup: &str) -> String {
        let holder = load(markup);
        let target = holder.query_selector("#target").unwrap().expect("#target");
        let name = accessible_name(&target);
        // Other modules' tests read the whole document: leave nothing behind.
        holder.remove();
        name
    }

    #[wasm_bindgen_test]
    fn spec_example_labelledby_may_include_the_element_itself() {
        // ACCNAME, step 2B: "Delete Documentation.pdf".
        assert_eq!(
            name_of(
                r#"<button id="target" aria-label="Delete" aria-labelledby="target file_row1"></button>
                   <span id="file_row1">Documentation.pdf</span>"#
            ),
            "Delete Documentation.pdf"
        );
    }

    #[wasm_bindgen_test]
    fn labelledby_wins_over_label_and_content_and_is_followed_once() {
        assert_eq!(
            name_of(
                r#"<span id="a" aria-labelledby="b">Account</span><span id="b">Other</span>
                   <button id="target" aria-label="Ignored" aria-labelledby="a">jane@agency.com</button>"#
            ),
            "Account"
        );
        // References to missing ids or empty elements fall through to aria-label.
        assert_eq!(
            name_of(
                r#"<span id="empty"> </span>
                   <button id="target" aria-labelledby="missing empty" aria-label="Like">♡</button>"#
            ),
            "Like"
        );
    }

    #[wasm_bindgen_test]
    fn reference_cycles_and_deep_nesting_end() {
        // A descendant pointing back at the element: followed once, then not again.
        let looped = name_of(
            r#"<button id="target">Like<span aria-labelledby="target"> it</span></button>"#,
        );
        assert!(
            looped.starts_with("Like") && looped.ends_with("it"),
            "{looped}"
        );
        let deep = "<span>".repeat(500) + "deep" + &"</span>".repeat(500);
        assert_eq!(
            name_of(&format!(r#"<button id="target">Like{deep}</button>"#)),
            "Like",
            "content past the depth bound is not read"
        );
    }

    #[wasm_bindgen_test]
    fn a_hidden_element_names_others_when_referenced_directly() {
        // ACCNAME 2A: hidden referenced nodes count, with their hidden descendants.
        assert_eq!(
            name_of(
                r#"<div id="l" hidden>More <span style="display:none">actions</span></div>
                   <button id="target" aria-labelledby="l">⋮</button>"#
            ),
            "More actions"
        );
    }

    #[wasm_bindgen_test]
    fn visually_hidden_text_counts_and_aria_hidden_content_does_not() {
        let sr_only = "position:absolute;width:1px;height:1px;overflow:hidden;\
                       clip:rect(0 0 0 0);white-space:nowrap";
        assert_eq!(
            name_of(&format!(
                r#"<button id="target"><span aria-hidden="true">⋮</span><span style="{sr_only}">More actions</span></button>"#
            )),
            "More actions"
        );
        assert_eq!(
            name_of(
                r#"<button id="target">Like<span style="display:none"> it</span><span style="visibility:hidden"> now</span></button>"#
            ),
            "Like"
        );
    }

    #[wasm_bindgen_test]
    fn title_comes_last() {
        assert_eq!(
            name_of(
                r#"<button id="target" title="More actions"><svg aria-hidden="true"></svg></button>"#
            ),
            "More actions"
        );
        assert_eq!(
            name_of(r#"<button id="target" title="Tooltip">Like</button>"#),
            "Like"
        );
        // A generic element is not named by its content: its title names it.
        assert_eq!(
            name_of(r#"<span id="target" title="Location">Berlin, Germany</span>"#),
            "Location"
        );
        assert_eq!(name_of(r#"<span id="target">Berlin</span>"#), "");
    }

    #[wasm_bindgen_test]
    fn content_is_each_childs_own_name_with_blocks_separating_words() {
        // ACCNAME 2F: a child's aria-label and an image's alt replace their content.
        assert_eq!(
            name_of(
                r#"<a id="target" href="/x"><img alt="Lena"> <span aria-label="Hoffmann">LH</span></a>"#
            ),
            "Lena Hoffmann"
        );
        assert_eq!(
            name_of(r#"<div id="target" role="button"><div>More</div><div>actions</div></div>"#),
            "More actions"
        );
        assert_eq!(
            name_of(
                r#"<h2 id="target">  Links
                 </h2>"#
            ),
            "Links"
        );
    }

    #[wasm_bindgen_test]
    fn form_controls_are_named_by_their_labels() {
        assert_eq!(
            name_of(r#"<label for="target">Ashby job</label><input id="target">"#),
            "Ashby job"
        );
        assert_eq!(
            name_of(r#"<label>Email <input id="target" type="email"></label>"#),
            "Email"
        );
        // ACCNAME 2E: an embedded control contributes its value.
        assert_eq!(
            name_of(
                r#"<label for="target">Flash the screen <input value="3"> times</label><input id="target" type="checkbox">"#
            ),
            "Flash the screen 3 times"
        );
        assert_eq!(
            name_of(r#"<input id="target" type="submit" value="Send">"#),
            "Send"
        );
        assert_eq!(
            name_of(r#"<fieldset id="target"><legend>Links</legend><a href="/">x</a></fieldset>"#),
            "Links"
        );
    }

    #[wasm_bindgen_test]
    fn find_filters_candidates_then_matches_the_computed_name() {
        let holder = load(
            r#"<div role="menu" aria-label="More actions"></div>
               <button aria-label="Like">♡</button>
               <button><span class="sr" style="position:absolute;clip:rect(0 0 0 0)">More actions</span><span aria-hidden="true">⋮</span></button>
               <span id="l">Location</span><span aria-labelledby="l">Berlin</span>"#,
        );
        let more = find(&holder, BUTTONS, "More actions").expect("the button, not the menu");
        assert_eq!(more.tag_name(), "BUTTON");
        let location = find(&holder, LABELLED, "Location").unwrap();
        assert_eq!(location.text_content().as_deref(), Some("Berlin"));
        assert!(find(&holder, BUTTONS, "Share").is_none());
        assert!(has_name(
            &holder.query_selector("button").unwrap().unwrap(),
            "Like"
        ));
        holder.remove();
    }
}
