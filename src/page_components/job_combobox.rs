//! The "Ashby job" picker of a search's Ashby Sync form and of the Send dialog.
//!
//! Leptos places the widget and delivers its events; the box, the list, the options and the
//! highlight are built and drawn by hand from a [`ComboState`] (decided apart from the page,
//! tested natively). Why: as a Leptos view, each reactive attribute, handler and list of this
//! widget compiled its own typed rendering into the wasm (it cost ~35 KB in each page with a
//! picker, ~26 KB now), for a widget whose every change comes from one of its own five events
//! or from the two signals it is given.

use super::dom::{append, element, remove_all, set};
use super::effect::effect;
use super::handler;
use crate::job_picker::combo_state::{ComboKey, ComboState, KeyOutcome};
use crate::job_picker::{describe, status_flag, JobFilter};
use crate::messages::JobChoice;
use crate::text;
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

/// The jobs a picker offers: `None` until some are known (or when they could not be listed).
/// One concrete signal type, not a `Signal<_>`: a `Signal` reads through every kind of signal,
/// and each kind compiled its own reading of a job list.
pub type JobList = RwSignal<Option<Vec<JobChoice>>>;

/// The popup's "Ashby job" picker: a type-to-filter combobox (the ARIA combobox pattern with
/// a listbox popup), filtering with the same [`JobFilter`] as the Send dialog. `value` is the
/// chosen job's id ("" for none). Keyboard: Down/Up move through the options (Down opens the
/// list), Enter picks, Escape closes and restores the chosen job. Jobs that cannot take
/// candidates (drafts) are flagged; a chosen job missing from the list is shown as no longer
/// open.
#[component]
pub fn JobCombobox(input_id: String, jobs: JobList, value: RwSignal<String>) -> impl IntoView {
    let wrapper = NodeRef::<Div>::new();
    let state = StoredValue::new(ComboState::default());
    // Built when the list first opens (lower-casing 2,000 titles is not done for a picker
    // never used), and again only after the job list changed.
    let filter = Filter {
        jobs,
        built: StoredValue::new_local(None),
    };
    // The state as it is now, drawn: `everything` false redraws only the highlight. (Events
    // after the widget left the page find its state gone and draw nothing.)
    let draw = move |everything: bool| {
        let Some(wrapper) = wrapper.get_untracked() else {
            return;
        };
        let Some(parts) = Parts::of(&wrapper) else {
            return;
        };
        state.try_with_value(|state| {
            if everything {
                jobs.with_untracked(|jobs| {
                    value.with_untracked(|chosen| draw_all(&parts, state, jobs.as_deref(), chosen));
                });
            }
            draw_highlight(&parts, state);
        });
    };
    // A new job list (the worker's, after the cached one).
    effect(move || {
        jobs.track();
        filter.built.set_value(None);
        if state.with_value(ComboState::is_open) {
            change(state, filter, ComboState::refilter);
        }
        draw(true);
    });
    // A choice made elsewhere.
    effect(move || {
        value.track();
        draw(true);
    });
    let pick = move |job: Option<usize>| {
        let id = job.and_then(|index| {
            jobs.with_untracked(|list| list.as_ref()?.get(index).map(|job| job.id.to_string()))
        });
        if let Some(id) = id {
            value.set(id);
        }
    };
    // The handlers sit on the wrapper: the box's events and the list's presses reach it.
    let on_key = move |event: leptos::ev::KeyboardEvent| {
        let Some(key) = ComboKey::named(&event.key()) else {
            return;
        };
        let changed = change(state, filter, |state, filter| {
            (state.is_open(), state.key(key, filter))
        });
        let (was_open, outcome) = changed.unwrap_or((false, KeyOutcome::Ignored));
        match outcome {
            KeyOutcome::Ignored => return,
            KeyOutcome::Handled => {}
            KeyOutcome::Picked(job) => pick(Some(job)),
        }
        // Picking an option must not submit the form around the picker.
        event.prevent_default();
        // Moving through an open list changes only the highlight.
        draw(!(was_open && matches!(key, ComboKey::Down | ComboKey::Up)));
    };
    let on_input = move |event: leptos::ev::Event| {
        let typed = event_target_value(&event);
        let list_changed = change(state, filter, |state, filter| {
            state.type_text(typed, filter)
        });
        draw(list_changed.unwrap_or(true));
    };
    let on_click = move |event: leptos::ev::MouseEvent| {
        if is_the_box(event.target()) {
            change(state, filter, ComboState::open);
            draw(true);
        }
    };
    // Leaving the box closes the list; a box emptied by the recruiter clears the choice.
    let on_leave = move |_: leptos::ev::FocusEvent| {
        if state.try_update_value(ComboState::leave).unwrap_or(false) {
            value.set(String::new());
        }
        draw(true);
    };
    // A press on an option picks it; any press in the list keeps focus in the box, so the
    // box is not left (closing the list) first.
    let on_press = move |event: leptos::ev::MouseEvent| {
        let target = event
            .target()
            .and_then(|target| target.dyn_into::<Element>().ok());
        let Some(target) = target.filter(|t| t.closest("[role=listbox]").ok().flatten().is_some())
        else {
            return;
        };
        event.prevent_default();
        let position = target
            .closest("[role=option]")
            .ok()
            .flatten()
            .and_then(|option| option_position(&option.id()));
        if let Some(position) = position {
            pick(
                state
                    .try_update_value(|state| state.pick(position))
                    .flatten(),
            );
            draw(true);
        }
    };
    view! {
        <div class="combo" node_ref=wrapper use:build_parts=input_id
            on:input=handler(on_input)
            on:keydown=handler(on_key)
            on:click=handler(on_click)
            on:focusout=handler(on_leave)
            on:mousedown=handler(on_press)></div>
    }
}

