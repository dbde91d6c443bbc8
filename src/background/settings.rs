//! What the popup shows and edits, kept by the worker: the Fetcher account and searches seen in
//! tabs, each search's automation ("Ashby Sync") and recent upload activity. The layout and
//! every rule are in the pure [`crate::storage_schema`]; storage is read through
//! [`super::storage`], after its migration gate.

use super::storage::{self, ready};
use super::{connection, jobs};
use crate::automation::brake::{brake_key, Brake};
use crate::browser::now_ms;
use crate::domain::email::account_form;
use crate::domain::{AutomationPaused, SearchAutomation, SearchId};
use crate::from_json::FromJson;
use crate::messages::WorkerProblem;
use crate::messages::{
    recent_activity, ActivityCounts, ActivityItem, ActivityView, Answer, Done, PageSeen,
    SearchItem, SearchesView,
};
use crate::sorting::SortedSet;
use crate::storage_schema::keys::{self, StorageKey};
use crate::storage_schema::{self as schema, AccountSeen, SearchSeen, SearchTitle};
use crate::upload::UploadRecord;
use serde_json::Value;
use std::collections::BTreeMap;

/// How many uploads the activity list shows.
const ACTIVITY_ITEMS: usize = 20;
/// A search seen again within this time is not rewritten (fewer storage writes).
const SEEN_REFRESH_MS: f64 = 60_000.0;

/// Records what a Fetcher tab shows: the signed-in account and the current search (title,
/// owner). A new account is looked up in Ashby (`user.search`) when a key is saved.
pub async fn record_page_seen(seen: PageSeen) -> Answer<Done> {
    ready().await;
    let now = now_ms();
    if let Some(email) = seen.account_email.as_deref().and_then(account_form) {
        let previous = storage::local_read::<AccountSeen>(schema::ACCOUNT).await;
        let changed = previous.as_ref().map(|a| a.email.as_str()) != Some(email.as_str());
        if changed || previous.is_some_and(|a| now - a.seen_at_ms.as_f64() > SEEN_REFRESH_MS) {
            let account = AccountSeen {
                email: email.clone(),
                seen_at_ms: crate::domain::EpochMs::from_clock(now),
            };
            let _ = storage::local_write(schema::ACCOUNT, &account).await;
        }
        if connection::account_shown(&email).await {
            // Uploads are credited for the newly confirmed account: look it up again.
            super::outbox::reset();
        }
    }
    if let Some(search_id) = seen.search_id {
        let key = schema::search_key(&search_id);
        let previous = storage::local_read::<SearchSeen>(&key).await;
        let title = seen.search_title.as_deref().and_then(SearchTitle::new);
        let owner = seen.search_owner_email.as_deref().and_then(account_form);
        let next = SearchSeen {
            search_id: search_id.clone(),
            title: title.or_else(|| previous.as_ref().and_then(|p| p.title.clone())),
            owner_email: owner.or_else(|| previous.as_ref().and_then(|p| p.owner_email.clone())),
            last_seen_ms: crate::domain::EpochMs::from_clock(now),
        };
        let unchanged = previous.as_ref().is_some_and(|p| {
            p.title == next.title
                && p.owner_email == next.owner_email
                && now - p.last_seen_ms.as_f64() < SEEN_REFRESH_MS
        });
        if !unchanged {
            let _ = storage::local_write(&key, &next).await;
        }
        if previous.is_none() {
            forget_old_searches().await;
        }
    }
    Ok(Done {})
}

async fn forget_old_searches() {
    let searches_and_automations = |stored: &[String]| {
        stored
            .iter()
            .filter(|key| {
                key.starts_with(schema::SEARCH_PREFIX) || key.starts_with(schema::AUTOMATION_PREFIX)
            })
            .cloned()
            .collect()
    };
    let Ok(all) = storage::local_picked(searches_and_automations).await else {
        return;
    };
    let searches: Vec<SearchSeen> = prefixed(&all, schema::SEARCH_PREFIX);
    let forget = schema::searches_to_forget(&searches, &|id| {
        all.contains_key(&schema::automation_key(id))
    });
    let keys: Vec<String> = forget.iter().map(schema::search_key).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    if !keys.is_empty() {
        let _ = storage::local_remove(&keys).await;
    }
}

