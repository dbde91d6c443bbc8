//! Views shared by the popup and the options page. They take their data as props and report
//! actions through callbacks, so they render (and are tested) without `chrome.*`.

use crate::ashby::scopes::ScopeReport;
use crate::domain::{SearchAutomation, Trigger};
use crate::job_picker::{describe, status_flag, JobFilter, MAX_OPTIONS};
use crate::messages::{ActivityItem, ConnectionView, JobChoice, SearchItem};
use crate::storage_schema as schema;
use crate::text;
use crate::upload::{UploadOrigin, UploadStatus};
use leptos::prelude::*;

/// A result shown under a form: done (`role=status`) or refused (`role=alert`).
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    Done(String),
    Failed(String),
}

#[component]
pub fn NoticeLine(notice: RwSignal<Option<Notice>>) -> impl IntoView {
    move || match notice.get() {
        Some(Notice::Done(message)) => {
            view! { <p role="status" class="done">{message}</p> }.into_any()
        }
        Some(Notice::Failed(message)) => {
            view! { <p role="alert" class="error">{message}</p> }.into_any()
        }
        None => ().into_any(),
    }
}

/// The key's title, the matched Ashby user, where the key is kept, and the permission report.
#[component]
pub fn ConnectionDetails(view: ConnectionView) -> impl IntoView {
    let report = ScopeReport::from_scopes(&view.scopes);
    let title = view.key_title.clone().unwrap_or_default();
    let user_class = match view.user {
        crate::storage_schema::UserMatch::Found { .. } => "user found",
        _ => "user warning",
    };
    let kept = if view.remember_key {
        text::KEY_REMEMBERED
    } else {
        text::KEY_IN_SESSION
    };
    view! {
        <section class="connection" aria-label=text::CONNECTION_HEADING>
            <p role="status" class="connected">{format!("{} {title}", text::CONNECTED_AS)}</p>
            <p class="kept">{format!("{}: {kept}.", text::KEY_STORAGE_HEADING)}</p>
            {view.uploads_paused.map(|reason| view! { <p class="warning">{reason}</p> })}
            <h2>{text::ASHBY_USER_HEADING}</h2>
            <p class=user_class>{text::user_match(&view.user)}</p>
            <PermissionReport report />
        </section>
    }
}

/// Each needed permission with what it is for, granted or missing; then the unneeded ones.
#[component]
pub fn PermissionReport(report: ScopeReport) -> impl IntoView {
    let summary = if report.is_complete() {
        view! { <p class="done">{text::PERMISSIONS_COMPLETE}</p> }.into_any()
    } else {
        view! { <p role="alert" class="error">{text::PERMISSIONS_INCOMPLETE}</p> }.into_any()
    };
    let rows = report
        .needed
        .iter()
        .map(|&(permission, granted)| {
            let (class, mark, state) = if granted {
                ("granted", "✓", text::PERMISSION_GRANTED)
            } else {
                ("missing", "✗", text::PERMISSION_MISSING)
            };
            view! {
                <li class=class>
                    <span class="mark" aria-hidden="true">{mark}</span>
                    <span class="what">
                        <strong>{text::permission_label(permission)}</strong>
                        " — "{text::permission_purpose(permission)}
                    </span>
                    <span class="state">{state}</span>
                </li>
            }
        })
        .collect_view();
    let unneeded = (!report.unneeded.is_empty()).then(|| {
        view! { <p class="warning unneeded">{text::unneeded_permissions(&report.unneeded)}</p> }
    });
    view! {
        <section class="permissions" aria-label=text::PERMISSIONS_HEADING>
            <h2>{text::PERMISSIONS_HEADING}</h2>
            {summary}
            <ul>{rows}</ul>
            {unneeded}
        </section>
    }
}

