//! What the extension recognised on a Fetcher page, for the popup's "This page" section and
//! its "Copy report": only what was found, missing or counted, never what the page says (no
//! names, emails, links or ids), so a recruiter can paste it into a bug report as it is.

use crate::from_json::{named, Fields, FromJson, Mismatch};
use crate::json_text::Json;
use crate::json_writer::{Object, WriteJson, WriteMembers};
use crate::text;
use serde::{Deserialize, Serialize};

pub use crate::domain::PageKind;

/// Whether "Send to Ashby" went into the profile's ⋮ menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum MenuPlacement {
    /// The ⋮ menu has not been opened on this page yet.
    #[default]
    NotOpened,
    /// The item went into the menu the ⋮ button opened.
    Placed,
    /// The ⋮ button was activated but no menu it opens was recognised.
    MenuNotFound,
}

impl MenuPlacement {
    /// Its name in messages (serde's).
    pub const fn name(self) -> &'static str {
        match self {
            MenuPlacement::NotOpened => "NotOpened",
            MenuPlacement::Placed => "Placed",
            MenuPlacement::MenuNotFound => "MenuNotFound",
        }
    }
}

impl FromJson for MenuPlacement {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        const NAMES: [(&str, MenuPlacement); 3] = [
            (MenuPlacement::NotOpened.name(), MenuPlacement::NotOpened),
            (MenuPlacement::Placed.name(), MenuPlacement::Placed),
            (
                MenuPlacement::MenuNotFound.name(),
                MenuPlacement::MenuNotFound,
            ),
        ];
        named(json, &NAMES, "a menu placement")
    }
}

/// What was found on a search page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SearchReport {
    pub title_found: bool,
    pub owner_found: bool,
    /// Candidate cards (`article`) on the page.
    pub cards: u32,
    /// Cards whose link, id and fields pass the page model's rules.
    pub readable_cards: u32,
    /// Readable cards that show an email or a LinkedIn/GitHub link.
    pub cards_with_contact: u32,
}

impl FromJson for SearchReport {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(SearchReport {
            title_found: fields.required("titleFound")?,
            owner_found: fields.required("ownerFound")?,
            cards: fields.required("cards")?,
            readable_cards: fields.required("readableCards")?,
            cards_with_contact: fields.required("cardsWithContact")?,
        })
    }
}

/// What was found on a candidate profile (each field found or missing, or counted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ProfileReport {
    /// The profile passes the page model's rules (it can be sent).
    pub readable: bool,
    pub name: bool,
    pub headline: bool,
    pub location: bool,
    pub emails: u32,
    pub phones: u32,
    pub linkedin: bool,
    pub github: bool,
    pub other_links: u32,
    pub status: bool,
    pub like_button: bool,
    pub more_actions_button: bool,
    pub menu: MenuPlacement,
}

impl FromJson for ProfileReport {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(ProfileReport {
            readable: fields.required("readable")?,
            name: fields.required("name")?,
            headline: fields.required("headline")?,
            location: fields.required("location")?,
            emails: fields.required("emails")?,
            phones: fields.required("phones")?,
            linkedin: fields.required("linkedin")?,
            github: fields.required("github")?,
            other_links: fields.required("otherLinks")?,
            status: fields.required("status")?,
            like_button: fields.required("likeButton")?,
            more_actions_button: fields.required("moreActionsButton")?,
            menu: fields.required("menu")?,
        })
    }
}

/// What one candidate read off the page holds once validated (the worker checks the page's
/// readings: the content script asks it with `CheckCandidates`): counts and found/missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct FoundFields {
    pub emails: u32,
    pub phones: u32,
    pub linkedin: bool,
    pub github: bool,
    pub other_links: u32,
    pub status: bool,
    /// Ashby can be searched for it (an email, or a name with a LinkedIn or GitHub link).
    pub searchable: bool,
}

impl FoundFields {
    pub fn of(candidate: &crate::domain::FetcherCandidate) -> Self {
        FoundFields {
            emails: count(candidate.emails.len()),
            phones: count(candidate.phones.len()),
            linkedin: candidate.linkedin_url.is_some(),
            github: candidate.github_url.is_some(),
            other_links: count(candidate.website_urls.len()),
            status: candidate.status.is_some(),
            searchable: crate::upload::dedupe::can_search(candidate),
        }
    }
}

/// A count for a report (never more than fits).
pub fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl FromJson for FoundFields {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(FoundFields {
            emails: fields.required("emails")?,
            phones: fields.required("phones")?,
            linkedin: fields.required("linkedin")?,
            github: fields.required("github")?,
            other_links: fields.required("otherLinks")?,
            status: fields.required("status")?,
            searchable: fields.required("searchable")?,
        })
    }
}

impl WriteJson for FoundFields {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("emails", &self.emails)
            .member("phones", &self.phones)
            .member("linkedin", &self.linkedin)
            .member("github", &self.github)
            .member("otherLinks", &self.other_links)
            .member("status", &self.status)
            .member("searchable", &self.searchable);
        object.close();
    }
}

