//! Reading Ashby's response envelope and turning every HTTP response into either the
//! `results` or an [`AshbyError`] (`shared/ashby-api.md` §2).
//!
//! Ashby reports most client errors as HTTP 200 with `success:false`, so the status code alone
//! never means success. Error details come from `errorInfo` first, then from the deprecated
//! `errors` array, whose items may be strings or `{code, message}` objects.

use super::error::AshbyError;
use super::http::HttpResponse;
use crate::from_json::FromJson;
use crate::json_text::Json;

/// A successful answer: the `results` plus the envelope's extra fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope<T> {
    pub results: T,
    /// Minor failures in an otherwise successful call, e.g.
    /// `unable_to_add_application_metadata`.
    pub warnings: Vec<String>,
    /// Paginated lists: another page exists; ask for it with `next_cursor`.
    pub more_data_available: bool,
    pub next_cursor: Option<String>,
    /// Paginated lists with sync support: present on the last page only.
    pub sync_token: Option<String>,
}

/// The error details of a `success:false` body, whichever fields Ashby filled in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErrorDetails {
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
    /// Every code the body names anywhere (`errorInfo.code`, each `errors` item as a string,
    /// its `code`, or a `message` that is itself a code): a missing permission has been seen
    /// only in the older array, as `[{message: "missing_endpoint_permission"}]`.
    pub all_codes: Vec<String>,
}

impl ErrorDetails {
    fn names(&self, code: &str) -> bool {
        self.all_codes.iter().any(|named| named == code)
    }

    /// A missing endpoint permission: by code anywhere in the body, or (on a 403 only, where
    /// the other reading is a bad key) by a message about a permission.
    fn is_missing_permission(&self, status: u16) -> bool {
        self.names(MISSING_PERMISSION_CODE)
            || (status == 403
                && self.message.as_deref().is_some_and(|message| {
                    crate::substring::contains(&message.to_ascii_lowercase(), "permission")
                }))
    }
}

pub const MISSING_PERMISSION_CODE: &str = "missing_endpoint_permission";
const RATE_LIMIT_CODES: [&str; 2] = ["rate_limit_exceeded", "concurrent_limit_exceeded"];
/// The `X-RateLimit-Scope` value of limits on an integration partner's combined traffic.
const PARTNER_RATE_LIMIT_SCOPE: &str = "integration-partner";

/// Classifies a response: `Ok` with the raw `results` for `success:true` on HTTP 2xx,
/// otherwise the matching [`AshbyError`].
pub fn classify(response: &HttpResponse) -> Result<Envelope<Json>, AshbyError> {
    let status = response.status;
    // The body may be anything (a proxy's HTML page, empty); only a JSON object is Ashby's.
    let body = Json::parse(&response.body).filter(|body| body.as_object().is_some());
    let details = body.as_ref().map(error_details).unwrap_or_default();

    match status {
        401 => return Err(AshbyError::MissingKey),
        403 => {
            return Err(if details.is_missing_permission(status) {
                missing_permission(details)
            } else if RATE_LIMIT_CODES.iter().any(|code| details.names(code)) {
                rate_limited(response, details.message)
            } else {
                AshbyError::InvalidKey {
                    message: details.message,
                    request_id: details.request_id,
                }
            })
        }
        429 => return Err(rate_limited(response, details.message)),
        500..=599 => {
            return Err(AshbyError::ServerError {
                status,
                request_id: details.request_id,
            })
        }
        _ => {}
    }

    let Some(body) = body else {
        return Err(malformed(status, "the body is not a JSON object"));
    };
    match body.get("success") {
        Some(Json::Bool(true)) if (200..300).contains(&status) => Ok(success_envelope(body)),
        Some(Json::Bool(false)) => Err(failure(response, details)),
        Some(Json::Bool(true)) => Err(malformed(status, "success with an error status")),
        _ => Err(malformed(status, "no boolean `success` field")),
    }
}

/// [`classify`], then reads `results` as `T`. A shape mismatch is a
/// [`AshbyError::MalformedResponse`].
pub fn classify_as<T: FromJson>(response: &HttpResponse) -> Result<Envelope<T>, AshbyError> {
    let (results, envelope) = classify_json(response)?;
    envelope.read(response.status, &results)
}

