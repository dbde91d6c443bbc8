//! Every piece of text a recruiter reads, in one place: labels, notices and error messages.
//! Accessible names from the UI contract (`shared/design.md`) are here too, so the tests and
//! the screen readers agree on them. No message ever contains the API key.

// ---- Extension surfaces ---------------------------------------------------------------------

pub const PRODUCT_NAME: &str = "Fetcher → Ashby";
pub const LOADING: &str = "Loading…";
pub const API_KEY_LABEL: &str = "Ashby API key";
pub const CONNECT: &str = "Connect";
pub const DISCONNECT: &str = "Disconnect";
pub const DISCONNECTED: &str = "Disconnected. The API key and cached Ashby data are forgotten.";
pub const NOT_CONNECTED: &str = "Not connected to Ashby.";
pub const CONNECTED_AS: &str = "Connected to Ashby with the key";
pub const CONNECTION_HEADING: &str = "Ashby connection";
pub const OPTIONS_TITLE: &str = "Fetcher → Ashby settings";
pub const SEND_TO_ASHBY: &str = "Send to Ashby";

pub const CONNECT_FIRST: &str = "Connect Ashby first: open the Fetcher → Ashby extension from \
the browser toolbar and paste an Ashby API key.";
pub const EXTENSION_UNAVAILABLE: &str =
    "The Fetcher → Ashby extension is not answering. Reload the page, or reload the extension.";
pub const MESSAGE_REFUSED: &str = "This request was refused: it did not come from this extension.";
pub const API_KEY_MALFORMED: &str =
    "That does not look like an Ashby API key. Copy the whole key from Ashby and paste it again.";
pub const STORAGE_FAILED: &str =
    "The browser could not save the extension's data. Check the browser's storage and try again.";

// ---- Send to Ashby dialog --------------------------------------------------------------------

pub const SEND_DIALOG_TITLE: &str = "Send to Ashby";
pub const JOB_PICKER_LABEL: &str = "Ashby job";
pub const JOB_PICKER_PLACEHOLDER: &str = "Type to search open jobs";
pub const SEND: &str = "Send";
pub const CANCEL: &str = "Cancel";
pub const NO_OPEN_JOBS: &str = "No open jobs in Ashby.";
pub const NO_MATCHING_JOBS: &str = "No open job matches what you typed.";
pub const CHECKING_ASHBY: &str = "Checking Ashby for this candidate…";
pub const PREVIEW_NEW_CANDIDATE: &str =
    "Not in Ashby yet: a new candidate will be created with this application.";
pub const PREVIEW_ALREADY_IN_ASHBY: &str =
    "Already in Ashby: this candidate will be reused, not duplicated. Matched by";
pub const PREVIEW_ALREADY_APPLIED: &str =
    "They already have an application for this job, so none will be added.";
pub const OPEN_IN_ASHBY: &str = "Open in Ashby";
pub const UNNAMED_CANDIDATE: &str = "Unnamed candidate";
pub const PROFILE_NOT_READABLE: &str =
    "This Fetcher page could not be read: the candidate's profile is not fully shown yet. Try again in a moment.";

// ---- Ashby errors ----------------------------------------------------------------------------

use crate::ashby::error::AshbyError;
use crate::ashby::scopes::Permission;
use crate::domain::{AshbyProblem, UploadProblem, WorkerProblem};

pub const ASHBY_MISSING_KEY: &str =
    "Ashby did not receive an API key. Paste the key from Ashby and connect again.";
pub const ASHBY_INVALID_KEY: &str = "Ashby rejected the API key. Check that it is copied whole \
and still active, then connect again.";
pub const ASHBY_MISSING_PERMISSION: &str = "The Ashby API key lacks a permission this needs. \
Ask an Ashby admin to grant it under Admin → Integrations → API Keys, then connect again.";
/// Leads the missing-permission message when the permission is known (the endpoint's).
pub const ASHBY_MISSING_PERMISSION_NAMED: &str = "Missing permission:";
pub const ASHBY_RATE_LIMITED: &str = "Ashby is receiving too many requests right now.";
pub const ASHBY_PARTNER_RATE_LIMITED: &str =
    "Ashby is limiting traffic from this integration across all its customers right now.";
pub const ASHBY_SERVER_ERROR: &str = "Ashby had a problem on its side. Try again in a few minutes.";
pub const ASHBY_UNREACHABLE: &str =
    "Could not reach Ashby. Check the internet connection and try again.";
pub const ASHBY_TIMEOUT: &str = "Ashby took too long to answer. Try again in a moment.";
pub const ASHBY_MALFORMED: &str = "Ashby sent an answer this extension does not understand. \
Try again; if it keeps happening, tell the extension's maintainers.";
pub const ASHBY_INVALID_REQUEST: &str = "This extension could not prepare the request for \
Ashby. Tell the extension's maintainers.";
pub const ASHBY_REFUSED: &str = "Ashby refused the request.";

/// The one recruiter-facing message for an Ashby error (see [`ashby_problem`]).
pub fn ashby_error(error: &AshbyError) -> String {
    ashby_problem(&AshbyProblem::from(error))
}

/// The message for a failed Ashby call. Adds Ashby's own message and request id where they
/// help (support asks for the id). Never contains the API key: no error holds it.
pub fn ashby_problem(problem: &AshbyProblem) -> String {
    match problem {
        AshbyProblem::MissingKey => ASHBY_MISSING_KEY.to_owned(),
        AshbyProblem::InvalidKey { request_id } => {
            with_request_id(ASHBY_INVALID_KEY.to_owned(), request_id.as_deref())
        }
        AshbyProblem::MissingPermission {
            ashby_said: message,
            request_id,
            permission,
        } => {
            let which = match permission {
                Some(permission) => format!(
                    "{ASHBY_MISSING_PERMISSION_NAMED} {}. ",
                    permission_label(*permission)
                ),
                None => String::new(),
            };
            with_request_id(
                format!("{which}{ASHBY_MISSING_PERMISSION} {}", ashby_said(message)),
                request_id.as_deref(),
            )
        }
        AshbyProblem::RateLimited {
            retry_after_ms,
            partner_limit,
        } => {
            let what = if *partner_limit {
                ASHBY_PARTNER_RATE_LIMITED
            } else {
                ASHBY_RATE_LIMITED
            };
            match retry_after_ms {
                Some(ms) => format!("{what} Sending resumes in about {}.", duration(*ms)),
                None => format!("{what} Sending resumes shortly."),
            }
        }
        AshbyProblem::AshbyDown { status, request_id } => with_request_id(
            format!("{ASHBY_SERVER_ERROR} (HTTP {status})"),
            request_id.as_deref(),
        ),
        AshbyProblem::Unreachable => ASHBY_UNREACHABLE.to_owned(),
        AshbyProblem::Timeout => ASHBY_TIMEOUT.to_owned(),
        AshbyProblem::UnexpectedAnswer => ASHBY_MALFORMED.to_owned(),
        AshbyProblem::RequestNotBuilt => ASHBY_INVALID_REQUEST.to_owned(),
        AshbyProblem::Refused {
            ashby_said: message,
            request_id,
            ..
        } => with_request_id(
            format!("{ASHBY_REFUSED} {}", ashby_said(message)),
            request_id.as_deref(),
        ),
        AshbyProblem::Legacy { text } => text.clone(),
    }
}

