//! The Send to Ashby dialog: a searchable job picker and a Send button, in the extension's own
//! shadow root (page CSS cannot restyle it). Keyboard-usable: the combobox follows the ARIA
//! combobox pattern, Tab stays inside the dialog, Escape closes and focus returns.

use super::dom;
use crate::browser::ask_worker;
use crate::domain::FetcherCandidate;
use crate::job_picker::{describe, JobFilter, MAX_OPTIONS};
use crate::messages::{ContentReply, ContentToWorker, JobChoice, SendPreview};
use crate::text;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{
    Element, HtmlElement, HtmlInputElement, KeyboardEvent, ShadowRootInit, ShadowRootMode,
};

const HOST_ID: &str = "fetcher-ashby-send-dialog";

/// The dialog's state while it is open.
struct Dialog {
    host: Element,
    input: HtmlInputElement,
    listbox: Element,
    preview: Element,
    send: HtmlElement,
    jobs: Vec<JobChoice>,
    /// The pickers' shared filter over `jobs` (the popup's combobox uses the same one).
    filter: JobFilter,
    /// The options currently shown (indices into `jobs`) and the highlighted one.
    shown: Vec<usize>,
    active: Option<usize>,
    chosen: Option<usize>,
    candidate: FetcherCandidate,
    return_focus: Option<HtmlElement>,
    /// Closures kept alive for the dialog's lifetime; dropped on close.
    listeners: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

thread_local! {
    static OPEN: RefCell<Option<Rc<RefCell<Dialog>>>> = const { RefCell::new(None) };
}

/// Opens the dialog for `candidate` with the worker's jobs (`last_job_id` preselected).
pub fn open(
    candidate: FetcherCandidate,
    jobs: Vec<JobChoice>,
    last_job_id: Option<String>,
    return_focus: Option<HtmlElement>,
) {
    close();
    let document = dom::document();
    let host = dom::element("div", "", &[("id", HOST_ID)]);
    let Ok(shadow) = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)) else {
        return;
    };
    let heading_id = "fa-send-title";
    let listbox_id = "fa-jobs";
    let backdrop = dom::element("div", "", &[("class", "backdrop")]);
    let panel = dom::element(
        "div",
        "",
        &[
            ("role", "dialog"),
            ("aria-modal", "true"),
            ("aria-labelledby", heading_id),
            ("class", "panel"),
        ],
    );
    let heading = dom::element("h2", text::SEND_DIALOG_TITLE, &[("id", heading_id)]);
    let who = dom::element("p", &candidate_line(&candidate), &[("class", "who")]);
    let label = dom::element("label", text::JOB_PICKER_LABEL, &[("for", "fa-job")]);
    let input: HtmlInputElement = dom::element(
        "input",
        "",
        &[
            ("id", "fa-job"),
            ("type", "text"),
            ("role", "combobox"),
            ("aria-label", text::JOB_PICKER_LABEL),
            ("aria-autocomplete", "list"),
            ("aria-expanded", "true"),
            ("aria-controls", listbox_id),
            ("autocomplete", "off"),
            ("placeholder", text::JOB_PICKER_PLACEHOLDER),
        ],
    )
    .unchecked_into();
    let listbox = dom::element(
        "ul",
        "",
        &[
            ("id", listbox_id),
            ("role", "listbox"),
            ("aria-label", text::JOB_PICKER_LABEL),
        ],
    );
    let preview = dom::element("p", "", &[("class", "preview"), ("aria-live", "polite")]);
    let actions = dom::element("div", "", &[("class", "actions")]);
    let cancel: HtmlElement = dom::element(
        "button",
        text::CANCEL,
        &[("type", "button"), ("class", "secondary")],
    )
    .unchecked_into();
    let send: HtmlElement =
        dom::element("button", text::SEND, &[("type", "button")]).unchecked_into();
    send.set_attribute("disabled", "").ok();
    for (parent, child) in [
        (&actions, &cancel as &Element),
        (&actions, &send),
        (&panel, &heading),
        (&panel, &who),
        (&panel, &label),
        (&panel, &input),
        (&panel, &listbox),
        (&panel, &preview),
        (&panel, &actions),
    ] {
        parent.append_child(child).ok();
    }
    shadow
        .append_child(&dom::element("style", DIALOG_CSS, &[]))
        .ok();
    shadow.append_child(&backdrop).ok();
    shadow.append_child(&panel).ok();
    if let Some(body) = document.body() {
        body.append_child(&host).ok();
    }

    let chosen = last_job_id.and_then(|id| jobs.iter().position(|job| job.id == id));
    let dialog = Rc::new(RefCell::new(Dialog {
        host,
        input: input.clone(),
        listbox,
        preview,
        send: send.clone(),
        filter: JobFilter::new(&jobs),
        jobs,
        shown: Vec::new(),
        active: None,
        chosen: None,
        candidate,
        return_focus,
        listeners: Vec::new(),
    }));
    listen(&dialog, input.as_ref(), "input", |d, _| d.render_options());
    listen(&dialog, panel.as_ref(), "keydown", on_key);
    listen(&dialog, cancel.as_ref(), "click", |_, _| close_later());
    listen(&dialog, backdrop.as_ref(), "click", |_, _| close_later());
    listen(&dialog, send.as_ref(), "click", |d, _| d.send());
    // Registered before the first render, so option click handlers can find the dialog.
    OPEN.with(|open| *open.borrow_mut() = Some(dialog.clone()));
    {
        let mut d = dialog.borrow_mut();
        d.render_options();
        if let Some(index) = chosen {
            d.choose(index);
        }
    }
    input.focus().ok();
}

