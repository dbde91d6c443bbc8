//! The notices at the top of the popup, decided from what the worker answered: uploads paused,
//! uploads held for another Ashby connection, and the safeguards (a Fetcher page showing
//! another account, full storage, searches whose automation the brake paused). Plain data,
//! tested natively; `super::problems` loads what they need and draws them.

use crate::domain::{Email, SearchId, UploadProblem};
use crate::messages::SearchItem;
use crate::text;
use crate::upload::held::{HeldChoice, HeldUpload};

/// What a notice's button does.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Credit uploads for the account the Fetcher page shows.
    ConfirmAccount(Email),
    ResumeAutomation(SearchId),
    ResolveHeld(HeldChoice),
}

impl Action {
    /// The button's id: the same on every drawing, so focus can follow the button across one.
    pub fn button_id(&self) -> String {
        match self {
            Action::ConfirmAccount(_) => "confirm-account".to_owned(),
            Action::ResumeAutomation(search) => format!("resume-automation-{search}"),
            Action::ResolveHeld(HeldChoice::SendWithCurrent) => "held-uploads-send".to_owned(),
            Action::ResolveHeld(HeldChoice::Discard) => "held-uploads-discard".to_owned(),
        }
    }
}

/// A paragraph: its class (none when empty), its ARIA role, its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Paragraph {
    pub class: &'static str,
    pub role: Option<&'static str>,
    pub text: String,
}

impl Paragraph {
    fn new(class: &'static str, role: Option<&'static str>, text: impl Into<String>) -> Self {
        Self {
            class,
            role,
            text: text.into(),
        }
    }

    /// Why a request failed, announced.
    fn failure(text: String) -> Self {
        Self::new("error", Some("alert"), text)
    }
}

/// A notice: a region named by `label`, drawn in this order: heading, paragraphs, list,
/// buttons (disabled while `busy`), failure.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Notice {
    pub class: &'static str,
    pub label: &'static str,
    pub heading: Option<String>,
    pub paragraphs: Vec<Paragraph>,
    pub list: Vec<String>,
    pub buttons: Vec<(String, Action)>,
    pub busy: bool,
    pub failure: Option<Paragraph>,
    /// Kept on the page but hidden (a paused search resumed: its notice is drawn once).
    pub hidden: bool,
}

/// A search whose automation the brake paused while the popup was open.
#[derive(Clone, Debug, PartialEq)]
pub struct PausedSearch {
    pub search: SearchItem,
    /// Paused in the worker's latest answer (a resumed search's notice is hidden, not removed).
    pub paused_now: bool,
}

/// Everything the notices are decided from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NoticeInputs {
    /// The connection's uploads are paused, and why.
    pub uploads_paused: Option<UploadProblem>,
    pub held: Vec<HeldUpload>,
    /// A choice about the held uploads is under way.
    pub held_busy: bool,
    /// Why listing or resolving the held uploads failed.
    pub held_failure: Option<String>,
    /// The account uploads are credited for, and the other one a Fetcher page shows.
    pub account_change: Option<(Email, Email)>,
    pub storage_full: bool,
    pub paused_searches: Vec<PausedSearch>,
    /// Why the safeguards could not be loaded, or a resume or confirmation failed.
    pub safeguards_failure: Option<String>,
}