/// The box and its list, built into the wrapper as Leptos builds it (before it is mounted).
fn build_parts(wrapper: Element, input_id: String) {
    let listbox_id = format!("{input_id}-list");
    let input = element("input", "", "");
    for (name, value) in [
        ("id", input_id.as_str()),
        ("type", "text"),
        ("role", "combobox"),
        ("autocomplete", "off"),
        ("spellcheck", "false"),
        ("aria-autocomplete", "list"),
        ("aria-controls", &listbox_id),
        ("aria-expanded", "false"),
        ("placeholder", text::JOB_PICKER_PLACEHOLDER),
    ] {
        set(&input, name, value);
    }
    let list = element("ul", "", "");
    for (name, value) in [
        ("id", listbox_id.as_str()),
        ("role", "listbox"),
        ("aria-label", text::JOB_PICKER_LABEL),
        ("hidden", ""),
    ] {
        set(&list, name, value);
    }
    let _ = wrapper.append_child(&input);
    let _ = wrapper.append_child(&list);
}

/// The job list's filter, built when first needed after the list changed.
#[derive(Clone, Copy)]
struct Filter {
    jobs: JobList,
    built: StoredValue<Option<JobFilter>, LocalStorage>,
}

/// `change` made to the state (with the job filter it may need), unless the widget is gone.
fn change<R>(
    state: StoredValue<ComboState>,
    filter: Filter,
    change: impl FnOnce(&mut ComboState, &JobFilter) -> R,
) -> Option<R> {
    filter
        .built
        .try_update_value(|built| {
            let filter = built.get_or_insert_with(|| {
                filter
                    .jobs
                    .with_untracked(|list| JobFilter::new(list.as_deref().unwrap_or_default()))
            });
            state.try_update_value(|state| change(state, filter))
        })
        .flatten()
}

fn is_the_box(target: Option<web_sys::EventTarget>) -> bool {
    target.is_some_and(|target| target.has_type::<HtmlInputElement>())
}

/// The widget's elements (the wrapper Leptos placed, the box and list [`build_parts`] put in).
struct Parts<'a> {
    wrapper: &'a Element,
    input: HtmlInputElement,
    list: Element,
}

