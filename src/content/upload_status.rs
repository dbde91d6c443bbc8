//! The upload status on each candidate card and on the profile: "Sent to Ashby · <job> ·
//! <time>" with a link to Ashby, or why it failed with a Retry button. Rendered from the upload
//! records the worker keeps in storage, live on every change, and re-attached when the page
//! re-renders a card (React throws away what was injected into it).

use super::card_map::{card_map, CardMap};
use super::feature::{Batch, Feature};
use super::page_reader::ReadCard;
use super::{dom, page, page_reader, status_host};
use crate::browser::{ask_worker, card_dom, decode_js, storage};
use crate::domain::CandidateId;
use crate::fetcher::route::FetcherRoute;
use crate::messages::RetryUpload;
use crate::storage_schema::keys;
use crate::text;
use crate::upload::outbox::{record_key, UploadRecord, UploadStatus};
use std::cell::{Cell, RefCell};
use std::thread::LocalKey;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Element};

pub struct UploadStatuses;

thread_local! {
    /// The records known for the current search, by candidate id (`None` = none stored).
    static RECORDS: RefCell<CardMap<Option<UploadRecord>>> = const { RefCell::new(card_map()) };
    /// The status host last drawn in a card, by candidate id, while its drawing matches the
    /// record: when the page re-renders the card (throwing the host away with the old card),
    /// the same host goes into the new card instead of being built and drawn again.
    static CARD_HOSTS: RefCell<CardMap<Element>> = const { RefCell::new(card_map()) };
    /// Where reading every record of the current search stands: while it is under way, cards
    /// wait for it (it draws them all when done) instead of each batch looking its cards up;
    /// once done, a candidate missing from `RECORDS` has none, and cards get their status in
    /// the mutation callback that sees them.
    static ALL_READ: Cell<ReadingAll> = const { Cell::new(ReadingAll::No) };
    /// Records from the search's upload digest, by candidate id, while reading every record
    /// is under way: `RECORDS` has the say where it knows the candidate, and when every record
    /// is read these are dropped (the digest can lag behind the records).
    static FROM_DIGEST: RefCell<CardMap<Option<UploadRecord>>> = const { RefCell::new(card_map()) };
}

thread_local! {
    /// The storage keys the loader asked for as the page started (for the first route only).
    static EARLY_KEYS: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
    /// The records the loader read as the page started, with the key prefix it guessed from
    /// the URL (for the first route only, if the prefix is the route's).
    static EARLY_RECORDS: RefCell<Option<(String, js_sys::Promise)>> = const { RefCell::new(None) };
    /// The loader's read of the search's upload digest as the page started (`get`'s answer),
    /// with the same guessed prefix.
    static EARLY_DIGEST: RefCell<Option<(String, js_sys::Promise)>> = const { RefCell::new(None) };
}