/// The popup's "Ashby job" picker: a type-to-filter combobox (the ARIA combobox pattern with
/// a listbox popup), filtering with the same [`JobFilter`] as the Send dialog. `value` is the
/// chosen job's id ("" for none). Keyboard: Down/Up move through the options (Down opens the
/// list), Enter picks, Escape closes and restores the chosen job. Jobs that cannot take
/// candidates (drafts) are flagged; a chosen job missing from the list is shown as no longer
/// open.
#[component]
pub fn JobCombobox(
    input_id: String,
    jobs: RwSignal<Option<Vec<JobChoice>>>,
    value: RwSignal<String>,
) -> impl IntoView {
    let listbox_id = format!("{input_id}-list");
    let option_id = {
        let input_id = input_id.clone();
        move |position: usize| format!("{input_id}-opt-{position}")
    };
    // What the recruiter typed since the list opened (`None`: nothing yet, show the choice).
    let typed = RwSignal::new(None::<String>);
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    // Built lazily, when the list first opens, and again only when the job list changes.
    let filter =
        Memo::new(move |_| jobs.with(|list| JobFilter::new(list.as_deref().unwrap_or_default())));
    let shown = Memo::new(move |_| {
        if !open.get() {
            return Vec::new();
        }
        let query = typed.get().unwrap_or_default();
        filter.with(|f| f.matching(&query, MAX_OPTIONS))
    });
    let chosen_text = move || {
        let chosen = value.get();
        if chosen.is_empty() {
            return String::new();
        }
        jobs.with(|list| match list {
            Some(list) => list
                .iter()
                .find(|job| job.id == chosen)
                .map(describe)
                .unwrap_or_else(|| text::JOB_NO_LONGER_OPEN.to_owned()),
            None => text::LINKED_JOB.to_owned(),
        })
    };
    let close = move || {
        open.set(false);
        active.set(None);
        typed.set(None);
    };
    let choose = move |position: usize| {
        let index = shown.with_untracked(|shown| shown.get(position).copied());
        let id = index.and_then(|i| {
            jobs.with_untracked(|list| list.as_ref().and_then(|l| l.get(i)).map(|j| j.id.clone()))
        });
        if let Some(id) = id {
            value.set(id);
        }
        close();
    };
    let move_active = move |step: isize| {
        let count = shown.with_untracked(Vec::len);
        if count == 0 {
            return;
        }
        let last = count as isize - 1;
        let next = match active.get_untracked() {
            None if step > 0 => 0,
            None => last,
            Some(current) => (current as isize + step).clamp(0, last),
        };
        active.set(Some(next as usize));
    };
    let on_key = move |event: leptos::ev::KeyboardEvent| match event.key().as_str() {
        "ArrowDown" => {
            event.prevent_default();
            if open.get_untracked() {
                move_active(1);
            } else {
                open.set(true);
            }
        }
        "ArrowUp" => {
            event.prevent_default();
            if open.get_untracked() {
                move_active(-1);
            }
        }
        "Enter" if open.get_untracked() => {
            // Picking an option must not submit the form around the picker.
            event.prevent_default();
            match active.get_untracked() {
                Some(position) => choose(position),
                None => close(),
            }
        }
        "Escape" if open.get_untracked() => {
            event.prevent_default();
            close();
        }
        _ => {}
    };
    let on_input = move |event: leptos::ev::Event| {
        typed.set(Some(event_target_value(&event)));
        active.set(None);
        open.set(true);
    };
    // Leaving the box closes the list; a box emptied by the recruiter clears the choice.
    let on_blur = move |_| {
        if typed.get_untracked().is_some_and(|t| t.trim().is_empty()) {
            value.set(String::new());
        }
        close();
    };
    let active_id = {
        let option_id = option_id.clone();
        move || active.get().map(&option_id)
    };
    // Keep the highlighted option in view while moving with the keyboard.
    {
        let option_id = option_id.clone();
        Effect::new(move |_| {
            if let Some(position) = active.get() {
                let element = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id(&option_id(position)));
                if let Some(element) = element {
                    element.scroll_into_view_with_bool(false);
                }
            }
        });
    }
    let options = move || {
        let chosen = value.get();
        let current = active.get();
        jobs.with(|list| {
            let list = list.as_deref().unwrap_or_default();
            shown
                .get()
                .into_iter()
                .enumerate()
                .filter_map(|(position, index)| {
                    let job = list.get(index)?;
                    let selected = job.id == chosen;
                    let flag = status_flag(job).map(|status| {
                        view! { <span class="flag">{text::job_status_flag(status)}</span> }
                    });
                    let class = if current == Some(position) {
                        "active"
                    } else {
                        ""
                    };
                    Some(view! {
                        <li role="option" id=option_id(position) class=class
                            aria-selected=if selected { "true" } else { "false" }
                            on:mousedown=move |event| {
                                // Keep focus in the box, so blur does not close the list first.
                                event.prevent_default();
                                choose(position);
                            }>
                            <span class="job">{describe(job)}</span>
                            {flag}
                        </li>
                    })
                })
                .collect_view()
        })
    };
    let empty = move || {
        (open.get() && shown.with(Vec::is_empty)).then(|| {
            let message = if jobs.with(|l| l.as_ref().is_none_or(Vec::is_empty)) {
                text::NO_OPEN_JOBS
            } else {
                text::NO_MATCHING_JOBS
            };
            view! { <p class="combo-empty muted">{message}</p> }
        })
    };
    let chosen_flag = move || {
        let chosen = value.get();
        jobs.with(|list| {
            list.as_ref()?
                .iter()
                .find(|job| job.id == chosen)
                .and_then(status_flag)
                .map(text::job_status_flag)
        })
    };
    view! {
        <div class="combo">
            <input id=input_id type="text" role="combobox" autocomplete="off" spellcheck="false"
                aria-autocomplete="list"
                aria-controls=listbox_id.clone()
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-activedescendant=active_id
                placeholder=text::JOB_PICKER_PLACEHOLDER
                prop:value=move || typed.get().unwrap_or_else(chosen_text)
                on:input=on_input
                on:keydown=on_key
                on:click=move |_| open.set(true)
                on:blur=on_blur />
            {move || chosen_flag().map(|flag| view! { <span class="flag chosen">{flag}</span> })}
            <ul id=listbox_id role="listbox" aria-label=text::JOB_PICKER_LABEL
                hidden=move || !open.get()>
                {options}
            </ul>
            {empty}
        </div>
    }
}