/// Why the worker did not carry out a request, as the page that asked shows it.
pub fn worker_problem(problem: &WorkerProblem) -> String {
    let text = match problem {
        WorkerProblem::MessageRefused => MESSAGE_REFUSED,
        WorkerProblem::StorageFailed => STORAGE_FAILED,
        WorkerProblem::ApiKeyMalformed => API_KEY_MALFORMED,
        WorkerProblem::ApiKeyDisabled => API_KEY_DISABLED,
        WorkerProblem::ApiKeyCannotBeChecked => API_KEY_CANNOT_BE_CHECKED,
        WorkerProblem::ConnectInterrupted => CONNECT_INTERRUPTED,
        WorkerProblem::ConnectFirst => CONNECT_FIRST,
        WorkerProblem::TooManyChecks => TOO_MANY_CHECKS,
        WorkerProblem::Unavailable => EXTENSION_UNAVAILABLE,
        WorkerProblem::NothingToRetry => RETRY_NOTHING_TO_RETRY,
        WorkerProblem::DraftGone => DRAFT_GONE,
        WorkerProblem::UnknownSearch => UNKNOWN_SEARCH,
        WorkerProblem::Ashby(problem) => return ashby_problem(problem),
        WorkerProblem::ReadOnly(reason) => return read_only_reason(reason),
        WorkerProblem::Automation(problem) => return automation_problem(problem),
    };
    text.to_owned()
}

/// Why the open profile cannot be sent, as the page's notice or the popup says it.
pub fn unsendable(problem: &crate::domain::Unsendable) -> String {
    match problem {
        crate::domain::Unsendable::ProfileNotReadable => PROFILE_NOT_READABLE.to_owned(),
        crate::domain::Unsendable::Worker(problem) => worker_problem(problem),
    }
}

/// Ashby's own words, quoted, ending in a full stop.
fn ashby_said(message: &str) -> String {
    let message = message.trim().trim_end_matches('.');
    format!("Ashby said: “{message}”.")
}

fn with_request_id(message: String, request_id: Option<&str>) -> String {
    match request_id {
        Some(id) => format!("{message} (Ashby request id: {id})"),
        None => message,
    }
}

/// "45 seconds", "1 minute", "3 minutes": rounded up, never "0 seconds".
fn duration(ms: u64) -> String {
    let seconds = ms.div_ceil(1000).max(1);
    if seconds < 60 {
        return format!("{seconds} second{}", plural(seconds));
    }
    let minutes = seconds.div_ceil(60);
    format!("{minutes} minute{}", plural(minutes))
}

fn plural(count: u64) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

// ---- Ashby permissions -----------------------------------------------------------------------

/// The permission as Ashby's API key screen shows it (module and access level).
pub fn permission_label(permission: Permission) -> &'static str {
    match permission {
        Permission::ApiKeysRead => "API Keys: Read",
        Permission::JobsRead => "Jobs: Read",
        Permission::CandidatesRead => "Candidates: Read",
        Permission::CandidatesWrite => "Candidates: Write",
        Permission::HiringProcessMetadataRead => "Hiring Process Metadata: Read",
        Permission::OrganizationRead => "Organization: Read",
    }
}

/// What the extension uses the permission for, in a recruiter's words.
pub fn permission_purpose(permission: Permission) -> &'static str {
    match permission {
        Permission::ApiKeysRead => "checks that the key works when you connect",
        Permission::JobsRead => "lists your Ashby jobs so you can pick one",
        Permission::CandidatesRead => "finds candidates already in Ashby, so none is added twice",
        Permission::CandidatesWrite => {
            "adds candidates, their applications to your job, and a note linking back to Fetcher"
        }
        Permission::HiringProcessMetadataRead => {
            "finds the \u{201c}Fetcher\u{201d} source and tags to label new candidates"
        }
        Permission::OrganizationRead => {
            "finds your Ashby user by email, so candidates are credited to you"
        }
    }
}

/// One line per missing permission: "Candidates: Write — adds candidates, …".
pub fn missing_permission_lines(missing: &[Permission]) -> Vec<String> {
    missing
        .iter()
        .map(|&p| format!("{} — {}", permission_label(p), permission_purpose(p)))
        .collect()
}

// ---- Uploads (outbox and pipeline) -----------------------------------------------------------

/// The name a candidate gets in Ashby when Fetcher showed none (Ashby requires a name).
pub fn unnamed_candidate_in_ashby(fetcher_candidate_id: &str) -> String {
    format!("Unnamed Fetcher candidate ({fetcher_candidate_id})")
}

/// Who a note says sent the candidate when the recruiter's email is unknown.
pub const UPLOAD_NOTE_UNKNOWN_RECRUITER: &str = "a recruiter";

/// The plain-text note added in Ashby when an upload creates the candidate or the application.
pub fn upload_note(fetcher_profile_url: &str, search_id: &str, recruiter: Option<&str>) -> String {
    let recruiter = recruiter
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .unwrap_or(UPLOAD_NOTE_UNKNOWN_RECRUITER);
    format!(
        "Sent from Fetcher by {recruiter}.\nFetcher profile: {fetcher_profile_url}\nFetcher \
         search: {search_id}"
    )
}

pub const UPLOAD_PAUSED: &str = "Uploads to Ashby are paused.";

/// Why the whole queue waits (an auth or permission problem): the Ashby message says what to do.
pub fn upload_paused(reason: &str) -> String {
    format!("{UPLOAD_PAUSED} {reason}")
}

pub const HELD_UPLOADS_HEADING: &str = "Uploads queued for another Ashby connection";
pub const HELD_UPLOADS_SEND: &str = "Send them with this connection";
pub const HELD_UPLOADS_DISCARD: &str = "Don't send them";

/// "2 uploads were queued while another Ashby key was connected …".
pub fn held_uploads_summary(count: usize) -> String {
    let (uploads, were) = if count == 1 {
        ("upload was", "it")
    } else {
        ("uploads were", "them")
    };
    format!(
        "{count} {uploads} queued while another Ashby key was connected, possibly for another \
         organisation, and {} not been sent. Send {were} with this connection, or not at all?",
        if count == 1 { "has" } else { "have" }
    )
}

/// One held upload: "Jane Doe — Senior Backend Engineer".
pub fn held_upload_line(name: &str, job_title: &str) -> String {
    let name = if name.trim().is_empty() {
        UNNAMED_CANDIDATE
    } else {
        name.trim()
    };
    if job_title.trim().is_empty() {
        name.to_owned()
    } else {
        format!("{name} — {}", job_title.trim())
    }
}

/// A held upload the recruiter chose not to send with the new connection.
pub const UPLOAD_DISCARDED_OTHER_CONNECTION: &str = "Not sent: it was queued for another Ashby \
connection, and you chose not to send it with this one.";
pub const UPLOAD_MAYBE_CREATED: &str = "Ashby may have received this candidate, but its answer \
was lost and the candidate has no email or profile link to look them up by. Check Ashby for \
this candidate before choosing Retry, or a duplicate may be created.";

pub const UPLOAD_APPLICATION_CONFLICT: &str = "Ashby says this candidate already has an \
application for this job, but it could not be found. Check the candidate in Ashby, then choose \
Retry.";

pub const UPLOAD_NOTE_UNCERTAIN: &str =
    "Ashby's answer to adding the Fetcher note was lost; the note may be missing.";

