//! Connecting to Ashby: a key is saved only after Ashby accepts it (`apiKey.info`), in
//! `chrome.storage.session` (until the browser closes) or the worker's IndexedDB
//! ([`key_vault`], remembered), as the recruiter chose. Never in `chrome.storage.local`: content
//! scripts can read that. The key is read only here; nothing sends it to a page or a content
//! script.

mod key_vault;

use super::fetch_transport::{generation, next_generation, FetchTransport};
use super::storage;
use crate::ashby::client::AshbyClient;
use crate::ashby::error::AshbyError;
use crate::ashby::types::{User, UserSearchRequest};
use crate::browser::now_ms;
use crate::domain::email::same_address as same_email;
use crate::domain::{Email, PageProblem};
use crate::from_json::FromJson;
use crate::message_checks::page_budget::PageCaused;
use crate::messages::{Answer, ConnectionView, Done, WorkerProblem, MAX_API_KEY_LEN};
use crate::storage_schema::{
    self as schema, AccountSeen, KeyStorage, StorageReport, StoredConnection, UserMatch,
};
use crate::upload::held::{connection_fingerprint, FINGERPRINT_KEY};

/// Where the outbox keeps its pause reason (owned by the outbox; read for the popup).
const OUTBOX_PAUSED: &str = crate::upload::outbox::PAUSED_KEY;

/// What the popup says about the last Fetcher page (`None`: it worked there).
const PAGE_PROBLEM: &str = schema::keys::PAGE_PROBLEM;

pub async fn connect(api_key: String) -> Answer<ConnectionView> {
    storage::ready().await;
    let api_key = api_key.trim().to_owned();
    if api_key.is_empty() || api_key.len() > MAX_API_KEY_LEN || !api_key.is_ascii() {
        return Err(WorkerProblem::ApiKeyMalformed);
    }
    let started = generation();
    let client = AshbyClient::new(FetchTransport::for_generation(started), api_key.clone());
    let info = match client.api_key_info().await {
        Ok(info) => info,
        Err(failure) => return Err(connect_error(&failure)),
    };
    // The account the recruiter connects as is the one uploads are credited for.
    let account = account_email().await;
    let user = match &account {
        Some(email) => look_up_user(&client, email).await,
        None => UserMatch::Unknown,
    };
    // Which organisation new uploads belong to (never the key itself).
    let fingerprint = connection_fingerprint(&info);
    let record = StoredConnection {
        key_title: info.title,
        scopes: info.scopes,
        checked_at_ms: crate::domain::EpochMs::from_clock(now_ms()),
        user,
        confirmed_account: account,
        account_change: None,
    };
    // A Disconnect while Ashby was checking the key wins: the key is not saved after it.
    if generation() != started {
        return Err(WorkerProblem::ConnectInterrupted);
    }
    // The previous key's clients go quiet, the runner's included (it gets the new one next).
    next_generation();
    super::runner::stop();
    let saved = async {
        save_key(&api_key, key_storage().await).await?;
        storage::local_write(FINGERPRINT_KEY, &fingerprint).await?;
        storage::local_write(schema::CONNECTION, &record).await
    };
    match saved.await {
        Ok(()) => status().await,
        Err(_) => Err(WorkerProblem::StorageFailed),
    }
}

/// Why a key was not accepted: bad, deactivated, unreachable, ….
fn connect_error(failure: &AshbyError) -> WorkerProblem {
    match failure {
        AshbyError::InvalidKey {
            message: Some(message),
            ..
        } if ["deactivat", "disabled", "revoked"]
            .iter()
            .any(|w| crate::substring::contains(&message.to_ascii_lowercase(), w)) =>
        {
            WorkerProblem::ApiKeyDisabled
        }
        AshbyError::MissingPermission { .. } => WorkerProblem::ApiKeyCannotBeChecked,
        other => other.into(),
    }
}

async fn look_up_user(client: &AshbyClient<FetchTransport>, email: &Email) -> UserMatch {
    let request = UserSearchRequest {
        email: email.to_string(),
    };
    match client.search_users(&request).await {
        Ok(users) => match_user(email, &users),
        Err(failure) => UserMatch::LookupFailed {
            email: email.clone(),
            problem: (&failure).into(),
        },
    }
}

