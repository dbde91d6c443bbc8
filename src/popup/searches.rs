//! "Ashby Sync": the searches seen on Fetcher. The one in front of the recruiter comes first
//! with its form open; the others follow, most recently seen first, each one line (title,
//! owner, linked job, on/off, uploaded so far) that opens with a click on its title. With
//! more than [`FILTER_FROM`] searches a "Filter searches" box narrows them by title.

use super::search_form::SearchForm;
use super::startup;
use crate::browser::ask_worker;
use crate::domain::lower_case::lower_case;
use crate::domain::SearchAutomation;
use crate::messages::{JobChoice, SaveAutomation, SearchItem};
use crate::page_components::work::Work;
use crate::page_components::{disclosure, handler, line, line_while, redrawn};
use crate::text;
use leptos::either::Either;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The filter box appears when more searches than this are known.
pub const FILTER_FROM: usize = 5;

/// The searches in the order shown, each with whether its form starts open: the search in
/// front of the recruiter (`current`) first and open; failing that (it is not among them, or
/// no Fetcher search tab is open) the most recently seen one is open. `searches` comes most
/// recently seen first.
pub fn arrange(mut searches: Vec<SearchItem>, current: Option<&str>) -> Vec<(SearchItem, bool)> {
    if let Some(position) = current.and_then(|c| searches.iter().position(|s| s.search_id == c)) {
        let first = searches.remove(position);
        searches.insert(0, first);
    }
    searches
        .into_iter()
        .enumerate()
        .map(|(position, search)| (search, position == 0))
        .collect()
}

/// Whether a search's title has every word of the filter (any case, any order).
pub fn title_matches(title: Option<&str>, filter: &str) -> bool {
    let title = lower_case(title.unwrap_or(text::UNTITLED_SEARCH));
    lower_case(filter)
        .split_whitespace()
        .all(|word| title.contains(word))
}

/// The collapsed search's line after its title: owner, linked job, on/off, uploaded so far.
pub fn summary(item: &SearchItem, jobs: Option<&[JobChoice]>) -> String {
    let automation = &item.automation;
    let job = match (&automation.job_id, jobs) {
        (None, _) => text::NO_JOB_LINKED.to_owned(),
        (Some(id), Some(jobs)) => jobs.iter().find(|job| &job.id == id).map_or_else(
            || text::JOB_NO_LONGER_OPEN.to_owned(),
            |job| job.title.clone(),
        ),
        (Some(_), None) => text::LINKED_JOB.to_owned(),
    };
    let on_off = if automation.enabled {
        text::AUTOMATION_ON
    } else {
        text::AUTOMATION_OFF
    };
    item.owner_email
        .iter()
        .map(ToString::to_string)
        .chain([
            job,
            on_off.to_owned(),
            text::uploaded_short(item.uploaded, automation.applicant_limit),
        ])
        .collect::<Vec<_>>()
        .join(" · ")
}

/// One search in the list: the worker's latest data and whether its form is open.
#[derive(Clone)]
struct Row {
    id: String,
    item: RwSignal<SearchItem>,
    expanded: RwSignal<bool>,
    /// The search in front of the recruiter (known a moment after the list may be shown).
    current: Signal<bool>,
    /// Counts the newer answers that changed the item after the list was shown: the form,
    /// which starts from the item, starts again from the newer one. (A save sets the item
    /// without counting: the form holds what was saved.)
    renewed: RwSignal<u32>,
}

/// What the "Ashby Sync" section shows. A list is built for its searches (their ids, in the
/// order shown): a newer answer with the same searches updates the rows in place.
#[derive(Clone, PartialEq)]
enum Shown {
    Loading,
    Failed(String),
    NoSearches,
    List(Vec<String>),
}

