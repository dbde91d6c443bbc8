//! Uploads queued under another Ashby connection: after a Disconnect and a Connect with a
//! different key, the worker holds them (they may belong to another organisation). This shows
//! how many and whose, and lets the recruiter send them with this connection or not at all.

use crate::browser::ask_worker;
use crate::messages::{HeldUploadsView, ListHeldUploads, ResolveHeldUploads};
use crate::page_components::work::Work;
use crate::page_components::{handler, line_while, redrawn};
use crate::text;
use crate::upload::held::{HeldChoice, HeldUpload};
use leptos::prelude::*;

/// Nothing while no upload is held; otherwise the count, the names and the two choices.
#[component]
pub fn HeldUploads() -> impl IntoView {
    let listed = Work::load(|| async { Ok(ask_worker(ListHeldUploads).await?) });
    // The worker answers a choice with the uploads still held: that becomes the list shown.
    let resolve = Work::<HeldUploadsView>::new();
    let busy = move || resolve.pending();
    let held = Memo::new(move |before: Option<&Vec<HeldUpload>>| {
        match (resolve.value(), before) {
            (Some(Ok(view)), _) => view.uploads,
            // A failed choice leaves the list as it was.
            (Some(Err(_)), Some(before)) => before.clone(),
            _ => listed
                .value()
                .and_then(Result::ok)
                .map(|view| view.uploads)
                .unwrap_or_default(),
        }
    });
    // The choice's failure once one is made, else the listing's.
    let problem = move || match resolve.value() {
        Some(outcome) => outcome.err(),
        None => listed.value()?.err(),
    };
    let choose = move |choice: HeldChoice| {
        resolve.run(move || async move { Ok(ask_worker(ResolveHeldUploads { choice }).await?) });
    };
    // A memo, so the section is built when it appears, not again on every change inside it.
    let shown = Memo::new(move |_| !held.with(Vec::is_empty) || problem().is_some());
    move || {
        shown.get().then(|| redrawn(view! {
            <section class="held-uploads warning" aria-label=text::HELD_UPLOADS_HEADING>
                <h2>{text::HELD_UPLOADS_HEADING}</h2>
                // The count and a few lines of text, drawn whole when the list changes: they
                // hold nothing to keep, so no keyed list (and one reactive part, not two).
                {move || held.with(|held| redrawn(view! {
                    <p>{text::held_uploads_summary(held.len())}</p>
                    <ul class="held-list">
                        {held.iter().map(|upload| view! {
                            <li>{text::held_upload_line(&upload.candidate_name, &upload.job_title)}</li>
                        }).collect::<Vec<_>>()}
                    </ul>
                }))}
                <div class="row">
                    <button type="button" disabled=busy
                        on:click=handler(move |_| choose(HeldChoice::SendWithCurrent))>
                        {text::HELD_UPLOADS_SEND}
                    </button>
                    <button type="button" disabled=busy
                        on:click=handler(move |_| choose(HeldChoice::Discard))>
                        {text::HELD_UPLOADS_DISCARD}
                    </button>
                </div>
                {line_while("error", Some("alert"), Box::new(problem))}
            </section>
        }))
    }
}