/// Why an upload failed, waits or was not sent, as the card, the popup and the CSV show it.
pub fn upload_problem(problem: &UploadProblem) -> String {
    match problem {
        UploadProblem::Ashby { error } => ashby_problem(error),
        UploadProblem::Paused { because } => upload_paused(&ashby_problem(because)),
        UploadProblem::MaybeCreated => UPLOAD_MAYBE_CREATED.to_owned(),
        UploadProblem::NoteUncertain => UPLOAD_NOTE_UNCERTAIN.to_owned(),
        UploadProblem::DiscardedOtherConnection => UPLOAD_DISCARDED_OTHER_CONNECTION.to_owned(),
        UploadProblem::WaitingSameName { same_name } => waiting_same_name(*same_name),
        UploadProblem::OverApplicantLimit { limit } => skipped_over_limit(*limit),
        UploadProblem::AutomationBraked { limit } => automation_braked(*limit),
        UploadProblem::Legacy { text } => text.clone(),
    }
}

// ---- Upload status on cards and profiles -----------------------------------------------------

pub const RETRY_NOTHING_TO_RETRY: &str =
    "There is no failed upload of this candidate to retry. Send them again from the ⋮ menu.";
pub const MATCHED_BY_LINKEDIN: &str = "the same LinkedIn profile";
pub const MATCHED_BY_GITHUB: &str = "the same GitHub profile";

/// Why an existing Ashby candidate is this one: "the email jane@x.com".
pub fn matched_by_email(email: &str) -> String {
    format!("the email {email}")
}

/// Why an existing Ashby candidate is this one (after "Matched by").
pub fn matched_by(reason: &crate::upload::dedupe::MatchReason) -> String {
    use crate::upload::dedupe::MatchReason;
    match reason {
        MatchReason::Email(email) => matched_by_email(email),
        MatchReason::LinkedIn => MATCHED_BY_LINKEDIN.to_owned(),
        MatchReason::GitHub => MATCHED_BY_GITHUB.to_owned(),
    }
}

/// The accessible name of the status element (UI contract).
pub const UPLOAD_STATUS_NAME: &str = "Ashby upload status";
pub const RETRY: &str = "Retry";

/// The status line for a card: "Sent to Ashby · <job> · <time>", "Queued for Ashby · <job>",
/// "Sending to Ashby · <job>", or "Ashby upload failed: <reason>". `time` is already formatted
/// in the recruiter's locale by the caller.
pub fn upload_status_line(record: &crate::upload::outbox::UploadRecord, time: &str) -> String {
    use crate::upload::outbox::UploadStatus;
    let job = if record.job_title.is_empty() {
        "Ashby job"
    } else {
        &record.job_title
    };
    match record.status {
        UploadStatus::Sent => format!("Sent to Ashby · {job} · {time}"),
        UploadStatus::Sending => format!("Sending to Ashby · {job}"),
        UploadStatus::Queued => match &record.error {
            Some(waiting) => format!("Queued for Ashby · {job} · {}", upload_problem(waiting)),
            None => format!("Queued for Ashby · {job}"),
        },
        UploadStatus::Failed => format!(
            "Ashby upload failed: {}",
            record.error.as_ref().map_or_else(
                || "Ashby did not accept the upload.".to_owned(),
                upload_problem
            )
        ),
        UploadStatus::Skipped => format!(
            "Not sent to Ashby · {job} · {}",
            record
                .error
                .as_ref()
                .map_or_else(|| SKIPPED_OVER_LIMIT.to_owned(), upload_problem)
        ),
    }
}

/// The keyboard shortcut pressed away from a candidate profile.
pub const SHORTCUT_NEEDS_PROFILE: &str = "Open a candidate's profile in a Fetcher search, then press the shortcut again to send them to Ashby.";

/// The keyboard shortcut queued the open profile for the search's job.
pub fn shortcut_queued(name: &str, job: &str) -> String {
    let name = if name.is_empty() {
        "The candidate"
    } else {
        name
    };
    format!("{name} is queued for Ashby · {job}. The status under the name follows the upload.")
}

/// Why an automatic upload waits (shown after "Queued for Ashby · <job> · ").
pub const WAITING_FOR_CONTACT_DETAILS: &str = "waiting for an email or LinkedIn profile: open the candidate's profile in Fetcher so the extension can check Ashby for duplicates first";

/// Why automation did not send a candidate (the search's applicant limit).
pub const SKIPPED_OVER_LIMIT: &str = "the search reached its applicant limit";

pub fn skipped_over_limit(limit: u32) -> String {
    let plural = if limit == 1 { "" } else { "s" };
    format!("the search reached its applicant limit of {limit} candidate{plural}")
}

// ---- Popup and options: connection, permissions, Ashby Sync, activity -----------------------

use crate::domain::{
    AutomationPaused, AutomationProblem, PageProblem, ReadOnlyReason, StorageProblem, Trigger,
};
use crate::storage_schema::{JobFlag, UserMatch};

pub const REMEMBER_KEY: &str = "Remember the key after the browser closes";
pub const REMEMBER_KEY_HELP: &str = "Unticked, the key is kept only until the browser closes, \
where neither web pages nor the extension's script on Fetcher pages can read it.";
pub const KEY_STORAGE_HEADING: &str = "Where the key is kept";
pub const KEY_STORAGE_HELP: &str = "Kept only until the browser closes, the key is where \
neither web pages nor the extension's script on Fetcher pages can read it. Remembered, it \
survives restarts, so automatic uploads keep going.";
pub const KEY_IN_SESSION: &str = "Only until the browser closes";
pub const KEY_REMEMBERED: &str = "Remembered on this computer until you disconnect";
pub const KEY_STORAGE_CHANGED: &str = "Saved.";
pub const SESSION_ENDED: &str = "The browser was closed, so the API key kept for that session \
is gone. Paste it again to reconnect; queued uploads resume once you do.";
pub const API_KEY_DISABLED: &str = "Ashby says this API key has been deactivated. Ask an Ashby \
admin for an active key (Admin → Integrations → API Keys), then connect again.";
pub const API_KEY_CANNOT_BE_CHECKED: &str = "This API key lacks the permission “API Keys: \
Read”, so the extension cannot check it. Ask an Ashby admin to add it, then connect again.";

pub const PERMISSIONS_HEADING: &str = "Permissions";
pub const PERMISSION_GRANTED: &str = "Granted";
pub const PERMISSION_MISSING: &str = "Missing";
pub const PERMISSIONS_COMPLETE: &str = "The key has every permission the extension needs.";
pub const PERMISSIONS_INCOMPLETE: &str = "This key lacks permissions the extension needs. \
Ask an Ashby admin to add the missing ones to the key (Admin → Integrations → API Keys), or to \
make a new key with them, then connect again.";

/// The advice about granted permissions the extension never uses.
pub fn unneeded_permissions(scopes: &[String]) -> String {
    format!(
        "The key also has permissions the extension never uses: {}. For safety, make a key with \
         only the permissions listed above.",
        scopes.join(", ")
    )
}

pub const ASHBY_USER_HEADING: &str = "Ashby user";

