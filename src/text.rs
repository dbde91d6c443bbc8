//! Every piece of text a recruiter reads, in one place: labels, notices and error messages.
//! Accessible names from the UI contract (`shared/design.md`) are here too, so the tests and
//! the screen readers agree on them. No message ever contains the API key.

// ---- Extension surfaces ---------------------------------------------------------------------

pub const PRODUCT_NAME: &str = "Fetcher → Ashby";
pub const LOADING: &str = "Loading…";
pub const API_KEY_LABEL: &str = "Ashby API key";
pub const CONNECT: &str = "Connect";
pub const DISCONNECT: &str = "Disconnect";
pub const DISCONNECTED: &str = "Disconnected. The API key and cached Ashby data are forgotten.";
pub const NOT_CONNECTED: &str = "Not connected to Ashby.";
pub const CONNECTED_AS: &str = "Connected to Ashby with the key";
pub const CONNECTION_HEADING: &str = "Ashby connection";
pub const OPTIONS_TITLE: &str = "Fetcher → Ashby settings";
pub const SEND_TO_ASHBY: &str = "Send to Ashby";

pub const CONNECT_FIRST: &str = "Connect Ashby first: open the Fetcher → Ashby extension from \
the browser toolbar and paste an Ashby API key.";
pub const EXTENSION_UNAVAILABLE: &str =
    "The Fetcher → Ashby extension is not answering. Reload the page, or reload the extension.";
pub const MESSAGE_REFUSED: &str = "This request was refused: it did not come from this extension.";
pub const API_KEY_MALFORMED: &str =
    "That does not look like an Ashby API key. Copy the whole key from Ashby and paste it again.";
pub const STORAGE_FAILED: &str =
    "The browser could not save the extension's data. Check the browser's storage and try again.";

// ---- Ashby errors ----------------------------------------------------------------------------

use crate::ashby::error::AshbyError;
use crate::ashby::scopes::Permission;

pub const ASHBY_MISSING_KEY: &str =
    "Ashby did not receive an API key. Paste the key from Ashby and connect again.";
pub const ASHBY_INVALID_KEY: &str = "Ashby rejected the API key. Check that it is copied whole \
and still active, then connect again.";
pub const ASHBY_MISSING_PERMISSION: &str = "The Ashby API key lacks a permission this needs. \
Ask an Ashby admin to grant it under Admin → Integrations → API Keys, then connect again.";
pub const ASHBY_RATE_LIMITED: &str = "Ashby is receiving too many requests right now.";
pub const ASHBY_PARTNER_RATE_LIMITED: &str =
    "Ashby is limiting traffic from this integration across all its customers right now.";
pub const ASHBY_SERVER_ERROR: &str = "Ashby had a problem on its side. Try again in a few minutes.";
pub const ASHBY_UNREACHABLE: &str =
    "Could not reach Ashby. Check the internet connection and try again.";
pub const ASHBY_TIMEOUT: &str = "Ashby took too long to answer. Try again in a moment.";
pub const ASHBY_MALFORMED: &str = "Ashby sent an answer this extension does not understand. \
Try again; if it keeps happening, tell the extension's maintainers.";
pub const ASHBY_INVALID_REQUEST: &str = "This extension could not prepare the request for \
Ashby. Tell the extension's maintainers.";
pub const ASHBY_REFUSED: &str = "Ashby refused the request.";

/// The one recruiter-facing message for an Ashby error. Adds Ashby's own message and request
/// id where they help (support asks for the id). Never contains the API key: no error holds it.
pub fn ashby_error(error: &AshbyError) -> String {
    match error {
        AshbyError::MissingKey => ASHBY_MISSING_KEY.to_owned(),
        AshbyError::InvalidKey { request_id, .. } => {
            with_request_id(ASHBY_INVALID_KEY.to_owned(), request_id.as_deref())
        }
        AshbyError::MissingPermission {
            message,
            request_id,
        } => with_request_id(
            format!("{ASHBY_MISSING_PERMISSION} {}", ashby_said(message)),
            request_id.as_deref(),
        ),
        AshbyError::RateLimited {
            retry_after_ms,
            integration_partner_limit,
            ..
        } => {
            let what = if *integration_partner_limit {
                ASHBY_PARTNER_RATE_LIMITED
            } else {
                ASHBY_RATE_LIMITED
            };
            match retry_after_ms {
                Some(ms) => format!("{what} Sending resumes in about {}.", duration(*ms)),
                None => format!("{what} Sending resumes shortly."),
            }
        }
        AshbyError::ServerError { status, request_id } => with_request_id(
            format!("{ASHBY_SERVER_ERROR} (HTTP {status})"),
            request_id.as_deref(),
        ),
        AshbyError::Network(_) => ASHBY_UNREACHABLE.to_owned(),
        AshbyError::Timeout => ASHBY_TIMEOUT.to_owned(),
        AshbyError::MalformedResponse { .. } => ASHBY_MALFORMED.to_owned(),
        AshbyError::InvalidRequest(_) => ASHBY_INVALID_REQUEST.to_owned(),
        AshbyError::Api {
            message,
            request_id,
            ..
        } => with_request_id(
            format!("{ASHBY_REFUSED} {}", ashby_said(message)),
            request_id.as_deref(),
        ),
    }
}

/// Ashby's own words, quoted, ending in a full stop.
fn ashby_said(message: &str) -> String {
    let message = message.trim().trim_end_matches('.');
    format!("Ashby said: “{message}”.")
}

fn with_request_id(message: String, request_id: Option<&str>) -> String {
    match request_id {
        Some(id) => format!("{message} (Ashby request id: {id})"),
        None => message,
    }
}