/// [`classify`] with `results` as [`Json`] for a decoder: what every [`classify_as`] and every
/// client call share, compiled once rather than once per results type.
#[inline(never)]
pub fn classify_json(response: &HttpResponse) -> Result<(Json, Envelope<()>), AshbyError> {
    let envelope = classify(response)?;
    let rest = Envelope {
        results: (),
        warnings: envelope.warnings,
        more_data_available: envelope.more_data_available,
        next_cursor: envelope.next_cursor,
        sync_token: envelope.sync_token,
    };
    Ok((envelope.results, rest))
}

#[inline(never)]
fn results_mismatch(status: u16, mismatch: crate::from_json::Mismatch) -> AshbyError {
    malformed(status, &format!("results: {mismatch}"))
}

impl Envelope<()> {
    /// The envelope with `results` read as `T`; a shape mismatch is a
    /// [`AshbyError::MalformedResponse`] of a response with `status`.
    pub fn read<T: FromJson>(self, status: u16, results: &Json) -> Result<Envelope<T>, AshbyError> {
        match T::from_json(results) {
            Ok(results) => Ok(self.with(results)),
            Err(mismatch) => Err(results_mismatch(status, mismatch)),
        }
    }

    fn with<T>(self, results: T) -> Envelope<T> {
        Envelope {
            results,
            warnings: self.warnings,
            more_data_available: self.more_data_available,
            next_cursor: self.next_cursor,
            sync_token: self.sync_token,
        }
    }
}

/// Seconds from a `Retry-After` header as milliseconds. Only the delta-seconds form is read;
/// an HTTP date (or garbage) gives `None` and the caller falls back to backoff.
pub fn parse_retry_after_ms(value: &str) -> Option<u64> {
    let seconds: u64 = value.trim().parse().ok()?;
    Some(seconds.saturating_mul(1000))
}

fn success_envelope(body: Json) -> Envelope<Json> {
    let warnings = body
        .get("warnings")
        .and_then(Json::as_array)
        .map(|items| items.iter().filter_map(describe_item).collect())
        .unwrap_or_default();
    let more_data_available = matches!(body.get("moreDataAvailable"), Some(Json::Bool(true)));
    let next_cursor = string_field(&body, "nextCursor");
    let sync_token = string_field(&body, "syncToken");
    Envelope {
        results: body.take("results").unwrap_or(Json::Null),
        warnings,
        more_data_available,
        next_cursor,
        sync_token,
    }
}

fn failure(response: &HttpResponse, details: ErrorDetails) -> AshbyError {
    if details.is_missing_permission(response.status) {
        return missing_permission(details);
    }
    if RATE_LIMIT_CODES.iter().any(|code| details.names(code)) {
        return rate_limited(response, details.message);
    }
    let code = details.code.unwrap_or_else(|| "unknown_error".to_owned());
    AshbyError::Api {
        message: details.message.unwrap_or_else(|| code.clone()),
        code,
        request_id: details.request_id,
    }
}

fn missing_permission(details: ErrorDetails) -> AshbyError {
    AshbyError::MissingPermission {
        message: details
            .message
            .unwrap_or_else(|| MISSING_PERMISSION_CODE.to_owned()),
        request_id: details.request_id,
        permission: None,
    }
}

fn rate_limited(response: &HttpResponse, message: Option<String>) -> AshbyError {
    AshbyError::RateLimited {
        retry_after_ms: response
            .header("Retry-After")
            .and_then(parse_retry_after_ms),
        integration_partner_limit: response
            .header("X-RateLimit-Scope")
            .is_some_and(|scope| scope.trim().eq_ignore_ascii_case(PARTNER_RATE_LIMIT_SCOPE)),
        message,
    }
}

fn malformed(status: u16, detail: &str) -> AshbyError {
    AshbyError::MalformedResponse {
        status,
        detail: detail.to_owned(),
    }
}

