//! The outbox runner: enqueue durably, drain in FIFO order within a call budget and a rate
//! limit, persist after every step, pause on auth problems, retry failed entries by hand.
//!
//! One call at a time: the runner never overlaps Ashby calls, which serialises writes per
//! candidate (no two creates for the same person can race) and keeps well inside Ashby's rate
//! limit. A second `drain` while one is running returns at once (`busy`), so an alarm and a
//! message arriving together cannot process the same entry twice.
//!
//! Time is always passed in (`now_ms`, epoch milliseconds) and never read from a clock, so the
//! runner is deterministic under test; waits become a `next_wake_at_ms` for `chrome.alarms`.
//! The worker should keep one `Runner` for its lifetime: the pending index is cached in it.

use super::held::{is_held, HeldChoice, HeldUpload};
use super::outbox::{
    record_key, EntryKey, EntryState, InvalidId, OutboxEntry, UploadOrigin, UploadRecord,
    UploadStatus, INDEX_KEY, PAUSED_KEY, RATE_KEY,
};
use super::pipeline::{advance, can_search, next_step, Step, StepResult, UploadContext};
use super::store::{Store, StoreError};
use crate::ashby::http::Transport;
use crate::ashby::AshbyClient;
use crate::domain::{
    CandidateId, Email, EpochMs, FetcherCandidate, JobId, SearchId, UploadProblem,
};
use crate::from_json::FromJson;
use crate::keyed::Keyed;
use crate::to_json::value as to_value;
#[cfg(not(target_arch = "wasm32"))]
use serde::Deserialize;
use serde::Serialize;
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// How many entries a drain reads from storage per `get`.
const READ_BATCH: usize = 100;
/// Application ids read longer ago than this are read again before applying.
pub const APPLICATIONS_FRESH_MS: f64 = 10.0 * 60.0 * 1000.0;
/// Guard against a bug looping on one entry without calls.
const MAX_STEPS_PER_ENTRY_PER_DRAIN: u32 = 64;

/// Runner settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunnerConfig {
    /// Ashby calls per minute, sustained. Ashby allows about 1,000 per key (third-party
    /// figure); 300 leaves room for the popup's calls and for other integrations on the key.
    pub calls_per_minute: u32,
    /// Calls allowed back to back before the per-minute pace applies.
    pub burst: u32,
}

impl Default for RunnerConfig {
    fn default() -> Self {
        Self {
            calls_per_minute: 300,
            burst: 20,
        }
    }
}

/// The rate guard's bucket, persisted under `outbox/rate` between worker runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct RateState {
    pub tokens: f64,
    pub updated_at_ms: f64,
    /// After a 429: no call before this time.
    #[serde(default)]
    pub blocked_until_ms: f64,
}

impl crate::from_json::FromJson for RateState {
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        let fields = crate::from_json::Fields::of(json)?;
        Ok(RateState {
            tokens: fields.required("tokens")?,
            updated_at_ms: fields.required("updatedAtMs")?,
            blocked_until_ms: fields.or_default("blockedUntilMs")?,
        })
    }
}

crate::deserialize_through_from_json!(RateState);

impl crate::json_writer::WriteJson for RateState {
    fn write_json(&self, out: &mut String) {
        let mut object = crate::json_writer::Object::open(out);
        object
            .member("tokens", &self.tokens)
            .member("updatedAtMs", &self.updated_at_ms)
            .member("blockedUntilMs", &self.blocked_until_ms);
        object.close();
    }
}

/// A token bucket as pure arithmetic: answers "may I call now?" or "not before T".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateGuard {
    per_ms: f64,
    burst: f64,
}

impl RateGuard {
    pub fn new(calls_per_minute: u32, burst: u32) -> Self {
        Self {
            per_ms: f64::from(calls_per_minute.max(1)) / 60_000.0,
            burst: f64::from(burst.max(1)),
        }
    }

    /// A full bucket.
    pub fn fresh(&self, now_ms: f64) -> RateState {
        RateState {
            tokens: self.burst,
            updated_at_ms: now_ms,
            blocked_until_ms: 0.0,
        }
    }

    fn refill(&self, state: &mut RateState, now_ms: f64) {
        // A clock that went backwards refills nothing (and does not move the bucket back).
        if now_ms > state.updated_at_ms {
            let elapsed = now_ms - state.updated_at_ms;
            state.tokens = (state.tokens + elapsed * self.per_ms).min(self.burst);
            state.updated_at_ms = now_ms;
        }
        state.tokens = state.tokens.min(self.burst);
    }

    /// `Ok` when a call may be made now, else the earliest time one may.
    pub fn check(&self, state: &mut RateState, now_ms: f64) -> Result<(), f64> {
        if now_ms < state.blocked_until_ms {
            return Err(state.blocked_until_ms);
        }
        self.refill(state, now_ms);
        if state.tokens >= 1.0 {
            Ok(())
        } else {
            Err(now_ms + ((1.0 - state.tokens) / self.per_ms).ceil())
        }
    }

    /// Records `calls` calls made.
    pub fn consume(&self, state: &mut RateState, calls: u32) {
        state.tokens -= f64::from(calls);
    }

    /// Ashby said 429: nothing before `until_ms`.
    pub fn block_until(&self, state: &mut RateState, until_ms: f64) {
        state.blocked_until_ms = state.blocked_until_ms.max(until_ms);
    }
}

/// Why a runner operation failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RunnerError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    InvalidId(#[from] InvalidId),
    #[error("no upload {0} in the outbox")]
    NotFound(String),
    #[error("unreadable outbox data under {key}: {detail}")]
    Corrupt { key: String, detail: String },
}

/// What to upload.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadRequest {
    pub candidate: FetcherCandidate,
    pub job_id: JobId,
    pub job_title: String,
    pub origin: UploadOrigin,
    /// For the note ("Sent from Fetcher by …").
    pub recruiter_email: Option<Email>,
}

