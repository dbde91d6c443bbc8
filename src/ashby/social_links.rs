//! Adding social links to an existing Ashby candidate without losing any.
//!
//! `candidate.update` with `socialLinks` replaces every link the candidate has, so the new list
//! must be the current links plus the additions. Links are compared by a normalised URL so
//! `https://www.linkedin.com/in/Jane/` and `linkedin.com/in/jane` count as one.

use super::types::{Candidate, CandidateUpdateRequest, SocialLink};
use crate::domain::lower_case::lower_case;

/// The current links, in order, followed by each added link not already present (compared by
/// [`normalise_link_url`]). Links with an empty URL are dropped; the first spelling wins.
pub fn merge_social_links(current: &[SocialLink], additions: &[SocialLink]) -> Vec<SocialLink> {
    let mut merged: Vec<SocialLink> = Vec::with_capacity(current.len() + additions.len());
    let mut seen: Vec<String> = Vec::with_capacity(current.len() + additions.len());
    for link in current.iter().chain(additions) {
        let key = normalise_link_url(&link.url);
        if key.is_empty() || seen.contains(&key) {
            continue;
        }
        seen.push(key);
        merged.push(link.clone());
    }
    merged
}

/// Whether `merge_social_links(current, additions)` would add anything, i.e. whether an update
/// call is needed at all.
pub fn adds_new_links(current: &[SocialLink], additions: &[SocialLink]) -> bool {
    merge_social_links(current, additions).len() > merge_social_links(current, &[]).len()
}

/// The `candidate.update` that adds `additions` to the candidate's links while keeping the
/// existing ones, or `None` when every link is already there (no call needed). Only
/// `socialLinks` is set: with it, Ashby ignores `linkedInUrl` / `githubUrl` / `websiteUrl`.
pub fn update_adding_social_links(
    candidate: &Candidate,
    additions: &[SocialLink],
) -> Option<CandidateUpdateRequest> {
    if !adds_new_links(&candidate.social_links, additions) {
        return None;
    }
    Some(CandidateUpdateRequest {
        social_links: Some(merge_social_links(&candidate.social_links, additions)),
        send_notifications: Some(false),
        ..CandidateUpdateRequest::new(candidate.id.clone())
    })
}

/// A comparison key for a profile URL: no scheme, no `www.`, no query or fragment, no trailing
/// slash, lower case. Profile sites (LinkedIn, GitHub, …) treat paths case-insensitively, and
/// tracking parameters do not change the profile.
pub fn normalise_link_url(url: &str) -> String {
    let mut rest = url.trim();
    for scheme in ["https://", "http://"] {
        // `get` instead of slicing: the URL is untrusted and may start with multi-byte text.
        if let (Some(head), Some(tail)) = (rest.get(..scheme.len()), rest.get(scheme.len()..)) {
            if head.eq_ignore_ascii_case(scheme) {
                rest = tail;
                break;
            }
        }
    }
    if let Some((before, _query_or_fragment)) = rest.split_once(['?', '#']) {
        rest = before;
    }
    let mut normalised = lower_case(rest.trim_end_matches('/'));
    if normalised.starts_with("www.") {
        normalised.drain(..4);
    }
    normalised
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(kind: &str, url: &str) -> SocialLink {
        SocialLink {
            r#type: kind.into(),
            url: url.into(),
        }
    }

    #[test]
    fn normalisation_ignores_scheme_www_case_query_and_trailing_slash() {
        for variant in [
            "https://www.linkedin.com/in/Jane-Doe/",
            "http://linkedin.com/in/jane-doe",
            "linkedin.com/in/jane-doe?utm_source=share#top",
            "  HTTPS://WWW.LinkedIn.com/in/jane-doe//  ",
        ] {
            assert_eq!(normalise_link_url(variant), "linkedin.com/in/jane-doe");
        }
        assert_eq!(normalise_link_url(""), "");
        assert_eq!(normalise_link_url("ééééé/"), "ééééé");
    }

    #[test]
    fn merge_keeps_current_links_and_appends_only_new_ones() {
        let current = vec![
            link("LinkedIn", "https://www.linkedin.com/in/jane"),
            link("Twitter", "https://twitter.com/jane"),
        ];
        let additions = vec![
            link("LinkedIn", "https://linkedin.com/in/Jane/"),
            link("GitHub", "https://github.com/jane"),
            link("Website", ""),
        ];
        let merged = merge_social_links(&current, &additions);
        assert_eq!(
            merged,
            vec![
                link("LinkedIn", "https://www.linkedin.com/in/jane"),
                link("Twitter", "https://twitter.com/jane"),
                link("GitHub", "https://github.com/jane"),
            ]
        );
        assert!(adds_new_links(&current, &additions));
        assert!(!adds_new_links(&merged, &additions));
    }

    #[test]
    fn update_request_only_when_something_is_new() {
        let candidate: Candidate = serde_json::from_value(serde_json::json!({
            "id": "cand-1",
            "socialLinks": [{"type": "LinkedIn", "url": "https://www.linkedin.com/in/jane"}]
        }))
        .unwrap();
        let same = [link("LinkedIn", "linkedin.com/in/jane/")];
        assert_eq!(update_adding_social_links(&candidate, &same), None);

        let github = [link("GitHub", "https://github.com/jane")];
        let update = update_adding_social_links(&candidate, &github).unwrap();
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            serde_json::json!({
                "candidateId": "cand-1",
                "socialLinks": [
                    {"type": "LinkedIn", "url": "https://www.linkedin.com/in/jane"},
                    {"type": "GitHub", "url": "https://github.com/jane"}
                ],
                "sendNotifications": false
            })
        );
    }

    #[test]
    fn merge_also_removes_duplicates_already_in_ashby() {
        let current = vec![
            link("GitHub", "https://github.com/jane"),
            link("GitHub", "https://github.com/jane/"),
        ];
        assert_eq!(merge_social_links(&current, &[]).len(), 1);
    }
}
