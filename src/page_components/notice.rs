//! The one-line result under a form, shared by the popup and the options page.

use super::line;
use leptos::prelude::*;

/// A result shown under a form: done (`role=status`) or refused (`role=alert`).
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    Done(String),
    Failed(String),
}

/// Generic over the signal (not a `Signal<_>`): a `Signal` reads through every kind of signal,
/// which costs the options page, whose notice is a plain `RwSignal`, about 6.6 KB of wasm.
#[component]
pub fn NoticeLine<S>(notice: S) -> impl IntoView
where
    S: Get<Value = Option<Notice>> + Send + Sync + 'static,
{
    move || {
        notice.get().map(|notice| match notice {
            Notice::Done(message) => line("done", Some("status"), message),
            Notice::Failed(message) => line("error", Some("alert"), message),
        })
    }
}
