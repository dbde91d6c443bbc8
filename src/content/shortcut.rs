//! The "Send to Ashby" keyboard shortcut (`commands` in the manifest; Alt+Shift+A unless the
//! recruiter changes it). The worker's shim forwards the command to the active tab; here the
//! open profile goes to the job last used for its search, or the Send dialog opens when the
//! search has no job yet (or that job is no longer open), so a keypress never guesses a job.

use super::feature::Feature;
use super::send_dialog::Unsendable;
use super::{notice, send_dialog, send_menu_item};
use crate::browser::{ask_worker, decode_js, runtime};
use crate::fetcher::fields;
use crate::messages::{SendNow, WorkerToContent};
use crate::text;

pub struct Shortcut;

impl Feature for Shortcut {
    /// Starts listening for the worker's shortcut messages.
    fn install(&self) {
        runtime::on_extension_message(|message| {
            if let Ok(WorkerToContent::ShortcutSend) = decode_js::<WorkerToContent>(&message) {
                wasm_bindgen_futures::spawn_local(send_open_profile());
            }
        });
    }
}

async fn send_open_profile() {
    let (candidate, jobs, last_job_id) = match send_menu_item::prepare().await {
        Ok(prepared) => prepared,
        Err(Unsendable::ProfileNotReadable) => return notice::show(text::SHORTCUT_NEEDS_PROFILE),
        Err(unsendable) => return notice::show(&text::unsendable(&unsendable)),
    };
    let open_job = last_job_id
        .as_deref()
        .and_then(|id| jobs.iter().find(|job| job.id == id && job.status.is_open()));
    let Some(job) = open_job else {
        let return_focus = send_menu_item::more_actions_button();
        if let Err(unsendable) = send_dialog::open(candidate, return_focus).await {
            notice::show(&text::unsendable(&unsendable));
        }
        return;
    };
    // The name as the worker will keep it (the page's text, cleaned).
    let name = fields::clean_text(&candidate.name, fields::NAME_MAX_CHARS);
    let queued = text::shortcut_queued(&name, &job.title);
    let request = SendNow {
        candidate,
        job_id: job.id.clone(),
    };
    match ask_worker(request).await {
        Ok(_) => notice::show(&queued),
        Err(failure) => notice::show(&String::from(failure)),
    }
}
