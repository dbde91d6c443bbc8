//! The one error type of the Ashby client. Each variant is a different thing the caller does:
//! reconnect, ask an admin for a permission, back off, retry, or show Ashby's message.
//! Recruiter-facing wording lives in [`crate::text::ashby_error`]; `Display` here is for logs.
//! No variant ever holds the API key.

use super::http::TransportError;
use super::scopes::Permission;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AshbyError {
    /// HTTP 401: Ashby saw no API key.
    #[error("Ashby received no API key (HTTP 401)")]
    MissingKey,

    /// HTTP 403 for any reason other than a missing permission: wrong or deactivated key.
    #[error("Ashby rejected the API key (HTTP 403)")]
    InvalidKey {
        message: Option<String>,
        request_id: Option<String>,
    },

    /// `missing_endpoint_permission`, whether sent as HTTP 403 or as HTTP 200 `success:false`,
    /// in `errorInfo` or only in the older `errors` array. `message` is Ashby's (it may be just
    /// the code); `permission` is the one the called endpoint needs, filled in by the client.
    #[error("the API key lacks a permission: {message}")]
    MissingPermission {
        message: String,
        request_id: Option<String>,
        permission: Option<Permission>,
    },

    /// HTTP 429 (or `rate_limit_exceeded` / `concurrent_limit_exceeded`).
    #[error("Ashby rate limit reached")]
    RateLimited {
        /// From `Retry-After` (delta-seconds) when Ashby sends it.
        retry_after_ms: Option<u64>,
        /// `X-RateLimit-Scope: integration-partner`: the limit is on the integration partner's
        /// traffic across organisations, not on this key.
        integration_partner_limit: bool,
        message: Option<String>,
    },

    /// HTTP 5xx: Ashby failed. For a create the request may still have taken effect.
    #[error("Ashby failed with HTTP {status}")]
    ServerError {
        status: u16,
        request_id: Option<String>,
    },

    /// No response: offline, DNS, TLS, connection dropped. The server may have acted.
    #[error("could not reach Ashby: {0}")]
    Network(String),

    /// No response within the client's timeout. The server may have acted.
    #[error("Ashby did not answer in time")]
    Timeout,

    /// A response that is not Ashby's JSON envelope, or whose `results` have another shape.
    #[error("unexpected response from Ashby (HTTP {status}): {detail}")]
    MalformedResponse { status: u16, detail: String },

    /// Any other `success:false`, e.g. `invalid_input`, `application_not_found`,
    /// `sync_token_expired`. Branch on `code`; show `message`; keep `request_id` for support.
    #[error("Ashby error {code}: {message}")]
    Api {
        code: String,
        message: String,
        request_id: Option<String>,
    },
}

/// Pagination codes after which the caller must drop its cursor / sync token and start a full
/// sync again (`shared/ashby-api.md` §3).
const RESTART_SYNC_CODES: [&str; 5] = [
    "next_cursor_expired",
    "invalid_next_cursor",
    "sync_token_expired",
    "sync_token_invalid",
    "incremental_sync_too_large",
];

impl AshbyError {
    /// The key cannot be used as it is: pause the queue and ask the recruiter to reconnect (or
    /// an admin to grant permissions). Retrying will not help.
    pub fn is_auth_problem(&self) -> bool {
        matches!(
            self,
            Self::MissingKey | Self::InvalidKey { .. } | Self::MissingPermission { .. }
        )
    }

    /// Ashby's error code for `success:false` answers that carry one.
    pub fn api_code(&self) -> Option<&str> {
        match self {
            Self::Api { code, .. } => Some(code),
            Self::MissingPermission { .. } => Some("missing_endpoint_permission"),
            _ => None,
        }
    }

    /// Ashby's request id, which its support asks for.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::InvalidKey { request_id, .. }
            | Self::MissingPermission { request_id, .. }
            | Self::ServerError { request_id, .. }
            | Self::Api { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The same error, naming the permission `endpoint_permission` when it is a missing
    /// permission that Ashby did not name in a way the extension can read.
    pub fn for_permission(self, endpoint_permission: Permission) -> Self {
        match self {
            Self::MissingPermission {
                message,
                request_id,
                permission: None,
            } => Self::MissingPermission {
                message,
                request_id,
                permission: Some(endpoint_permission),
            },
            other => other,
        }
    }

    /// The cursor or sync token is no longer usable: drop it and run a full sync.
    pub fn requires_full_sync(&self) -> bool {
        self.api_code()
            .is_some_and(|code| RESTART_SYNC_CODES.contains(&code))
    }

    /// The referenced object does not exist (any `*_not_found` code). Candidate ids can change
    /// when a recruiter merges duplicates in Ashby, so the caller should re-resolve.
    pub fn is_not_found(&self) -> bool {
        self.api_code()
            .is_some_and(|code| code.ends_with("_not_found"))
    }
}

impl From<TransportError> for AshbyError {
    fn from(error: TransportError) -> Self {
        match error {
            TransportError::Timeout => Self::Timeout,
            TransportError::Network(detail) => Self::Network(detail),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: &str) -> AshbyError {
        AshbyError::Api {
            code: code.into(),
            message: String::new(),
            request_id: None,
        }
    }

    #[test]
    fn auth_problems_are_the_key_and_permission_errors() {
        assert!(AshbyError::MissingKey.is_auth_problem());
        assert!(AshbyError::InvalidKey {
            message: None,
            request_id: None
        }
        .is_auth_problem());
        assert!(AshbyError::MissingPermission {
            message: "m".into(),
            request_id: None,
            permission: None,
        }
        .is_auth_problem());
        assert!(!AshbyError::Timeout.is_auth_problem());
        assert!(!api("invalid_input").is_auth_problem());
        assert!(!AshbyError::ServerError {
            status: 500,
            request_id: None
        }
        .is_auth_problem());
    }

    #[test]
    fn pagination_codes_require_a_full_sync() {
        assert!(api("sync_token_expired").requires_full_sync());
        assert!(api("incremental_sync_too_large").requires_full_sync());
        assert!(api("invalid_next_cursor").requires_full_sync());
        assert!(!api("invalid_input").requires_full_sync());
        assert!(!AshbyError::Timeout.requires_full_sync());
    }

    #[test]
    fn not_found_codes() {
        assert!(api("application_not_found").is_not_found());
        assert!(api("candidate_not_found").is_not_found());
        assert!(!api("invalid_input").is_not_found());
    }

    #[test]
    fn transport_errors_convert() {
        assert_eq!(
            AshbyError::from(TransportError::Timeout),
            AshbyError::Timeout
        );
        assert_eq!(
            AshbyError::from(TransportError::Network("offline".into())),
            AshbyError::Network("offline".into())
        );
    }
}
