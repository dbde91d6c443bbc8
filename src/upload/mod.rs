//! Uploading Fetcher candidates to Ashby exactly once, never losing one (`shared/design.md`,
//! "Upload: exactly once, never lost"). Pure Rust: storage and HTTP sit behind traits.
//!
//! - [`store`]: the async key-value seam ([`store::Store`]) and [`store::MemoryStore`].
//! - [`context_cache`]: the stored source and credited user, and when to look them up again.
//! - [`dedupe`]: is this Fetcher candidate already in Ashby ([`dedupe::find_match`]).
//! - [`outbox`]: entries, their progress, card records, storage keys.
//! - [`digest`]: a search's card records in one stored value, for a page's first statuses.
//! - [`pipeline`]: the step machine ([`pipeline::advance`], one Ashby call per step).
//! - [`runner`]: enqueue, drain, pause/resume, retry ([`runner::Runner`]).
//!
//! Recruiter-facing text is in [`crate::text`] ("Uploads").

pub mod context_cache;
pub mod dedupe;
pub mod digest;
pub mod held;
pub mod outbox;
pub mod pipeline;
pub mod runner;
pub mod store;

#[cfg(test)]
mod fake_ashby;
#[cfg(test)]
mod tests;

pub use dedupe::{find_match, Match, MatchReason};
pub use outbox::{EntryKey, EntryState, OutboxEntry, UploadOrigin, UploadRecord, UploadStatus};
pub use pipeline::{advance, StepResult, UploadContext};
pub use runner::{DrainReport, EnqueueOutcome, Runner, RunnerConfig, UploadRequest};
pub use store::{MemoryStore, Store, StoreError};
