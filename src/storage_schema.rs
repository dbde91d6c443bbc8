//! The one versioned schema of what the connection, the popup and the options page store, with
//! the migrations from every earlier version and the rules that keep stored data trustworthy.
//! Pure Rust (JSON values in, a plan of writes out): the worker applies the plan, the tests
//! run natively.
//!
//! Storage layout (`chrome.storage.local` unless said otherwise). Every key is a
//! [`keys::StorageKey`], formatted and parsed there; a test checks that these tables list
//! exactly its kinds.
//!
//! | key | value | since |
//! |---|---|---|
//! | `schemaVersion` | [`CURRENT_VERSION`] | 2 |
//! | `ashbyApiKey` | the API key; only in version 1 here: now in `chrome.storage.session` or, remembered, the worker's IndexedDB (per `settings/keyStorage`), where content scripts cannot read it; read only by the worker | 1 |
//! | `ashbyConnection` | version 1's connection record (`{connected, keyTitle, scopes}`); migrated to `connection` | 1 |
//! | `settings/keyStorage` | [`KeyStorage`] | 2 |
//! | `connection` | [`StoredConnection`]: what Ashby said about the key, and the matched Ashby user | 2 |
//! | `fetcher/account` | [`AccountSeen`]: the Fetcher account last seen in a tab | 2 |
//! | `search/<searchId>` | [`SearchSeen`]: a Fetcher search seen in a tab | 2 |
//! | `automation/<searchId>` | [`SearchAutomation`] ("Ashby Sync") | 2 |
//! | `storage/report` | [`StorageReport`]: what the last migration had to reset | 2 |
//!
//! Version 1 (the first release) stored only `ashbyApiKey` (always in `.local`) and
//! `ashbyConnection` (`{connected, keyTitle, scopes}`), and had no `schemaVersion`.
//!
//! Other modules own these keys; this schema never touches them, except that `cache/…` keys
//! ([`CACHE_PREFIX`]) are dropped on disconnect:
//!
//! | key | value | owner |
//! |---|---|---|
//! | `fetcher/accountEmail` | where earlier builds kept the account email; removed when the outbox prunes | worker's outbox |
//! | `fetcher/pageProblem` | [`crate::domain::PageProblem`]: what went wrong on the last Fetcher page (a string: its name, or an earlier version's English) | worker's connection |
//! | `cache/jobs` | [`crate::job_picker::JobCache`] as JSON text (earlier versions: as an object, still read) | worker's jobs |
//! | `cache/uploadContext` | the "Fetcher" source and credited user for the account | worker's outbox |
//! | `lastJob/<searchId>` | the job a search's candidates were last sent to | worker's jobs |
//! | `outbox/index` | the outbox's index of entries | [`crate::upload::outbox`] |
//! | `outbox/prunedAt` | when finished entries were last pruned (epoch ms) | [`crate::upload::outbox`] |
//! | `outbox/paused` | why the queue is paused (an `UploadProblem`, English only when shown) | [`crate::upload::runner`] |
//! | `outbox/rate` | the upload rate guard's state | [`crate::upload::runner`] |
//! | `outbox/connection` | the fingerprint of the connection new uploads belong to | [`crate::upload::held`] |
//! | `outbox/<searchId>/<candidateId>/<jobId>` | [`crate::upload::outbox::OutboxEntry`] | [`crate::upload::outbox`] |
//! | `upload/<searchId>/<candidateId>` | [`crate::upload::outbox::UploadRecord`]: what the card shows | [`crate::upload::outbox`] |
//! | `uploadDigest/<searchId>` | [`crate::upload::digest`]: a copy of the search's newest upload records in one value, so a search page's first statuses need one storage read (the records stay the truth) | worker's upload digest |
//! | `history/<searchId>/<candidateId>` | what automation observed of a candidate | [`crate::automation::batch`] |
//! | `autoUploads/<searchId>` | how many uploads automation made for a search | [`crate::automation::batch`] |
//! | `autoBrake/<searchId>` | [`crate::automation::brake::Brake`] | [`crate::automation::brake`] |
//! | `historyForgotten` | [`crate::automation::retention::ForgottenSketch`] of forgotten candidates | [`crate::automation::retention`] |
//! | `storageFullAt` | `chrome.storage.session`: when a write last failed for the quota | worker's quota |
//! | `sendDraft/<tabId>` | `chrome.storage.session`: [`crate::send_draft::Draft`], the Send dialog's candidate | worker's send drafts |
//! | `popup/connection` | `chrome.storage.session`: the worker's last [`crate::messages::ConnectionView`] (JSON text), what the popup shows until the worker answers | worker's popup views |
//! | `popup/searches` | `chrome.storage.session`: the worker's last [`crate::messages::SearchesView`] (JSON text), likewise | worker's popup views |

use crate::domain::email::{account_form, same_address as same_email};
pub use crate::domain::UserMatch;
use crate::domain::{
    CleanText, Email, EpochMs, JobChoice, ReadOnlyReason, SearchAutomation, SearchId,
};
use crate::from_json::{Fields, FromJson, Mismatch};
use crate::json_text::Json;
use crate::json_writer::{Object, WriteJson};
use crate::to_json::value as to_value;
#[cfg(not(target_arch = "wasm32"))]
use serde::Deserialize;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

pub mod keys;

