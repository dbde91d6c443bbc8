//! [`StorageKey`]: every key the extension writes to `chrome.storage`, in one place. Each key
//! is formatted (`Display`) and parsed ([`StorageKey::parse`]) here and nowhere else; the
//! storage table in [`crate::storage_schema`]'s documentation is checked against this list by a
//! test, so a key cannot be added without being described there.
//!
//! Ids inside keys are validated before they become keys (no `/`, bounded); parsing accepts
//! any non-empty segment without `/`, so what was written reads back.

use crate::domain::{CandidateId, JobId, SearchId};
use std::fmt;

/// The `chrome.storage` area a key lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// `chrome.storage.local`: durable, readable by content scripts.
    Local,
    /// `chrome.storage.session`: until the browser closes, out of content scripts' reach.
    Session,
}

/// Defines [`StorageKey`] and counts its kinds ([`StorageKey::KINDS`]), so the test of the
/// schema's table knows when a kind of key has no example there.
macro_rules! storage_keys {
    ($(#[$doc:meta] $kind:ident $(($($tuple:ty),*))? $({$($field:ident: $type:ty),*})?,)*) => {
        /// One storage key.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum StorageKey {
            $(#[$doc] $kind $(($($tuple),*))? $({$($field: $type),*})?,)*
        }

        impl StorageKey {
            /// How many kinds of key there are.
            pub const KINDS: usize = [$(stringify!($kind)),*].len();
        }
    };
}

storage_keys! {
    /// `schemaVersion`.
    SchemaVersion,
    /// `ashbyApiKey`: the API key, in `.session` (or, in version 1, `.local`).
    ApiKey,
    /// `ashbyConnection`: version 1's connection record.
    V1Connection,
    /// `settings/keyStorage`.
    KeyStorage,
    /// `connection`.
    Connection,
    /// `fetcher/account`.
    Account,
    /// `fetcher/accountEmail`: where earlier builds kept the account email.
    LegacyAccountEmail,
    /// `fetcher/pageProblem`.
    PageProblem,
    /// `search/<searchId>`.
    Search(SearchId),
    /// `automation/<searchId>`.
    Automation(SearchId),
    /// `storage/report`.
    Report,
    /// `cache/jobs`.
    JobCache,
    /// `cache/uploadContext`.
    UploadContext,
    /// `lastJob/<searchId>`.
    LastJob(SearchId),
    /// `outbox/index`.
    OutboxIndex,
    /// `outbox/prunedAt`.
    OutboxPrunedAt,
    /// `outbox/paused`.
    OutboxPaused,
    /// `outbox/rate`.
    OutboxRate,
    /// `outbox/connection`.
    OutboxConnection,
    /// `outbox/<searchId>/<candidateId>/<jobId>`.
    OutboxEntry {search_id: SearchId, candidate_id: CandidateId, job_id: JobId },
    /// `upload/<searchId>/<candidateId>`.
    UploadRecord {search_id: SearchId, candidate_id: CandidateId },
    /// `uploadDigest/<searchId>`.
    UploadDigest(SearchId),
    /// `history/<searchId>/<candidateId>`.
    History {search_id: SearchId, candidate_id: CandidateId },
    /// `autoUploads/<searchId>`.
    AutoUploads(SearchId),
    /// `autoBrake/<searchId>`.
    AutoBrake(SearchId),
    /// `historyForgotten`.
    HistoryForgotten,
    /// `storageFullAt` (`.session`).
    StorageFullAt,
    /// `sendDraft/<tabId>` (`.session`).
    SendDraft(i64),
    /// `popup/connection` (`.session`).
    PopupConnection,
    /// `popup/searches` (`.session`).
    PopupSearches,
}

pub const SCHEMA_VERSION: &str = "schemaVersion";
pub const API_KEY: &str = "ashbyApiKey";
pub const V1_CONNECTION: &str = "ashbyConnection";
pub const KEY_STORAGE: &str = "settings/keyStorage";
pub const CONNECTION: &str = "connection";
pub const ACCOUNT: &str = "fetcher/account";
pub const LEGACY_ACCOUNT_EMAIL: &str = "fetcher/accountEmail";
pub const PAGE_PROBLEM: &str = "fetcher/pageProblem";
pub const REPORT: &str = "storage/report";
pub const JOB_CACHE: &str = "cache/jobs";
pub const UPLOAD_CONTEXT: &str = "cache/uploadContext";
pub const OUTBOX_INDEX: &str = "outbox/index";
pub const OUTBOX_PRUNED_AT: &str = "outbox/prunedAt";
pub const OUTBOX_PAUSED: &str = "outbox/paused";
pub const OUTBOX_RATE: &str = "outbox/rate";
pub const OUTBOX_CONNECTION: &str = "outbox/connection";
pub const HISTORY_FORGOTTEN: &str = "historyForgotten";
pub const STORAGE_FULL_AT: &str = "storageFullAt";

pub const SEARCH_PREFIX: &str = "search/";
pub const AUTOMATION_PREFIX: &str = "automation/";
pub const LAST_JOB_PREFIX: &str = "lastJob/";
pub const OUTBOX_PREFIX: &str = "outbox/";
pub const UPLOAD_PREFIX: &str = "upload/";
pub const UPLOAD_DIGEST_PREFIX: &str = "uploadDigest/";
pub const HISTORY_PREFIX: &str = "history/";
pub const AUTO_UPLOADS_PREFIX: &str = "autoUploads/";
pub const AUTO_BRAKE_PREFIX: &str = "autoBrake/";
pub const SEND_DRAFT_PREFIX: &str = "sendDraft/";
pub const POPUP_CONNECTION: &str = "popup/connection";
pub const POPUP_SEARCHES: &str = "popup/searches";
/// Cached Ashby answers: forgotten on disconnect.
pub const CACHE_PREFIX: &str = "cache/";

// The keys with ids, formatted without building a `StorageKey` (what writers call; each
// surface then carries only the formats it uses, not all of `Display`).

/// `search/<searchId>`.
pub fn search(search_id: &SearchId) -> String {
    format!("{SEARCH_PREFIX}{search_id}")
}

/// `automation/<searchId>`.
pub fn automation(search_id: &SearchId) -> String {
    format!("{AUTOMATION_PREFIX}{search_id}")
}

/// `lastJob/<searchId>`.
pub fn last_job(search_id: &SearchId) -> String {
    format!("{LAST_JOB_PREFIX}{search_id}")
}

/// `autoUploads/<searchId>`.
pub fn auto_uploads(search_id: &SearchId) -> String {
    format!("{AUTO_UPLOADS_PREFIX}{search_id}")
}

/// `autoBrake/<searchId>`.
pub fn auto_brake(search_id: &SearchId) -> String {
    format!("{AUTO_BRAKE_PREFIX}{search_id}")
}

/// `outbox/<searchId>/<candidateId>/<jobId>`.
pub fn outbox_entry(search_id: &SearchId, candidate_id: &CandidateId, job_id: &JobId) -> String {
    format!("{OUTBOX_PREFIX}{search_id}/{candidate_id}/{job_id}")
}

/// `upload/<searchId>/<candidateId>`.
pub fn upload_record(search_id: &SearchId, candidate_id: &CandidateId) -> String {
    format!("{UPLOAD_PREFIX}{search_id}/{candidate_id}")
}

/// `upload/<searchId>/`: the start of every upload record of a search.
pub fn upload_records_of(search_id: &SearchId) -> String {
    format!("{UPLOAD_PREFIX}{search_id}/")
}

/// `uploadDigest/<searchId>`.
pub fn upload_digest(search_id: &SearchId) -> String {
    format!("{UPLOAD_DIGEST_PREFIX}{search_id}")
}

/// `history/<searchId>/<candidateId>`.
pub fn history(search_id: &SearchId, candidate_id: &CandidateId) -> String {
    format!("{HISTORY_PREFIX}{search_id}/{candidate_id}")
}

/// `sendDraft/<tabId>`.
pub fn send_draft(tab_id: i64) -> String {
    format!("{SEND_DRAFT_PREFIX}{tab_id}")
}

impl StorageKey {
    /// The key a stored string names; `None` for a key this extension does not write.
    pub fn parse(key: &str) -> Option<Self> {
        use StorageKey::*;
        let fixed = match key {
            SCHEMA_VERSION => Some(SchemaVersion),
            API_KEY => Some(ApiKey),
            V1_CONNECTION => Some(V1Connection),
            KEY_STORAGE => Some(KeyStorage),
            CONNECTION => Some(Connection),
            ACCOUNT => Some(Account),
            LEGACY_ACCOUNT_EMAIL => Some(LegacyAccountEmail),
            PAGE_PROBLEM => Some(PageProblem),
            REPORT => Some(Report),
            JOB_CACHE => Some(JobCache),
            UPLOAD_CONTEXT => Some(UploadContext),
            OUTBOX_INDEX => Some(OutboxIndex),
            OUTBOX_PRUNED_AT => Some(OutboxPrunedAt),
            OUTBOX_PAUSED => Some(OutboxPaused),
            OUTBOX_RATE => Some(OutboxRate),
            OUTBOX_CONNECTION => Some(OutboxConnection),
            HISTORY_FORGOTTEN => Some(HistoryForgotten),
            STORAGE_FULL_AT => Some(StorageFullAt),
            POPUP_CONNECTION => Some(PopupConnection),
            POPUP_SEARCHES => Some(PopupSearches),
            _ => None,
        };
        if fixed.is_some() {
            return fixed;
        }
        let (head, rest) = key.split_once('/')?;
        let parts: Vec<&str> = rest.split('/').collect();
        if parts.iter().any(|part| part.is_empty()) {
            return None;
        }
        // A segment that is not a valid id is not a key this extension wrote.
        let search = || parts[0].parse::<SearchId>().ok();
        let candidate = || parts[1].parse::<CandidateId>().ok();
        match (head, parts.len()) {
            ("search", 1) => search().map(Search),
            ("automation", 1) => search().map(Automation),
            ("lastJob", 1) => search().map(LastJob),
            ("autoUploads", 1) => search().map(AutoUploads),
            ("autoBrake", 1) => search().map(AutoBrake),
            ("uploadDigest", 1) => search().map(UploadDigest),
            ("outbox", 3) => Some(OutboxEntry {
                search_id: search()?,
                candidate_id: candidate()?,
                job_id: parts[2].parse().ok()?,
            }),
            ("upload", 2) => Some(UploadRecord {
                search_id: search()?,
                candidate_id: candidate()?,
            }),
            ("history", 2) => Some(History {
                search_id: search()?,
                candidate_id: candidate()?,
            }),
            // Tab ids are integers: anything else is not a draft of ours.
            ("sendDraft", 1) => parts[0]
                .parse()
                .ok()
                .filter(|id: &i64| id.to_string() == parts[0])
                .map(SendDraft),
            _ => None,
        }
    }

    /// Where the key lives.
    pub fn area(&self) -> Area {
        match self {
            StorageKey::StorageFullAt
            | StorageKey::SendDraft(_)
            | StorageKey::PopupConnection
            | StorageKey::PopupSearches => Area::Session,
            // The key is in `.session` now; `.local` holds it only before the migration.
            _ => Area::Local,
        }
    }

    /// The key's shape with its ids as placeholders, as the schema's table writes it.
    pub fn pattern(&self) -> &'static str {
        use StorageKey::*;
        match self {
            SchemaVersion => SCHEMA_VERSION,
            ApiKey => API_KEY,
            V1Connection => V1_CONNECTION,
            KeyStorage => KEY_STORAGE,
            Connection => CONNECTION,
            Account => ACCOUNT,
            LegacyAccountEmail => LEGACY_ACCOUNT_EMAIL,
            PageProblem => PAGE_PROBLEM,
            Search(_) => "search/<searchId>",
            Automation(_) => "automation/<searchId>",
            Report => REPORT,
            JobCache => JOB_CACHE,
            UploadContext => UPLOAD_CONTEXT,
            LastJob(_) => "lastJob/<searchId>",
            OutboxIndex => OUTBOX_INDEX,
            OutboxPrunedAt => OUTBOX_PRUNED_AT,
            OutboxPaused => OUTBOX_PAUSED,
            OutboxRate => OUTBOX_RATE,
            OutboxConnection => OUTBOX_CONNECTION,
            OutboxEntry { .. } => "outbox/<searchId>/<candidateId>/<jobId>",
            UploadRecord { .. } => "upload/<searchId>/<candidateId>",
            UploadDigest(_) => "uploadDigest/<searchId>",
            History { .. } => "history/<searchId>/<candidateId>",
            AutoUploads(_) => "autoUploads/<searchId>",
            AutoBrake(_) => "autoBrake/<searchId>",
            HistoryForgotten => HISTORY_FORGOTTEN,
            StorageFullAt => STORAGE_FULL_AT,
            SendDraft(_) => "sendDraft/<tabId>",
            PopupConnection => POPUP_CONNECTION,
            PopupSearches => POPUP_SEARCHES,
        }
    }

    /// A cached Ashby answer (forgotten on disconnect).
    pub fn is_cache(&self) -> bool {
        matches!(self, StorageKey::JobCache | StorageKey::UploadContext)
    }
}

