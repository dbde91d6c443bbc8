//! The searches of "Ashby Sync", drawn by hand: each search's title line (a button that opens
//! and closes its form), its form ([`Form`]), and with more than [`FILTER_FROM`] searches the
//! "Filter searches" box. What each line says is decided in `super::search_lines`.
//!
//! Why by hand: as Leptos views, each row's reactive attributes and each form's controls,
//! handlers and lines compiled their own typed rendering: the list cost ~87 KB of the popup's
//! wasm, ~56 KB drawn by hand (the job picker is ~22 KB of it). One Leptos element places the
//! list and takes its events (they bubble to it), two effects follow the worker's newer
//! answers, the job list and the search in front, and the rest is drawn from plain data.

use super::search_form::{setting, Form, FormNotice};
use super::search_lines::{arrange, line, section_class, title_matches, FILTER_FROM};
use super::startup;
use crate::browser::ask_worker;
use crate::domain::SearchAutomation;
use crate::messages::{JobChoice, SaveAutomation, SearchItem, SearchesView};
use crate::page_components::dom::{append, element, set};
use crate::page_components::effect::effect;
use crate::page_components::job_combobox::JobList;
use crate::page_components::{handler, Focused};
use crate::text;
use leptos::prelude::*;
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};

/// Saves a search's setting; the worker answers with every search.
pub type Save = fn(SearchAutomation) -> Pin<Box<dyn Future<Output = Result<SearchesView, String>>>>;

fn save_with_worker(
    automation: SearchAutomation,
) -> Pin<Box<dyn Future<Output = Result<SearchesView, String>>>> {
    Box::pin(async move { Ok(ask_worker(SaveAutomation { automation }).await?) })
}

/// One search as shown.
struct Row {
    /// The worker's latest data for it (a save's answer, or a newer listing).
    item: SearchItem,
    open: bool,
    /// The search in front of the recruiter.
    current: bool,
    li: Element,
    section: Element,
    toggle: Element,
    title: Element,
    summary: Element,
    panel: Element,
    /// Built the first time the search opens, then kept (hidden) with any edits in it.
    form: Option<Form>,
    notice: Option<FormNotice>,
}

impl Row {
    fn draw(ul: &Element, item: SearchItem, open: bool) -> Self {
        let id = item.search_id.to_string();
        let li = append(ul, element("li", "", ""));
        let section = append(&li, element("section", "", ""));
        set(&section, "aria-labelledby", &format!("search-title-{id}"));
        let heading = append(&section, element("h3", "", ""));
        let toggle = append(&heading, element("button", "search-toggle", ""));
        for (name, value) in [
            ("type", "button".to_owned()),
            ("id", toggle_id(&id)),
            ("aria-controls", format!("search-panel-{id}")),
            ("aria-labelledby", format!("search-title-{id}")),
            ("aria-describedby", format!("search-summary-{id}")),
        ] {
            set(&toggle, name, &value);
        }
        set(
            &append(&toggle, element("span", "chevron", "")),
            "aria-hidden",
            "true",
        );
        let title = append(&toggle, element("span", "title", ""));
        set(&title, "id", &format!("search-title-{id}"));
        let summary = append(&toggle, element("span", "summary", ""));
        set(&summary, "id", &format!("search-summary-{id}"));
        let panel = append(&section, element("div", "panel", ""));
        set(&panel, "id", &format!("search-panel-{id}"));
        Self {
            item,
            open,
            current: false,
            li,
            section,
            toggle,
            title,
            summary,
            panel,
            form: None,
            notice: None,
        }
    }

    /// The title line and the class list.
    fn draw_line(&self, jobs: Option<&[JobChoice]>) {
        let title = self.item.title.as_deref().unwrap_or(text::UNTITLED_SEARCH);
        self.title.set_text_content(Some(title));
        self.summary
            .set_text_content(Some(&line(&self.item, jobs, self.current)));
        set(
            &self.section,
            "class",
            section_class(self.current, self.open),
        );
    }

