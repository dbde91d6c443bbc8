//! The "Send to Ashby" keyboard shortcut (`commands` in the manifest; Alt+Shift+A unless the
//! recruiter changes it). The worker's shim forwards the command to the active tab; here the
//! open profile is read and handed back to the worker, which sends it to the job last used for
//! its search, or prepares the Send dialog when the search has no job yet (or that job is no
//! longer open), so a keypress never guesses a job. This says what happened.

use super::feature::Feature;
use super::send_dialog::Unsendable;
use super::{notice, send_dialog, send_menu_item};
use crate::browser::{ask_worker, decode_js, runtime};
use crate::messages::{SendByShortcut, ShortcutOutcome, WorkerToContent};
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
    let candidate = match send_dialog::read_profile() {
        Ok(candidate) => candidate,
        Err(Unsendable::ProfileNotReadable) => return notice::show(text::SHORTCUT_NEEDS_PROFILE),
        Err(unsendable) => return notice::show(&text::unsendable(&unsendable)),
    };
    let sent = match ask_worker(SendByShortcut { candidate }).await {
        Ok(done) => match done.outcome {
            ShortcutOutcome::Queued { name, job_title } => {
                return notice::show(&text::shortcut_queued(&name, &job_title));
            }
            ShortcutOutcome::Review { token } => {
                send_dialog::frame(&token, send_menu_item::more_actions_button())
            }
        },
        Err(failure) => Err(Unsendable::from(failure)),
    };
    if let Err(unsendable) = sent {
        notice::show(&text::unsendable(&unsendable));
    }
}