/// Keeps what the loader asked for as the page started (promises; anything else is ignored)
/// for the first search page's records: `getKeys()`, the records under `prefix`, and the
/// search's upload digest.
pub fn asked_early(keys: JsValue, prefix: JsValue, records: JsValue, digest: JsValue) {
    if let Ok(keys) = keys.dyn_into::<js_sys::Promise>() {
        EARLY_KEYS.set(Some(keys));
    }
    let Some(prefix) = prefix.as_string() else {
        return;
    };
    if let Ok(records) = records.dyn_into::<js_sys::Promise>() {
        EARLY_RECORDS.set(Some((prefix.clone(), records)));
    }
    if let Ok(digest) = digest.dyn_into::<js_sys::Promise>() {
        EARLY_DIGEST.set(Some((prefix, digest)));
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ReadingAll {
    /// Not on a search page, or the browser cannot list keys: cards are looked up as they come.
    No,
    Pending,
    Done,
}

/// Where a status goes: the candidate, the element (a card, or the profile's heading), and
/// whether our host for that candidate is there already (`None`: not known, look).
type Target = (String, Element, Option<bool>);

impl Feature for UploadStatuses {
    /// Starts listening to storage changes.
    fn install(&self) {
        storage::local::on_change(|key, value| {
            if let Some(route) = page::route() {
                record_changed(&route, &key, &value);
            }
        });
    }

    /// A new page: forget the old search's records and attach to whatever is already shown.
    fn enter(&self, route: Option<&FetcherRoute>, signal: &AbortSignal) {
        RECORDS.with_borrow_mut(CardMap::clear);
        FROM_DIGEST.with_borrow_mut(CardMap::clear);
        CARD_HOSTS.with_borrow_mut(CardMap::clear);
        ALL_READ.with(|all| all.set(ReadingAll::No));
        if let Some(route @ FetcherRoute::Search { .. }) = route {
            read_all(route, signal);
        }
        if let Some(route) = route {
            attach(route, targets(route), signal);
        }
    }

    /// Looks only at the cards the batch touched (re-rendered or new ones).
    fn nodes_added(&self, route: &FetcherRoute, batch: &Batch) {
        let Some(signal) = page::signal() else {
            return;
        };
        let targets = match route {
            FetcherRoute::Search { .. } => batch.cards().iter().filter_map(card_target).collect(),
            FetcherRoute::Profile { .. } => targets(route),
        };
        attach(route, targets, &signal);
    }
}

/// Takes the upload records changed while the wasm loaded (`[[key, newValue], …]`, noted by the
/// loader from before its early reads): the early reads may predate them. Called once the first
/// route is entered, so they count as newer than what reading every record finds.
pub fn changed_meanwhile(changes: &JsValue) {
    let (Some(route), Some(changes)) = (page::route(), changes.dyn_ref::<js_sys::Array>()) else {
        return;
    };
    take_changes(&route, changes);
}

fn take_changes(route: &FetcherRoute, changes: &js_sys::Array) {
    for change in changes.iter() {
        let pair: js_sys::Array = change.unchecked_into();
        if let Some(key) = pair.get(0).as_string() {
            record_changed(route, &key, &pair.get(1));
        }
    }
}

/// A record in storage changed (`undefined`: removed): known from now on, and redrawn.
fn record_changed(route: &FetcherRoute, key: &str, value: &JsValue) {
    let prefix = keys::upload_records_of(route.search_id());
    let Some(candidate_id) = key.strip_prefix(&prefix) else {
        return;
    };
    let record = decode_js::<UploadRecord>(value).ok();
    RECORDS.with_borrow_mut(|r| r.insert(candidate_id.to_owned(), record));
    CARD_HOSTS.with_borrow_mut(|hosts| hosts.remove(candidate_id));
    render_for(route, candidate_id);
}

/// Draws the status of each target lacking one; looks up the records not known yet (ignored if
/// the route has been left, `signal`, by the time storage answers).
fn attach(route: &FetcherRoute, targets: Vec<Target>, signal: &AbortSignal) {
    let route = route.clone();
    let signal = signal.clone();
    let mut unknown: Vec<(String, Element)> = Vec::new();
    // Hosts moved back into re-rendered cards, all in one call.
    let parents = js_sys::Array::new();
    let hosts = js_sys::Array::new();
    let reading_all = ALL_READ.with(Cell::get);
    for (candidate_id, anchor, host_seen) in targets {
        let has_host = || match host_seen {
            Some(seen) => seen,
            None => status_host::existing(&anchor, &candidate_id).is_some(),
        };
        let known = RECORDS
            .with_borrow(|r| r.get(&candidate_id).map(Option::is_some))
            .or_else(|| FROM_DIGEST.with_borrow(|r| r.get(&candidate_id).map(Option::is_some)));
        match known {
            // Known: draw it only where a re-render threw it away.
            Some(true) if !has_host() => {
                if let Some(host) = detached_host(&route, &candidate_id) {
                    parents.push(&anchor);
                    hosts.push(&host);
                } else {
                    let record = RECORDS
                        .with_borrow(|r| r.get(&candidate_id).cloned())
                        .or_else(|| FROM_DIGEST.with_borrow(|r| r.get(&candidate_id).cloned()))
                        .flatten();
                    render(&route, &candidate_id, &anchor, record.as_ref());
                }
            }
            Some(false) if on_profile(&route) && !has_host() => {
                render(&route, &candidate_id, &anchor, None);
            }
            Some(_) => {}
            // Every record is read, or being read (which draws every card when done): a card
            // missing from them has none (cards then show nothing).
            None if reading_all != ReadingAll::No && !on_profile(&route) => {}
            None => unknown.push((candidate_id, anchor)),
        }
    }
    if hosts.length() > 0 {
        card_dom::append_each(&parents, &hosts);
    }
    if unknown.is_empty() {
        return;
    }
    // Mark them as being looked up, so the next batch does not ask again.
    RECORDS.with_borrow_mut(|records| {
        for (id, _) in &unknown {
            records.insert(id.clone(), None);
        }
    });
    // One storage read for the whole batch (a page of cards arrives at once).
    let keys: Vec<String> = unknown
        .iter()
        .filter_map(|(id, _)| Some(record_key(route.search_id(), &id.parse().ok()?)))
        .collect();
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(found) = storage::local::get_many(&keys).await else {
            return;
        };
        if signal.aborted() {
            return;
        }
        for (candidate_id, anchor) in unknown {
            let Ok(id) = candidate_id.parse::<CandidateId>() else {
                continue;
            };
            let key = record_key(route.search_id(), &id);
            let value = js_sys::Reflect::get(&found, &JsValue::from_str(&key))
                .unwrap_or(JsValue::UNDEFINED);
            // Nothing stored: cards show nothing (not even what a digest behind the records
            // drew), the profile shows its Send button.
            if value.is_undefined() && !on_profile(&route) {
                if let Some(drawn) = CARD_HOSTS.with_borrow_mut(|hosts| hosts.remove(&candidate_id))
                {
                    drawn.remove();
                }
                continue;
            }
            let record = decode_js::<UploadRecord>(&value).ok();
            RECORDS.with_borrow_mut(|r| r.insert(candidate_id.clone(), record.clone()));
            // The card read a moment ago, unless the page re-rendered it meanwhile.
            if anchor.is_connected() {
                render(&route, &candidate_id, &anchor, record.as_ref());
            } else {
                render_for(&route, &candidate_id);
            }
        }
    });
}

