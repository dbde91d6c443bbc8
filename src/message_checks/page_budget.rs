//! What a Fetcher page may cause the worker to ask Ashby, bounded. A page (or a content
//! script gone wrong) can send the worker as many job-list requests and account changes as it
//! likes; each kind of Ashby work they cause has its own token bucket. (A page cannot ask for
//! previews at all: the Send dialog asks, from its extension frame, with its draft's token.)

use crate::upload::runner::{RateGuard, RateState};

/// Ashby work a page can cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageCaused {
    /// A job-list refresh because the cache was stale when a page asked.
    JobsRefresh,
    /// A `user.search` for a Fetcher account the page showed.
    UserLookup,
}

impl PageCaused {
    /// (calls per minute sustained, burst): a recruiter opening dialogs never meets these.
    fn limits(self) -> (u32, u32) {
        match self {
            PageCaused::JobsRefresh => (2, 2),
            PageCaused::UserLookup => (1, 3),
        }
    }
}

/// One token bucket per [`PageCaused`].
#[derive(Debug, Clone)]
pub struct PageBudget {
    buckets: Vec<(PageCaused, RateGuard, RateState)>,
}

impl PageBudget {
    pub fn new(now_ms: f64) -> Self {
        let buckets = [PageCaused::JobsRefresh, PageCaused::UserLookup]
            .into_iter()
            .map(|kind| {
                let (per_minute, burst) = kind.limits();
                let guard = RateGuard::new(per_minute, burst);
                (kind, guard, guard.fresh(now_ms))
            })
            .collect();
        Self { buckets }
    }

    /// Takes a token for `kind` if there is one.
    pub fn allow(&mut self, kind: PageCaused, now_ms: f64) -> bool {
        let Some((_, guard, state)) = self.buckets.iter_mut().find(|(k, _, _)| *k == kind) else {
            return false;
        };
        if guard.check(state, now_ms).is_ok() {
            guard.consume(state, 1);
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_own_bounded_budget() {
        // (kind, asks at the same instant, allowed)
        let table = [
            (PageCaused::JobsRefresh, 100, 2),
            (PageCaused::UserLookup, 100, 3),
        ];
        for (kind, asks, allowed) in table {
            let mut budget = PageBudget::new(0.0);
            let granted = (0..asks).filter(|_| budget.allow(kind, 0.0)).count();
            assert_eq!(granted, allowed, "{kind:?}");
        }
        // Spending one kind leaves the others.
        let mut budget = PageBudget::new(0.0);
        while budget.allow(PageCaused::JobsRefresh, 0.0) {}
        assert!(budget.allow(PageCaused::UserLookup, 0.0));
    }

    #[test]
    fn tokens_come_back_at_the_sustained_pace() {
        let mut budget = PageBudget::new(0.0);
        while budget.allow(PageCaused::UserLookup, 0.0) {}
        assert!(!budget.allow(PageCaused::UserLookup, 30_000.0));
        assert!(budget.allow(PageCaused::UserLookup, 60_000.0));
        // An hour of asking every second: about one lookup a minute, never more.
        let mut granted = 0;
        for second in 61..3_661 {
            if budget.allow(PageCaused::UserLookup, f64::from(second) * 1_000.0) {
                granted += 1;
            }
        }
        assert!((59..=61).contains(&granted), "{granted}");
    }
}