pub const SCHEMA_VERSION_KEY: &str = keys::SCHEMA_VERSION;
/// The version this build writes.
pub const CURRENT_VERSION: u64 = 2;

pub const API_KEY: &str = keys::API_KEY;
pub const KEY_STORAGE: &str = keys::KEY_STORAGE;
pub const CONNECTION: &str = keys::CONNECTION;
pub const ACCOUNT: &str = keys::ACCOUNT;
pub const SEARCH_PREFIX: &str = keys::SEARCH_PREFIX;
pub const AUTOMATION_PREFIX: &str = keys::AUTOMATION_PREFIX;
pub const REPORT: &str = keys::REPORT;
/// Cached Ashby answers (other modules' caches too): forgotten on disconnect.
pub const CACHE_PREFIX: &str = keys::CACHE_PREFIX;

/// Version 1's connection record.
pub const V1_CONNECTION: &str = keys::V1_CONNECTION;

/// Longest API key accepted (Ashby keys are far shorter).
pub use crate::domain::MAX_API_KEY_LEN;
/// A search's title as kept: page text, cleaned and bounded.
pub type SearchTitle = CleanText<300>;
/// At most this many searches are remembered (the least recently seen are dropped).
pub const MAX_SEARCHES: usize = 200;

/// `search/<id>`.
pub fn search_key(search_id: &SearchId) -> String {
    keys::search(search_id)
}

/// `automation/<id>`.
pub fn automation_key(search_id: &SearchId) -> String {
    keys::automation(search_id)
}

/// Where the API key lives: only until the browser closes (`chrome.storage.session`, which
/// content scripts cannot read) or remembered (`Local`: the worker's IndexedDB, likewise out of
/// their reach; the name is kept for stored values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub enum KeyStorage {
    #[default]
    Session,
    Local,
}

/// What Ashby said about the saved key (`apiKey.info`), and the matched user. Never the key.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct StoredConnection {
    pub key_title: String,
    pub scopes: Vec<String>,
    /// When Ashby last accepted the key (epoch ms; 0 when migrated from version 1).
    #[serde(default)]
    pub checked_at_ms: EpochMs,
    #[serde(default)]
    pub user: UserMatch,
    /// The Fetcher account the recruiter connected as (recorded at Connect, or the first one a
    /// page shows after it) or confirmed in the popup since: uploads are credited to its
    /// Ashby user, and to no other.
    #[serde(default)]
    pub confirmed_account: Option<Email>,
    /// A different Fetcher account a page showed since, waiting for the recruiter to confirm
    /// it in the popup (until then uploads stay credited to `confirmed_account`).
    #[serde(default)]
    pub account_change: Option<Email>,
}

impl StoredConnection {
    /// A page showed the Fetcher account `email` (already clean). Returns whether the Ashby
    /// user must be looked up for it: only for the confirmed account, and only when the match
    /// on record is for another email. A different account is only noted for confirmation,
    /// so a page switching accounts causes no Ashby call and moves no credit.
    pub fn account_shown(&mut self, email: &Email) -> bool {
        match self.confirmed_account.as_deref() {
            Some(confirmed) if !same_email(confirmed, email) => {
                self.account_change = Some(email.clone());
                return false;
            }
            Some(_) => {}
            None => self.confirmed_account = Some(email.clone()),
        }
        self.account_change = None;
        !self
            .user
            .fetcher_email()
            .is_some_and(|matched| same_email(matched, email))
    }

    /// The recruiter confirmed the account awaiting confirmation (`email`, as the popup showed
    /// it). `false` when that is not the one waiting (the page changed it meanwhile).
    pub fn confirm_account(&mut self, email: &Email) -> bool {
        let waiting = self
            .account_change
            .as_deref()
            .is_some_and(|change| same_email(change, email));
        if waiting {
            self.confirmed_account = self.account_change.take();
        }
        waiting
    }
}

/// The Fetcher account last seen in a tab.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct AccountSeen {
    pub email: Email,
    pub seen_at_ms: EpochMs,
}

/// A Fetcher search seen in a tab.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct SearchSeen {
    pub search_id: SearchId,
    #[serde(default)]
    pub title: Option<SearchTitle>,
    #[serde(default)]
    pub owner_email: Option<Email>,
    pub last_seen_ms: EpochMs,
}

/// What the last migration found unreadable and reset (shown on the options page).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct StorageReport {
    pub at_ms: EpochMs,
    /// Earlier versions stored each problem's English: it reads as [`Problem::Legacy`].
    pub problems: Vec<Problem>,
}

impl KeyStorage {
    /// Its name in storage and messages (serde's), read by `FromJson` and written by
    /// `WriteJson` alike.
    pub const fn name(self) -> &'static str {
        match self {
            KeyStorage::Session => "session",
            KeyStorage::Local => "local",
        }
    }
}

impl FromJson for KeyStorage {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        const NAMES: [(&str, KeyStorage); 2] = [
            (KeyStorage::Session.name(), KeyStorage::Session),
            (KeyStorage::Local.name(), KeyStorage::Local),
        ];
        crate::from_json::named(json, &NAMES, "where the key is kept")
    }
}

impl FromJson for StoredConnection {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(StoredConnection {
            key_title: fields.required("keyTitle")?,
            scopes: fields.required("scopes")?,
            checked_at_ms: fields.or_default("checkedAtMs")?,
            user: fields.or_default("user")?,
            confirmed_account: fields.or_default("confirmedAccount")?,
            account_change: fields.or_default("accountChange")?,
        })
    }
}

