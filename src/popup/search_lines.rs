//! What "Ashby Sync" says of each search, decided apart from the page: the order the searches
//! come in (the one in front of the recruiter first, open), which ones the filter keeps, and
//! each one's title line and class list. Drawn by `super::search_list`.

use crate::domain::lower_case::lower_case;
use crate::messages::{JobChoice, SearchItem};
use crate::text;

/// The filter box appears when more searches than this are known.
pub const FILTER_FROM: usize = 5;

/// The searches in the order shown, each with whether its form starts open: the search in
/// front of the recruiter (`current`) first and open; failing that (it is not among them, or
/// no Fetcher search tab is open) the most recently seen one is open. `searches` comes most
/// recently seen first.
pub fn arrange(mut searches: Vec<SearchItem>, current: Option<&str>) -> Vec<(SearchItem, bool)> {
    if let Some(position) = current.and_then(|c| searches.iter().position(|s| s.search_id == c)) {
        let first = searches.remove(position);
        searches.insert(0, first);
    }
    searches
        .into_iter()
        .enumerate()
        .map(|(position, search)| (search, position == 0))
        .collect()
}

/// Whether a search's title has every word of the filter (any case, any order).
pub fn title_matches(title: Option<&str>, filter: &str) -> bool {
    let title = lower_case(title.unwrap_or(text::UNTITLED_SEARCH));
    lower_case(filter)
        .split_whitespace()
        .all(|word| crate::substring::contains(&title, word))
}

/// The collapsed search's line after its title: owner, linked job, on/off, uploaded so far.
pub fn summary(item: &SearchItem, jobs: Option<&[JobChoice]>) -> String {
    let automation = &item.automation;
    let job = match (&automation.job_id, jobs) {
        (None, _) => text::NO_JOB_LINKED.to_owned(),
        (Some(id), Some(jobs)) => jobs.iter().find(|job| &job.id == id).map_or_else(
            || text::JOB_NO_LONGER_OPEN.to_owned(),
            |job| job.title.clone(),
        ),
        (Some(_), None) => text::LINKED_JOB.to_owned(),
    };
    let on_off = if automation.enabled {
        text::AUTOMATION_ON
    } else {
        text::AUTOMATION_OFF
    };
    item.owner_email
        .iter()
        .map(ToString::to_string)
        .chain([
            job,
            on_off.to_owned(),
            text::uploaded_short(item.uploaded, automation.applicant_limit),
        ])
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A search's title line: "Current search · " before the summary of the search in front of
/// the recruiter.
pub fn line(item: &SearchItem, jobs: Option<&[JobChoice]>, current: bool) -> String {
    let summary = summary(item, jobs);
    if current {
        format!("{} · {summary}", text::CURRENT_SEARCH)
    } else {
        summary
    }
}

/// A search's class list.
pub fn section_class(current: bool, open: bool) -> &'static str {
    match (current, open) {
        (false, false) => "search",
        (true, false) => "search current",
        (false, true) => "search open",
        (true, true) => "search current open",
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::domain::SearchAutomation;

    /// A search with nothing saved or seen but its id.
    pub(in crate::popup) fn item(id: &str) -> SearchItem {
        SearchItem {
            search_id: id.into(),
            title: None,
            owner_email: None,
            read_only_reason: None,
            automation: SearchAutomation::off(id.into()),
            uploaded: 0,
            automation_paused: None,
        }
    }

    fn search(id: &str, title: Option<&str>) -> SearchItem {
        SearchItem {
            title: title.map(str::to_owned),
            ..item(id)
        }
    }

    fn order(arranged: &[(SearchItem, bool)]) -> Vec<(&str, bool)> {
        arranged
            .iter()
            .map(|(s, open)| (s.search_id.as_str(), *open))
            .collect()
    }

    #[test]
    fn the_search_in_front_comes_first_and_open_the_rest_closed_most_recent_first() {
        let seen = vec![search("a", None), search("b", None), search("c", None)];
        assert_eq!(
            order(&arrange(seen.clone(), Some("c"))),
            [("c", true), ("a", false), ("b", false)]
        );
        // No Fetcher search tab (or one not seen yet): the most recently seen one is open.
        for current in [None, Some("unknown")] {
            assert_eq!(
                order(&arrange(seen.clone(), current)),
                [("a", true), ("b", false), ("c", false)]
            );
        }
        assert!(arrange(Vec::new(), Some("a")).is_empty());
    }

    #[test]
    fn the_filter_matches_every_word_of_the_title_in_any_case() {
        let title = Some("Senior Backend Engineer – Berlin");
        assert!(title_matches(title, ""));
        assert!(title_matches(title, "  "));
        assert!(title_matches(title, "backend"));
        assert!(title_matches(title, "BERLIN senior"));
        assert!(!title_matches(title, "backend london"));
        assert!(title_matches(None, "untitled"));
    }

    #[test]
    fn the_title_line_says_owner_job_on_off_and_count() {
        let jobs = [JobChoice {
            id: "j1".into(),
            title: "Senior Backend Engineer".into(),
            status: "Open".into(),
            location: None,
            department: None,
        }];
        let mut item = search("a", Some("Backend Berlin"));
        item.owner_email = Some("jane@agency.com".into());
        assert_eq!(
            summary(&item, Some(&jobs)),
            "jane@agency.com · No job linked · Auto upload off · 0 uploaded"
        );
        item.automation.job_id = Some("j1".into());
        item.automation.enabled = true;
        item.automation.applicant_limit = Some(10);
        item.uploaded = 3;
        assert_eq!(
            summary(&item, Some(&jobs)),
            "jane@agency.com · Senior Backend Engineer · Auto upload on · 3/10 uploaded"
        );
        item.owner_email = None;
        assert_eq!(
            summary(&item, None),
            "Linked job · Auto upload on · 3/10 uploaded",
            "before the jobs are loaded"
        );
        item.automation.job_id = Some("gone".into());
        assert!(summary(&item, Some(&jobs)).starts_with(text::JOB_NO_LONGER_OPEN));
    }

    #[test]
    fn the_search_in_front_says_so_before_its_summary() {
        let item = item("a");
        assert_eq!(line(&item, None, false), summary(&item, None));
        assert_eq!(
            line(&item, None, true),
            format!("{} · {}", text::CURRENT_SEARCH, summary(&item, None))
        );
    }

    #[test]
    fn the_class_list_says_current_and_open() {
        assert_eq!(section_class(false, false), "search");
        assert_eq!(section_class(true, false), "search current");
        assert_eq!(section_class(false, true), "search open");
        assert_eq!(section_class(true, true), "search current open");
    }
}
