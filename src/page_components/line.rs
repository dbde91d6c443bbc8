//! One paragraph of text: the loading line, an empty list, a warning, an error. Every such
//! message on the pages is this one view type, so Leptos compiles its rendering once, not once
//! per combination of class, role and text type that `view!` would make of each.

use leptos::prelude::*;

/// A `<p>` with `class`, `role` when given, and `text`.
pub fn line(
    class: &'static str,
    role: Option<&'static str>,
    text: impl Into<String>,
) -> impl IntoView {
    let text: String = text.into();
    view! { <p class=class role=role>{text}</p> }
}
