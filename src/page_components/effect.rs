//! Effects whose function is boxed, so that every effect made here shares one copy of
//! Leptos's effect runner. `Effect::new` is generic over its function: each effect compiled its
//! own copy of the runner's async loop around its body (~0.5 KB of wasm each).

use leptos::prelude::*;

/// Runs `run` now (on Leptos's next tick, as any effect) and again whenever a signal it read
/// changes. State it keeps from one run to the next lives in its captures (it is `FnMut`).
pub fn effect(run: impl FnMut() + 'static) {
    let mut run: Box<dyn FnMut()> = Box::new(run);
    Effect::new(move |_| run());
}

/// A signal holding what `compute` makes from the signals it reads (given the value it
/// holds), set by an effect and only when the value differs: a memo's behaviour without the
/// reactive node each memo compiles for its type and function. It pays where a signal of the
/// same type is on the page already (measured in the popup: a memo whose type nothing else
/// holds costs less left a memo). Holds `initial` until the effect's first run, on Leptos's
/// next tick.
#[cfg(feature = "popup")]
pub fn derived<T>(initial: T, mut compute: impl FnMut(&T) -> T + 'static) -> RwSignal<T>
where
    T: PartialEq + Send + Sync + 'static,
{
    let held = RwSignal::new(initial);
    effect(move || {
        let next = held.with_untracked(|now| Some(compute(now)).filter(|next| next != now));
        if let Some(next) = next {
            held.set(next);
        }
    });
    held
}