impl FromJson for AccountSeen {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(AccountSeen {
            email: fields.required("email")?,
            seen_at_ms: fields.required("seenAtMs")?,
        })
    }
}

impl FromJson for SearchSeen {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(SearchSeen {
            search_id: fields.required("searchId")?,
            title: fields.or_default("title")?,
            owner_email: fields.or_default("ownerEmail")?,
            last_seen_ms: fields.required("lastSeenMs")?,
        })
    }
}

impl FromJson for StorageReport {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(StorageReport {
            at_ms: fields.required("atMs")?,
            problems: fields.required("problems")?,
        })
    }
}

crate::deserialize_through_from_json!(
    KeyStorage,
    StoredConnection,
    AccountSeen,
    SearchSeen,
    StorageReport
);

// Hand-written encoders (`crate::json_writer`): what serde's derives above write, without
// serde in the worker's wasm. The tests hold each to its derive.

crate::write_json_as!(name: KeyStorage);

impl WriteJson for StoredConnection {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("keyTitle", &self.key_title)
            .member("scopes", &self.scopes)
            .member("checkedAtMs", &self.checked_at_ms)
            .member("user", &self.user)
            .member_some("confirmedAccount", &self.confirmed_account)
            .member_some("accountChange", &self.account_change);
        object.close();
    }
}

impl WriteJson for AccountSeen {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("email", &self.email)
            .member("seenAtMs", &self.seen_at_ms);
        object.close();
    }
}

impl WriteJson for SearchSeen {
    /// Absent title and owner are written as `null` (no `skip_serializing_none` here).
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("searchId", &self.search_id)
            .member("title", &self.title)
            .member("ownerEmail", &self.owner_email)
            .member("lastSeenMs", &self.last_seen_ms);
        object.close();
    }
}

impl WriteJson for StorageReport {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("atMs", &self.at_ms)
            .member("problems", &self.problems);
        object.close();
    }
}

// ---- Validation of what tabs report ---------------------------------------------------------

/// Only the search's owner (owner email = Fetcher account email) may set its automation;
/// anyone else gets why they may only look.
pub fn edit_right(search: &SearchSeen, account_email: Option<&str>) -> Result<(), ReadOnlyReason> {
    let Some(account) = account_email else {
        return Err(ReadOnlyReason::AccountUnknown);
    };
    match search.owner_email.as_deref() {
        None => Err(ReadOnlyReason::OwnerUnknown),
        Some(owner) if same_email(owner, account) => Ok(()),
        Some(owner) => Err(ReadOnlyReason::NotOwner {
            owner: owner.to_owned(),
        }),
    }
}

// ---- Automation settings --------------------------------------------------------------------

pub use crate::domain::AutomationProblem;

/// The "Applicant limit" box: empty = no limit; otherwise a positive whole number.
pub fn parse_limit(input: &str) -> Result<Option<u32>, AutomationProblem> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    match input.parse::<u32>() {
        Ok(limit) if limit > 0 && input.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(limit)),
        _ => Err(AutomationProblem::BadLimit),
    }
}

/// Checks a setting before it is saved. `jobs` is the open-job list when known (`None` when
/// Ashby could not be asked: the job is then taken on trust).
pub fn validate_automation(
    automation: &SearchAutomation,
    jobs: Option<&[JobChoice]>,
) -> Result<(), AutomationProblem> {
    if automation.applicant_limit == Some(0) {
        return Err(AutomationProblem::BadLimit);
    }
    let job_id = automation.job_id.as_ref();
    if automation.enabled && job_id.is_none() {
        return Err(AutomationProblem::NoJob);
    }
    if let (Some(job_id), Some(jobs)) = (job_id, jobs) {
        match jobs.iter().find(|job| &job.id == job_id) {
            Some(job) if job.status.is_open() => {}
            found if automation.enabled => {
                return Err(AutomationProblem::JobNotOpen {
                    title: found.map(|job| job.title.clone()),
                })
            }
            _ => {}
        }
    }
    Ok(())
}

/// The setting to store: `enabled_at_ms` is set when automation is turned on or its trigger
/// changes while on, kept otherwise, and cleared when it is turned off.
pub fn stamp_automation(
    previous: Option<&SearchAutomation>,
    mut next: SearchAutomation,
    now_ms: u64,
) -> SearchAutomation {
    next.enabled_at_ms = match previous {
        _ if !next.enabled => None,
        Some(before) if before.enabled && before.trigger == next.trigger => {
            before.enabled_at_ms.or(Some(now_ms))
        }
        _ => Some(now_ms),
    };
    next
}

/// Whether the job linked to a search is still open: `None` when it is (or when unknown).
pub fn job_flag(job_id: Option<&str>, open_jobs: &[JobChoice]) -> Option<JobFlag> {
    let job_id = job_id?;
    match open_jobs.iter().find(|job| job.id == job_id) {
        Some(job) if job.status.is_open() => None,
        Some(job) => Some(JobFlag::NotOpen {
            title: job.title.clone(),
            status: job.status,
        }),
        None => Some(JobFlag::Gone),
    }
}

/// A linked job that automation cannot apply candidates to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobFlag {
    NotOpen {
        title: String,
        status: crate::domain::JobStatus,
    },
    /// Not among Ashby's open jobs any more (closed, archived or deleted).
    Gone,
}