/// Reads every upload record of the search at once, as the page starts (before its cards
/// arrive), so later cards need no storage round trip. The search's upload digest is read at
/// the same time: it needs one round trip where the records need two, so the cards shown by
/// then get their statuses from it first. Records already known (looked up or changed
/// meanwhile) are newer and kept; those from the digest are replaced by the records. Without
/// `getKeys`, cards are looked up as they come.
fn read_all(route: &FetcherRoute, signal: &AbortSignal) {
    let prefix = keys::upload_records_of(route.search_id());
    ALL_READ.with(|all| all.set(ReadingAll::Pending));
    // What the loader read early, if it guessed this route's search.
    let early_for_route = |early: &'static LocalKey<RefCell<Option<(String, js_sys::Promise)>>>| {
        early
            .take()
            .filter(|(guessed, _)| *guessed == prefix)
            .map(|(_, promise)| promise)
    };
    let digest_key = keys::upload_digest(route.search_id());
    let digest = early_for_route(&EARLY_DIGEST)
        .map(JsFuture::from)
        .or_else(|| storage::local::get_many_now(&[digest_key.as_str()]).ok());
    if let Some(digest) = digest {
        let (route, signal) = (route.clone(), signal.clone());
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(found) = digest.await {
                let digest = js_sys::Reflect::get(&found, &JsValue::from_str(&digest_key));
                draw_from_digest(&route, &digest.unwrap_or(JsValue::UNDEFINED), &signal);
            }
        });
    }
    let asked = EARLY_KEYS.take();
    let early = early_for_route(&EARLY_RECORDS);
    let (route, signal) = (route.clone(), signal.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let read = search_records(&prefix, early, asked).await;
        if signal.aborted() {
            return;
        }
        // The digest's records drawn meanwhile are checked against the records below; if these
        // could not be read, those cards are looked up as they come, like the others.
        let copied = FROM_DIGEST.take();
        let Ok((keys, found)) = read else {
            ALL_READ.with(|all| all.set(ReadingAll::No));
            attach(&route, targets(&route), &signal);
            return;
        };
        RECORDS.with_borrow_mut(|records| {
            for key in &keys {
                let value = js_sys::Reflect::get(&found, &JsValue::from_str(key))
                    .unwrap_or(JsValue::UNDEFINED);
                if value.is_undefined() {
                    continue;
                }
                let Some(id) = key.strip_prefix(prefix.as_str()) else {
                    continue;
                };
                if !records.contains_key(id) {
                    records.insert(id.to_owned(), decode_js::<UploadRecord>(&value).ok());
                }
            }
        });
        ALL_READ.with(|all| all.set(ReadingAll::Done));
        // A status drawn from a digest behind the records: redrawn, or removed when the
        // candidate has no record any more (pruned since).
        for (id, copy) in copied {
            let record = RECORDS.with_borrow(|r| r.get(&id).cloned().flatten());
            if record == copy {
                continue;
            }
            let drawn = CARD_HOSTS.with_borrow_mut(|hosts| hosts.remove(&id));
            if record.is_some() {
                render_for(&route, &id);
            } else if let Some(host) = drawn {
                host.remove();
            }
        }
        // The cards shown meanwhile waited for this.
        attach(&route, targets(&route), &signal);
    });
}

