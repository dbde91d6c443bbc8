//! The popup's and the Send dialog's Leptos `Action`s, one type for all of them. Each part of
//! those pages loads what it shows and runs its buttons' requests with a [`Work`]: an `Action`
//! whose value and pending state are Leptos's own.
//!
//! Why one type: Leptos's `Action<I, O>` is generic over its input, its output and its async
//! function, so each distinct action compiles into its own copy of the action code (several KB
//! of wasm each). Every `Work<T>` is the same `Action<Job, Result<Answer, String>>` underneath,
//! with one action function: a `Job` is the request's future, boxed, and its answer is typed
//! again (`T`) when read.

use leptos::prelude::*;
use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;

/// A request's future, made when the request is dispatched.
type Running = Pin<Box<dyn Future<Output = Outcome>>>;

/// A request: makes its future when dispatched (inside the click handler that dispatches it,
/// for browser calls that must start there, like Firefox's permission request).
#[derive(Clone)]
pub struct Job(Rc<dyn Fn() -> Running>);

/// A request's answer; its type is the `T` of the [`Work`] that ran it.
#[derive(Clone)]
pub struct Answer(Rc<dyn Any>);

/// The one action function (a plain `fn`: one copy of Leptos's action code for every part).
fn start(job: &Job) -> Running {
    (job.0)()
}

type Outcome = Result<Answer, String>;

/// A part's loading or button: a Leptos `Action` whose answers are `T`s.
pub struct Work<T> {
    action: Action<Job, Outcome>,
    /// The action's value and pending state, made once (each call of `Action::value` or
    /// `Action::pending` makes a new signal).
    value: MappedSignal<Option<Outcome>>,
    pending: Memo<bool>,
    answers: PhantomData<fn() -> T>,
}

/// Not generic: one copy for every `Work<T>`.
fn new_action() -> (
    Action<Job, Outcome>,
    MappedSignal<Option<Outcome>>,
    Memo<bool>,
) {
    let action = Action::new_local(start);
    (action, action.value(), action.pending())
}

impl<T> Clone for Work<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Work<T> {}

impl<T: Clone + 'static> Work<T> {
    pub fn new() -> Self {
        let (action, value, pending) = new_action();
        Self {
            action,
            value,
            pending,
            answers: PhantomData,
        }
    }

    /// A `Work` that starts loading at once.
    pub fn load<F, Fut>(make: F) -> Self
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = Result<T, String>> + 'static,
    {
        let work = Self::new();
        work.run(make);
        work
    }

    /// Dispatches a request: `make` is called now, its future runs on this thread.
    pub fn run<F, Fut>(&self, make: F)
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = Result<T, String>> + 'static,
    {
        let job = Job(Rc::new(move || {
            let future = make();
            Box::pin(async move { future.await.map(|value| Answer(Rc::new(value))) })
        }));
        self.action.dispatch_local(job);
    }

    /// The latest answer (`None` until one arrived); tracked.
    pub fn value(&self) -> Option<Result<T, String>> {
        self.value.with(|value| match value.as_ref()? {
            Ok(answer) => answer.0.downcast_ref::<T>().cloned().map(Ok),
            Err(failure) => Some(Err(failure.clone())),
        })
    }

    /// Whether a request is under way; tracked.
    pub fn pending(&self) -> bool {
        self.pending.get()
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
    }
}