/// One Fetcher search's "Ashby Sync" form. `on_save` gets the setting to save (already
/// checked here) and the notice to report the outcome in.
#[component]
pub fn SearchCard(
    item: SearchItem,
    jobs: RwSignal<Option<Vec<JobChoice>>>,
    on_save: Callback<(SearchAutomation, RwSignal<Option<Notice>>)>,
) -> impl IntoView {
    let saved = item.automation.clone();
    let (saved_limit, enabled_at) = (saved.applicant_limit, saved.enabled_at_ms);
    let search_id = item.search_id.clone();
    let title = item
        .title
        .clone()
        .unwrap_or_else(|| text::UNTITLED_SEARCH.to_owned());
    let read_only = item.read_only_reason.is_some();
    let job = RwSignal::new(saved.job_id.clone().unwrap_or_default());
    let auto = RwSignal::new(saved.enabled);
    let trigger = RwSignal::new(saved.trigger);
    let limit = RwSignal::new(
        saved
            .applicant_limit
            .map(|l| l.to_string())
            .unwrap_or_default(),
    );
    let notice = RwSignal::new(None::<Notice>);
    let ids = |what: &str| format!("{what}-{search_id}");
    let (heading_id, job_id, auto_id, when_id, limit_id) = (
        ids("search"),
        ids("job"),
        ids("auto"),
        ids("when"),
        ids("limit"),
    );

    // The linked job, flagged when it is no longer among Ashby's open jobs.
    let flag = move || {
        let chosen = job.get();
        let jobs = jobs.get()?;
        schema::job_flag((!chosen.is_empty()).then_some(chosen.as_str()), &jobs)
    };
    let trigger_options = move || {
        Trigger::ALL
            .into_iter()
            .map(|t| {
                view! {
                    <option value=format!("{t:?}") prop:selected=move || trigger.get() == t>
                        {text::trigger_label(t)}
                    </option>
                }
            })
            .collect_view()
    };

    let search_for_save = search_id.clone();
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let applicant_limit = match schema::parse_limit(&limit.get_untracked()) {
            Ok(limit) => limit,
            Err(problem) => {
                notice.set(Some(Notice::Failed(text::automation_problem(&problem))));
                return;
            }
        };
        let chosen = job.get_untracked();
        let automation = SearchAutomation {
            search_id: search_for_save.clone(),
            job_id: (!chosen.is_empty()).then_some(chosen),
            enabled: auto.get_untracked(),
            trigger: trigger.get_untracked(),
            applicant_limit,
            enabled_at_ms: enabled_at,
        };
        let open_jobs = jobs.get_untracked();
        if let Err(problem) = schema::validate_automation(&automation, open_jobs.as_deref()) {
            notice.set(Some(Notice::Failed(text::automation_problem(&problem))));
            return;
        }
        notice.set(Some(Notice::Done(text::SAVING.into())));
        on_save.run((automation, notice));
    };

    let owner = item.owner_email.clone().map(|owner| {
        view! { <p class="owner">{format!("{}: {owner}", text::OWNER)}</p> }
    });
    let reason = item
        .read_only_reason
        .clone()
        .map(|reason| view! { <p class="read-only">{reason}</p> });
    let uploaded = item.uploaded;
    let count = move || {
        let limit = schema::parse_limit(&limit.get()).unwrap_or(saved_limit);
        text::uploaded_count(uploaded, limit)
    };
    let labelled_by = heading_id.clone();
    view! {
        <section class="search" aria-labelledby=labelled_by>
            <h3 id=heading_id>{title}</h3>
            {owner}
            {reason}
            // `novalidate`: these checks, with these messages, rather than the browser's.
            <form on:submit=save novalidate>
                <fieldset disabled=read_only>
                    <label for=job_id.clone()>{text::JOB_PICKER_LABEL}</label>
                    <JobCombobox input_id=job_id jobs value=job />
                    {move || flag().map(|f| view! { <p class="warning">{text::job_flag(&f)}</p> })}
                    <div class="row">
                        <input id=auto_id.clone() type="checkbox"
                            prop:checked=move || auto.get()
                            on:change=move |ev| auto.set(event_target_checked(&ev)) />
                        <label for=auto_id class="inline">{text::UPLOAD_AUTOMATICALLY}</label>
                    </div>
                    <div class="row two">
                        <div>
                            <label for=when_id.clone()>{text::WHEN}</label>
                            <select id=when_id on:change=move |ev| {
                                let value = event_target_value(&ev);
                                if let Some(t) = Trigger::ALL.into_iter().find(|t| format!("{t:?}") == value) {
                                    trigger.set(t);
                                }
                            }>
                                {trigger_options}
                            </select>
                        </div>
                        <div>
                            <label for=limit_id.clone()>{text::APPLICANT_LIMIT}</label>
                            <input id=limit_id type="number" min="1" step="1" inputmode="numeric"
                                placeholder=text::APPLICANT_LIMIT_HINT
                                prop:value=move || limit.get()
                                on:input=move |ev| limit.set(event_target_value(&ev)) />
                        </div>
                    </div>
                    <p class="count">{count}</p>
                    <Show when=move || !read_only>
                        <button type="submit">{text::SAVE}</button>
                    </Show>
                </fieldset>
            </form>
            <NoticeLine notice />
        </section>
    }
}

