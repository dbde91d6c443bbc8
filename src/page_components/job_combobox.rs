//! The "Ashby job" picker of a search's Ashby Sync form.

use super::{handler, line, redrawn};
use crate::job_picker::{describe, status_flag, JobFilter, MAX_OPTIONS};
use crate::messages::JobChoice;
use crate::text;
use leptos::prelude::*;

/// The popup's "Ashby job" picker: a type-to-filter combobox (the ARIA combobox pattern with
/// a listbox popup), filtering with the same [`JobFilter`] as the Send dialog. `value` is the
/// chosen job's id ("" for none). Keyboard: Down/Up move through the options (Down opens the
/// list), Enter picks, Escape closes and restores the chosen job. Jobs that cannot take
/// candidates (drafts) are flagged; a chosen job missing from the list is shown as no longer
/// open.
#[component]
pub fn JobCombobox(
    input_id: String,
    #[prop(into)] jobs: Signal<Option<Vec<JobChoice>>>,
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
                .map_or_else(|| text::JOB_NO_LONGER_OPEN.to_owned(), describe),
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
            value.set(id.into());
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
    let on_blur = move |_: leptos::ev::FocusEvent| {
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
    // The options, drawn anew when the shown jobs change (a keystroke): at most
    // `MAX_OPTIONS` rows, so each has its place in the list as a plain number. A keyed list
    // would keep unchanged rows but cost ~10 KB of wasm per page for rows that hold no state.
    let option = move |position: usize, job: &JobChoice| {
        let chosen_id = job.id.clone();
        let selected = move || value.with(|chosen| *chosen == chosen_id);
        let flag = status_flag(job).map(|status| {
            view! { <span class="flag">{text::job_status_flag(status)}</span> }
        });
        view! {
            <li role="option" id=option_id(position)
                class=move || if active.get() == Some(position) { "active" } else { "" }
                aria-selected=move || if selected() { "true" } else { "false" }
                on:mousedown=handler(move |event: leptos::ev::MouseEvent| {
                    // Keep focus in the box, so blur does not close the list first.
                    event.prevent_default();
                    choose(position);
                })>
                <span class="job">{describe(job)}</span>
                {flag}
            </li>
        }
    };
    let options = move || {
        let rows = jobs.with(|list| {
            let list = list.as_deref().unwrap_or_default();
            shown.with(|shown| {
                shown
                    .iter()
                    .filter_map(|&index| list.get(index))
                    .enumerate()
                    .map(|(position, job)| option(position, job))
                    .collect::<Vec<_>>()
            })
        });
        redrawn(rows)
    };
    let empty = move || {
        (open.get() && shown.with(Vec::is_empty)).then(|| {
            let message = if jobs.with(|l| l.as_ref().is_none_or(Vec::is_empty)) {
                text::NO_OPEN_JOBS
            } else {
                text::NO_MATCHING_JOBS
            };
            line("combo-empty muted", None, message)
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
                on:input=handler(on_input)
                on:keydown=handler(on_key)
                on:click=handler(move |_| open.set(true))
                on:blur=handler(on_blur) />
            {move || chosen_flag().map(|flag| view! { <span class="flag chosen">{flag}</span> })}
            <ul id=listbox_id role="listbox" aria-label=text::JOB_PICKER_LABEL
                hidden=move || !open.get()>
                {options}
            </ul>
            {empty}
        </div>
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
