//! A plain button: `type="button"`, a class, a label and what a click does. Every such button
//! on a page is this one view type, so Leptos compiles its rendering once, where `view!` makes
//! each button (its class, its label's type, its handler) a type of its own (~0.5–1 KB of
//! wasm each).

use super::handler;
use leptos::prelude::*;

/// A button with `class` (none when empty), `label` and `on_click`.
pub fn button(
    class: &'static str,
    label: impl Into<String>,
    on_click: impl FnMut(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    button_view(class, label.into(), handler(on_click))
}

fn button_view(
    class: &'static str,
    label: String,
    on_click: Box<dyn FnMut(leptos::ev::MouseEvent)>,
) -> impl IntoView {
    let class = (!class.is_empty()).then_some(class);
    view! { <button type="button" class=class on:click=on_click>{label}</button> }
}