/// "45 seconds", "1 minute", "3 minutes": rounded up, never "0 seconds".
fn duration(ms: u64) -> String {
    let seconds = ms.div_ceil(1000).max(1);
    if seconds < 60 {
        return format!("{seconds} second{}", plural(seconds));
    }
    let minutes = seconds.div_ceil(60);
    format!("{minutes} minute{}", plural(minutes))
}

fn plural(count: u64) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

// ---- Ashby permissions -----------------------------------------------------------------------

/// The permission as Ashby's API key screen shows it (module and access level).
pub fn permission_label(permission: Permission) -> &'static str {
    match permission {
        Permission::ApiKeysRead => "API Keys: Read",
        Permission::JobsRead => "Jobs: Read",
        Permission::CandidatesRead => "Candidates: Read",
        Permission::CandidatesWrite => "Candidates: Write",
        Permission::HiringProcessMetadataRead => "Hiring Process Metadata: Read",
        Permission::OrganizationRead => "Organization: Read",
    }
}

/// What the extension uses the permission for, in a recruiter's words.
pub fn permission_purpose(permission: Permission) -> &'static str {
    match permission {
        Permission::ApiKeysRead => "checks that the key works when you connect",
        Permission::JobsRead => "lists your Ashby jobs so you can pick one",
        Permission::CandidatesRead => "finds candidates already in Ashby, so none is added twice",
        Permission::CandidatesWrite => {
            "adds candidates, their applications to your job, and a note linking back to Fetcher"
        }
        Permission::HiringProcessMetadataRead => {
            "finds the \u{201c}Fetcher\u{201d} source and tags to label new candidates"
        }
        Permission::OrganizationRead => {
            "finds your Ashby user by email, so candidates are credited to you"
        }
    }
}

/// One line per missing permission: "Candidates: Write — adds candidates, …".
pub fn missing_permission_lines(missing: &[Permission]) -> Vec<String> {
    missing
        .iter()
        .map(|&p| format!("{} — {}", permission_label(p), permission_purpose(p)))
        .collect()
}

#[cfg(test)]
mod ashby_text_tests {
    use super::*;
    use crate::ashby::envelope::classify;
    use crate::ashby::http::{HttpResponse, TransportError};

    fn classified(status: u16, headers: &[(&str, &str)], body: &str) -> AshbyError {
        let response = HttpResponse {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.to_owned(),
        };
        classify(&response).expect_err("an error response")
    }

    #[test]
    fn every_error_class_has_its_message() {
        let missing_permission =
            include_str!("../tests/fixtures/ashby/error_missing_permission.json");
        let invalid_input = include_str!("../tests/fixtures/ashby/error_invalid_input.json");
        let invalid_key = include_str!("../tests/fixtures/ashby/error_invalid_key.json");
        let rate_limited = include_str!("../tests/fixtures/ashby/error_rate_limited.json");
        let cases: Vec<(AshbyError, String)> = vec![
            (classified(401, &[], ""), ASHBY_MISSING_KEY.to_owned()),
            (
                classified(403, &[], invalid_key),
                format!("{ASHBY_INVALID_KEY} (Ashby request id: 01JREQINVALIDKEY)"),
            ),
            (
                classified(200, &[], missing_permission),
                format!(
                    "{ASHBY_MISSING_PERMISSION} Ashby said: “The API key is missing the \
                     candidatesWrite permission”. (Ashby request id: 01JREQPERMISSION)"
                ),
            ),
            (
                classified(429, &[("Retry-After", "30")], rate_limited),
                format!("{ASHBY_RATE_LIMITED} Sending resumes in about 30 seconds."),
            ),
            (
                classified(429, &[("X-RateLimit-Scope", "integration-partner")], ""),
                format!("{ASHBY_PARTNER_RATE_LIMITED} Sending resumes shortly."),
            ),
            (
                classified(503, &[], ""),
                format!("{ASHBY_SERVER_ERROR} (HTTP 503)"),
            ),
            (
                TransportError::Network("dns".into()).into(),
                ASHBY_UNREACHABLE.to_owned(),
            ),
            (TransportError::Timeout.into(), ASHBY_TIMEOUT.to_owned()),
            (classified(200, &[], "<html>"), ASHBY_MALFORMED.to_owned()),
            (
                classified(200, &[], invalid_input),
                format!(
                    "{ASHBY_REFUSED} Ashby said: “linkedInUrl must be a valid URL”. \
                     (Ashby request id: 01JREQINVALIDINPUT)"
                ),
            ),
        ];
        for (error, expected) in cases {
            assert_eq!(ashby_error(&error), expected, "{error:?}");
        }
    }

    #[test]
    fn the_invalid_key_message_is_the_agreed_one() {
        assert_eq!(
            ashby_error(&AshbyError::InvalidKey {
                message: None,
                request_id: None
            }),
            "Ashby rejected the API key. Check that it is copied whole and still active, then \
             connect again."
        );
    }

    #[test]
    fn rate_limit_waits_read_naturally() {
        assert_eq!(duration(0), "1 second");
        assert_eq!(duration(1_000), "1 second");
        assert_eq!(duration(59_000), "59 seconds");
        assert_eq!(duration(59_001), "1 minute");
        assert_eq!(duration(60_000), "1 minute");
        assert_eq!(duration(61_000), "2 minutes");
    }

    #[test]
    fn every_needed_permission_has_a_label_and_purpose() {
        for permission in Permission::NEEDED {
            assert!(!permission_label(permission).is_empty());
            assert!(!permission_purpose(permission).is_empty());
        }
        assert_eq!(
            missing_permission_lines(&[Permission::JobsRead]),
            ["Jobs: Read — lists your Ashby jobs so you can pick one"]
        );
    }
}