/// How many candidates a search's automation has sent (or queued) to Ashby, from the upload
/// records `upload/<searchId>/<candidateId>` (each a `UploadRecord` as JSON).
pub fn automatic_uploads(search_id: &str, all: &BTreeMap<String, Value>) -> u32 {
    let prefix = format!("{}{search_id}/", keys::UPLOAD_PREFIX);
    let count = all
        .iter()
        .filter(|(key, _)| {
            key.strip_prefix(&prefix)
                .is_some_and(|id| !id.contains('/'))
        })
        .filter(|(_, record)| {
            record
                .get("origin")
                .and_then(|origin| origin.get("kind"))
                .and_then(Value::as_str)
                == Some("automatic")
        })
        .count();
    u32::try_from(count).unwrap_or(u32::MAX)
}

// ---- Migrations -----------------------------------------------------------------------------

/// One thing found wrong in storage, and what was done about it.
pub use crate::domain::StorageProblem as Problem;

/// What to write to bring storage to [`CURRENT_VERSION`]: `set` then `remove`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Migration {
    /// The version found (`None` when unreadable).
    pub from: Option<u64>,
    pub set: Vec<(String, Value)>,
    pub remove: Vec<String>,
    pub problems: Vec<Problem>,
}

impl Migration {
    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.remove.is_empty()
    }
}

/// The version storage is at: absent `schemaVersion` = version 1 (the first release had none;
/// a fresh install has nothing to migrate either way).
fn found_version(all: &BTreeMap<String, Value>) -> Result<u64, Problem> {
    match all.get(SCHEMA_VERSION_KEY) {
        None => Ok(1),
        Some(value) => match value.as_u64() {
            Some(v) if (1..=CURRENT_VERSION).contains(&v) => Ok(v),
            Some(v) if v > CURRENT_VERSION => Err(Problem::NewerVersion(v)),
            _ => Err(Problem::UnreadableVersion),
        },
    }
}

/// Plans the migration of `all` (a snapshot of `chrome.storage.local`) to the current
/// version. Never fails: whatever cannot be read is removed and reported.
pub fn migrate(all: &BTreeMap<String, Value>) -> Migration {
    let mut state = all.clone();
    let mut plan = Migration::default();
    let version = match found_version(all) {
        Ok(v) => Some(v),
        Err(problem) => {
            plan.problems.push(problem);
            None
        }
    };
    plan.from = version.or_else(|| all.get(SCHEMA_VERSION_KEY).and_then(Value::as_u64));
    // Each step takes storage from version n to n + 1. An unreadable or newer version runs no
    // step: the validation below keeps what the current version can read and drops the rest.
    if let Some(mut v) = version {
        while v < CURRENT_VERSION {
            match v {
                1 => v1_to_v2(&mut state),
                _ => unreachable!("no step from version {v}"),
            }
            v += 1;
        }
    }
    plan.problems.extend(validate(&mut state));
    if state.get(SCHEMA_VERSION_KEY) != Some(&Value::from(CURRENT_VERSION)) {
        state.insert(SCHEMA_VERSION_KEY.into(), Value::from(CURRENT_VERSION));
    }
    for (key, value) in &state {
        if all.get(key) != Some(value) {
            plan.set.push((key.clone(), value.clone()));
        }
    }
    for key in all.keys() {
        if !state.contains_key(key) {
            plan.remove.push(key.clone());
        }
    }
    plan
}

/// Version 1 → 2: the connection record gets its own shape (and the user match); the key
/// stays where version 1 kept it, so upgrading does not disconnect anyone.
fn v1_to_v2(state: &mut BTreeMap<String, Value>) {
    /// Version 1's connection record (every member optional), read by hand like every other.
    struct V1Connection {
        connected: bool,
        key_title: Option<String>,
        scopes: Vec<String>,
    }
    impl FromJson for V1Connection {
        fn from_json(json: &Json) -> Result<Self, Mismatch> {
            let fields = Fields::of(json)?;
            Ok(V1Connection {
                connected: fields.or_default("connected")?,
                key_title: fields.optional("keyTitle")?,
                scopes: fields.or_default("scopes")?,
            })
        }
    }
    if let Some(old) = state.remove(V1_CONNECTION) {
        if let Ok(V1Connection {
            connected: true,
            key_title,
            scopes,
        }) = V1Connection::from_value(&old)
        {
            let connection = StoredConnection {
                key_title: key_title.unwrap_or_default(),
                scopes,
                checked_at_ms: EpochMs::from_clock(0.0),
                user: UserMatch::Unknown,
                ..StoredConnection::default()
            };
            state.insert(CONNECTION.into(), to_value(&connection));
        }
    }
    if state.contains_key(API_KEY) {
        state.insert(KEY_STORAGE.into(), to_value(&KeyStorage::Local));
    }
}

fn reads_as<T: FromJson>(value: &Value) -> Option<T> {
    T::from_value(value).ok()
}