/// Every readable value under `prefix` (unreadable ones are skipped).
fn prefixed<T: FromJson>(all: &BTreeMap<String, Value>, prefix: &str) -> Vec<T> {
    all.iter()
        .filter(|(key, _)| key.starts_with(prefix))
        .filter_map(|(_, value)| T::from_value(value).ok())
        .collect()
}

/// The keys the "Ashby Sync" list reads, picked from every key stored: the account, and each
/// search with its automation, automatic-upload count and brake. A search whose count is not
/// kept (its uploads are from before it was) also gets its upload records, which are counted
/// instead. Never the job cache, the outbox or the history, whatever their size.
pub fn searches_list_keys(stored: &[String]) -> Vec<String> {
    let present: SortedSet<&str> = crate::sorting::set_of(stored.iter().map(String::as_str));
    let mut keys = vec![schema::ACCOUNT.to_owned()];
    let mut uncounted: SortedSet<&str> = SortedSet::new();
    for key in stored
        .iter()
        .filter(|key| key.starts_with(schema::SEARCH_PREFIX))
    {
        keys.push(key.clone());
        let Some(StorageKey::Search(search_id)) = StorageKey::parse(key) else {
            continue;
        };
        keys.push(schema::automation_key(&search_id));
        keys.push(brake_key(&search_id));
        let count = crate::automation::batch::count_key(&search_id);
        if present.contains(&count.as_str()) {
            keys.push(count);
        } else if let Some(search) = key.strip_prefix(schema::SEARCH_PREFIX) {
            uncounted.insert(search);
        }
    }
    keys.extend(
        stored
            .iter()
            .filter(|key| match StorageKey::parse(key) {
                Some(StorageKey::UploadRecord { search_id, .. }) => {
                    uncounted.contains(&search_id.as_str())
                }
                _ => false,
            })
            .cloned(),
    );
    keys
}

/// The popup's "Ashby Sync" list: every search seen, most recent first.
pub async fn list_searches() -> Answer<SearchesView> {
    ready().await;
    let Ok(stored) = storage::local_picked(searches_list_keys).await else {
        return Err(WorkerProblem::StorageFailed);
    };
    Ok(searches_view(&stored, now_ms() as u64))
}

/// The "Ashby Sync" list from what is stored (the keys [`searches_list_keys`] picks suffice).
fn searches_view(all: &BTreeMap<String, Value>, now_ms: u64) -> SearchesView {
    let account = all
        .get(schema::ACCOUNT)
        .and_then(|v| AccountSeen::from_value(v).ok())
        .map(|a| a.email);
    let mut searches: Vec<SearchSeen> = prefixed(all, schema::SEARCH_PREFIX);
    crate::sorting::sort_by_key(&mut searches, |s| std::cmp::Reverse(s.last_seen_ms));
    let items = searches
        .into_iter()
        .map(|search| {
            let automation = all
                .get(&schema::automation_key(&search.search_id))
                .and_then(|v| SearchAutomation::from_value(v).ok())
                .unwrap_or_else(|| SearchAutomation::off(search.search_id.clone()));
            SearchItem {
                read_only_reason: schema::edit_right(&search, account.as_deref()).err(),
                // Automation's own count (what its applicant limit compares with); records
                // from before it was kept are counted instead.
                uploaded: crate::automation::batch::uploads_counted(&search.search_id, all)
                    .unwrap_or_else(|| schema::automatic_uploads(&search.search_id, all)),
                automation_paused: paused_notice(&search.search_id, all, now_ms),
                automation,
                search_id: search.search_id,
                title: search.title.map(String::from),
                owner_email: search.owner_email,
            }
        })
        .collect();
    SearchesView {
        account_email: account,
        searches: items,
    }
}

/// The popup's notice for a search whose automation the brake paused.
fn paused_notice(
    search_id: &SearchId,
    all: &BTreeMap<String, Value>,
    now_ms: u64,
) -> Option<AutomationPaused> {
    let brake = Brake::from_stored(all.get(&brake_key(search_id)), now_ms);
    brake.is_paused().then_some(AutomationPaused {
        limit: crate::automation::brake::MAX_UPLOADS_IN_WINDOW,
        held: brake.held,
    })
}

