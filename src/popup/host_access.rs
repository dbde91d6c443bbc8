//! Host access in Firefox: there, MV3 host permissions are optional and start ungranted, so
//! the worker cannot reach Ashby and the content script does not run on Fetcher until the
//! recruiter allows them. Chrome grants them at install, so this normally shows nothing.

use crate::browser::permissions;
use crate::page_components::effect::derived;
use crate::page_components::work::Work;
use crate::page_components::{button, line_while, redrawn};
use crate::text;
use leptos::prelude::*;

/// The manifest's `host_permissions`, exactly.
pub const HOSTS: [&str; 2] = ["https://api.ashbyhq.com/*", "https://app.fetcher.ai/*"];

/// Shows "Allow access to Ashby and Fetcher" while either host is not granted.
#[component]
pub fn HostAccess() -> impl IntoView {
    // Without the permissions API (a test page) there is nothing to ask for.
    let granted = Work::load(|| async { Ok(permissions::contains(&HOSTS).await) });
    let allow = Work::<bool>::new();
    let missing = derived(false, move |_| match allow.value() {
        Some(answered) => answered != Ok(true),
        None => granted.value().and_then(Result::ok).flatten() == Some(false),
    });
    let problem =
        move || (allow.value() == Some(Ok(false))).then(|| text::HOST_ACCESS_REFUSED.to_owned());
    let allow = move |_| {
        // Firefox honours the request only inside the click handler itself: it is made as the
        // work is dispatched (in the handler), and only its answer is awaited.
        allow.run(|| {
            let request = permissions::request(&HOSTS);
            async move { Ok(request.granted().await == Some(true)) }
        });
    };
    move || {
        missing.get().then(|| {
            redrawn(view! {
                <section class="host-access warning" aria-label=text::HOST_ACCESS_HEADING>
                    <p>{text::HOST_ACCESS_MISSING}</p>
                    {button("", text::ALLOW_HOST_ACCESS, allow)}
                    {line_while("error", Some("alert"), Box::new(problem))}
                </section>
            })
        })
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use crate::page_components::test_input::{host, next_tick};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// Installs a fake `chrome.permissions` whose `contains` answers `granted` and whose
    /// `request` answers `grant` and records the origins asked for in `window.__asked`.
    fn fake_permissions(granted: bool, grant: bool) {
        let window = web_sys::window().unwrap();
        let chrome = js_sys::Reflect::get(&window, &"chrome".into())
            .ok()
            .filter(wasm_bindgen::JsValue::is_object)
            .unwrap_or_else(|| js_sys::Object::new().into());
        js_sys::Reflect::set(&window, &"chrome".into(), &chrome).unwrap();
        let permissions = js_sys::Object::new();
        let contains = js_sys::Function::new_with_args(
            "p",
            &format!("return Promise.resolve({granted} && p.origins.length === 2)"),
        );
        let request = js_sys::Function::new_with_args(
            "p",
            &format!("window.__asked = p.origins.join(' '); return Promise.resolve({grant})"),
        );
        js_sys::Reflect::set(&permissions, &"contains".into(), &contains).unwrap();
        js_sys::Reflect::set(&permissions, &"request".into(), &request).unwrap();
        js_sys::Reflect::set(&chrome, &"permissions".into(), &permissions).unwrap();
    }

    fn remove_fake() {
        let window = web_sys::window().unwrap();
        let chrome = js_sys::Reflect::get(&window, &"chrome".into()).unwrap();
        js_sys::Reflect::delete_property(
            chrome.unchecked_ref::<js_sys::Object>(),
            &"permissions".into(),
        )
        .unwrap();
    }

    fn mount() -> web_sys::HtmlElement {
        let host = host();
        std::mem::forget(leptos::mount::mount_to(host.clone(), HostAccess));
        host
    }

    fn button(host: &web_sys::HtmlElement) -> Option<web_sys::HtmlElement> {
        host.query_selector("section.host-access button")
            .unwrap()
            .map(wasm_bindgen::JsCast::unchecked_into)
    }

    #[wasm_bindgen_test]
    async fn granted_hosts_show_nothing() {
        fake_permissions(true, true);
        let host = mount();
        next_tick().await;
        assert!(button(&host).is_none());
        remove_fake();
    }

    #[wasm_bindgen_test]
    async fn missing_hosts_are_requested_with_the_button() {
        fake_permissions(false, true);
        let host = mount();
        next_tick().await;
        let allow = button(&host).expect("the button is shown");
        assert_eq!(
            allow.text_content().as_deref(),
            Some(text::ALLOW_HOST_ACCESS)
        );
        allow.click();
        next_tick().await;
        let asked = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__asked".into()).unwrap();
        assert_eq!(asked.as_string().as_deref(), Some(HOSTS.join(" ").as_str()));
        assert!(button(&host).is_none(), "granted: the section goes away");
        remove_fake();
    }

    #[wasm_bindgen_test]
    async fn a_refusal_is_explained_and_the_button_stays() {
        fake_permissions(false, false);
        let host = mount();
        next_tick().await;
        button(&host).expect("the button is shown").click();
        next_tick().await;
        assert!(button(&host).is_some());
        let alert = host
            .query_selector("[role=alert]")
            .unwrap()
            .expect("an alert");
        assert_eq!(
            alert.text_content().as_deref(),
            Some(text::HOST_ACCESS_REFUSED)
        );
        remove_fake();
    }

    #[wasm_bindgen_test]
    async fn without_the_permissions_api_nothing_is_shown() {
        let host = mount();
        next_tick().await;
        assert!(button(&host).is_none());
    }
}
