//! Views that their reactive closure draws anew on every run, where tachys would diff the new
//! view against the last one.
//!
//! Why: for every closure `move || view`, tachys compiles the view type's `rebuild`, a diff of
//! the whole tree (each attribute, text and child), besides its `build`. For a form or a
//! section that is several KB of wasm per closure, for an update that happens once or twice
//! in a popup's life (loading → loaded, a newer answer). A [`Redrawn`] view's `rebuild` builds
//! the new view and puts it where the old one was, so only `build` is compiled.
//!
//! The cost: the old nodes are replaced. Focus follows to the new element with the same id
//! (every control on these pages has one); a selection inside them, and typed text that no
//! signal holds, go. Use it where the closure re-runs only when what it shows is replaced
//! anyway.

use leptos::prelude::*;
use leptos::tachys::html::attribute::{any_attribute::AnyAttribute, Attribute};
use leptos::tachys::hydration::Cursor;
use leptos::tachys::view::add_attr::AddAnyAttr;
use leptos::tachys::view::{Mountable, Position, PositionState, Render, RenderHtml};
use wasm_bindgen::JsCast;

/// `view`, drawn anew (not diffed) when the closure that returns it runs again.
pub fn redrawn<V: IntoView>(view: V) -> Redrawn<V> {
    Redrawn(view)
}

/// See [`redrawn`].
pub struct Redrawn<V>(V);

impl<V: Render> Render for Redrawn<V> {
    type State = V::State;

    fn build(self) -> Self::State {
        self.0.build()
    }

    fn rebuild(self, state: &mut Self::State) {
        let focused = Focused::now();
        let mut new = self.0.build();
        // Every state this wraps has a node to insert before: an element, or the placeholder
        // an `Option` or `Either` branch keeps when it shows nothing.
        state.insert_before_this(&mut new);
        state.unmount();
        *state = new;
        focused.follow();
    }
}

/// The element that had focus before a view was replaced (not generic: one copy for every
/// redrawn view).
pub struct Focused(Option<web_sys::Element>);

impl Focused {
    pub fn now() -> Self {
        Self(web_sys::window().and_then(|w| w.document()?.active_element()))
    }

    /// If the focused element left the page with the old view, focuses the new element with
    /// its id, so the recruiter's place in the page survives a redraw.
    pub fn follow(self) {
        let Some(old) = self.0.filter(|old| !old.is_connected()) else {
            return;
        };
        let id = old.id();
        if id.is_empty() {
            return;
        }
        let new = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id));
        if let Some(new) = new.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = new.focus();
        }
    }
}

impl<V: AddAnyAttr> AddAnyAttr for Redrawn<V> {
    type Output<SomeNewAttr: Attribute> = Redrawn<V::Output<SomeNewAttr>>;

    fn add_any_attr<NewAttr: Attribute>(self, attr: NewAttr) -> Self::Output<NewAttr>
    where
        Self::Output<NewAttr>: RenderHtml,
    {
        Redrawn(self.0.add_any_attr(attr))
    }
}

/// Server rendering and hydration, which these pages never use, pass through to the view.
impl<V: RenderHtml> RenderHtml for Redrawn<V> {
    type AsyncOutput = V::AsyncOutput;
    type Owned = Redrawn<V::Owned>;

    const MIN_LENGTH: usize = V::MIN_LENGTH;

    fn dry_resolve(&mut self) {
        self.0.dry_resolve();
    }

    async fn resolve(self) -> Self::AsyncOutput {
        self.0.resolve().await
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0
            .to_html_with_buf(buf, position, escape, mark_branches, extra_attrs);
    }

    fn hydrate<const FROM_SERVER: bool>(
        self,
        cursor: &Cursor,
        position: &PositionState,
    ) -> Self::State {
        self.0.hydrate::<FROM_SERVER>(cursor, position)
    }

    fn into_owned(self) -> Self::Owned {
        Redrawn(self.0.into_owned())
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use crate::page_components::test_dom::{focused, host};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// The children of `host`, as tag and text.
    fn children(host: &web_sys::HtmlElement) -> Vec<String> {
        let children = host.children();
        (0..children.length())
            .filter_map(|i| children.item(i))
            .map(|child| {
                format!(
                    "{}:{}",
                    child.tag_name(),
                    child.text_content().unwrap_or_default()
                )
            })
            .collect()
    }

    /// Lets Leptos run the effects a change queued.
    async fn settle() {
        for _ in 0..4 {
            leptos::task::tick().await;
        }
    }

    #[wasm_bindgen_test]
    async fn a_rerun_replaces_the_view_in_its_place_and_nothing_else() {
        let host = host();
        let shown = RwSignal::new(Some("first".to_owned()));
        let _mounted = leptos::mount::mount_to(host.clone(), move || {
            view! {
                <h2>"before"</h2>
                {move || shown.get().map(|word| redrawn(view! {
                    <p class="word">{word}</p>
                    <input id="word-box" />
                }))}
                <h2>"after"</h2>
            }
        });
        settle().await;
        assert_eq!(
            children(&host),
            ["H2:before", "P:first", "INPUT:", "H2:after"]
        );
        let first = host.query_selector("p.word").unwrap().unwrap();

        shown.set(Some("second".to_owned()));
        settle().await;
        assert_eq!(
            children(&host),
            ["H2:before", "P:second", "INPUT:", "H2:after"]
        );
        let second = host.query_selector("p.word").unwrap().unwrap();
        assert!(!first.is_connected(), "the old paragraph left the page");
        assert!(first != second, "a new paragraph, not the old one updated");

        // Away and back: the placeholder held the place.
        // Focus inside the old view moves to the new element with the same id.
        let first_input = host.query_selector("#word-box").unwrap().unwrap();
        first_input
            .unchecked_ref::<web_sys::HtmlElement>()
            .focus()
            .unwrap();
        shown.set(Some("focused".to_owned()));
        settle().await;
        let active = focused();
        assert_eq!(active.id(), "word-box");
        assert!(
            active != first_input,
            "the new box has focus, not the removed one"
        );

        shown.set(None);
        settle().await;
        assert_eq!(children(&host), ["H2:before", "H2:after"]);
        shown.set(Some("third".to_owned()));
        settle().await;
        assert_eq!(
            children(&host),
            ["H2:before", "P:third", "INPUT:", "H2:after"]
        );
    }
}
