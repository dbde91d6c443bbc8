//! The popup's Leptos `Action`s, one type for all of them. Each part of the popup (and of the
//! Send dialog, which runs the same wasm) loads what it shows and runs its buttons' requests
//! with a [`Work`]: an `Action` whose value, pending state and input are Leptos's own.
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
