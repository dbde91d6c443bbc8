//! Field checks on every message the worker accepts, before any field is used: ids have the
//! id shape, texts are bounded, a candidate from the Send dialog is exactly what
//! `fetcher::fields` produces, and a content script's readings are bounded as its page reader
//! bounds them (the worker validates them itself), so a compromised or buggy content script
//! cannot smuggle markup, control characters, 10 MB strings or 10,000 emails into the outbox
//! or into Ashby. Serde has already checked the types; this checks the values. Pure, so it
//! is tested natively.

use crate::domain::FetcherCandidate;
use crate::fetcher::fields::{self, RawCandidate};
use crate::messages::{
    CandidatesSeen, CheckCandidates, CloseDraft, ConfirmAccount, Connect, ContentBlocked,
    ContentToWorker, Incoming, OpenDraft, PageSeen, PrepareSend, PreviewDraft, SaveAutomation,
    SendByShortcut, SendDraft, SendNow, UiToWorker,
};

pub mod page_budget;

/// A pasted key longer than this is refused outright; shorter malformed keys get the
/// connection's own, friendlier "malformed key" answer.
pub const MAX_PASTED_KEY_BYTES: usize = 4096;
/// Raw page text the content script reports (`PageSeen` and its candidates' readings; the
/// worker cleans it): the page reader reads at most 4,096 bytes of any text or href.
pub const MAX_RAW_TEXT_CHARS: usize = 4096;
/// The loader's error text is cut to 300 UTF-16 units before it is sent.
pub const MAX_REASON_CHARS: usize = 300;
/// More than any search's applicant limit a recruiter would set.
pub const MAX_APPLICANT_LIMIT: u32 = 100_000;