#[component]
pub fn Searches() -> impl IntoView {
    let searches = Work::load(startup::searches);
    // What the worker listed last time, from storage, until it answers now; the search in
    // front of the recruiter joins it when the browser says which it is.
    let remembered = Work::load(|| async { Ok(startup::remembered_searches().await) });
    let current = Work::load(|| async { Ok(startup::current().await) });
    let latest = Memo::new(move |_| match searches.value() {
        Some(answer) => Some(answer),
        None => {
            let list = remembered.value()?.ok()??;
            Some(Ok((list, current.value().and_then(Result::ok).flatten())))
        }
    });
    let shown = Memo::new(move |_| match latest.get() {
        None => Shown::Loading,
        Some(Err(message)) => Shown::Failed(message),
        Some(Ok((list, _))) if list.is_empty() => Shown::NoSearches,
        Some(Ok((list, current))) => Shown::List(
            arrange(list, current.as_deref())
                .into_iter()
                .map(|(item, _)| item.search_id.to_string())
                .collect(),
        ),
    });
    let listed_jobs = Work::load(|| async { Ok(startup::listed_jobs().await?) });
    // The cached jobs first (straight from storage), until the worker's list replaces them.
    let cached_jobs = Work::load(|| async { Ok(startup::cached_jobs().await) });
    // `None` until some jobs are known, or when the worker could not list them.
    let jobs = Memo::new(move |_| match listed_jobs.value() {
        Some(Ok(list)) => Some(list.jobs),
        Some(Err(_)) => None,
        None => cached_jobs.value().and_then(Result::ok).flatten(),
    });
    let jobs_problem = move || {
        let failure = listed_jobs.value()?.err()?;
        Some(format!("{} {failure}", text::JOBS_UNAVAILABLE))
    };
    view! {
        <section class="sync" aria-label=text::SYNC_HEADING>
            <h2>{text::SYNC_HEADING}</h2>
            {line_while("warning", None, Box::new(jobs_problem))}
            {move || match shown.get() {
                Shown::Loading => Either::Left(line("muted", None, text::LOADING.to_owned())),
                Shown::Failed(message) => Either::Left(line("warning", None, message)),
                Shown::NoSearches => Either::Left(line("muted", None, text::NO_SEARCHES_YET.to_owned())),
                Shown::List(_) => {
                    let (list, _) = latest.get_untracked().and_then(Result::ok).unwrap_or_default();
                    let current = Signal::derive(move || {
                        latest.with(|l| l.as_ref()?.as_ref().ok()?.1.clone())
                    });
                    Either::Right(redrawn(view! { <SearchList list current jobs latest /> }))
                }
            }}
        </section>
    }
}