/// Removes every value of this schema that the current version cannot read.
fn validate(state: &mut BTreeMap<String, Value>) -> Vec<Problem> {
    let mut bad: Vec<String> = Vec::new();
    for (key, value) in state.iter() {
        let ok = match key.as_str() {
            API_KEY => value.as_str().is_some_and(|k| {
                !k.trim().is_empty() && k.len() <= MAX_API_KEY_LEN && k.is_ascii()
            }),
            KEY_STORAGE => reads_as::<KeyStorage>(value).is_some(),
            CONNECTION => reads_as::<StoredConnection>(value).is_some(),
            ACCOUNT => {
                reads_as::<AccountSeen>(value).is_some_and(|a| account_form(&a.email).is_some())
            }
            REPORT => reads_as::<StorageReport>(value).is_some(),
            V1_CONNECTION => false,
            _ => {
                if let Some(id) = key.strip_prefix(SEARCH_PREFIX) {
                    // The id is typed: equal to it, the key's is valid too.
                    reads_as::<SearchSeen>(value).is_some_and(|s| s.search_id == id)
                } else if let Some(id) = key.strip_prefix(AUTOMATION_PREFIX) {
                    reads_as::<SearchAutomation>(value)
                        .is_some_and(|a| a.search_id == id && a.applicant_limit != Some(0))
                } else {
                    true // another module's key
                }
            }
        };
        if !ok {
            bad.push(key.clone());
        }
    }
    bad.into_iter()
        .map(|key| {
            state.remove(&key);
            // A leftover version-1 record is not a problem worth reporting.
            Problem::Corrupt { key }
        })
        .filter(|p| !matches!(p, Problem::Corrupt { key } if key == V1_CONNECTION))
        .collect()
}