/// Why a message was refused (never shown to the recruiter as such; the worker answers with
/// its generic refusal).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidField {
    #[error("{0} is not an id")]
    Id(&'static str),
    #[error("{0} is too long")]
    TooLong(&'static str),
    #[error("{0} has too many entries")]
    TooMany(&'static str),
    #[error("{0} is not in the validated form")]
    NotClean(&'static str),
}

type Checked = Result<(), InvalidField>;

/// Checks every field of one message.
pub fn check(message: &Incoming) -> Checked {
    match message {
        Incoming::Ui(ui) => check_ui(ui),
        Incoming::Content(content) => check_content(content),
    }
}

fn check_ui(message: &UiToWorker) -> Checked {
    match message {
        UiToWorker::Ping
        | UiToWorker::ConnectionStatus
        | UiToWorker::Disconnect
        | UiToWorker::ListJobs(_)
        | UiToWorker::SetKeyStorage(_)
        | UiToWorker::ListSearches
        | UiToWorker::ForgetAutomation
        | UiToWorker::ListActivity => Ok(()),
        UiToWorker::ListHeldUploads | UiToWorker::ResolveHeldUploads(_) => Ok(()),
        // Typed ids only, checked when the message was decoded.
        UiToWorker::RetryFromActivity(_) | UiToWorker::ResumeAutomation(_) => Ok(()),
        UiToWorker::Connect(Connect { api_key }) => {
            bytes_at_most("apiKey", api_key, MAX_PASTED_KEY_BYTES)
        }
        UiToWorker::SaveAutomation(SaveAutomation { automation }) => {
            match automation.applicant_limit {
                Some(limit) if limit > MAX_APPLICANT_LIMIT => {
                    Err(InvalidField::TooLong("applicantLimit"))
                }
                _ => Ok(()),
            }
        }
        UiToWorker::OpenDraft(OpenDraft { token })
        | UiToWorker::CloseDraft(CloseDraft { token }) => storage_id("token", token),
        UiToWorker::PreviewDraft(PreviewDraft {
            token, candidate, ..
        })
        | UiToWorker::SendDraft(SendDraft {
            token, candidate, ..
        }) => {
            storage_id("token", token)?;
            check_candidate(candidate)
        }
        UiToWorker::ConfirmAccount(ConfirmAccount { email }) => {
            bytes_at_most("email", email, crate::domain::email::EMAIL_MAX_CHARS)
        }
    }
}

/// Most candidates one report or check may carry (the content script reports at most 50 at a
/// time, and checks at most this many).
pub const MAX_CANDIDATES_SEEN: usize = 200;

fn check_content(message: &ContentToWorker) -> Checked {
    match message {
        // Typed ids and page kinds only, checked when the message was decoded.
        ContentToWorker::RetryUpload(_) | ContentToWorker::Hello(_) => Ok(()),
        ContentToWorker::PageSeen(seen) => check_page_seen(seen),
        // One candidate to act on: read from a profile page, whose ids are the route's.
        ContentToWorker::SendNow(SendNow { candidate, .. })
        | ContentToWorker::SendByShortcut(SendByShortcut { candidate })
        | ContentToWorker::PrepareSend(PrepareSend { candidate }) => {
            storage_id("candidate.searchId", &candidate.search_id)?;
            storage_id("candidate.candidateId", &candidate.candidate_id)?;
            check_reading(candidate)
        }
        // Cards as read: one whose ids are not Fetcher ids is skipped, not refused.
        ContentToWorker::CandidatesSeen(CandidatesSeen { candidates })
        | ContentToWorker::CheckCandidates(CheckCandidates { candidates }) => {
            if candidates.len() > MAX_CANDIDATES_SEEN {
                return Err(InvalidField::TooMany("candidates"));
            }
            candidates.iter().try_for_each(check_reading)
        }
        ContentToWorker::ContentBlocked(ContentBlocked { reason }) => {
            chars_at_most("reason", reason, MAX_REASON_CHARS)
        }
    }
}

/// Raw page strings, bounded (the worker cleans them before storing anything); the search id
/// is typed.
fn check_page_seen(seen: &PageSeen) -> Checked {
    for (name, text) in [
        ("accountEmail", &seen.account_email),
        ("searchTitle", &seen.search_title),
        ("searchOwnerEmail", &seen.search_owner_email),
    ] {
        if let Some(text) = text {
            chars_at_most(name, text, MAX_RAW_TEXT_CHARS)?;
        }
    }
    Ok(())
}

/// A candidate as the page reader reads it: every text and href at most
/// [`MAX_RAW_TEXT_CHARS`], at most [`fields::MAX_RAW_ITEMS`] hrefs of each kind.
fn check_reading(c: &RawCandidate) -> Checked {
    for (name, text) in [
        ("candidate.searchId", Some(&c.search_id)),
        ("candidate.candidateId", Some(&c.candidate_id)),
        ("candidate.name", Some(&c.name)),
        ("candidate.headline", c.headline.as_ref()),
        ("candidate.location", c.location.as_ref()),
        ("candidate.statusText", c.status_text.as_ref()),
    ] {
        if let Some(text) = text {
            chars_at_most(name, text, MAX_RAW_TEXT_CHARS)?;
        }
    }
    for (name, hrefs) in [
        ("candidate.emailHrefs", &c.email_hrefs),
        ("candidate.phoneHrefs", &c.phone_hrefs),
        ("candidate.linkHrefs", &c.link_hrefs),
    ] {
        if hrefs.len() > fields::MAX_RAW_ITEMS {
            return Err(InvalidField::TooMany(name));
        }
        for href in hrefs {
            chars_at_most(name, href, MAX_RAW_TEXT_CHARS)?;
        }
    }
    Ok(())
}

/// A candidate must be exactly what [`fields::RawCandidate::validate`] produces: every field
/// already clean, bounded and well-formed (cleaning it again changes nothing). Its ids are
/// typed, checked when the message was decoded.
pub fn check_candidate(c: &FetcherCandidate) -> Checked {
    clean_text("candidate.name", &c.name, fields::NAME_MAX_CHARS)?;
    for (name, text, max) in [
        ("candidate.title", &c.title, fields::TITLE_MAX_CHARS),
        ("candidate.company", &c.company, fields::COMPANY_MAX_CHARS),
        (
            "candidate.location",
            &c.location,
            fields::LOCATION_MAX_CHARS,
        ),
    ] {
        if let Some(text) = text {
            clean_text(name, text, max)?;
        }
    }
    // Emails and links are typed (checked when decoded): only their number is left to check,
    // and that the profile links are in their normalised form.
    at_most_contacts("candidate.emails", c.emails.len())?;
    list("candidate.phones", &c.phones, fields::parse_phone)?;
    at_most_contacts("candidate.websiteUrls", c.website_urls.len())?;
    if let Some(url) = &c.linkedin_url {
        fixed_point("candidate.linkedinUrl", url, fields::normalise_linkedin)?;
    }
    if let Some(url) = &c.github_url {
        fixed_point("candidate.githubUrl", url, fields::normalise_github)?;
    }
    Ok(())
}

fn storage_id(name: &'static str, id: &str) -> Checked {
    crate::domain::is_valid_id(id)
        .then_some(())
        .ok_or(InvalidField::Id(name))
}

fn bytes_at_most(name: &'static str, text: &str, max: usize) -> Checked {
    (text.len() <= max)
        .then_some(())
        .ok_or(InvalidField::TooLong(name))
}

fn chars_at_most(name: &'static str, text: &str, max: usize) -> Checked {
    // Counting stops early: a 10 MB string is not walked to the end.
    (text.chars().nth(max).is_none())
        .then_some(())
        .ok_or(InvalidField::TooLong(name))
}

/// Bounded, and unchanged by the page-text cleaning (no control, bidi or zero-width
/// characters, no runs of whitespace).
fn clean_text(name: &'static str, text: &str, max: usize) -> Checked {
    chars_at_most(name, text, max)?;
    (fields::clean_text(text, max) == text)
        .then_some(())
        .ok_or(InvalidField::NotClean(name))
}

fn fixed_point<T: std::ops::Deref<Target = str>>(
    name: &'static str,
    value: &str,
    rule: fn(&str) -> Option<T>,
) -> Checked {
    chars_at_most(name, value, fields::URL_MAX_CHARS)?;
    (rule(value).as_deref() == Some(value))
        .then_some(())
        .ok_or(InvalidField::NotClean(name))
}

fn at_most_contacts(name: &'static str, count: usize) -> Checked {
    (count <= fields::MAX_CONTACTS)
        .then_some(())
        .ok_or(InvalidField::TooMany(name))
}

fn list(name: &'static str, values: &[String], rule: fn(&str) -> Option<String>) -> Checked {
    at_most_contacts(name, values.len())?;
    values
        .iter()
        .try_for_each(|value| fixed_point(name, value, rule))
}

#[cfg(test)]
mod tests;
