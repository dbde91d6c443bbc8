//! The Send to Ashby dialog: an extension page (`send/index.html`) that the content script
//! frames into the Fetcher tab inside a closed shadow root, so the page can neither read the
//! job list, the candidate or the preview, nor press its buttons (a cross-origin frame).
//!
//! It talks only to the worker: it opens the draft the tab's content script prepared (the
//! one-time token is in the URL's fragment), shows what was read from the page for review,
//! offers the popup's job combobox, previews the match in Ashby, and sends what the recruiter
//! confirmed. Closing goes through the worker too, which tells the content script to remove
//! the frame: nothing the page can post to this frame is ever read.

use crate::browser::ask_worker;
use crate::domain::{FetcherCandidate, JobId};
use crate::messages::{CloseDraft, DraftView, OpenDraft, PreviewDraft, SendDraft, SendPreview};
use crate::page_components::effect::effect;
use crate::page_components::job_combobox::JobCombobox;
use crate::page_components::work::Work;
use crate::page_components::{handler, line, line_while, redrawn};
use crate::send_review::{duplicate_check_warning, ReviewField, ReviewForm};
use crate::text;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const JOB_INPUT_ID: &str = "send-job";
const TITLE_ID: &str = "send-title";

/// Called by `send-boot.js` after the Send dialog's wasm module is instantiated.
#[wasm_bindgen]
pub fn start_send() {
    leptos::mount::mount_to_body(SendDialog);
}

/// The draft's token, from this page's URL fragment.
fn token() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|hash| hash.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

/// How long the recruiter's typing pauses before the match in Ashby is checked again.
const PREVIEW_AFTER_TYPING: std::time::Duration = std::time::Duration::from_millis(400);

/// Asks the worker to close the dialog (it tells the content script to remove the frame).
fn close() {
    let request = CloseDraft { token: token() };
    spawn_local(async move {
        let _ = ask_worker(request).await;
    });
}

#[component]
fn SendDialog() -> impl IntoView {
    let draft = Work::load(|| async { Ok(ask_worker(OpenDraft { token: token() }).await?) });
    view! {
        <div class="backdrop" on:click=handler(move |_| close())></div>
        <div class="panel" role="dialog" aria-modal="true" aria-labelledby=TITLE_ID
            on:keydown=handler(on_dialog_key)>
            <h1 id=TITLE_ID>{text::SEND_DIALOG_TITLE}</h1>
            // Read as it arrives (not through Suspense): the form is in the document when its
            // effect puts focus in the job picker.
            {move || match draft.value() {
                None => EitherOf3::A(line("muted", None, text::LOADING)),
                Some(Ok(draft)) => EitherOf3::B(redrawn(view! { <SendForm draft /> })),
                Some(Err(failure)) => EitherOf3::C(redrawn(view! {
                    <p role="alert" class="error">{failure}</p>
                    <div class="actions">
                        <button type="button" class="secondary" autofocus
                            on:click=handler(move |_| close())>{text::CANCEL}</button>
                    </div>
                })),
            }}
        </div>
    }
}

/// Escape closes (unless the combobox used it to close its list); Tab stays in the dialog.
fn on_dialog_key(event: leptos::ev::KeyboardEvent) {
    match event.key().as_str() {
        "Escape" if !event.default_prevented() => {
            event.prevent_default();
            close();
        }
        "Tab" => keep_focus_inside(&event),
        _ => {}
    }
}

/// Wraps Tab from the last control to the first and Shift+Tab from the first to the last.
fn keep_focus_inside(event: &leptos::ev::KeyboardEvent) {
    let Some(panel) = event
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let Ok(list) = panel.query_selector_all(
        "input:not([disabled]), button:not([disabled]), a[href], [tabindex='0']",
    ) else {
        return;
    };
    let focusable: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into().ok())
        .collect();
    let (Some(first), Some(last)) = (focusable.first(), focusable.last()) else {
        return;
    };
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let is = |element: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == element.unchecked_ref::<web_sys::Element>())
    };
    if event.shift_key() && is(first) {
        event.prevent_default();
        let _ = last.focus();
    } else if !event.shift_key() && is(last) {
        event.prevent_default();
        let _ = first.focus();
    }
}

