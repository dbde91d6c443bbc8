//! When to try an Ashby call again, as a pure function so every case is testable.
//!
//! Rules (`shared/ashby-api.md` §4, `design.md` "Upload"):
//! - Rate limits: always retry, after `Retry-After` when Ashby sends it; the request was
//!   refused before it did anything.
//! - 5xx, network errors and timeouts: Ashby may or may not have acted. Reads and idempotent
//!   writes retry with exponential backoff and jitter. Creates have no idempotency key, so
//!   they must be re-checked first (search by email / read `candidate.info`) — never retried
//!   blindly, which could create a duplicate.
//! - Key, permission, validation and unreadable responses: retrying cannot help.
//!
//! The caller supplies the random fraction, so the function stays deterministic under test.

use super::error::AshbyError;

/// What a call does, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    /// Reads: `apiKey.info`, `job.list`, `candidate.search`, … Safe to repeat.
    Read,
    /// Writes whose repetition changes nothing more: `candidate.update`, `candidate.addTag`.
    IdempotentWrite,
    /// Writes that make a new object each time: `candidate.create`, `application.create`,
    /// `candidate.createNote`. Repeating one after an unknown outcome may duplicate it.
    Create,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Try the same call again after this many milliseconds.
    RetryAfter(u64),
    /// The create may have happened. After `after_ms`, check whether it did (search again,
    /// read `candidate.info` → `applicationIds`), and only create if it did not.
    RecheckThenRetry { after_ms: u64 },
    /// Stop; report the error.
    GiveUp,
}

/// Limits of the retry policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts allowed, the first included.
    pub max_attempts: u32,
    /// Backoff before the second attempt; doubles with each further attempt.
    pub base_delay_ms: u64,
    /// No wait is longer than this, `Retry-After` included.
    pub max_delay_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay_ms: 1_000,
            max_delay_ms: 5 * 60 * 1_000,
        }
    }
}

impl RetryPolicy {
    /// Decides after attempt number `attempt` (1 for the first call) failed with `error`.
    /// `random_fraction` in `[0, 1)` spreads the waits (jitter); values outside are clamped.
    pub fn decide(
        &self,
        error: &AshbyError,
        attempt: u32,
        kind: OperationKind,
        random_fraction: f64,
    ) -> RetryDecision {
        if attempt >= self.max_attempts {
            return RetryDecision::GiveUp;
        }
        let backoff = self.backoff_ms(attempt, random_fraction);
        match error {
            AshbyError::RateLimited { retry_after_ms, .. } => {
                let wait = match retry_after_ms {
                    // Honour Ashby's wait, plus a little jitter so queued calls do not all
                    // fire at the same instant.
                    Some(after) => {
                        after.saturating_add(jitter(self.base_delay_ms, random_fraction))
                    }
                    None => backoff,
                };
                RetryDecision::RetryAfter(wait.min(self.max_delay_ms))
            }
            AshbyError::ServerError { .. } | AshbyError::Network(_) | AshbyError::Timeout => {
                match kind {
                    OperationKind::Create => RetryDecision::RecheckThenRetry { after_ms: backoff },
                    OperationKind::Read | OperationKind::IdempotentWrite => {
                        RetryDecision::RetryAfter(backoff)
                    }
                }
            }
            AshbyError::MissingKey
            | AshbyError::InvalidKey { .. }
            | AshbyError::MissingPermission { .. }
            | AshbyError::MalformedResponse { .. }
            | AshbyError::Api { .. } => RetryDecision::GiveUp,
        }
    }

    /// "Equal jitter" backoff: half of `base · 2^(attempt-1)` fixed, half random, capped.
    fn backoff_ms(&self, attempt: u32, random_fraction: f64) -> u64 {
        let doublings = attempt.saturating_sub(1).min(32);
        let exponential = self
            .base_delay_ms
            .saturating_mul(1u64 << doublings)
            .min(self.max_delay_ms);
        let half = exponential / 2;
        half.saturating_add(jitter(exponential - half, random_fraction))
            .min(self.max_delay_ms)
    }
}

/// The default policy's decision; see [`RetryPolicy::decide`].
pub fn retry_decision(
    error: &AshbyError,
    attempt: u32,
    kind: OperationKind,
    random_fraction: f64,
) -> RetryDecision {
    RetryPolicy::default().decide(error, attempt, kind, random_fraction)
}

/// `random_fraction` of `span`, with the fraction forced into `[0, 1)` (NaN counts as 0).
// Precision loss is irrelevant for a wait in milliseconds, and the product is non-negative.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]
fn jitter(span: u64, random_fraction: f64) -> u64 {
    let fraction = if random_fraction.is_finite() {
        random_fraction.clamp(0.0, 0.999_999)
    } else {
        0.0
    };
    (span as f64 * fraction) as u64
}

#[cfg(test)]
mod tests {
    use super::OperationKind::{Create, IdempotentWrite, Read};
    use super::RetryDecision::{GiveUp, RecheckThenRetry, RetryAfter};
    use super::*;