/// The user with exactly this email, an enabled one first.
fn match_user(email: &Email, users: &[User]) -> UserMatch {
    let same = |u: &&User| u.email.as_deref().is_some_and(|e| same_email(e, email));
    let enabled = users
        .iter()
        .filter(same)
        .find(|u| u.is_enabled != Some(false));
    let name = |u: &User| {
        let name = [u.first_name.as_deref(), u.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if name.trim().is_empty() {
            email.to_string()
        } else {
            name
        }
    };
    match (enabled, users.iter().find(same)) {
        (Some(user), _) => UserMatch::Found {
            user_id: user.id.clone(),
            name: name(user),
            email: email.clone(),
        },
        (None, Some(user)) => UserMatch::Disabled {
            name: name(user),
            email: email.clone(),
        },
        (None, None) => UserMatch::NotFound {
            email: email.clone(),
        },
    }
}

/// A page showed the Fetcher account `account_email`: the confirmed account is looked up in
/// Ashby when its match is not on record; a different account only waits for the recruiter
/// to confirm it ([`StoredConnection::account_shown`]), so no page can move the credit or make
/// the worker call `user.search` at will. Returns whether the confirmed account changed.
pub async fn account_shown(account_email: &Email) -> bool {
    let Some(mut record) = storage::local_read::<StoredConnection>(schema::CONNECTION).await else {
        return false;
    };
    let before = record.clone();
    let look_up = record.account_shown(account_email);
    if look_up && super::page_budget::allow(PageCaused::UserLookup) {
        if let Some(client) = client().await {
            record.user = look_up_user(&client, account_email).await;
        }
    }
    if record != before {
        let _ = storage::local_write(schema::CONNECTION, &record).await;
    }
    record.confirmed_account != before.confirmed_account
}

/// The recruiter confirmed in the popup that uploads are now theirs as `email` (the account a
/// page showed since connecting). Its Ashby user is looked up once.
pub async fn confirm_account(email: &Email) -> Answer<ConnectionView> {
    storage::ready().await;
    let Some(mut record) = storage::local_read::<StoredConnection>(schema::CONNECTION).await else {
        return Err(WorkerProblem::ConnectFirst);
    };
    if !record.confirm_account(email) {
        return status().await;
    }
    if let Some(client) = client().await {
        record.user = look_up_user(&client, email).await;
    }
    match storage::local_write(schema::CONNECTION, &record).await {
        Ok(()) => status().await,
        Err(_) => Err(WorkerProblem::StorageFailed),
    }
}

/// The Fetcher account uploads are credited for (and named in notes), if one is confirmed.
pub async fn credited_account() -> Option<Email> {
    storage::local_read::<StoredConnection>(schema::CONNECTION)
        .await?
        .confirmed_account
        .map(Email::lowercased)
}

/// The Fetcher account last seen in a tab.
pub async fn account_email() -> Option<Email> {
    storage::local_read::<AccountSeen>(schema::ACCOUNT)
        .await
        .map(|a| a.email)
}

/// Records what went wrong on the last Fetcher page (`None`: it worked there).
pub async fn record_page_problem(problem: Option<PageProblem>) {
    let _ = match problem {
        Some(problem) => storage::local_write_string(PAGE_PROBLEM, &String::from(problem)).await,
        None => storage::local_remove(&[PAGE_PROBLEM]).await,
    };
}

/// One value of a [`storage::local_many`] read, decoded; `None` when absent or unreadable.
fn decoded<T: FromJson>(
    stored: &std::collections::BTreeMap<String, serde_json::Value>,
    key: &str,
) -> Option<T> {
    T::from_value(stored.get(key)?).ok()
}

/// What the popup and options pages show. Never contains the key.
pub async fn status() -> Answer<ConnectionView> {
    storage::ready().await;
    // Every record the view shows, in one storage read (the popup waits for this answer),
    // asked before the key is looked for: the two reads run at the same time.
    let records = storage::local_many(&[
        schema::CONNECTION,
        schema::KEY_STORAGE,
        schema::REPORT,
        schema::ACCOUNT,
        OUTBOX_PAUSED,
        PAGE_PROBLEM,
    ]);
    let has_key = saved_key().await.is_some();
    let stored = records.await;
    let record = decoded::<StoredConnection>(&stored, schema::CONNECTION);
    let storage = decoded::<KeyStorage>(&stored, schema::KEY_STORAGE).unwrap_or_default();
    let report = decoded::<StorageReport>(&stored, schema::REPORT);
    let view = ConnectionView {
        connected: has_key,
        key_title: record.as_ref().map(|r| r.key_title.clone()),
        scopes: record
            .as_ref()
            .map(|r| r.scopes.clone())
            .unwrap_or_default(),
        remember_key: storage == KeyStorage::Local,
        session_ended: !has_key && record.is_some() && storage == KeyStorage::Session,
        account_email: decoded::<AccountSeen>(&stored, schema::ACCOUNT).map(|a| a.email),
        user: record.as_ref().map(|r| r.user.clone()).unwrap_or_default(),
        uploads_paused: decoded::<crate::domain::UploadProblem>(&stored, OUTBOX_PAUSED),
        storage_problems: report.map(|r| r.problems).unwrap_or_default(),
        page_problem: stored
            .get(PAGE_PROBLEM)
            .and_then(serde_json::Value::as_str)
            .map(|problem| PageProblem::from(problem.to_owned())),
        confirmed_account: record.as_ref().and_then(|r| r.confirmed_account.clone()),
        account_change: record.as_ref().and_then(|r| r.account_change.clone()),
        storage_full: super::quota::full_since().await.is_some(),
    };
    Ok(view)
}

/// Forgets the key (in both places), the connection and every cached Ashby answer. Automation
/// settings, searches seen and the outbox stay: queued uploads wait for a new key.
pub async fn disconnect() -> Answer<Done> {
    // First, before anything is awaited: every client made so far stops sending.
    next_generation();
    storage::ready().await;
    let session = storage::session_delete(schema::API_KEY).await;
    let vault = key_vault::forget().await;
    let all = storage::local_all().await.unwrap_or_default();
    let mut keys: Vec<&str> = vec![
        schema::API_KEY,
        schema::CONNECTION,
        schema::REPORT,
        FINGERPRINT_KEY,
    ];
    keys.extend(
        all.keys()
            .filter(|k| k.starts_with(schema::CACHE_PREFIX))
            .map(String::as_str),
    );
    match (session, vault, storage::local_remove(&keys).await) {
        (Ok(()), Ok(()), Ok(())) => Ok(Done {}),
        _ => Err(WorkerProblem::StorageFailed),
    }
}

/// Keeps the key until the browser closes (`remember: false`) or remembers it; a saved key
/// moves at once.
pub async fn set_key_storage(remember: bool) -> Answer<ConnectionView> {
    storage::ready().await;
    let storage = if remember {
        KeyStorage::Local
    } else {
        KeyStorage::Session
    };
    let moved = async {
        storage::local_write(schema::KEY_STORAGE, &storage).await?;
        match saved_key().await {
            Some(key) => save_key(&key, storage).await,
            None => Ok(()),
        }
    };
    match moved.await {
        Ok(()) => status().await,
        Err(_) => Err(WorkerProblem::StorageFailed),
    }
}

async fn key_storage() -> KeyStorage {
    storage::local_read::<KeyStorage>(schema::KEY_STORAGE)
        .await
        .unwrap_or_default()
}

/// Writes the key where `storage` says (`Local` means remembered, in the vault) and removes it
/// from the other places.
async fn save_key(key: &str, storage: KeyStorage) -> Result<(), wasm_bindgen::JsValue> {
    match storage {
        KeyStorage::Session => {
            storage::session_write(schema::API_KEY, key).await?;
            key_vault::forget().await?;
        }
        KeyStorage::Local => {
            key_vault::write(key).await?;
            storage::session_delete(schema::API_KEY).await?;
        }
    }
    storage::local_remove(&[schema::API_KEY]).await
}

/// The saved key, wherever it is. A key an earlier version kept in `chrome.storage.local`
/// moves out of it on first read.
async fn saved_key() -> Option<String> {
    let key = match storage::session_read(schema::API_KEY).await {
        Some(key) => Some(key),
        None => match key_vault::read().await {
            Some(key) => Some(key),
            None => {
                let legacy = storage::local_string(schema::API_KEY).await?;
                // A move that fails is tried again on the next read.
                let _ = save_key(&legacy, key_storage().await).await;
                Some(legacy)
            }
        },
    };
    key.filter(|k| !k.trim().is_empty())
}

/// The connected key's fingerprint ([`crate::upload::held`]); `None` while disconnected.
pub async fn fingerprint() -> Option<String> {
    if !is_connected().await {
        return None;
    }
    storage::local_read::<String>(FINGERPRINT_KEY).await
}

/// Whether a key is saved (the key itself stays here).
pub async fn is_connected() -> bool {
    storage::ready().await;
    saved_key().await.is_some()
}

/// A client with the saved key, or `None` when disconnected. The only way other worker modules
/// reach Ashby, so the key never leaves this module's storage handling.
pub async fn client() -> Option<AshbyClient<FetchTransport>> {
    let current = generation();
    storage::ready().await;
    let key = saved_key().await?;
    // A key read just before a Disconnect is not handed out after it.
    (generation() == current)
        .then(|| AshbyClient::new(FetchTransport::for_generation(current), key))
}