/// Which Ashby user uploads are credited to, or why none is.
pub fn user_match(user: &UserMatch) -> String {
    const UNCREDITED: &str = "Uploads still work, but they are not credited to anyone.";
    match user {
        UserMatch::Unknown => "Open Fetcher in a tab so the extension can see your Fetcher \
account and find your Ashby user."
            .to_owned(),
        UserMatch::Found { name, email, .. } => {
            format!("{name} ({email}): uploads are credited to this Ashby user.")
        }
        UserMatch::NotFound { email } => format!(
            "No Ashby user has the email {email}, the Fetcher account you are signed in with. \
             {UNCREDITED} Ask an Ashby admin to give your Ashby user this email, or sign in to \
             Fetcher with your Ashby email."
        ),
        UserMatch::Disabled { name, email } => {
            format!("The Ashby user {name} ({email}) is deactivated. {UNCREDITED}")
        }
        UserMatch::LookupFailed { email, problem } => format!(
            "Your Ashby user ({email}) could not be looked up. {} {UNCREDITED}",
            ashby_problem(problem)
        ),
    }
}

pub const SYNC_HEADING: &str = "Ashby Sync";
pub const NO_SEARCHES_YET: &str = "No Fetcher searches seen yet. Open one of your searches on \
Fetcher and it appears here.";
pub const UNTITLED_SEARCH: &str = "Untitled search";
pub const OWNER: &str = "Owner";
pub const CHOOSE_JOB: &str = "Choose a job";
pub const UPLOAD_AUTOMATICALLY: &str = "Upload automatically";
pub const WHEN: &str = "When";
pub const APPLICANT_LIMIT: &str = "Applicant limit";
pub const APPLICANT_LIMIT_HINT: &str = "Leave empty for no limit.";
pub const SAVE: &str = "Save";
pub const SAVED: &str = "Saved.";
pub const SAVING: &str = "Saving…";
pub const JOBS_UNAVAILABLE: &str = "The Ashby job list could not be loaded.";
/// The picker's entry for a linked job that is not among the open jobs (or not loaded yet).
pub const JOB_NO_LONGER_OPEN: &str = "Linked job (no longer open)";
pub const LINKED_JOB: &str = "Linked job";
pub const UNKNOWN_SEARCH: &str =
    "This search has not been seen on Fetcher yet. Open it in a tab first.";

/// The "When" choices, exactly as the UI contract names them.
pub fn trigger_label(trigger: Trigger) -> &'static str {
    match trigger {
        Trigger::AllNewCandidates => "All new candidates",
        Trigger::OnLike => "On like",
        Trigger::OnContact => "On contact",
        Trigger::OnReply => "On reply",
        Trigger::OnInterestedReply => "On interested reply",
    }
}

/// Why a search's automation cannot be saved as it is.
pub fn automation_problem(problem: &AutomationProblem) -> String {
    match problem {
        AutomationProblem::NoJob => {
            "Choose an Ashby job before turning on automatic upload.".to_owned()
        }
        AutomationProblem::BadLimit => "The applicant limit must be a whole number above 0, or \
empty for no limit."
            .to_owned(),
        AutomationProblem::JobNotOpen { title: Some(title) } => format!(
            "The job “{title}” is not open in Ashby, so candidates cannot be applied to it. \
             Choose an open job."
        ),
        AutomationProblem::JobNotOpen { title: None } => "The chosen job is no longer open in \
Ashby, so candidates cannot be applied to it. Choose an open job."
            .to_owned(),
    }
}

/// A warning on a search whose linked job is no longer open.
pub fn job_flag(flag: &JobFlag) -> String {
    match flag {
        JobFlag::NotOpen { title, status } => format!(
            "The linked job “{title}” is {status} in Ashby: candidates cannot be applied to it. \
             Choose an open job."
        ),
        JobFlag::Gone => "The linked Ashby job is no longer open (closed, archived or removed): \
candidates cannot be applied to it. Choose an open job."
            .to_owned(),
    }
}

/// Why the recruiter may only look at a search's automation.
pub fn read_only_reason(reason: &ReadOnlyReason) -> String {
    match reason {
        ReadOnlyReason::AccountUnknown => "Open Fetcher in a tab so the extension can see who \
you are: only a search's owner can set up Ashby Sync for it."
            .to_owned(),
        ReadOnlyReason::OwnerUnknown => {
            "Fetcher did not show who owns this search, so Ashby Sync cannot be set up for it."
                .to_owned()
        }
        ReadOnlyReason::NotOwner { owner } => {
            format!("Shared by {owner}: only its owner can set up Ashby Sync for it.")
        }
    }
}

/// "3 of 10 candidates uploaded automatically", "1 candidate uploaded automatically (no limit)".
pub fn uploaded_count(uploaded: u32, limit: Option<u32>) -> String {
    match limit {
        Some(limit) => format!("{uploaded} of {limit} candidates uploaded automatically"),
        None => format!(
            "{uploaded} candidate{} uploaded automatically (no limit)",
            plural(u64::from(uploaded))
        ),
    }
}

pub const SETTINGS_LINK: &str = "Settings and Disconnect";
pub const DISCONNECT_EXPLAINED: &str = "Disconnecting forgets the API key and the cached Ashby \
data. Queued uploads are paused, not lost: they resume when you connect again.";
pub const FORGET_AUTOMATION: &str = "Forget my automation settings";
pub const DISCONNECTED_SETTINGS_KEPT: &str = "Disconnected. The API key and cached Ashby data are \
forgotten; your automation settings are kept. Queued uploads are paused, not lost: they resume \
when you connect again.";
pub const DISCONNECTED_SETTINGS_FORGOTTEN: &str = "Disconnected. The API key, cached Ashby data \
and your automation settings are forgotten. Queued uploads are paused, not lost: they resume \
when you connect again.";
pub const STORAGE_PROBLEMS_HEADING: &str = "Some saved settings could not be read and were reset:";

/// One line of the storage report.
pub fn storage_problem(problem: &StorageProblem) -> String {
    match problem {
        StorageProblem::UnreadableVersion => {
            "the record of which version saved the settings was unreadable".to_owned()
        }
        StorageProblem::NewerVersion(v) => format!(
            "the settings were saved by a newer version of the extension (schema {v}); what \
             this version cannot read was dropped"
        ),
        StorageProblem::Corrupt { key } => {
            let what = match key.split('/').next().unwrap_or_default() {
                "ashbyApiKey" => "the saved API key (connect again)",
                "connection" => "the connection details (connect again)",
                "automation" => "a search's automation settings",
                "search" => "a search seen on Fetcher",
                "fetcher" => "the Fetcher account seen",
                "settings" => "where the key is kept",
                _ => "other saved data",
            };
            format!("{what} ({key})")
        }
        StorageProblem::Legacy { text } => text.clone(),
    }
}

pub const ACTIVITY_HEADING: &str = "Recent uploads";
pub const NO_ACTIVITY: &str = "Nothing sent to Ashby yet.";
pub const MANUAL_UPLOAD: &str = "Sent by hand";

/// "Automatic · On reply".
pub fn automatic_upload(trigger: Trigger) -> String {
    format!("Automatic · {}", trigger_label(trigger))
}

pub const EXPORT_CSV: &str = "Export CSV";
pub const EXPORT_FAILED: &str = "The browser could not save the CSV file. Try again.";
/// The CSV export's header row.
pub const ACTIVITY_CSV_HEADER: [&str; 8] = [
    "Candidate",
    "Fetcher search",
    "Ashby job",
    "Trigger",
    "Time (UTC)",
    "Result",
    "Error",
    "Ashby link",
];
pub const CSV_MANUAL: &str = "Manual";

