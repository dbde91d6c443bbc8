//! Pieces of web addresses: the absolute `https` URLs the extension keeps, and the parsing
//! shared by the email, phone and profile-link rules.

use super::clean_text::is_invisible_format;
use crate::json_writer::WriteJson;
use serde::{Deserialize, Serialize};

/// Longest URL accepted.
pub const URL_MAX_CHARS: usize = 2048;

/// Strips a case-insensitive ASCII `prefix`.
pub(crate) fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    if !head.eq_ignore_ascii_case(prefix) {
        return None;
    }
    s.get(prefix.len()..)
}

/// Decodes `%XX` escapes; `None` on a malformed escape or when the bytes are not UTF-8.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_owned());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(
                u8::from_str_radix(hex, 16)
                    .ok()
                    .filter(|_| hex.bytes().all(|b| b.is_ascii_hexdigit()))?,
            );
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A DNS host name of at least two labels: each label 1–63 ASCII letters, digits or hyphens,
/// not starting or ending with a hyphen; the last label (the TLD) is not all digits.
pub(crate) fn is_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(label_ok)
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && !tld.bytes().all(|b| b.is_ascii_digit()))
}

/// The parts of an absolute `http(s)` URL that the rules look at.
pub(crate) struct WebUrl<'a> {
    pub https: bool,
    /// Lower case, without a trailing dot.
    pub host: String,
    /// From the first `/` (or empty), without query or fragment.
    pub path: &'a str,
}

/// Splits an absolute `http://` or `https://` URL. Refuses whitespace, control, bidi and
/// zero-width characters anywhere, backslashes (browsers read them as `/`), `<>"` and
/// backticks, userinfo (`user@host`, a classic way to disguise the real host), empty or
/// non-DNS hosts (IP literals included), and anything over 2048 characters.
pub(crate) fn split_web_url(raw: &str) -> Option<WebUrl<'_>> {
    let url = raw.trim();
    if url.is_empty() || url.chars().count() > URL_MAX_CHARS {
        return None;
    }
    let bad = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || is_invisible_format(c)
            || matches!(c, '\\' | '<' | '>' | '"' | '`')
    };
    if url.chars().any(bad) {
        return None;
    }
    let (https, rest) = if let Some(rest) = strip_prefix_ignore_case(url, "https://") {
        (true, rest)
    } else {
        (false, strip_prefix_ignore_case(url, "http://")?)
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at_checked(authority_end)?;
    if authority.contains('@') {
        return None;
    }
    let host = match authority.rsplit_once(':') {
        Some((host, port)) => {
            let port_ok = (1..=5).contains(&port.len()) && port.bytes().all(|b| b.is_ascii_digit());
            port_ok.then_some(host)?
        }
        None => authority,
    };
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    if !is_domain(&host) {
        return None;
    }
    let path_end = after.find(['?', '#']).unwrap_or(after.len());
    Some(WebUrl {
        https,
        host,
        path: after.get(..path_end)?,
    })
}

/// An absolute `https://` URL with a DNS host, returned as given (trimmed). Rejects every
/// other scheme (`javascript:`, `data:`, `http:`…), relative URLs, userinfo, whitespace,
/// control and bidi characters inside, and URLs over 2048 characters.
pub fn parse_https_url(raw: &str) -> Option<String> {
    let url = split_web_url(raw)?;
    url.https.then(|| raw.trim().to_owned())
}

/// An absolute `https://` URL with a DNS host ([`parse_https_url`]'s rule), checked when made
/// or decoded.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HttpsUrl(String);

/// Not an absolute `https` URL with a DNS host.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an https URL")]
pub struct InvalidUrl;