/// The content script's answer to the popup's "what do you see here?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct PageReport {
    pub page: PageKind,
    pub account_found: bool,
    pub search: Option<SearchReport>,
    pub profile: Option<ProfileReport>,
}

impl FromJson for PageReport {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(PageReport {
            page: fields.required("page")?,
            account_found: fields.required("accountFound")?,
            search: fields.optional("search")?,
            profile: fields.optional("profile")?,
        })
    }
}

/// One line of the report: what was looked for, and what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLine {
    pub label: &'static str,
    pub value: String,
    /// Something the extension needs is missing here.
    pub problem: bool,
}

fn line(label: &'static str, value: impl Into<String>, problem: bool) -> ReportLine {
    ReportLine {
        label,
        value: value.into(),
        problem,
    }
}

fn found(label: &'static str, is_found: bool) -> ReportLine {
    line(
        label,
        if is_found {
            text::REPORT_FOUND
        } else {
            text::REPORT_MISSING
        },
        !is_found,
    )
}

fn optional(label: &'static str, is_found: bool) -> ReportLine {
    line(
        label,
        if is_found {
            text::REPORT_FOUND
        } else {
            text::REPORT_NOT_SHOWN
        },
        false,
    )
}

impl PageReport {
    /// The report as the popup lists it.
    pub fn lines(&self) -> Vec<ReportLine> {
        let page = match self.page {
            PageKind::Search => text::REPORT_PAGE_SEARCH,
            PageKind::Profile => text::REPORT_PAGE_PROFILE,
            PageKind::Unrecognised => text::REPORT_PAGE_UNRECOGNISED,
        };
        let mut lines = vec![line(
            text::REPORT_PAGE,
            page,
            self.page == PageKind::Unrecognised,
        )];
        if self.page == PageKind::Unrecognised {
            return lines;
        }
        lines.push(found(text::REPORT_ACCOUNT, self.account_found));
        if let Some(search) = &self.search {
            lines.push(found(text::REPORT_SEARCH_TITLE, search.title_found));
            lines.push(found(text::REPORT_SEARCH_OWNER, search.owner_found));
            lines.push(line(
                text::REPORT_CARDS,
                text::report_cards(
                    search.cards,
                    search.readable_cards,
                    search.cards_with_contact,
                ),
                search.readable_cards == 0,
            ));
        }
        if let Some(profile) = &self.profile {
            lines.push(found(text::REPORT_NAME, profile.name));
            lines.push(optional(text::REPORT_HEADLINE, profile.headline));
            lines.push(optional(text::REPORT_LOCATION, profile.location));
            lines.push(line(text::REPORT_EMAILS, profile.emails.to_string(), false));
            lines.push(line(text::REPORT_PHONES, profile.phones.to_string(), false));
            lines.push(optional(text::REPORT_LINKEDIN, profile.linkedin));
            lines.push(optional(text::REPORT_GITHUB, profile.github));
            lines.push(line(
                text::REPORT_OTHER_LINKS,
                profile.other_links.to_string(),
                false,
            ));
            lines.push(found(text::REPORT_STATUS, profile.status));
            lines.push(found(text::REPORT_LIKE, profile.like_button));
            lines.push(found(
                text::REPORT_MORE_ACTIONS,
                profile.more_actions_button,
            ));
            let (menu, problem) = match profile.menu {
                MenuPlacement::NotOpened => (text::REPORT_MENU_NOT_OPENED, false),
                MenuPlacement::Placed => (text::REPORT_MENU_PLACED, false),
                MenuPlacement::MenuNotFound => (text::REPORT_MENU_NOT_FOUND, true),
            };
            lines.push(line(text::REPORT_MENU, menu, problem));
            lines.push(line(
                text::REPORT_SENDABLE,
                if profile.readable {
                    text::REPORT_YES
                } else {
                    text::REPORT_NO
                },
                !profile.readable,
            ));
        }
        lines
    }

    /// Why automation cannot act on this search page, when it cannot.
    pub fn automation_blocked(&self) -> Option<&'static str> {
        let search = self.search.as_ref()?;
        if !self.account_found {
            Some(text::BLOCKED_NO_ACCOUNT)
        } else if !search.owner_found {
            Some(text::BLOCKED_NO_OWNER)
        } else if search.readable_cards == 0 {
            Some(text::BLOCKED_NO_CARDS)
        } else {
            None
        }
    }

    /// The plain-text report "Copy report" puts on the clipboard: the extension's version,
    /// the browser, then one line per finding. Nothing read from the page.
    pub fn to_text(&self, version: &str, browser: &str) -> String {
        let mut out = format!("{} {version}\n{browser}\n", text::PRODUCT_NAME);
        for l in self.lines() {
            out.push_str(&format!("{}: {}\n", l.label, l.value));
        }
        if let Some(reason) = self.automation_blocked() {
            out.push_str(&format!("{}: {reason}\n", text::REPORT_AUTOMATION));
        }
        out
    }
}

// Hand-written encoders (`crate::json_writer`): what the content script answers the popup
// with, in serde's forms, without serde in its wasm.

