//! The one-line result under a form, shared by the popup and the options page.

use super::line;
use leptos::prelude::*;

/// A result shown under a form: done (`role=status`) or refused (`role=alert`).
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    Done(String),
    Failed(String),
}

impl Notice {
    /// How a done line looks: its class and role (a form drawn by hand uses them too).
    pub const DONE_LOOK: (&'static str, &'static str) = ("done", "status");
    /// How a refused or failed line looks.
    pub const FAILED_LOOK: (&'static str, &'static str) = ("error", "alert");
}

/// Generic over the signal (not a `Signal<_>`): a `Signal` reads through every kind of signal,
/// which costs the options page, whose notice is a plain `RwSignal`, about 6.6 KB of wasm.
#[component]
pub fn NoticeLine<S>(notice: S) -> impl IntoView
where
    S: Get<Value = Option<Notice>> + Send + Sync + 'static,
{
    move || {
        notice.get().map(|notice| {
            let ((class, role), message) = match notice {
                Notice::Done(message) => (Notice::DONE_LOOK, message),
                Notice::Failed(message) => (Notice::FAILED_LOOK, message),
            };
            line(class, Some(role), message)
        })
    }
}
