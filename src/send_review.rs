//! "Review before sending": the Send dialog shows what was read from the page in editable
//! fields, and what is sent is what the recruiter confirmed. The rules are the page data's
//! own (`fetcher::fields`), so a typed value passes exactly when the same text read from the
//! page would; the worker applies [`reviewed`] again to whatever the dialog sends.

use crate::domain::{Email, FetcherCandidate};
use crate::fetcher::fields;
use crate::text;

/// One editable field of the review form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReviewField {
    Name,
    /// The n-th email (0 = primary, labelled "Email"; then "Email 2", …).
    Email(usize),
    /// The n-th phone (0 labelled "Phone"; then "Phone 2", …).
    Phone(usize),
    LinkedIn,
    GitHub,
    Location,
    Headline,
}

impl ReviewField {
    /// The field's label, which is also its accessible name (UI contract).
    pub fn label(self) -> String {
        match self {
            ReviewField::Name => text::REVIEW_NAME.into(),
            ReviewField::Email(0) => text::REVIEW_EMAIL.into(),
            ReviewField::Email(n) => format!("{} {}", text::REVIEW_EMAIL, n + 1),
            ReviewField::Phone(0) => text::REVIEW_PHONE.into(),
            ReviewField::Phone(n) => format!("{} {}", text::REVIEW_PHONE, n + 1),
            ReviewField::LinkedIn => text::REVIEW_LINKEDIN.into(),
            ReviewField::GitHub => text::REVIEW_GITHUB.into(),
            ReviewField::Location => text::REVIEW_LOCATION.into(),
            ReviewField::Headline => text::REVIEW_HEADLINE.into(),
        }
    }
}

/// The form's values, as text the recruiter can edit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReviewForm {
    pub name: String,
    /// Always at least one entry (an empty "Email" box invites typing one in).
    pub emails: Vec<String>,
    /// Always at least one entry.
    pub phones: Vec<String>,
    pub linkedin: String,
    pub github: String,
    pub location: String,
    pub headline: String,
}

impl ReviewForm {
    /// The form as the page was read.
    pub fn from_candidate(candidate: &FetcherCandidate) -> Self {
        fn at_least_one<T: ToString>(list: &[T]) -> Vec<String> {
            if list.is_empty() {
                vec![String::new()]
            } else {
                list.iter().map(T::to_string).collect()
            }
        }
        let headline = match (&candidate.title, &candidate.company) {
            (Some(title), Some(company)) => format!("{title} at {company}"),
            (Some(title), None) => title.clone(),
            (None, Some(company)) => format!("at {company}"),
            (None, None) => String::new(),
        };
        Self {
            name: candidate.name.clone(),
            emails: at_least_one(&candidate.emails),
            phones: at_least_one(&candidate.phones),
            linkedin: candidate
                .linkedin_url
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            github: candidate
                .github_url
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            location: candidate.location.clone().unwrap_or_default(),
            headline,
        }
    }

    /// Every field with its value, in the order the dialog shows them.
    pub fn fields(&self) -> Vec<(ReviewField, String)> {
        let mut fields = vec![(ReviewField::Name, self.name.clone())];
        fields.extend(
            self.emails
                .iter()
                .enumerate()
                .map(|(i, v)| (ReviewField::Email(i), v.clone())),
        );
        fields.extend(
            self.phones
                .iter()
                .enumerate()
                .map(|(i, v)| (ReviewField::Phone(i), v.clone())),
        );
        fields.extend([
            (ReviewField::LinkedIn, self.linkedin.clone()),
            (ReviewField::GitHub, self.github.clone()),
            (ReviewField::Location, self.location.clone()),
            (ReviewField::Headline, self.headline.clone()),
        ]);
        fields
    }

    /// Sets one field's value (an index past the end adds a box).
    pub fn set(&mut self, field: ReviewField, value: String) {
        let slot = |list: &mut Vec<String>, i: usize| {
            if i >= list.len() {
                list.resize(i + 1, String::new());
            }
            list[i] = value.clone();
        };
        match field {
            ReviewField::Name => self.name = value,
            ReviewField::Email(i) => slot(&mut self.emails, i),
            ReviewField::Phone(i) => slot(&mut self.phones, i),
            ReviewField::LinkedIn => self.linkedin = value,
            ReviewField::GitHub => self.github = value,
            ReviewField::Location => self.location = value,
            ReviewField::Headline => self.headline = value,
        }
    }