/// Closes the dialog, if open, and returns focus to where it came from.
pub fn close() {
    let Some(dialog) = OPEN.with(|open| open.borrow_mut().take()) else {
        return;
    };
    let dialog = dialog.borrow();
    dialog.host.remove();
    if let Some(target) = &dialog.return_focus {
        target.focus().ok();
    }
}

/// Closing from inside one of the dialog's own listeners must not drop that listener while it
/// runs, so it happens on the next turn.
fn close_later() {
    wasm_bindgen_futures::spawn_local(async { close() });
}

fn listen(
    dialog: &Rc<RefCell<Dialog>>,
    target: &web_sys::EventTarget,
    event: &str,
    handler: fn(&mut Dialog, &web_sys::Event),
) {
    let weak = Rc::downgrade(dialog);
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        if let Some(dialog) = weak.upgrade() {
            // A handler may not re-enter; an event during another handler is ignored.
            if let Ok(mut d) = dialog.try_borrow_mut() {
                handler(&mut d, &e);
            }
        }
    });
    target
        .add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())
        .ok();
    dialog.borrow_mut().listeners.push(closure);
}

fn on_key(dialog: &mut Dialog, event: &web_sys::Event) {
    let Some(key_event) = event.dyn_ref::<KeyboardEvent>() else {
        return;
    };
    match key_event.key().as_str() {
        "Escape" => {
            event.prevent_default();
            close_later();
        }
        "ArrowDown" => {
            event.prevent_default();
            dialog.move_active(1);
        }
        "ArrowUp" => {
            event.prevent_default();
            dialog.move_active(-1);
        }
        "Enter" if dialog.active.is_some() => {
            event.prevent_default();
            if let Some(index) = dialog.active.and_then(|a| dialog.shown.get(a).copied()) {
                dialog.choose(index);
            }
        }
        "Tab" => dialog.trap_focus(event, key_event.shift_key()),
        _ => {}
    }
}

impl Dialog {
    /// Re-renders the options that match what was typed (as text; job titles are API text).
    fn render_options(&mut self) {
        let query = self.input.value();
        self.shown = self.filter.matching(&query, MAX_OPTIONS);
        self.active = None;
        self.input.remove_attribute("aria-activedescendant").ok();
        self.listbox.set_text_content(None);
        if self.shown.is_empty() {
            let empty = if self.jobs.is_empty() {
                text::NO_OPEN_JOBS
            } else {
                text::NO_MATCHING_JOBS
            };
            self.listbox
                .append_child(&dom::element("li", empty, &[("class", "empty")]))
                .ok();
        }
        for (position, &index) in self.shown.iter().enumerate() {
            let job = &self.jobs[index];
            let selected = if self.chosen == Some(index) {
                "true"
            } else {
                "false"
            };
            let option = dom::element(
                "li",
                &describe(job),
                &[
                    ("role", "option"),
                    ("id", &format!("fa-job-{position}")),
                    ("aria-selected", selected),
                ],
            );
            let dialog = OPEN.with(|open| open.borrow().clone());
            let closure = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                if let Some(dialog) = &dialog {
                    if let Ok(mut d) = dialog.try_borrow_mut() {
                        d.choose(index);
                    }
                }
            });
            option
                .add_event_listener_with_callback("click", closure.as_ref().unchecked_ref())
                .ok();
            self.listeners.push(closure);
            self.listbox.append_child(&option).ok();
        }
    }

    fn move_active(&mut self, step: isize) {
        if self.shown.is_empty() {
            return;
        }
        let last = self.shown.len() as isize - 1;
        let next = match self.active {
            None if step > 0 => 0,
            None => last,
            Some(current) => (current as isize + step).clamp(0, last),
        } as usize;
        self.active = Some(next);
        let id = format!("fa-job-{next}");
        self.input.set_attribute("aria-activedescendant", &id).ok();
        let options = self.listbox.children();
        for i in 0..options.length() {
            if let Some(option) = options.item(i) {
                let class = if option.id() == id { "active" } else { "" };
                option.set_attribute("class", class).ok();
                if !class.is_empty() {
                    option.scroll_into_view_with_bool(false);
                }
            }
        }
    }

    /// Picks a job: shows it in the box, enables Send, and asks the worker for a preview.
    fn choose(&mut self, index: usize) {
        let Some(job) = self.jobs.get(index).cloned() else {
            return;
        };
        self.chosen = Some(index);
        self.input.set_value(&describe(&job));
        self.send.remove_attribute("disabled").ok();
        self.preview.set_text_content(Some(text::CHECKING_ASHBY));
        self.render_chosen();
        let request = ContentToWorker::PreviewSend {
            candidate: self.candidate.clone(),
            job_id: job.id,
        };
        let preview = self.preview.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match ask_worker(&request).await {
                Ok(ContentReply::Preview(found)) => show_preview(&preview, &found),
                Ok(ContentReply::Error { message }) | Err(message) => {
                    preview.set_text_content(Some(&message))
                }
                Ok(_) => preview.set_text_content(None),
            }
        });
    }

    /// After choosing, the list shows just the chosen job until the recruiter types again.
    fn render_chosen(&mut self) {
        self.listbox.set_text_content(None);
        self.shown.clear();
        self.active = None;
        self.input.remove_attribute("aria-activedescendant").ok();
    }

    fn send(&mut self) {
        let Some(job) = self.chosen.and_then(|i| self.jobs.get(i)) else {
            return;
        };
        self.send.set_attribute("disabled", "").ok();
        let request = ContentToWorker::SendNow {
            candidate: self.candidate.clone(),
            job_id: job.id.clone(),
        };
        let preview = self.preview.clone();
        let send = self.send.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match ask_worker(&request).await {
                Ok(ContentReply::Ok) => close(),
                Ok(ContentReply::Error { message }) | Err(message) => {
                    preview.set_text_content(Some(&message));
                    send.remove_attribute("disabled").ok();
                }
                Ok(_) => close(),
            }
        });
    }

    /// Keeps Tab and Shift+Tab inside the dialog.
    fn trap_focus(&self, event: &web_sys::Event, backwards: bool) {
        let first: &HtmlElement = self.input.as_ref();
        let last = &self.send;
        let root = self.host.shadow_root();
        let active = root.and_then(|r| r.active_element());
        let at_edge = |edge: &HtmlElement| {
            active
                .as_ref()
                .is_some_and(|a| a == edge.as_ref() as &Element)
        };
        if backwards && at_edge(first) {
            event.prevent_default();
            last.focus().ok();
        } else if !backwards && at_edge(last) {
            event.prevent_default();
            first.focus().ok();
        }
    }
}

