//! The worker's one upload runner (its in-memory index must be the only one), and whether it
//! holds the saved key. Below the connection, which stops it when the key changes; the outbox
//! gives it the key and drives it.

use super::fetch_transport::FetchTransport;
use super::storage::ChromeStore;
use crate::upload::runner::Runner;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

pub type ChromeRunner = Runner<ChromeStore, FetchTransport>;

thread_local! {
    /// Created without a key (it can queue while disconnected); the outbox gives it the key.
    static RUNNER: RefCell<Option<Rc<ChromeRunner>>> = const { RefCell::new(None) };
    /// Whether the runner holds the saved key and the upload context for the current account.
    static READY: Cell<bool> = const { Cell::new(false) };
}

/// The worker's one runner, made on first use (no storage or network involved).
pub fn shared() -> Rc<ChromeRunner> {
    RUNNER.with(|slot| {
        slot.borrow_mut()
            .get_or_insert_with(|| Rc::new(Runner::disconnected(ChromeStore, Default::default())))
            .clone()
    })
}

/// Whether the runner holds the key and context of the current connection.
pub fn is_ready() -> bool {
    READY.with(Cell::get)
}

/// The runner was given the current key and context.
pub fn set_ready() {
    READY.with(|ready| ready.set(true));
}

/// The key or the account changed: the next drain reads them again. The queue stays.
pub fn reset() {
    READY.with(|ready| ready.set(false));
    // Until a connection is ready again, new uploads belong to no organisation yet.
    shared().set_connection(None);
}

/// The recruiter disconnected: the runner drops its client (and the key in it) now, and a drain
/// under way stops before its next call. The queue stays for the next connection.
pub fn stop() {
    reset();
    shared().disconnect();
}