crate::write_json_as!(name: MenuPlacement);

impl WriteJson for SearchReport {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("titleFound", &self.title_found)
            .member("ownerFound", &self.owner_found)
            .member("cards", &self.cards)
            .member("readableCards", &self.readable_cards)
            .member("cardsWithContact", &self.cards_with_contact);
        object.close();
    }
}

impl WriteJson for ProfileReport {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("readable", &self.readable)
            .member("name", &self.name)
            .member("headline", &self.headline)
            .member("location", &self.location)
            .member("emails", &self.emails)
            .member("phones", &self.phones)
            .member("linkedin", &self.linkedin)
            .member("github", &self.github)
            .member("otherLinks", &self.other_links)
            .member("status", &self.status)
            .member("likeButton", &self.like_button)
            .member("moreActionsButton", &self.more_actions_button)
            .member("menu", &self.menu);
        object.close();
    }
}

impl WriteMembers for PageReport {
    fn write_members(&self, object: &mut Object) {
        object
            .member("page", &self.page)
            .member("accountFound", &self.account_found)
            .member("search", &self.search)
            .member("profile", &self.profile);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> PageReport {
        PageReport {
            page: PageKind::Profile,
            account_found: true,
            search: None,
            profile: Some(ProfileReport {
                readable: true,
                name: true,
                headline: true,
                location: false,
                emails: 2,
                phones: 1,
                linkedin: true,
                github: false,
                other_links: 1,
                status: true,
                like_button: true,
                more_actions_button: true,
                menu: MenuPlacement::MenuNotFound,
            }),
        }
    }

    #[test]
    fn a_profile_report_lists_each_field_found_missing_or_counted() {
        let lines = profile().lines();
        let value = |label: &str| {
            lines
                .iter()
                .find(|l| l.label == label)
                .map(|l| (l.value.clone(), l.problem))
                .unwrap()
        };
        assert_eq!(
            value(text::REPORT_PAGE),
            (text::REPORT_PAGE_PROFILE.into(), false)
        );
        assert_eq!(value(text::REPORT_EMAILS), ("2".into(), false));
        assert_eq!(
            value(text::REPORT_LOCATION),
            (text::REPORT_NOT_SHOWN.into(), false)
        );
        assert_eq!(
            value(text::REPORT_MENU),
            (text::REPORT_MENU_NOT_FOUND.into(), true)
        );
        assert!(lines.iter().all(|l| l.label != text::REPORT_CARDS));
    }

    #[test]
    fn the_copied_text_holds_no_page_content_only_findings() {
        let report = profile();
        let copied = report.to_text("1.2.3", "Chrome 140");
        assert!(copied.starts_with("Fetcher → Ashby 1.2.3\nChrome 140\n"));
        assert!(copied.contains(&format!(
            "{}: {}\n",
            text::REPORT_MENU,
            text::REPORT_MENU_NOT_FOUND
        )));
        // The report type has no field that could hold page text: every value is one of our
        // own phrases or a number.
        for l in report.lines() {
            assert!(
                l.value.chars().all(|c| c.is_ascii_digit())
                    || [
                        text::REPORT_FOUND,
                        text::REPORT_MISSING,
                        text::REPORT_NOT_SHOWN,
                        text::REPORT_YES,
                        text::REPORT_NO,
                        text::REPORT_PAGE_PROFILE,
                        text::REPORT_MENU_NOT_FOUND,
                    ]
                    .contains(&l.value.as_str()),
                "{l:?}"
            );
        }
    }

    #[test]
    fn automation_says_why_it_is_blocked_on_a_search_page() {
        let mut report = PageReport {
            page: PageKind::Search,
            account_found: false,
            search: Some(SearchReport {
                title_found: true,
                owner_found: true,
                cards: 6,
                readable_cards: 6,
                cards_with_contact: 5,
            }),
            profile: None,
        };
        assert_eq!(report.automation_blocked(), Some(text::BLOCKED_NO_ACCOUNT));
        report.account_found = true;
        assert_eq!(report.automation_blocked(), None);
        report.search.as_mut().unwrap().owner_found = false;
        assert_eq!(report.automation_blocked(), Some(text::BLOCKED_NO_OWNER));
        report.search.as_mut().unwrap().owner_found = true;
        report.search.as_mut().unwrap().readable_cards = 0;
        assert_eq!(report.automation_blocked(), Some(text::BLOCKED_NO_CARDS));
        assert!(report.to_text("1", "b").contains(&format!(
            "{}: {}",
            text::REPORT_AUTOMATION,
            text::BLOCKED_NO_CARDS
        )));
        assert_eq!(
            profile().automation_blocked(),
            None,
            "only on a search page"
        );
    }

    #[test]
    fn an_unrecognised_page_says_so_and_nothing_else() {
        let report = PageReport::default();
        let lines = report.lines();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].value, text::REPORT_PAGE_UNRECOGNISED);
        assert!(lines[0].problem);
    }
}

crate::deserialize_through_from_json!(PageReport);
