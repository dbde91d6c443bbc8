//! "Recent uploads": today's counts, the last few entries (failures first) with Retry, the
//! full list and the CSV export one click away.

use super::activity_csv;
use crate::browser::{ask_worker, now_ms};
use crate::messages::{ActivityCounts, ActivityItem, ListActivity, RetryFromActivity};
use crate::page_components::work::Work;
use crate::page_components::{button, disclosure, handler, line, redrawn, Notice, NoticeLine};
use crate::sorting::SortedMap;
use crate::text;
use crate::upload::{UploadOrigin, UploadStatus};
use leptos::either::Either;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// How many entries show before "All recent uploads".
pub const GLANCE: usize = 3;

/// Failures first (they wait for Retry), then the rest; each part keeps its order.
pub fn failures_first(items: &[ActivityItem]) -> Vec<ActivityItem> {
    let failed = |item: &&ActivityItem| item.record.status == UploadStatus::Failed;
    let (mut first, rest): (Vec<_>, Vec<_>) = items.iter().partition(failed);
    first.extend(rest);
    first.into_iter().cloned().collect()
}

struct Loaded {
    items: Vec<ActivityItem>,
    today: ActivityCounts,
    /// Search id → title, for the CSV export (the activity records only the search's id).
    search_titles: SortedMap<String>,
}

async fn load() -> Result<std::sync::Arc<Loaded>, String> {
    // Without titles the export names searches by id; the list itself does not need them.
    let search_titles = match super::startup::searches_for_activity().await {
        Ok(view) => SortedMap::of(
            view.searches
                .into_iter()
                .filter_map(|s| Some((s.search_id.into(), s.title?))),
        ),
        Err(_) => SortedMap::new(),
    };
    let activity = ask_worker(ListActivity).await?;
    Ok(std::sync::Arc::new(Loaded {
        items: activity.items,
        today: activity.today,
        search_titles,
    }))
}

/// "Recent uploads": today's counts, the last few entries with failures first, the whole list
/// and the CSV export each one click away.
#[component]
pub fn Activity() -> impl IntoView {
    let activity = Work::load(load);
    // A retried upload is queued again: the list is read anew to show it.
    let retry = Work::<()>::new();
    let on_retry = Callback::new(move |item: ActivityItem| {
        retry.run(move || {
            let request = RetryFromActivity {
                search_id: item.search_id.clone(),
                candidate_id: item.candidate_id.clone(),
            };
            async move {
                ask_worker(request).await?;
                activity.run(load);
                Ok(())
            }
        });
    });
    // The export's failure (made here, at once); a Retry's failure has a line of its own.
    let notice = RwSignal::new(None::<Notice>);
    let retry_failed = Memo::new(move |_| Some(Notice::Failed(retry.value()?.err()?)));
    view! {
        <section class="activity" aria-label=text::ACTIVITY_HEADING>
            <h2>{text::ACTIVITY_HEADING}</h2>
            // Read anew after a Retry, the glance shown stays until the new one arrives.
            {move || match activity.value() {
                None => Either::Left(line("muted", None, text::LOADING.to_owned())),
                Some(Ok(loaded)) => {
                    Either::Right(redrawn(view! { <ActivityGlance loaded on_retry notice /> }))
                }
                Some(Err(message)) => Either::Left(line("error", Some("alert"), message)),
            }}
            <NoticeLine notice />
            <NoticeLine notice=retry_failed />
        </section>
    }
}

