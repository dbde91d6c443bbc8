//! Uploads queued under another Ashby connection: after a Disconnect and a Connect with a
//! different key, the worker holds them (they may belong to another organisation). This shows
//! how many and whose, and lets the recruiter send them with this connection or not at all.

use crate::browser::ask_worker;
use crate::messages::{AskError, ListHeldUploads, ResolveHeldUploads};
use crate::text;
use crate::upload::held::HeldChoice;
use leptos::prelude::*;

/// Nothing while no upload is held; otherwise the count, the names and the two choices.
#[component]
pub fn HeldUploads() -> impl IntoView {
    let listed = LocalResource::new(|| ask_worker(ListHeldUploads));
    // The worker answers a choice with the uploads still held: that becomes the list shown.
    let resolve = Action::new_local(move |choice: &HeldChoice| {
        let request = ResolveHeldUploads { choice: *choice };
        async move {
            let view = ask_worker(request).await?;
            listed.set(Some(Ok(view)));
            Ok::<_, AskError>(())
        }
    });
    let busy = resolve.pending();
    let held = Memo::new(move |_| {
        listed
            .get()
            .and_then(Result::ok)
            .map(|view| view.uploads)
            .unwrap_or_default()
    });
    // The choice's failure once one is made, else the listing's.
    let problem = Memo::new(move |_| {
        let failure = match resolve.value().get() {
            Some(outcome) => outcome.err(),
            None => listed.get()?.err(),
        };
        failure.map(String::from)
    });
    let choose = move |choice: HeldChoice| {
        resolve.dispatch_local(choice);
    };
    view! {
        <Show when=move || !held.get().is_empty() || problem.get().is_some()>
            <section class="held-uploads warning" aria-label=text::HELD_UPLOADS_HEADING>
                <h2>{text::HELD_UPLOADS_HEADING}</h2>
                <p>{move || text::held_uploads_summary(held.get().len())}</p>
                <ul class="held-list">
                    <For each=move || held.get() key=|upload| upload.key.clone() let:upload>
                        <li>{text::held_upload_line(&upload.candidate_name, &upload.job_title)}</li>
                    </For>
                </ul>
                <div class="row">
                    <button type="button" disabled=move || busy.get()
                        on:click=move |_| choose(HeldChoice::SendWithCurrent)>
                        {text::HELD_UPLOADS_SEND}
                    </button>
                    <button type="button" disabled=move || busy.get()
                        on:click=move |_| choose(HeldChoice::Discard)>
                        {text::HELD_UPLOADS_DISCARD}
                    </button>
                </div>
                {move || problem.get().map(|p| view! { <p role="alert" class="error">{p}</p> })}
            </section>
        </Show>
    }
}
