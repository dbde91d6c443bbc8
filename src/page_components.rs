//! Views shared by the extension's Leptos pages (the popup, the options page and the Send
//! dialog). They take their data as props and report actions through callbacks, so they render
//! (and are tested) without `chrome.*`. Each is compiled only into the pages that show it.

#[cfg(feature = "popup")]
mod button;
#[cfg(any(feature = "popup", feature = "options"))]
mod connection_facts;
#[cfg(any(feature = "popup", feature = "send"))]
pub mod dom;
// The job picker and the loading state, for the two pages that pick jobs and ask the worker.
#[cfg(any(feature = "popup", feature = "send"))]
pub mod effect;
mod handler;
#[cfg(any(feature = "popup", feature = "send"))]
pub mod job_combobox;
mod line;
#[cfg(any(feature = "popup", feature = "options"))]
mod notice;
mod redrawn;
#[cfg(any(feature = "popup", feature = "send"))]
pub mod work;

#[cfg(feature = "popup")]
pub use button::button;
#[cfg(any(feature = "popup", feature = "options"))]
pub use connection_facts::{connected_line, ConnectionFacts};
pub use handler::handler;
pub use line::line;
#[cfg(any(feature = "popup", feature = "send"))]
pub use line::line_while;
#[cfg(any(feature = "popup", feature = "options"))]
pub use notice::{Notice, NoticeLine};
pub use redrawn::redrawn;
#[cfg(feature = "popup")]
pub use redrawn::Focused;

#[cfg(all(test, target_arch = "wasm32"))]
pub mod test_dom;
#[cfg(all(test, target_arch = "wasm32", any(feature = "popup", feature = "send")))]
pub mod test_input;
