//! The Send to Ashby dialog, seen from the page: an iframe of the extension's own page
//! (`send/index.html`, `crate::send_page`) inside a CLOSED shadow root. The frame is
//! cross-origin to the page, so page scripts can neither read the candidate, the job list or
//! the preview nor press its buttons; the closed root keeps even the frame element out of
//! their reach through our host. The content script only hands the profile it read to the
//! worker (which returns a one-time token for the frame) and removes the frame when the worker
//! says so: the page cannot forge a worker message, whereas anything posted to or from the
//! frame could be.

use super::feature::Feature;
use super::{dom, notice, page_reader, status_host};
use crate::browser::{ask_worker, decode_js, runtime};
use crate::fetcher::fields::RawCandidate;
use crate::fetcher::route::FetcherRoute;
use crate::messages::{PrepareSend, WorkerProblem, WorkerToContent};
use crate::text;
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, ShadowRootInit, ShadowRootMode};

/// The extension page the dialog is (listed in `web_accessible_resources`).
const DIALOG_PAGE: &str = "send/index.html";

struct OpenDialog {
    host: Element,
    return_focus: Option<HtmlElement>,
}

thread_local! {
    static OPEN: RefCell<Option<OpenDialog>> = const { RefCell::new(None) };
}

pub struct SendDialog;

impl Feature for SendDialog {
    /// Starts listening for the worker's "close the dialog".
    fn install(&self) {
        runtime::on_extension_message(|message| {
            if let Ok(WorkerToContent::CloseSendDialog) = decode_js::<WorkerToContent>(&message) {
                close();
            }
        });
    }

    /// The dialog is about the profile being left.
    fn leave(&self) {
        close();
    }
}

/// The one way into the dialog (menu item, profile button, shortcut, popup): checks the
/// connection, reads the open profile and opens the dialog on it; explains instead when it
/// cannot. Focus returns to `return_focus` when the dialog closes.
pub async fn open_for_profile(return_focus: Option<HtmlElement>) {
    let opened = match read_profile() {
        Ok(candidate) => open(candidate, return_focus).await,
        Err(unsendable) => Err(unsendable),
    };
    if let Err(unsendable) = opened {
        notice::show(&text::unsendable(&unsendable));
    }
}

/// The candidate this profile page shows, as read (the worker validates it, and answers
/// "connect first" when there is no connection).
pub fn read_profile() -> Result<RawCandidate, Unsendable> {
    let path = dom::window().location().pathname().unwrap_or_default();
    let Some(FetcherRoute::Profile {
        search_id,
        candidate_id,
    }) = FetcherRoute::from_path(&path)
    else {
        return Err(Unsendable::ProfileNotReadable);
    };
    page_reader::profile(&search_id, &candidate_id).ok_or(Unsendable::ProfileNotReadable)
}

pub use crate::domain::Unsendable;

/// Hands `candidate` to the worker and frames the dialog on it.
pub async fn open(
    candidate: RawCandidate,
    return_focus: Option<HtmlElement>,
) -> Result<(), Unsendable> {
    let token = ask_worker(PrepareSend { candidate }).await?.token;
    frame(&token, return_focus)
}

/// Frames the dialog on the draft the worker prepared (`token`), in place of any open one.
pub fn frame(token: &str, return_focus: Option<HtmlElement>) -> Result<(), Unsendable> {
    close();
    let host = dom::element("div", "", &[]);
    let shadow = host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Closed))
        .map_err(|_| Unsendable::Worker(WorkerProblem::Unavailable))?;
    let src = format!("{}#{token}", runtime::get_url(DIALOG_PAGE));
    let frame = dom::element(
        "iframe",
        "",
        &[("src", &src), ("title", text::SEND_DIALOG_TITLE)],
    );
    shadow
        .append_child(&dom::element("style", FRAME_CSS, &[]))
        .ok();
    shadow.append_child(&frame).ok();
    let document = dom::document();
    let parent: Element = match document.body() {
        Some(body) => body.into(),
        None => document
            .document_element()
            .ok_or(Unsendable::Worker(WorkerProblem::Unavailable))?,
    };
    parent.append_child(&host).ok();
    // Keyboard focus goes into the frame; the dialog page then focuses its first control.
    if let Some(frame) = frame.dyn_ref::<HtmlElement>() {
        frame.focus().ok();
    }
    OPEN.set(Some(OpenDialog { host, return_focus }));
    Ok(())
}

/// Removes the dialog, if open, and returns focus to where it came from.
pub fn close() {
    let Some(dialog) = OPEN.take() else {
        return;
    };
    dialog.host.remove();
    // The profile's button may have been redrawn meanwhile (its status changed): its new self.
    let target = dialog
        .return_focus
        .filter(|target| target.is_connected())
        .or_else(status_host::profile_button);
    if let Some(target) = target {
        target.focus().ok();
    }
}

/// The frame covers the viewport (the dialog page draws its own backdrop and panel), so a
/// click outside the panel lands in the frame too, never on the page behind it.
const FRAME_CSS: &str = "\
:host{all:initial}\
iframe{position:fixed;inset:0;width:100vw;height:100vh;border:0;margin:0;padding:0;\
z-index:2147483647;background:transparent;color-scheme:normal;display:block}";
