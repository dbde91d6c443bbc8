//! The Fetcher page model (see `shared/fetcher-page-model.md`), as pure rules: which page a URL
//! is, and how untrusted page text becomes bounded, validated fields. The DOM-reading half of
//! the adapter lives in the content script and applies these rules.

pub mod card_reading;
pub mod fields;
pub mod page_report;
pub mod route;