    fn rate_limited(retry_after_ms: Option<u64>) -> AshbyError {
        AshbyError::RateLimited {
            retry_after_ms,
            integration_partner_limit: false,
            message: None,
        }
    }

    fn server_error() -> AshbyError {
        AshbyError::ServerError {
            status: 503,
            request_id: None,
        }
    }

    #[test]
    fn decision_table() {
        let invalid_input = AshbyError::Api {
            code: "invalid_input".into(),
            message: "bad".into(),
            request_id: None,
        };
        let missing_permission = AshbyError::MissingPermission {
            message: "m".into(),
            request_id: None,
            permission: None,
        };
        let invalid_key = AshbyError::InvalidKey {
            message: None,
            request_id: None,
        };
        let malformed = AshbyError::MalformedResponse {
            status: 200,
            detail: "x".into(),
        };
        let network = AshbyError::Network("offline".into());
        // (error, attempt, kind, random, expected)
        let table: Vec<(AshbyError, u32, OperationKind, f64, RetryDecision)> = vec![
            // 429: Retry-After honoured (+ jitter up to the base delay), for every kind.
            (rate_limited(Some(30_000)), 1, Read, 0.0, RetryAfter(30_000)),
            (
                rate_limited(Some(30_000)),
                1,
                Create,
                0.5,
                RetryAfter(30_500),
            ),
            (
                rate_limited(Some(30_000)),
                2,
                IdempotentWrite,
                0.0,
                RetryAfter(30_000),
            ),
            // 429 without Retry-After: exponential backoff, 1 s · 2^(n-1), half fixed.
            (rate_limited(None), 1, Read, 0.0, RetryAfter(500)),
            (rate_limited(None), 3, Create, 0.0, RetryAfter(2_000)),
            (rate_limited(None), 3, Create, 0.5, RetryAfter(3_000)),
            // Retry-After beyond the cap is capped at 5 minutes.
            (
                rate_limited(Some(3_600_000)),
                1,
                Read,
                0.0,
                RetryAfter(300_000),
            ),
            // 5xx / network / timeout: reads and idempotent writes back off and retry …
            (server_error(), 1, Read, 0.0, RetryAfter(500)),
            (server_error(), 2, IdempotentWrite, 0.99, RetryAfter(1_990)),
            (network.clone(), 4, Read, 0.0, RetryAfter(4_000)),
            (AshbyError::Timeout, 1, Read, 0.0, RetryAfter(500)),
            // … creates must re-check before anything else.
            (
                AshbyError::Timeout,
                1,
                Create,
                0.0,
                RecheckThenRetry { after_ms: 500 },
            ),
            (
                network,
                2,
                Create,
                0.0,
                RecheckThenRetry { after_ms: 1_000 },
            ),
            (
                server_error(),
                1,
                Create,
                0.0,
                RecheckThenRetry { after_ms: 500 },
            ),
            // Never retried.
            (AshbyError::MissingKey, 1, Read, 0.0, GiveUp),
            (invalid_key, 1, Read, 0.0, GiveUp),
            (missing_permission, 1, Create, 0.0, GiveUp),
            (invalid_input, 1, Create, 0.0, GiveUp),
            (malformed, 1, Read, 0.0, GiveUp),
            // Attempt cap: the 5th failure ends it, whatever the error.
            (rate_limited(Some(1_000)), 5, Read, 0.0, GiveUp),
            (server_error(), 5, Read, 0.0, GiveUp),
            (AshbyError::Timeout, 6, Create, 0.0, GiveUp),
        ];
        for (error, attempt, kind, random, expected) in table {
            assert_eq!(
                retry_decision(&error, attempt, kind, random),
                expected,
                "{error:?} attempt {attempt} {kind:?} random {random}"
            );
        }
    }

    #[test]
    fn backoff_never_exceeds_the_cap_even_for_huge_attempt_numbers() {
        let policy = RetryPolicy {
            max_attempts: u32::MAX,
            ..RetryPolicy::default()
        };
        for attempt in [10, 40, 1_000, u32::MAX - 1] {
            let decision = policy.decide(&server_error(), attempt, Read, 0.999);
            let RetryAfter(wait) = decision else {
                panic!("expected a retry, got {decision:?}")
            };
            assert!(wait <= policy.max_delay_ms, "attempt {attempt}: {wait}");
            assert!(wait >= policy.max_delay_ms / 2);
        }
    }

    #[test]
    fn out_of_range_random_fractions_are_clamped() {
        for random in [f64::NAN, -1.0, 7.0, f64::INFINITY] {
            let decision = retry_decision(&server_error(), 1, Read, random);
            let RetryAfter(wait) = decision else {
                panic!("expected a retry, got {decision:?}")
            };
            assert!((500..1_000).contains(&wait), "random {random}: {wait}");
        }
    }
}