/// The notices, in the order shown, and the line (if any) saying why the safeguards failed.
pub fn notices(problems: &NoticeInputs) -> (Vec<Notice>, Option<Paragraph>) {
    let mut notices = Vec::new();
    if let Some(problem) = &problems.uploads_paused {
        notices.push(Notice {
            class: "problem",
            label: text::UPLOADS_PAUSED_HEADING,
            paragraphs: vec![Paragraph::new(
                "warning",
                None,
                text::upload_problem(problem),
            )],
            ..Notice::default()
        });
    }
    if !problems.held.is_empty() || problems.held_failure.is_some() {
        notices.push(Notice {
            class: "held-uploads warning",
            label: text::HELD_UPLOADS_HEADING,
            heading: Some(text::HELD_UPLOADS_HEADING.to_owned()),
            paragraphs: vec![Paragraph::new(
                "",
                None,
                text::held_uploads_summary(problems.held.len()),
            )],
            list: problems
                .held
                .iter()
                .map(|upload| text::held_upload_line(&upload.candidate_name, &upload.job_title))
                .collect(),
            buttons: vec![
                (
                    text::HELD_UPLOADS_SEND.to_owned(),
                    Action::ResolveHeld(HeldChoice::SendWithCurrent),
                ),
                (
                    text::HELD_UPLOADS_DISCARD.to_owned(),
                    Action::ResolveHeld(HeldChoice::Discard),
                ),
            ],
            busy: problems.held_busy,
            failure: problems.held_failure.clone().map(Paragraph::failure),
            ..Notice::default()
        });
    }
    if let Some((confirmed, shown)) = &problems.account_change {
        notices.push(Notice {
            class: "safeguard warning",
            label: text::ACCOUNT_CHANGE_HEADING,
            heading: Some(text::ACCOUNT_CHANGE_HEADING.to_owned()),
            paragraphs: vec![Paragraph::new(
                "",
                Some("status"),
                text::account_change_notice(confirmed, shown),
            )],
            buttons: vec![(
                text::confirm_account_button(shown),
                Action::ConfirmAccount(shown.clone()),
            )],
            ..Notice::default()
        });
    }
    if problems.storage_full {
        notices.push(Notice {
            class: "safeguard warning",
            label: text::STORAGE_FULL_HEADING,
            heading: Some(text::STORAGE_FULL_HEADING.to_owned()),
            paragraphs: vec![Paragraph::new("", Some("alert"), text::STORAGE_FULL)],
            ..Notice::default()
        });
    }
    for PausedSearch { search, paused_now } in &problems.paused_searches {
        let title = search
            .title
            .clone()
            .unwrap_or_else(|| search.search_id.to_string());
        notices.push(Notice {
            class: "safeguard warning",
            label: text::AUTOMATION_PAUSED_HEADING,
            heading: Some(format!("{} · {title}", text::AUTOMATION_PAUSED_HEADING)),
            paragraphs: search
                .automation_paused
                .as_ref()
                .map(|paused| Paragraph::new("", Some("status"), text::automation_paused(paused)))
                .into_iter()
                .collect(),
            buttons: vec![(
                text::RESUME_AUTOMATION.to_owned(),
                Action::ResumeAutomation(search.search_id.clone()),
            )],
            hidden: !paused_now,
            ..Notice::default()
        });
    }
    let failure = problems.safeguards_failure.clone().map(Paragraph::failure);
    (notices, failure)
}