/// Takes the digest's records (`{candidateId: record}`) for the candidates not known yet and
/// draws the cards shown that have one, while the records themselves are still being read.
fn draw_from_digest(route: &FetcherRoute, digest: &JsValue, signal: &AbortSignal) {
    if signal.aborted() || ALL_READ.with(Cell::get) != ReadingAll::Pending || !digest.is_object() {
        return;
    }
    let mut taken = false;
    for entry in js_sys::Object::entries(digest.unchecked_ref()).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let Some(id) = pair.get(0).as_string() else {
            continue;
        };
        if id.parse::<CandidateId>().is_err() || RECORDS.with_borrow(|r| r.contains_key(&id)) {
            continue;
        }
        let Ok(record) = decode_js::<UploadRecord>(&pair.get(1)) else {
            continue;
        };
        FROM_DIGEST.with_borrow_mut(|copied| copied.insert(id, Some(record)));
        taken = true;
    }
    if taken {
        attach(route, targets(route), signal);
    }
}

/// Every upload record of a search (keys under `prefix`, and the object holding them): the
/// loader's early read when it has one, else read now (`asked`: its early `getKeys()`).
async fn search_records(
    prefix: &str,
    early: Option<js_sys::Promise>,
    asked: Option<js_sys::Promise>,
) -> Result<(Vec<String>, JsValue), JsValue> {
    let of_search = |key: &String| key.strip_prefix(prefix).is_some_and(|id| !id.contains('/'));
    if let Some(early) = early {
        if let Some(found) = JsFuture::from(early).await.ok().filter(JsValue::is_object) {
            let keys = js_sys::Object::keys(found.unchecked_ref::<js_sys::Object>())
                .iter()
                .filter_map(|key| key.as_string())
                .filter(of_search)
                .collect();
            return Ok((keys, found));
        }
    }
    let keys: Vec<String> = storage::local::keys(asked)
        .await?
        .into_iter()
        .filter(of_search)
        .collect();
    let found = if keys.is_empty() {
        JsValue::UNDEFINED
    } else {
        storage::local::get_many(&keys).await?
    };
    Ok((keys, found))
}

/// The host drawn for `candidate_id` for its current record, if the page has thrown it away
/// with a re-rendered card (it is in no shown card): it can go into the new card as it is.
fn detached_host(route: &FetcherRoute, candidate_id: &str) -> Option<Element> {
    if on_profile(route) {
        return None;
    }
    CARD_HOSTS
        .with_borrow(|hosts| hosts.get(candidate_id).cloned())
        .filter(|host| !host.is_connected())
}

/// A card read from the page as a target, if it shows a candidate of this search.
fn card_target(card: &ReadCard) -> Option<Target> {
    let candidate_id = card.raw.as_ref()?.candidate_id.clone();
    // A host for another candidate is looked at (and removed) by `status_host::existing`.
    let host_seen = match card.host_for.as_str() {
        "" => Some(false),
        id if id == candidate_id => Some(true),
        _ => None,
    };
    Some((candidate_id, card.element.clone(), host_seen))
}

/// Where statuses go: every card on a search page, or the profile's heading.
fn targets(route: &FetcherRoute) -> Vec<Target> {
    match route {
        FetcherRoute::Search { search_id } => page_reader::read_all(search_id)
            .iter()
            .filter_map(card_target)
            .collect(),
        FetcherRoute::Profile { candidate_id, .. } => page_reader::profile_heading()
            .map(|heading| vec![(candidate_id.to_string(), heading, None)])
            .unwrap_or_default(),
    }
}

