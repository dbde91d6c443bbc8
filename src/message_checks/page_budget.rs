//! What a Fetcher page may cause the worker to ask Ashby, bounded. A page (or a content
//! script gone wrong) can send the worker as many previews, job-list requests and account
//! changes as it likes; each kind of Ashby work they cause has its own token bucket, and
//! identical questions asked again soon get the answer already given ([`RecentAnswers`]).

use crate::upload::runner::{RateGuard, RateState};
use std::collections::VecDeque;

/// Ashby work a page can cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageCaused {
    /// "Already in Ashby?" for the Send dialog (a few calls each).
    Preview,
    /// A job-list refresh because the cache was stale when a page asked.
    JobsRefresh,
    /// A `user.search` for a Fetcher account the page showed.
    UserLookup,
}

impl PageCaused {
    /// (calls per minute sustained, burst): a recruiter opening dialogs never meets these.
    fn limits(self) -> (u32, u32) {
        match self {
            PageCaused::Preview => (20, 10),
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
        let buckets = [
            PageCaused::Preview,
            PageCaused::JobsRefresh,
            PageCaused::UserLookup,
        ]
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

/// The last answers to recent questions, for `ttl_ms`, at most `capacity` of them.
#[derive(Debug, Clone)]
pub struct RecentAnswers<V> {
    ttl_ms: f64,
    capacity: usize,
    entries: VecDeque<(String, f64, V)>,
}

impl<V: Clone> RecentAnswers<V> {
    pub fn new(ttl_ms: f64, capacity: usize) -> Self {
        Self {
            ttl_ms,
            capacity,
            entries: VecDeque::new(),
        }
    }

    /// The answer given to `question` less than `ttl_ms` ago.
    pub fn get(&mut self, question: &str, now_ms: f64) -> Option<V> {
        let ttl = self.ttl_ms;
        self.entries
            .retain(|(_, at, _)| now_ms - at < ttl && *at <= now_ms);
        self.entries
            .iter()
            .find(|(q, _, _)| q == question)
            .map(|(_, _, v)| v.clone())
    }

    pub fn put(&mut self, question: String, answer: V, now_ms: f64) {
        self.entries.retain(|(q, _, _)| *q != question);
        self.entries.push_back((question, now_ms, answer));
        while self.entries.len() > self.capacity {
            self.entries.pop_front();
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
            (PageCaused::Preview, 100, 10),
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
        while budget.allow(PageCaused::Preview, 0.0) {}
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

    #[test]
    fn recent_answers_repeat_within_their_time_and_stay_bounded() {
        let mut recent = RecentAnswers::new(60_000.0, 2);
        recent.put("a".into(), 1, 0.0);
        assert_eq!(recent.get("a", 59_999.0), Some(1));
        assert_eq!(recent.get("a", 60_000.0), None);
        recent.put("a".into(), 1, 0.0);
        recent.put("b".into(), 2, 0.0);
        recent.put("c".into(), 3, 0.0);
        assert_eq!(recent.get("a", 1.0), None, "the oldest left for the newest");
        assert_eq!(recent.get("c", 1.0), Some(3));
    }
}
