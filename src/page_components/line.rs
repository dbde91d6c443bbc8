//! One paragraph of text: the loading line, an empty list, a warning, an error. Every such
//! message on the pages is this one view type, so Leptos compiles its rendering once, not once
//! per combination of class, role and text type that `view!` would make of each.

use leptos::prelude::*;

/// The message `message` holds, as a [`line`], while it holds one (an error under a form, a
/// warning). Not generic: every such line is one reactive view type, where a closure per page
/// part would compile Leptos's reactive rendering once per part (~1 KB each).
#[cfg(any(feature = "popup", feature = "send"))]
pub fn line_while(
    class: &'static str,
    role: Option<&'static str>,
    message: Box<dyn Fn() -> Option<String> + Send + Sync>,
) -> impl IntoView {
    move || message().map(|text| line(class, role, text))
}

/// A `<p>` with `class` (none when empty), `role` when given, and `text`.
pub fn line(
    class: &'static str,
    role: Option<&'static str>,
    text: impl Into<String>,
) -> impl IntoView {
    let text: String = text.into();
    let class = (!class.is_empty()).then_some(class);
    view! { <p class=class role=role>{text}</p> }
}
