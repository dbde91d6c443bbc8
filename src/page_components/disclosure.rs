//! The attributes of a disclosure (a button that shows and hides a part), bound to its
//! open/closed signal. Each is one closure type for every disclosure on a page, so Leptos
//! compiles the attribute's reactive rendering once, where a closure written at each use was a
//! type (and a copy of that rendering, ~0.5 KB) of its own.

use leptos::prelude::*;

/// `aria-expanded` of the button: "true" while `open`.
pub fn expanded(open: RwSignal<bool>) -> impl Fn() -> &'static str + Copy + Send + Sync {
    move || if open.get() { "true" } else { "false" }
}

/// `hidden` of the part it shows: hidden unless `open`.
pub fn hidden_unless(open: RwSignal<bool>) -> impl Fn() -> bool + Copy + Send + Sync {
    move || !open.get()
}
