//! The page model's field rules (`shared/fetcher-page-model.md`, "Hostile content"): how the
//! raw strings the content script reads off a Fetcher page become bounded, validated fields.
//!
//! Everything read from the page is untrusted. Every function here is total and pure: it takes
//! whatever the page held (markup, control characters, bidi overrides, 10,000-character
//! strings, nothing at all) and returns either a clean value or `None`. Nothing here produces
//! markup; text stays text (`<img onerror=…>` in a name is kept as those literal characters,
//! and the UI renders it as text).

use crate::domain::lower_case::lower_case;
use crate::domain::web::{percent_decode, split_web_url, strip_prefix_ignore_case};
use crate::domain::{CandidateId, CandidateStatus, Email, FetcherCandidate, HttpsUrl, SearchId};
// The text, email and URL rules are the domain's; the page model applies them.
pub use crate::domain::clean_text::{clean_text, is_invisible_format};
pub use crate::domain::email::{normalise_email, parse_email, EMAIL_MAX_CHARS};
pub use crate::domain::web::{parse_https_url, URL_MAX_CHARS};

/// Longest candidate name kept, in characters.
pub const NAME_MAX_CHARS: usize = 200;
/// Longest job title kept, in characters.
pub const TITLE_MAX_CHARS: usize = 200;
/// Longest company name kept, in characters.
pub const COMPANY_MAX_CHARS: usize = 200;
/// Longest location kept, in characters.
pub const LOCATION_MAX_CHARS: usize = 200;
/// The whole headline is cleaned to this before it is split into title and company.
pub const HEADLINE_MAX_CHARS: usize = 500;
/// Longest phone number accepted, in characters.
pub const PHONE_MAX_CHARS: usize = 32;
/// Fewest and most digits a phone number may have.
pub const PHONE_DIGITS: std::ops::RangeInclusive<usize> = 4..=20;
/// At most this many emails, phones and website links are kept per candidate.
pub const MAX_CONTACTS: usize = 10;
/// At most this many raw hrefs of each kind are read off the page and looked at (bounds the
/// work per candidate, and a message's size).
pub const MAX_RAW_ITEMS: usize = 100;

// ---- Text --------------------------------------------------------------------------------------

/// Cleaned text, or `None` when nothing visible is left.
fn clean_field(raw: &str, max_chars: usize) -> Option<String> {
    Some(clean_text(raw, max_chars)).filter(|s| !s.is_empty())
}

/// A status element's text (`New`, `Liked`, `Contacted`, `Replied`, `Interested`,
/// case-insensitive, surrounding whitespace and invisible characters ignored).
pub fn parse_status(raw: &str) -> Option<CandidateStatus> {
    let text = clean_text(raw, 16).to_ascii_lowercase();
    Some(match text.as_str() {
        "new" => CandidateStatus::New,
        "liked" => CandidateStatus::Liked,
        "contacted" => CandidateStatus::Contacted,
        "replied" => CandidateStatus::Replied,
        "interested" => CandidateStatus::Interested,
        _ => return None,
    })
}

/// A profile headline, "Title at Company", as `(title, company)`, each cleaned and capped.
///
/// The split is at the **last** " at " (after whitespace is collapsed, so "CTO\n at  Acme"
/// splits too): Fetcher writes "{title} at {company}", and free-text titles contain " at "
/// far more often than company names do ("Head of Data at Scale at Acme" is the title
/// "Head of Data at Scale" at "Acme"). The separator is lower-case, as the page model writes
/// it. Without a separator the whole headline is the title. An empty side is `None`.
pub fn parse_headline(raw: &str) -> (Option<String>, Option<String>) {
    let headline = clean_text(raw, HEADLINE_MAX_CHARS);
    match crate::substring::rsplit_once(&headline, " at ") {
        Some((title, company)) => (
            clean_field(title, TITLE_MAX_CHARS),
            clean_field(company, COMPANY_MAX_CHARS),
        ),
        None => (clean_field(&headline, TITLE_MAX_CHARS), None),
    }
}

// ---- Emails and phones ---------------------------------------------------------------------

/// A phone number from a `tel:` href or plain text: `tel:` (any case) stripped, a `tel:` href
/// percent-decoded (`tel:+1%20555…`) and cut at its first `;` parameter; then only digits,
/// spaces, `+ ( ) - .` are allowed, with 4–20 digits and at most 32 characters. Whitespace is
/// collapsed; the number is otherwise kept as written.
pub fn parse_phone(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let number = match strip_prefix_ignore_case(trimmed, "tel:") {
        Some(rest) => {
            let rest = rest.split(';').next().unwrap_or_default();
            if rest.len() > PHONE_MAX_CHARS * 3 {
                return None;
            }
            percent_decode(rest)?
        }
        None => trimmed.to_owned(),
    };
    if number.len() > PHONE_MAX_CHARS * 2 {
        return None;
    }
    let allowed = |c: char| {
        c.is_ascii_digit() || c.is_whitespace() || matches!(c, '+' | '(' | ')' | '-' | '.')
    };
    if !number.chars().all(allowed) {
        return None;
    }
    let number = number.split_whitespace().collect::<Vec<_>>().join(" ");
    let digits = number.bytes().filter(u8::is_ascii_digit).count();
    (PHONE_DIGITS.contains(&digits) && number.len() <= PHONE_MAX_CHARS).then_some(number)
}

