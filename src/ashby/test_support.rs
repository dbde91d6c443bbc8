//! Test doubles: an in-memory [`Transport`] and a minimal executor. The fake's futures are
//! ready immediately, so polling with a no-op waker is enough.

use super::http::{HttpRequest, HttpResponse, Transport, TransportError};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// Records every request and answers with canned responses, in order.
pub struct FakeTransport {
    requests: RefCell<Vec<HttpRequest>>,
    responses: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
}

impl FakeTransport {
    pub fn new(responses: Vec<Result<HttpResponse, TransportError>>) -> Self {
        Self {
            requests: RefCell::new(Vec::new()),
            responses: RefCell::new(responses.into()),
        }
    }

    pub fn requests(&self) -> Vec<HttpRequest> {
        self.requests.borrow().clone()
    }
}

impl Transport for FakeTransport {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        self.requests.borrow_mut().push(request);
        let next = self
            .responses
            .borrow_mut()
            .pop_front()
            .expect("the test queued no response for this request");
        std::future::ready(next)
    }
}

/// An HTTP 200 response with this body.
pub fn ok(body: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse {
        status: 200,
        headers: Vec::new(),
        body: body.to_owned(),
    })
}

/// Runs a future that never waits on anything external.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    for _ in 0..1_000 {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
    panic!("future did not complete; the fake transport never blocks")
}
