//! The options page's connection: the key's title, the matched Ashby user, where the key is
//! kept, and the permission report (the popup shows the same facts behind "Connection details").

use crate::messages::ConnectionView;
use crate::page_components::{connected_line, line, ConnectionFacts};
use crate::text;
use leptos::prelude::*;

/// The key's title, the matched Ashby user, where the key is kept, and the permission report.
#[component]
pub fn ConnectionDetails(view: ConnectionView) -> impl IntoView {
    let connected = connected_line(&view);
    let paused = view.uploads_paused.as_ref().map(text::upload_problem);
    view! {
        <section class="connection" aria-label=text::CONNECTION_HEADING>
            <p role="status" class="connected">{connected}</p>
            {paused.map(|reason| line("warning", None, reason))}
            <ConnectionFacts view />
        </section>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use crate::page_components::test_dom::{host, text_of};
    use crate::storage_schema::UserMatch;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn connection_details_explain_an_unmatched_user() {
        let host = host();
        let view = ConnectionView {
            connected: true,
            key_title: Some("Fetcher key".into()),
            scopes: vec!["apiKeysRead".into()],
            user: UserMatch::NotFound {
                email: "someone@agency.com".into(),
            },
            ..ConnectionView::default()
        };
        let _mounted = leptos::mount::mount_to(host.clone(), move || {
            view! { <ConnectionDetails view=view.clone() /> }
        });
        assert!(text_of(&host, ".connected").ends_with("Fetcher key"));
        let user = text_of(&host, ".user");
        assert!(
            user.contains("No Ashby user has the email someone@agency.com"),
            "{user}"
        );
        assert!(user.contains("Uploads still work"));
        assert!(text_of(&host, ".kept").contains(text::KEY_IN_SESSION));
    }
}
