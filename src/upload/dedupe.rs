//! Is this Fetcher candidate already in Ashby? Matching rules (`shared/ashby-api.md` §7):
//!
//! - an email matches when it equals any of the Ashby candidate's emails, ignoring case and
//!   surrounding space;
//! - a LinkedIn or GitHub profile matches by its normalised URL (scheme, `www.`, case, query,
//!   trailing slash and country subdomain do not matter);
//! - **a name alone is never a match**: two people can share a name, and attaching someone's
//!   application to a stranger is worse than a duplicate a recruiter can merge.
//!
//! The URL normalisation is the page model's (`fetcher::fields`), so what the content script
//! stores and what is compared here agree; a link Ashby holds that is not a profile URL there
//! falls back to [`normalise_link_url`].

use crate::ashby::social_links::normalise_link_url;
use crate::ashby::types::Candidate;
use crate::domain::{Email, FetcherCandidate, HttpsUrl};
use crate::fetcher::fields;
#[cfg(not(target_arch = "wasm32"))]
use serde::Deserialize;
use serde::Serialize;

/// A URL normaliser for comparison.
pub(crate) type Normalise = fn(&str) -> String;

/// Why an Ashby candidate was taken to be the Fetcher candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(tag = "by", content = "value")]
pub enum MatchReason {
    /// This email (as Fetcher has it) is one of the Ashby candidate's emails.
    Email(Email),
    LinkedIn,
    GitHub,
}

impl crate::from_json::FromJson for MatchReason {
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        use crate::from_json::{tag, unit, Fields, Mismatch};
        let fields = Fields::of(json)?;
        // Adjacently tagged: `{"by": "Email", "value": "…"}`; the others have no `value`.
        match tag(&fields, "by")? {
            "Email" => Ok(MatchReason::Email(fields.required("value")?)),
            "LinkedIn" => unit(json.get("value"), MatchReason::LinkedIn),
            "GitHub" => unit(json.get("value"), MatchReason::GitHub),
            _ => Err(Mismatch("a match reason")),
        }
    }
}

impl crate::json_writer::WriteJson for MatchReason {
    /// Adjacently tagged, as serde writes it: `{"by": "Email", "value": "…"}`, the unit
    /// variants with no `value` (`{"by": "LinkedIn"}`).
    fn write_json(&self, out: &mut String) {
        let mut object = crate::json_writer::Object::open(out);
        match self {
            MatchReason::Email(email) => {
                object.member("by", "Email").member("value", email);
            }
            MatchReason::LinkedIn => {
                object.member("by", "LinkedIn");
            }
            MatchReason::GitHub => {
                object.member("by", "GitHub");
            }
        }
        object.close();
    }
}

/// An Ashby candidate that is the Fetcher candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub candidate_id: String,
    pub matched_by: MatchReason,
}

/// The form emails are compared in: trimmed, lower case.
pub fn normalise_email(email: &str) -> String {
    fields::normalise_email(email)
}

/// A LinkedIn profile URL's comparison form: `https://www.linkedin.com/in/<slug>` when it is a
/// profile URL, otherwise the generic link key.
pub fn normalise_linkedin_for_match(url: &str) -> String {
    fields::normalise_linkedin(url).map_or_else(|| normalise_link_url(url), String::from)
}

/// A GitHub profile URL's comparison form: `https://github.com/<user>` when it is a profile
/// URL, otherwise the generic link key.
pub fn normalise_github_for_match(url: &str) -> String {
    fields::normalise_github(url).map_or_else(|| normalise_link_url(url), String::from)
}

/// The addresses `candidate.search {email}` is asked for, in order: each email as the page
/// shows it, then its lower-case form when that differs. Ashby does not document whether its
/// email search ignores case, so the strictest reading is assumed: most addresses are stored
/// in lower case, and a page showing `Jane.Doe@…` must still find them. Repeats are dropped.
pub fn email_search_terms(emails: &[Email]) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for email in emails {
        let shown = email.trim();
        if shown.is_empty() {
            continue;
        }
        for term in [shown.to_owned(), shown.to_ascii_lowercase()] {
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
    }
    terms
}

/// The first Ashby candidate that is this Fetcher candidate, checked in this order: email
/// (each Fetcher email in order, against every email of every candidate), then LinkedIn, then
/// GitHub. `None` when nothing but the name (or nothing at all) agrees.
pub fn find_match(fetcher: &FetcherCandidate, ashby_candidates: &[Candidate]) -> Option<Match> {
    for email in &fetcher.emails {
        let wanted = normalise_email(email);
        if wanted.is_empty() {
            continue;
        }
        if let Some(candidate) = ashby_candidates.iter().find(|c| {
            c.all_emails()
                .iter()
                .any(|theirs| normalise_email(theirs) == wanted)
        }) {
            return Some(Match {
                candidate_id: candidate.id.clone(),
                matched_by: MatchReason::Email(email.clone()),
            });
        }
    }
    let socials: [(Option<&HttpsUrl>, Normalise, MatchReason); 2] = [
        (
            fetcher.linkedin_url.as_ref(),
            normalise_linkedin_for_match,
            MatchReason::LinkedIn,
        ),
        (
            fetcher.github_url.as_ref(),
            normalise_github_for_match,
            MatchReason::GitHub,
        ),
    ];
    for (url, normalise, reason) in socials {
        let Some(url) = url else { continue };
        let wanted = normalise(url);
        if wanted.is_empty() {
            continue;
        }
        if let Some(candidate) = ashby_candidates.iter().find(|c| {
            c.social_links
                .iter()
                .any(|link| normalise(&link.url) == wanted)
        }) {
            return Some(Match {
                candidate_id: candidate.id.clone(),
                matched_by: reason,
            });
        }
    }
    None
}

