//! One Fetcher search's "Ashby Sync" form: job, automatic upload, when, applicant limit.

use crate::domain::{SearchAutomation, Trigger};
use crate::messages::{JobChoice, SearchItem};
use crate::page_components::job_combobox::JobCombobox;
use crate::page_components::work::Work;
use crate::page_components::{handler, line, line_while, Notice, NoticeLine};
use crate::storage_schema as schema;
use crate::text;
use leptos::prelude::*;

/// One Fetcher search's "Ashby Sync" form. `on_save` gets the setting to save (already checked
/// here) and runs it as `saving`, whose state is the notice under the form.
#[component]
pub fn SearchForm(
    item: SearchItem,
    #[prop(into)] jobs: Signal<Option<Vec<JobChoice>>>,
    on_save: Callback<SearchAutomation>,
    saving: Work<()>,
) -> impl IntoView {
    let saved = item.automation.clone();
    let (saved_limit, enabled_at) = (saved.applicant_limit, saved.enabled_at_ms);
    let search_id = item.search_id.clone();
    let read_only = item.read_only_reason.is_some();
    let job = RwSignal::new(saved.job_id.clone().map(String::from).unwrap_or_default());
    let auto = RwSignal::new(saved.enabled);
    let trigger = RwSignal::new(saved.trigger);
    let limit = RwSignal::new(
        saved
            .applicant_limit
            .map(|l| l.to_string())
            .unwrap_or_default(),
    );
    // Why the form refused the setting (checked here, before anything is sent).
    let refused = RwSignal::new(None::<String>);
    let notice = Memo::new(move |_| {
        if let Some(problem) = refused.get() {
            return Some(Notice::Failed(problem));
        }
        if saving.pending() {
            return Some(Notice::Done(text::SAVING.into()));
        }
        match saving.value()? {
            Ok(()) => Some(Notice::Done(text::SAVED.into())),
            Err(failure) => Some(Notice::Failed(failure)),
        }
    });
    let ids = |what: &str| format!("{what}-{search_id}");
    let (job_id, auto_id, when_id, limit_id) = (ids("job"), ids("auto"), ids("when"), ids("limit"));

    // The linked job, flagged when it is no longer among Ashby's open jobs.
    let flag = move || {
        let chosen = job.get();
        let jobs = jobs.get()?;
        schema::job_flag((!chosen.is_empty()).then_some(chosen.as_str()), &jobs)
    };
    // The controls start from the saved setting; from then on each one's signal follows only
    // that control's own events, so the page shows what the recruiter set without binding the
    // signals back to the controls (a newer saved setting draws the form anew). The trigger
    // options are a fixed list, rendered once (Leptos's static `Vec<_>` form).
    let trigger_options = Trigger::ALL
        .into_iter()
        .map(|t| {
            view! {
                <option value=t.name() selected=t == saved.trigger>
                    {text::trigger_label(t)}
                </option>
            }
        })
        .collect_view();

    let search_for_save = search_id.clone();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let applicant_limit = match schema::parse_limit(&limit.get_untracked()) {
            Ok(limit) => limit,
            Err(problem) => {
                refused.set(Some(text::automation_problem(&problem)));
                return;
            }
        };
        let chosen = job.get_untracked();
        let automation = SearchAutomation {
            search_id: search_for_save.clone(),
            // The combobox only ever holds a listed job's id, or nothing.
            job_id: chosen.parse().ok(),
            enabled: auto.get_untracked(),
            trigger: trigger.get_untracked(),
            applicant_limit,
            enabled_at_ms: enabled_at,
        };
        let open_jobs = jobs.get_untracked();
        if let Err(problem) = schema::validate_automation(&automation, open_jobs.as_deref()) {
            refused.set(Some(text::automation_problem(&problem)));
            return;
        }
        refused.set(None);
        on_save.run(automation);
    };

    let reason = item
        .read_only_reason
        .as_ref()
        .map(|reason| line("read-only", None, text::read_only_reason(reason)));
    let uploaded = item.uploaded;
    let count = move || {
        let limit = schema::parse_limit(&limit.get()).unwrap_or(saved_limit);
        text::uploaded_count(uploaded, limit)
    };
    // The owner, the job and the count are on the search's title line (`super::searches`).
    view! {
            {reason}
            // `novalidate`: these checks, with these messages, rather than the browser's.
            <form on:submit=handler(submit) novalidate>
                <fieldset disabled=read_only>
                    <label for=job_id.clone()>{text::JOB_PICKER_LABEL}</label>
                    <JobCombobox input_id=job_id jobs value=job />
                    {line_while("warning", None, Box::new(move || flag().map(|f| text::job_flag(&f))))}
                    <div class="row">
                        <input id=auto_id.clone() type="checkbox"
                            checked=saved.enabled
                            on:change=handler(move |ev| auto.set(event_target_checked(&ev))) />
                        <label for=auto_id class="inline">{text::UPLOAD_AUTOMATICALLY}</label>
                    </div>
                    <div class="row two">
                        <div>
                            <label for=when_id.clone()>{text::WHEN}</label>
                            <select id=when_id on:change=handler(move |ev| {
                                let value = event_target_value(&ev);
                                if let Some(t) = Trigger::named(&value) {
                                    trigger.set(t);
                                }
                            })>
                                {trigger_options}
                            </select>
                        </div>
                        <div>
                            <label for=limit_id.clone()>{text::APPLICANT_LIMIT}</label>
                            <input id=limit_id type="number" min="1" step="1" inputmode="numeric"
                                placeholder=text::APPLICANT_LIMIT_HINT
                                value=limit.get_untracked()
                                on:input=handler(move |ev| limit.set(event_target_value(&ev))) />
                        </div>
                    </div>
                    <div class="row save">
                        <p class="count">{count}</p>
                        {(!read_only).then(|| view! { <button type="submit">{text::SAVE}</button> })}
                    </div>
                </fieldset>
            </form>
            <NoticeLine notice />
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use crate::page_components::test_input::*;
    use std::sync::{Arc, Mutex};
    use wasm_bindgen_test::wasm_bindgen_test;

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
            let saving = Work::new();
            let on_save = Callback::new(move |a: SearchAutomation| {
                sink.lock().unwrap().push(a);
                saving.run(|| async { Ok(()) });
            });
            view! {
                <SearchForm item=item.clone() jobs=RwSignal::new(jobs.clone()) on_save saving />
            }
        });
        (host, saved, mounted)
    }

    fn owned(search_id: &str) -> SearchItem {
        SearchItem {
            search_id: search_id.into(),
            title: Some("Backend Berlin".into()),
            owner_email: Some("jane@agency.com".into()),
            read_only_reason: None,
            automation: SearchAutomation::off(search_id.into()),
            uploaded: 0,
            automation_paused: None,
        }
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
        item.read_only_reason = Some(crate::domain::ReadOnlyReason::NotOwner {
            owner: "lead@agency.com".into(),
        });
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