/// Redraws one candidate's status (its record changed): in its card (the one last read for
/// it, if still shown: no page-wide read per change), or on the profile.
fn render_for(route: &FetcherRoute, candidate_id: &str) {
    let record = RECORDS.with_borrow(|r| r.get(candidate_id).cloned().flatten());
    let anchor = match route {
        FetcherRoute::Search { .. } if record.is_none() => return,
        FetcherRoute::Search { .. } => page_reader::shown_card(candidate_id),
        FetcherRoute::Profile {
            candidate_id: shown,
            ..
        } if shown.as_str() == candidate_id => page_reader::profile_heading(),
        FetcherRoute::Profile { .. } => None,
    };
    if let Some(anchor) = anchor {
        render(route, candidate_id, &anchor, record.as_ref());
    }
}

fn on_profile(route: &FetcherRoute) -> bool {
    matches!(route, FetcherRoute::Profile { .. })
}

/// Draws (or redraws) the status for one candidate next to `anchor`, and on the profile the
/// "Send to Ashby" button.
fn render(
    route: &FetcherRoute,
    candidate_id: &str,
    anchor: &Element,
    record: Option<&UploadRecord>,
) {
    let host = status_host::existing(anchor, candidate_id)
        .unwrap_or_else(|| status_host::new(anchor, candidate_id));
    let Some(shadow) = host.shadow_root() else {
        return;
    };
    if !on_profile(route) {
        CARD_HOSTS.with_borrow_mut(|hosts| hosts.insert(candidate_id.to_owned(), host.clone()));
    }
    // Redrawing must not take keyboard focus away from the recruiter's button.
    let had_focus = shadow.active_element().is_some();
    shadow.set_text_content(None);
    shadow
        .append_child(&dom::element("style", STATUS_CSS, &[]))
        .ok();
    if on_profile(route) {
        let button = profile_button(record);
        shadow.append_child(&button).ok();
        if had_focus && !button.has_attribute("disabled") {
            button.unchecked_ref::<web_sys::HtmlElement>().focus().ok();
        }
    }
    let Some(record) = record else {
        return;
    };
    let search_id = route.search_id();
    let time = js_sys::Date::new(&JsValue::from_f64(record.at_ms.as_f64()))
        .to_locale_time_string("default")
        .as_string()
        .unwrap_or_default();
    let class = match record.status {
        UploadStatus::Sent => "sent",
        UploadStatus::Failed => "failed",
        UploadStatus::Queued | UploadStatus::Sending => "pending",
        UploadStatus::Skipped => "skipped",
    };
    let status = dom::element(
        "div",
        &text::upload_status_line(record, &time),
        &[
            ("role", "status"),
            ("aria-label", text::UPLOAD_STATUS_NAME),
            ("class", class),
        ],
    );
    if let Some(url) = &record.profile_url {
        status.append_child(&dom::text(" · ")).ok();
        status.append_child(&dom::ashby_link(url)).ok();
    }
    shadow.append_child(&status).ok();
    if record.status == UploadStatus::Failed {
        let retry = dom::element("button", text::RETRY, &[("type", "button")]);
        let failed = js_sys::Array::of2(
            &JsValue::from_str(search_id),
            &JsValue::from_str(candidate_id),
        );
        RETRY_TARGETS.with(|targets| targets.set(retry.unchecked_ref(), &failed));
        RETRY_CLICK.with(|handler| {
            retry
                .add_event_listener_with_callback("click", handler.as_ref().unchecked_ref())
                .ok()
        });
        shadow.append_child(&retry).ok();
    }
}

/// The profile's "Send to Ashby" button: "Send again…" once sent for this search, disabled
/// while an upload is queued or sending (the status beside it says which).
fn profile_button(record: Option<&UploadRecord>) -> Element {
    let (label, disabled) = match record.map(|r| r.status) {
        Some(UploadStatus::Queued | UploadStatus::Sending) => (text::SEND_TO_ASHBY, true),
        Some(UploadStatus::Sent) => (text::SEND_AGAIN, false),
        _ => (text::SEND_TO_ASHBY, false),
    };
    let button = dom::element("button", label, &[("type", "button"), ("class", "send")]);
    if disabled {
        button.set_attribute("disabled", "").ok();
    }
    PROFILE_CLICK.with(|handler| {
        button
            .add_event_listener_with_callback("click", handler.as_ref().unchecked_ref())
            .ok()
    });
    button
}

