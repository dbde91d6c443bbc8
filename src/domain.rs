//! The domain's shared vocabulary: what a Fetcher candidate is once read from the page, the
//! automation settings of a Fetcher search, and its triggers. Plain data, no behaviour beyond
//! ordering; the rules live in the modules that use them.

use serde::{Deserialize, Serialize};

/// A candidate's status in a Fetcher search, in the order the pipeline reaches them:
/// a later status implies the earlier ones happened (Interested ⇒ Replied ⇒ Contacted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CandidateStatus {
    New,
    Liked,
    Contacted,
    Replied,
    Interested,
}

/// A candidate as read from a Fetcher page: every field already validated and bounded by the
/// page-model rules (`fetcher::fields`), so downstream code can trust its shape.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FetcherCandidate {
    pub search_id: String,
    pub candidate_id: String,
    /// May be empty when the page shows none; never contains control or bidi characters.
    pub name: String,
    pub title: Option<String>,
    pub company: Option<String>,
    pub location: Option<String>,
    /// Well-formed addresses, primary first, deduplicated case-insensitively.
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    /// Normalised `https://www.linkedin.com/in/<slug>` (lower case, no query).
    pub linkedin_url: Option<String>,
    pub github_url: Option<String>,
    /// Other `https` links from the profile's Links section.
    pub website_urls: Vec<String>,
    pub status: Option<CandidateStatus>,
    pub liked: bool,
}

impl FetcherCandidate {
    /// The candidate's Fetcher profile (for the note in Ashby that links back).
    pub fn profile_url(&self) -> String {
        format!(
            "https://app.fetcher.ai/searches/{}/candidates/{}",
            self.search_id, self.candidate_id
        )
    }
}

/// When a search's automation uploads a candidate (the popup's "When" choices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Trigger {
    #[default]
    AllNewCandidates,
    OnLike,
    OnContact,
    OnReply,
    OnInterestedReply,
}

impl Trigger {
    pub const ALL: [Trigger; 5] = [
        Trigger::AllNewCandidates,
        Trigger::OnLike,
        Trigger::OnContact,
        Trigger::OnReply,
        Trigger::OnInterestedReply,
    ];
}

/// One Fetcher search's automation ("Ashby Sync") settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchAutomation {
    pub search_id: String,
    /// The linked Ashby job; automation never runs without one.
    pub job_id: Option<String>,
    pub enabled: bool,
    pub trigger: Trigger,
    /// At most this many uploads for the search; `None` = no limit.
    pub applicant_limit: Option<u32>,
    /// When automation was last turned on or its trigger changed (epoch ms); `None` while off.
    #[serde(default)]
    pub enabled_at_ms: Option<u64>,
}
