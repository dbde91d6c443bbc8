//! The worker's side of [`crate::message_checks::page_budget`]: one budget per worker
//! instance for the Ashby work pages can cause (below every module that spends it).

use crate::browser::now_ms;
use crate::message_checks::page_budget::{PageBudget, PageCaused};
use std::cell::RefCell;

thread_local! {
    static BUDGET: RefCell<Option<PageBudget>> = const { RefCell::new(None) };
}

/// Takes a token for Ashby work a page caused; `false`: over budget, do not call Ashby.
pub fn allow(kind: PageCaused) -> bool {
    let now = now_ms();
    BUDGET.with(|budget| {
        budget
            .borrow_mut()
            .get_or_insert_with(|| PageBudget::new(now))
            .allow(kind, now)
    })
}