/// The result column of the CSV export.
pub fn upload_result(status: crate::upload::outbox::UploadStatus) -> &'static str {
    use crate::upload::outbox::UploadStatus;
    match status {
        UploadStatus::Queued => "Queued",
        UploadStatus::Sending => "Sending",
        UploadStatus::Sent => "Sent",
        UploadStatus::Failed => "Failed",
        UploadStatus::Skipped => "Skipped (applicant limit)",
    }
}

/// The flag the popup's job picker shows next to a job that cannot take candidates.
pub fn job_status_flag(status: &str) -> String {
    match status {
        "Draft" => "Draft: not open yet".to_owned(),
        other => format!("{other}: not open"),
    }
}
pub const NO_JOB_CHOSEN: &str = "No job chosen";

// ---- The last Fetcher page ---------------------------------------------------------------------

pub const PAGE_NOT_RECOGNISED: &str = "The last Fetcher page you opened is not a search or a \
candidate profile, so there is nothing to send from it. Open a search or a candidate in Fetcher.";
pub const CONTENT_BLOCKED: &str = "Fetcher's page blocked the extension (its security policy \
does not allow WebAssembly), so Send to Ashby and upload statuses cannot appear there. Your \
settings and queued uploads are safe; tell your Fetcher administrator or try again after a reload.";

/// What the popup says about the last Fetcher page.
pub fn page_problem(problem: &PageProblem) -> String {
    match problem {
        PageProblem::NotRecognised => PAGE_NOT_RECOGNISED.to_owned(),
        PageProblem::ContentBlocked => CONTENT_BLOCKED.to_owned(),
        PageProblem::Legacy { text } => text.clone(),
    }
}

// ---- Host access (Firefox asks at run time) ----------------------------------------------------

pub const HOST_ACCESS_HEADING: &str = "Site access";
pub const HOST_ACCESS_MISSING: &str =
    "The extension needs access to Ashby (to send candidates) and \
to Fetcher (to add Send to Ashby to its pages). Your browser has not allowed it yet.";
pub const ALLOW_HOST_ACCESS: &str = "Allow access to Ashby and Fetcher";
pub const HOST_ACCESS_REFUSED: &str =
    "Access was not allowed, so nothing can be sent to Ashby yet.";

// ---- Send dialog: review before sending, the profile button -------------------------------

pub const REVIEW_HEADING: &str = "What will be sent";
pub const REVIEW_HINT: &str = "Read from the Fetcher page. Correct anything before sending.";
pub const REVIEW_NAME: &str = "Name";
pub const REVIEW_EMAIL: &str = "Email";
pub const REVIEW_PHONE: &str = "Phone";
pub const REVIEW_LINKEDIN: &str = "LinkedIn";
pub const REVIEW_GITHUB: &str = "GitHub";
pub const REVIEW_LOCATION: &str = "Location";
pub const REVIEW_HEADLINE: &str = "Headline";
pub const REVIEW_ADD_EMAIL: &str = "Add another email";
pub const REVIEW_BAD_EMAIL: &str = "Not an email address (name@example.com).";
pub const REVIEW_BAD_PHONE: &str = "Not a phone number: 4 to 20 digits, with + ( ) - . or spaces.";
pub const REVIEW_BAD_LINKEDIN: &str =
    "Not a LinkedIn profile link (https://www.linkedin.com/in/…).";
pub const REVIEW_BAD_GITHUB: &str = "Not a GitHub profile link (https://github.com/…).";
pub const REVIEW_TOO_LONG: &str = "Too long: it will be shortened.";
pub const REVIEW_TOO_MANY: &str = "At most 10 are kept.";
pub const REVIEW_FIX_FIRST: &str = "Correct the fields marked above before sending.";
pub const REVIEW_NO_EMAIL_NO_LINK: &str = "No email and no LinkedIn or GitHub link: Ashby \
cannot be checked for this candidate, so sending may create a duplicate. Add one if you can.";
pub const REVIEW_NO_EMAIL: &str =
    "No email: the duplicate check in Ashby relies on the name and the profile link only.";
pub const REVIEW_NO_LINK: &str =
    "No LinkedIn or GitHub link: the duplicate check in Ashby relies on the emails only.";
pub const SEND_AGAIN: &str = "Send again…";
pub const DRAFT_GONE: &str = "This Send dialog has expired. Close it and open Send to Ashby again.";

/// What the dialog says about an earlier upload of this candidate for this search.
pub fn sent_before(record: &crate::upload::outbox::UploadRecord, time: &str) -> String {
    format!("Sent before: {}", upload_status_line(record, time))
}

// ---- Safeguards (disconnect, automation brake, storage, account) ------------------------------

pub const CONNECT_INTERRUPTED: &str =
    "Disconnected while Ashby was checking the key, so the key was not saved. Connect again.";

/// On a card whose automatic upload the brake held back.
pub fn automation_braked(limit: usize) -> String {
    format!(
        "automation for this search is paused: more than {limit} automatic uploads within 10 \
         minutes. Resume it in the extension's popup, or send this candidate by hand"
    )
}

/// In the popup, for a search whose automation the brake paused.
pub fn automation_paused(paused: &AutomationPaused) -> String {
    automation_paused_notice(paused.limit, paused.held)
}

fn automation_paused_notice(limit: usize, held: u32) -> String {
    let plural = if held == 1 { "" } else { "s" };
    format!(
        "Automation paused: more than {limit} automatic uploads within 10 minutes, so this \
         looks like more than a normal batch. {held} candidate{plural} held back (send them by \
         hand if they belong in Ashby). Resume when you have checked the search."
    )
}
pub const RESUME_AUTOMATION: &str = "Resume automation";

/// On a card without contact details whose automatic upload waits because Ashby already has
/// candidates by the same name (0: the card shows no usable name).
pub fn waiting_same_name(same_name: usize) -> String {
    match same_name {
        0 => "waiting for the profile: the card shows no name, email or LinkedIn profile; open \
              the candidate's profile in Fetcher"
            .to_owned(),
        1 => "waiting for the profile: Ashby already has a candidate with this name, who may be \
              the same person; open the candidate's profile in Fetcher so the extension can \
              check by email or LinkedIn"
            .to_owned(),
        n => format!(
            "waiting for the profile: Ashby already has {n} candidates with this name; open the \
             candidate's profile in Fetcher so the extension can check by email or LinkedIn"
        ),
    }
}
pub const TOO_MANY_CHECKS: &str =
    "Too many Ashby checks from Fetcher pages in a short time. Wait a minute and try again.";
pub const ACCOUNT_CHANGE_HEADING: &str = "Fetcher account changed";
/// In the popup, when a page shows another Fetcher account than the one uploads are credited for.
pub fn account_change_notice(confirmed: &str, shown: &str) -> String {
    format!(
        "A Fetcher page now shows the account {shown}, but uploads are credited for {confirmed}. \
         They stay credited for {confirmed} until you confirm that {shown} is you."
    )
}
pub fn confirm_account_button(shown: &str) -> String {
    format!("Credit uploads for {shown}")
}
pub const STORAGE_FULL_HEADING: &str = "Storage full";
pub const STORAGE_FULL: &str = "The browser's storage for this extension is full, so something \
could not be saved (uploads already queued are kept). The extension has forgotten its oldest \
candidate history to make room: reload the Fetcher tab and try again. If this notice stays, \
export Recent uploads as CSV, then remove and add the extension again to start with empty \
storage.";
pub const AUTOMATION_PAUSED_HEADING: &str = "Automation paused";

// ---- Popup: "This page" diagnostics and "Send this profile" ------------------------------------