    /// Open or closed (the form is built the first time it opens).
    fn draw_disclosure(&mut self, context: &Context) {
        set(
            &self.toggle,
            "aria-expanded",
            if self.open { "true" } else { "false" },
        );
        set(
            &self.section,
            "class",
            section_class(self.current, self.open),
        );
        let _ = self.panel.toggle_attribute_with_force("hidden", !self.open);
        if self.open && self.form.is_none() {
            let mut form = Form::draw(&self.panel, &self.item, context.jobs, &context.owner);
            form.draw_notice(&self.panel, self.notice.as_ref());
            self.form = Some(form);
        }
    }

    /// A newer item from the worker: the form (if built) starts again from it.
    fn renew(&mut self, item: SearchItem, context: &Context) {
        self.item = item;
        if let Some(form) = self.form.take() {
            let focused = Focused::now();
            form.remove();
            // A refusal was about values no longer shown; a save's outcome still holds.
            if matches!(self.notice, Some(FormNotice::Refused(_))) {
                self.notice = None;
            }
            self.draw_disclosure(context);
            focused.follow();
        }
    }

    fn draw_notice(&mut self, notice: FormNotice) {
        self.notice = Some(notice);
        if let Some(form) = &mut self.form {
            form.draw_notice(&self.panel, self.notice.as_ref());
        }
    }

    fn matches(&self, filter: &str) -> bool {
        title_matches(self.item.title.as_deref(), filter)
    }
}

/// What drawing a row needs besides the row.
#[derive(Clone)]
struct Context {
    jobs: JobList,
    /// The list's owner: each form's reactive parts are owned by a child of it.
    owner: Owner,
}

/// The list as shown.
struct List {
    rows: Vec<Row>,
    current: Option<String>,
    /// What is typed in "Filter searches".
    filter: String,
    /// The "nothing matches" line, shown while the filter leaves out every search.
    nothing: Option<Element>,
    area: Element,
    context: Context,
}

impl List {
    fn draw(
        area: Element,
        items: Vec<(SearchItem, bool)>,
        current: Option<String>,
        context: Context,
    ) -> Self {
        if items.len() > FILTER_FROM {
            let filter = append(&area, element("div", "filter", ""));
            let input = append(&filter, element("input", "", ""));
            for (name, value) in [
                ("type", "search"),
                ("id", "filter-searches"),
                ("autocomplete", "off"),
                ("spellcheck", "false"),
                ("aria-label", text::FILTER_SEARCHES),
                ("aria-describedby", "filter-searches-hint"),
                ("placeholder", text::FILTER_SEARCHES),
            ] {
                set(&input, name, value);
            }
            let hint = append(&filter, element("p", "hint", text::FILTER_SEARCHES_HINT));
            set(&hint, "id", "filter-searches-hint");
        }
        let ul = append(&area, element("ul", "searches", ""));
        let mut list = Self {
            rows: items
                .into_iter()
                .map(|(item, open)| Row::draw(&ul, item, open))
                .collect(),
            current,
            filter: String::new(),
            nothing: None,
            area,
            context,
        };
        list.draw_lines();
        let context = list.context.clone();
        for row in &mut list.rows {
            row.draw_disclosure(&context);
        }
        list
    }

    fn draw_lines(&mut self) {
        self.context.jobs.with_untracked(|jobs| {
            for row in &mut self.rows {
                row.current = self.current.as_deref() == Some(row.item.search_id.as_str());
                row.draw_line(jobs.as_deref());
            }
        });
    }

    /// The row `target` is in.
    fn row_of(&mut self, target: &Element) -> Option<&mut Row> {
        self.rows
            .iter_mut()
            .find(|row| row.li.contains(Some(target)))
    }

    /// Hides the rows `filter` leaves out, and says so when it leaves out every one (a line
    /// already saying so stays, not to be announced again).
    fn apply_filter(&mut self, filter: &str) {
        self.filter = filter.to_owned();
        let mut any = false;
        for row in &self.rows {
            let matches = row.matches(filter);
            any |= matches;
            let _ = row.li.toggle_attribute_with_force("hidden", !matches);
        }
        let message = (!any).then(|| text::no_search_matches(filter));
        if self.nothing.as_ref().and_then(|line| line.text_content()) == message {
            return;
        }
        if let Some(shown) = self.nothing.take() {
            shown.remove();
        }
        if let Some(message) = message {
            let line = element("p", "muted", &message);
            set(&line, "role", "status");
            if let Ok(Some(list)) = self.area.query_selector(":scope > ul") {
                let _ = self.area.insert_before(&line, Some(&list));
            }
            self.nothing = Some(line);
        }
    }