/// The digits of a phone number, for deduplication.
fn phone_digits(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

// ---- URLs ----------------------------------------------------------------------------------

/// Is `host` exactly `domain` or one subdomain label under it (`de.linkedin.com`)?
/// Look-alikes (`linkedin.com.evil.example`, `evil-linkedin.com`) are not.
fn is_host_or_subdomain(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .and_then(|sub| sub.strip_suffix('.'))
            .is_some_and(|sub| !sub.is_empty() && !sub.contains('.'))
}

/// A LinkedIn profile URL in the one form used for comparison and upload:
/// `https://www.linkedin.com/in/<slug>`.
///
/// Accepts `http` or `https` on `linkedin.com`, `www.linkedin.com` or a one-label country
/// subdomain (`de.linkedin.com`), with the path `/in/<slug>[/…]`. Query, fragment, trailing
/// slash and further path segments are dropped. The slug is percent-decoded, must then be
/// letters, digits, `-` or `_` (Unicode letters allowed: LinkedIn has `/in/jürgen-…`), is
/// lower-cased, and re-encoded with every non-ASCII byte as lower-case `%xx` — so `/in/J%C3%BCrgen`,
/// `/in/j%c3%bcrgen` and `/in/Jürgen` all become `/in/j%c3%bcrgen`.
pub fn normalise_linkedin(raw: &str) -> Option<HttpsUrl> {
    let url = split_web_url(raw)?;
    if !is_host_or_subdomain(&url.host, "linkedin.com") {
        return None;
    }
    let mut segments = url.path.strip_prefix('/')?.split('/');
    if !segments.next()?.eq_ignore_ascii_case("in") {
        return None;
    }
    let slug = lower_case(&percent_decode(segments.next()?)?);
    let slug_ok = (1..=100).contains(&slug.chars().count())
        && slug
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if !slug_ok {
        return None;
    }
    let mut encoded = String::with_capacity(slug.len() * 3);
    for b in slug.bytes() {
        if b.is_ascii() {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02x}"));
        }
    }
    HttpsUrl::parse(&format!("https://www.linkedin.com/in/{encoded}")).ok()
}

/// GitHub paths that are site pages, not users.
const GITHUB_RESERVED: &[&str] = &[
    "about",
    "apps",
    "collections",
    "contact",
    "enterprise",
    "explore",
    "features",
    "issues",
    "join",
    "login",
    "marketplace",
    "new",
    "notifications",
    "orgs",
    "organizations",
    "pricing",
    "pulls",
    "search",
    "settings",
    "site",
    "sponsors",
    "topics",
    "trending",
];

/// A GitHub profile as `https://github.com/<user>`, lower case.
///
/// Accepts `http` or `https` on `github.com` or `www.github.com` (not `github.com.evil…`);
/// the first path segment is the user, `[a-z0-9-]{1,39}` not starting or ending with `-`, and
/// not a site page (`/features`, `/login`…). Repository paths (`/user/repo`), query and
/// fragment are dropped.
pub fn normalise_github(raw: &str) -> Option<HttpsUrl> {
    let url = split_web_url(raw)?;
    if url.host != "github.com" && url.host != "www.github.com" {
        return None;
    }
    let user = url
        .path
        .strip_prefix('/')?
        .split('/')
        .next()?
        .to_ascii_lowercase();
    let user_ok = (1..=39).contains(&user.len())
        && user.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !user.starts_with('-')
        && !user.ends_with('-')
        && !GITHUB_RESERVED.contains(&user.as_str());
    user_ok
        .then(|| HttpsUrl::parse(&format!("https://github.com/{user}")).ok())
        .flatten()
}

// ---- The candidate ---------------------------------------------------------------------------

/// What the content script collects from a card or profile, as raw page strings. Nothing in it
/// is trusted; [`RawCandidate::validate`] turns it into a [`FetcherCandidate`]. The content
/// script sends it to the worker as read (texts cut to 4,096 bytes, at most
/// [`MAX_RAW_ITEMS`] hrefs of each kind), and the worker validates it: one place decides what
/// a page's candidate is, and the rules stay out of the content script's wasm.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct RawCandidate {
    /// From the route (cards: from the profile link's path).
    pub search_id: String,
    pub candidate_id: String,
    pub name: String,
    /// "Title at Company", when the page shows one.
    pub headline: Option<String>,
    pub location: Option<String>,
    /// Every `mailto:` href, in page order (the first is primary).
    pub email_hrefs: Vec<String>,
    /// Every `tel:` href, in page order.
    pub phone_hrefs: Vec<String>,
    /// LinkedIn, GitHub and other profile links (absolute, as the browser resolved them).
    pub link_hrefs: Vec<String>,
    /// The `role="status"` element's text, when there is one.
    pub status_text: Option<String>,
    /// Whether the `Like` button has `aria-pressed="true"`.
    pub like_pressed: bool,
}

/// Does a link mention LinkedIn or GitHub (look-alikes, company pages, redirects)?
fn mentions_profile_site(link: &str) -> bool {
    let lower = link.to_ascii_lowercase();
    crate::substring::contains(&lower, "linkedin") || crate::substring::contains(&lower, "github")
}

/// Why a raw candidate cannot be used at all. Anything else that is wrong with a field only
/// drops that field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidCandidate {
    #[error("the search id is not a Fetcher id")]
    SearchId,
    #[error("the candidate id is not a Fetcher id")]
    CandidateId,
}

