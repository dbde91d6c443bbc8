//! The popup's top: the notices of [`super::notices`], loaded here and drawn by hand.
//!
//! Why by hand: as Leptos views, each notice's sections, buttons and reactive parts compiled
//! their own typed rendering (~45 KB of wasm for five kinds of notice that most recruiters
//! never see). Here one [`Memo`] decides the notices, one effect draws them when they change,
//! and one click handler on the area runs the button pressed.

use super::notices::{self, Action, Notice, Paragraph, PausedSearch, Problems};
use crate::browser::ask_worker;
use crate::domain::{Email, SearchId};
use crate::messages::{
    ConfirmAccount, ConnectionView, HeldUploadsView, ListHeldUploads, ResolveHeldUploads,
    ResumeAutomation, SearchesView,
};
use crate::page_components::dom::{append, element, set};
use crate::page_components::work::Work;
use crate::page_components::{handler, Focused};
use crate::upload::held::{HeldChoice, HeldUpload};
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
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

/// The worker's answer to a safeguard's button.
#[derive(Clone)]
enum Answered {
    Searches(SearchesView),
    Connection(Box<ConnectionView>),
}

/// The notices area. `connection` is the popup's connection (for uploads paused).
#[component]
pub fn Problems(connection: Memo<ConnectionView>) -> impl IntoView {
    let listed = Work::load(|| async { Ok(ask_worker(ListHeldUploads).await?) });
    let resolve = Work::<HeldUploadsView>::new();
    let held = Memo::new(
        move |before: Option<&Vec<HeldUpload>>| match (resolve.value(), before) {
            (Some(Ok(view)), _) => view.uploads,
            (Some(Err(_)), Some(before)) => before.clone(),
            _ => listed
                .value()
                .and_then(Result::ok)
                .map(|view| view.uploads)
                .unwrap_or_default(),
        },
    );
    let held_failure = move || match resolve.value() {
        Some(outcome) => outcome.err(),
        None => listed.value()?.err(),
    };

    let loaded = Work::load(load_safeguards);
    let answer = Work::<Answered>::new();
    // The latest of each: the button's answer, else what was known, else the first load.
    let searches = Memo::new(
        move |before: Option<&Option<SearchesView>>| match answer.value() {
            Some(Ok(Answered::Searches(view))) => Some(view),
            _ => before
                .cloned()
                .flatten()
                .or_else(|| loaded.value()?.ok()?.0.ok()),
        },
    );
    let safeguards_connection =
        Memo::new(
            move |before: Option<&Option<ConnectionView>>| match answer.value() {
                Some(Ok(Answered::Connection(view))) => Some(*view),
                _ => before
                    .cloned()
                    .flatten()
                    .or_else(|| loaded.value()?.ok()?.1),
            },
        );
    // A paused search's notice stays (hidden once resumed), so the button pressed stays put.
    let paused_searches = Memo::new(move |before: Option<&Vec<PausedSearch>>| {
        searches.with(|view| {
            let now = view.as_ref().map_or(&[][..], |view| &view.searches[..]);
            notices::ever_paused(before.map_or(&[][..], Vec::as_slice), now)
        })
    });
    let safeguards_failure = move || {
        if answer.pending() {
            return None;
        }
        match answer.value() {
            Some(outcome) => outcome.err(),
            None => loaded.value()?.ok()?.0.err(),
        }
    };

    let shown = Memo::new(move |_| {
        let (account_change, storage_full) = safeguards_connection.with(|view| {
            view.as_ref().map_or((None, false), |view| {
                (
                    view.confirmed_account
                        .clone()
                        .zip(view.account_change.clone()),
                    view.storage_full,
                )
            })
        });
        notices::notices(&Problems {
            uploads_paused: connection.with(|view| view.uploads_paused.clone()),
            held: held.get(),
            held_busy: resolve.pending(),
            held_failure: held_failure(),
            account_change,
            storage_full,
            paused_searches: paused_searches.get(),
            safeguards_failure: safeguards_failure(),
        })
    });

    let run = move |action: Action| match action {
        Action::ResolveHeld(choice) => resolve_held(resolve, choice),
        Action::ConfirmAccount(email) => confirm_account(answer, email),
        Action::ResumeAutomation(search_id) => resume_automation(answer, search_id),
    };
    let area = NodeRef::<Div>::new();
    Effect::new(move |_| {
        shown.with(|(notices, failure)| {
            if let Some(area) = area.get() {
                draw(&area, notices, failure.as_ref());
            }
        });
    });
    // A press on a notice's button: the action drawn with that button's id.
    let on_click = move |event: leptos::ev::MouseEvent| {
        let pressed = event
            .target()
            .and_then(|target| target.dyn_into::<Element>().ok())
            .and_then(|target| target.closest("button").ok().flatten());
        let Some(id) = pressed.map(|button| button.id()) else {
            return;
        };
        let action = shown.with_untracked(|(notices, _)| {
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

/// The notices, drawn anew in `area` (focus follows a button to its new drawing).
fn draw(area: &Element, notices: &[Notice], failure: Option<&Paragraph>) {
    let focused = Focused::now();
    area.set_text_content(None);
    for notice in notices {
        let section = append(area, element("section", notice.class, ""));
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
                let button = append(&row, element("button", "", label));
                set(&button, "type", "button");
                set(&button, "id", &action.button_id());
                if notice.busy {
                    set(&button, "disabled", "");
                }
            }
        }
        if let Some(failure) = &notice.failure {
            draw_paragraph(&section, failure);
        }
    }
    if let Some(failure) = failure {
        draw_paragraph(area, failure);
    }
    focused.follow();
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
    use crate::page_components::test_dom::{host, text_of};
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

    #[wasm_bindgen_test]
    fn notices_are_drawn_as_named_regions_with_their_text_as_text() {
        let area = host();
        let hidden = Notice {
            label: "Paused",
            hidden: true,
            buttons: vec![("Resume".into(), Action::ResumeAutomation("s1".into()))],
            ..Notice::default()
        };
        let failure = Paragraph {
            class: "error",
            role: Some("alert"),
            text: "The worker is not answering.".into(),
        };
        draw(&area, &[held(false), hidden], Some(&failure));
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

        draw(&area, &[], None);
        assert_eq!(
            area.child_element_count(),
            0,
            "nothing to show leaves the area empty"
        );
    }

    #[wasm_bindgen_test]
    fn focus_follows_a_button_to_its_new_drawing() {
        let area = host();
        draw(&area, &[held(false)], None);
        let button: web_sys::HtmlElement = area
            .query_selector("#held-uploads-discard")
            .unwrap()
            .unwrap()
            .unchecked_into();
        button.focus().unwrap();
        draw(&area, &[held(false)], None);
        let focused = web_sys::window()
            .unwrap()
            .document()
            .unwrap()
            .active_element()
            .unwrap();
        assert_eq!(focused.id(), "held-uploads-discard");
        assert!(focused.is_connected());
        draw(&area, &[held(true)], None);
        assert!(area
            .query_selector("#held-uploads-send")
            .unwrap()
            .unwrap()
            .has_attribute("disabled"));
    }
}