impl<'a> Parts<'a> {
    fn of(wrapper: &'a Element) -> Option<Self> {
        Some(Self {
            wrapper,
            input: wrapper.first_element_child()?.dyn_into().ok()?,
            list: wrapper.query_selector(":scope > ul").ok()??,
        })
    }
}

/// An option's id: the box's id, "-opt-" and its position among those shown.
fn option_id(input_id: &str, position: usize) -> String {
    format!("{input_id}-opt-{position}")
}

fn option_position(option_id: &str) -> Option<usize> {
    crate::substring::rsplit_once(option_id, "-opt-")?
        .1
        .parse()
        .ok()
}

/// Everything but the highlight: the box's text, the chosen job's flag, the options, and the
/// line saying why there are none. Text goes in as text, never as markup.
fn draw_all(parts: &Parts, state: &ComboState, jobs: Option<&[JobChoice]>, chosen: &str) {
    let chosen_job = jobs.and_then(|list| list.iter().find(|job| job.id == chosen));
    let shows = match (state.typed(), chosen_job) {
        (Some(typed), _) => typed.to_owned(),
        _ if chosen.is_empty() => String::new(),
        (None, Some(job)) => describe(job),
        (None, None) if jobs.is_some() => text::JOB_NO_LONGER_OPEN.to_owned(),
        (None, None) => text::LINKED_JOB.to_owned(),
    };
    // Only a different text is set: setting the same one would move the caret.
    if parts.input.value() != shows {
        parts.input.set_value(&shows);
    }
    set(
        &parts.input,
        "aria-expanded",
        if state.is_open() { "true" } else { "false" },
    );
    let _ = parts
        .list
        .toggle_attribute_with_force("hidden", !state.is_open());

    remove_all(
        parts.wrapper,
        ":scope > .flag.chosen, :scope > .combo-empty",
    );
    if let Some(flag) = chosen_job.and_then(status_flag) {
        let flag = element("span", "flag chosen", &text::job_status_flag(flag));
        let _ = parts.wrapper.insert_before(&flag, Some(&parts.list));
    }
    parts.list.set_text_content(None);
    let input_id = parts.input.id();
    for (position, job) in state
        .shown()
        .iter()
        .filter_map(|&index| jobs?.get(index))
        .enumerate()
    {
        let option = element("li", "", "");
        set(&option, "role", "option");
        set(&option, "id", &option_id(&input_id, position));
        set(
            &option,
            "aria-selected",
            if job.id == chosen { "true" } else { "false" },
        );
        append(&option, element("span", "job", &describe(job)));
        if let Some(flag) = status_flag(job) {
            append(
                &option,
                element("span", "flag", &text::job_status_flag(flag)),
            );
        }
        let _ = parts.list.append_child(&option);
    }
    if state.is_open() && state.shown().is_empty() {
        let message = if jobs.is_none_or(<[JobChoice]>::is_empty) {
            text::NO_OPEN_JOBS
        } else {
            text::NO_MATCHING_JOBS
        };
        let _ = parts
            .wrapper
            .append_child(&element("p", "combo-empty muted", message));
    }
}

/// The highlighted option: `aria-activedescendant`, its class, and kept in view.
fn draw_highlight(parts: &Parts, state: &ComboState) {
    let active = state
        .active()
        .map(|position| option_id(&parts.input.id(), position));
    match &active {
        Some(id) => set(&parts.input, "aria-activedescendant", id),
        None => {
            let _ = parts.input.remove_attribute("aria-activedescendant");
        }
    }
    let options = parts.list.children();
    for option in (0..options.length()).filter_map(|i| options.item(i)) {
        if active.as_deref() == Some(option.id().as_str()) {
            set(&option, "class", "active");
            option.scroll_into_view_with_bool(false);
        } else {
            let _ = option.remove_attribute("class");
        }
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use crate::page_components::test_input::*;
    use wasm_bindgen_test::wasm_bindgen_test;

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
}