thread_local! {
    /// Which upload each Retry button retries: `[search id, candidate id]` by button, kept
    /// out of the page's reach (not in an attribute it could rewrite); a button the page throws
    /// away takes its entry with it.
    static RETRY_TARGETS: js_sys::WeakMap = js_sys::WeakMap::new();
    /// One click handler shared by every Retry button ever drawn (redraws add none).
    static RETRY_CLICK: Closure<dyn FnMut(web_sys::Event)> =
        Closure::new(|event: web_sys::Event| {
            // Only the recruiter's own click: a page script's click() or dispatchEvent is not.
            if !event.is_trusted() {
                return;
            }
            let Some(button) = event.current_target() else {
                return;
            };
            let Ok(failed) = RETRY_TARGETS
                .with(|targets| targets.get(button.unchecked_ref()))
                .dyn_into::<js_sys::Array>()
            else {
                return;
            };
            let (Some(search_id), Some(candidate_id)) = (
                failed.get(0).as_string().and_then(|id| id.parse().ok()),
                failed.get(1).as_string().and_then(|id| id.parse().ok()),
            ) else {
                return;
            };
            let request = RetryUpload {
                search_id,
                candidate_id,
            };
            wasm_bindgen_futures::spawn_local(async move {
                // A refused retry (disconnected, nothing left to retry…) says why, as does a
                // worker that does not answer: a Retry that does nothing visible is a dead end.
                if let Err(error) = ask_worker(request).await {
                    super::notice::show(&text::worker_problem(&error.problem()));
                }
            });
        });
    /// One click handler shared by every profile button ever drawn (redraws add none).
    static PROFILE_CLICK: Closure<dyn FnMut(web_sys::Event)> =
        Closure::new(|event: web_sys::Event| {
            // Only the recruiter's own click (mouse, or Enter/Space on the focused button): a
            // page script's click() or dispatchEvent is not trusted and does nothing.
            if !event.is_trusted() {
                return;
            }
            let button = event
                .current_target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlElement>().ok());
            wasm_bindgen_futures::spawn_local(super::send_dialog::open_for_profile(button));
        });
}