pub const THIS_PAGE_HEADING: &str = "This page";
pub const COPY_REPORT: &str = "Copy report";
pub const REPORT_COPIED: &str = "Report copied. It holds no names, emails or links.";
pub const REPORT_COPY_FAILED: &str =
    "The browser did not allow copying. Select the report and copy it.";
pub const SEND_THIS_PROFILE: &str = "Send this profile to Ashby";
pub const THIS_PAGE_NO_FETCHER_TAB: &str =
    "Open a Fetcher search or candidate profile, then open this popup again to see what the \
     extension recognises there.";
pub const THIS_PAGE_NOT_ANSWERING: &str = "The extension is not running on this Fetcher tab yet. \
Reload the tab (the extension starts when the page loads).";
pub const REPORT_PAGE: &str = "Page";
pub const REPORT_PAGE_SEARCH: &str = "Search";
pub const REPORT_PAGE_PROFILE: &str = "Candidate profile";
pub const REPORT_PAGE_UNRECOGNISED: &str =
    "Not recognised (not a search or a candidate profile): the extension does nothing here";
pub const REPORT_ACCOUNT: &str = "Account (signed-in recruiter)";
pub const REPORT_SEARCH_TITLE: &str = "Search title";
pub const REPORT_SEARCH_OWNER: &str = "Search owner";
pub const REPORT_CARDS: &str = "Candidate cards";
pub const REPORT_NAME: &str = "Name";
pub const REPORT_HEADLINE: &str = "Headline";
pub const REPORT_LOCATION: &str = "Location";
pub const REPORT_EMAILS: &str = "Emails";
pub const REPORT_PHONES: &str = "Phones";
pub const REPORT_LINKEDIN: &str = "LinkedIn";
pub const REPORT_GITHUB: &str = "GitHub";
pub const REPORT_OTHER_LINKS: &str = "Other links";
pub const REPORT_STATUS: &str = "Status";
pub const REPORT_LIKE: &str = "Like button";
pub const REPORT_MORE_ACTIONS: &str = "More actions (⋮) button";
pub const REPORT_MENU: &str = "Send to Ashby in the ⋮ menu";
pub const REPORT_MENU_NOT_OPENED: &str = "the menu has not been opened yet";
pub const REPORT_MENU_PLACED: &str = "placed";
pub const REPORT_MENU_NOT_FOUND: &str = "the menu the ⋮ button opens was not recognised";
pub const REPORT_SENDABLE: &str = "Can be sent";
pub const REPORT_AUTOMATION: &str = "Automation";
pub const REPORT_FOUND: &str = "found";
pub const REPORT_MISSING: &str = "missing";
pub const REPORT_NOT_SHOWN: &str = "not shown";
pub const REPORT_YES: &str = "yes";
pub const REPORT_NO: &str = "no";
pub const BLOCKED_NO_ACCOUNT: &str = "blocked on this search: the signed-in Fetcher account is \
not recognised on the page, so uploads cannot be credited and ownership cannot be checked";
pub const BLOCKED_NO_OWNER: &str = "blocked on this search: its owner is not recognised on the \
page, so the extension cannot tell whether you may automate it";
pub const BLOCKED_NO_CARDS: &str =
    "blocked on this search: no candidate card on the page could be read";

/// "6 found, 6 readable, 5 with contact details".
pub fn report_cards(cards: u32, readable: u32, with_contact: u32) -> String {
    format!("{cards} found, {readable} readable, {with_contact} with contact details")
}

// ---- The popup at a glance ----------------------------------------------------------------

pub const CONNECTION_DETAILS: &str = "Connection details";
pub const ALL_PERMISSIONS_GRANTED: &str = "all permissions granted";

/// The rest of a healthy connection's one line: "Ashby user Jane Agency · all permissions granted".
pub fn connection_glance(user_name: &str) -> String {
    format!("Ashby user {user_name} · {ALL_PERMISSIONS_GRANTED}")
}

pub const UPLOADS_PAUSED_HEADING: &str = "Uploads paused";
pub const FILTER_SEARCHES: &str = "Filter searches";
pub const FILTER_SEARCHES_HINT: &str = "Type part of a title · Enter opens the first";

pub fn no_search_matches(query: &str) -> String {
    format!("No search title contains “{}”.", query.trim())
}

/// Marks the search open in the Fetcher tab in front of the recruiter.
pub const CURRENT_SEARCH: &str = "In your Fetcher tab";
pub const AUTOMATION_ON: &str = "Auto upload on";
pub const AUTOMATION_OFF: &str = "Auto upload off";
pub const NO_JOB_LINKED: &str = "No job linked";

/// A collapsed search's count: "3/10 uploaded", "3 uploaded" (no limit).
pub fn uploaded_short(uploaded: u32, limit: Option<u32>) -> String {
    match limit {
        Some(limit) => format!("{uploaded}/{limit} uploaded"),
        None => format!("{uploaded} uploaded"),
    }
}

/// "Today: 3 sent · 1 failed · 2 in the queue".
pub fn today_counts(sent: u32, failed: u32, queued: u32) -> String {
    format!("Today: {sent} sent · {failed} failed · {queued} in the queue")
}

/// The button that shows the whole recent list: "All recent uploads (12)".
pub fn all_recent_uploads(count: usize) -> String {
    format!("All recent uploads ({count})")
}

#[cfg(test)]
mod ashby_text_tests {
    use super::*;
    use crate::ashby::envelope::classify;
    use crate::ashby::http::{HttpResponse, TransportError};

    fn classified(status: u16, headers: &[(&str, &str)], body: &str) -> AshbyError {
        let response = HttpResponse {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.to_owned(),
        };
        classify(&response).expect_err("an error response")
    }

    #[test]
    fn every_error_class_has_its_message() {
        let missing_permission =
            include_str!("../tests/fixtures/ashby/error_missing_permission.json");
        let invalid_input = include_str!("../tests/fixtures/ashby/error_invalid_input.json");
        let invalid_key = include_str!("../tests/fixtures/ashby/error_invalid_key.json");
        let rate_limited = include_str!("../tests/fixtures/ashby/error_rate_limited.json");
        let cases: Vec<(AshbyError, String)> = vec![
            (classified(401, &[], ""), ASHBY_MISSING_KEY.to_owned()),
            (
                classified(403, &[], invalid_key),
                format!("{ASHBY_INVALID_KEY} (Ashby request id: 01JREQINVALIDKEY)"),
            ),
            (
                classified(200, &[], missing_permission),
                format!(
                    "{ASHBY_MISSING_PERMISSION} Ashby said: “The API key is missing the \
                     candidatesWrite permission”. (Ashby request id: 01JREQPERMISSION)"
                ),
            ),
            (
                classified(429, &[("Retry-After", "30")], rate_limited),
                format!("{ASHBY_RATE_LIMITED} Sending resumes in about 30 seconds."),
            ),
            (
                classified(429, &[("X-RateLimit-Scope", "integration-partner")], ""),
                format!("{ASHBY_PARTNER_RATE_LIMITED} Sending resumes shortly."),
            ),
            (
                classified(503, &[], ""),
                format!("{ASHBY_SERVER_ERROR} (HTTP 503)"),
            ),
            (
                TransportError::Network("dns".into()).into(),
                ASHBY_UNREACHABLE.to_owned(),
            ),
            (TransportError::Timeout.into(), ASHBY_TIMEOUT.to_owned()),
            (classified(200, &[], "<html>"), ASHBY_MALFORMED.to_owned()),
            (
                classified(200, &[], invalid_input),
                format!(
                    "{ASHBY_REFUSED} Ashby said: “linkedInUrl must be a valid URL”. \
                     (Ashby request id: 01JREQINVALIDINPUT)"
                ),
            ),
        ];
        for (error, expected) in cases {
            assert_eq!(ashby_error(&error), expected, "{error:?}");
        }
    }