    /// The candidate as reviewed, on top of the draft read from the page (its ids, status,
    /// Like and website links are not editable), or every field that is not acceptable with
    /// why. Empty boxes are simply absent values; emails and phones are deduplicated as page
    /// data is.
    pub fn apply(
        &self,
        draft: &FetcherCandidate,
    ) -> Result<FetcherCandidate, Vec<(ReviewField, &'static str)>> {
        let mut problems = Vec::new();
        let mut candidate = draft.clone();
        candidate.name = fields::clean_text(&self.name, fields::NAME_MAX_CHARS);
        if self.name.chars().count() > fields::NAME_MAX_CHARS {
            problems.push((ReviewField::Name, text::REVIEW_TOO_LONG));
        }
        candidate.emails = Vec::new();
        for (i, raw) in self.emails.iter().enumerate() {
            match optional(raw, |raw| Email::parse(raw).ok()) {
                Ok(Some(email)) => {
                    let key = fields::normalise_email(&email);
                    if !candidate
                        .emails
                        .iter()
                        .any(|e| fields::normalise_email(e) == key)
                    {
                        candidate.emails.push(email);
                    }
                }
                Ok(None) => {}
                Err(()) => problems.push((ReviewField::Email(i), text::REVIEW_BAD_EMAIL)),
            }
        }
        candidate.phones = Vec::new();
        for (i, raw) in self.phones.iter().enumerate() {
            match optional(raw, fields::parse_phone) {
                Ok(Some(phone)) => {
                    if !candidate.phones.contains(&phone) {
                        candidate.phones.push(phone);
                    }
                }
                Ok(None) => {}
                Err(()) => problems.push((ReviewField::Phone(i), text::REVIEW_BAD_PHONE)),
            }
        }
        if candidate.emails.len() > fields::MAX_CONTACTS {
            problems.push((
                ReviewField::Email(fields::MAX_CONTACTS),
                text::REVIEW_TOO_MANY,
            ));
        }
        if candidate.phones.len() > fields::MAX_CONTACTS {
            problems.push((
                ReviewField::Phone(fields::MAX_CONTACTS),
                text::REVIEW_TOO_MANY,
            ));
        }
        match optional(&self.linkedin, |raw| {
            fields::normalise_linkedin(&with_scheme(raw))
        }) {
            Ok(url) => candidate.linkedin_url = url,
            Err(()) => problems.push((ReviewField::LinkedIn, text::REVIEW_BAD_LINKEDIN)),
        }
        match optional(&self.github, |raw| {
            fields::normalise_github(&with_scheme(raw))
        }) {
            Ok(url) => candidate.github_url = url,
            Err(()) => problems.push((ReviewField::GitHub, text::REVIEW_BAD_GITHUB)),
        }
        let location = fields::clean_text(&self.location, fields::LOCATION_MAX_CHARS);
        candidate.location = (!location.is_empty()).then_some(location);
        let (title, company) = fields::parse_headline(&self.headline);
        candidate.title = title;
        candidate.company = company;
        if problems.is_empty() {
            Ok(candidate)
        } else {
            Err(problems)
        }
    }
}

/// An empty box is no value; anything else must pass `rule`.
fn optional<T>(raw: &str, rule: impl Fn(&str) -> Option<T>) -> Result<Option<T>, ()> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        rule(raw.trim()).map(Some).ok_or(())
    }
}

/// "linkedin.com/in/jane" as typed is meant as `https://…`.
fn with_scheme(raw: &str) -> String {
    if crate::substring::contains(raw, "://") {
        raw.to_owned()
    } else {
        format!("https://{raw}")
    }
}

/// What the reviewed contact details mean for the duplicate check in Ashby (`None`: an
/// email and a profile link, so the check is as good as it gets).
pub fn duplicate_check_warning(candidate: &FetcherCandidate) -> Option<&'static str> {
    let link = candidate.linkedin_url.is_some() || candidate.github_url.is_some();
    match (candidate.emails.is_empty(), link) {
        (true, false) => Some(text::REVIEW_NO_EMAIL_NO_LINK),
        (true, true) => Some(text::REVIEW_NO_EMAIL),
        (false, false) => Some(text::REVIEW_NO_LINK),
        (false, true) => None,
    }
}

