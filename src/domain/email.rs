//! Email addresses: the one rule for what is an address, and [`Email`], an address checked by it.

use super::web::{is_domain, percent_decode, strip_prefix_ignore_case};
use serde::{Deserialize, Serialize};

/// Longest email address accepted (RFC 5321's path limit).
pub const EMAIL_MAX_CHARS: usize = 254;

/// Characters allowed in an email's local part: RFC 5322 "atext" and dots, minus the ones
/// that are trouble in HTML, headers or URLs (`'`, `` ` ``, `%`, `?`). No quoted strings.
fn is_email_local_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"._+-!#$&*/=^{|}~".contains(&b)
}

/// An email from a `mailto:` href or from plain text.
///
/// `mailto:` (any case) is stripped and the href's `?subject=…` query and `#fragment` dropped;
/// a `mailto:` href is then percent-decoded (it is a URL: `mailto:jane%40acme.com`), plain text
/// is not (a `%` in plain text is rejected). What is left must be a plain ASCII
/// `local@domain.tld`: one `@`, no whitespace, quotes, brackets, commas, semicolons, colons,
/// backslashes or `%`; a local part of 1–64 characters without leading, trailing or double
/// dots; a domain of DNS labels with a dot; at most 254 characters. Case is preserved (compare
/// with [`normalise_email`]). Internationalised addresses are not accepted.
pub fn parse_email(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let address = match strip_prefix_ignore_case(trimmed, "mailto:") {
        Some(rest) => {
            let rest = rest.split(['?', '#']).next().unwrap_or_default();
            if rest.len() > EMAIL_MAX_CHARS * 3 {
                return None;
            }
            percent_decode(rest)?
        }
        None => trimmed.to_owned(),
    };
    let address = address.trim();
    if address.is_empty() || address.len() > EMAIL_MAX_CHARS || !address.is_ascii() {
        return None;
    }
    let (local, domain) = address.split_once('@')?;
    let local_ok = (1..=64).contains(&local.len())
        && local.bytes().all(is_email_local_char)
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !crate::substring::contains(local, "..");
    (local_ok && is_domain(domain)).then(|| address.to_owned())
}

/// The form emails are compared in (deduplication, matching in Ashby): trimmed, ASCII lower
/// case. Our addresses are ASCII ([`parse_email`]); Unicode's mapping would only make other
/// mailboxes equal to them (the Kelvin sign `K` lowers to `k`).
pub fn normalise_email(email: &str) -> String {
    email.trim().to_ascii_lowercase()
}

/// `raw` as an address in the lower-case form the Fetcher account and search owners are kept
/// in; `None` unless [`parse_email`] accepts it.
pub fn account_form(raw: &str) -> Option<Email> {
    Email::parse(raw).ok().map(Email::lowercased)
}

/// The same mailbox, ignoring case and surrounding space.
pub fn same_address(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// An address that passed [`parse_email`] (as written: compare with [`Email::same_as`]).
/// Checked when made or decoded, so a stored or received value is always well-formed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

/// Not an address [`parse_email`] accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an email address")]
pub struct InvalidEmail;

impl Email {
    /// An address from a `mailto:` href or text ([`parse_email`]).
    pub fn parse(raw: &str) -> Result<Self, InvalidEmail> {
        parse_email(raw).map(Self).ok_or(InvalidEmail)
    }

    /// The address in lower case (the form the Fetcher account is kept in).
    pub fn lowercased(self) -> Self {
        Self(normalise_email(&self.0))
    }

    /// The same mailbox, ignoring case.
    pub fn same_as(&self, other: &str) -> bool {
        same_address(&self.0, other)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_views!(Email);
parsed_strings!(Email, InvalidEmail);

// Written as its text (serde's `into = "String"`).
crate::write_json_as!(as_str: Email);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_compare_ignoring_ascii_case_only() {
        assert_eq!(normalise_email(" Jane.Doe@Acme.COM "), "jane.doe@acme.com");
        // An Ashby address spelled with the Kelvin sign is another mailbox, not kate@.
        assert_ne!(normalise_email("\u{212A}ate@acme.com"), "kate@acme.com");
    }

    #[test]
    fn emails_are_checked_when_made_and_decoded() {
        let email = Email::parse(" Jane@Agency.COM ").unwrap();
        assert_eq!(email.as_str(), "Jane@Agency.COM");
        assert!(email.same_as("jane@agency.com"));
        assert_eq!(email.clone().lowercased().as_str(), "jane@agency.com");
        assert!(serde_json::from_str::<Email>("\"not an email\"").is_err());
        // Read from a page leniently, decoded only in the form this extension writes.
        assert_eq!(
            Email::parse("mailto:jane@agency.com").unwrap(),
            "jane@agency.com"
        );
        assert!(serde_json::from_str::<Email>("\"mailto:jane@agency.com\"").is_err());
        assert!(serde_json::from_str::<Email>("\" jane@agency.com\"").is_err());
        assert!(serde_json::from_str::<Email>("\"jane\\u202e@agency.com\"").is_err());
        let decoded: Email = serde_json::from_str("\"jane@agency.com\"").unwrap();
        assert_eq!(
            serde_json::to_string(&decoded).unwrap(),
            "\"jane@agency.com\""
        );
    }
}