    /// Each stored problem reads exactly as the English earlier versions stored (the e2e
    /// suites and recruiters' habits rely on these words).
    #[test]
    fn every_upload_problem_reads_as_before() {
        use crate::domain::{AshbyProblem as A, UploadProblem as U};
        let closed = A::Refused {
            code: "invalid_input".into(),
            ashby_said: "Job is Closed.".into(),
            request_id: Some("01JREQ".into()),
        };
        let cases: Vec<(U, &str)> = vec![
            (
                U::Ashby { error: closed },
                "Ashby refused the request. Ashby said: “Job is Closed”. (Ashby request id: \
                 01JREQ)",
            ),
            (
                U::Paused {
                    because: A::InvalidKey { request_id: None },
                },
                "Uploads to Ashby are paused. Ashby rejected the API key. Check that it is \
                 copied whole and still active, then connect again.",
            ),
            (
                U::Paused {
                    because: A::MissingPermission {
                        permission: Some(Permission::CandidatesWrite),
                        ashby_said: "missing_endpoint_permission".into(),
                        request_id: None,
                    },
                },
                "Uploads to Ashby are paused. Missing permission: Candidates: Write. The Ashby \
                 API key lacks a permission this needs. Ask an Ashby admin to grant it under \
                 Admin → Integrations → API Keys, then connect again. Ashby said: \
                 “missing_endpoint_permission”.",
            ),
            (
                U::Ashby {
                    error: A::RateLimited {
                        retry_after_ms: Some(90_000),
                        partner_limit: false,
                    },
                },
                "Ashby is receiving too many requests right now. Sending resumes in about 2 \
                 minutes.",
            ),
            (
                U::Ashby {
                    error: A::AshbyDown {
                        status: 502,
                        request_id: None,
                    },
                },
                "Ashby had a problem on its side. Try again in a few minutes. (HTTP 502)",
            ),
            (
                U::Ashby { error: A::Timeout },
                "Ashby took too long to answer. Try again in a moment.",
            ),
            (
                U::Ashby {
                    error: A::Unreachable,
                },
                "Could not reach Ashby. Check the internet connection and try again.",
            ),
            (
                U::MaybeCreated,
                "Ashby may have received this candidate, but its answer was lost and the \
                 candidate has no email or profile link to look them up by. Check Ashby for \
                 this candidate before choosing Retry, or a duplicate may be created.",
            ),
            (
                U::NoteUncertain,
                "Ashby's answer to adding the Fetcher note was lost; the note may be missing.",
            ),
            (
                U::DiscardedOtherConnection,
                "Not sent: it was queued for another Ashby connection, and you chose not to \
                 send it with this one.",
            ),
            (
                U::WaitingSameName { same_name: 1 },
                "waiting for the profile: Ashby already has a candidate with this name, who may \
                 be the same person; open the candidate's profile in Fetcher so the extension \
                 can check by email or LinkedIn",
            ),
            (
                U::OverApplicantLimit { limit: 2 },
                "the search reached its applicant limit of 2 candidates",
            ),
            (
                U::AutomationBraked { limit: 50 },
                "automation for this search is paused: more than 50 automatic uploads within \
                 10 minutes. Resume it in the extension's popup, or send this candidate by hand",
            ),
            (
                U::Legacy {
                    text: "Whatever an earlier version wrote.".into(),
                },
                "Whatever an earlier version wrote.",
            ),
        ];
        for (problem, expected) in cases {
            assert_eq!(upload_problem(&problem), expected, "{problem:?}");
        }
        assert_eq!(
            user_match(&UserMatch::LookupFailed {
                email: "rita@agency.com".into(),
                problem: AshbyProblem::Timeout,
            }),
            "Your Ashby user (rita@agency.com) could not be looked up. Ashby took too long to \
             answer. Try again in a moment. Uploads still work, but they are not credited to \
             anyone."
        );
    }

    /// Each reason the worker sends reads exactly as the English it sent before (the e2e
    /// suites and recruiters rely on these words).
    #[test]
    fn every_worker_problem_reads_as_before() {
        use crate::domain::{AutomationProblem as Auto, ReadOnlyReason as R, WorkerProblem as W};
        let cases: Vec<(W, &str)> = vec![
            (
                W::MessageRefused,
                "This request was refused: it did not come from this extension.",
            ),
            (
                W::StorageFailed,
                "The browser could not save the extension's data. Check the browser's storage \
                 and try again.",
            ),
            (
                W::ApiKeyMalformed,
                "That does not look like an Ashby API key. Copy the whole key from Ashby and \
                 paste it again.",
            ),
            (
                W::ApiKeyDisabled,
                "Ashby says this API key has been deactivated. Ask an Ashby admin for an active \
                 key (Admin → Integrations → API Keys), then connect again.",
            ),
            (
                W::ApiKeyCannotBeChecked,
                "This API key lacks the permission “API Keys: Read”, so the extension cannot \
                 check it. Ask an Ashby admin to add it, then connect again.",
            ),
            (
                W::ConnectInterrupted,
                "Disconnected while Ashby was checking the key, so the key was not saved. \
                 Connect again.",
            ),
            (
                W::ConnectFirst,
                "Connect Ashby first: open the Fetcher → Ashby extension from the browser \
                 toolbar and paste an Ashby API key.",
            ),
            (
                W::TooManyChecks,
                "Too many Ashby checks from Fetcher pages in a short time. Wait a minute and try \
                 again.",
            ),
            (
                W::Unavailable,
                "The Fetcher → Ashby extension is not answering. Reload the page, or reload the \
                 extension.",
            ),
            (
                W::NothingToRetry,
                "There is no failed upload of this candidate to retry. Send them again from the \
                 ⋮ menu.",
            ),
            (
                W::DraftGone,
                "This Send dialog has expired. Close it and open Send to Ashby again.",
            ),
            (
                W::UnknownSearch,
                "This search has not been seen on Fetcher yet. Open it in a tab first.",
            ),
            (
                W::Ashby(AshbyProblem::InvalidKey {
                    request_id: Some("01JREQ".into()),
                }),
                "Ashby rejected the API key. Check that it is copied whole and still active, \
                 then connect again. (Ashby request id: 01JREQ)",
            ),
            (
                W::ReadOnly(R::NotOwner {
                    owner: "lead@agency.com".into(),
                }),
                "Shared by lead@agency.com: only its owner can set up Ashby Sync for it.",
            ),
            (
                W::ReadOnly(R::AccountUnknown),
                "Open Fetcher in a tab so the extension can see who you are: only a search's \
                 owner can set up Ashby Sync for it.",
            ),
            (
                W::ReadOnly(R::OwnerUnknown),
                "Fetcher did not show who owns this search, so Ashby Sync cannot be set up for \
                 it.",
            ),
            (
                W::Automation(Auto::NoJob),
                "Choose an Ashby job before turning on automatic upload.",
            ),
            (
                W::Automation(Auto::BadLimit),
                "The applicant limit must be a whole number above 0, or empty for no limit.",
            ),
            (
                W::Automation(Auto::JobNotOpen {
                    title: Some("Backend".into()),
                }),
                "The job “Backend” is not open in Ashby, so candidates cannot be applied to it. \
                 Choose an open job.",
            ),
            (
                W::Automation(Auto::JobNotOpen { title: None }),
                "The chosen job is no longer open in Ashby, so candidates cannot be applied to \
                 it. Choose an open job.",
            ),
        ];
        for (problem, expected) in cases {
            assert_eq!(worker_problem(&problem), expected, "{problem:?}");
        }
        use crate::domain::Unsendable;
        assert_eq!(
            unsendable(&Unsendable::ProfileNotReadable),
            "This Fetcher page could not be read: the candidate's profile is not fully shown \
             yet. Try again in a moment."
        );
        assert_eq!(
            unsendable(&Unsendable::Worker(W::ConnectFirst)),
            worker_problem(&W::ConnectFirst)
        );
    }