/// A newer answer's items for rows already shown (same searches): each row whose item
/// changed, with its new item.
fn changed_rows<'a>(
    rows: &'a [Row],
    newer: Vec<SearchItem>,
) -> impl Iterator<Item = (&'a Row, SearchItem)> + 'a {
    newer.into_iter().filter_map(move |item| {
        let row = rows.iter().find(|row| row.id == item.search_id.as_str())?;
        row.item
            .with_untracked(|shown| shown != &item)
            .then_some((row, item))
    })
}

#[component]
fn SearchList(
    list: Vec<SearchItem>,
    /// The search in front of the recruiter (it may become known after the list is shown:
    /// if it is not the one already first, the list is built again).
    #[prop(into)]
    current: Signal<Option<String>>,
    #[prop(into)] jobs: Signal<Option<Vec<JobChoice>>>,
    /// The latest answer, if one may follow: rows take their searches' newer items from it.
    #[prop(optional)]
    latest: Option<Memo<Option<startup::Searches>>>,
) -> impl IntoView {
    let rows: Vec<Row> = arrange(list, current.get_untracked().as_deref())
        .into_iter()
        .map(|(item, open)| Row {
            current: {
                let id = item.search_id.clone();
                Signal::derive(move || current.with(|c| c.as_deref() == Some(id.as_str())))
            },
            id: item.search_id.to_string(),
            item: RwSignal::new(item),
            expanded: RwSignal::new(open),
            renewed: RwSignal::new(0),
        })
        .collect();
    let filter = RwSignal::new(String::new());
    let with_filter = rows.len() > FILTER_FROM;
    let all = StoredValue::new(rows);
    Effect::new(move |_| {
        if let Some(Ok((newer, _))) = latest.and_then(|latest| latest.get()) {
            all.with_value(|rows| {
                for (row, item) in changed_rows(rows, newer) {
                    row.item.set(item);
                    row.renewed.update(|count| *count += 1);
                }
            });
        }
    });
    // Every row is built once, in order; the filter hides the rows it leaves out, so a row
    // keeps its form (and what was typed in it) while filtered out, with no keyed list to
    // compile (~5 KB of wasm).
    let rows = all.with_value(|rows| {
        rows.iter()
            .map(|row| view! { <SearchRow row=row.clone() jobs filter=filter.read_only() /> })
            .collect::<Vec<_>>()
    });
    // Enter opens the first match and moves there; Escape clears the filter.
    let on_filter_key = move |event: leptos::ev::KeyboardEvent| match event.key().as_str() {
        "Enter" => {
            event.prevent_default();
            let first = all.with_value(|rows| {
                let filter = filter.get_untracked();
                rows.iter()
                    .find(|r| {
                        r.item
                            .with_untracked(|i| title_matches(i.title.as_deref(), &filter))
                    })
                    .cloned()
            });
            if let Some(row) = first {
                row.expanded.set(true);
                focus(&toggle_id(&row.id));
            }
        }
        "Escape" if !filter.get_untracked().is_empty() => {
            event.prevent_default();
            filter.set(String::new());
        }
        _ => {}
    };
    let nothing_matches = move || {
        let query = filter.get();
        let none = all.with_value(|rows| {
            !rows
                .iter()
                .any(|r| r.item.with(|i| title_matches(i.title.as_deref(), &query)))
        });
        none.then(|| line("muted", Some("status"), text::no_search_matches(&query)))
    };
    view! {
        {with_filter.then(|| view! {
            <div class="filter">
                <input type="search" id="filter-searches" autocomplete="off" spellcheck="false"
                    aria-label=text::FILTER_SEARCHES
                    aria-describedby="filter-searches-hint"
                    placeholder=text::FILTER_SEARCHES
                    prop:value=move || filter.get()
                    on:input=handler(move |ev| filter.set(event_target_value(&ev)))
                    on:keydown=handler(on_filter_key) />
                <p id="filter-searches-hint" class="hint">{text::FILTER_SEARCHES_HINT}</p>
            </div>
        })}
        {nothing_matches}
        <ul class="searches">{rows}</ul>
    }
}

fn toggle_id(search_id: &str) -> String {
    format!("search-toggle-{search_id}")
}

fn focus(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id));
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// One search: its title line (a button that opens and closes the form) and its form.
#[component]
fn SearchRow(
    row: Row,
    jobs: Signal<Option<Vec<JobChoice>>>,
    /// The "Filter searches" text: a row whose title it does not match is hidden.
    filter: ReadSignal<String>,
) -> impl IntoView {
    let Row {
        id,
        item,
        expanded,
        current,
        renewed,
    } = row;
    let (title_id, summary_id, panel_id) = (
        format!("search-title-{id}"),
        format!("search-summary-{id}"),
        format!("search-panel-{id}"),
    );
    let (section_label, button_label, button_description, button_controls) = (
        title_id.clone(),
        title_id.clone(),
        summary_id.clone(),
        panel_id.clone(),
    );
    let title = move || {
        item.with(|i| i.title.clone())
            .unwrap_or_else(|| text::UNTITLED_SEARCH.to_owned())
    };
    // "Current search · " before the summary for the search in front of the recruiter.
    let line = move || {
        let summary = item.with(|i| jobs.with(|jobs| summary(i, jobs.as_deref())));
        if current.get() {
            format!("{} · {summary}", text::CURRENT_SEARCH)
        } else {
            summary
        }
    };
    // One class list (a closure per class would each compile Leptos's class rendering).
    let section_class = move || match (current.get(), expanded.get()) {
        (false, false) => "search",
        (true, false) => "search current",
        (false, true) => "search open",
        (true, true) => "search current open",
    };
    // The worker answers with every search: this one's saved setting goes on its title line.
    let saving = Work::<()>::new();
    let on_save = Callback::new(move |automation: SearchAutomation| {
        saving.run(move || {
            let request = SaveAutomation {
                automation: automation.clone(),
            };
            async move {
                let search_id = request.automation.search_id.clone();
                let view = ask_worker(request).await?;
                if let Some(saved) = view.searches.into_iter().find(|s| s.search_id == search_id) {
                    item.set(saved);
                }
                Ok(())
            }
        });
    });
    // The form is built the first time it opens, then kept (hidden) with any edits in it.
    let built = Memo::new(move |before: Option<&bool>| before == Some(&true) || expanded.get());
    let form = move || {
        built.get().then(|| {
            renewed.track();
            let item = item.get_untracked();
            redrawn(view! { <SearchForm item jobs on_save saving /> })
        })
    };
    view! {
        <li hidden=move || !item.with(|i| filter.with(|f| title_matches(i.title.as_deref(), f)))>
            <section class=section_class aria-labelledby=section_label>
                <h3>
                    <button type="button" id=toggle_id(&id) class="search-toggle"
                        aria-expanded=disclosure::expanded(expanded)
                        aria-controls=button_controls
                        aria-labelledby=button_label
                        aria-describedby=button_description
                        on:click=handler(move |_| expanded.update(|open| *open = !*open))>
                        <span class="chevron" aria-hidden="true"></span>
                        <span id=title_id class="title">{title}</span>
                        <span id=summary_id class="summary">{line}</span>
                    </button>
                </h3>
                <div id=panel_id class="panel" hidden=disclosure::hidden_unless(expanded)>{form}</div>
            </section>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A search with nothing saved or seen but its id.
    pub(super) fn item(id: &str) -> SearchItem {
        SearchItem {
            search_id: id.into(),
            title: None,
            owner_email: None,
            read_only_reason: None,
            automation: SearchAutomation::off(id.into()),
            uploaded: 0,
            automation_paused: None,
        }
    }

    fn search(id: &str, title: Option<&str>) -> SearchItem {
        SearchItem {
            title: title.map(str::to_owned),
            ..item(id)
        }
    }

    fn order(arranged: &[(SearchItem, bool)]) -> Vec<(&str, bool)> {
        arranged
            .iter()
            .map(|(s, open)| (s.search_id.as_str(), *open))
            .collect()
    }

    #[test]
    fn a_newer_answer_changes_only_the_rows_whose_search_changed() {
        let row = |item: SearchItem| Row {
            id: item.search_id.to_string(),
            item: RwSignal::new(item),
            expanded: RwSignal::new(false),
            current: Signal::stored(false),
            renewed: RwSignal::new(0),
        };
        let rows = [row(item("a")), row(item("b"))];
        let mut b = item("b");
        b.uploaded = 4;
        // "c" is not shown: a list with other searches is built again, not updated.
        let changed: Vec<(&str, u32)> = changed_rows(&rows, vec![item("a"), b, item("c")])
            .map(|(row, item)| (row.id.as_str(), item.uploaded))
            .collect();
        assert_eq!(changed, [("b", 4)]);
    }

    #[test]
    fn the_search_in_front_comes_first_and_open_the_rest_closed_most_recent_first() {
        let seen = vec![search("a", None), search("b", None), search("c", None)];
        assert_eq!(
            order(&arrange(seen.clone(), Some("c"))),
            [("c", true), ("a", false), ("b", false)]
        );
        // No Fetcher search tab (or one not seen yet): the most recently seen one is open.
        for current in [None, Some("unknown")] {
            assert_eq!(
                order(&arrange(seen.clone(), current)),
                [("a", true), ("b", false), ("c", false)]
            );
        }
        assert!(arrange(Vec::new(), Some("a")).is_empty());
    }

    #[test]
    fn the_filter_matches_every_word_of_the_title_in_any_case() {
        let title = Some("Senior Backend Engineer – Berlin");
        assert!(title_matches(title, ""));
        assert!(title_matches(title, "  "));
        assert!(title_matches(title, "backend"));
        assert!(title_matches(title, "BERLIN senior"));
        assert!(!title_matches(title, "backend london"));
        assert!(title_matches(None, "untitled"));
    }

    #[test]
    fn the_title_line_says_owner_job_on_off_and_count() {
        let jobs = [JobChoice {
            id: "j1".into(),
            title: "Senior Backend Engineer".into(),
            status: "Open".into(),
            location: None,
            department: None,
        }];
        let mut item = search("a", Some("Backend Berlin"));
        item.owner_email = Some("jane@agency.com".into());
        assert_eq!(
            summary(&item, Some(&jobs)),
            "jane@agency.com · No job linked · Auto upload off · 0 uploaded"
        );
        item.automation.job_id = Some("j1".into());
        item.automation.enabled = true;
        item.automation.applicant_limit = Some(10);
        item.uploaded = 3;
        assert_eq!(
            summary(&item, Some(&jobs)),
            "jane@agency.com · Senior Backend Engineer · Auto upload on · 3/10 uploaded"
        );
        item.owner_email = None;
        assert_eq!(
            summary(&item, None),
            "Linked job · Auto upload on · 3/10 uploaded",
            "before the jobs are loaded"
        );
        item.automation.job_id = Some("gone".into());
        assert!(summary(&item, Some(&jobs)).starts_with(text::JOB_NO_LONGER_OPEN));
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use crate::page_components::test_dom::focused;
    use crate::page_components::test_input::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn titled(n: usize) -> Vec<SearchItem> {
        (0..n)
            .map(|i| SearchItem {
                title: Some(format!("Search number {i}")),
                owner_email: Some("jane@agency.com".into()),
                ..super::tests::item(&format!("s{i}"))
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
}