/// The result of [`Runner::enqueue`], with the record the card now shows.
#[derive(Debug, Clone, PartialEq)]
pub enum EnqueueOutcome {
    /// A new entry is in the queue.
    Queued(UploadRecord),
    /// The same upload is already queued (or being sent); nothing changed.
    AlreadyQueued(UploadRecord),
    /// The same upload was already completed; nothing changed.
    AlreadySent(UploadRecord),
    /// The same upload had failed; a manual send put it back in the queue.
    Requeued(UploadRecord),
    /// The same upload had failed; an automatic trigger does not retry it (the recruiter does).
    AlreadyFailed(UploadRecord),
}

impl EnqueueOutcome {
    pub fn record(&self) -> &UploadRecord {
        match self {
            Self::Queued(r)
            | Self::AlreadyQueued(r)
            | Self::AlreadySent(r)
            | Self::Requeued(r)
            | Self::AlreadyFailed(r) => r,
        }
    }
}

/// What a [`Runner::drain`] did and when to wake up next.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DrainReport {
    /// Steps taken (calls plus call-free steps).
    pub processed: u32,
    /// Ashby calls made.
    pub calls: u32,
    /// Entries that reached `Done` / `Failed`.
    pub completed: u32,
    pub failed: u32,
    /// When to drain again (`chrome.alarms`); `None` = nothing left to do (or paused). A time
    /// at or before `now_ms` means "as soon as possible" (the budget ran out with work due).
    pub next_wake_at_ms: Option<f64>,
    /// Set while the queue is paused: why.
    pub paused: Option<UploadProblem>,
    /// Another drain was already running; this one did nothing.
    pub busy: bool,
    /// Unreadable entries taken out of the queue.
    pub skipped: u32,
    /// Pending entries queued under another connection, left for the recruiter to decide.
    pub held: u32,
    /// The runner has no client (disconnected), or was disconnected while draining: no call
    /// was made after that; the entries stay queued for the next connection.
    pub stopped: bool,
}

/// Resets the `draining` flag however the drain ends.
struct DrainGuard<'a>(&'a Cell<bool>);

impl Drop for DrainGuard<'_> {
    fn drop(&mut self) {
        self.0.set(false);
    }
}

/// The outbox over a store and an Ashby client.
pub struct Runner<S: Store, T: Transport> {
    store: S,
    /// Swappable: the worker keeps one runner (one index) across connects and disconnects.
    /// `None` while disconnected: the key is then nowhere in the runner.
    client: RefCell<Option<Rc<AshbyClient<T>>>>,
    /// Raised by every [`Runner::disconnect`]; a drain that sees it change makes no more calls.
    connection_epoch: Cell<u64>,
    ctx: RefCell<UploadContext>,
    guard: RateGuard,
    /// The pending keys in FIFO order, once loaded. All index changes go through it
    /// synchronously, so concurrent enqueues and drains cannot lose each other's keys.
    index: RefCell<Option<Vec<String>>>,
    draining: Cell<bool>,
    /// The current connection's fingerprint ([`crate::upload::held`]): stamped on new entries;
    /// entries stamped with another one are held.
    connection: RefCell<Option<String>>,
    /// Contact details seen for queued uploads that lacked them, by entry key, until they are
    /// folded into the entry ([`Runner::settle_sightings`], or by the drain working on it: a
    /// drain holds its own copy of an entry, so writing the entry beside it could undo its
    /// progress). A few at a time (profiles opened while their uploads wait): a list.
    sightings: RefCell<Keyed<FetcherCandidate>>,
    /// Raised whenever a sighting is added: a drain that sees it change runs again at once.
    sightings_added: Cell<u64>,
    /// Set by a `drain` that found one running: whatever asked for it (an upload queued or
    /// queued again, held uploads released, a resume) is seen by another pass at once.
    drain_asked: Cell<bool>,
}

impl<S: Store, T: Transport> Runner<S, T> {
    pub fn new(store: S, client: AshbyClient<T>, ctx: UploadContext) -> Self {
        Self::with_config(store, client, ctx, RunnerConfig::default())
    }

    pub fn with_config(
        store: S,
        client: AshbyClient<T>,
        ctx: UploadContext,
        config: RunnerConfig,
    ) -> Self {
        let runner = Self::disconnected(store, config);
        runner.set_client(client);
        runner.set_context(ctx);
        runner
    }

