//! Event handlers as one type per event: tachys compiles its handler attachment once per
//! handler type, and every closure is a type of its own (~550 B of wasm each).

/// `on_event` boxed: every handler of an event of type `E` is `Box<dyn FnMut(E)>`.
pub fn handler<E: 'static>(on_event: impl FnMut(E) + 'static) -> Box<dyn FnMut(E)> {
    Box::new(on_event)
}
