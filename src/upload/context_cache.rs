//! The stored upload context: the "Fetcher" source and the recruiter's Ashby user looked up
//! for the credited account, so a worker start costs Ashby no calls. It is looked up again
//! when the account changes, and when it is old: a source or user created in Ashby after the
//! lookup must reach the uploads within a day (within an hour when one was missing), or the
//! recruiter's candidates would stay unsourced or uncredited for good.

use super::pipeline::UploadContext;
use crate::domain::{Email, EpochMs};
#[cfg(not(target_arch = "wasm32"))]
use serde::Deserialize;
use serde::Serialize;

/// A complete lookup is trusted this long.
pub const MAX_AGE_MS: f64 = 24.0 * 60.0 * 60_000.0;
/// A lookup that found no source or no user is tried again after this long.
pub const MISSING_RETRY_MS: f64 = 60.0 * 60_000.0;

#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct ContextCache {
    pub for_email: Option<Email>,
    pub fetcher_source_id: Option<String>,
    pub credited_user_id: Option<String>,
    /// When it was looked up; missing in caches written before this field (looked up again).
    pub looked_up_at_ms: Option<EpochMs>,
}

impl crate::from_json::FromJson for ContextCache {
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        let fields = crate::from_json::Fields::of(json)?;
        Ok(ContextCache {
            for_email: fields.optional("forEmail")?,
            fetcher_source_id: fields.optional("fetcherSourceId")?,
            credited_user_id: fields.optional("creditedUserId")?,
            looked_up_at_ms: fields.optional("lookedUpAtMs")?,
        })
    }
}

crate::deserialize_through_from_json!(ContextCache);

impl crate::json_writer::WriteJson for ContextCache {
    fn write_json(&self, out: &mut String) {
        let mut object = crate::json_writer::Object::open(out);
        object
            .member_some("forEmail", &self.for_email)
            .member_some("fetcherSourceId", &self.fetcher_source_id)
            .member_some("creditedUserId", &self.credited_user_id)
            .member_some("lookedUpAtMs", &self.looked_up_at_ms);
        object.close();
    }
}

impl ContextCache {
    pub fn new(for_email: Option<Email>, context: &UploadContext, now_ms: f64) -> Self {
        Self {
            for_email,
            fetcher_source_id: context.fetcher_source_id.clone(),
            credited_user_id: context.credited_user_id.clone(),
            looked_up_at_ms: Some(EpochMs::from_clock(now_ms)),
        }
    }

    /// The context to use for `email`'s uploads at `now_ms`, unless it must be looked up again.
    pub fn reusable_for(&self, email: Option<&Email>, now_ms: f64) -> Option<UploadContext> {
        let looked_up = self.looked_up_at_ms?.as_f64();
        let complete = self.fetcher_source_id.is_some()
            && (self.credited_user_id.is_some() || email.is_none());
        let max_age = if complete {
            MAX_AGE_MS
        } else {
            MISSING_RETRY_MS
        };
        let age = now_ms - looked_up;
        // A clock set back reads as fresh-but-negative: looked up again, never trusted forever.
        let fresh = (0.0..max_age).contains(&age);
        (self.for_email.as_ref() == email && fresh).then(|| UploadContext {
            fetcher_source_id: self.fetcher_source_id.clone(),
            credited_user_id: self.credited_user_id.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caches_are_written_as_serde_writes_them() {
        use crate::json_writer::testing::{awkward_text, same_as_serde};
        same_as_serde(&ContextCache::new(Some(email()), &complete(), T0));
        same_as_serde(&ContextCache::default());
        same_as_serde(&ContextCache {
            for_email: None,
            fetcher_source_id: Some(awkward_text()),
            credited_user_id: None,
            looked_up_at_ms: Some(EpochMs::from_clock(T0 + 0.5)),
        });
        same_as_serde(&ContextCache {
            for_email: Some(Email::from("J.Doe+x@Example.org")),
            fetcher_source_id: None,
            credited_user_id: Some(awkward_text()),
            looked_up_at_ms: None,
        });
    }

    const T0: f64 = 1_800_000_000_000.0;

    fn complete() -> UploadContext {
        UploadContext {
            fetcher_source_id: Some("source-fetcher".into()),
            credited_user_id: Some("user-recruiter".into()),
        }
    }

    fn email() -> Email {
        Email::from("recruiter@agency.com")
    }

    #[test]
    fn a_complete_lookup_is_reused_for_a_day_for_the_same_account() {
        let cache = ContextCache::new(Some(email()), &complete(), T0);
        assert_eq!(cache.reusable_for(Some(&email()), T0), Some(complete()));
        assert_eq!(
            cache.reusable_for(Some(&email()), T0 + MAX_AGE_MS - 1.0),
            Some(complete())
        );
        assert_eq!(cache.reusable_for(Some(&email()), T0 + MAX_AGE_MS), None);
    }

    #[test]
    fn another_account_or_none_looks_up_again() {
        let cache = ContextCache::new(Some(email()), &complete(), T0);
        let other = Email::from("other@agency.com");
        assert_eq!(cache.reusable_for(Some(&other), T0), None);
        assert_eq!(cache.reusable_for(None, T0), None);
    }

    #[test]
    fn a_missing_user_or_source_is_looked_up_again_after_an_hour() {
        for context in [
            UploadContext {
                credited_user_id: None,
                ..complete()
            },
            UploadContext {
                fetcher_source_id: None,
                ..complete()
            },
        ] {
            let cache = ContextCache::new(Some(email()), &context, T0);
            assert_eq!(
                cache.reusable_for(Some(&email()), T0 + MISSING_RETRY_MS - 1.0),
                Some(context.clone())
            );
            assert_eq!(
                cache.reusable_for(Some(&email()), T0 + MISSING_RETRY_MS),
                None
            );
        }
    }

    #[test]
    fn without_an_account_no_user_is_expected() {
        let context = UploadContext {
            credited_user_id: None,
            ..complete()
        };
        let cache = ContextCache::new(None, &context, T0);
        assert_eq!(
            cache.reusable_for(None, T0 + MISSING_RETRY_MS),
            Some(context)
        );
    }

    #[test]
    fn a_cache_without_its_time_or_from_the_future_is_looked_up_again() {
        let legacy: ContextCache = serde_json::from_value(serde_json::json!({
            "forEmail": "recruiter@agency.com",
            "fetcherSourceId": "source-fetcher",
            "creditedUserId": "user-recruiter"
        }))
        .unwrap();
        assert_eq!(legacy.reusable_for(Some(&email()), T0), None);
        let cache = ContextCache::new(Some(email()), &complete(), T0);
        assert_eq!(cache.reusable_for(Some(&email()), T0 - 1.0), None);
    }
}