    /// A runner without a client: it queues, and drains nothing until [`Runner::set_client`].
    pub fn disconnected(store: S, config: RunnerConfig) -> Self {
        Self {
            store,
            client: RefCell::new(None),
            connection_epoch: Cell::new(0),
            ctx: RefCell::new(UploadContext::default()),
            guard: RateGuard::new(config.calls_per_minute, config.burst),
            index: RefCell::new(None),
            draining: Cell::new(false),
            connection: RefCell::new(None),
            sightings: RefCell::new(Keyed::default()),
            sightings_added: Cell::new(0),
            drain_asked: Cell::new(false),
        }
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    /// The client, while connected.
    pub fn client(&self) -> Option<Rc<AshbyClient<T>>> {
        self.client.borrow().clone()
    }

    /// Uses another client from the next call on (the recruiter connected with a new key).
    pub fn set_client(&self, client: AshbyClient<T>) {
        *self.client.borrow_mut() = Some(Rc::new(client));
    }

    /// The recruiter disconnected: the client (and its key) and the upload context are dropped
    /// at once, and a drain under way makes no further call (it stops before its next one).
    /// The queue stays in storage for the next connection.
    pub fn disconnect(&self) {
        self.connection_epoch
            .set(self.connection_epoch.get().wrapping_add(1));
        *self.client.borrow_mut() = None;
        *self.ctx.borrow_mut() = UploadContext::default();
    }

    /// New source / credited user (e.g. after the connection's caches refresh).
    pub fn set_context(&self, ctx: UploadContext) {
        *self.ctx.borrow_mut() = ctx;
    }

    /// The connection uploads are now sent with (`None` while disconnected).
    pub fn set_connection(&self, fingerprint: Option<String>) {
        *self.connection.borrow_mut() = fingerprint;
    }

    pub fn connection(&self) -> Option<String> {
        self.connection.borrow().clone()
    }

    fn holds(&self, entry: &OutboxEntry) -> bool {
        is_held(
            entry.connection.as_deref(),
            self.connection.borrow().as_deref(),
        )
    }

    // ---- Queue operations ------------------------------------------------------------------

    /// Puts an upload in the queue, durably (entry, card record and index in one write)
    /// before returning. The same (search, candidate, job) twice is one entry.
    pub async fn enqueue(
        &self,
        request: UploadRequest,
        now_ms: f64,
    ) -> Result<EnqueueOutcome, RunnerError> {
        self.enqueue_many(vec![request], now_ms)
            .await?
            .pop()
            .unwrap_or_else(|| Err(RunnerError::NotFound(String::new())))
    }

    /// [`Runner::enqueue`] for many uploads with one storage write (an automation batch).
    /// Each request gets its own outcome; unreadable stored data fails only its own request.
    pub async fn enqueue_many(
        &self,
        requests: Vec<UploadRequest>,
        now_ms: f64,
    ) -> Result<Vec<Result<EnqueueOutcome, RunnerError>>, RunnerError> {
        self.load_index().await?;
        let keys: Vec<EntryKey> = requests
            .iter()
            .map(|r| EntryKey::for_candidate(&r.candidate, &r.job_id))
            .collect();
        let storage_keys: Vec<String> = keys.iter().map(EntryKey::storage_key).collect();
        let mut stored = self.store.get(&storage_keys).await?;
        let mut writes: Vec<(String, Value)> = Vec::new();
        let mut index_changed = false;
        let mut sighted = false;
        let mut outcomes = Vec::with_capacity(requests.len());
        for (request, key) in requests.into_iter().zip(keys) {
            let storage_key = key.storage_key();
            let existing: Option<OutboxEntry> = match stored.get(&storage_key) {
                Some(value) => match parse(&storage_key, value) {
                    Ok(entry) => Some(entry),
                    Err(error) => {
                        outcomes.push(Err(error));
                        continue;
                    }
                },
                None => None,
            };
            let outcome = match existing {
                // A waiting automatic upload goes once the candidate can be looked up in Ashby,
                // or when the recruiter sends it by hand (their call).
                Some(mut entry)
                    if entry.state == EntryState::Waiting
                        && (request.origin == UploadOrigin::Manual
                            || can_search(&request.candidate)) =>
                {
                    entry.candidate = request.candidate;
                    entry.state = EntryState::Pending;
                    entry.last_error = None;
                    entry.next_attempt_at_ms = EpochMs::from_clock(now_ms);
                    entry.updated_at_ms = EpochMs::from_clock(now_ms);
                    if request.origin == UploadOrigin::Manual {
                        entry.origin = UploadOrigin::Manual;
                    }
                    index_changed |= self.index_entry(&storage_key);
                    writes.extend(entry_writes(&entry));
                    stored.insert(storage_key, to_value(&entry));
                    EnqueueOutcome::Queued(entry.resting_record())
                }
                Some(entry) if entry.state == EntryState::Waiting => {
                    EnqueueOutcome::AlreadyQueued(entry.resting_record())
                }
                Some(entry) if entry.state == EntryState::Pending => {
                    // Only the index is repaired: the entry itself may be mid-drain, and a
                    // stale copy must never overwrite its progress.
                    index_changed |= self.index_entry(&storage_key);
                    // Queued without contact details and now seen with them (a profile opened
                    // while the upload waits its turn): they must reach the entry, or a
                    // same-name check would leave it waiting for a profile already seen.
                    if adds_contact(&entry.candidate, &request.candidate) {
                        self.sightings
                            .borrow_mut()
                            .insert(storage_key, request.candidate);
                        self.sightings_added
                            .set(self.sightings_added.get().wrapping_add(1));
                        sighted = true;
                    }
                    EnqueueOutcome::AlreadyQueued(entry.resting_record())
                }
                // Created from a card without contact details, and now seen with them: they
                // are added to that Ashby candidate (the entry goes through the queue again,
                // for that one update).
                Some(mut entry)
                    if entry.state == EntryState::Done
                        && entry.progress.candidate.as_ref().is_some_and(|c| c.created)
                        && !can_search(&entry.candidate)
                        && can_search(&request.candidate) =>
                {
                    entry.candidate = request.candidate;
                    entry.state = EntryState::Pending;
                    entry.progress.enrich_pending = true;
                    entry.last_error = None;
                    entry.next_attempt_at_ms = EpochMs::from_clock(now_ms);
                    entry.updated_at_ms = EpochMs::from_clock(now_ms);
                    index_changed |= self.index_entry(&storage_key);
                    writes.extend(entry_writes(&entry));
                    stored.insert(storage_key, to_value(&entry));
                    EnqueueOutcome::Queued(entry.resting_record())
                }
                Some(entry) if entry.state == EntryState::Done => {
                    EnqueueOutcome::AlreadySent(entry.resting_record())
                }
                Some(mut entry) => match request.origin {
                    UploadOrigin::Manual => {
                        entry.reset_for_retry(now_ms);
                        entry.origin = UploadOrigin::Manual;
                        // Sent again by hand: with the organisation connected now.
                        entry.connection = self.connection();
                        index_changed |= self.index_entry(&storage_key);
                        writes.extend(entry_writes(&entry));
                        stored.insert(storage_key, to_value(&entry));
                        EnqueueOutcome::Requeued(entry.resting_record())
                    }
                    UploadOrigin::Automatic { .. } => {
                        EnqueueOutcome::AlreadyFailed(entry.resting_record())
                    }
                },
                None => {
                    // An automatic upload without contact details is queued too: the pipeline
                    // checks Ashby for the same name before creating (`automation::name_only`).
                    let mut entry = OutboxEntry::new(
                        key,
                        request.candidate,
                        request.job_title,
                        request.origin,
                        request.recruiter_email,
                        now_ms,
                    );
                    entry.connection = self.connection();
                    index_changed |= self.index_entry(&storage_key);
                    writes.extend(entry_writes(&entry));
                    // A repeat of this key later in the same batch sees it as queued.
                    stored.insert(storage_key, to_value(&entry));
                    EnqueueOutcome::Queued(entry.resting_record())
                }
            };
            outcomes.push(Ok(outcome));
        }
        if index_changed {
            writes.push((INDEX_KEY.to_owned(), to_value(&self.index_snapshot())));
        }
        if !writes.is_empty() {
            self.store.set(writes).await?;
        }
        // Durable before the answer when no drain holds a copy of the entries (one that does
        // folds the sightings in itself).
        if sighted && !self.draining.replace(true) {
            let _guard = DrainGuard(&self.draining);
            self.settle_sightings(now_ms).await?;
        }
        Ok(outcomes)
    }

    /// Writes the waiting sightings into their stored entries. Only while holding the drain
    /// flag, so no drain has a copy of an entry that this write could be overwritten by (or
    /// overwrite). A sighting an entry cannot take yet stays for later.
    async fn settle_sightings(&self, now_ms: f64) -> Result<(), RunnerError> {
        let keys: Vec<String> = self.sightings.borrow().keys().cloned().collect();
        if keys.is_empty() {
            return Ok(());
        }
        self.load_index().await?;
        let stored = self.store.get(&keys).await?;
        let mut writes = Vec::new();
        let mut index_changed = false;
        for key in keys {
            // Taken after the read: a sighting added meanwhile is the newer one.
            let Some(seen) = self.sightings.borrow_mut().take(&key) else {
                continue;
            };
            let Some(mut entry) = stored
                .get(&key)
                .and_then(|v| parse::<OutboxEntry>(&key, v).ok())
                .filter(|entry| trustworthy(&key, entry))
            else {
                continue;
            };
            match absorb_sighting(&mut entry, &seen, now_ms) {
                Absorbed::Taken => {
                    if entry.state == EntryState::Pending {
                        index_changed |= self.index_entry(&key);
                    }
                    writes.extend(entry_writes(&entry));
                }
                Absorbed::NotYet => self.sightings.borrow_mut().insert_if_absent(key, seen),
                Absorbed::Nothing => {}
            }
        }
        if index_changed {
            writes.push((INDEX_KEY.to_owned(), to_value(&self.index_snapshot())));
        }
        if !writes.is_empty() {
            self.store.set(writes).await?;
        }
        Ok(())
    }

    /// Folds a waiting sighting into the entry a drain is working on.
    fn absorb_waiting_sighting(&self, entry: &mut OutboxEntry, now_ms: f64) -> bool {
        let key = entry.key.storage_key();
        let Some(seen) = self.sightings.borrow_mut().take(&key) else {
            return false;
        };
        match absorb_sighting(entry, &seen, now_ms) {
            Absorbed::Taken => true,
            Absorbed::NotYet => {
                self.sightings.borrow_mut().insert_if_absent(key, seen);
                false
            }
            Absorbed::Nothing => false,
        }
    }

    /// Puts a failed entry back in the queue (progress kept, attempts cleared, due now).
    pub async fn retry(&self, key: &EntryKey, now_ms: f64) -> Result<UploadRecord, RunnerError> {
        let storage_key = key.storage_key();
        self.load_index().await?;
        let mut entry = self
            .read_entry(&storage_key)
            .await?
            .ok_or_else(|| RunnerError::NotFound(storage_key.clone()))?;
        let was_failed = entry.state == EntryState::Failed;
        if was_failed {
            entry.reset_for_retry(now_ms);
            // The recruiter retries it now: with the organisation connected now.
            entry.connection = self.connection();
        }
        let newly_indexed = entry.state == EntryState::Pending && self.index_entry(&storage_key);
        if was_failed || newly_indexed {
            let mut writes = if was_failed {
                entry_writes(&entry)
            } else {
                Vec::new()
            };
            writes.push((INDEX_KEY.to_owned(), to_value(&self.index_snapshot())));
            self.store.set(writes).await?;
        }
        Ok(entry.resting_record())
    }

    /// [`Runner::retry`] for the upload a card shows (its record names the job).
    pub async fn retry_candidate(
        &self,
        search_id: &SearchId,
        candidate_id: &CandidateId,
        now_ms: f64,
    ) -> Result<UploadRecord, RunnerError> {
        let record = self
            .record(search_id, candidate_id)
            .await?
            .ok_or_else(|| RunnerError::NotFound(record_key(search_id, candidate_id)))?;
        let key = EntryKey {
            search_id: search_id.clone(),
            candidate_id: candidate_id.clone(),
            job_id: record.job_id,
        };
        self.retry(&key, now_ms).await
    }

    /// Ends a pause (the recruiter reconnected). The caller then drains.
    pub async fn resume(&self) -> Result<(), RunnerError> {
        self.store.remove(&[PAUSED_KEY.to_owned()]).await?;
        Ok(())
    }

    /// The pause reason, while paused (one stored as English by an earlier version decodes
    /// as [`UploadProblem::Legacy`]).
    pub async fn paused(&self) -> Result<Option<UploadProblem>, RunnerError> {
        let got = self.store.get(&[PAUSED_KEY.to_owned()]).await?;
        Ok(got
            .get(PAUSED_KEY)
            .and_then(|stored| parse(PAUSED_KEY, stored).ok()))
    }

    pub async fn entry(&self, key: &EntryKey) -> Result<Option<OutboxEntry>, RunnerError> {
        self.read_entry(&key.storage_key()).await
    }

    /// The card record of a Fetcher candidate.
    pub async fn record(
        &self,
        search_id: &SearchId,
        candidate_id: &CandidateId,
    ) -> Result<Option<UploadRecord>, RunnerError> {
        let key = record_key(search_id, candidate_id);
        let got = self.store.get(std::slice::from_ref(&key)).await?;
        got.get(&key).map(|v| parse(&key, v)).transpose()
    }

    /// The pending entries' keys, oldest first.
    pub async fn pending_keys(&self) -> Result<Vec<String>, RunnerError> {
        self.load_index().await?;
        Ok(self.index.borrow().clone().unwrap_or_default())
    }

    // ---- Held uploads (queued under another connection) ------------------------------------

    /// The pending uploads queued under another connection than the current one, oldest first.
    pub async fn held(&self) -> Result<Vec<HeldUpload>, RunnerError> {
        Ok(self
            .held_entries()
            .await?
            .into_iter()
            .map(|entry| HeldUpload {
                key: entry.key.storage_key(),
                candidate_name: entry.candidate.name.clone(),
                job_title: entry.job_title.clone(),
            })
            .collect())
    }

    /// The recruiter's choice for every held upload: send them with the current connection
    /// (due now), or discard them (failed, with the reason on the card; a Retry sends it with
    /// the current connection). Returns how many were resolved.
    pub async fn resolve_held(&self, choice: HeldChoice, now_ms: f64) -> Result<u32, RunnerError> {
        let held = self.held_entries().await?;
        let mut writes = Vec::new();
        for mut entry in held.iter().cloned() {
            entry.updated_at_ms = EpochMs::from_clock(now_ms);
            let status = match choice {
                HeldChoice::SendWithCurrent => {
                    entry.connection = self.connection();
                    entry.next_attempt_at_ms = EpochMs::from_clock(now_ms);
                    UploadStatus::Queued
                }
                HeldChoice::Discard => {
                    entry.state = EntryState::Failed;
                    entry.last_error = Some(UploadProblem::DiscardedOtherConnection);
                    self.unindex(&entry.key.storage_key());
                    UploadStatus::Failed
                }
            };
            writes.push((entry.key.storage_key(), to_value(&entry)));
            let mut record = entry.record(status);
            record.at_ms = EpochMs::from_clock(now_ms);
            writes.push((
                record_key(&entry.key.search_id, &entry.key.candidate_id),
                to_value(&record),
            ));
        }
        if choice == HeldChoice::Discard && !held.is_empty() {
            writes.push((INDEX_KEY.to_owned(), to_value(&self.index_snapshot())));
        }
        if !writes.is_empty() {
            self.store.set(writes).await?;
        }
        Ok(held.len() as u32)
    }

    async fn held_entries(&self) -> Result<Vec<OutboxEntry>, RunnerError> {
        if self.connection.borrow().is_none() {
            return Ok(Vec::new());
        }
        self.load_index().await?;
        let keys = self.index_snapshot();
        let stored = self.store.get(&keys).await?;
        Ok(keys
            .iter()
            .filter_map(|key| {
                stored
                    .get(key)
                    .and_then(|v| parse::<OutboxEntry>(key, v).ok())
            })
            .filter(|entry| entry.state == EntryState::Pending && self.holds(entry))
            .collect())
    }

    // ---- Drain -----------------------------------------------------------------------------

    /// Works through due entries in FIFO order until the queue is empty or waiting, paused,
    /// rate-limited, or `budget` Ashby calls were made. Persists each entry (with its card
    /// record) after every step.
    pub async fn drain(&self, now_ms: f64, budget: u32) -> Result<DrainReport, RunnerError> {
        if self.draining.replace(true) {
            self.drain_asked.set(true);
            return Ok(DrainReport {
                busy: true,
                ..DrainReport::default()
            });
        }
        let _guard = DrainGuard(&self.draining);
        self.drain_asked.set(false);
        let mut report = DrainReport::default();
        self.settle_sightings(now_ms).await?;
        let sightings_before = self.sightings_added.get();
        if self.client.borrow().is_none() {
            report.stopped = true;
            return Ok(report);
        }
        let epoch = self.connection_epoch.get();

        if let Some(reason) = self.paused().await? {
            report.paused = Some(reason);
            return Ok(report);
        }
        let mut rate = self.read_rate(now_ms).await?;
        let rate_before = rate;
        self.load_index().await?;
        let index_before = self.index.borrow().clone().unwrap_or_default();
        let snapshot = index_before.clone();

        let mut earliest_wait: Option<f64> = None;
        let mut stop_wake: Option<f64> = None;
        'batches: for batch in snapshot.chunks(READ_BATCH) {
            let stored = self.store.get(batch).await?;
            for storage_key in batch {
                let Some(value) = stored.get(storage_key) else {
                    self.unindex(storage_key);
                    continue;
                };
                let Some(mut entry) = parse::<OutboxEntry>(storage_key, value)
                    .ok()
                    .filter(|entry| trustworthy(storage_key, entry))
                else {
                    // Unreadable (hand-edited, or a future version's): one bad entry must not
                    // block the queue. It stays in storage, out of the index.
                    self.unindex(storage_key);
                    report.skipped += 1;
                    continue;
                };
                if entry.state != EntryState::Pending {
                    self.unindex(storage_key);
                    continue;
                }
                if self.holds(&entry) {
                    // Queued for another organisation: waits for the recruiter's choice.
                    report.held += 1;
                    continue;
                }
                if entry.next_attempt_at_ms > now_ms {
                    earliest_wait = min_time(earliest_wait, entry.next_attempt_at_ms.as_f64());
                    continue;
                }
                match self
                    .work_on(&mut entry, &mut rate, now_ms, budget, epoch, &mut report)
                    .await?
                {
                    Worked::Left => {}
                    Worked::Waiting(at) => earliest_wait = min_time(earliest_wait, at),
                    Worked::Stop(wake) => {
                        stop_wake = wake;
                        break 'batches;
                    }
                    Worked::Paused(reason) => {
                        report.paused = Some(reason);
                        break 'batches;
                    }
                }
            }
        }

        let mut writes = Vec::new();
        if rate != rate_before {
            writes.push((RATE_KEY.to_owned(), to_value(&rate)));
        }
        let index_after = self.index.borrow().clone().unwrap_or_default();
        if index_after != index_before {
            writes.push((INDEX_KEY.to_owned(), to_value(&index_after)));
        }
        if !writes.is_empty() {
            self.store.set(writes).await?;
        }
        // Entries queued while this drain ran are not in its snapshot: they are due now, or
        // a drain that ends here would leave them waiting for the next event (their own kick
        // found this drain busy). Read after the write above: an enqueue can land during it.
        // Likewise contact details seen meanwhile for an entry this drain had already left
        // (e.g. put to wait for a profile): the next drain settles them. And any drain asked
        // for meanwhile: its caller changed something this pass may have read before.
        let queued_meanwhile = self
            .index
            .borrow()
            .iter()
            .flatten()
            .any(|key| !index_before.contains(key))
            || self.sightings_added.get() != sightings_before
            || self.drain_asked.get();
        report.next_wake_at_ms = if report.paused.is_some() || report.stopped {
            None
        } else if queued_meanwhile {
            min_time(stop_wake.or(earliest_wait), now_ms)
        } else {
            stop_wake.or(earliest_wait)
        };
        Ok(report)
    }