#[component]
fn ActivityGlance(
    loaded: std::sync::Arc<Loaded>,
    on_retry: Callback<ActivityItem>,
    notice: RwSignal<Option<Notice>>,
) -> impl IntoView {
    let today = loaded.today;
    let ordered = failures_first(&loaded.items);
    let total = ordered.len();
    let show_all = RwSignal::new(false);
    // "All recent uploads" draws the list again with every row: its rows hold nothing to
    // keep (focus stays on the button, outside the list), and a keyed list cost ~10 KB.
    let rows = move || {
        let count = if show_all.get() { total } else { GLANCE };
        let rows = ordered
            .iter()
            .take(count)
            .map(|item| view! { <ActivityRow item=item.clone() on_retry /> })
            .collect::<Vec<_>>();
        redrawn(rows)
    };
    let list = if total == 0 {
        Either::Left(line("muted", None, text::NO_ACTIVITY))
    } else {
        Either::Right(view! { <ul class="activity">{rows}</ul> })
    };
    let export = move |_| {
        let csv = activity_csv::activity_csv(&loaded.items, &loaded.search_titles);
        if download(&activity_csv::file_name(now_ms()), &csv).is_err() {
            notice.set(Some(Notice::Failed(text::EXPORT_FAILED.into())));
        }
    };
    view! {
        <p class="today">{text::today_counts(today.sent, today.failed, today.queued)}</p>
        <div id="activity-list">{list}</div>
        <div class="row actions">
            {(total > GLANCE).then(|| view! {
                <button type="button" class="secondary" aria-controls="activity-list"
                    aria-expanded=disclosure::expanded(show_all)
                    on:click=handler(move |_| show_all.update(|all| *all = !*all))>
                    {text::all_recent_uploads(total)}
                </button>
            })}
            {(total > 0).then(|| button("secondary", text::EXPORT_CSV, export))}
        </div>
    }
}

/// One recent upload or failure, with "Open in Ashby" and Retry.
#[component]
fn ActivityRow(item: ActivityItem, on_retry: Callback<ActivityItem>) -> impl IntoView {
    let record = &item.record;
    let who = item
        .candidate_name
        .clone()
        .unwrap_or_else(|| text::UNNAMED_CANDIDATE.to_owned());
    let how = match record.origin {
        UploadOrigin::Manual => text::MANUAL_UPLOAD.to_owned(),
        UploadOrigin::Automatic { trigger } => text::automatic_upload(trigger),
    };
    let when = js_sys::Date::new(&record.at_ms.as_f64().into())
        .to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED)
        .as_string()
        .unwrap_or_default();
    let status = text::upload_status_line(record, &when);
    let failed = record.status == UploadStatus::Failed;
    let link = record.profile_url.clone().map(String::from).map(|url| {
        view! { <a href=url target="_blank" rel="noopener noreferrer">{text::OPEN_IN_ASHBY}</a> }
    });
    let retry_item = item.clone();
    let retry = failed.then(|| {
        button("small", text::RETRY, move |_| {
            on_retry.run(retry_item.clone());
        })
    });
    view! {
        <li class=if failed { "failed" } else { "ok" }>
            <strong>{who}</strong>
            <span class="muted">{format!(" · {how} · {when}")}</span>
            <div class="result">{status}</div>
            <div class="actions">{link}{retry}</div>
        </li>
    }
}

/// Saves `content` as a file through a temporary object URL and `<a download>` (no markup is
/// built from the data; it only ever becomes the Blob's bytes).
fn download(file_name: &str, content: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let document = window.document().ok_or(JsValue::NULL)?;
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.set_hidden(true);
    document.body().ok_or(JsValue::NULL)?.append_child(&link)?;
    link.click();
    link.remove();
    // Revoked a little later: revoking during the click can cancel the download in Firefox.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CandidateId;
    use crate::upload::UploadRecord;

    fn item(candidate: &str, status: UploadStatus) -> ActivityItem {
        ActivityItem {
            search_id: "s1".into(),
            candidate_id: candidate.into(),
            candidate_name: None,
            record: UploadRecord {
                status,
                job_id: "j1".parse().unwrap(),
                job_title: "Backend".into(),
                ashby_candidate_id: None,
                profile_url: None,
                application_id: None,
                reused: false,
                matched_by: None,
                at_ms: crate::domain::EpochMs::from_clock(0.0),
                error: None,
                origin: UploadOrigin::Manual,
            },
        }
    }

    #[test]
    fn failures_come_first_and_each_part_keeps_its_order() {
        let items = [
            item("a", UploadStatus::Sent),
            item("b", UploadStatus::Failed),
            item("c", UploadStatus::Queued),
            item("d", UploadStatus::Failed),
        ];
        let order: Vec<CandidateId> = failures_first(&items)
            .into_iter()
            .map(|i| i.candidate_id)
            .collect();
        assert_eq!(order, ["b", "d", "a", "c"]);
    }
}
