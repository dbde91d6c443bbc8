//! The popup's top: the notices of [`super::notices`], loaded here and drawn by hand.
//!
//! Why by hand: as Leptos views, each notice's sections, buttons and reactive parts compiled
//! their own typed rendering (~45 KB of wasm for five kinds of notice that most recruiters
//! never see). Here one effect follows the answers, decides the notices and draws what changed,
//! and one click handler on the area runs the button pressed.

use super::notices::{self, Action, Notice, NoticeInputs, Paragraph, PausedSearch};
use crate::browser::ask_worker;
use crate::domain::{Email, SearchId};
use crate::messages::{
    ConfirmAccount, ConnectionView, HeldUploadsView, ListHeldUploads, ResolveHeldUploads,
    ResumeAutomation, SearchesView,
};
use crate::page_components::dom::{append, button, element, pressed_button_id, set};
use crate::page_components::effect::effect;
use crate::page_components::work::Work;
use crate::page_components::{handler, Focused};
use crate::upload::held::{HeldChoice, HeldUpload};
use leptos::html::Div;
use leptos::prelude::*;
use web_sys::Element;

/// The safeguards' first answers: the searches (for paused automation) and the connection
/// (for an account change and full storage).
type Loaded = (Result<SearchesView, String>, Option<ConnectionView>);

async fn load_safeguards() -> Result<Loaded, String> {
    let searches = super::startup::searches_for_safeguards()
        .await
        .map_err(String::from);
    Ok((
        searches,
        super::startup::connection_for_safeguards().await.ok(),
    ))
}

/// What the safeguards last knew: each kept until a newer answer replaces it.
#[derive(Default)]
struct Known {
    held: Vec<HeldUpload>,
    searches: Option<SearchesView>,
    connection: Option<ConnectionView>,
    paused: Vec<PausedSearch>,
}

/// The worker's answer to a safeguard's button.
#[derive(Clone)]
enum Answered {
    Searches(SearchesView),
    Connection(Box<ConnectionView>),
}

/// The notices area. `status` is the popup's connection (for uploads paused).
#[component]
pub fn Problems(status: Memo<super::Status>) -> impl IntoView {
    let listed = Work::load(|| async { Ok(ask_worker(ListHeldUploads).await?) });
    let resolve = Work::<HeldUploadsView>::new();
    let loaded = Work::load(load_safeguards);
    let answer = Work::<Answered>::new();
    // What is drawn, for the click handler to find the button pressed.
    let drawn = StoredValue::new_local(Shown::default());
    let area = NodeRef::<Div>::new();
    let mut known = Known::default();
    // One effect follows every answer and draws what changed (as five memos, each of these
    // values compiled a reactive node of its own: 13 KB of wasm).
    effect(move || {
        let held_failure = match resolve.value() {
            Some(Ok(view)) => {
                known.held = view.uploads;
                None
            }
            // A failed choice leaves the list as it was.
            Some(Err(failure)) => Some(failure),
            None => {
                let listed = listed.value();
                known.held = listed
                    .clone()
                    .and_then(Result::ok)
                    .map(|view| view.uploads)
                    .unwrap_or_default();
                listed.and_then(Result::err)
            }
        };
        let loaded = loaded.value();
        let answered = answer.value();
        // The latest of each: the button's answer, else what was known, else the first load.
        match &answered {
            Some(Ok(Answered::Searches(view))) => known.searches = Some(view.clone()),
            Some(Ok(Answered::Connection(view))) => known.connection = Some(view.as_ref().clone()),
            _ => {}
        }
        if let Some(Ok((searches, connection))) = &loaded {
            if known.searches.is_none() {
                known.searches = searches.clone().ok();
            }
            if known.connection.is_none() {
                known.connection = connection.clone();
            }
        }
        // A paused search's notice stays (hidden once resumed), so the button pressed stays put.
        let now = known
            .searches
            .as_ref()
            .map_or(&[][..], |view| &view.searches[..]);
        known.paused = notices::ever_paused(&known.paused, now);
        let safeguards_failure = match (answer.pending(), answered) {
            (true, _) => None,
            (false, Some(outcome)) => outcome.err(),
            (false, None) => loaded
                .and_then(Result::ok)
                .and_then(|(searches, _)| searches.err()),
        };
        let (account_change, storage_full) =
            known.connection.as_ref().map_or((None, false), |view| {
                (
                    view.confirmed_account
                        .clone()
                        .zip(view.account_change.clone()),
                    view.storage_full,
                )
            });
        let shown = notices::notices(&NoticeInputs {
            uploads_paused: status.with(|status| match status {
                super::Status::Connected(view) => view.uploads_paused.clone(),
                _ => None,
            }),
            held: known.held.clone(),
            held_busy: resolve.pending(),
            held_failure,
            account_change,
            storage_full,
            paused_searches: known.paused.clone(),
            safeguards_failure,
        });
        let Some(area) = area.get() else {
            return;
        };
        drawn.update_value(|before| {
            draw(&area, before, &shown);
            *before = shown;
        });
    });

    let run = move |action: Action| match action {
        Action::ResolveHeld(choice) => resolve_held(resolve, choice),
        Action::ConfirmAccount(email) => confirm_account(answer, email),
        Action::ResumeAutomation(search_id) => resume_automation(answer, search_id),
    };
    // A press on a notice's button: the action drawn with that button's id.
    let on_click = move |event: leptos::ev::MouseEvent| {
        let Some(id) = pressed_button_id(&event) else {
            return;
        };
        let action = drawn.with_value(|(notices, _)| {
            notices
                .iter()
                .flat_map(|notice| &notice.buttons)
                .find(|(_, action)| action.button_id() == id)
                .map(|(_, action)| action.clone())
        });
        if let Some(action) = action {
            run(action);
        }
    };
    view! { <div class="problems" node_ref=area on:click=handler(on_click)></div> }
}

