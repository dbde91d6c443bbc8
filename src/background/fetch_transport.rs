//! [`Transport`] over the worker's `fetch` (gloo-net). With `host_permissions` for Ashby the
//! worker's fetch is not subject to CORS, which Ashby does not enable.

use crate::ashby::http::{HttpRequest, HttpResponse, Transport, TransportError};
use crate::browser::fetch::timeout_signal;
use gloo_net::http::Request;
use std::cell::Cell;

thread_local! {
    /// The connection generation: raised by every Disconnect and every new key. A client made
    /// for one generation sends nothing once it has changed, and an operation that read the
    /// key before a Disconnect does not keep or save it after. Kept here, below the
    /// connection, because the transport is what enforces it.
    static GENERATION: Cell<u64> = const { Cell::new(0) };
}

/// The current connection generation.
pub fn generation() -> u64 {
    GENERATION.with(Cell::get)
}

/// Ends the current generation: every client made so far goes quiet at once.
pub fn next_generation() {
    GENERATION.with(|g| g.set(g.get().wrapping_add(1)));
}

/// A transport for one connection: made with the connection generation current when its key
/// was read, it refuses to send anything once the recruiter has disconnected (or connected
/// again) since, so no request carrying an old key leaves the browser after Disconnect.
pub struct FetchTransport {
    generation: u64,
}

impl FetchTransport {
    /// A transport for the connection of `generation` (see [`generation`]).
    pub fn for_generation(generation: u64) -> Self {
        Self { generation }
    }
}

impl Transport for FetchTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        // Checked right before the request leaves: nothing is awaited in between.
        if generation() != self.generation {
            return Err(TransportError::Network(DISCONNECTED.into()));
        }
        let signal = timeout_signal(request.timeout_ms);
        let mut builder = Request::post(&request.url).abort_signal(Some(&signal));
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let response = builder
            .body(request.body)
            .map_err(network_error)?
            .send()
            .await
            .map_err(|error| classify(error, &signal))?;
        let headers = response.headers().entries().collect();
        let status = response.status();
        let body = response
            .text()
            .await
            .map_err(|error| classify(error, &signal))?;
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

/// A fetch that failed after our deadline fired is a timeout; anything else is the network.
fn classify(error: gloo_net::Error, signal: &web_sys::AbortSignal) -> TransportError {
    if signal.aborted() {
        TransportError::Timeout
    } else {
        network_error(error)
    }
}

/// Why a transport of an old connection refused to send.
const DISCONNECTED: &str = "the connection to Ashby was closed";

fn network_error(error: gloo_net::Error) -> TransportError {
    TransportError::Network(error.to_string())
}