    /// Steps one due entry until it completes, waits, or the drain must stop.
    async fn work_on(
        &self,
        entry: &mut OutboxEntry,
        rate: &mut RateState,
        now_ms: f64,
        budget: u32,
        epoch: u64,
        report: &mut DrainReport,
    ) -> Result<Worked, RunnerError> {
        let storage_key = entry.key.storage_key();
        let ctx = self.ctx.borrow().clone();
        for _ in 0..MAX_STEPS_PER_ENTRY_PER_DRAIN {
            self.absorb_waiting_sighting(entry, now_ms);
            refresh_if_stale(entry, now_ms);
            let step = next_step(entry);
            if step == Step::Idle {
                self.unindex(&storage_key);
                return Ok(Worked::Left);
            }
            // Checked before every call: a disconnect while the previous call was under way
            // stops the drain here, with the entry still queued.
            let client = match self.client() {
                Some(client) if self.connection_epoch.get() == epoch => client,
                _ => {
                    report.stopped = true;
                    self.persist(entry, UploadStatus::Queued, now_ms, None)
                        .await?;
                    return Ok(Worked::Stop(None));
                }
            };
            if step.needs_call() {
                if report.calls >= budget {
                    self.persist(entry, UploadStatus::Queued, now_ms, None)
                        .await?;
                    return Ok(Worked::Stop(Some(now_ms)));
                }
                if let Err(wake) = self.guard.check(rate, now_ms) {
                    self.persist(entry, UploadStatus::Queued, now_ms, None)
                        .await?;
                    return Ok(Worked::Stop(Some(wake)));
                }
            }
            let calls_before = entry.progress.calls;
            let result = advance(entry, &client, &ctx).await;
            let calls = entry.progress.calls.saturating_sub(calls_before);
            self.guard.consume(rate, calls);
            report.calls += calls;
            report.processed += 1;
            if entry.progress.known_application_ids.is_some()
                && entry.progress.known_applications_at_ms.is_none()
            {
                entry.progress.known_applications_at_ms = Some(EpochMs::from_clock(now_ms));
            }
            entry.updated_at_ms = EpochMs::from_clock(now_ms);
            match result {
                StepResult::Continue => {
                    self.persist(entry, UploadStatus::Sending, now_ms, None)
                        .await?;
                }
                StepResult::Done => {
                    self.unindex(&storage_key);
                    self.persist(entry, UploadStatus::Sent, now_ms, None)
                        .await?;
                    report.completed += 1;
                    return Ok(Worked::Left);
                }
                StepResult::Failed(_) => {
                    self.unindex(&storage_key);
                    self.persist(entry, UploadStatus::Failed, now_ms, None)
                        .await?;
                    report.failed += 1;
                    return Ok(Worked::Left);
                }
                // Seen with contact details while this step ran: no need to wait.
                StepResult::Wait(_) if self.absorb_waiting_sighting(entry, now_ms) => {
                    self.persist(entry, UploadStatus::Queued, now_ms, None)
                        .await?;
                }
                // Out of the queue until the candidate is seen with contact details.
                StepResult::Wait(_) => {
                    self.unindex(&storage_key);
                    self.persist(entry, UploadStatus::Queued, now_ms, None)
                        .await?;
                    return Ok(Worked::Left);
                }
                StepResult::RetryAfter {
                    after_ms,
                    rate_limited,
                } => {
                    // A wait in milliseconds is far below 2^53, so exact in an f64.
                    #[allow(clippy::cast_precision_loss)]
                    let at = now_ms + after_ms as f64;
                    entry.next_attempt_at_ms = EpochMs::from_clock(at);
                    self.persist(entry, UploadStatus::Queued, now_ms, None)
                        .await?;
                    if rate_limited {
                        // Every call would get the same 429: hold the whole queue.
                        self.guard.block_until(rate, at);
                        return Ok(Worked::Stop(Some(at)));
                    }
                    return Ok(Worked::Waiting(at));
                }
                StepResult::PauseQueue(reason) => {
                    self.persist(
                        entry,
                        UploadStatus::Queued,
                        now_ms,
                        Some((PAUSED_KEY.to_owned(), to_value(&reason))),
                    )
                    .await?;
                    return Ok(Worked::Paused(reason));
                }
            }
        }
        // Not reached unless the step machine loops without calls (a bug): try again later.
        Ok(Worked::Waiting(now_ms + 60_000.0))
    }

