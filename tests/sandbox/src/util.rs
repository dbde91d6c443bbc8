//! Small helpers: deterministic ids, ISO-8601 time, opaque tokens, input validation.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{Map, Value};
use std::time::{SystemTime, UNIX_EPOCH};

/// Entity kinds; the kind number is the first id group, so ids say what they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Job = 1,
    Candidate = 2,
    Application = 3,
    User = 4,
    Source = 5,
    Tag = 6,
    Location = 7,
    Department = 8,
    Note = 9,
    SourceType = 10,
    Stage = 11,
    Plan = 12,
}

/// A UUID-looking deterministic id, e.g. job 3 = `00000001-0000-4000-8000-000000000003`.
pub fn make_id(kind: Kind, n: u64) -> String {
    format!("{:08x}-0000-4000-8000-{:012x}", kind as u32, n)
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

// Howard Hinnant's civil-date algorithms.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Epoch milliseconds as `2026-01-05T09:00:00.000Z`.
pub fn iso(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        (rem / 60_000) % 60,
        (rem / 1000) % 60,
        rem % 1000
    )
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` (UTC only). `None` if malformed.
pub fn parse_iso(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || !s.ends_with('Z') || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let frac = &s[19..s.len() - 1];
    let ms = if frac.is_empty() {
        0
    } else {
        let digits = frac.strip_prefix('.')?;
        if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let mut padded = digits.to_string();
        padded.truncate(3);
        while padded.len() < 3 {
            padded.push('0');
        }
        padded.parse::<i64>().ok()?
    };
    Some(days_from_civil(y, mo, d) * 86_400_000 + h * 3_600_000 + mi * 60_000 + se * 1000 + ms)
}

pub fn encode_token(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

pub fn decode_token(s: &str) -> Option<Value> {
    let bytes = URL_SAFE_NO_PAD.decode(s.trim()).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// A loose "looks like an email": one `@`, non-empty local part, dotted domain, no spaces.
pub fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>' || c == ',')
}

/// An absolute http(s) URL with a host and no whitespace.
pub fn valid_url(s: &str) -> bool {
    let rest = if let Some(r) = s.strip_prefix("https://") {
        r
    } else if let Some(r) = s.strip_prefix("http://") {
        r
    } else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or("");
    let host_only = host.split(':').next().unwrap_or("");
    !host_only.is_empty()
        && host_only
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '[' || c == ']')
        && !s.chars().any(char::is_whitespace)
}

/// Keeps only the tags Ashby keeps in HTML notes (b, i, u, a, ul, ol, li, code, pre, plus br/p
/// boundaries removed); every other tag is stripped, text is kept.
pub fn sanitize_note_html(html: &str) -> String {
    const KEEP: &[&str] = &["b", "i", "u", "a", "ul", "ol", "li", "code", "pre"];
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        match after.find('>') {
            Some(end) => {
                let tag = &after[..=end];
                let name: String = tag
                    .trim_start_matches('<')
                    .trim_start_matches('/')
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect::<String>()
                    .to_ascii_lowercase();
                if KEEP.contains(&name.as_str()) {
                    out.push_str(tag);
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A client error (HTTP 200 `success:false` unless `status` says otherwise).
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub meta: Value,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status: 200,
            code: code.to_string(),
            message: message.into(),
            meta: Value::Object(Map::new()),
            retry_after: None,
        }
    }
    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }
    pub fn meta(mut self, meta: Value) -> Self {
        self.meta = meta;
        self
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new("invalid_input", message)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Strict request-body access: types are checked, unknown fields are refused.
pub struct Body<'a> {
    pub map: &'a Map<String, Value>,
}

impl<'a> Body<'a> {
    pub fn new(map: &'a Map<String, Value>, allowed: &[&str]) -> ApiResult<Self> {
        for k in map.keys() {
            if !allowed.contains(&k.as_str()) {
                return Err(ApiError::invalid(format!(
                    "Unknown field '{k}'. Accepted fields: {}",
                    allowed.join(", ")
                ))
                .meta(serde_json::json!({ "field": k })));
            }
        }
        Ok(Body { map })
    }

    pub fn has(&self, k: &str) -> bool {
        !matches!(self.map.get(k), None | Some(Value::Null))
    }

    pub fn opt_str(&self, k: &str) -> ApiResult<Option<String>> {
        match self.map.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ApiError::invalid(format!("'{k}' must be a string"))),
        }
    }

    pub fn req_str(&self, k: &str) -> ApiResult<String> {
        match self.opt_str(k)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(ApiError::invalid(format!("'{k}' is required"))),
        }
    }

    pub fn opt_bool(&self, k: &str) -> ApiResult<Option<bool>> {
        match self.map.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(ApiError::invalid(format!("'{k}' must be a boolean"))),
        }
    }

    pub fn opt_i64(&self, k: &str) -> ApiResult<Option<i64>> {
        match self.map.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) if n.as_i64().is_some() => Ok(n.as_i64()),
            Some(_) => Err(ApiError::invalid(format!("'{k}' must be an integer"))),
        }
    }

    pub fn opt_str_array(&self, k: &str) -> ApiResult<Option<Vec<String>>> {
        match self.map.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| {
                    v.as_str().map(str::to_string).ok_or_else(|| {
                        ApiError::invalid(format!("'{k}' must be an array of strings"))
                    })
                })
                .collect::<ApiResult<Vec<_>>>()
                .map(Some),
            Some(_) => Err(ApiError::invalid(format!(
                "'{k}' must be an array of strings"
            ))),
        }
    }

    pub fn opt_email(&self, k: &str) -> ApiResult<Option<String>> {
        match self.opt_str(k)? {
            Some(s) => {
                let t = s.trim().to_string();
                if valid_email(&t) {
                    Ok(Some(t))
                } else {
                    Err(ApiError::invalid(format!(
                        "'{k}' is not a valid email address: {s:?}"
                    )))
                }
            }
            None => Ok(None),
        }
    }

    pub fn opt_url(&self, k: &str) -> ApiResult<Option<String>> {
        match self.opt_str(k)? {
            Some(s) => {
                let t = s.trim().to_string();
                if valid_url(&t) {
                    Ok(Some(t))
                } else {
                    Err(ApiError::invalid(format!(
                        "'{k}' is not a valid URL: {s:?}"
                    )))
                }
            }
            None => Ok(None),
        }
    }

    pub fn opt_time(&self, k: &str) -> ApiResult<Option<i64>> {
        match self.opt_str(k)? {
            Some(s) => parse_iso(&s).map(Some).ok_or_else(|| {
                ApiError::invalid(format!(
                    "'{k}' must be an ISO-8601 UTC date-time, got {s:?}"
                ))
            }),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_round_trip() {
        let t = parse_iso("2026-01-05T09:00:00Z").unwrap();
        assert_eq!(iso(t), "2026-01-05T09:00:00.000Z");
        assert_eq!(parse_iso("2026-01-05T09:00:00.25Z").unwrap(), t + 250);
        assert_eq!(iso(0), "1970-01-01T00:00:00.000Z");
        assert!(parse_iso("yesterday").is_none());
    }

    #[test]
    fn validation() {
        assert!(valid_email("a.b@example.com"));
        assert!(!valid_email("not-an-email"));
        assert!(!valid_email("a b@example.com"));
        assert!(valid_url("https://www.linkedin.com/in/jane"));
        assert!(valid_url("http://localhost:8080/x"));
        assert!(!valid_url("linkedin.com/in/jane"));
        assert!(!valid_url("javascript:alert(1)"));
        assert_eq!(
            sanitize_note_html("<p>Hi <b>x</b><script>y</script></p>"),
            "Hi <b>x</b>y"
        );
    }
}