fn resolve_held(resolve: Work<HeldUploadsView>, choice: HeldChoice) {
    resolve.run(move || async move { Ok(ask_worker(ResolveHeldUploads { choice }).await?) });
}

fn confirm_account(answer: Work<Answered>, email: Email) {
    answer.run(move || {
        let request = ConfirmAccount {
            email: email.clone(),
        };
        async move { Ok(Answered::Connection(Box::new(ask_worker(request).await?))) }
    });
}

fn resume_automation(answer: Work<Answered>, search_id: SearchId) {
    answer.run(move || {
        let request = ResumeAutomation {
            search_id: search_id.clone(),
        };
        async move { Ok(Answered::Searches(ask_worker(request).await?)) }
    });
}

/// What the area shows: the notices, then the line saying why the safeguards failed.
type Shown = (Vec<Notice>, Option<Paragraph>);

/// Brings `area` from what it showed (`before`) to `now`. A notice that is still the same
/// keeps its elements: redrawn, its `role="status"` or `"alert"` text would be announced
/// again whenever another notice changes. Focus follows a button to its new drawing.
fn draw(area: &Element, before: &Shown, now: &Shown) {
    let focused = Focused::now();
    let children = area.children();
    let old: Vec<Element> = (0..children.length())
        .filter_map(|i| children.item(i))
        .collect();
    let (before_notices, before_failure) = before;
    let (notices, failure) = now;
    // Each notice kept is matched, in order, to the same notice drawn before.
    let mut kept: Vec<Option<Element>> = Vec::with_capacity(notices.len());
    let mut searched_to = 0;
    for notice in notices {
        let same = (searched_to..before_notices.len().min(old.len()))
            .find(|&i| &before_notices[i] == notice);
        kept.push(same.map(|i| {
            searched_to = i + 1;
            old[i].clone()
        }));
    }
    let failure_kept = (failure.is_some() && failure == before_failure)
        .then(|| old.get(before_notices.len()).cloned())
        .flatten();
    for element in &old {
        let stays =
            kept.iter().flatten().any(|k| k == element) || failure_kept.as_ref() == Some(element);
        if !stays {
            element.remove();
        }
    }
    // From the end, each new notice goes before the one after it: kept ones never move.
    let mut next = failure_kept.clone();
    for (notice, kept) in notices.iter().zip(kept).rev() {
        let section = kept.unwrap_or_else(|| {
            let section = notice_section(notice);
            let _ = area.insert_before(&section, next.as_deref());
            section
        });
        next = Some(section);
    }
    if let (Some(failure), None) = (failure, &failure_kept) {
        draw_paragraph(area, failure);
    }
    focused.follow();
}

fn notice_section(notice: &Notice) -> Element {
    let section = element("section", notice.class, "");
    set(&section, "aria-label", notice.label);
    if notice.hidden {
        set(&section, "hidden", "");
    }
    if let Some(heading) = &notice.heading {
        append(&section, element("h2", "", heading));
    }
    for paragraph in &notice.paragraphs {
        draw_paragraph(&section, paragraph);
    }
    if !notice.list.is_empty() {
        let list = append(&section, element("ul", "", ""));
        for line in &notice.list {
            append(&list, element("li", "", line));
        }
    }
    if !notice.buttons.is_empty() {
        let row = append(&section, element("div", "row", ""));
        for (label, action) in &notice.buttons {
            let button = button(&row, "", label, &action.button_id());
            if notice.busy {
                set(&button, "disabled", "");
            }
        }
    }
    if let Some(failure) = &notice.failure {
        draw_paragraph(&section, failure);
    }
    section
}