/// The candidate the worker queues: the draft it holds (ids, status, Like, websites, as the
/// page was read) with the fields the recruiter may edit taken from `edited` (already
/// checked field by field, as every candidate message is).
pub fn reviewed(draft: &FetcherCandidate, edited: &FetcherCandidate) -> FetcherCandidate {
    FetcherCandidate {
        name: edited.name.clone(),
        title: edited.title.clone(),
        company: edited.company.clone(),
        location: edited.location.clone(),
        emails: edited.emails.clone(),
        phones: edited.phones.clone(),
        linkedin_url: edited.linkedin_url.clone(),
        github_url: edited.github_url.clone(),
        ..draft.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_from_page() -> FetcherCandidate {
        FetcherCandidate {
            search_id: "s1".parse().unwrap(),
            candidate_id: "c1".parse().unwrap(),
            name: "Lena Hoffmann".into(),
            title: Some("Staff Engineer".into()),
            company: Some("Acme".into()),
            location: Some("Berlin".into()),
            emails: vec!["lena@acme.dev".into(), "lena@home.example".into()],
            phones: vec!["+49 30 1234567".into()],
            linkedin_url: Some("https://www.linkedin.com/in/lena".into()),
            github_url: None,
            website_urls: vec!["https://lena.dev".into()],
            status: Some(crate::domain::CandidateStatus::Liked),
            liked: true,
        }
    }

    #[test]
    fn the_form_shows_what_was_read_and_an_unchanged_form_gives_it_back() {
        let page = read_from_page();
        let form = ReviewForm::from_candidate(&page);
        assert_eq!(form.headline, "Staff Engineer at Acme");
        assert_eq!(form.emails.len(), 2);
        assert_eq!(form.github, "");
        assert_eq!(form.apply(&page), Ok(page));
    }

    #[test]
    fn labels_follow_the_ui_contract() {
        let form = ReviewForm::from_candidate(&read_from_page());
        let labels: Vec<String> = form.fields().iter().map(|(f, _)| f.label()).collect();
        assert_eq!(
            labels,
            ["Name", "Email", "Email 2", "Phone", "LinkedIn", "GitHub", "Location", "Headline"]
        );
    }

    #[test]
    fn a_candidate_without_contacts_still_gets_one_box_of_each() {
        let page = FetcherCandidate {
            ..FetcherCandidate::new("s".parse().unwrap(), "c".parse().unwrap())
        };
        let form = ReviewForm::from_candidate(&page);
        assert_eq!(form.emails, [""]);
        assert_eq!(form.phones, [""]);
        assert_eq!(form.apply(&page), Ok(page));
    }

    #[test]
    fn edits_are_validated_with_the_page_rules() {
        let page = read_from_page();
        let mut form = ReviewForm::from_candidate(&page);
        form.set(ReviewField::Name, "  Lena   Hoffmann-Weber\u{202E} ".into());
        form.set(ReviewField::Email(2), "LENA@acme.dev".into());
        form.set(ReviewField::Email(3), " new@example.org ".into());
        form.set(ReviewField::GitHub, "github.com/LenaH".into());
        form.set(ReviewField::LinkedIn, String::new());
        form.set(ReviewField::Headline, "CTO".into());
        let sent = form.apply(&page).unwrap();
        assert_eq!(sent.name, "Lena Hoffmann-Weber");
        assert_eq!(
            sent.emails,
            ["lena@acme.dev", "lena@home.example", "new@example.org"],
            "a case-insensitive duplicate is dropped"
        );
        assert_eq!(sent.github_url.as_deref(), Some("https://github.com/lenah"));
        assert_eq!(sent.linkedin_url, None);
        assert_eq!((sent.title.as_deref(), sent.company), (Some("CTO"), None));
        assert_eq!(sent.website_urls, page.website_urls, "not editable");
        assert!(sent.liked);
    }

    #[test]
    fn each_unacceptable_field_is_named_with_why() {
        let page = read_from_page();
        let mut form = ReviewForm::from_candidate(&page);
        form.set(ReviewField::Email(1), "not an email".into());
        form.set(ReviewField::Phone(0), "call me".into());
        form.set(
            ReviewField::LinkedIn,
            "https://linkedin.com.evil.example/in/x".into(),
        );
        form.set(ReviewField::GitHub, "https://github.com/features".into());
        let problems = form.apply(&page).unwrap_err();
        assert_eq!(
            problems,
            [
                (ReviewField::Email(1), text::REVIEW_BAD_EMAIL),
                (ReviewField::Phone(0), text::REVIEW_BAD_PHONE),
                (ReviewField::LinkedIn, text::REVIEW_BAD_LINKEDIN),
                (ReviewField::GitHub, text::REVIEW_BAD_GITHUB),
            ]
        );
    }

    #[test]
    fn what_missing_contacts_mean_for_duplicate_checks() {
        let mut candidate = read_from_page();
        assert_eq!(duplicate_check_warning(&candidate), None);
        candidate.linkedin_url = None;
        assert_eq!(
            duplicate_check_warning(&candidate),
            Some(text::REVIEW_NO_LINK)
        );
        candidate.emails.clear();
        assert_eq!(
            duplicate_check_warning(&candidate),
            Some(text::REVIEW_NO_EMAIL_NO_LINK)
        );
        candidate.github_url = Some("https://github.com/lena".into());
        assert_eq!(
            duplicate_check_warning(&candidate),
            Some(text::REVIEW_NO_EMAIL)
        );
    }

    #[test]
    fn the_worker_keeps_the_drafts_ids_whatever_the_dialog_sends() {
        let draft = read_from_page();
        let edited = FetcherCandidate {
            name: "Lena H.".into(),
            website_urls: vec!["https://evil.example".into()],
            liked: false,
            ..FetcherCandidate::new(
                "other-search".parse().unwrap(),
                "other-candidate".parse().unwrap(),
            )
        };
        let queued = reviewed(&draft, &edited);
        assert_eq!(
            (queued.search_id.as_str(), queued.candidate_id.as_str()),
            ("s1", "c1")
        );
        assert_eq!(queued.name, "Lena H.");
        assert_eq!(queued.website_urls, draft.website_urls);
        assert!(queued.liked);
        assert!(queued.emails.is_empty(), "the recruiter removed them");
    }
}