/// Recent uploads and failures, with "Open in Ashby" and Retry.
#[component]
pub fn ActivityList(items: Vec<ActivityItem>, on_retry: Callback<ActivityItem>) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="muted">{text::NO_ACTIVITY}</p> }.into_any();
    }
    let rows = items
        .into_iter()
        .map(|item| {
            let record = &item.record;
            let who = item
                .candidate_name
                .clone()
                .unwrap_or_else(|| text::UNNAMED_CANDIDATE.to_owned());
            let how = match record.origin {
                UploadOrigin::Manual => text::MANUAL_UPLOAD.to_owned(),
                UploadOrigin::Automatic { trigger } => text::automatic_upload(trigger),
            };
            let when = js_sys::Date::new(&record.at_ms.into())
                .to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED)
                .as_string()
                .unwrap_or_default();
            let status = text::upload_status_line(record, &when);
            let failed = record.status == UploadStatus::Failed;
            let link = record.profile_url.clone().map(|url| {
                view! { <a href=url target="_blank" rel="noopener noreferrer">{text::OPEN_IN_ASHBY}</a> }
            });
            let retry_item = item.clone();
            let retry = failed.then(|| {
                view! {
                    <button type="button" class="small" on:click=move |_| on_retry.run(retry_item.clone())>
                        {text::RETRY}
                    </button>
                }
            });
            view! {
                <li class=if failed { "failed" } else { "ok" }>
                    <strong>{who}</strong>
                    <span class="muted">{format!(" · {how} · {when}")}</span>
                    <div class="result">{status}</div>
                    <div class="actions">{link}{retry}</div>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="activity">{rows}</ul> }.into_any()
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use crate::storage_schema::UserMatch;
    use std::sync::{Arc, Mutex};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn host() -> web_sys::HtmlElement {
        let document = web_sys::window().unwrap().document().unwrap();
        let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&host).unwrap();
        host
    }

    async fn next_tick() {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }

    fn text_of(host: &web_sys::HtmlElement, selector: &str) -> String {
        host.query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no {selector}"))
            .text_content()
            .unwrap_or_default()
    }

    fn job(id: &str, title: &str, status: &str) -> JobChoice {
        JobChoice {
            id: id.into(),
            title: title.into(),
            status: status.into(),
            location: Some("Berlin".into()),
            department: None,
        }
    }

    #[wasm_bindgen_test]
    fn the_permission_report_marks_missing_and_unneeded_permissions() {
        let host = host();
        let report = ScopeReport::from_scopes(&[
            "apiKeysRead",
            "jobsRead",
            "candidatesRead",
            "hiringProcessMetadataRead",
            "organizationRead",
            "reportsRead",
        ]);
        let _mounted = leptos::mount::mount_to(host.clone(), move || {
            view! { <PermissionReport report=report.clone() /> }
        });
        let missing = host.query_selector_all("li.missing").unwrap();
        assert_eq!(missing.length(), 1);
        let row = missing.item(0).unwrap().text_content().unwrap();
        assert!(row.contains("Candidates: Write"), "{row}");
        assert!(row.contains(text::permission_purpose(
            crate::ashby::scopes::Permission::CandidatesWrite
        )));
        assert!(row.contains("Missing"));
        assert_eq!(host.query_selector_all("li.granted").unwrap().length(), 5);
        assert_eq!(text_of(&host, "[role=alert]"), text::PERMISSIONS_INCOMPLETE);
        assert!(text_of(&host, ".unneeded").contains("reportsRead"));
    }

    #[wasm_bindgen_test]
    fn connection_details_explain_an_unmatched_user() {
        let host = host();
        let view = ConnectionView {
            connected: true,
            key_title: Some("Fetcher key".into()),
            scopes: vec!["apiKeysRead".into()],
            user: UserMatch::NotFound {
                email: "someone@agency.com".into(),
            },
            ..ConnectionView::default()
        };
        let _mounted = leptos::mount::mount_to(host.clone(), move || {
            view! { <ConnectionDetails view=view.clone() /> }
        });
        assert!(text_of(&host, ".connected").ends_with("Fetcher key"));
        let user = text_of(&host, ".user");
        assert!(
            user.contains("No Ashby user has the email someone@agency.com"),
            "{user}"
        );
        assert!(user.contains("Uploads still work"));
        assert!(text_of(&host, ".kept").contains(text::KEY_IN_SESSION));
    }

    fn card(
        item: SearchItem,
        jobs: Option<Vec<JobChoice>>,
    ) -> (
        web_sys::HtmlElement,
        Arc<Mutex<Vec<SearchAutomation>>>,
        impl Drop,
    ) {
        let host = host();
        let saved = Arc::new(Mutex::new(Vec::new()));
        let sink = saved.clone();
        let mounted = leptos::mount::mount_to(host.clone(), move || {
            let sink = sink.clone();
            let on_save = Callback::new(
                move |(a, notice): (SearchAutomation, RwSignal<Option<Notice>>)| {
                    sink.lock().unwrap().push(a);
                    notice.set(Some(Notice::Done(text::SAVED.into())));
                },
            );
            view! { <SearchCard item=item.clone() jobs=RwSignal::new(jobs.clone()) on_save /> }
        });
        (host, saved, mounted)
    }

    fn owned(search_id: &str) -> SearchItem {
        SearchItem {
            search_id: search_id.into(),
            title: Some("Backend Berlin".into()),
            owner_email: Some("jane@agency.com".into()),
            read_only_reason: None,
            automation: SearchAutomation {
                search_id: search_id.into(),
                ..SearchAutomation::default()
            },
            uploaded: 0,
            automation_paused: None,
        }
    }

    fn set_value(host: &web_sys::HtmlElement, selector: &str, value: &str, event: &str) {
        let element = host.query_selector(selector).unwrap().unwrap();
        js_sys::Reflect::set(&element, &"value".into(), &value.into()).unwrap();
        // A bubbling event, as a user's input makes (Leptos may delegate listeners).
        let dispatch = js_sys::Function::new_with_args(
            "element, type",
            "element.dispatchEvent(new Event(type, { bubbles: true }))",
        );
        dispatch
            .call2(&wasm_bindgen::JsValue::NULL, &element, &event.into())
            .unwrap();
    }

    /// Types into the combobox as a user does: the value changes, then `input` fires.
    fn type_into(host: &web_sys::HtmlElement, selector: &str, value: &str) {
        set_value(host, selector, value, "input");
    }

    fn press(host: &web_sys::HtmlElement, selector: &str, key: &str) -> bool {
        let element = host.query_selector(selector).unwrap().unwrap();
        let dispatch = js_sys::Function::new_with_args(
            "element, key",
            "return element.dispatchEvent(new KeyboardEvent('keydown', \
             { key, bubbles: true, cancelable: true }))",
        );
        // `false` when the handler called preventDefault.
        dispatch
            .call2(&wasm_bindgen::JsValue::NULL, &element, &key.into())
            .unwrap()
            .as_bool()
            .unwrap()
    }

    fn option_texts(host: &web_sys::HtmlElement) -> Vec<String> {
        let options = host.query_selector_all("[role=option]").unwrap();
        (0..options.length())
            .map(|i| options.item(i).unwrap().text_content().unwrap())
            .collect()
    }

    fn attribute(host: &web_sys::HtmlElement, selector: &str, name: &str) -> Option<String> {
        host.query_selector(selector)
            .unwrap()
            .unwrap()
            .get_attribute(name)
    }

    fn input_value(host: &web_sys::HtmlElement, selector: &str) -> String {
        let input: web_sys::HtmlInputElement = host
            .query_selector(selector)
            .unwrap()
            .unwrap()
            .unchecked_into();
        input.value()
    }

    fn picker_jobs() -> Vec<JobChoice> {
        let mut draft = job("j3", "Head of Sales", "Draft");
        draft.department = Some("Sales".into());
        let mut backend = job("j1", "Senior Backend Engineer", "Open");
        backend.department = Some("Engineering".into());
        let mut frontend = job("j2", "Frontend Engineer", "Open");
        frontend.department = Some("Engineering".into());
        frontend.location = Some("London".into());
        vec![frontend, draft, backend]
    }

    fn combobox(
        jobs: Vec<JobChoice>,
        chosen: &str,
    ) -> (web_sys::HtmlElement, RwSignal<String>, impl Drop) {
        let host = host();
        let value = RwSignal::new(chosen.to_owned());
        let mounted = leptos::mount::mount_to(host.clone(), move || {
            view! {
                <label for="pick">{text::JOB_PICKER_LABEL}</label>
                <JobCombobox input_id="pick".to_owned() jobs=RwSignal::new(Some(jobs.clone())) value />
            }
        });
        (host, value, mounted)
    }

    #[wasm_bindgen_test]
    async fn the_job_combobox_filters_as_you_type_and_picks_with_the_keyboard() {
        let (host, value, _mounted) = combobox(picker_jobs(), "");
        next_tick().await;
        assert_eq!(
            attribute(&host, "#pick", "role").as_deref(),
            Some("combobox")
        );
        assert_eq!(
            attribute(&host, "#pick", "aria-expanded").as_deref(),
            Some("false")
        );
        assert_eq!(
            attribute(&host, "#pick", "aria-controls").as_deref(),
            Some("pick-list")
        );
        assert_eq!(
            attribute(&host, "[role=listbox]", "aria-label").as_deref(),
            Some("Ashby job")
        );
        assert!(option_texts(&host).is_empty(), "closed until used");

        // Typing filters by title, department and location.
        type_into(&host, "#pick", "engineering london");
        next_tick().await;
        assert_eq!(
            attribute(&host, "#pick", "aria-expanded").as_deref(),
            Some("true")
        );
        assert_eq!(
            option_texts(&host),
            ["Frontend Engineer · Engineering · London"]
        );
        type_into(&host, "#pick", "sales");
        next_tick().await;
        assert_eq!(
            option_texts(&host),
            ["Head of Sales · Sales · BerlinDraft: not open yet"],
            "a draft is flagged"
        );
        type_into(&host, "#pick", "nothing like this");
        next_tick().await;
        assert!(option_texts(&host).is_empty());
        assert_eq!(text_of(&host, ".combo-empty"), text::NO_MATCHING_JOBS);

        // Down/Up move the highlight (aria-activedescendant); Enter picks without submitting.
        type_into(&host, "#pick", "engineer");
        next_tick().await;
        assert_eq!(option_texts(&host).len(), 2);
        assert!(!press(&host, "#pick", "ArrowDown"));
        assert!(!press(&host, "#pick", "ArrowDown"));
        assert!(
            !press(&host, "#pick", "ArrowDown"),
            "stays on the last option"
        );
        assert!(!press(&host, "#pick", "ArrowUp"));
        next_tick().await;
        assert_eq!(
            attribute(&host, "#pick", "aria-activedescendant").as_deref(),
            Some("pick-opt-0")
        );
        assert_eq!(
            attribute(&host, "#pick-opt-0", "class").as_deref(),
            Some("active")
        );
        assert!(
            !press(&host, "#pick", "Enter"),
            "Enter does not submit the form"
        );
        next_tick().await;
        assert_eq!(value.get_untracked(), "j2");
        assert_eq!(
            attribute(&host, "#pick", "aria-expanded").as_deref(),
            Some("false")
        );
        assert_eq!(
            input_value(&host, "#pick"),
            "Frontend Engineer · Engineering · London"
        );

        // Escape closes and restores the choice; Down reopens with every job.
        type_into(&host, "#pick", "backend");
        next_tick().await;
        assert!(!press(&host, "#pick", "Escape"));
        next_tick().await;
        assert_eq!(value.get_untracked(), "j2");
        assert_eq!(
            input_value(&host, "#pick"),
            "Frontend Engineer · Engineering · London"
        );
        assert!(!press(&host, "#pick", "ArrowDown"));
        next_tick().await;
        assert_eq!(option_texts(&host).len(), 3);
        let selected = host
            .query_selector("[role=option][aria-selected=true]")
            .unwrap()
            .unwrap();
        assert_eq!(selected.id(), "pick-opt-0");
        // A click (mousedown) on an option picks it.
        let mousedown = js_sys::Function::new_with_args(
            "element",
            "element.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }))",
        );
        let backend = host.query_selector("#pick-opt-2").unwrap().unwrap();
        mousedown
            .call1(&wasm_bindgen::JsValue::NULL, &backend)
            .unwrap();
        next_tick().await;
        assert_eq!(value.get_untracked(), "j1");
        // Enter with the list closed is left to the form.
        assert!(press(&host, "#pick", "Enter"));
    }

    #[wasm_bindgen_test]
    async fn the_job_combobox_shows_a_linked_job_that_is_gone_or_a_draft() {
        let (host, _value, _mounted) = combobox(picker_jobs(), "vanished");
        next_tick().await;
        assert_eq!(input_value(&host, "#pick"), text::JOB_NO_LONGER_OPEN);
        let (host, _value, _mounted) = combobox(picker_jobs(), "j3");
        next_tick().await;
        assert_eq!(
            input_value(&host, "#pick"),
            "Head of Sales · Sales · Berlin"
        );
        assert_eq!(text_of(&host, ".flag.chosen"), "Draft: not open yet");
        let (host, _value, _mounted) = combobox(Vec::new(), "");
        next_tick().await;
        assert!(!press(&host, "#pick", "ArrowDown"));
        next_tick().await;
        assert_eq!(text_of(&host, ".combo-empty"), text::NO_OPEN_JOBS);
    }

    fn click(host: &web_sys::HtmlElement, selector: &str) {
        let element: web_sys::HtmlElement = host
            .query_selector(selector)
            .unwrap()
            .unwrap()
            .unchecked_into();
        element.click();
    }

    #[wasm_bindgen_test]
    async fn a_card_offers_the_contract_controls_and_refuses_bad_settings() {
        let jobs = vec![job("j1", "Senior Backend Engineer", "Open")];
        let (host, saved, _mounted) = card(owned("s1"), Some(jobs));
        next_tick().await;
        let when: Vec<String> = {
            let options = host
                .query_selector_all("select[id='when-s1'] option")
                .unwrap();
            (0..options.length())
                .map(|i| {
                    options
                        .item(i)
                        .unwrap()
                        .text_content()
                        .unwrap()
                        .trim()
                        .to_owned()
                })
                .collect()
        };
        assert_eq!(
            when,
            [
                "All new candidates",
                "On like",
                "On contact",
                "On reply",
                "On interested reply"
            ]
        );
        assert_eq!(text_of(&host, "label[for='job-s1']"), "Ashby job");
        assert_eq!(
            text_of(&host, "label[for='auto-s1']"),
            "Upload automatically"
        );
        assert_eq!(text_of(&host, "label[for='limit-s1']"), "Applicant limit");

        // Automatic upload without a job is refused.
        click(&host, "#auto-s1");
        click(&host, "button[type=submit]");
        next_tick().await;
        assert_eq!(
            text_of(&host, "[role=alert]"),
            text::automation_problem(&schema::AutomationProblem::NoJob)
        );
        // A limit that is not a positive whole number is refused.
        type_into(&host, "#job-s1", "backend");
        next_tick().await;
        press(&host, "#job-s1", "ArrowDown");
        press(&host, "#job-s1", "Enter");
        next_tick().await;
        set_value(&host, "#limit-s1", "0", "input");
        click(&host, "button[type=submit]");
        next_tick().await;
        assert_eq!(
            text_of(&host, "[role=alert]"),
            text::automation_problem(&schema::AutomationProblem::BadLimit)
        );
        assert!(saved.lock().unwrap().is_empty());
        // A good setting is handed over.
        set_value(&host, "#limit-s1", "25", "input");
        set_value(&host, "#when-s1", "OnReply", "change");
        click(&host, "button[type=submit]");
        next_tick().await;
        let saved = saved.lock().unwrap().clone();
        assert_eq!(
            saved,
            [SearchAutomation {
                search_id: "s1".into(),
                job_id: Some("j1".into()),
                enabled: true,
                trigger: Trigger::OnReply,
                applicant_limit: Some(25),
                enabled_at_ms: None,
            }]
        );
        assert_eq!(text_of(&host, "[role=status]"), text::SAVED);
    }

    #[wasm_bindgen_test]
    async fn a_closed_linked_job_is_flagged() {
        let mut item = owned("s2");
        item.automation.job_id = Some("gone".into());
        item.automation.enabled = true;
        item.uploaded = 3;
        item.automation.applicant_limit = Some(10);
        let (host, _saved, _mounted) = card(item, Some(vec![job("j1", "Frontend", "Open")]));
        next_tick().await;
        assert_eq!(
            text_of(&host, ".warning"),
            text::job_flag(&schema::JobFlag::Gone)
        );
        assert_eq!(
            text_of(&host, ".count"),
            "3 of 10 candidates uploaded automatically"
        );
    }

    #[wasm_bindgen_test]
    async fn someone_elses_search_is_read_only_with_the_reason() {
        let mut item = owned("s3");
        item.owner_email = Some("lead@agency.com".into());
        item.read_only_reason =
            Some("Shared by lead@agency.com: only its owner can set up Ashby Sync for it.".into());
        let (host, _saved, _mounted) = card(item, Some(vec![]));
        next_tick().await;
        assert!(text_of(&host, ".read-only").starts_with("Shared by lead@agency.com"));
        let fieldset = host.query_selector("fieldset").unwrap().unwrap();
        assert!(fieldset.has_attribute("disabled"));
        assert!(host
            .query_selector("button[type=submit]")
            .unwrap()
            .is_none());
    }
}