    /// A press on a search's title button opens or closes it.
    fn toggle(&mut self, target: &Element) {
        let context = self.context.clone();
        let Some(row) = self.row_of(target) else {
            return;
        };
        if row.toggle.contains(Some(target)) {
            row.open = !row.open;
            row.draw_disclosure(&context);
        }
    }

    /// Enter in the filter: the first search it matches opens, and focus moves there.
    fn open_first_match(&mut self, filter: &str) {
        let context = self.context.clone();
        let Some(row) = self.rows.iter_mut().find(|row| row.matches(filter)) else {
            return;
        };
        row.open = true;
        row.draw_disclosure(&context);
        if let Some(toggle) = row.toggle.dyn_ref::<HtmlElement>() {
            let _ = toggle.focus();
        }
    }
}

fn toggle_id(search_id: &str) -> String {
    format!("search-toggle-{search_id}")
}

fn target_of(event: &web_sys::Event) -> Option<Element> {
    event.target()?.dyn_into().ok()
}

/// Where the list keeps what it shows: gone (and every event ignored) once the list left.
type Shown = StoredValue<Option<List>, LocalStorage>;

#[component]
pub fn SearchList(
    list: Vec<SearchItem>,
    /// The search in front of the recruiter when the list is built (it may become known
    /// later, from `latest`: if it is not the one already first, the list is built again).
    current: Option<String>,
    jobs: JobList,
    /// The latest answer, if one may follow: rows take their searches' newer items, and the
    /// search in front, from it.
    #[prop(optional)]
    latest: Option<Memo<Option<startup::Searches>>>,
    /// How a setting is saved (the worker, unless a test says otherwise).
    #[prop(optional)]
    save: Option<Save>,
) -> impl IntoView {
    let save = save.unwrap_or(save_with_worker);
    let context = Context {
        jobs,
        owner: Owner::current().unwrap_or_default(),
    };
    let items = arrange(list, current.as_deref());
    let shown: Shown = StoredValue::new_local(None);
    let start = Start {
        items,
        current,
        context,
    };
    let build = Build(Rc::new(Cell::new(Some(start))), shown);

    // A newer answer (the searches' items, the search in front) or a new job list: rows take
    // their newer items, and every line is drawn again.
    effect(move || {
        let newer = latest.and_then(|latest| latest.get()).and_then(Result::ok);
        jobs.track();
        shown.update_value(|list| {
            let Some(list) = list else { return };
            let Some((items, current)) = newer else {
                list.draw_lines();
                return;
            };
            let context = list.context.clone();
            for item in items {
                let row = list
                    .rows
                    .iter_mut()
                    .find(|row| row.item.search_id == item.search_id);
                if let Some(row) = row.filter(|row| row.item != item) {
                    row.renew(item, &context);
                }
            }
            list.current = current;
            list.draw_lines();
            // A renamed search may now match the filter, or no longer.
            let filter = std::mem::take(&mut list.filter);
            list.apply_filter(&filter);
        });
    });

    let on_click = move |event: web_sys::MouseEvent| {
        let Some(target) = target_of(&event) else {
            return;
        };
        shown.update_value(|list| {
            if let Some(list) = list {
                list.toggle(&target);
            }
        });
    };
    // The filter narrows the list; a limit being typed changes its form's count.
    let on_input = move |event: web_sys::Event| {
        let Some(target) = target_of(&event) else {
            return;
        };
        shown.update_value(|list| {
            let Some(list) = list else { return };
            if target.id() == "filter-searches" {
                let filter = target.unchecked_ref::<HtmlInputElement>().value();
                list.apply_filter(&filter);
            } else if let Some(row) = list.row_of(&target) {
                if let Some(form) = row.form.as_ref().filter(|form| form.is_limit(&target)) {
                    form.draw_count(&row.item);
                }
            }
        });
    };
    // Enter in the filter opens the first match and moves there; Escape clears the filter.
    let on_key = move |event: web_sys::KeyboardEvent| {
        let Some(target) = target_of(&event) else {
            return;
        };
        if target.id() != "filter-searches" {
            return;
        }
        let input: &HtmlInputElement = target.unchecked_ref();
        let filter = input.value();
        match event.key().as_str() {
            "Enter" => {
                event.prevent_default();
                shown.update_value(|list| {
                    if let Some(list) = list {
                        list.open_first_match(&filter);
                    }
                });
            }
            "Escape" if !filter.is_empty() => {
                event.prevent_default();
                input.set_value("");
                shown.update_value(|list| {
                    if let Some(list) = list {
                        list.apply_filter("");
                    }
                });
            }
            _ => {}
        }
    };
    let on_submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        let Some(target) = target_of(&event) else {
            return;
        };
        let checked = shown
            .try_update_value(|list| {
                let list = list.as_mut()?;
                let jobs = list.context.jobs;
                let row = list.row_of(&target)?;
                let typed = row.form.as_ref()?.typed();
                let checked = jobs.with_untracked(|open_jobs| {
                    setting(&row.item.automation, &typed, open_jobs.as_deref())
                });
                row.draw_notice(match &checked {
                    Ok(_) => FormNotice::Saving,
                    Err(why) => FormNotice::Refused(why.clone()),
                });
                checked.ok()
            })
            .flatten();
        if let Some(automation) = checked {
            leptos::task::spawn_local(saved(shown, save, automation));
        }
    };
    view! {
        <div class="search-list" use:build_list=build
            on:click=handler(on_click)
            on:input=handler(on_input)
            on:keydown=handler(on_key)
            on:submit=handler(on_submit)></div>
    }
}

