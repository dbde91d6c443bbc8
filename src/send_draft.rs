//! The Send dialog's draft, held by the worker between the content script reading a profile
//! and the recruiter sending it: which tab prepared it, which frame of that tab may use it, and
//! for how long. The content script hands the profile over ("PrepareSend") and gets a one-time
//! token; the dialog's frame (an extension page in the same tab) opens the draft with it. The
//! first frame to open it claims it, so a page that frames the dialog page itself, or replays
//! a token, gets nothing. Pure, so the rules are tested natively.

use crate::domain::FetcherCandidate;
#[cfg(not(target_arch = "wasm32"))]
use serde::Deserialize;
use serde::Serialize;

/// A draft is kept this long (a recruiter reviewing for longer opens the dialog again).
pub const DRAFT_MAX_AGE_MS: f64 = 60.0 * 60.0 * 1000.0;

/// Where a message came from: its tab and frame (`chrome.runtime.MessageSender`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameRef {
    pub tab_id: i64,
    pub frame_id: i64,
}

/// One tab's draft (one per tab: preparing again replaces it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub token: String,
    pub tab_id: i64,
    /// The frame that opened the draft first; only it may use the draft afterwards.
    pub claimed_by: Option<i64>,
    pub candidate: FetcherCandidate,
    /// Integral milliseconds (the worker's JSON store has no use for fractions).
    pub created_at_ms: u64,
}

impl crate::from_json::FromJson for Draft {
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        let fields = crate::from_json::Fields::of(json)?;
        Ok(Draft {
            token: fields.required("token")?,
            tab_id: fields.required("tabId")?,
            claimed_by: fields.optional("claimedBy")?,
            candidate: fields.required("candidate")?,
            created_at_ms: fields.required("createdAtMs")?,
        })
    }
}

crate::deserialize_through_from_json!(Draft);

/// What the worker stores in `chrome.storage.session`, as the derive above writes it, by a
/// hand-written encoder (no serde `Serialize` in the worker's wasm).
impl crate::json_writer::WriteJson for Draft {
    fn write_json(&self, out: &mut String) {
        let mut object = crate::json_writer::Object::open(out);
        object
            .member("token", &self.token)
            .member("tabId", &self.tab_id)
            .member("claimedBy", &self.claimed_by)
            .member("candidate", &self.candidate)
            .member("createdAtMs", &self.created_at_ms);
        object.close();
    }
}

/// Why a frame may not use a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftRefusal {
    /// No draft, another token, another tab, or too old.
    Unknown,
    /// Another frame opened it first.
    ClaimedElsewhere,
}

impl Draft {
    pub fn new(token: String, tab_id: i64, candidate: FetcherCandidate, now_ms: f64) -> Self {
        Self {
            token,
            tab_id,
            claimed_by: None,
            candidate,
            created_at_ms: now_ms.max(0.0) as u64,
        }
    }

    /// The storage key of a tab's draft (in `chrome.storage.session`, which content scripts
    /// cannot read).
    pub fn key(tab_id: i64) -> String {
        crate::storage_schema::keys::send_draft(tab_id)
    }

    /// May `from` use this draft with `token`? Opening it (`claim`) records the frame.
    pub fn admit(
        &mut self,
        token: &str,
        from: FrameRef,
        now_ms: f64,
        claim: bool,
    ) -> Result<(), DraftRefusal> {
        let fresh = now_ms - (self.created_at_ms as f64) <= DRAFT_MAX_AGE_MS;
        if self.token != token || self.tab_id != from.tab_id || !fresh {
            return Err(DraftRefusal::Unknown);
        }
        match self.claimed_by {
            Some(frame) if frame != from.frame_id => Err(DraftRefusal::ClaimedElsewhere),
            Some(_) => Ok(()),
            None if claim => {
                self.claimed_by = Some(from.frame_id);
                Ok(())
            }
            // Previewing or sending needs the draft opened first.
            None => Err(DraftRefusal::Unknown),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: f64 = 1_000_000.0;
    const OURS: FrameRef = FrameRef {
        tab_id: 7,
        frame_id: 3,
    };

    fn draft() -> Draft {
        Draft::new(
            "tok".into(),
            7,
            FetcherCandidate::new("s".parse().unwrap(), "c".parse().unwrap()),
            NOW,
        )
    }

    #[test]
    fn the_first_frame_of_the_tab_claims_it_and_keeps_it() {
        let mut d = draft();
        assert_eq!(d.admit("tok", OURS, NOW, false), Err(DraftRefusal::Unknown));
        assert_eq!(d.admit("tok", OURS, NOW, true), Ok(()));
        assert_eq!(d.admit("tok", OURS, NOW + 1.0, false), Ok(()));
        assert_eq!(d.admit("tok", OURS, NOW + 2.0, true), Ok(()), "a reload");
        let page_frame = FrameRef {
            frame_id: 9,
            ..OURS
        };
        assert_eq!(
            d.admit("tok", page_frame, NOW, true),
            Err(DraftRefusal::ClaimedElsewhere)
        );
    }

    #[test]
    fn a_draft_is_stored_as_serde_writes_it() {
        use crate::domain::{CandidateStatus, Email, HttpsUrl};
        use crate::json_writer::testing::{awkward_text, same_as_serde};
        use crate::json_writer::WriteJson;

        let full = FetcherCandidate {
            name: awkward_text(),
            title: Some(awkward_text()),
            company: Some(String::new()),
            emails: vec![Email::parse("jane@acme.com").unwrap()],
            phones: vec!["+49 30 1234".into()],
            linkedin_url: Some(HttpsUrl::parse("https://www.linkedin.com/in/jane").unwrap()),
            website_urls: vec![HttpsUrl::parse("https://jane.example/a?b=c&d").unwrap()],
            status: Some(CandidateStatus::Liked),
            liked: true,
            ..FetcherCandidate::new("search-1".parse().unwrap(), "cand-1".parse().unwrap())
        };
        let mut claimed = Draft::new(awkward_text(), -7, full, 1_764_000_000_123.9);
        claimed.claimed_by = Some(i64::MIN);
        let unclaimed = Draft {
            tab_id: i64::MAX,
            created_at_ms: u64::MAX,
            ..draft()
        };
        for draft in [claimed, unclaimed, draft()] {
            same_as_serde(&draft);
            assert_eq!(draft.json_text(), serde_json::to_string(&draft).unwrap());
            let read: Draft = serde_json::from_str(&draft.json_text()).unwrap();
            assert_eq!(read, draft, "read back as written");
        }
    }

    #[test]
    fn another_token_tab_or_an_old_draft_is_unknown() {
        let mut d = draft();
        assert_eq!(
            d.admit("other", OURS, NOW, true),
            Err(DraftRefusal::Unknown)
        );
        let other_tab = FrameRef { tab_id: 8, ..OURS };
        assert_eq!(
            d.admit("tok", other_tab, NOW, true),
            Err(DraftRefusal::Unknown)
        );
        let late = NOW + DRAFT_MAX_AGE_MS + 1.0;
        assert_eq!(d.admit("tok", OURS, late, true), Err(DraftRefusal::Unknown));
        assert_eq!(d.claimed_by, None, "nothing was claimed by refused frames");
    }
}