    // ---- Storage helpers -------------------------------------------------------------------

    /// Writes the entry and its card record (plus `extra`) in one batch.
    async fn persist(
        &self,
        entry: &OutboxEntry,
        status: UploadStatus,
        now_ms: f64,
        extra: Option<(String, Value)>,
    ) -> Result<(), RunnerError> {
        let mut record = entry.record(status);
        record.at_ms = EpochMs::from_clock(now_ms);
        let mut items = vec![
            (entry.key.storage_key(), to_value(entry)),
            (entry.key.record_key(), to_value(&record)),
        ];
        items.extend(extra);
        self.store.set(items).await?;
        Ok(())
    }

    /// Appends a key to the cached index; `true` if it was not there.
    fn index_entry(&self, storage_key: &str) -> bool {
        let mut cached = self.index.borrow_mut();
        let index = cached.get_or_insert_with(Vec::new);
        if index.iter().any(|k| k == storage_key) {
            return false;
        }
        index.push(storage_key.to_owned());
        true
    }

    fn index_snapshot(&self) -> Vec<String> {
        self.index.borrow().clone().unwrap_or_default()
    }

    fn unindex(&self, storage_key: &str) {
        if let Some(index) = self.index.borrow_mut().as_mut() {
            index.retain(|k| k != storage_key);
        }
    }