/// Saves one search's automation: only its owner may, with an open job when it is on.
pub async fn save_automation(automation: SearchAutomation) -> Answer<SearchesView> {
    ready().await;
    let Some(search) =
        storage::local_read::<SearchSeen>(&schema::search_key(&automation.search_id)).await
    else {
        return Err(WorkerProblem::UnknownSearch);
    };
    if let Err(reason) = schema::edit_right(&search, connection::account_email().await.as_deref()) {
        return Err(WorkerProblem::ReadOnly(reason));
    }
    // The job list is checked only when it matters; if Ashby cannot be asked, the job is
    // taken on trust (the popup offered it from the same list).
    let jobs = if automation.enabled {
        jobs::choices(false).await.ok()
    } else {
        None
    };
    if let Err(problem) = schema::validate_automation(&automation, jobs.as_deref()) {
        return Err(WorkerProblem::Automation(problem));
    }
    let key = schema::automation_key(&automation.search_id);
    let previous = storage::local_read::<SearchAutomation>(&key).await;
    let stamped = schema::stamp_automation(previous.as_ref(), automation, now_ms() as u64);
    if storage::local_write(&key, &stamped).await.is_err() {
        return Err(WorkerProblem::StorageFailed);
    }
    list_searches().await
}

/// Forgets every search's automation settings and the searches seen.
pub async fn forget_automation() -> Answer<Done> {
    ready().await;
    let Ok(all) = storage::local_all().await else {
        return Err(WorkerProblem::StorageFailed);
    };
    let keys: Vec<&str> = all
        .keys()
        .filter(|k| {
            k.starts_with(schema::AUTOMATION_PREFIX) || k.starts_with(schema::SEARCH_PREFIX)
        })
        .map(String::as_str)
        .collect();
    match storage::local_remove(&keys).await {
        Ok(()) => Ok(Done {}),
        Err(_) => Err(WorkerProblem::StorageFailed),
    }
}

/// The keys the activity list reads, picked from every key stored: the upload records, and the
/// outbox entries of their candidates (for the candidate's name). Never the job cache.
pub fn activity_keys(stored: &[String]) -> Vec<String> {
    // `<searchId>/<candidateId>` of each record.
    let mut recorded: SortedSet<&str> = SortedSet::new();
    let mut keys = Vec::new();
    for key in stored {
        if let Some(StorageKey::UploadRecord { .. }) = StorageKey::parse(key) {
            if let Some(record) = key.strip_prefix(schema::keys::UPLOAD_PREFIX) {
                recorded.insert(record);
            }
            keys.push(key.clone());
        }
    }
    keys.extend(
        stored
            .iter()
            .filter(|key| match StorageKey::parse(key) {
                Some(StorageKey::OutboxEntry { .. }) => key
                    .strip_prefix(schema::keys::OUTBOX_PREFIX)
                    .and_then(|entry| entry.rsplit_once('/'))
                    .is_some_and(|(candidate, _job)| recorded.contains(&candidate)),
                _ => false,
            })
            .cloned(),
    );
    keys
}

/// Recent uploads and failures, newest first, with the candidate's name from its outbox entry.
pub async fn list_activity() -> Answer<ActivityView> {
    ready().await;
    let Ok(all) = storage::local_picked(activity_keys).await else {
        return Err(WorkerProblem::StorageFailed);
    };
    let items: Vec<ActivityItem> = all
        .iter()
        .filter_map(|(key, value)| {
            let Some(StorageKey::UploadRecord {
                search_id,
                candidate_id,
            }) = StorageKey::parse(key)
            else {
                return None;
            };
            // Records are in `.local`, which content scripts can write: links are checked
            // when decoded.
            let record = UploadRecord::from_value(value).ok()?;
            let entry = keys::outbox_entry(&search_id, &candidate_id, &record.job_id);
            let candidate_name = all
                .get(&entry)
                .and_then(|entry| entry.get("candidate")?.get("name"))
                .and_then(Value::as_str)
                .filter(|name| !name.trim().is_empty())
                .map(str::to_owned);
            Some(ActivityItem {
                search_id,
                candidate_id,
                candidate_name,
                record,
            })
        })
        .collect();
    let today = ActivityCounts::of(items.iter().map(|item| &item.record), local_day_start_ms());
    Ok(ActivityView {
        items: recent_activity(items, ACTIVITY_ITEMS),
        today,
    })
}

