//! The connection as the popup and the options page both show it: the key, the Ashby user and
//! the key's permissions.

use super::line;
use crate::ashby::scopes::ScopeReport;
use crate::messages::ConnectionView;
use crate::text;
use leptos::prelude::*;

/// "Connected to Ashby with the key …".
pub fn connected_line(view: &ConnectionView) -> String {
    let title = view.key_title.as_deref().unwrap_or_default();
    format!("{} {title}", text::CONNECTED_AS)
}

/// Where the key is kept, the Ashby user, and the permissions: what the popup keeps behind
/// "Connection details" while all is well.
#[component]
pub fn ConnectionFacts(view: ConnectionView) -> impl IntoView {
    let report = ScopeReport::from_scopes(&view.scopes);
    let user_class = match view.user {
        crate::storage_schema::UserMatch::Found { .. } => "user found",
        _ => "user warning",
    };
    let kept = if view.remember_key {
        text::KEY_REMEMBERED
    } else {
        text::KEY_IN_SESSION
    };
    view! {
        <p class="kept">{format!("{}: {kept}.", text::KEY_STORAGE_HEADING)}</p>
        <h2>{text::ASHBY_USER_HEADING}</h2>
        <p class=user_class>{text::user_match(&view.user)}</p>
        <PermissionReport report />
    }
}

/// Each needed permission with what it is for, granted or missing; then the unneeded ones.
#[component]
pub fn PermissionReport(report: ScopeReport) -> impl IntoView {
    let summary = if report.is_complete() {
        line("done", None, text::PERMISSIONS_COMPLETE)
    } else {
        line("error", Some("alert"), text::PERMISSIONS_INCOMPLETE)
    };
    let rows = report
        .needed
        .iter()
        .map(|&(permission, granted)| {
            let (class, mark, state) = if granted {
                ("granted", "✓", text::PERMISSION_GRANTED)
            } else {
                ("missing", "✗", text::PERMISSION_MISSING)
            };
            view! {
                <li class=class>
                    <span class="mark" aria-hidden="true">{mark}</span>
                    <span class="what">
                        <strong>{text::permission_label(permission)}</strong>
                        " — "{text::permission_purpose(permission)}
                    </span>
                    <span class="state">{state}</span>
                </li>
            }
        })
        .collect_view();
    let unneeded = (!report.unneeded.is_empty()).then(|| {
        line(
            "warning unneeded",
            None,
            text::unneeded_permissions(&report.unneeded),
        )
    });
    view! {
        <section class="permissions" aria-label=text::PERMISSIONS_HEADING>
            <h2>{text::PERMISSIONS_HEADING}</h2>
            {summary}
            <ul>{rows}</ul>
            {unneeded}
        </section>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use crate::page_components::test_dom::{host, text_of};
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_permission_report_marks_missing_and_unneeded_permissions() {
        let host = host();
        let report = ScopeReport::from_scopes(&[
            "apiKeysRead",
            "jobsRead",
            "candidatesRead",
            "hiringProcessMetadataRead",
            "organizationRead",
            "reportsRead",
        ]);
        let _mounted = leptos::mount::mount_to(host.clone(), move || {
            view! { <PermissionReport report=report.clone() /> }
        });
        let missing = host.query_selector_all("li.missing").unwrap();
        assert_eq!(missing.length(), 1);
        let row = missing.item(0).unwrap().text_content().unwrap();
        assert!(row.contains("Candidates: Write"), "{row}");
        assert!(row.contains(text::permission_purpose(
            crate::ashby::scopes::Permission::CandidatesWrite
        )));
        assert!(row.contains("Missing"));
        assert_eq!(host.query_selector_all("li.granted").unwrap().length(), 5);
        assert_eq!(text_of(&host, "[role=alert]"), text::PERMISSIONS_INCOMPLETE);
        assert!(text_of(&host, ".unneeded").contains("reportsRead"));
    }
}