    async fn load_index(&self) -> Result<(), RunnerError> {
        if self.index.borrow().is_some() {
            return Ok(());
        }
        let got = self.store.get(&[INDEX_KEY.to_owned()]).await?;
        let loaded: Vec<String> = match got.get(INDEX_KEY) {
            Some(value) => parse(INDEX_KEY, value)?,
            None => Vec::new(),
        };
        // Another task may have loaded it while this one waited for storage.
        self.index.borrow_mut().get_or_insert(loaded);
        Ok(())
    }

    async fn read_entry(&self, storage_key: &str) -> Result<Option<OutboxEntry>, RunnerError> {
        let got = self.store.get(&[storage_key.to_owned()]).await?;
        got.get(storage_key)
            .map(|v| parse(storage_key, v))
            .transpose()
    }

    async fn read_rate(&self, now_ms: f64) -> Result<RateState, RunnerError> {
        let got = self.store.get(&[RATE_KEY.to_owned()]).await?;
        Ok(got
            .get(RATE_KEY)
            .and_then(|v| parse(RATE_KEY, v).ok())
            .unwrap_or_else(|| self.guard.fresh(now_ms)))
    }
}

/// Whether an entry read from storage is one this runner could have written: under its own
/// key, with a candidate in the validated form (its recruiter email is typed). Content scripts
/// can write `chrome.storage.local`; an entry planted there must not reach Ashby.
fn trustworthy(storage_key: &str, entry: &OutboxEntry) -> bool {
    entry.key.storage_key() == storage_key
        && entry.candidate.search_id == entry.key.search_id
        && entry.candidate.candidate_id == entry.key.candidate_id
        && crate::message_checks::check_candidate(&entry.candidate).is_ok()
        && crate::fetcher::fields::clean_text(&entry.job_title, JOB_TITLE_MAX_CHARS)
            == entry.job_title
}

