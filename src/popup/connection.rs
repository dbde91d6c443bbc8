//! The connection at a glance: one line while all is well (key title, Ashby user, "all
//! permissions granted") with the rest behind "Connection details"; expanded, with what to do,
//! as soon as something needs the recruiter (a missing permission, an unmatched or
//! deactivated Ashby user).

use crate::ashby::scopes::ScopeReport;
use crate::messages::ConnectionView;
use crate::page_components::dom::set;
use crate::page_components::{connected_line, handler, ConnectionFacts};
use crate::storage_schema::UserMatch;
use crate::text;
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The matched Ashby user's name, when the key has every permission it needs and none it
/// should not (that advice says to make a narrower key): then nothing about the connection
/// needs the recruiter and it shows as one line.
pub fn healthy_user(view: &ConnectionView) -> Option<&str> {
    let report = ScopeReport::from_scopes(&view.scopes);
    let complete = report.is_complete() && report.unneeded.is_empty();
    match &view.user {
        UserMatch::Found { name, .. } if complete => Some(name),
        _ => None,
    }
}

#[component]
pub fn Connection(view: ConnectionView) -> impl IntoView {
    let glance = healthy_user(&view).map(text::connection_glance);
    // A problem opens the details at once: they say what is wrong and what to do.
    let expanded = glance.is_none();
    let details = NodeRef::<Div>::new();
    // The button shows or hides the details, and says which (set here, not bound to a signal:
    // the press is their only change).
    let toggle = move |event: web_sys::MouseEvent| {
        let Some(details) = details.get_untracked() else {
            return;
        };
        let opening = details.hidden();
        details.set_hidden(!opening);
        if let Some(button) = event.current_target().and_then(|t| t.dyn_into().ok()) {
            set(
                &button,
                "aria-expanded",
                if opening { "true" } else { "false" },
            );
        }
    };
    let line = connected_line(&view);
    let class = if glance.is_some() {
        "connection healthy"
    } else {
        "connection problem"
    };
    view! {
        <section class=class aria-label=text::CONNECTION_HEADING>
            <div class="glance">
                <p class="line">
                    <span role="status" class="connected">{line}</span>
                    {glance.map(|g| view! { <span class="muted">{format!(" · {g}")}</span> })}
                </p>
                <button type="button" class="disclosure" aria-controls="connection-details"
                    aria-expanded=if expanded { "true" } else { "false" }
                    on:click=handler(toggle)>
                    {text::CONNECTION_DETAILS}
                </button>
            </div>
            <div id="connection-details" hidden=!expanded node_ref=details>
                <ConnectionFacts view />
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(scopes: &[&str], user: UserMatch) -> ConnectionView {
        ConnectionView {
            connected: true,
            key_title: Some("Fetcher key".into()),
            scopes: scopes
                .iter()
                .map(std::string::ToString::to_string)
                .collect(),
            user,
            ..ConnectionView::default()
        }
    }

    const ALL: [&str; 6] = [
        "apiKeysRead",
        "jobsRead",
        "candidatesRead",
        "candidatesWrite",
        "hiringProcessMetadataRead",
        "organizationRead",
    ];

    fn jane() -> UserMatch {
        UserMatch::Found {
            user_id: "u1".into(),
            name: "Jane Agency".into(),
            email: "jane@agency.com".into(),
        }
    }

    #[test]
    fn only_a_complete_key_and_a_matched_user_are_healthy() {
        assert_eq!(healthy_user(&view(&ALL, jane())), Some("Jane Agency"));
        assert_eq!(
            healthy_user(&view(&ALL[..5], jane())),
            None,
            "a missing permission"
        );
        let email: crate::domain::Email = "jane@agency.com".into();
        for user in [
            UserMatch::Unknown,
            UserMatch::NotFound {
                email: email.clone(),
            },
            UserMatch::Disabled {
                name: "Jane".into(),
                email: email.clone(),
            },
            UserMatch::LookupFailed {
                email,
                problem: crate::domain::AshbyProblem::Timeout,
            },
        ] {
            assert_eq!(healthy_user(&view(&ALL, user.clone())), None, "{user:?}");
        }
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use crate::page_components::test_input::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn mount(view: ConnectionView) -> (web_sys::HtmlElement, impl Drop) {
        let host = host();
        let mounted = leptos::mount::mount_to(host.clone(), move || {
            view! { <Connection view=view.clone() /> }
        });
        (host, mounted)
    }

    #[wasm_bindgen_test]
    async fn a_healthy_connection_is_one_line_and_a_problem_is_expanded() {
        let scopes = [
            "apiKeysRead",
            "jobsRead",
            "candidatesRead",
            "candidatesWrite",
            "hiringProcessMetadataRead",
            "organizationRead",
        ]
        .map(String::from)
        .to_vec();
        let healthy = ConnectionView {
            connected: true,
            key_title: Some("Fetcher key".into()),
            scopes: scopes.clone(),
            user: UserMatch::Found {
                user_id: "u1".into(),
                name: "Jane Agency".into(),
                email: "jane@agency.com".into(),
            },
            ..ConnectionView::default()
        };
        let (host, _mounted) = mount(healthy);
        next_tick().await;
        let line = text_of(&host, ".line");
        assert_eq!(
            line,
            "Connected to Ashby with the key Fetcher key · Ashby user Jane Agency · all \
             permissions granted"
        );
        assert_eq!(
            attribute(&host, "button.disclosure", "aria-expanded").as_deref(),
            Some("false")
        );
        assert!(attribute(&host, "#connection-details", "hidden").is_some());
        click(&host, "button.disclosure");
        next_tick().await;
        assert_eq!(
            attribute(&host, "button.disclosure", "aria-expanded").as_deref(),
            Some("true")
        );
        assert!(attribute(&host, "#connection-details", "hidden").is_none());
        host.remove();

        let unmatched = ConnectionView {
            connected: true,
            key_title: Some("Fetcher key".into()),
            scopes,
            user: UserMatch::NotFound {
                email: "someone@agency.com".into(),
            },
            ..ConnectionView::default()
        };
        let (host, _mounted) = mount(unmatched);
        next_tick().await;
        assert_eq!(
            text_of(&host, ".line"),
            "Connected to Ashby with the key Fetcher key"
        );
        assert_eq!(
            attribute(&host, "button.disclosure", "aria-expanded").as_deref(),
            Some("true")
        );
        assert!(text_of(&host, ".user").contains("No Ashby user has the email someone@agency.com"));
    }
}