/// Midnight at the start of today in the browser's time zone (the recruiter's "today").
fn local_day_start_ms() -> f64 {
    let date = js_sys::Date::new_0();
    date.set_hours(0);
    date.set_minutes(0);
    date.set_seconds(0);
    date.set_milliseconds(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeSet;

    /// Stored values for two searches (one counted, one from before counts were kept), their
    /// upload records, and the keys the lists must not read.
    fn stored() -> BTreeMap<String, Value> {
        let automatic = json!({"status": "uploaded", "jobId": "j1", "jobTitle": "Engineer",
            "atMs": 5, "origin": {"kind": "automatic"}});
        let record = |status: Value| json!({"status": status, "jobId": "j1", "jobTitle": "Engineer", "atMs": 5});
        [
            ("fetcher/account", json!({"email": "jane@agency.com", "seenAtMs": 1})),
            ("search/s1", json!({"searchId": "s1", "title": "Backend", "ownerEmail": "jane@agency.com", "lastSeenMs": 20})),
            ("automation/s1", json!({"searchId": "s1", "jobId": "j1", "enabled": true, "trigger": "OnLike", "applicantLimit": 10})),
            ("autoUploads/s1", json!(3)),
            ("autoBrake/s1", json!({"recentMs": [], "pausedAtMs": 4, "held": 2})),
            ("upload/s1/c1", automatic.clone()),
            ("search/s2", json!({"searchId": "s2", "title": "Frontend", "ownerEmail": "sam@agency.com", "lastSeenMs": 30})),
            ("upload/s2/c2", automatic.clone()),
            ("upload/s2/c3", automatic),
            ("upload/s3/c4", record(json!("failed"))),
            ("outbox/s1/c1/j1", json!({"candidate": {"name": "Lena"}})),
            ("outbox/s9/c9/j1", json!({"candidate": {"name": "Nobody"}})),
            ("history/s1/c1", json!({})),
            ("cache/jobs", json!({"jobs": [], "fetchedAtMs": 1})),
            ("outbox/index", json!([])),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect()
    }

    fn picked(all: &BTreeMap<String, Value>, keys: &[String]) -> BTreeMap<String, Value> {
        keys.iter()
            .filter_map(|key| Some((key.clone(), all.get(key)?.clone())))
            .collect()
    }

    #[test]
    fn the_searches_list_reads_only_its_keys_and_shows_the_same() {
        let all = stored();
        let names: Vec<String> = all.keys().cloned().collect();
        let keys = searches_list_keys(&names);
        let read: BTreeSet<&str> = keys
            .iter()
            .map(String::as_str)
            .filter(|k| all.contains_key(*k))
            .collect();
        assert_eq!(
            read,
            BTreeSet::from([
                "fetcher/account",
                "search/s1",
                "automation/s1",
                "autoUploads/s1",
                "autoBrake/s1",
                "search/s2",
                // s2 has no count: its upload records are counted instead.
                "upload/s2/c2",
                "upload/s2/c3",
            ])
        );
        let view = searches_view(&picked(&all, &keys), 100);
        assert_eq!(
            view,
            searches_view(&all, 100),
            "the same list as from everything"
        );
        let summary: Vec<(&str, u32, bool, bool)> = view
            .searches
            .iter()
            .map(|s| {
                (
                    s.search_id.as_str(),
                    s.uploaded,
                    s.automation.enabled,
                    s.automation_paused.is_some(),
                )
            })
            .collect();
        assert_eq!(summary, [("s2", 2, false, false), ("s1", 3, true, true)]);
        assert!(view.searches[0].read_only_reason.is_some(), "sam's search");
        assert!(view.searches[1].read_only_reason.is_none(), "jane's own");
    }

    #[test]
    fn the_activity_reads_the_records_and_their_candidates_outbox_entries_only() {
        let names: Vec<String> = stored().keys().cloned().collect();
        let keys: BTreeSet<String> = activity_keys(&names).into_iter().collect();
        let expected = [
            "upload/s1/c1",
            "upload/s2/c2",
            "upload/s2/c3",
            "upload/s3/c4",
            "outbox/s1/c1/j1",
        ];
        assert_eq!(keys, expected.into_iter().map(str::to_owned).collect());
    }
}