/// Whether a name search can find this candidate: it has a name and a profile link to confirm
/// the match with (a name alone never matches).
pub fn name_search_applies(fetcher: &FetcherCandidate) -> bool {
    !fetcher.name.trim().is_empty()
        && (fetcher.linkedin_url.is_some() || fetcher.github_url.is_some())
}

/// Whether the find step can look this candidate up at all (an email, or a name with a
/// profile link). Without that, a create whose answer was lost cannot be re-checked.
pub fn can_search(candidate: &FetcherCandidate) -> bool {
    !candidate.emails.is_empty() || name_search_applies(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn match_reasons_are_written_as_serde_writes_them() {
        use crate::json_writer::testing::same_as_serde;
        for reason in [
            MatchReason::Email("Jane.Doe@acme.com".into()),
            MatchReason::LinkedIn,
            MatchReason::GitHub,
        ] {
            same_as_serde(&reason);
        }
    }

    fn ashby(value: serde_json::Value) -> Candidate {
        serde_json::from_value(value).unwrap()
    }

    fn fetcher() -> FetcherCandidate {
        FetcherCandidate {
            name: "Jane Doe".into(),
            ..FetcherCandidate::new("s1".parse().unwrap(), "c1".parse().unwrap())
        }
    }

    #[test]
    fn email_matches_any_case_against_every_email() {
        let candidates = [
            ashby(json!({"id": "other", "name": "Jane Doe",
                "primaryEmailAddress": {"value": "someone@else.com"}})),
            ashby(json!({"id": "jane", "name": "J. Doe",
                "primaryEmailAddress": {"value": "jane@home.example"},
                "emailAddresses": [{"value": "jane@home.example"}, {"value": "Jane.Doe@Work.Example"}]})),
        ];
        let candidate = FetcherCandidate {
            emails: vec!["nobody@x.example".into(), " jane.doe@work.example ".into()],
            ..fetcher()
        };
        assert_eq!(
            find_match(&candidate, &candidates),
            Some(Match {
                candidate_id: "jane".into(),
                matched_by: MatchReason::Email(" jane.doe@work.example ".into()),
            })
        );
    }

    #[test]
    fn linkedin_and_github_match_by_normalised_url() {
        let candidates = [ashby(json!({"id": "linda", "name": "Linda",
        "socialLinks": [
            {"type": "LinkedIn", "url": "http://de.linkedin.com/in/Existing-LinkedIn/?trk=x"},
            {"type": "GitHub", "url": "https://www.github.com/Linda/repo"}
        ]}))];
        let by_linkedin = FetcherCandidate {
            linkedin_url: Some("https://www.linkedin.com/in/existing-linkedin".into()),
            ..fetcher()
        };
        assert_eq!(
            find_match(&by_linkedin, &candidates).map(|m| m.matched_by),
            Some(MatchReason::LinkedIn)
        );
        let by_github = FetcherCandidate {
            github_url: Some("https://github.com/linda".into()),
            ..fetcher()
        };
        assert_eq!(
            find_match(&by_github, &candidates).map(|m| m.matched_by),
            Some(MatchReason::GitHub)
        );
    }

    #[test]
    fn email_wins_over_social_links() {
        let candidates = [
            ashby(json!({"id": "by-link",
                "socialLinks": [{"type": "LinkedIn", "url": "https://linkedin.com/in/jane"}]})),
            ashby(json!({"id": "by-email", "primaryEmailAddress": {"value": "jane@x.example"}})),
        ];
        let candidate = FetcherCandidate {
            emails: vec!["JANE@x.example".into()],
            linkedin_url: Some("https://www.linkedin.com/in/jane".into()),
            ..fetcher()
        };
        assert_eq!(
            find_match(&candidate, &candidates).unwrap().candidate_id,
            "by-email"
        );
    }

    #[test]
    fn a_name_alone_is_never_a_match() {
        let candidates = [ashby(json!({"id": "namesake", "name": "Jane Doe",
            "primaryEmailAddress": {"value": "other@x.example"},
            "socialLinks": [{"type": "LinkedIn", "url": "https://linkedin.com/in/another-jane"}]}))];
        let candidate = FetcherCandidate {
            emails: vec!["jane@x.example".into()],
            linkedin_url: Some("https://www.linkedin.com/in/jane".into()),
            ..fetcher()
        };
        assert_eq!(find_match(&candidate, &candidates), None);
        assert_eq!(find_match(&fetcher(), &candidates), None);
    }

    #[test]
    fn empty_values_never_match() {
        let candidates = [ashby(json!({"id": "blank",
            "primaryEmailAddress": {"value": ""},
            "socialLinks": [{"type": "LinkedIn", "url": ""}]}))];
        // A Fetcher candidate cannot hold a blank email or link (they are typed): blank
        // values on Ashby's side must not match one that has none.
        assert_eq!(find_match(&fetcher(), &candidates), None);
    }

    #[test]
    fn name_search_needs_a_name_and_a_profile_link() {
        assert!(!name_search_applies(&fetcher()));
        let with_link = FetcherCandidate {
            github_url: Some("https://github.com/jane".into()),
            ..fetcher()
        };
        assert!(name_search_applies(&with_link));
        let nameless = FetcherCandidate {
            name: " ".into(),
            ..with_link
        };
        assert!(!name_search_applies(&nameless));
    }
}

crate::deserialize_through_from_json!(MatchReason);