/// The searches whose automation is paused now, added to those paused before (a newer pause
/// of one replaces it), each marked with whether it is still paused.
pub fn ever_paused(before: &[PausedSearch], now: &[SearchItem]) -> Vec<PausedSearch> {
    let mut all: Vec<PausedSearch> = before
        .iter()
        .map(|seen| PausedSearch {
            search: seen.search.clone(),
            paused_now: false,
        })
        .collect();
    for search in now.iter().filter(|s| s.automation_paused.is_some()) {
        match all
            .iter_mut()
            .find(|seen| seen.search.search_id == search.search_id)
        {
            Some(seen) => {
                if seen.search.automation_paused != search.automation_paused {
                    seen.search = search.clone();
                }
                seen.paused_now = true;
            }
            None => all.push(PausedSearch {
                search: search.clone(),
                paused_now: true,
            }),
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AutomationPaused, SearchAutomation};

    fn search(id: &str, paused: Option<usize>) -> SearchItem {
        SearchItem {
            search_id: id.into(),
            title: Some(format!("Search {id}")),
            owner_email: None,
            read_only_reason: None,
            automation: SearchAutomation::off(id.into()),
            uploaded: 0,
            automation_paused: paused.map(|limit| AutomationPaused { limit, held: 1 }),
        }
    }

    fn email(text: &str) -> Email {
        text.parse().unwrap()
    }

    #[test]
    fn nothing_wrong_shows_nothing() {
        assert_eq!(notices(&NoticeInputs::default()), (vec![], None));
    }

    #[test]
    fn each_problem_is_a_named_notice_in_the_order_shown() {
        let problems = NoticeInputs {
            uploads_paused: Some(UploadProblem::MaybeCreated),
            held: vec![HeldUpload {
                key: "outbox/s1/c1".into(),
                candidate_name: "Amira Haddad".into(),
                job_title: "Backend".into(),
            }],
            account_change: Some((email("jane@agency.com"), email("sam@agency.com"))),
            storage_full: true,
            paused_searches: vec![PausedSearch {
                search: search("s1", Some(50)),
                paused_now: true,
            }],
            ..NoticeInputs::default()
        };
        let (shown, failure) = notices(&problems);
        let labels: Vec<&str> = shown.iter().map(|n| n.label).collect();
        assert_eq!(
            labels,
            [
                text::UPLOADS_PAUSED_HEADING,
                text::HELD_UPLOADS_HEADING,
                text::ACCOUNT_CHANGE_HEADING,
                text::STORAGE_FULL_HEADING,
                text::AUTOMATION_PAUSED_HEADING,
            ]
        );
        assert_eq!(failure, None);
        assert_eq!(shown[1].list, ["Amira Haddad — Backend"]);
        assert_eq!(
            shown[2].buttons,
            [(
                "Credit uploads for sam@agency.com".to_owned(),
                Action::ConfirmAccount(email("sam@agency.com"))
            )]
        );
        assert_eq!(
            shown[4].heading.as_deref(),
            Some("Automation paused · Search s1")
        );
        assert_eq!(shown[4].buttons[0].1, Action::ResumeAutomation("s1".into()));
        assert!(shown.iter().all(|notice| !notice.hidden && !notice.busy));
    }

    #[test]
    fn held_uploads_that_failed_to_load_still_say_why_and_buttons_wait_while_busy() {
        let problems = NoticeInputs {
            held_failure: Some("The worker is not answering.".into()),
            held_busy: true,
            ..NoticeInputs::default()
        };
        let (shown, _) = notices(&problems);
        assert_eq!(shown.len(), 1);
        assert!(shown[0].busy);
        assert_eq!(
            shown[0].failure,
            Some(Paragraph::failure("The worker is not answering.".into()))
        );
    }

    #[test]
    fn a_resumed_search_keeps_its_notice_hidden_and_a_new_pause_shows_it_again() {
        let first = ever_paused(&[], &[search("s1", Some(50)), search("s2", None)]);
        assert_eq!(first.len(), 1);
        assert!(first[0].paused_now);
        let resumed = ever_paused(&first, &[search("s1", None)]);
        assert_eq!(resumed.len(), 1);
        assert!(!resumed[0].paused_now);
        assert!(
            notices(&NoticeInputs {
                paused_searches: resumed.clone(),
                ..NoticeInputs::default()
            })
            .0[0]
                .hidden
        );
        let again = ever_paused(&resumed, &[search("s1", Some(20)), search("s3", Some(5))]);
        let state: Vec<(&str, bool, Option<usize>)> = again
            .iter()
            .map(|p| {
                (
                    p.search.search_id.as_str(),
                    p.paused_now,
                    p.search.automation_paused.as_ref().map(|a| a.limit),
                )
            })
            .collect();
        assert_eq!(state, [("s1", true, Some(20)), ("s3", true, Some(5))]);
    }

    #[test]
    fn buttons_have_ids_that_name_their_action() {
        let ids: Vec<String> = [
            Action::ConfirmAccount(email("sam@agency.com")),
            Action::ResumeAutomation("s1".into()),
            Action::ResolveHeld(HeldChoice::SendWithCurrent),
            Action::ResolveHeld(HeldChoice::Discard),
        ]
        .iter()
        .map(Action::button_id)
        .collect();
        assert_eq!(
            ids,
            [
                "confirm-account",
                "resume-automation-s1",
                "held-uploads-send",
                "held-uploads-discard"
            ]
        );
    }
}
