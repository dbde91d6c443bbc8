//! Which Fetcher page a URL is. Only the path counts: query strings and fragments never change
//! the page, and anything that is not a search or a profile leaves the extension idle.

use crate::domain::{CandidateId, PageKind, SearchId};

/// A page the extension works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetcherRoute {
    /// `/searches/{searchId}`: one position's batch of candidates.
    Search { search_id: SearchId },
    /// `/searches/{searchId}/candidates/{candidateId}`.
    Profile {
        search_id: SearchId,
        candidate_id: CandidateId,
    },
}

impl FetcherRoute {
    /// Parses a URL path (or a whole URL's path part; query and fragment are ignored).
    pub fn from_path(path: &str) -> Option<FetcherRoute> {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let mut segments = path.trim_end_matches('/').split('/');
        if segments.next() != Some("") || segments.next() != Some("searches") {
            return None;
        }
        let search_id = segments.next()?.parse().ok()?;
        match (segments.next(), segments.next(), segments.next()) {
            (None, _, _) => Some(FetcherRoute::Search { search_id }),
            (Some("candidates"), Some(candidate), None) => Some(FetcherRoute::Profile {
                search_id,
                candidate_id: candidate.parse().ok()?,
            }),
            _ => None,
        }
    }

    pub fn search_id(&self) -> &SearchId {
        match self {
            FetcherRoute::Search { search_id } | FetcherRoute::Profile { search_id, .. } => {
                search_id
            }
        }
    }

    /// Which kind of page this is.
    pub fn page_kind(&self) -> PageKind {
        match self {
            FetcherRoute::Search { .. } => PageKind::Search,
            FetcherRoute::Profile { .. } => PageKind::Profile,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(id: &str) -> Option<FetcherRoute> {
        Some(FetcherRoute::Search {
            search_id: id.parse().unwrap(),
        })
    }

    #[test]
    fn recognises_search_and_profile_pages() {
        assert_eq!(
            FetcherRoute::from_path("/searches/abc-1_2"),
            search("abc-1_2")
        );
        assert_eq!(FetcherRoute::from_path("/searches/abc/"), search("abc"));
        assert_eq!(
            FetcherRoute::from_path("/searches/s1/candidates/c9"),
            Some(FetcherRoute::Profile {
                search_id: "s1".parse().unwrap(),
                candidate_id: "c9".parse().unwrap()
            })
        );
    }

    #[test]
    fn query_and_fragment_do_not_change_the_page() {
        assert_eq!(
            FetcherRoute::from_path("/searches/s1?tab=2#top"),
            search("s1")
        );
        assert_eq!(
            FetcherRoute::from_path("/searches/s1/candidates/c1#notes")
                .unwrap()
                .page_kind(),
            PageKind::Profile
        );
    }

    #[test]
    fn anything_else_is_idle() {
        for path in [
            "",
            "/",
            "/searches",
            "/searches/",
            "/settings",
            "/searches/s1/candidates",
            "/searches/s1/candidates/c1/extra",
            "/searches/s1/other/c1",
            "/searches/has space",
            "/searches/<script>",
            "searches/s1",
            "//searches/s1",
        ] {
            assert_eq!(FetcherRoute::from_path(path), None, "{path:?}");
        }
        let long = format!("/searches/{}", "a".repeat(65));
        assert_eq!(FetcherRoute::from_path(&long), None);
        let max = "a".repeat(64);
        assert_eq!(
            FetcherRoute::from_path(&format!("/searches/{max}")),
            search(&max)
        );
    }
}
