//! A short message to the recruiter, shown in the extension's own shadow root so the page's
//! CSS cannot hide or restyle it, and the page's scripts see only an opaque host element.

use super::dom;
use web_sys::{ShadowRootInit, ShadowRootMode};

const HOST_ID: &str = "fetcher-ashby-notice";

/// Shows `message` (as text) in a polite live region, replacing any earlier notice.
pub fn show(message: &str) {
    let document = dom::document();
    if let Some(old) = document.get_element_by_id(HOST_ID) {
        old.remove();
    }
    let host = dom::element("div", "", &[("id", HOST_ID)]);
    let Ok(shadow) = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)) else {
        return;
    };
    let style = dom::element("style", NOTICE_CSS, &[]);
    let panel = dom::element("div", message, &[("role", "alert"), ("class", "notice")]);
    let _ = shadow.append_child(&style);
    let _ = shadow.append_child(&panel);
    if let Some(body) = document.body() {
        let _ = body.append_child(&host);
    }
}

const NOTICE_CSS: &str = ".notice{position:fixed;right:16px;bottom:16px;max-width:360px;\
z-index:2147483647;background:#1f2937;color:#fff;font:14px/1.4 system-ui,sans-serif;\
padding:12px 16px;border-radius:8px;box-shadow:0 4px 16px rgba(0,0,0,.25)}";