/// Saves `automation` and shows the outcome under its form; the saved setting goes on the
/// search's title line (a save is not a newer listing: the form keeps what was saved).
async fn saved(shown: Shown, save: Save, automation: SearchAutomation) {
    let search_id = automation.search_id.clone();
    let outcome = save(automation).await;
    shown.try_update_value(|list| {
        let Some(list) = list else { return };
        let Some(row) = list
            .rows
            .iter_mut()
            .find(|row| row.item.search_id == search_id)
        else {
            return;
        };
        match outcome {
            Ok(view) => {
                if let Some(item) = view.searches.into_iter().find(|s| s.search_id == search_id) {
                    row.item = item;
                    if let Some(form) = &row.form {
                        form.draw_count(&row.item);
                    }
                }
                row.draw_notice(FormNotice::Saved);
            }
            Err(failure) => row.draw_notice(FormNotice::Failed(failure)),
        }
        list.draw_lines();
    });
}

/// What the list is first drawn from.
struct Start {
    items: Vec<(SearchItem, bool)>,
    current: Option<String>,
    context: Context,
}

/// The list's start, taken when Leptos builds its element, and where the list then goes.
#[derive(Clone)]
struct Build(Rc<Cell<Option<Start>>>, Shown);

/// Draws the list into its element as Leptos builds it (before it is mounted).
fn build_list(area: Element, build: Build) {
    if let Some(Start {
        items,
        current,
        context,
    }) = build.0.take()
    {
        build
            .1
            .set_value(Some(List::draw(area, items, current, context)));
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use crate::domain::Trigger;
    use crate::page_components::test_dom::focused;
    use crate::page_components::test_input::*;
    use crate::storage_schema as schema;
    use std::cell::RefCell;
    use wasm_bindgen_test::wasm_bindgen_test;

    thread_local! {
        /// The settings the fake save was given.
        static SAVED: RefCell<Vec<SearchAutomation>> = const { RefCell::new(Vec::new()) };
    }

    /// Saves as the worker would: it answers with the search, its setting saved.
    fn fake_save(
        automation: SearchAutomation,
    ) -> Pin<Box<dyn Future<Output = Result<SearchesView, String>>>> {
        SAVED.with(|saved| saved.borrow_mut().push(automation.clone()));
        Box::pin(async move {
            let mut item = crate::popup::search_lines::tests::item(automation.search_id.as_str());
            item.automation = automation;
            Ok(SearchesView {
                account_email: None,
                searches: vec![item],
            })
        })
    }

    /// One search's form, open (the only search is open), saving with [`fake_save`].
    fn card(item: SearchItem, jobs: Option<Vec<JobChoice>>) -> (web_sys::HtmlElement, impl Drop) {
        SAVED.with(|saved| saved.borrow_mut().clear());
        let host = host();
        let mounted = leptos::mount::mount_to(host.clone(), move || {
            view! {
                <SearchList list=vec![item.clone()] current=None
                    jobs=RwSignal::new(jobs.clone()) save=fake_save />
            }
        });
        (host, mounted)
    }

    fn saved() -> Vec<SearchAutomation> {
        SAVED.with(|saved| saved.borrow().clone())
    }

    fn titled(n: usize) -> Vec<SearchItem> {
        (0..n)
            .map(|i| SearchItem {
                title: Some(format!("Search number {i}")),
                owner_email: Some("jane@agency.com".into()),
                ..crate::popup::search_lines::tests::item(&format!("s{i}"))
            })
            .collect()
    }

    fn expanded_of(host: &web_sys::HtmlElement) -> Vec<(String, String)> {
        // The rows shown: the filter hides the others.
        let buttons = host
            .query_selector_all("li:not([hidden]) button.search-toggle")
            .unwrap();
        (0..buttons.length())
            .map(|i| {
                let b: web_sys::Element = buttons.item(i).unwrap().unchecked_into();
                (b.id(), b.get_attribute("aria-expanded").unwrap())
            })
            .collect()
    }

    #[wasm_bindgen_test]
    async fn the_current_search_is_open_first_and_the_filter_narrows_by_title() {
        let host = host();
        let _mounted = leptos::mount::mount_to(host.clone(), move || {
            view! {
                <SearchList list=titled(7) current=Some("s3".to_owned())
                    jobs=RwSignal::new(Some(Vec::new())) />
            }
        });
        next_tick().await;
        let states = expanded_of(&host);
        assert_eq!(states.len(), 7);
        assert_eq!(
            states[0],
            ("search-toggle-s3".to_owned(), "true".to_owned())
        );
        assert!(states[1..].iter().all(|(_, e)| e == "false"), "{states:?}");
        assert_eq!(states[1].0, "search-toggle-s0", "then most recent first");
        assert!(text_of(&host, "#search-summary-s3").starts_with(text::CURRENT_SEARCH));
        // Only the open search's form is built.
        assert_eq!(host.query_selector_all("form").unwrap().length(), 1);

        // A collapsed search opens with its title button.
        click(&host, "#search-toggle-s5");
        next_tick().await;
        assert_eq!(
            attribute(&host, "#search-toggle-s5", "aria-expanded").as_deref(),
            Some("true")
        );
        assert!(host.query_selector("#job-s5").unwrap().is_some());

        // The filter (more than five searches) narrows the list; Enter opens the first match.
        type_into(&host, "input[type=search]", "NUMBER 6");
        next_tick().await;
        let states = expanded_of(&host);
        assert_eq!(
            states,
            [("search-toggle-s6".to_owned(), "false".to_owned())]
        );
        assert!(!press(&host, "input[type=search]", "Enter"));
        next_tick().await;
        assert_eq!(
            attribute(&host, "#search-toggle-s6", "aria-expanded").as_deref(),
            Some("true")
        );
        assert_eq!(focused().id(), "search-toggle-s6");
        type_into(&host, "input[type=search]", "nothing like it");
        next_tick().await;
        assert!(expanded_of(&host).is_empty());
        assert!(text_of(&host, "[role=status]").contains("nothing like it"));
        assert!(!press(&host, "input[type=search]", "Escape"));
        next_tick().await;
        assert_eq!(expanded_of(&host).len(), 7);
        // The search opened before the filter is still open (rows are kept while hidden).
        assert_eq!(
            attribute(&host, "#search-toggle-s5", "aria-expanded").as_deref(),
            Some("true")
        );
    }

    #[wasm_bindgen_test]
    async fn five_searches_need_no_filter() {
        let host = host();
        let _mounted = leptos::mount::mount_to(host.clone(), move || {
            view! { <SearchList list=titled(5) current=None jobs=RwSignal::new(None) /> }
        });
        next_tick().await;
        assert!(host.query_selector("input[type=search]").unwrap().is_none());
        assert_eq!(
            expanded_of(&host)[0],
            ("search-toggle-s0".to_owned(), "true".to_owned())
        );
    }

    #[wasm_bindgen_test]
    async fn a_linked_job_is_named_once_the_job_list_arrives() {
        let mut linked = titled(1);
        linked[0].automation.job_id = Some("j1".parse().unwrap());
        let jobs = RwSignal::new(None);
        let host = host();
        let _mounted = leptos::mount::mount_to(host.clone(), move || {
            view! { <SearchList list=linked.clone() current=None jobs /> }
        });
        next_tick().await;
        assert!(text_of(&host, "#search-summary-s0").contains(text::LINKED_JOB));
        jobs.set(Some(vec![job("j1", "Senior Backend Engineer", "Open")]));
        next_tick().await;
        let summary = text_of(&host, "#search-summary-s0");
        assert!(summary.contains("Senior Backend Engineer"), "{summary}");
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
        let (host, _mounted) = card(owned("s1"), Some(jobs));
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
        assert!(saved().is_empty());
        // A good setting is handed over.
        set_value(&host, "#limit-s1", "25", "input");
        set_value(&host, "#when-s1", "OnReply", "change");
        click(&host, "button[type=submit]");
        next_tick().await;
        assert_eq!(
            saved(),
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
        let (host, _mounted) = card(item, Some(vec![job("j1", "Frontend", "Open")]));
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
        let (host, _mounted) = card(item, Some(vec![]));
        next_tick().await;
        assert!(text_of(&host, ".read-only").starts_with("Shared by lead@agency.com"));
        let fieldset = host.query_selector("fieldset").unwrap().unwrap();
        assert!(fieldset.has_attribute("disabled"));
        assert!(host
            .query_selector("button[type=submit]")
            .unwrap()
            .is_none());
    }

    /// `first` listed, with the worker's latest answer in the returned signal (set it to
    /// answer again).
    fn listed_with_answers(
        first: &[SearchItem],
    ) -> (
        web_sys::HtmlElement,
        RwSignal<Option<startup::Searches>>,
        impl Drop,
    ) {
        let host = host();
        let answer = RwSignal::new(Some(Ok((first.to_vec(), None))));
        let list = first.to_vec();
        let mounted = leptos::mount::mount_to(host.clone(), move || {
            let latest = Memo::new(move |_| answer.get());
            view! {
                <SearchList list=list.clone() current=None jobs=RwSignal::new(None) latest />
            }
        });
        (host, answer, mounted)
    }

    #[wasm_bindgen_test]
    async fn the_search_in_front_named_by_a_newer_answer_is_marked_current() {
        let first = titled(2);
        let (host, answer, _mounted) = listed_with_answers(&first);
        next_tick().await;
        assert!(!text_of(&host, "#search-summary-s0").starts_with(text::CURRENT_SEARCH));
        // The browser said which tab is in front after the list was shown.
        answer.set(Some(Ok((first.clone(), Some("s0".to_owned())))));
        next_tick().await;
        assert!(text_of(&host, "#search-summary-s0").starts_with(text::CURRENT_SEARCH));
        assert!(!text_of(&host, "#search-summary-s1").starts_with(text::CURRENT_SEARCH));
        assert_eq!(
            host.query_selector_all("section.search.current")
                .unwrap()
                .length(),
            1
        );
        answer.set(Some(Ok((first, None))));
        next_tick().await;
        assert!(host
            .query_selector("section.search.current")
            .unwrap()
            .is_none());
    }

    #[wasm_bindgen_test]
    async fn a_newer_answer_renews_only_the_searches_it_changed() {
        let first = titled(2);
        let (host, answer, _mounted) = listed_with_answers(&first);
        next_tick().await;
        click(&host, "#search-toggle-s1");
        next_tick().await;
        // Edits in both forms; then the worker says s0 changed (it uploaded one more).
        set_value(&host, "#limit-s0", "7", "input");
        set_value(&host, "#limit-s1", "9", "input");
        let mut newer = first.clone();
        newer[0].uploaded = 1;
        newer[0].automation.enabled = true;
        answer.set(Some(Ok((newer, None))));
        next_tick().await;
        assert!(text_of(&host, "#search-summary-s0").ends_with("1 uploaded"));
        assert!(
            host.query_selector("#auto-s0:checked").unwrap().is_some(),
            "the changed search's form starts again from the newer setting"
        );
        assert_eq!(input_value(&host, "#limit-s0"), "");
        assert_eq!(
            input_value(&host, "#limit-s1"),
            "9",
            "the other keeps its edit"
        );
        assert_eq!(host.query_selector_all("form").unwrap().length(), 2);
    }

    fn dispatch(host: &web_sys::HtmlElement, selector: &str, event: &str) {
        let element = host.query_selector(selector).unwrap().unwrap();
        js_sys::Function::new_with_args(
            "element, type",
            "element.dispatchEvent(new (type === 'mousedown' ? MouseEvent : FocusEvent)(type, \
             { bubbles: true, cancelable: true }))",
        )
        .call2(&wasm_bindgen::JsValue::NULL, &element, &event.into())
        .unwrap();
    }

    #[wasm_bindgen_test]
    async fn the_job_picker_of_a_form_answers_typing_a_press_on_an_option_and_leaving() {
        let jobs = vec![
            job("j1", "Senior Backend Engineer", "Open"),
            job("j2", "Frontend Engineer", "Open"),
        ];
        let (host, _mounted) = card(owned("s1"), Some(jobs));
        next_tick().await;
        type_into(&host, "#job-s1", "front");
        next_tick().await;
        assert_eq!(option_texts(&host), ["Frontend Engineer · Berlin"]);
        dispatch(&host, "#job-s1-opt-0", "mousedown");
        next_tick().await;
        assert_eq!(input_value(&host, "#job-s1"), "Frontend Engineer · Berlin");
        click(&host, "button[type=submit]");
        next_tick().await;
        assert_eq!(saved()[0].job_id, Some("j2".into()));
        // Emptying the box and leaving it clears the choice.
        type_into(&host, "#job-s1", "");
        dispatch(&host, "#job-s1", "focusout");
        next_tick().await;
        click(&host, "button[type=submit]");
        next_tick().await;
        assert_eq!(saved()[1].job_id, None);
    }

    #[wasm_bindgen_test]
    async fn the_filter_follows_searches_renamed_by_a_newer_answer() {
        let first = titled(7);
        let (host, answer, _mounted) = listed_with_answers(&first);
        next_tick().await;
        type_into(&host, "input[type=search]", "number 6");
        next_tick().await;
        assert_eq!(expanded_of(&host).len(), 1);
        let renamed = |titles: [(usize, &str); 2]| {
            let mut newer = first.clone();
            for (position, title) in titles {
                newer[position].title = Some(title.to_owned());
            }
            newer
        };
        answer.set(Some(Ok((
            renamed([(2, "Search number 6b"), (6, "Search number 6")]),
            None,
        ))));
        next_tick().await;
        let shown: Vec<String> = expanded_of(&host).into_iter().map(|(id, _)| id).collect();
        assert_eq!(shown, ["search-toggle-s2", "search-toggle-s6"]);
        assert!(host.query_selector("[role=status]").unwrap().is_none());
        answer.set(Some(Ok((renamed([(2, "Backend"), (6, "Frontend")]), None))));
        next_tick().await;
        assert!(expanded_of(&host).is_empty());
        assert!(text_of(&host, "[role=status]").contains("number 6"));
    }
}
