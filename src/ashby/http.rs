//! The transport seam: the Ashby client builds [`HttpRequest`]s and reads [`HttpResponse`]s;
//! a [`Transport`] moves them. The extension uses browser `fetch`, tests a native client, so
//! the same client code runs in both.

use std::future::Future;

/// One POST to Ashby, fully described (Ashby's API is POST + JSON only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// Absolute URL, e.g. `https://api.ashbyhq.com/apiKey.info`.
    pub url: String,
    /// Header name/value pairs, names as sent.
    pub headers: Vec<(String, String)>,
    /// JSON body.
    pub body: String,
    /// How long the transport may wait for the whole response.
    pub timeout_ms: u32,
}

/// What came back, before any interpretation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    /// Header name/value pairs; names compared case-insensitively by [`HttpResponse::header`].
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    /// The first header with this name, ignoring case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why no response arrived.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// The request took longer than its `timeout_ms`. The server may still have acted on it.
    #[error("timed out")]
    Timeout,
    /// Offline, DNS, TLS, connection refused or dropped: the server may or may not have acted.
    #[error("network error: {0}")]
    Network(String),
}

/// Sends one request. Implementations must honour `HttpRequest::timeout_ms`.
pub trait Transport {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>>;
}