impl HttpsUrl {
    pub fn parse(raw: &str) -> Result<Self, InvalidUrl> {
        parse_https_url(raw).map(Self).ok_or(InvalidUrl)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_views!(HttpsUrl);
parsed_strings!(HttpsUrl, InvalidUrl);

/// Ashby's web app, the only host an "Open in Ashby" link may point to.
pub const ASHBY_APP_HOST: &str = "app.ashbyhq.com";

/// An Ashby profile link as Ashby's API gives it (`profileUrl`): `https://` on exactly
/// [`ASHBY_APP_HOST`] (no other port). Checked when made from an answer and when decoded, so
/// neither an odd API answer nor a value written into storage can make "Open in Ashby" lead
/// elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AshbyProfileUrl(String);

impl AshbyProfileUrl {
    pub fn parse(raw: &str) -> Result<Self, InvalidUrl> {
        let url = split_web_url(raw).ok_or(InvalidUrl)?;
        if !url.https || url.host != ASHBY_APP_HOST {
            return Err(InvalidUrl);
        }
        // An explicit port (even :443) is not Ashby's app as its API gives it.
        let authority = raw
            .trim()
            .get("https://".len()..)
            .ok_or(InvalidUrl)?
            .split(['/', '?', '#'])
            .next()
            .unwrap_or_default();
        (!authority.contains(':'))
            .then(|| Self(raw.trim().to_owned()))
            .ok_or(InvalidUrl)
    }
}

string_views!(AshbyProfileUrl);
parsed_strings!(AshbyProfileUrl, InvalidUrl);

/// An optional link read where the rest of the record must survive a bad one: a value that
/// does not pass the link's rule decodes as none (a record a content script planted in
/// storage keeps its text, not its link).
pub fn link_or_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<String>,
{
    Ok(Option::<String>::deserialize(deserializer)?.and_then(|raw| T::try_from(raw).ok()))
}

// Written as its text (serde's `into = "String"`).
crate::write_json_as!(as_str: HttpsUrl);

impl WriteJson for AshbyProfileUrl {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ashby_profile_links_only_on_ashbys_app_host() {
        let id = "00000002-0000-4000-8000-000000000001";
        assert!(
            AshbyProfileUrl::parse(&format!("https://app.ashbyhq.com/candidates/{id}")).is_ok()
        );
        assert!(
            AshbyProfileUrl::parse(&format!("HTTPS://APP.ASHBYHQ.COM/candidates/{id}")).is_ok()
        );
        for bad in [
            format!("http://app.ashbyhq.com/candidates/{id}"),
            format!("https://app.ashbyhq.com.evil.example/candidates/{id}"),
            format!("https://evil.app.ashbyhq.com/candidates/{id}"),
            format!("https://ashbyhq.com/candidates/{id}"),
            format!("https://app.ashbyhq.com:8443/candidates/{id}"),
            format!("https://user@app.ashbyhq.com/candidates/{id}"),
            "javascript:alert(1)//app.ashbyhq.com".to_owned(),
            format!("https://evil.example/?https://app.ashbyhq.com/candidates/{id}"),
        ] {
            assert!(AshbyProfileUrl::parse(&bad).is_err(), "{bad}");
            let json = serde_json::to_string(&bad).unwrap();
            assert!(
                serde_json::from_str::<AshbyProfileUrl>(&json).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_bad_link_in_a_record_reads_as_none_and_the_record_survives() {
        #[derive(Deserialize)]
        struct Record {
            text: String,
            #[serde(default, deserialize_with = "link_or_none")]
            link: Option<AshbyProfileUrl>,
        }
        let read = |json: serde_json::Value| serde_json::from_value::<Record>(json).unwrap();
        let planted = read(serde_json::json!({"text": "Sent", "link": "https://evil.example/x"}));
        assert_eq!((planted.text.as_str(), planted.link), ("Sent", None));
        let ours = read(serde_json::json!({"text": "Sent", "link": "https://app.ashbyhq.com/c/1"}));
        assert_eq!(ours.link, Some("https://app.ashbyhq.com/c/1".into()));
        assert_eq!(read(serde_json::json!({"text": "Sent"})).link, None);
    }

    #[test]
    fn https_urls_are_checked_when_made_and_decoded() {
        let url = HttpsUrl::parse(" https://jane.example/cv ").unwrap();
        assert_eq!(url, "https://jane.example/cv");
        for bad in [
            "http://jane.example",
            "javascript:alert(1)",
            "data:text/html,x",
            "/relative",
            "https://user@jane.example/",
            "https://jane.example/\u{202E}x",
        ] {
            assert!(HttpsUrl::parse(bad).is_err(), "{bad:?}");
            let json = serde_json::to_string(bad).unwrap();
            assert!(serde_json::from_str::<HttpsUrl>(&json).is_err(), "{bad:?}");
        }
        // Decoded only in the form this extension writes (trimmed).
        assert!(serde_json::from_str::<HttpsUrl>("\" https://jane.example/cv\"").is_err());
        let decoded: HttpsUrl = serde_json::from_str("\"https://jane.example/cv\"").unwrap();
        assert_eq!(decoded, url);
        assert_eq!(
            serde_json::to_string(&url).unwrap(),
            "\"https://jane.example/cv\""
        );
    }
}
