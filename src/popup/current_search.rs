//! Which Fetcher search is in front of the recruiter: the active tab's, or else the Fetcher
//! tab they looked at last. The manifest's host permission for app.fetcher.ai makes those tabs'
//! URLs readable (`chrome.tabs.query`) without the broader `tabs` permission; other tabs come
//! back without a URL and are ignored.

use crate::browser::tabs::{self, TabQuery};
use crate::fetcher::route::FetcherRoute;

const FETCHER_ORIGIN: &str = "https://app.fetcher.ai";

/// A tab as far as this needs: its URL (absent when not readable) and when it was last shown.
#[derive(Debug, Clone, PartialEq)]
pub struct TabSeen {
    pub url: Option<String>,
    pub last_accessed_ms: f64,
}

/// The search id of a Fetcher search or profile URL.
pub fn search_of(url: &str) -> Option<String> {
    let path = url.strip_prefix(FETCHER_ORIGIN)?;
    if !path.starts_with('/') {
        return None;
    }
    FetcherRoute::from_path(path).map(|route| route.search_id().to_string())
}

/// The active tab's search; failing that, the search of the Fetcher tab shown most recently.
pub fn search_in_front(active: &[TabSeen], fetcher_tabs: &[TabSeen]) -> Option<String> {
    let of = |tab: &TabSeen| tab.url.as_deref().and_then(search_of);
    active.iter().find_map(of).or_else(|| {
        fetcher_tabs
            .iter()
            .filter_map(|tab| Some((of(tab)?, tab.last_accessed_ms)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(search, _)| search)
    })
}

/// Asks the browser; `None` when no Fetcher search tab is open (or outside an extension page).
pub async fn find() -> Option<String> {
    // Both questions are asked before either answer is awaited.
    let active = tabs::query(TabQuery::ActiveInCurrentWindow);
    let fetcher = tabs::query(TabQuery::Url(&format!("{FETCHER_ORIGIN}/*")));
    search_in_front(&seen(active.await), &seen(fetcher.await))
}

fn seen(found: Result<Vec<tabs::Tab>, wasm_bindgen::JsValue>) -> Vec<TabSeen> {
    found
        .unwrap_or_default()
        .into_iter()
        .map(|tab| TabSeen {
            url: tab.url,
            last_accessed_ms: tab.last_accessed_ms,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tab(url: Option<&str>, last_accessed_ms: f64) -> TabSeen {
        TabSeen {
            url: url.map(str::to_owned),
            last_accessed_ms,
        }
    }

    #[test]
    fn reads_the_search_of_a_search_or_profile_url_only_on_fetcher() {
        assert_eq!(
            search_of("https://app.fetcher.ai/searches/s-1?tab=2#x").as_deref(),
            Some("s-1")
        );
        assert_eq!(
            search_of("https://app.fetcher.ai/searches/s-1/candidates/c9").as_deref(),
            Some("s-1")
        );
        assert_eq!(search_of("https://app.fetcher.ai/settings"), None);
        assert_eq!(
            search_of("https://app.fetcher.ai.evil.com/searches/s-1"),
            None
        );
        assert_eq!(search_of("http://app.fetcher.ai/searches/s-1"), None);
        assert_eq!(search_of("https://evil.com/searches/s-1"), None);
    }

    #[test]
    fn the_active_tab_wins_then_the_fetcher_tab_shown_last() {
        let fetcher = [
            tab(Some("https://app.fetcher.ai/searches/older"), 10.0),
            tab(
                Some("https://app.fetcher.ai/searches/latest/candidates/c1"),
                30.0,
            ),
            tab(Some("https://app.fetcher.ai/settings"), 50.0),
        ];
        let active = [tab(Some("https://app.fetcher.ai/searches/active"), 1.0)];
        assert_eq!(
            search_in_front(&active, &fetcher).as_deref(),
            Some("active")
        );
        // The popup opened over another site (its URL unreadable) or as a tab of its own.
        for active in [
            vec![tab(None, 99.0)],
            vec![],
            vec![tab(Some("chrome-extension://x/popup/index.html"), 99.0)],
        ] {
            assert_eq!(
                search_in_front(&active, &fetcher).as_deref(),
                Some("latest")
            );
        }
        assert_eq!(search_in_front(&[], &[]), None);
    }
}
