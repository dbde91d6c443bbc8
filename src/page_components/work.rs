//! The popup's and the Send dialog's requests: each part of those pages loads what it shows
//! and runs its buttons' requests with a [`Work`], whose latest answer and pending state are
//! Leptos signals.
//!
//! Why not Leptos's `Action`: it is generic over its input, its output and its async function,
//! so each distinct action compiled its own copy of the action code; and even one shared
//! `Action` brought machinery these pages never use (its input signal, abort handles, a memo
//! per pending state). Every `Work<T>` is the same three reactive slots underneath, filled by
//! one non-generic runner: a request's future is boxed, and its answer is typed again (`T`)
//! when read.

use leptos::prelude::*;
use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;

/// A request's answer; its type is the `T` of the [`Work`] that ran it.
#[derive(Clone)]
struct Answer(Rc<dyn Any>);

type Outcome = Result<Answer, String>;

/// A request under way.
type Running = Pin<Box<dyn Future<Output = Outcome>>>;

/// What every `Work` holds, whatever its `T` (not generic: one copy of the code for all).
#[derive(Clone, Copy)]
struct Slots {
    /// The latest dispatched request's outcome, once it arrived.
    value: RwSignal<Option<Outcome>, LocalStorage>,
    /// Whether a request is under way (a `bool`, a signal type the pages have anyway).
    busy: RwSignal<bool>,
    counts: StoredValue<Counts>,
}

/// Requests dispatched so far (an outcome counts only if none was dispatched after it), and
/// those still under way.
#[derive(Clone, Copy, Default)]
struct Counts {
    dispatched: u32,
    in_flight: u32,
}

impl Slots {
    fn new() -> Self {
        Self {
            value: RwSignal::new_local(None),
            busy: RwSignal::new(false),
            counts: StoredValue::new(Counts::default()),
        }
    }

    fn run(self, running: Running) {
        let Some(this) = self.counts.try_update_value(|counts| {
            counts.dispatched += 1;
            counts.in_flight += 1;
            counts.dispatched
        }) else {
            return;
        };
        if !self.busy.get_untracked() {
            self.busy.set(true);
        }
        leptos::task::spawn_local(async move {
            let outcome = running.await;
            // The part may have left the page meanwhile: its slots are gone, nothing is shown.
            let Some(Counts {
                dispatched,
                in_flight,
            }) = self.counts.try_update_value(|counts| {
                counts.in_flight = counts.in_flight.saturating_sub(1);
                *counts
            })
            else {
                return;
            };
            if dispatched == this {
                self.value.try_set(Some(outcome));
            }
            if in_flight == 0 {
                self.busy.try_set(false);
            }
        });
    }
}

/// A part's loading or button: its requests' answers are `T`s.
pub struct Work<T> {
    slots: Slots,
    answers: PhantomData<fn() -> T>,
}

impl<T> Clone for Work<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Work<T> {}

impl<T: Clone + 'static> Work<T> {
    pub fn new() -> Self {
        Self {
            slots: Slots::new(),
            answers: PhantomData,
        }
    }

    /// A `Work` that starts loading at once.
    pub fn load<F, Fut>(make: F) -> Self
    where
        F: FnOnce() -> Fut + 'static,
        Fut: Future<Output = Result<T, String>> + 'static,
    {
        let work = Self::new();
        work.run(make);
        work
    }

    /// Dispatches a request: `make` is called now (inside the click handler that dispatches
    /// it, for browser calls that must start there, like Firefox's permission request), its
    /// future runs on this thread.
    pub fn run<F, Fut>(&self, make: F)
    where
        F: FnOnce() -> Fut + 'static,
        Fut: Future<Output = Result<T, String>> + 'static,
    {
        let future = make();
        self.slots.run(Box::pin(async move {
            future.await.map(|value| Answer(Rc::new(value)))
        }));
    }

    /// The latest answer (`None` until one arrived); tracked.
    pub fn value(&self) -> Option<Result<T, String>> {
        self.slots.value.with(|value| match value.as_ref()? {
            Ok(answer) => answer.0.downcast_ref::<T>().cloned().map(Ok),
            Err(failure) => Some(Err(failure.clone())),
        })
    }

    /// Whether a request is under way; tracked.
    pub fn pending(&self) -> bool {
        self.slots.busy.get()
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use crate::page_components::test_input::{host, next_tick};
    use std::cell::RefCell;
    use std::task::{Poll, Waker};
    use wasm_bindgen_test::wasm_bindgen_test;

    type Words = Result<Vec<String>, String>;

    /// A request the test answers by hand.
    #[derive(Clone, Default)]
    struct Held(Rc<RefCell<(Option<Words>, Option<Waker>)>>);

    impl Held {
        fn answer(&self, words: Words) {
            let waker = {
                let mut state = self.0.borrow_mut();
                state.0 = Some(words);
                state.1.take()
            };
            waker.into_iter().for_each(Waker::wake);
        }

        fn future(&self) -> impl Future<Output = Words> {
            let state = Rc::clone(&self.0);
            std::future::poll_fn(move |context| {
                let mut state = state.borrow_mut();
                match state.0.take() {
                    Some(words) => Poll::Ready(words),
                    None => {
                        state.1 = Some(context.waker().clone());
                        Poll::Pending
                    }
                }
            })
        }
    }

    #[wasm_bindgen_test]
    async fn works_of_different_types_answer_in_their_own_type_and_say_when_they_are_pending() {
        // Made in a mounted view, as a component makes them (mounting starts Leptos's executor).
        let works = Rc::new(std::cell::Cell::new(None));
        let made = Rc::clone(&works);
        let _mounted = leptos::mount::mount_to(host(), move || {
            made.set(Some((
                Work::<u32>::load(|| async { Ok(7) }),
                Work::<Vec<String>>::new(),
            )));
        });
        let (number, words) = works.get().expect("made when mounted");
        assert_eq!(
            number.value(),
            None,
            "nothing before the request is answered"
        );
        next_tick().await;
        assert_eq!(number.value(), Some(Ok(7)));
        assert_eq!(words.value(), None, "a work never dispatched has no answer");

        let held = Held::default();
        let request = held.clone();
        words.run(move || request.future());
        next_tick().await;
        assert!(words.pending(), "under way until its request is answered");
        assert_eq!(words.value(), None);
        held.answer(Ok(vec!["Amira Haddad".to_owned()]));
        next_tick().await;
        assert!(!words.pending());
        assert_eq!(words.value(), Some(Ok(vec!["Amira Haddad".to_owned()])));

        words.run(|| async { Err("The worker is not answering.".to_owned()) });
        next_tick().await;
        assert_eq!(
            words.value(),
            Some(Err("The worker is not answering.".to_owned())),
            "a failure replaces the last answer"
        );
        assert_eq!(
            number.value(),
            Some(Ok(7)),
            "each work keeps its own answer"
        );

        // An answer to a request dispatched before the latest one is not shown.
        let (older, newer) = (Held::default(), Held::default());
        let (first, second) = (older.clone(), newer.clone());
        words.run(move || first.future());
        words.run(move || second.future());
        newer.answer(Ok(vec!["Lena Hoffmann".to_owned()]));
        next_tick().await;
        assert!(words.pending(), "the older request is still under way");
        assert_eq!(words.value(), Some(Ok(vec!["Lena Hoffmann".to_owned()])));
        older.answer(Ok(vec!["Amira Haddad".to_owned()]));
        next_tick().await;
        assert!(!words.pending());
        assert_eq!(words.value(), Some(Ok(vec!["Lena Hoffmann".to_owned()])));
    }
}
