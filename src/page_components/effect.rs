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