fn draw_paragraph(parent: &Element, paragraph: &Paragraph) {
    let drawn = append(parent, element("p", paragraph.class, &paragraph.text));
    if let Some(role) = paragraph.role {
        set(&drawn, "role", role);
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use crate::page_components::test_dom::{focused, host, text_of};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn held(busy: bool) -> Notice {
        Notice {
            class: "held-uploads warning",
            label: "Held",
            heading: Some("Held <b>uploads</b>".into()),
            paragraphs: vec![Paragraph {
                class: "",
                role: Some("status"),
                text: "2 uploads".into(),
            }],
            list: vec!["<img src=x onerror=alert(1)>".into(), "Lena".into()],
            buttons: vec![
                (
                    "Send".into(),
                    Action::ResolveHeld(HeldChoice::SendWithCurrent),
                ),
                ("Discard".into(), Action::ResolveHeld(HeldChoice::Discard)),
            ],
            busy,
            ..Notice::default()
        }
    }

    fn paused(hidden: bool) -> Notice {
        Notice {
            label: "Paused",
            hidden,
            paragraphs: vec![Paragraph {
                class: "",
                role: Some("status"),
                text: "Paused after 50".into(),
            }],
            buttons: vec![("Resume".into(), Action::ResumeAutomation("s1".into()))],
            ..Notice::default()
        }
    }

    #[wasm_bindgen_test]
    fn notices_are_drawn_as_named_regions_with_their_text_as_text() {
        let area = host();
        let failure = Paragraph {
            class: "error",
            role: Some("alert"),
            text: "The worker is not answering.".into(),
        };
        let shown = (vec![held(false), paused(true)], Some(failure));
        draw(&area, &Shown::default(), &shown);
        let section = area
            .query_selector("section[aria-label='Held']")
            .unwrap()
            .unwrap();
        assert_eq!(section.class_name(), "held-uploads warning");
        assert_eq!(text_of(&area, "h2"), "Held <b>uploads</b>");
        assert!(
            area.query_selector("b, img").unwrap().is_none(),
            "no markup from text"
        );
        assert_eq!(text_of(&area, "p[role=status]"), "2 uploads");
        assert_eq!(area.query_selector_all("ul > li").unwrap().length(), 2);
        assert_eq!(text_of(&area, "#held-uploads-send"), "Send");
        assert!(!area
            .query_selector("#held-uploads-send")
            .unwrap()
            .unwrap()
            .has_attribute("disabled"));
        let paused = area
            .query_selector("section[aria-label='Paused']")
            .unwrap()
            .unwrap();
        assert!(paused.has_attribute("hidden"));
        assert_eq!(
            area.last_element_child().unwrap().text_content().as_deref(),
            Some("The worker is not answering.")
        );

        draw(&area, &shown, &Shown::default());
        assert_eq!(
            area.child_element_count(),
            0,
            "nothing to show leaves the area empty"
        );
    }

    #[wasm_bindgen_test]
    fn a_notice_that_did_not_change_keeps_its_elements_in_place() {
        let area = host();
        let first = (vec![paused(false)], None);
        draw(&area, &Shown::default(), &first);
        let status = area.query_selector("p[role=status]").unwrap().unwrap();
        // Held uploads appear before it, then become busy: the paused notice stays as it was.
        let second = (vec![held(false), paused(false)], None);
        draw(&area, &first, &second);
        let third = (vec![held(true), paused(false)], None);
        draw(&area, &second, &third);
        let labels: Vec<String> = (0..area.children().length())
            .map(|i| {
                area.children()
                    .item(i)
                    .unwrap()
                    .get_attribute("aria-label")
                    .unwrap()
            })
            .collect();
        assert_eq!(labels, ["Held", "Paused"]);
        assert!(
            status.is_connected(),
            "not drawn again, so not announced again"
        );
        assert!(area
            .query_selector("#held-uploads-send")
            .unwrap()
            .unwrap()
            .has_attribute("disabled"));
        // Resumed: only its own notice is drawn again (hidden).
        let fourth = (vec![held(true), paused(true)], None);
        draw(&area, &third, &fourth);
        assert!(!status.is_connected());
        assert_eq!(area.child_element_count(), 2);
    }

    #[wasm_bindgen_test]
    fn focus_follows_a_button_to_its_new_drawing() {
        let area = host();
        let idle = (vec![held(false)], None);
        draw(&area, &Shown::default(), &idle);
        let button: web_sys::HtmlElement = area
            .query_selector("#held-uploads-discard")
            .unwrap()
            .unwrap()
            .unchecked_into();
        button.focus().unwrap();
        let failed = (
            vec![held(false)],
            Some(Paragraph {
                class: "error",
                role: Some("alert"),
                text: "No answer.".into(),
            }),
        );
        draw(&area, &idle, &failed);
        let mut with_failure = held(false);
        with_failure.failure = Some(Paragraph {
            class: "error",
            role: Some("alert"),
            text: "Refused.".into(),
        });
        let changed = (vec![with_failure], None);
        draw(&area, &failed, &changed);
        let focused = focused();
        assert_eq!(focused.id(), "held-uploads-discard");
        assert!(focused.is_connected());
        assert!(!button.is_connected(), "the notice was drawn again");
        assert_eq!(area.child_element_count(), 1, "the failure line went");
    }
}