impl RawCandidate {
    /// Applies every field rule. The ids must be valid Fetcher ids (the candidate cannot be
    /// keyed otherwise, so that is an error); every other field is cleaned or dropped:
    /// the name is cleaned (possibly empty); the headline split into title and company;
    /// malformed emails, phones and links are skipped; emails are deduplicated
    /// case-insensitively keeping the first spelling and the primary first; phones are
    /// deduplicated by digits; links are classified: the first LinkedIn profile and the first
    /// GitHub profile are kept (later ones ignored); a link that mentions LinkedIn or GitHub
    /// but is not a profile there (look-alike hosts, company pages, redirectors) is dropped,
    /// because the adapter collects such links from the whole profile, not only from its
    /// Links section; any other `https` link is a website (deduplicated); at most [`MAX_CONTACTS`] emails, phones and websites each; an unknown
    /// status text is no status.
    pub fn validate(self) -> Result<FetcherCandidate, InvalidCandidate> {
        let search_id = SearchId::parse(&self.search_id).map_err(|_| InvalidCandidate::SearchId)?;
        let candidate_id =
            CandidateId::parse(&self.candidate_id).map_err(|_| InvalidCandidate::CandidateId)?;
        let (title, company) = self
            .headline
            .as_deref()
            .map(parse_headline)
            .unwrap_or_default();

        let mut emails: Vec<Email> = Vec::new();
        for email in self
            .email_hrefs
            .iter()
            .take(MAX_RAW_ITEMS)
            .filter_map(|e| Email::parse(e).ok())
        {
            let key = normalise_email(&email);
            if emails.len() < MAX_CONTACTS && !emails.iter().any(|e| normalise_email(e) == key) {
                emails.push(email);
            }
        }

        let mut phones: Vec<String> = Vec::new();
        for phone in self
            .phone_hrefs
            .iter()
            .take(MAX_RAW_ITEMS)
            .filter_map(|p| parse_phone(p))
        {
            let key = phone_digits(&phone);
            if phones.len() < MAX_CONTACTS && !phones.iter().any(|p| phone_digits(p) == key) {
                phones.push(phone);
            }
        }

        let mut linkedin_url = None;
        let mut github_url = None;
        let mut website_urls: Vec<HttpsUrl> = Vec::new();
        for link in self.link_hrefs.iter().take(MAX_RAW_ITEMS) {
            if let Some(url) = normalise_linkedin(link) {
                linkedin_url.get_or_insert(url);
            } else if let Some(url) = normalise_github(link) {
                github_url.get_or_insert(url);
            } else if mentions_profile_site(link) {
                // A look-alike or a non-profile LinkedIn/GitHub page: not the candidate's site.
            } else if let Ok(url) = HttpsUrl::parse(link) {
                if website_urls.len() < MAX_CONTACTS && !website_urls.contains(&url) {
                    website_urls.push(url);
                }
            }
        }

        Ok(FetcherCandidate {
            search_id,
            candidate_id,
            name: clean_text(&self.name, NAME_MAX_CHARS),
            title,
            company,
            location: self
                .location
                .as_deref()
                .and_then(|l| clean_field(l, LOCATION_MAX_CHARS)),
            emails,
            phones,
            linkedin_url,
            github_url,
            website_urls,
            status: self.status_text.as_deref().and_then(parse_status),
            liked: self.like_pressed,
        })
    }
}

impl crate::from_json::FromJson for RawCandidate {
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        let fields = crate::from_json::Fields::of(json)?;
        Ok(RawCandidate {
            search_id: fields.required("searchId")?,
            candidate_id: fields.required("candidateId")?,
            name: fields.required("name")?,
            headline: fields.optional("headline")?,
            location: fields.optional("location")?,
            email_hrefs: fields.required("emailHrefs")?,
            phone_hrefs: fields.required("phoneHrefs")?,
            link_hrefs: fields.required("linkHrefs")?,
            status_text: fields.optional("statusText")?,
            like_pressed: fields.required("likePressed")?,
        })
    }
}

crate::deserialize_through_from_json!(RawCandidate);

/// Most page text one message of readings carries: a hostile page can give one reading about
/// 1.2 MB of hrefs (300 of 4,096 bytes), so reports are cut by size as well as by count, and
/// the worker never decodes tens of megabytes at once.
pub const MESSAGE_TEXT_BYTES: usize = 1 << 20;

impl RawCandidate {
    /// The bytes of page text it holds.
    pub fn text_bytes(&self) -> usize {
        let texts = [&self.headline, &self.location, &self.status_text];
        let hrefs = [&self.email_hrefs, &self.phone_hrefs, &self.link_hrefs];
        self.search_id.len()
            + self.candidate_id.len()
            + self.name.len()
            + texts
                .iter()
                .filter_map(|t| t.as_ref())
                .map(String::len)
                .sum::<usize>()
            + hrefs
                .iter()
                .flat_map(|h| h.iter())
                .map(String::len)
                .sum::<usize>()
    }
}