/// The ids of the searches to forget so at most [`MAX_SEARCHES`] remain: the least recently
/// seen first, never one that has automation settings.
pub fn searches_to_forget(
    searches: &[SearchSeen],
    with_automation: &dyn Fn(&SearchId) -> bool,
) -> Vec<SearchId> {
    if searches.len() <= MAX_SEARCHES {
        return Vec::new();
    }
    let mut candidates: Vec<&SearchSeen> = searches
        .iter()
        .filter(|s| !with_automation(&s.search_id))
        .collect();
    crate::sorting::sort_by_key(&mut candidates, |s| s.last_seen_ms);
    candidates
        .into_iter()
        .take(searches.len() - MAX_SEARCHES)
        .map(|s| s.search_id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{JobStatus, Trigger};
    use serde_json::json;

    #[test]
    fn stored_records_are_written_as_serde_writes_them() {
        use crate::json_writer::testing::{awkward_text, same_as_serde};
        same_as_serde(&KeyStorage::Session);
        same_as_serde(&KeyStorage::Local);

        let email = |text: &str| Email::parse(text).unwrap();
        same_as_serde(&StoredConnection::default());
        same_as_serde(&StoredConnection {
            key_title: awkward_text(),
            scopes: vec!["candidates:read".into(), awkward_text()],
            checked_at_ms: EpochMs::from_clock(1_764_000_000_123.0),
            user: UserMatch::Found {
                user_id: "u-1".into(),
                name: awkward_text(),
                email: email("rita@agency.com"),
            },
            confirmed_account: Some(email("rita@agency.com")),
            account_change: Some(email("J.Doe+x@Example.org")),
        });
        same_as_serde(&StoredConnection {
            key_title: "Fetcher".into(),
            scopes: vec![],
            checked_at_ms: EpochMs::from_clock(0.0),
            user: UserMatch::NotFound {
                email: email("rita@agency.com"),
            },
            confirmed_account: None,
            account_change: Some(email("other@agency.com")),
        });

        same_as_serde(&AccountSeen {
            email: email("J.Doe+x@Example.org"),
            seen_at_ms: EpochMs::from_clock(1_764_000_000_000.0),
        });

        let title = SearchTitle::new(&awkward_text()).unwrap();
        same_as_serde(&SearchSeen {
            search_id: "search-1".parse().unwrap(),
            title: Some(title),
            owner_email: Some(email("rita@agency.com")),
            last_seen_ms: EpochMs::from_clock(1_764_000_000_000.0),
        });
        same_as_serde(&SearchSeen {
            search_id: "search-1".parse().unwrap(),
            title: None,
            owner_email: None,
            last_seen_ms: EpochMs::default(),
        });

        same_as_serde(&StorageReport::default());
        same_as_serde(&StorageReport {
            at_ms: EpochMs::from_clock(1_764_000_000_000.0),
            problems: vec![
                Problem::UnreadableVersion,
                Problem::NewerVersion(u64::MAX),
                Problem::Corrupt {
                    key: awkward_text(),
                },
                Problem::Legacy {
                    text: awkward_text(),
                },
            ],
        });
    }

    fn snapshot(items: Value) -> BTreeMap<String, Value> {
        serde_json::from_value(items).unwrap()
    }

    fn apply(all: &BTreeMap<String, Value>, plan: &Migration) -> BTreeMap<String, Value> {
        let mut after = all.clone();
        for (key, value) in &plan.set {
            after.insert(key.clone(), value.clone());
        }
        for key in &plan.remove {
            after.remove(key);
        }
        after
    }

    fn automation(search_id: &str) -> SearchAutomation {
        SearchAutomation {
            search_id: search_id.into(),
            job_id: Some("00000001-0000-4000-8000-000000000001".into()),
            enabled: true,
            trigger: Trigger::OnReply,
            applicant_limit: Some(10),
            enabled_at_ms: Some(5),
        }
    }

    #[test]
    fn a_fresh_install_only_gets_the_version() {
        let plan = migrate(&BTreeMap::new());
        assert_eq!(plan.set, vec![(SCHEMA_VERSION_KEY.into(), json!(2))]);
        assert!(plan.remove.is_empty() && plan.problems.is_empty());
    }

    #[test]
    fn version_1_keeps_the_key_remembered_and_reshapes_the_connection() {
        let v1 = snapshot(json!({
            "ashbyApiKey": "sandbox-key-full",
            "ashbyConnection": {"connected": true, "keyTitle": "Fetcher extension", "scopes": ["jobs:read"]},
            "cache/jobs": {"fetchedAtMs": 1.0, "jobs": []},
            "outbox/index": []
        }));
        let plan = migrate(&v1);
        assert_eq!(plan.from, Some(1));
        assert!(plan.problems.is_empty(), "{:?}", plan.problems);
        let after = apply(&v1, &plan);
        assert_eq!(after["schemaVersion"], json!(2));
        assert_eq!(after["ashbyApiKey"], json!("sandbox-key-full"));
        assert_eq!(after[KEY_STORAGE], json!("local"));
        let connection: StoredConnection =
            serde_json::from_value(after[CONNECTION].clone()).unwrap();
        assert_eq!(connection.key_title, "Fetcher extension");
        assert_eq!(connection.scopes, ["jobs:read"]);
        assert_eq!(connection.user, UserMatch::Unknown);
        assert!(!after.contains_key(V1_CONNECTION));
        // Other modules' keys are untouched.
        assert_eq!(after["cache/jobs"], v1["cache/jobs"]);
        assert_eq!(after["outbox/index"], json!([]));
        // Migrating again changes nothing.
        assert!(migrate(&after).is_empty());
    }

    #[test]
    fn version_1_disconnected_or_odd_records_migrate_to_nothing() {
        for old in [json!({"connected": false}), json!("garbage"), json!(null)] {
            let v1 = snapshot(json!({ "ashbyConnection": old }));
            let after = apply(&v1, &migrate(&v1));
            assert_eq!(after, snapshot(json!({"schemaVersion": 2})), "{old}");
        }
    }

    #[test]
    fn the_current_version_round_trips_unchanged() {
        let v2 = snapshot(json!({
            "schemaVersion": 2,
            "ashbyApiKey": "k",
            "settings/keyStorage": "session",
            "connection": to_value(&StoredConnection {
                key_title: "t".into(),
                scopes: vec![],
                checked_at_ms: EpochMs::from_clock(3.0),
                user: UserMatch::Found { user_id: "u".into(), name: "Jane".into(), email: "jane@agency.com".into() },
                ..StoredConnection::default()
            }),
            "fetcher/account": {"email": "jane@agency.com", "seenAtMs": 1.0},
            "search/s1": {"searchId": "s1", "title": "Eng", "ownerEmail": "jane@agency.com", "lastSeenMs": 1.0},
            "automation/s1": to_value(&automation("s1")),
            "storage/report": {"atMs": 1.0, "problems": []}
        }));
        let plan = migrate(&v2);
        assert!(plan.is_empty(), "{plan:?}");
        assert!(plan.problems.is_empty());
    }

    #[test]
    fn a_storage_report_in_english_or_typed_is_kept() {
        for problems in [
            json!(["a search seen on Fetcher (search/s1)"]),
            json!([{"kind": "corrupt", "key": "search/s1"}, {"kind": "newerVersion", "version": 3}]),
        ] {
            let v2 = snapshot(json!({
                "schemaVersion": 2,
                "storage/report": {"atMs": 1.0, "problems": problems}
            }));
            assert!(migrate(&v2).is_empty(), "{problems}");
        }
    }

    #[test]
    fn automation_from_before_enabled_at_still_reads() {
        let v2 = snapshot(json!({
            "schemaVersion": 2,
            "automation/s1": {"searchId": "s1", "jobId": "j", "enabled": true, "trigger": "OnLike", "applicantLimit": null}
        }));
        assert!(migrate(&v2).is_empty());
    }

    #[test]
    fn corrupt_values_are_removed_and_reported() {
        let v2 = snapshot(json!({
            "schemaVersion": 2,
            "ashbyApiKey": 42,
            "settings/keyStorage": "somewhere",
            "connection": {"keyTitle": 7},
            "fetcher/account": {"email": "not an email", "seenAtMs": 1},
            "search/s1": {"searchId": "other", "lastSeenMs": 1},
            "search/s2": {"searchId": "s2", "lastSeenMs": 1},
            "automation/s1": {"searchId": "s1", "enabled": true, "trigger": "Sometimes"},
            "automation/s2": {"searchId": "s2", "jobId": "j", "enabled": true, "trigger": "OnLike", "applicantLimit": 0},
            "automation/bad id": {"searchId": "bad id", "jobId": "j", "enabled": true, "trigger": "OnLike"},
            "upload/s1/c1": "not mine to judge"
        }));
        let plan = migrate(&v2);
        let after = apply(&v2, &plan);
        let mut removed = plan.remove.clone();
        removed.sort();
        assert_eq!(
            removed,
            [
                "ashbyApiKey",
                "automation/bad id",
                "automation/s1",
                "automation/s2",
                "connection",
                "fetcher/account",
                "search/s1",
                "settings/keyStorage"
            ]
        );
        assert_eq!(plan.problems.len(), removed.len());
        assert!(after.contains_key("search/s2"));
        assert_eq!(after["upload/s1/c1"], json!("not mine to judge"));
        assert!(migrate(&after).is_empty());
    }

    #[test]
    fn an_unreadable_or_newer_version_is_reported_and_reset_to_what_reads() {
        for version in [json!("two"), json!(-1), json!(0), json!(1.5), json!(null)] {
            let stored = snapshot(json!({
                "schemaVersion": version,
                "automation/s1": to_value(&automation("s1")),
                "connection": "?"
            }));
            let plan = migrate(&stored);
            assert_eq!(plan.problems[0], Problem::UnreadableVersion, "{version}");
            let after = apply(&stored, &plan);
            assert_eq!(after["schemaVersion"], json!(2));
            assert!(after.contains_key("automation/s1"));
            assert!(!after.contains_key("connection"));
        }
        let newer =
            snapshot(json!({"schemaVersion": 9, "automation/s1": to_value(&automation("s1"))}));
        let plan = migrate(&newer);
        assert_eq!(plan.from, Some(9));
        assert_eq!(plan.problems, [Problem::NewerVersion(9)]);
        assert_eq!(apply(&newer, &plan)["schemaVersion"], json!(2));
    }

    #[test]
    fn limits_are_positive_whole_numbers_or_nothing() {
        assert_eq!(parse_limit(""), Ok(None));
        assert_eq!(parse_limit("  "), Ok(None));
        assert_eq!(parse_limit("25"), Ok(Some(25)));
        assert_eq!(parse_limit(" 7 "), Ok(Some(7)));
        for bad in ["0", "-3", "1.5", "1e3", "ten", "+4", "99999999999"] {
            assert_eq!(parse_limit(bad), Err(AutomationProblem::BadLimit), "{bad}");
        }
    }

    fn job(id: &str, status: &str) -> JobChoice {
        JobChoice {
            id: id.into(),
            title: format!("Job {id}"),
            status: status.into(),
            location: None,
            department: None,
        }
    }

    #[test]
    fn automation_needs_an_open_job() {
        let jobs = [job("open", "Open"), job("closed", "Closed")];
        let mut a = automation("s1");
        a.job_id = None;
        assert_eq!(
            validate_automation(&a, Some(&jobs)),
            Err(AutomationProblem::NoJob)
        );
        a.enabled = false;
        assert_eq!(
            validate_automation(&a, Some(&jobs)),
            Ok(()),
            "off without a job is fine"
        );
        a.enabled = true;
        a.job_id = Some("open".into());
        assert_eq!(validate_automation(&a, Some(&jobs)), Ok(()));
        assert_eq!(
            validate_automation(&a, None),
            Ok(()),
            "unknown jobs: taken on trust"
        );
        a.job_id = Some("closed".into());
        assert_eq!(
            validate_automation(&a, Some(&jobs)),
            Err(AutomationProblem::JobNotOpen {
                title: Some("Job closed".into())
            })
        );
        a.job_id = Some("gone".into());
        assert_eq!(
            validate_automation(&a, Some(&jobs)),
            Err(AutomationProblem::JobNotOpen { title: None })
        );
        a.job_id = Some("open".into());
        a.applicant_limit = Some(0);
        assert_eq!(
            validate_automation(&a, Some(&jobs)),
            Err(AutomationProblem::BadLimit)
        );
        // A search id that cannot be stored cannot even be decoded (`SearchId`).
        let mut value = to_value(&a);
        value["searchId"] = "a/b".into();
        assert!(serde_json::from_value::<SearchAutomation>(value).is_err());
    }

    #[test]
    fn closed_and_vanished_jobs_are_flagged() {
        let jobs = [job("open", "Open"), job("closed", "Closed")];
        assert_eq!(job_flag(None, &jobs), None);
        assert_eq!(job_flag(Some("open"), &jobs), None);
        assert_eq!(
            job_flag(Some("closed"), &jobs),
            Some(JobFlag::NotOpen {
                title: "Job closed".into(),
                status: JobStatus::Closed
            })
        );
        assert_eq!(job_flag(Some("gone"), &jobs), Some(JobFlag::Gone));
    }

    #[test]
    fn enabled_at_is_set_when_automation_starts_or_its_trigger_changes() {
        let mut off = automation("s1");
        off.enabled = false;
        off.enabled_at_ms = None;
        let on = stamp_automation(Some(&off), automation("s1"), 100);
        assert_eq!(on.enabled_at_ms, Some(100));
        let mut limit_changed = on.clone();
        limit_changed.applicant_limit = Some(3);
        assert_eq!(
            stamp_automation(Some(&on), limit_changed, 200).enabled_at_ms,
            Some(100)
        );
        let mut trigger_changed = on.clone();
        trigger_changed.trigger = Trigger::OnLike;
        assert_eq!(
            stamp_automation(Some(&on), trigger_changed, 300).enabled_at_ms,
            Some(300)
        );
        assert_eq!(
            stamp_automation(Some(&on), off.clone(), 400).enabled_at_ms,
            None
        );
        assert_eq!(
            stamp_automation(None, automation("s1"), 500).enabled_at_ms,
            Some(500)
        );
        // A blank job id (the type once allowed one) reads as no job.
        let mut blank_job = to_value(&automation("s1"));
        blank_job["jobId"] = " ".into();
        let blank_job: SearchAutomation = serde_json::from_value(blank_job).unwrap();
        assert_eq!(stamp_automation(None, blank_job, 1).job_id, None);
    }

    #[test]
    fn only_the_owner_may_edit() {
        let search = SearchSeen {
            search_id: "s1".into(),
            title: None,
            owner_email: Some("Jane@Agency.com".into()),
            last_seen_ms: EpochMs::from_clock(0.0),
        };
        assert_eq!(edit_right(&search, Some("jane@agency.com")), Ok(()));
        assert_eq!(
            edit_right(&search, Some("lead@agency.com")),
            Err(ReadOnlyReason::NotOwner {
                owner: "Jane@Agency.com".into()
            })
        );
        assert_eq!(
            edit_right(&search, None),
            Err(ReadOnlyReason::AccountUnknown)
        );
        let unowned = SearchSeen {
            owner_email: None,
            ..search
        };
        assert_eq!(
            edit_right(&unowned, Some("jane@agency.com")),
            Err(ReadOnlyReason::OwnerUnknown)
        );
    }

    #[test]
    fn page_text_is_cleaned() {
        assert_eq!(
            account_form(" Jane@Agency.COM "),
            Some("jane@agency.com".into())
        );
        for bad in [
            "",
            "jane",
            "jane@",
            "@agency.com",
            "jane@agency",
            "ja ne@agency.com",
            "<a@b.c>",
        ] {
            assert_eq!(account_form(bad), None, "{bad}");
        }
        assert_eq!(
            SearchTitle::new("  Eng\u{202e}ineers \n Berlin ").as_deref(),
            Some("Engineers Berlin")
        );
        assert_eq!(SearchTitle::new(" \u{200f} "), None);
        assert_eq!(
            SearchTitle::new(&"x".repeat(1000)).unwrap().chars().count(),
            300
        );
        assert!(crate::domain::is_valid_id("search-eng_berlin1"));
        for bad in ["", "a/b", &"x".repeat(129)] {
            assert!(SearchId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn automatic_uploads_are_counted_per_search() {
        let all = snapshot(json!({
            "upload/s1/c1": {"origin": {"kind": "automatic", "trigger": "OnReply"}},
            "upload/s1/c2": {"origin": {"kind": "manual"}},
            "upload/s1/c3": {"origin": {"kind": "automatic", "trigger": "OnLike"}},
            "upload/s10/c1": {"origin": {"kind": "automatic", "trigger": "OnLike"}},
            "upload/s1/c4/extra": {"origin": {"kind": "automatic"}},
            "outbox/s1/c1/j": {"origin": {"kind": "automatic"}}
        }));
        assert_eq!(automatic_uploads("s1", &all), 2);
        assert_eq!(automatic_uploads("s2", &all), 0);
    }

    #[test]
    fn old_searches_are_forgotten_but_not_those_with_automation() {
        let searches: Vec<SearchSeen> = (0..MAX_SEARCHES + 2)
            .map(|i| SearchSeen {
                search_id: format!("s{i}").as_str().into(),
                title: None,
                owner_email: None,
                last_seen_ms: EpochMs::from_clock(i as f64),
            })
            .collect();
        let forget = searches_to_forget(&searches, &|id| id == "s0");
        assert_eq!(forget, ["s1", "s2"]);
        assert!(searches_to_forget(&searches[..MAX_SEARCHES], &|_| false).is_empty());
    }

    #[test]
    fn a_different_account_waits_for_the_recruiter_and_causes_no_lookup() {
        let mut connection = StoredConnection::default();
        // The first account seen after connecting is recorded and looked up once.
        assert!(connection.account_shown(&"jane@agency.com".into()));
        connection.user = UserMatch::NotFound {
            email: "jane@agency.com".into(),
        };
        assert!(!connection.account_shown(&"JANE@agency.com".into()));
        // Another account: noted, not looked up, not credited; any number of times.
        for _ in 0..100 {
            for other in ["mallory@evil.example", "eve@evil.example"] {
                assert!(!connection.account_shown(&other.into()));
            }
        }
        assert_eq!(
            connection.confirmed_account.as_deref(),
            Some("jane@agency.com")
        );
        assert_eq!(
            connection.account_change.as_deref(),
            Some("eve@evil.example")
        );
        // A confirmation for an account no longer waiting does nothing.
        assert!(!connection.confirm_account(&"mallory@evil.example".into()));
        assert!(connection.confirm_account(&"eve@evil.example".into()));
        assert_eq!(
            connection.confirmed_account.as_deref(),
            Some("eve@evil.example")
        );
        assert_eq!(connection.account_change, None);
        // Now the confirmed one is looked up (the match on record is Jane's).
        assert!(connection.account_shown(&"eve@evil.example".into()));
        // Back on the confirmed account, nothing waits.
        connection.account_change = Some("x@y.example".into());
        connection.account_shown(&"eve@evil.example".into());
        assert_eq!(connection.account_change, None);
    }

    #[test]
    fn emails_with_format_characters_are_refused_and_text_loses_them() {
        assert_eq!(account_form("jane\u{202E}@agency.com"), None);
        assert_eq!(account_form("jane@agency.com\u{E0041}"), None);
        assert_eq!(
            account_form(" Jane@Agency.com "),
            Some("jane@agency.com".into())
        );
        assert_eq!(
            SearchTitle::new("Eng\u{E0041}ineering \u{202E}Berlin").as_deref(),
            Some("Engineering Berlin")
        );
    }
}