/// Longer job titles than Ashby's own are not ours.
const JOB_TITLE_MAX_CHARS: usize = 500;

enum Worked {
    /// The entry is done, failed or not pending: go on with the next.
    Left,
    /// The entry waits until then: go on with the next.
    Waiting(f64),
    /// Stop the drain; wake at this time.
    Stop(Option<f64>),
    /// Stop the drain: the queue is paused.
    Paused(UploadProblem),
}

/// Application ids read too long ago are read again before deciding to apply.
pub(crate) fn refresh_if_stale(entry: &mut OutboxEntry, now_ms: f64) {
    let p = &mut entry.progress;
    if p.application_id.is_some() || p.armed.is_some() {
        return;
    }
    if let Some(at) = p.known_applications_at_ms {
        if now_ms - at.as_f64() > APPLICATIONS_FRESH_MS {
            p.known_application_ids = None;
            p.known_applications_at_ms = None;
        }
    }
}

/// Whether `seen` brings contact details to an upload queued without any.
fn adds_contact(queued: &FetcherCandidate, seen: &FetcherCandidate) -> bool {
    !can_search(queued) && can_search(seen)
}

/// What [`absorb_sighting`] did.
enum Absorbed {
    /// The entry took the sighting (write it).
    Taken,
    /// Not now: an armed call must follow its arming step, and a create that may have landed
    /// without the details must be rechecked first (only that tells whom they belong to).
    NotYet,
    /// The entry needs it no more (it has contact details, or it failed).
    Nothing,
}

/// Gives an entry queued without contact details the ones seen since, as a new enqueue of
/// the same upload would have (a waiting entry joins the queue; one that created its
/// candidate adds them to it).
fn absorb_sighting(entry: &mut OutboxEntry, seen: &FetcherCandidate, now_ms: f64) -> Absorbed {
    if !adds_contact(&entry.candidate, seen) {
        return Absorbed::Nothing;
    }
    let p = &entry.progress;
    let created = p.candidate.as_ref().map(|c| c.created);
    let unsure_create = created.is_none() && (p.create_attempted || p.create_maybe_landed);
    match (entry.state, created) {
        (EntryState::Pending, _) if unsure_create || p.armed.is_some() => return Absorbed::NotYet,
        (EntryState::Pending, _) | (EntryState::Waiting, None) => {}
        (EntryState::Done, Some(true)) => {}
        _ => return Absorbed::Nothing,
    }
    entry.candidate = seen.clone();
    entry.progress.enrich_pending |= created == Some(true);
    if entry.state != EntryState::Pending {
        entry.state = EntryState::Pending;
        entry.last_error = None;
        entry.next_attempt_at_ms = EpochMs::from_clock(now_ms);
    }
    entry.updated_at_ms = EpochMs::from_clock(now_ms);
    Absorbed::Taken
}

/// An entry and its resting card record, as storage writes.
fn entry_writes(entry: &OutboxEntry) -> Vec<(String, Value)> {
    vec![
        (entry.key.storage_key(), to_value(entry)),
        (entry.key.record_key(), to_value(&entry.resting_record())),
    ]
}

fn min_time(current: Option<f64>, candidate: f64) -> Option<f64> {
    Some(current.map_or(candidate, |c| c.min(candidate)))
}

/// A stored value, read by its hand-written decoder (no serde visitors in the worker's wasm).
fn parse<D: FromJson>(key: &str, value: &Value) -> Result<D, RunnerError> {
    D::from_value(value).map_err(|mismatch| RunnerError::Corrupt {
        key: key.to_owned(),
        detail: mismatch.to_string(),
    })
}

#[cfg(test)]
mod disconnect_tests {
    use super::*;
    use crate::ashby::test_support::block_on;
    use crate::upload::fake_ashby::FakeAshby;
    use crate::upload::store::MemoryStore;
    use std::collections::BTreeMap;