/// Error details from `errorInfo`, falling back to the first entry of the deprecated `errors`
/// (a string code, or an object with `code` and/or `message`; a message that is a bare code,
/// like `missing_endpoint_permission`, counts as the code).
pub fn error_details(body: &Json) -> ErrorDetails {
    let info = body.get("errorInfo");
    let legacy: Vec<(Option<String>, Option<String>)> = body
        .get("errors")
        .and_then(Json::as_array)
        .map(|errors| errors.iter().map(legacy_item).collect())
        .unwrap_or_default();
    let from_info = |name| info.and_then(|info| string_field(info, name));
    let info_code = from_info("code");
    let mut all_codes: Vec<String> = info_code.iter().cloned().collect();
    all_codes.extend(legacy.iter().filter_map(|(code, _)| code.clone()));
    let (legacy_code, legacy_message) = legacy.into_iter().next().unwrap_or_default();
    ErrorDetails {
        code: info_code.or(legacy_code),
        message: from_info("message")
            .or(legacy_message)
            .or_else(|| string_field(body, "message")),
        request_id: from_info("requestId").or_else(|| string_field(body, "requestId")),
        all_codes,
    }
}

/// One item of the older `errors` array as (code, message).
fn legacy_item(item: &Json) -> (Option<String>, Option<String>) {
    match item {
        Json::String(code) => (non_empty(code), None),
        Json::Object(_) => {
            let message = string_field(item, "message");
            let code = string_field(item, "code")
                .or_else(|| message.clone().filter(|message| looks_like_code(message)));
            (code, message)
        }
        _ => (None, None),
    }
}