fn show_preview(target: &Element, preview: &SendPreview) {
    target.set_text_content(None);
    let summary = match (&preview.existing_profile_url, preview.already_applied) {
        (None, _) => text::PREVIEW_NEW_CANDIDATE.to_owned(),
        (Some(_), applied) => {
            let why = preview.matched_by.as_deref().unwrap_or_default();
            let mut line = format!("{} {why}.", text::PREVIEW_ALREADY_IN_ASHBY);
            if applied {
                line.push(' ');
                line.push_str(text::PREVIEW_ALREADY_APPLIED);
            }
            line
        }
    };
    target.append_child(&dom::text(&summary)).ok();
    if let Some(link) = preview
        .existing_profile_url
        .as_deref()
        .and_then(dom::ashby_link)
    {
        target.append_child(&dom::text(" ")).ok();
        target.append_child(&link).ok();
    }
}

fn candidate_line(candidate: &FetcherCandidate) -> String {
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

const DIALOG_CSS: &str = "\
:host{all:initial}\
.backdrop{position:fixed;inset:0;background:rgba(17,24,39,.45);z-index:2147483646}\
.panel{position:fixed;top:12vh;left:50%;transform:translateX(-50%);width:min(520px,92vw);\
z-index:2147483647;background:#fff;color:#111827;border-radius:10px;padding:20px 22px;\
font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;box-shadow:0 12px 40px rgba(0,0,0,.3)}\
h2{font-size:17px;margin:0 0 4px}.who{margin:0 0 14px;color:#4b5563;overflow-wrap:anywhere}\
label{display:block;font-weight:600;margin-bottom:4px}\
input{box-sizing:border-box;width:100%;padding:8px 10px;border:1px solid #d1d5db;border-radius:6px;font:inherit}\
ul{list-style:none;margin:6px 0 0;padding:0;max-height:240px;overflow:auto;border-radius:6px}\
li[role=option]{padding:7px 10px;cursor:pointer;border-bottom:1px solid #f3f4f6}\
li[role=option]:hover,li.active{background:#eef2ff}li[aria-selected=true]{font-weight:600}\
li.empty{padding:7px 10px;color:#6b7280}\
.preview{min-height:1.4em;margin:12px 0;color:#374151;overflow-wrap:anywhere}.preview a{color:#4f46e5}\
.actions{display:flex;justify-content:flex-end;gap:8px}\
button{font:inherit;padding:7px 16px;border-radius:6px;border:0;background:#4f46e5;color:#fff;cursor:pointer}\
button.secondary{background:#e5e7eb;color:#111827}button[disabled]{opacity:.55;cursor:default}\
:focus-visible{outline:3px solid #a5b4fc;outline-offset:2px}";