#[component]
fn SendForm(draft: DraftView) -> impl IntoView {
    let DraftView {
        candidate,
        jobs: job_list,
        last_job_id,
        previous,
    } = draft;
    let preselected = last_job_id
        .filter(|id| job_list.iter().any(|job| &job.id == id))
        .map(String::from)
        .unwrap_or_default();
    let jobs = RwSignal::new(Some(job_list));
    let job = RwSignal::new(preselected);
    let form = RwSignal::new(ReviewForm::from_candidate(&candidate));
    let draft_candidate = StoredValue::new(candidate);
    let reviewed =
        Memo::new(move |_| form.with(|form| draft_candidate.with_value(|draft| form.apply(draft))));
    let preview = RwSignal::new(None::<Result<SendPreview, String>>);
    // The worker closes the dialog once the candidate is queued; a failure is shown here.
    let sending = Work::<()>::new();
    // Send pressed before the form was complete.
    let refused = RwSignal::new(false);

    // The latest question asked; an older answer arriving late is not shown.
    let asked = StoredValue::new(0u32);
    let mut previous_job: Option<String> = None;
    let mut previous_keys = None;
    effect(move || {
        let job_id = job.get();
        // What Ashby's duplicate check looks at, once every field is valid: the preview is
        // asked again when it changes (an edited email can match another candidate), not for
        // a new name. (Compared here, not by a memo: a memo compiled a reactive node for it.)
        let keys = reviewed.with(|reviewed| {
            reviewed.as_ref().ok().map(|candidate| {
                (
                    candidate.emails.clone(),
                    candidate.linkedin_url.clone(),
                    candidate.github_url.clone(),
                )
            })
        });
        if previous_job.as_deref() == Some(job_id.as_str()) && previous_keys.as_ref() == Some(&keys)
        {
            return;
        }
        previous_keys = Some(keys.clone());
        asked.set_value(asked.get_value().wrapping_add(1));
        let question = asked.get_value();
        let (Ok(chosen), Some(_), Ok(candidate)) =
            (JobId::parse(&job_id), keys, reviewed.get_untracked())
        else {
            // No job yet, or a field to fix first (its own message says which).
            preview.set(None);
            previous_job = Some(job_id);
            return;
        };
        preview.set(Some(Err(text::CHECKING_ASHBY.into())));
        let request = PreviewDraft {
            token: token(),
            candidate,
            job_id: chosen,
        };
        let ask = move || {
            if asked.get_value() != question {
                return;
            }
            spawn_local(async move {
                let shown = ask_worker(request).await.map_err(String::from);
                if asked.get_value() == question {
                    preview.set(Some(shown));
                }
            });
        };
        // A job picked is asked about at once; typing in a field, once the recruiter pauses.
        if previous_job.as_deref() == Some(job_id.as_str()) {
            set_timeout(ask, PREVIEW_AFTER_TYPING);
        } else {
            ask();
        }
        previous_job = Some(job_id);
    });

    let send = move |_| {
        let (Ok(job_id), Ok(candidate)) =
            (JobId::parse(&job.get_untracked()), reviewed.get_untracked())
        else {
            refused.set(true);
            return;
        };
        refused.set(false);
        let request = SendDraft {
            token: token(),
            candidate,
            job_id,
        };
        sending.run(move || {
            let request = request.clone();
            async move { ask_worker(request).await.map(drop).map_err(String::from) }
        });
    };
    let problem = move || {
        if refused.get() {
            return Some(text::REVIEW_FIX_FIRST.to_owned());
        }
        if sending.pending() {
            return None;
        }
        sending.value()?.err()
    };
    // Sending, or sent (the dialog is about to close): not again.
    let busy = move || sending.pending() || sending.value() == Some(Ok(()));

    let who = draft_candidate.with_value(who_line);
    let sent_before = previous.map(|record| {
        let time = js_sys::Date::new(&JsValue::from_f64(record.at_ms.as_f64()))
            .to_locale_string("default", &JsValue::UNDEFINED)
            .as_string()
            .unwrap_or_default();
        line("previous", Some("note"), text::sent_before(&record, &time))
    });
    let cannot_send = move || job.with(String::is_empty) || reviewed.with(Result::is_err) || busy();
    let focus_picker = NodeRef::<leptos::html::Div>::new();
    // Focus starts in the job picker once the form is on screen.
    effect(move || {
        if let Some(wrapper) = focus_picker.get() {
            if let Ok(Some(input)) = wrapper.query_selector("input") {
                let _ = input.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        }
    });
    view! {
        <p class="who">{who}</p>
        {sent_before}
        <label for=JOB_INPUT_ID>{text::JOB_PICKER_LABEL}</label>
        <div node_ref=focus_picker>
            <JobCombobox input_id=JOB_INPUT_ID.to_owned() jobs value=job />
        </div>
        <PreviewLine preview />
        <ReviewFields form reviewed />
        <div class="actions">
            <button type="button" class="secondary" on:click=handler(move |_| close())>{text::CANCEL}</button>
            <button type="button" class="primary" disabled=cannot_send on:click=handler(send)>{text::SEND}</button>
        </div>
        {line_while("error", Some("alert"), Box::new(problem))}
    }
}

/// What Ashby already has: a new candidate, or the match (with why and a link).
#[component]
fn PreviewLine(preview: RwSignal<Option<Result<SendPreview, String>>>) -> impl IntoView {
    view! {
        <p class="preview" aria-live="polite">
            {move || match preview.get() {
                None => EitherOf3::A(()),
                Some(Err(message)) => EitherOf3::B(message),
                // Drawn anew: a new preview replaces the whole line (and is announced).
                Some(Ok(found)) => EitherOf3::C(redrawn(preview_view(found))),
            }}
        </p>
    }
}

fn preview_view(found: SendPreview) -> impl IntoView {
    let summary = match &found.existing_profile_url {
        None => text::PREVIEW_NEW_CANDIDATE.to_owned(),
        Some(_) => {
            let why = found
                .matched_by
                .as_ref()
                .map(text::matched_by)
                .unwrap_or_default();
            let mut line = format!("{} {why}.", text::PREVIEW_ALREADY_IN_ASHBY);
            if found.already_applied {
                line.push(' ');
                line.push_str(text::PREVIEW_ALREADY_APPLIED);
            }
            line
        }
    };
    // Only a link into Ashby's app (checked when decoded) becomes a link.
    let link = found.existing_profile_url.map(String::from).map(|url| {
        view! {
            " "<a href=url target="_blank" rel="noopener noreferrer">{text::OPEN_IN_ASHBY}</a>
        }
    });
    view! { {summary}{link} }
}

/// The review form: one labelled textbox per field, each checked as it is typed.
#[component]
fn ReviewFields(
    form: RwSignal<ReviewForm>,
    reviewed: Memo<Result<FetcherCandidate, Vec<(ReviewField, &'static str)>>>,
) -> impl IntoView {
    // The fields shown: a new box adds a row, and typing keeps every row (and its focus).
    // Read again on each keystroke, finding the same keys, so no row changes (a memo to skip
    // that compiled a reactive node of its own).
    let field_list = move || {
        form.with(|f| {
            f.fields()
                .into_iter()
                .map(|(field, _)| field)
                .collect::<Vec<_>>()
        })
    };
    let problem_of = move |field: ReviewField| {
        reviewed.with(|r| match r {
            Err(problems) => problems
                .iter()
                .find(|(f, _)| *f == field)
                .map(|(_, why)| *why),
            Ok(_) => None,
        })
    };
    let field_row = move |field: ReviewField| {
        let id = field_id(field);
        let error_id = format!("{id}-error");
        // The field's text when its row is built; from then on only its own input changes it
        // (rows are kept, keyed by field), so the text is not bound back to the input.
        let value = form.with_untracked(|f| {
            f.fields()
                .into_iter()
                .find(|(g, _)| *g == field)
                .map(|(_, v)| v)
                .unwrap_or_default()
        });
        let kind = match field {
            ReviewField::Email(_) => "email",
            ReviewField::Phone(_) => "tel",
            ReviewField::LinkedIn | ReviewField::GitHub => "url",
            _ => "text",
        };
        let invalid = move || problem_of(field).is_some();
        view! {
            <div class="field">
                <label for=id.clone()>{field.label()}</label>
                <input id=id type=kind autocomplete="off" spellcheck="false"
                    aria-invalid=move || if invalid() { "true" } else { "false" }
                    aria-describedby=error_id.clone()
                    value=value
                    on:input=handler(move |ev| form.update(|f| f.set(field, event_target_value(&ev)))) />
                <p id=error_id class="field-error">{move || problem_of(field)}</p>
            </div>
        }
    };
    let add_email = move |_| {
        form.update(|f| {
            if f.emails.len() < crate::fetcher::fields::MAX_CONTACTS {
                f.emails.push(String::new());
            }
        });
    };
    let warning = move || {
        reviewed.with(|r| {
            r.as_ref()
                .ok()
                .and_then(duplicate_check_warning)
                .map(|w| line("warning", Some("note"), w))
        })
    };
    view! {
        <fieldset class="review">
            <legend>{text::REVIEW_HEADING}</legend>
            <p class="hint">{text::REVIEW_HINT}</p>
            // Keyed by the field's id: a field keeps its input (typed text, focus) when an email
            // field is added.
            <For each=field_list key=|field| field_id(*field) children=field_row />
            <button type="button" class="secondary small" on:click=handler(add_email)>
                {text::REVIEW_ADD_EMAIL}
            </button>
            {warning}
        </fieldset>
    }
}

fn field_id(field: ReviewField) -> String {
    match field {
        ReviewField::Name => "review-name".into(),
        ReviewField::Email(i) => format!("review-email-{i}"),
        ReviewField::Phone(i) => format!("review-phone-{i}"),
        ReviewField::LinkedIn => "review-linkedin".into(),
        ReviewField::GitHub => "review-github".into(),
        ReviewField::Location => "review-location".into(),
        ReviewField::Headline => "review-headline".into(),
    }
}

/// "Name · first email" (page text, shown as text).
fn who_line(candidate: &FetcherCandidate) -> String {
    let name = if candidate.name.is_empty() {
        text::UNNAMED_CANDIDATE
    } else {
        &candidate.name
    };
    match candidate.emails.first() {
        Some(email) => format!("{name} · {email}"),
        None => name.to_owned(),
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use crate::messages::JobChoice;
    use crate::page_components::test_dom::focused;
    use crate::page_components::test_input::{host, input_value, next_tick, set_value};
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    async fn page_text_is_shown_as_text_in_labelled_fields_with_the_duplicate_warning() {
        let hostile = "<img src=x onerror=\"window.__xss=1\">";
        let draft = DraftView {
            candidate: FetcherCandidate {
                name: hostile.into(),
                location: Some(hostile.into()),
                ..FetcherCandidate::new("s".parse().unwrap(), "c".parse().unwrap())
            },
            jobs: vec![JobChoice {
                id: "j".into(),
                title: hostile.into(),
                status: "Open".into(),
                location: None,
                department: None,
            }],
            last_job_id: Some("j".into()),
            previous: None,
        };
        let host = host();
        let _mounted = leptos::mount::mount_to(host.clone(), move || {
            view! { <SendForm draft=draft.clone() /> }
        });
        next_tick().await;
        assert!(host.query_selector("img").unwrap().is_none(), "no markup");
        let name: web_sys::HtmlInputElement = host
            .query_selector("#review-name")
            .unwrap()
            .expect("a Name field")
            .unchecked_into();
        assert_eq!(name.value(), hostile);
        let label = host.query_selector("label[for=review-name]").unwrap();
        assert_eq!(
            label.and_then(|l| l.text_content()).as_deref(),
            Some(text::REVIEW_NAME)
        );
        let text = host.text_content().unwrap_or_default();
        assert!(text.contains(text::REVIEW_NO_EMAIL_NO_LINK), "{text}");
        let send = host
            .query_selector("button.primary")
            .unwrap()
            .expect("Send");
        assert!(
            !send.has_attribute("disabled"),
            "the last job is preselected"
        );
        host.remove();
    }

    #[wasm_bindgen_test]
    async fn another_email_adds_a_row_and_every_row_keeps_its_box_text_and_focus() {
        let draft = DraftView {
            candidate: FetcherCandidate {
                name: "Amira Haddad".into(),
                emails: vec!["amira@example.com".parse().unwrap()],
                ..FetcherCandidate::new("s".parse().unwrap(), "c".parse().unwrap())
            },
            jobs: Vec::new(),
            last_job_id: None,
            previous: None,
        };
        let host = host();
        let _mounted = leptos::mount::mount_to(host.clone(), move || {
            view! { <SendForm draft=draft.clone() /> }
        });
        next_tick().await;
        let name: web_sys::HtmlInputElement = host
            .query_selector("#review-name")
            .unwrap()
            .expect("a Name field")
            .unchecked_into();
        name.focus().unwrap();
        // Typing reads the field list again: the same rows, nothing rebuilt.
        set_value(&host, "#review-name", "Amira H.", "input");
        set_value(&host, "#review-email-0", "amira@work.example", "input");
        next_tick().await;
        let email_boxes = || {
            host.query_selector_all("input[type=email]")
                .unwrap()
                .length()
        };
        assert_eq!(email_boxes(), 1);
        let add: web_sys::HtmlElement = host
            .query_selector("fieldset.review button.secondary")
            .unwrap()
            .expect("Add another email")
            .unchecked_into();
        assert_eq!(add.text_content().as_deref(), Some(text::REVIEW_ADD_EMAIL));
        add.click();
        next_tick().await;
        assert_eq!(email_boxes(), 2, "a box for the new email");
        assert!(host.query_selector("#review-email-1").unwrap().is_some());
        let name_now = host.query_selector("#review-name").unwrap().unwrap();
        assert!(name_now == **name, "the Name row was kept, not built again");
        assert_eq!(name.value(), "Amira H.");
        assert_eq!(input_value(&host, "#review-email-0"), "amira@work.example");
        assert_eq!(focused().id(), "review-name", "focus stays where it was");
        host.remove();
    }
}
