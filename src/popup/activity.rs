//! "Recent uploads": today's counts, the last few entries (failures first) with Retry, the
//! full list and the CSV export one click away.

use super::activity_csv;
use crate::browser::{ask_worker, now_ms};
use crate::messages::{ActivityCounts, ActivityItem, ListActivity, RetryFromActivity};
use crate::page_components::dom::{append, button, element, pressed_button_id, set};
use crate::page_components::effect::{derived, effect};
use crate::page_components::work::Work;
use crate::page_components::{handler, line, redrawn, Focused, Notice, NoticeLine};
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
    let retry_failed = derived(None, move |_| Some(Notice::Failed(retry.value()?.err()?)));
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

/// One entry as the list shows it (the time as the browser writes it, in `when`).
#[derive(Debug, PartialEq)]
pub struct ActivityLine {
    pub failed: bool,
    pub who: String,
    /// " · how it was sent · when".
    pub detail: String,
    pub status: String,
    pub ashby_link: Option<String>,
}

pub fn activity_line(item: &ActivityItem, when: &str) -> ActivityLine {
    let record = &item.record;
    let how = match record.origin {
        UploadOrigin::Manual => text::MANUAL_UPLOAD.to_owned(),
        UploadOrigin::Automatic { trigger } => text::automatic_upload(trigger),
    };
    ActivityLine {
        failed: record.status == UploadStatus::Failed,
        who: item
            .candidate_name
            .clone()
            .unwrap_or_else(|| text::UNNAMED_CANDIDATE.to_owned()),
        detail: format!(" · {how} · {when}"),
        status: text::upload_status_line(record, when),
        ashby_link: record.profile_url.clone().map(String::from),
    }
}

/// The ids of the glance's buttons (a failed entry's Retry is `RETRY_ID` and its position).
const SHOW_ALL_ID: &str = "activity-show-all";
const EXPORT_ID: &str = "activity-export";
const RETRY_ID: &str = "activity-retry-";

/// Today's counts, the entries (failures first; the first [`GLANCE`] until "All recent
/// uploads" opens the rest) and the buttons. Drawn by hand, like the popup's notices (as
/// Leptos views, a row and its parts compiled their own typed rendering), and drawn again
/// when the list opens or closes.
#[component]
fn ActivityGlance(
    loaded: std::sync::Arc<Loaded>,
    on_retry: Callback<ActivityItem>,
    notice: RwSignal<Option<Notice>>,
) -> impl IntoView {
    let ordered = StoredValue::new(failures_first(&loaded.items));
    let show_all = RwSignal::new(false);
    let area = NodeRef::<leptos::html::Div>::new();
    let today = loaded.today;
    effect(move || {
        let all = show_all.get();
        if let Some(area) = area.get() {
            ordered.with_value(|ordered| draw_glance(&area, today, ordered, all));
        }
    });
    let on_click = move |event: leptos::ev::MouseEvent| {
        let Some(id) = pressed_button_id(&event) else {
            return;
        };
        if id == SHOW_ALL_ID {
            show_all.update(|all| *all = !*all);
        } else if id == EXPORT_ID {
            let csv = activity_csv::activity_csv(&loaded.items, &loaded.search_titles);
            if download(&activity_csv::file_name(now_ms()), &csv).is_err() {
                notice.set(Some(Notice::Failed(text::EXPORT_FAILED.into())));
            }
        } else if let Some(position) = id.strip_prefix(RETRY_ID) {
            let item = position
                .parse::<usize>()
                .ok()
                .and_then(|position| ordered.with_value(|ordered| ordered.get(position).cloned()));
            if let Some(item) = item {
                on_retry.run(item);
            }
        }
    };
    view! { <div class="glance" node_ref=area on:click=handler(on_click)></div> }
}

fn draw_glance(
    area: &web_sys::Element,
    today: ActivityCounts,
    ordered: &[ActivityItem],
    all: bool,
) {
    let focused = Focused::now();
    area.set_text_content(None);
    append(
        area,
        element(
            "p",
            "today",
            &text::today_counts(today.sent, today.failed, today.queued),
        ),
    );
    let list_area = append(area, element("div", "", ""));
    set(&list_area, "id", "activity-list");
    if ordered.is_empty() {
        append(&list_area, element("p", "muted", text::NO_ACTIVITY));
    } else {
        let list = append(&list_area, element("ul", "activity", ""));
        let shown = if all { ordered.len() } else { GLANCE };
        for (position, item) in ordered.iter().take(shown).enumerate() {
            draw_entry(&list, position, item);
        }
    }
    let actions = append(area, element("div", "row actions", ""));
    if ordered.len() > GLANCE {
        let show_all = button(
            &actions,
            "secondary",
            &text::all_recent_uploads(ordered.len()),
            SHOW_ALL_ID,
        );
        set(&show_all, "aria-controls", "activity-list");
        set(
            &show_all,
            "aria-expanded",
            if all { "true" } else { "false" },
        );
    }
    if !ordered.is_empty() {
        button(&actions, "secondary", text::EXPORT_CSV, EXPORT_ID);
    }
    focused.follow();
}

fn draw_entry(list: &web_sys::Element, position: usize, item: &ActivityItem) {
    let when = js_sys::Date::new(&item.record.at_ms.as_f64().into())
        .to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED)
        .as_string()
        .unwrap_or_default();
    let line = activity_line(item, &when);
    let entry = append(
        list,
        element("li", if line.failed { "failed" } else { "ok" }, ""),
    );
    append(&entry, element("strong", "", &line.who));
    append(&entry, element("span", "muted", &line.detail));
    append(&entry, element("div", "result", &line.status));
    let actions = append(&entry, element("div", "actions", ""));
    if let Some(url) = &line.ashby_link {
        let link = append(&actions, element("a", "", text::OPEN_IN_ASHBY));
        set(&link, "href", url);
        set(&link, "target", "_blank");
        set(&link, "rel", "noopener noreferrer");
    }
    if line.failed {
        button(
            &actions,
            "small",
            text::RETRY,
            &format!("{RETRY_ID}{position}"),
        );
    }
}

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
    fn an_entry_says_who_how_when_and_what_happened() {
        let mut failed = item("a", UploadStatus::Failed);
        failed.candidate_name = Some("Amira Haddad".into());
        failed.record.origin = UploadOrigin::Automatic {
            trigger: crate::domain::Trigger::OnReply,
        };
        let line = activity_line(&failed, "4.12.2026, 10:00:00");
        assert!(line.failed);
        assert_eq!(line.who, "Amira Haddad");
        assert_eq!(
            line.detail,
            format!(
                " · {} · 4.12.2026, 10:00:00",
                text::automatic_upload(crate::domain::Trigger::OnReply)
            )
        );
        assert_eq!(
            line.status,
            text::upload_status_line(&failed.record, "4.12.2026, 10:00:00")
        );
        assert_eq!(line.ashby_link, None);
        let sent = activity_line(&item("b", UploadStatus::Sent), "now");
        assert!(!sent.failed);
        assert_eq!(sent.who, text::UNNAMED_CANDIDATE);
        assert_eq!(sent.detail, format!(" · {} · now", text::MANUAL_UPLOAD));
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