/// `snake_case_words`: how Ashby's error codes look, unlike its sentences.
fn looks_like_code(text: &str) -> bool {
    text.contains('_')
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A warning or error item as text: strings as they are, objects by code or message.
fn describe_item(item: &Json) -> Option<String> {
    match item {
        Json::String(text) => non_empty(text),
        Json::Object(_) => string_field(item, "code").or_else(|| string_field(item, "message")),
        _ => None,
    }
}

/// An object's member as non-blank text; `None` for anything else (a non-object included).
fn string_field(object: &Json, name: &str) -> Option<String> {
    object.get(name).and_then(Json::as_str).and_then(non_empty)
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ashby::types::{ApiKeyInfo, Job};

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.to_owned(),
        }
    }

    const API_KEY_INFO: &str = include_str!("../../tests/fixtures/ashby/api_key_info.json");
    const JOB_LIST_PAGE_1: &str = include_str!("../../tests/fixtures/ashby/job_list_page1.json");
    const JOB_LIST_PAGE_2: &str = include_str!("../../tests/fixtures/ashby/job_list_page2.json");
    const APPLICATION_CREATE: &str =
        include_str!("../../tests/fixtures/ashby/application_create.json");
    const ERROR_INFO: &str = include_str!("../../tests/fixtures/ashby/error_invalid_input.json");
    const ERRORS_AS_STRINGS: &str =
        include_str!("../../tests/fixtures/ashby/error_deprecated_strings.json");
    const ERRORS_AS_OBJECTS: &str =
        include_str!("../../tests/fixtures/ashby/error_deprecated_objects.json");
    const MISSING_PERMISSION: &str =
        include_str!("../../tests/fixtures/ashby/error_missing_permission.json");
    const INVALID_KEY: &str = include_str!("../../tests/fixtures/ashby/error_invalid_key.json");
    const RATE_LIMITED: &str = include_str!("../../tests/fixtures/ashby/error_rate_limited.json");
    const SYNC_TOKEN_EXPIRED: &str =
        include_str!("../../tests/fixtures/ashby/error_sync_token_expired.json");

    #[test]
    fn success_gives_results_and_envelope_fields() {
        let envelope = classify_as::<ApiKeyInfo>(&response(200, &[], API_KEY_INFO)).unwrap();
        assert_eq!(envelope.results.title, "Fetcher extension");
        assert!(envelope.warnings.is_empty());
        assert!(!envelope.more_data_available);
        assert_eq!(envelope.next_cursor, None);
    }

    #[test]
    fn pages_carry_cursor_and_sync_token_on_the_last_page_only() {
        let first = classify_as::<Vec<Job>>(&response(200, &[], JOB_LIST_PAGE_1)).unwrap();
        assert!(first.more_data_available);
        assert_eq!(first.next_cursor.as_deref(), Some("cursor-page-2"));
        assert_eq!(first.sync_token, None, "null syncToken on a non-final page");
        let last = classify_as::<Vec<Job>>(&response(200, &[], JOB_LIST_PAGE_2)).unwrap();
        assert!(!last.more_data_available);
        assert_eq!(last.next_cursor, None);
        assert_eq!(last.sync_token.as_deref(), Some("sync-token-after-jobs"));
    }

    #[test]
    fn warnings_are_kept() {
        let envelope = classify(&response(200, &[], APPLICATION_CREATE)).unwrap();
        assert_eq!(
            envelope.warnings,
            vec!["unable_to_add_application_metadata"]
        );
    }

    #[test]
    fn error_info_gives_code_message_and_request_id() {
        let error = classify(&response(200, &[], ERROR_INFO)).unwrap_err();
        assert_eq!(
            error,
            AshbyError::Api {
                code: "invalid_input".into(),
                message: "linkedInUrl must be a valid URL".into(),
                request_id: Some("01JREQINVALIDINPUT".into()),
            }
        );
    }

    #[test]
    fn deprecated_errors_array_of_strings() {
        let error = classify(&response(200, &[], ERRORS_AS_STRINGS)).unwrap_err();
        assert_eq!(
            error,
            AshbyError::Api {
                code: "application_not_found".into(),
                message: "application_not_found".into(),
                request_id: None,
            }
        );
    }

    #[test]
    fn deprecated_errors_array_of_objects() {
        let error = classify(&response(200, &[], ERRORS_AS_OBJECTS)).unwrap_err();
        assert_eq!(
            error,
            AshbyError::Api {
                code: "candidate_not_found".into(),
                message: "No candidate with that id".into(),
                request_id: None,
            }
        );
    }

    #[test]
    fn missing_permission_as_403_and_as_200() {
        for status in [403, 200] {
            let error = classify(&response(status, &[], MISSING_PERMISSION)).unwrap_err();
            assert_eq!(
                error,
                AshbyError::MissingPermission {
                    message: "The API key is missing the candidatesWrite permission".into(),
                    request_id: Some("01JREQPERMISSION".into()),
                    permission: None,
                },
                "HTTP {status}"
            );
            assert!(error.is_auth_problem());
        }
    }

    #[test]
    fn missing_permission_only_in_the_older_errors_array() {
        let bodies = [
            r#"{"success": false, "errors": [{"message": "missing_endpoint_permission"}]}"#,
            r#"{"success": false, "errors": ["missing_endpoint_permission"]}"#,
            r#"{"success": false, "errors": [{"code": "missing_endpoint_permission", "message": "No"}]}"#,
            r#"{"success": false, "errors": ["invalid_input", "missing_endpoint_permission"]}"#,
        ];
        for body in bodies {
            for status in [403, 200] {
                let error = classify(&response(status, &[], body)).unwrap_err();
                assert!(
                    matches!(error, AshbyError::MissingPermission { .. }),
                    "HTTP {status} {body}: {error:?}"
                );
            }
        }
        // A 403 whose only words are about a permission is not a bad key either.
        let worded = r#"{"success": false, "errorInfo": {"message": "This key lacks the candidatesWrite permission"}}"#;
        assert!(matches!(
            classify(&response(403, &[], worded)),
            Err(AshbyError::MissingPermission { .. })
        ));
    }

    #[test]
    fn rate_limit_code_in_the_older_array_is_a_rate_limit() {
        let body = r#"{"success": false, "errors": [{"message": "rate_limit_exceeded"}]}"#;
        assert!(matches!(
            classify(&response(200, &[], body)),
            Err(AshbyError::RateLimited {
                retry_after_ms: None,
                ..
            })
        ));
    }

    #[test]
    fn server_errors_with_html_empty_or_json_bodies() {
        for (status, body) in [
            (500, ""),
            (502, "<!DOCTYPE html><html><body>Bad gateway</body></html>"),
            (
                503,
                r#"{"success": false, "errorInfo": {"code": "service_unavailable", "requestId": "r1"}}"#,
            ),
            (504, "upstream timed out"),
        ] {
            assert!(
                matches!(
                    classify(&response(status, &[("Retry-After", "3")], body)),
                    Err(AshbyError::ServerError { status: s, .. }) if s == status
                ),
                "HTTP {status}"
            );
        }
    }

    #[test]
    fn other_403_is_an_invalid_key_even_without_a_body() {
        let error = classify(&response(403, &[], INVALID_KEY)).unwrap_err();
        assert_eq!(
            error,
            AshbyError::InvalidKey {
                message: Some("Invalid API key".into()),
                request_id: Some("01JREQINVALIDKEY".into()),
            }
        );
        assert!(matches!(
            classify(&response(403, &[], "Forbidden")),
            Err(AshbyError::InvalidKey { message: None, .. })
        ));
    }

    #[test]
    fn status_401_is_a_missing_key() {
        assert_eq!(
            classify(&response(401, &[], "")).unwrap_err(),
            AshbyError::MissingKey
        );
    }

    #[test]
    fn rate_limit_reads_retry_after_and_scope() {
        let error = classify(&response(
            429,
            &[
                ("retry-after", "30"),
                ("X-RateLimit-Scope", "integration-partner"),
            ],
            RATE_LIMITED,
        ))
        .unwrap_err();
        assert_eq!(
            error,
            AshbyError::RateLimited {
                retry_after_ms: Some(30_000),
                integration_partner_limit: true,
                message: Some("Rate limit exceeded, try again in 30 seconds".into()),
            }
        );
        let plain = classify(&response(429, &[], "")).unwrap_err();
        assert_eq!(
            plain,
            AshbyError::RateLimited {
                retry_after_ms: None,
                integration_partner_limit: false,
                message: None,
            }
        );
        // The same code inside an HTTP 200 failure is still a rate limit.
        assert!(matches!(
            classify(&response(200, &[("Retry-After", "5")], RATE_LIMITED)),
            Err(AshbyError::RateLimited {
                retry_after_ms: Some(5000),
                ..
            })
        ));
    }

    #[test]
    fn retry_after_only_accepts_delta_seconds() {
        assert_eq!(parse_retry_after_ms(" 12 "), Some(12_000));
        assert_eq!(parse_retry_after_ms("0"), Some(0));
        assert_eq!(parse_retry_after_ms("Wed, 21 Oct 2026 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after_ms("-3"), None);
        assert_eq!(
            parse_retry_after_ms("99999999999999999"),
            Some(u64::MAX),
            "saturates instead of overflowing"
        );
    }

    #[test]
    fn server_errors_keep_status_and_request_id() {
        assert_eq!(
            classify(&response(502, &[], "<html>Bad gateway</html>")).unwrap_err(),
            AshbyError::ServerError {
                status: 502,
                request_id: None
            }
        );
        assert_eq!(
            classify(&response(500, &[], ERROR_INFO)).unwrap_err(),
            AshbyError::ServerError {
                status: 500,
                request_id: Some("01JREQINVALIDINPUT".into())
            }
        );
    }

    #[test]
    fn malformed_bodies() {
        for body in [
            "",
            "not json",
            "[1,2]",
            r#"{"results": []}"#,
            r#"{"success": "yes"}"#,
        ] {
            assert!(
                matches!(
                    classify(&response(200, &[], body)),
                    Err(AshbyError::MalformedResponse { status: 200, .. })
                ),
                "body {body:?}"
            );
        }
        // Right envelope, wrong `results` shape.
        assert!(matches!(
            classify_as::<Vec<Job>>(&response(200, &[], API_KEY_INFO)),
            Err(AshbyError::MalformedResponse { .. })
        ));
        // An unexpected status without Ashby's envelope.
        assert!(matches!(
            classify(&response(404, &[], "Not Found")),
            Err(AshbyError::MalformedResponse { status: 404, .. })
        ));
    }

    #[test]
    fn failure_envelope_on_an_unusual_status_is_still_read() {
        assert!(matches!(
            classify(&response(400, &[], ERROR_INFO)),
            Err(AshbyError::Api { ref code, .. }) if code == "invalid_input"
        ));
    }

    #[test]
    fn sync_token_expiry_is_an_api_error_that_requires_full_sync() {
        let error = classify(&response(200, &[], SYNC_TOKEN_EXPIRED)).unwrap_err();
        assert!(error.requires_full_sync());
    }

    #[test]
    fn failure_without_any_details() {
        assert_eq!(
            classify(&response(200, &[], r#"{"success": false, "errors": null}"#)).unwrap_err(),
            AshbyError::Api {
                code: "unknown_error".into(),
                message: "unknown_error".into(),
                request_id: None
            }
        );
    }
}