const STATUS_CSS: &str = "\
:host{all:initial;display:flex;flex-wrap:wrap;align-items:center;gap:6px 8px;margin:6px 0;\
font:13px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif}\
div{font:13px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;padding:4px 8px;border-radius:6px;\
display:inline-block;overflow-wrap:anywhere}\
.sent{background:#ecfdf5;color:#065f46}.pending{background:#eff6ff;color:#1e40af}\
.failed{background:#fef2f2;color:#991b1b}.skipped{background:#f4f4f5;color:#3f3f46}a{color:inherit;font-weight:600}\
button{font:13px/1.4 system-ui,sans-serif;padding:3px 10px;border-radius:6px;border:0;\
background:#991b1b;color:#fff;cursor:pointer}button.send{order:-1;background:#4f46e5}\
button[disabled]{opacity:.55;cursor:default}:focus-visible{outline:3px solid #a5b4fc;outline-offset:2px}";

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    async fn the_loaders_early_read_gives_the_searchs_records_only() {
        let found: JsValue = js_sys::JSON::parse(
            r#"{"upload/s-1/c_1": {"status": "Sent"}, "upload/s-1/c_2/x": 1, "upload/s-10/c_3": 2, "history/s-1/c_4": 3}"#,
        )
        .unwrap();
        let early = js_sys::Promise::resolve(&found);
        let (keys, records) = search_records("upload/s-1/", Some(early), None)
            .await
            .unwrap();
        assert_eq!(keys, ["upload/s-1/c_1"]);
        assert_eq!(records, found);
    }

    fn record(job_title: &str) -> JsValue {
        record_in("Sent", job_title)
    }

    fn record_in(status: &str, job_title: &str) -> JsValue {
        let text = format!(
            "{{\"status\": \"{status}\", \"jobId\": \"j1\", \"jobTitle\": \"{job_title}\", \"atMs\": 1, \"origin\": {{\"kind\": \"manual\"}}}}"
        );
        js_sys::JSON::parse(&text).unwrap()
    }

    fn status_text(candidate_id: &str) -> Option<String> {
        let link = dom::document()
            .query_selector(&format!("#fixture a[href$='/candidates/{candidate_id}']"))
            .unwrap()
            .expect("the fixture's card");
        let card = link.closest("article, [role=article]").unwrap().unwrap();
        let host = status_host::existing(&card, candidate_id)?;
        host.shadow_root()?.text_content()
    }

    /// A promise, and what resolves it.
    fn pending() -> (js_sys::Promise, js_sys::Function) {
        let mut resolve = None;
        let promise = js_sys::Promise::new(&mut |done, _| resolve = Some(done));
        (promise, resolve.unwrap())
    }

    async fn tasks_run() {
        for _ in 0..3 {
            let tick = js_sys::Promise::new(&mut |done, _| {
                dom::window().set_timeout_with_callback(&done).unwrap();
            });
            JsFuture::from(tick).await.unwrap();
        }
    }

    /// The fixture's search, and its upload records' key prefix.
    const SEARCH: &str = "search-eng-berlin";
    const PREFIX: &str = "upload/search-eng-berlin/";

    /// Loads the search fixture and enters it as the loader starts the wasm, with `records`
    /// and `digest` standing for its early reads; returns the route entered.
    fn enter_search_page(records: js_sys::Promise, digest: JsValue) -> FetcherRoute {
        crate::content::test_page::load(include_str!("../../tests/fixtures/pages/search.html"));
        let route = FetcherRoute::Search {
            search_id: SEARCH.parse().unwrap(),
        };
        asked_early(JsValue::UNDEFINED, PREFIX.into(), records.into(), digest);
        let signal = web_sys::AbortController::new().unwrap().signal();
        UploadStatuses.enter(Some(&route), &signal);
        route
    }

    #[wasm_bindgen_test]
    async fn cards_show_the_digest_first_then_what_the_records_say() {
        let digest = js_sys::Object::new();
        js_sys::Reflect::set(&digest, &"cand-a".into(), &record("Older title")).unwrap();
        js_sys::Reflect::set(&digest, &"cand-b".into(), &record("Pruned since")).unwrap();
        let read = js_sys::Object::new();
        let digest_key = format!("uploadDigest/{SEARCH}");
        js_sys::Reflect::set(&read, &digest_key.into(), &digest).unwrap();
        let (records, records_read) = pending();
        enter_search_page(records, js_sys::Promise::resolve(&read).into());
        tasks_run().await;
        assert!(status_text("cand-a").unwrap().contains("Older title"));
        assert!(status_text("cand-b").unwrap().contains("Pruned since"));

        // The records: cand-a's is newer than its copy, cand-b's is gone.
        let found = js_sys::Object::new();
        let key = format!("{PREFIX}cand-a");
        js_sys::Reflect::set(&found, &key.into(), &record("Senior Engineer")).unwrap();
        records_read.call1(&JsValue::NULL, &found).unwrap();
        tasks_run().await;
        let shown = status_text("cand-a").unwrap();
        assert!(
            shown.contains("Senior Engineer") && !shown.contains("Older title"),
            "{shown}"
        );
        assert_eq!(status_text("cand-b"), None);
        assert!(ALL_READ.with(Cell::get) == ReadingAll::Done);
        crate::content::test_page::unload();
    }

    #[wasm_bindgen_test]
    async fn records_changed_while_the_wasm_loaded_win_over_the_early_read() {
        let (key_a, key_b) = (format!("{PREFIX}cand-a"), format!("{PREFIX}cand-b"));
        // The loader's read: cand-a still queued, cand-b sent.
        let found = js_sys::Object::new();
        let queued = record_in("Queued", "Senior Engineer");
        js_sys::Reflect::set(&found, &key_a.as_str().into(), &queued).unwrap();
        js_sys::Reflect::set(&found, &key_b.as_str().into(), &record("Staff Engineer")).unwrap();
        let (records, records_read) = pending();
        let route = enter_search_page(records, JsValue::UNDEFINED);
        // Meanwhile the worker sent cand-a and cand-b's record was pruned.
        let changes = js_sys::Array::of2(
            &js_sys::Array::of2(&key_a.into(), &record("Senior Engineer")),
            &js_sys::Array::of2(&key_b.into(), &JsValue::UNDEFINED),
        );
        take_changes(&route, &changes);
        records_read.call1(&JsValue::NULL, &found).unwrap();
        tasks_run().await;
        let shown = status_text("cand-a").unwrap();
        assert!(
            shown.contains("Sent to Ashby") && !shown.contains("Queued"),
            "{shown}"
        );
        assert_eq!(status_text("cand-b"), None);
        crate::content::test_page::unload();
    }
}
