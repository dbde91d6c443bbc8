//! Uploads queued under another Ashby connection: after a Disconnect and a Connect with a
//! different key, the worker holds them (they may belong to another organisation). This shows
//! how many and whose, and lets the recruiter send them with this connection or not at all.

use crate::browser::ask_worker;
use crate::messages::{AskError, HeldUploadsView, ListHeldUploads, ResolveHeldUploads};
use crate::text;
use crate::upload::held::{HeldChoice, HeldUpload};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Nothing while no upload is held; otherwise the count, the names and the two choices.
#[component]
pub fn HeldUploads() -> impl IntoView {
    let held = RwSignal::new(Vec::<HeldUpload>::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let apply = move |reply: Result<HeldUploadsView, AskError>| match reply {
        Ok(view) => {
            problem.set(None);
            held.set(view.uploads);
        }
        Err(failure) => problem.set(Some(failure.into())),
    };
    spawn_local(async move { apply(ask_worker(ListHeldUploads).await) });
    let choose = move |choice: HeldChoice| {
        busy.set(true);
        spawn_local(async move {
            apply(ask_worker(ResolveHeldUploads { choice }).await);
            busy.set(false);
        });
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