    /// A store that runs a hook once, just before one of its writes (the runner persists
    /// after every Ashby call, so this is "while the drain is between calls").
    #[derive(Default)]
    struct HookStore {
        inner: MemoryStore,
        hook: RefCell<Option<Box<dyn FnOnce()>>>,
    }

    impl Store for HookStore {
        async fn get(&self, keys: &[String]) -> Result<BTreeMap<String, Value>, StoreError> {
            self.inner.get(keys).await
        }
        async fn set(&self, items: Vec<(String, Value)>) -> Result<(), StoreError> {
            let hook = self.hook.borrow_mut().take();
            if let Some(hook) = hook {
                hook();
            }
            self.inner.set(items).await
        }
        async fn remove(&self, keys: &[String]) -> Result<(), StoreError> {
            self.inner.remove(keys).await
        }
    }

    fn request(n: u32) -> UploadRequest {
        UploadRequest {
            candidate: FetcherCandidate {
                search_id: "search-1".parse().unwrap(),
                candidate_id: format!("c{n}").parse().unwrap(),
                name: format!("Candidate {n}"),
                emails: vec![format!("c{n}@example.com").as_str().into()],
                ..FetcherCandidate::new("s".parse().unwrap(), "c".parse().unwrap())
            },
            job_id: "00000001-0000-4000-8000-000000000001".into(),
            job_title: "Backend".into(),
            origin: UploadOrigin::Manual,
            recruiter_email: None,
        }
    }

    #[test]
    fn a_disconnect_between_calls_stops_the_drain_before_its_next_call_and_keeps_the_queue() {
        let ashby = FakeAshby::new();
        let runner = Rc::new(Runner::new(
            HookStore::default(),
            AshbyClient::new(ashby.clone(), "old-key"),
            UploadContext::default(),
        ));
        let requests = (0..5).map(request).collect();
        block_on(runner.enqueue_many(requests, 1.0)).unwrap();
        let weak = Rc::downgrade(&runner);
        *runner.store().hook.borrow_mut() = Some(Box::new(move || {
            weak.upgrade().unwrap().disconnect();
        }));

        let report = block_on(runner.drain(1.0, 1_000)).unwrap();
        assert!(report.stopped);
        assert_eq!(
            ashby.calls().len(),
            1,
            "only the call under way at the disconnect"
        );
        assert_eq!(report.next_wake_at_ms, None);
        assert!(
            runner.client().is_none(),
            "the key is dropped with the client"
        );
        assert_eq!(block_on(runner.pending_keys()).unwrap().len(), 5);
        let record = block_on(runner.record(&"search-1".into(), &"c0".into()))
            .unwrap()
            .unwrap();
        assert_eq!(record.status, UploadStatus::Queued);

        // Still disconnected: another drain makes no call at all.
        let again = block_on(runner.drain(2.0, 1_000)).unwrap();
        assert!(again.stopped);
        assert_eq!(ashby.calls().len(), 1);

        // Reconnected: the queue goes, each candidate once.
        runner.set_client(AshbyClient::new(ashby.clone(), "new-key"));
        let report = block_on(runner.drain(3.0, 1_000)).unwrap();
        assert_eq!((report.completed, report.stopped), (5, false));
        assert_eq!(ashby.candidates().len(), 5);
    }

    #[test]
    fn an_entry_planted_in_storage_never_reaches_ashby() {
        let ashby = FakeAshby::new();
        let runner = Runner::new(
            MemoryStore::new(),
            AshbyClient::new(ashby.clone(), "key"),
            UploadContext::default(),
        );
        block_on(runner.enqueue(request(1), 1.0)).unwrap();
        let key = runner.index_snapshot()[0].clone();
        let written: Value = block_on(runner.store().get(std::slice::from_ref(&key)))
            .unwrap()
            .remove(&key)
            .unwrap();
        // Each way a hand-written entry differs from what the runner writes.
        let tamperings: [(&str, Value); 4] = [
            ("/candidate/name", Value::from("<b>Jane</b>\u{202E}")),
            ("/candidate/emails", serde_json::json!(["not an email"])),
            ("/candidate/candidateId", Value::from("someone-else")),
            ("/recruiterEmail", Value::from("jane\u{202E}@agency.com")),
        ];
        for (pointer, value) in tamperings {
            let mut entry = written.clone();
            // A field left out when none (the recruiter's email here) is added.
            let (parent, field) = pointer.rsplit_once('/').unwrap();
            entry.pointer_mut(parent).unwrap()[field] = value;
            block_on(runner.store().set(vec![(key.clone(), entry)])).unwrap();
            runner.index_entry(&key);
            let report = block_on(runner.drain(2.0, 100)).unwrap();
            assert_eq!((report.calls, report.skipped), (0, 1), "{pointer}");
            assert!(ashby.calls().is_empty());
        }
        // What the runner wrote itself goes.
        block_on(runner.store().set(vec![(key.clone(), written)])).unwrap();
        runner.index_entry(&key);
        assert_eq!(block_on(runner.drain(3.0, 100)).unwrap().completed, 1);
    }

    #[test]
    fn a_runner_made_disconnected_queues_but_calls_nothing() {
        let runner: Runner<_, FakeAshby> =
            Runner::disconnected(MemoryStore::new(), RunnerConfig::default());
        block_on(runner.enqueue(request(1), 1.0)).unwrap();
        let report = block_on(runner.drain(1.0, 1_000)).unwrap();
        assert!(report.stopped);
        assert_eq!(report.processed, 0);
        assert_eq!(block_on(runner.pending_keys()).unwrap().len(), 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_writer::testing::same_as_serde;

    #[test]
    fn rate_states_are_written_as_serde_writes_them() {
        let guard = RateGuard::new(300, 20);
        let mut state = guard.fresh(1_764_000_000_123.0);
        same_as_serde(&state);
        guard.consume(&mut state, 3);
        guard.block_until(&mut state, 1_764_000_060_000.0);
        same_as_serde(&state);
        same_as_serde(&RateState {
            tokens: 19.5,
            updated_at_ms: 0.0,
            blocked_until_ms: -0.0,
        });
    }
}