    /// The popup's and options page's notices, and the Send dialog's "Matched by", read as
    /// the English the worker sent before.
    #[test]
    fn notices_read_as_before() {
        use crate::domain::{AutomationPaused, PageProblem, StorageProblem};
        use crate::upload::dedupe::MatchReason;
        assert_eq!(
            page_problem(&PageProblem::NotRecognised),
            "The last Fetcher page you opened is not a search or a candidate profile, so there \
             is nothing to send from it. Open a search or a candidate in Fetcher."
        );
        assert_eq!(
            page_problem(&PageProblem::ContentBlocked),
            "Fetcher's page blocked the extension (its security policy does not allow \
             WebAssembly), so Send to Ashby and upload statuses cannot appear there. Your \
             settings and queued uploads are safe; tell your Fetcher administrator or try again \
             after a reload."
        );
        // What an earlier version stored reads as it was written.
        let old = PageProblem::from(CONTENT_BLOCKED.to_owned());
        assert_eq!(page_problem(&old), CONTENT_BLOCKED);
        assert_eq!(
            automation_paused(&AutomationPaused { limit: 50, held: 1 }),
            "Automation paused: more than 50 automatic uploads within 10 minutes, so this looks \
             like more than a normal batch. 1 candidate held back (send them by hand if they \
             belong in Ashby). Resume when you have checked the search."
        );
        assert!(automation_paused(&AutomationPaused { limit: 50, held: 3 })
            .contains(" 3 candidates held back "));
        let storage = [
            (
                StorageProblem::UnreadableVersion,
                "the record of which version saved the settings was unreadable",
            ),
            (
                StorageProblem::NewerVersion(3),
                "the settings were saved by a newer version of the extension (schema 3); what \
                 this version cannot read was dropped",
            ),
            (
                StorageProblem::Corrupt {
                    key: "automation/s1".into(),
                },
                "a search's automation settings (automation/s1)",
            ),
            (
                StorageProblem::Legacy {
                    text: "the saved API key (connect again) (ashbyApiKey)".into(),
                },
                "the saved API key (connect again) (ashbyApiKey)",
            ),
        ];
        for (problem, expected) in storage {
            assert_eq!(storage_problem(&problem), expected, "{problem:?}");
        }
        assert_eq!(
            matched_by(&MatchReason::Email("jane@x.com".into())),
            "the email jane@x.com"
        );
        assert_eq!(
            matched_by(&MatchReason::LinkedIn),
            "the same LinkedIn profile"
        );
        assert_eq!(matched_by(&MatchReason::GitHub), "the same GitHub profile");
    }

    #[test]
    fn a_card_shows_the_problem_where_it_showed_the_text() {
        use crate::domain::UploadProblem;
        use crate::upload::outbox::{UploadOrigin, UploadRecord, UploadStatus};
        let record = |status, error| UploadRecord {
            status,
            job_id: "00000001-0000-4000-8000-000000000001".parse().unwrap(),
            job_title: "Backend".into(),
            ashby_candidate_id: None,
            profile_url: None,
            application_id: None,
            reused: false,
            matched_by: None,
            at_ms: crate::domain::EpochMs::from_clock(0.0),
            error,
            origin: UploadOrigin::Manual,
        };
        let line = |status, error| upload_status_line(&record(status, error), "09:00");
        assert_eq!(
            line(UploadStatus::Failed, Some(UploadProblem::MaybeCreated)),
            format!("Ashby upload failed: {UPLOAD_MAYBE_CREATED}")
        );
        assert_eq!(
            line(UploadStatus::Failed, None),
            "Ashby upload failed: Ashby did not accept the upload."
        );
        assert_eq!(
            line(
                UploadStatus::Skipped,
                Some(UploadProblem::OverApplicantLimit { limit: 1 })
            ),
            "Not sent to Ashby · Backend · the search reached its applicant limit of 1 candidate"
        );
        assert_eq!(
            line(UploadStatus::Skipped, None),
            "Not sent to Ashby · Backend · the search reached its applicant limit"
        );
        assert_eq!(
            line(
                UploadStatus::Queued,
                Some(UploadProblem::WaitingSameName { same_name: 0 })
            ),
            "Queued for Ashby · Backend · waiting for the profile: the card shows no name, \
             email or LinkedIn profile; open the candidate's profile in Fetcher"
        );
    }

    #[test]
    fn held_uploads_are_counted_and_named() {
        assert!(held_uploads_summary(1).starts_with("1 upload was queued"));
        assert!(held_uploads_summary(1).contains("has not been sent. Send it"));
        assert!(held_uploads_summary(3).starts_with("3 uploads were queued"));
        assert!(held_uploads_summary(3).contains("have not been sent. Send them"));
        assert_eq!(
            held_upload_line(" Jane Doe ", "Senior Backend Engineer"),
            "Jane Doe — Senior Backend Engineer"
        );
        assert_eq!(held_upload_line("", ""), UNNAMED_CANDIDATE);
    }

    #[test]
    fn a_missing_permission_names_which_one() {
        let error = AshbyError::MissingPermission {
            message: "missing_endpoint_permission".into(),
            request_id: None,
            permission: Some(Permission::CandidatesWrite),
        };
        let message = ashby_error(&error);
        assert!(
            message.starts_with("Missing permission: Candidates: Write. "),
            "{message}"
        );
        assert!(!message.contains(ASHBY_INVALID_KEY));
    }

    #[test]
    fn the_invalid_key_message_is_the_agreed_one() {
        assert_eq!(
            ashby_error(&AshbyError::InvalidKey {
                message: None,
                request_id: None
            }),
            "Ashby rejected the API key. Check that it is copied whole and still active, then \
             connect again."
        );
    }

    #[test]
    fn rate_limit_waits_read_naturally() {
        assert_eq!(duration(0), "1 second");
        assert_eq!(duration(1_000), "1 second");
        assert_eq!(duration(59_000), "59 seconds");
        assert_eq!(duration(59_001), "1 minute");
        assert_eq!(duration(60_000), "1 minute");
        assert_eq!(duration(61_000), "2 minutes");
    }

    #[test]
    fn every_needed_permission_has_a_label_and_purpose() {
        for permission in Permission::NEEDED {
            assert!(!permission_label(permission).is_empty());
            assert!(!permission_purpose(permission).is_empty());
        }
        assert_eq!(
            missing_permission_lines(&[Permission::JobsRead]),
            ["Jobs: Read — lists your Ashby jobs so you can pick one"]
        );
    }
}