impl fmt::Display for StorageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use StorageKey::*;
        match self {
            Search(id) => f.write_str(&search(id)),
            Automation(id) => f.write_str(&automation(id)),
            LastJob(id) => f.write_str(&last_job(id)),
            AutoUploads(id) => f.write_str(&auto_uploads(id)),
            AutoBrake(id) => f.write_str(&auto_brake(id)),
            UploadDigest(id) => f.write_str(&upload_digest(id)),
            OutboxEntry {
                search_id,
                candidate_id,
                job_id,
            } => f.write_str(&outbox_entry(search_id, candidate_id, job_id)),
            UploadRecord {
                search_id,
                candidate_id,
            } => f.write_str(&upload_record(search_id, candidate_id)),
            History {
                search_id,
                candidate_id,
            } => f.write_str(&history(search_id, candidate_id)),
            SendDraft(tab_id) => f.write_str(&send_draft(*tab_id)),
            fixed => f.write_str(fixed.pattern()),
        }
    }
}

impl From<StorageKey> for String {
    fn from(key: StorageKey) -> String {
        key.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// One key of every kind (checked against [`StorageKey::KINDS`]), for the table test.
    fn one_of_each() -> Vec<StorageKey> {
        use StorageKey::*;
        let all = vec![
            SchemaVersion,
            ApiKey,
            V1Connection,
            KeyStorage,
            Connection,
            Account,
            LegacyAccountEmail,
            PageProblem,
            Search("s1".into()),
            Automation("s1".into()),
            Report,
            JobCache,
            UploadContext,
            LastJob("s1".into()),
            OutboxIndex,
            OutboxPrunedAt,
            OutboxPaused,
            OutboxRate,
            OutboxConnection,
            OutboxEntry {
                search_id: "s1".into(),
                candidate_id: "c1".into(),
                job_id: "j1".into(),
            },
            UploadRecord {
                search_id: "s1".into(),
                candidate_id: "c1".into(),
            },
            UploadDigest("s1".into()),
            History {
                search_id: "s1".into(),
                candidate_id: "c1".into(),
            },
            AutoUploads("s1".into()),
            AutoBrake("s1".into()),
            HistoryForgotten,
            StorageFullAt,
            SendDraft(7),
            PopupConnection,
            PopupSearches,
        ];
        let kinds: BTreeSet<String> = all
            .iter()
            .map(|key| format!("{:?}", std::mem::discriminant(key)))
            .collect();
        assert_eq!(kinds.len(), all.len(), "two examples of one kind");
        assert_eq!(
            all.len(),
            StorageKey::KINDS,
            "a kind of key has no example here"
        );
        all
    }

    /// The key column of the storage table in `storage_schema.rs`'s documentation.
    fn table_keys() -> Vec<String> {
        include_str!("../storage_schema.rs")
            .lines()
            .filter_map(|line| line.strip_prefix("//! | `"))
            .filter_map(|row| row.split_once('`').map(|(key, _)| key.to_owned()))
            .collect()
    }

    /// A table pattern with its placeholders filled in.
    fn example_of(pattern: &str) -> String {
        pattern
            .replace("<searchId>", "s1")
            .replace("<candidateId>", "c1")
            .replace("<jobId>", "j1")
            .replace("<tabId>", "7")
    }

    #[test]
    fn every_key_reads_back_as_itself() {
        for key in one_of_each() {
            assert_eq!(
                StorageKey::parse(&key.to_string()),
                Some(key.clone()),
                "{key}"
            );
            assert_eq!(example_of(key.pattern()), key.to_string());
        }
    }

    #[test]
    fn the_schema_table_describes_every_key_once() {
        let table = table_keys();
        let described: BTreeSet<&str> = table.iter().map(String::as_str).collect();
        assert_eq!(described.len(), table.len(), "a key is described twice");
        let written: BTreeSet<&str> = one_of_each().iter().map(StorageKey::pattern).collect();
        assert_eq!(
            described, written,
            "the storage table and StorageKey disagree"
        );
        for pattern in &table {
            let key = StorageKey::parse(&example_of(pattern));
            assert_eq!(key.map(|k| k.pattern()), Some(pattern.as_str()));
        }
    }

    #[test]
    fn other_keys_and_malformed_ids_are_not_ours() {
        for key in [
            "",
            "search/",
            "search/a/b",
            "outbox/s/c",
            "outbox/s//j",
            "upload/s/c/extra",
            "history/s",
            "sendDraft/x",
            "sendDraft/07",
            "somethingElse",
            "cache/other",
            // Segments that are not ids.
            "search/a b",
            "upload/s1/c\u{202E}1",
            "outbox/s1/c1/<j>",
            &format!("automation/{}", "a".repeat(200)),
        ] {
            assert_eq!(StorageKey::parse(key), None, "{key:?}");
        }
    }

    #[test]
    fn outbox_settings_are_not_entries() {
        assert_eq!(
            StorageKey::parse("outbox/index"),
            Some(StorageKey::OutboxIndex)
        );
        assert_eq!(
            StorageKey::parse("outbox/paused"),
            Some(StorageKey::OutboxPaused)
        );
    }

    #[test]
    fn caches_and_areas() {
        assert!(StorageKey::JobCache.is_cache() && StorageKey::UploadContext.is_cache());
        assert!(StorageKey::parse("cache/jobs").is_some_and(|k| k.is_cache()));
        assert_eq!(StorageKey::SendDraft(1).area(), Area::Session);
        assert_eq!(StorageKey::Connection.area(), Area::Local);
    }
}
