//! The Ashby client core: plain Rust, no browser types, so it is tested natively and runs
//! unchanged in the service worker over a `fetch`-based [`http::Transport`].
//!
//! - [`types`]: typed requests and responses of the endpoints used.
//! - [`envelope`]: reading Ashby's `{success, results | errorInfo}` envelope; [`classify`].
//! - [`error`]: [`AshbyError`], the one error type.
//! - [`client`]: [`AshbyClient`], one method per endpoint, plus pagination helpers.
//! - [`retry`]: the retry policy as a pure function.
//! - [`scopes`]: the key's permissions against what the extension needs.
//! - [`social_links`]: merging links for `candidate.update`.
//!
//! Recruiter-facing text for all of this lives in [`crate::text`].

mod answers;
pub mod base64;
pub mod client;
pub mod envelope;
pub mod error;
pub mod http;
pub mod retry;
pub mod scopes;
pub mod social_links;
pub mod types;

#[cfg(test)]
pub(crate) mod test_support;

pub use client::{AshbyClient, Endpoint};
pub use envelope::{classify, classify_as, Envelope};
pub use error::AshbyError;
pub use retry::{retry_decision, OperationKind, RetryDecision, RetryPolicy};
pub use scopes::{Permission, ScopeReport};