/// `readings` in order, cut into messages of at most `max` readings and, unless a reading is
/// larger by itself, at most [`MESSAGE_TEXT_BYTES`] of page text.
pub fn messages_of<T: std::borrow::Borrow<RawCandidate>>(readings: &[T], max: usize) -> Vec<&[T]> {
    let mut messages = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, reading) in readings.iter().enumerate() {
        let size = reading.borrow().text_bytes();
        if i > start && (i - start == max || bytes + size > MESSAGE_TEXT_BYTES) {
            messages.push(&readings[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    if start < readings.len() {
        messages.push(&readings[start..]);
    }
    messages
}

impl crate::json_writer::WriteJson for RawCandidate {
    fn write_json(&self, out: &mut String) {
        let mut object = crate::json_writer::Object::open(out);
        object
            .member("searchId", &self.search_id)
            .member("candidateId", &self.candidate_id)
            .member("name", &self.name)
            .member("headline", &self.headline)
            .member("location", &self.location)
            .member("emailHrefs", &self.email_hrefs)
            .member("phoneHrefs", &self.phone_hrefs)
            .member("linkHrefs", &self.link_hrefs)
            .member("statusText", &self.status_text)
            .member("likePressed", &self.like_pressed);
        object.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // ---- clean_text ----

    #[test]
    fn clean_text_table() {
        let cases: &[(&str, usize, &str)] = &[
            ("  Jane   Doe  ", 200, "Jane Doe"),
            ("Jane\tDoe\nSmith\r\n", 200, "Jane Doe Smith"),
            ("", 200, ""),
            ("   \n\t ", 200, ""),
            (
                "<img src=x onerror=alert(1)>",
                200,
                "<img src=x onerror=alert(1)>",
            ),
            (
                "<script>alert('x')</script>",
                200,
                "<script>alert('x')</script>",
            ),
            ("Ja\u{0000}ne\u{0007} \u{001B}[31mDoe", 200, "Jane [31mDoe"),
            ("Jane\u{0085}Doe", 200, "Jane Doe"), // C1 NEL is whitespace
            ("Jane\u{009B}Doe\u{007F}", 200, "JaneDoe"), // C1 CSI and DEL removed
            ("\u{202E}gpj.exe\u{202C}", 200, "gpj.exe"),
            ("\u{200E}Jane\u{200F} \u{2066}Doe\u{2069}", 200, "Jane Doe"),
            ("J\u{200B}a\u{200C}n\u{200D}e\u{FEFF}", 200, "Jane"),
            ("\u{FEFF} Jane \u{200B} Doe", 200, "Jane Doe"),
            ("Jane\u{00A0}\u{2028}Doe", 200, "Jane Doe"),
            ("José Müller 山田", 200, "José Müller 山田"),
            ("abcdef", 6, "abcdef"),
            ("abcdefg", 6, "abcde…"),
            ("abc defg", 5, "abc…"), // no space before the ellipsis
            ("ééééééé", 4, "ééé…"),  // characters, not bytes
            ("😀😀😀😀😀", 3, "😀😀…"),
            ("abc", 0, ""),
            ("abc", 1, "…"),
        ];
        for (raw, max, want) in cases {
            assert_eq!(clean_text(raw, *max), *want, "{raw:?} max {max}");
            assert!(clean_text(raw, *max).chars().count() <= *max);
        }
    }

    #[test]
    fn clean_text_caps_huge_input() {
        let huge = "A".repeat(10_000);
        let name = clean_text(&huge, NAME_MAX_CHARS);
        assert_eq!(name.chars().count(), NAME_MAX_CHARS);
        assert!(name.ends_with('…'));
        let multibyte = "ж\u{202E} ".repeat(10_000);
        let cleaned = clean_text(&multibyte, NAME_MAX_CHARS);
        assert_eq!(cleaned.chars().count(), NAME_MAX_CHARS);
        assert!(!cleaned.contains('\u{202E}'));
    }

    // ---- status and headline ----

    #[test]
    fn status_table() {
        use CandidateStatus::*;
        let cases: &[(&str, Option<CandidateStatus>)] = &[
            ("New", Some(New)),
            ("  liked\n", Some(Liked)),
            ("CONTACTED", Some(Contacted)),
            ("Replied", Some(Replied)),
            ("interested", Some(Interested)),
            ("\u{200E}Interested\u{200F}", Some(Interested)),
            ("", None),
            ("Rejected", None),
            ("New!", None),
            ("Not interested", None),
            ("Liked Contacted", None),
            ("<b>New</b>", None),
        ];
        for (raw, want) in cases {
            assert_eq!(parse_status(raw), *want, "{raw:?}");
        }
    }

    #[test]
    fn headline_table() {
        let s = |v: &str| Some(v.to_owned());
        type TitleCompany = (Option<String>, Option<String>);
        let cases: &[(&str, TitleCompany)] = &[
            ("Engineer at Acme", (s("Engineer"), s("Acme"))),
            (
                "Head of Data at Scale at Acme",
                (s("Head of Data at Scale"), s("Acme")),
            ),
            ("  CTO\n at \t Acme Inc.  ", (s("CTO"), s("Acme Inc."))),
            ("Freelance designer", (s("Freelance designer"), None)),
            ("Looking at options", (s("Looking"), s("options"))),
            ("Engineer at", (s("Engineer at"), None)), // no " at " with a space after
            (" at Acme", (s("at Acme"), None)),        // trimmed first: no separator left
            ("Engineer at  ", (s("Engineer at"), None)),
            ("", (None, None)),
            ("Engineer AT Acme", (s("Engineer AT Acme"), None)),
            ("<b>Dev</b> at <i>Co</i>", (s("<b>Dev</b>"), s("<i>Co</i>"))),
            ("Dev\u{202E} at \u{202E}Co", (s("Dev"), s("Co"))),
        ];
        for (raw, want) in cases {
            assert_eq!(&parse_headline(raw), want, "{raw:?}");
        }
        let long = format!("{} at {}", "T".repeat(10_000), "C".repeat(10_000));
        let (title, company) = parse_headline(&long);
        assert!(title.unwrap().chars().count() <= TITLE_MAX_CHARS);
        assert!(company.is_none() || company.unwrap().chars().count() <= COMPANY_MAX_CHARS);
    }

    // ---- emails and phones ----

    #[test]
    fn email_table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("jane@acme.com", Some("jane@acme.com")),
            ("  Jane.Doe@Acme.COM ", Some("Jane.Doe@Acme.COM")),
            ("mailto:jane@acme.com", Some("jane@acme.com")),
            ("MAILTO:jane@acme.com", Some("jane@acme.com")),
            (
                "mailto:jane@acme.com?subject=Hi&body=x",
                Some("jane@acme.com"),
            ),
            ("mailto:jane@acme.com#x", Some("jane@acme.com")),
            ("mailto:jane%40acme.com", Some("jane@acme.com")),
            (
                "mailto:jane+fetcher@mail.acme.co.uk",
                Some("jane+fetcher@mail.acme.co.uk"),
            ),
            ("mailto:o%27brien@acme.com", None), // decodes to a quote: rejected
            ("mailto:%3Cscript%3E@acme.com", None),
            ("mailto:jane%4", None),
            ("mailto:jane%ZZ@acme.com", None),
            ("mailto:%FF@acme.com", None),
            ("jane%40acme.com", None), // plain text is not decoded
            ("mailto:", None),
            ("", None),
            ("not-an-email", None),
            ("a@b", None),
            ("@acme.com", None),
            ("jane@", None),
            ("jane@@acme.com", None),
            ("jane@acme@evil.com", None),
            ("jane doe@acme.com", None),
            ("jane@acme .com", None),
            ("\"jane\"@acme.com", None),
            ("\"><svg onload=alert(1)>@x.com", None),
            ("<jane@acme.com>", None),
            ("jane@acme.com, bob@acme.com", None),
            ("jane;bob@acme.com", None),
            ("jane@[127.0.0.1]", None),
            ("jane@127.0.0.1", None),
            ("jane@acme..com", None),
            ("jane@-acme.com", None),
            ("jane@acme-.com", None),
            ("jane@acme.c", None),
            ("jane@acme_co.com", None),
            (".jane@acme.com", None),
            ("jane.@acme.com", None),
            ("ja..ne@acme.com", None),
            ("jan\u{00E9}@acme.com", None),
            ("jane@\u{0430}cme.com", None), // Cyrillic a
            ("jane\u{202E}@acme.com", None),
            ("jane@acme.com\u{0000}", None),
            ("javascript:alert(1)", None),
            ("javascript:alert(1)//@x.com", None),
            ("data:text/html,<b>@x.com", None),
        ];
        for (raw, want) in cases {
            assert_eq!(parse_email(raw).as_deref(), *want, "{raw:?}");
        }
    }

    #[test]
    fn email_length_limits() {
        let local = "a".repeat(64);
        let ok = format!("{local}@{}.com", "b".repeat(63));
        assert_eq!(parse_email(&ok).as_deref(), Some(ok.as_str()));
        assert_eq!(parse_email(&format!("a{ok}")), None); // local part of 65
        let labels = vec!["c".repeat(60); 4].join(".");
        let long = format!("{local}@{labels}.com"); // 64 + 1 + 244 + 4 > 254
        assert!(long.len() > EMAIL_MAX_CHARS);
        assert_eq!(parse_email(&long), None);
        assert_eq!(parse_email(&"x".repeat(10_000)), None);
        assert_eq!(
            parse_email(&format!("mailto:{}", "%41".repeat(10_000))),
            None
        );
    }

    #[test]
    fn emails_compare_in_lower_case() {
        assert_eq!(normalise_email(" Jane.Doe@Acme.COM "), "jane.doe@acme.com");
    }

    #[test]
    fn phone_table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("tel:+14155550100", Some("+14155550100")),
            ("TEL:+1 (415) 555-0100", Some("+1 (415) 555-0100")),
            ("tel:+1%20415%20555%200100", Some("+1 415 555 0100")),
            ("tel:+1-415-555-0100;ext=12", Some("+1-415-555-0100")),
            ("  030.1234.5678 ", Some("030.1234.5678")),
            ("+44  20\t7946 0958", Some("+44 20 7946 0958")),
            ("1234", Some("1234")),
            ("123", None),
            ("123456789012345678901", None), // 21 digits
            ("12345678901234567890", Some("12345678901234567890")),
            ("+1 (415) 555-0100 ext 12", None),
            ("tel:javascript:alert(1)", None),
            ("javascript:alert(1)", None),
            ("<b>5550100</b>", None),
            ("", None),
            ("tel:", None),
            (
                "+---------------------------1234",
                Some("+---------------------------1234"),
            ), // 32 characters
            ("+----------------------------1234", None), // 33 characters
            ("tel:%2B1%ZZ5550100", None),
            ("555\u{202E}0100", None),
            ("\u{0661}\u{0662}\u{0663}\u{0664}", None), // Arabic-Indic digits
        ];
        for (raw, want) in cases {
            assert_eq!(parse_phone(raw).as_deref(), *want, "{raw:?}");
        }
    }

    // ---- URLs ----

    #[test]
    fn https_url_table() {
        let cases: &[(&str, bool)] = &[
            ("https://jane.dev", true),
            ("https://jane.dev/", true),
            ("https://blog.jane.dev/posts?id=1#top", true),
            ("HTTPS://Jane.dev/About", true),
            ("https://jane.dev:8443/x", true),
            ("  https://jane.dev  ", true),
            ("http://jane.dev", false),
            ("javascript:alert(1)", false),
            ("JaVaScRiPt:alert(1)", false),
            ("javascript://https://jane.dev", false),
            ("data:text/html,<script>alert(1)</script>", false),
            ("data:text/html;base64,PHNjcmlwdD4=", false),
            ("vbscript:msgbox", false),
            ("file:///etc/passwd", false),
            ("//jane.dev", false),
            ("/in/jane", false),
            ("jane.dev", false),
            ("https://", false),
            ("https:///path", false),
            ("https://user@evil.example", false),
            ("https://jane.dev@evil.example/", false),
            ("https://user:pw@jane.dev/", false),
            ("https://jane.dev\\@evil.example", false),
            ("https://jane.dev/a b", false),
            ("https://jane.dev/\u{202E}fdp.exe", false),
            ("https://jane.dev/\u{200B}", false),
            ("https://jane.dev/\u{0000}", false),
            ("https://jane.dev/\"onmouseover=\"x", false),
            ("https://jane.dev/<script>", false),
            ("https://localhost/", false),
            ("https://127.0.0.1/", false),
            ("https://[::1]/", false),
            ("https://jane.dev:99999999/", false),
            ("https://jane.dev:/", false),
            ("https://-jane.dev/", false),
            ("", false),
        ];
        for (raw, ok) in cases {
            let want = ok.then(|| raw.trim().to_owned());
            assert_eq!(parse_https_url(raw), want, "{raw:?}");
        }
        let long = format!("https://jane.dev/{}", "a".repeat(URL_MAX_CHARS));
        assert_eq!(parse_https_url(&long), None);
        let max = format!("https://jane.dev/{}", "a".repeat(URL_MAX_CHARS - 17));
        assert_eq!(parse_https_url(&max).as_deref(), Some(max.as_str()));
    }

    #[test]
    fn linkedin_table() {
        let jane = Some("https://www.linkedin.com/in/jane-doe");
        let cases: &[(&str, Option<&str>)] = &[
            ("https://www.linkedin.com/in/jane-doe", jane),
            ("https://linkedin.com/in/jane-doe", jane),
            ("http://www.linkedin.com/in/jane-doe", jane),
            ("https://de.linkedin.com/in/jane-doe/", jane),
            ("https://WWW.LinkedIn.com/in/Jane-Doe", jane),
            ("https://www.linkedin.com/IN/jane-doe", jane),
            ("https://www.linkedin.com./in/jane-doe", jane),
            ("https://www.linkedin.com/in/jane-doe?trk=x#about", jane),
            (
                "https://www.linkedin.com/in/jane-doe/details/experience/",
                jane,
            ),
            ("https://www.linkedin.com:443/in/jane-doe", jane),
            (
                "https://www.linkedin.com/in/Existing-LinkedIn/?utm_source=share",
                Some("https://www.linkedin.com/in/existing-linkedin"),
            ),
            (
                "https://www.linkedin.com/in/john_smith_42",
                Some("https://www.linkedin.com/in/john_smith_42"),
            ),
            (
                "https://www.linkedin.com/in/J%C3%BCrgen-m",
                Some("https://www.linkedin.com/in/j%c3%bcrgen-m"),
            ),
            (
                "https://www.linkedin.com/in/j%c3%bcrgen-m",
                Some("https://www.linkedin.com/in/j%c3%bcrgen-m"),
            ),
            (
                "https://www.linkedin.com/in/J\u{00DC}rgen-m",
                Some("https://www.linkedin.com/in/j%c3%bcrgen-m"),
            ),
            ("https://linkedin.com.evil.example/in/jane-doe", None),
            ("https://evil-linkedin.com/in/jane-doe", None),
            ("https://evillinkedin.com/in/jane-doe", None),
            ("https://www.linkedin.co/in/jane-doe", None),
            ("https://a.b.linkedin.com/in/jane-doe", None),
            ("https://www.linkedin.com@evil.example/in/jane-doe", None),
            ("https://evil.example/www.linkedin.com/in/jane-doe", None),
            (
                "https://evil.example/?u=https://www.linkedin.com/in/jane-doe",
                None,
            ),
            ("https://www.linkedin.com/company/acme", None),
            ("https://www.linkedin.com/in/", None),
            ("https://www.linkedin.com/in", None),
            ("https://www.linkedin.com/", None),
            ("https://www.linkedin.com/in/jane%20doe", None),
            ("https://www.linkedin.com/in/jane%2Fdoe", None),
            ("https://www.linkedin.com/in/%3Cscript%3E", None),
            ("https://www.linkedin.com/in/jane%ZZ", None),
            ("https://www.linkedin.com/in/jane.doe", None),
            ("https://www.linkedin.com/in/\u{202E}jane", None),
            (
                "javascript:alert('https://www.linkedin.com/in/jane-doe')",
                None,
            ),
            ("www.linkedin.com/in/jane-doe", None),
            ("ftp://www.linkedin.com/in/jane-doe", None),
            ("", None),
        ];
        for (raw, want) in cases {
            assert_eq!(normalise_linkedin(raw).as_deref(), *want, "{raw:?}");
        }
        let long = format!("https://www.linkedin.com/in/{}", "a".repeat(101));
        assert_eq!(normalise_linkedin(&long), None);
    }

    #[test]
    fn github_table() {
        let jane = Some("https://github.com/jane-doe");
        let cases: &[(&str, Option<&str>)] = &[
            ("https://github.com/jane-doe", jane),
            ("https://github.com/Jane-Doe/", jane),
            ("http://www.github.com/jane-doe", jane),
            ("https://github.com/jane-doe/some-repo/tree/main", jane),
            ("https://github.com/jane-doe?tab=repositories#x", jane),
            ("https://github.com.evil.example/jane-doe", None),
            ("https://evil-github.com/jane-doe", None),
            ("https://gist.github.com/jane-doe", None),
            ("https://github.com/", None),
            ("https://github.com", None),
            ("https://github.com/features", None),
            ("https://github.com/login", None),
            ("https://github.com/-jane", None),
            ("https://github.com/jane_doe", None),
            ("https://github.com/jane%2Edoe", None),
            ("https://github.com@evil.example/jane-doe", None),
            ("javascript:alert(1)//github.com/jane", None),
        ];
        for (raw, want) in cases {
            assert_eq!(normalise_github(raw).as_deref(), *want, "{raw:?}");
        }
        let max = "a".repeat(39);
        assert_eq!(
            normalise_github(&format!("https://github.com/{max}")).as_deref(),
            Some(format!("https://github.com/{max}").as_str())
        );
        assert_eq!(
            normalise_github(&format!("https://github.com/a{max}")),
            None
        );
    }

    // ---- ids and the whole candidate ----

    #[test]
    fn id_table() {
        for ok in ["a", "abc-1_2", "Z9", &"a".repeat(64)] {
            assert_eq!(SearchId::parse(ok).as_deref(), Ok(ok));
        }
        for bad in [
            "",
            "has space",
            "a/b",
            "<script>",
            "é",
            "a.b",
            &"a".repeat(65),
        ] {
            assert!(SearchId::parse(bad).is_err(), "{bad:?}");
        }
    }

    fn raw(search_id: &str, candidate_id: &str) -> RawCandidate {
        RawCandidate {
            search_id: search_id.into(),
            candidate_id: candidate_id.into(),
            ..RawCandidate::default()
        }
    }

    /// The wire form the content script sends and the worker reads: serde's, both ways, and
    /// a decoder that refuses what serde refuses.
    #[test]
    fn raw_candidate_wire_form() {
        let full = RawCandidate {
            name: crate::json_writer::testing::awkward_text(),
            headline: Some("Engineer at Acme".into()),
            location: Some("Berlin".into()),
            email_hrefs: vec!["mailto:a@b.example".into(), "mailto:x".into()],
            phone_hrefs: vec!["tel:+49 30 1234".into()],
            link_hrefs: vec!["https://www.linkedin.com/in/jane".into()],
            status_text: Some("Contacted".into()),
            like_pressed: true,
            ..raw("s-1", "../not an id")
        };
        let bare = raw("s", "c");
        for value in [&full, &bare] {
            crate::json_writer::testing::same_as_serde(value);
        }
        crate::from_json::testing::round_trips(&[full.clone(), bare]);
        let edits = crate::from_json::testing::member_edits(&serde_json::to_value(&full).unwrap());
        let texts: Vec<&str> = edits.iter().map(String::as_str).collect();
        crate::from_json::testing::agrees_with_serde::<RawCandidate>(&texts);
    }

    #[test]
    fn readings_are_cut_into_messages_by_count_and_by_size() {
        let small = raw("s", "c");
        let big = RawCandidate {
            link_hrefs: vec!["h".repeat(4096); MAX_RAW_ITEMS],
            email_hrefs: vec!["m".repeat(4096); MAX_RAW_ITEMS],
            ..raw("s", "c")
        };
        assert!(big.text_bytes() > MESSAGE_TEXT_BYTES / 2);
        let sizes = |readings: &[RawCandidate], max| {
            messages_of(readings, max)
                .iter()
                .map(|m| m.len())
                .collect::<Vec<_>>()
        };
        assert_eq!(sizes(&[], 50), Vec::<usize>::new());
        assert_eq!(sizes(&vec![small.clone(); 120], 50), [50, 50, 20]);
        // Two big readings do not fit one message; one alone is still sent.
        assert_eq!(sizes(&vec![big.clone(); 3], 50), [1, 1, 1]);
        let mixed = [small.clone(), big.clone(), small.clone(), big, small];
        assert_eq!(sizes(&mixed, 50), [3, 2]);
        for message in messages_of(&mixed, 50) {
            let bytes: usize = message.iter().map(RawCandidate::text_bytes).sum();
            assert!(message.len() == 1 || bytes <= MESSAGE_TEXT_BYTES);
        }
    }

    #[test]
    fn validate_rejects_bad_ids() {
        assert_eq!(raw("", "c1").validate(), Err(InvalidCandidate::SearchId));
        assert_eq!(raw("s 1", "c1").validate(), Err(InvalidCandidate::SearchId));
        assert_eq!(raw("s1", "").validate(), Err(InvalidCandidate::CandidateId));
        assert_eq!(
            raw("s1", "../c1").validate(),
            Err(InvalidCandidate::CandidateId)
        );
        assert_eq!(
            raw("s1", &"c".repeat(65)).validate(),
            Err(InvalidCandidate::CandidateId)
        );
    }

    #[test]
    fn validate_empty_candidate() {
        let candidate = raw("s1", "c1").validate().unwrap();
        assert_eq!(
            candidate,
            FetcherCandidate {
                ..FetcherCandidate::new("s1".parse().unwrap(), "c1".parse().unwrap())
            }
        );
    }

    #[test]
    fn validate_a_full_profile() {
        let candidate = RawCandidate {
            name: "  Jane \u{202E}Doe\n".into(),
            headline: Some("Head of Data at Scale at Acme".into()),
            location: Some(" Berlin,\tGermany ".into()),
            email_hrefs: vec![
                "mailto:Jane.Doe@Acme.com?subject=Hello".into(),
                "mailto:not-an-email".into(),
                "mailto:jane.doe@acme.com".into(),
                "mailto:JANE.DOE@ACME.COM".into(),
                "mailto:jane@home.example".into(),
            ],
            phone_hrefs: vec![
                "tel:+49 30 1234567".into(),
                "tel:+49-30-1234567".into(),
                "tel:javascript:alert(1)".into(),
                "tel:+1 415 555 0100".into(),
            ],
            link_hrefs: vec![
                "javascript:alert(1)".into(),
                "https://linkedin.com.evil.example/in/jane".into(),
                "https://www.linkedin.com/in/Existing-LinkedIn/?utm_source=share".into(),
                "https://www.linkedin.com/in/someone-else".into(),
                "https://github.com/JaneDoe/dotfiles".into(),
                "https://github.com/other".into(),
                "https://jane.dev/".into(),
                "http://insecure.example/".into(),
                "data:text/html,<script>alert(1)</script>".into(),
                "https://jane.dev/".into(),
                "https://www.linkedin.com/company/acme".into(),
                "https://evil.example/?r=github.com/x".into(),
                "https://blog.jane.dev/".into(),
            ],
            status_text: Some(" Contacted ".into()),
            like_pressed: true,
            ..raw("s1", "c1")
        }
        .validate()
        .unwrap();
        assert_eq!(candidate.name, "Jane Doe");
        assert_eq!(candidate.title.as_deref(), Some("Head of Data at Scale"));
        assert_eq!(candidate.company.as_deref(), Some("Acme"));
        assert_eq!(candidate.location.as_deref(), Some("Berlin, Germany"));
        assert_eq!(candidate.emails, ["Jane.Doe@Acme.com", "jane@home.example"]);
        assert_eq!(candidate.phones, ["+49 30 1234567", "+1 415 555 0100"]);
        assert_eq!(
            candidate.linkedin_url.as_deref(),
            Some("https://www.linkedin.com/in/existing-linkedin")
        );
        assert_eq!(
            candidate.github_url.as_deref(),
            Some("https://github.com/janedoe")
        );
        assert_eq!(
            candidate.website_urls,
            ["https://jane.dev/", "https://blog.jane.dev/"]
        );
        assert_eq!(candidate.status, Some(CandidateStatus::Contacted));
        assert!(candidate.liked);
    }

    #[test]
    fn validate_hostile_card() {
        let candidate = RawCandidate {
            name: format!("<img src=x onerror=alert(1)>{}", "\u{0007}A".repeat(10_000)),
            headline: Some("   ".into()),
            location: Some("\u{200B}\u{FEFF}".into()),
            status_text: Some("Hired".into()),
            ..raw("s1", "c1")
        }
        .validate()
        .unwrap();
        assert!(candidate
            .name
            .starts_with("<img src=x onerror=alert(1)>AAA"));
        assert_eq!(candidate.name.chars().count(), NAME_MAX_CHARS);
        assert!(candidate.name.ends_with('…'));
        assert!(!candidate.name.chars().any(char::is_control));
        assert_eq!(candidate.title, None);
        assert_eq!(candidate.company, None);
        assert_eq!(candidate.location, None);
        assert_eq!(candidate.status, None);
        assert!(!candidate.liked);
    }

    #[test]
    fn validate_bounds_lists() {
        let candidate = RawCandidate {
            email_hrefs: (0..50).map(|i| format!("mailto:p{i}@acme.com")).collect(),
            phone_hrefs: (0..50).map(|i| format!("tel:+1555000{i:04}")).collect(),
            link_hrefs: (0..50)
                .map(|i| format!("https://site{i}.example/"))
                .collect(),
            ..raw("s1", "c1")
        }
        .validate()
        .unwrap();
        assert_eq!(candidate.emails.len(), MAX_CONTACTS);
        assert_eq!(candidate.emails[0], "p0@acme.com");
        assert_eq!(candidate.phones.len(), MAX_CONTACTS);
        assert_eq!(candidate.website_urls.len(), MAX_CONTACTS);
        assert_eq!(candidate.website_urls[9], "https://site9.example/");
    }

    #[test]
    fn format_characters_are_stripped_from_names_and_refused_in_emails_and_links() {
        // (raw name, cleaned)
        let names = [
            ("Jane\u{202E}eod", "Janeeod"),
            ("Ja\u{E0041}\u{E0042}ne\u{E007F}", "Jane"),
            ("\u{2066}Jane\u{2069} Doe\u{00AD}", "Jane Doe"),
            ("Jane\u{FFF9}x\u{FFFB}", "Janex"),
            ("\u{200B}\u{FEFF}", ""),
        ];
        for (raw, cleaned) in names {
            assert_eq!(clean_text(raw, 200), cleaned, "{raw:?}");
        }
        for email in [
            "jane\u{202E}@agency.com",
            "jane@agen\u{E0063}cy.com",
            "jane\u{200B}@agency.com",
            "mailto:jane%E2%80%AE@agency.com",
        ] {
            assert_eq!(parse_email(email), None, "{email:?}");
        }
        assert_eq!(parse_https_url("https://github.com/jane\u{E0041}"), None);
    }
}
