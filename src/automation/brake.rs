//! The brake on automation: more than [`MAX_UPLOADS_IN_WINDOW`] automatic uploads for one
//! search within [`WINDOW_MS`] pauses that search's automation until the recruiter resumes it.
//! A page that floods the worker with "new" candidates (or a Fetcher bug) can then cost at
//! most that many Ashby candidates before a person looks.
//!
//! Stored per search under `autoBrake/<searchId>` ([`brake_key`]). The stored value is read
//! back through [`Brake::from_stored`], which refuses anything a well-behaved worker would
//! not have written (content scripts can write `chrome.storage.local`): an unreadable brake
//! counts as engaged, never as released.

use crate::from_json::FromJson;
#[cfg(not(target_arch = "wasm32"))]
use serde::Deserialize;
use serde::Serialize;
use serde_json::Value;

/// Automatic uploads allowed for one search within [`WINDOW_MS`]; one more engages the brake.
pub const MAX_UPLOADS_IN_WINDOW: usize = 50;
/// The sliding window the uploads are counted in.
pub const WINDOW_MS: u64 = 10 * 60 * 1000;

/// `autoBrake/<search>`.
pub fn brake_key(search_id: &crate::domain::SearchId) -> String {
    crate::storage_schema::keys::auto_brake(search_id)
}

/// One search's brake.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Brake {
    /// When the automatic uploads of the current window were queued (oldest first, at most
    /// [`MAX_UPLOADS_IN_WINDOW`]).
    #[serde(default)]
    pub recent_ms: Vec<u64>,
    /// Set while automation is paused: when the brake engaged.
    #[serde(default)]
    pub paused_at_ms: Option<u64>,
    /// Uploads held back since the brake engaged (the recruiter sees how many).
    #[serde(default)]
    pub held: u32,
}

impl FromJson for Brake {
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        let fields =
            crate::from_json::Fields::of(json)?.only(&["recentMs", "pausedAtMs", "held"])?;
        Ok(Brake {
            recent_ms: fields.or_default("recentMs")?,
            paused_at_ms: fields.or_default("pausedAtMs")?,
            held: fields.or_default("held")?,
        })
    }
}

crate::deserialize_through_from_json!(Brake);

impl crate::json_writer::WriteJson for Brake {
    fn write_json(&self, out: &mut String) {
        let mut object = crate::json_writer::Object::open(out);
        object
            .member("recentMs", &self.recent_ms)
            .member_some("pausedAtMs", &self.paused_at_ms)
            .member("held", &self.held);
        object.close();
    }
}

/// What the brake says about one more automatic upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrakeAnswer {
    /// Go ahead (it is counted).
    Go,
    /// Hold it back: automation is paused (`just_engaged`: by this very upload).
    Hold { just_engaged: bool },
}

impl Brake {
    /// The stored brake. Absent: a fresh one. Present but not in the shape this worker writes:
    /// engaged (so a tampered value can stop automation, but never release it).
    pub fn from_stored(value: Option<&Value>, now_ms: u64) -> Self {
        let Some(value) = value else {
            return Self::default();
        };
        Brake::from_value(value)
            .ok()
            .filter(|b| b.recent_ms.len() <= MAX_UPLOADS_IN_WINDOW)
            .unwrap_or(Brake {
                recent_ms: Vec::new(),
                paused_at_ms: Some(now_ms),
                held: 0,
            })
    }

    pub fn is_paused(&self) -> bool {
        self.paused_at_ms.is_some()
    }

    /// Asks for one more automatic upload at `now_ms`, and counts it when it may go.
    pub fn ask(&mut self, now_ms: u64) -> BrakeAnswer {
        if self.is_paused() {
            self.held = self.held.saturating_add(1);
            return BrakeAnswer::Hold {
                just_engaged: false,
            };
        }
        // A clock that went backwards keeps its "future" uploads counted (never fewer).
        self.recent_ms
            .retain(|&at| now_ms.saturating_sub(at) < WINDOW_MS);
        if self.recent_ms.len() >= MAX_UPLOADS_IN_WINDOW {
            self.recent_ms.clear();
            self.paused_at_ms = Some(now_ms);
            self.held = 1;
            return BrakeAnswer::Hold { just_engaged: true };
        }
        self.recent_ms.push(now_ms);
        BrakeAnswer::Go
    }

    /// The recruiter resumed automation: a new window starts now.
    pub fn resume(&mut self) {
        *self = Brake::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const MINUTE: u64 = 60_000;

    /// Asks at each time in turn; `true` where the brake let the upload go.
    fn run(brake: &mut Brake, times: impl IntoIterator<Item = u64>) -> Vec<bool> {
        times
            .into_iter()
            .map(|t| brake.ask(t) == BrakeAnswer::Go)
            .collect()
    }

    #[test]
    fn the_fifty_first_upload_within_ten_minutes_engages_the_brake() {
        // (uploads, spread over ms, how many go, paused afterwards)
        let table: [(u64, u64, usize, bool); 5] = [
            (50, 0, 50, false),
            (51, 0, 50, true),
            (51, 9 * MINUTE, 50, true),
            // Spread over more than the window: the oldest have left it.
            (60, 20 * MINUTE, 60, false),
            (200, 0, 50, true),
        ];
        for (uploads, spread, going, paused) in table {
            let mut brake = Brake::default();
            let step = spread / uploads.max(1);
            let answers = run(&mut brake, (0..uploads).map(|n| 1_000_000 + n * step));
            let went = answers.iter().filter(|go| **go).count();
            assert_eq!(went, going, "{uploads} uploads over {spread} ms");
            assert_eq!(
                brake.is_paused(),
                paused,
                "{uploads} uploads over {spread} ms"
            );
            // Every upload after the first hold is held too.
            if let Some(first) = answers.iter().position(|go| !go) {
                assert!(answers[first..].iter().all(|go| !go));
                assert_eq!(brake.held as usize, answers.len() - first);
            }
        }
    }

    #[test]
    fn only_the_engaging_upload_says_it_engaged() {
        let mut brake = Brake::default();
        run(&mut brake, (0..50).map(|n| n * 10));
        assert_eq!(brake.ask(600), BrakeAnswer::Hold { just_engaged: true });
        assert_eq!(
            brake.ask(700),
            BrakeAnswer::Hold {
                just_engaged: false
            }
        );
        // Time alone does not release it: only the recruiter does.
        assert_eq!(
            brake.ask(600 + 24 * 60 * MINUTE),
            BrakeAnswer::Hold {
                just_engaged: false
            }
        );
    }

    #[test]
    fn resuming_starts_a_new_window() {
        let mut brake = Brake::default();
        run(&mut brake, (0..51).map(|n| n * 10));
        assert!(brake.is_paused());
        brake.resume();
        assert_eq!(brake, Brake::default());
        assert!(run(&mut brake, (0..50).map(|n| 1_000 + n))
            .iter()
            .all(|go| *go));
        assert_eq!(brake.ask(2_000), BrakeAnswer::Hold { just_engaged: true });
    }

    #[test]
    fn a_clock_going_backwards_counts_no_fewer_uploads() {
        let mut brake = Brake::default();
        run(&mut brake, (0..50).map(|n| 10 * MINUTE + n));
        assert_eq!(brake.ask(0), BrakeAnswer::Hold { just_engaged: true });
    }

    #[test]
    fn brakes_are_written_as_serde_writes_them() {
        use crate::json_writer::testing::same_as_serde;
        same_as_serde(&Brake::default());
        let mut brake = Brake::default();
        run(&mut brake, (0..3).map(|n| 1_764_000_000_000 + n));
        same_as_serde(&brake);
        run(&mut brake, (0..60).map(|n| 1_764_000_000_100 + n));
        assert!(brake.is_paused());
        same_as_serde(&brake);
        same_as_serde(&Brake {
            recent_ms: vec![0, u64::MAX],
            paused_at_ms: Some(u64::MAX),
            held: u32::MAX,
        });
    }

    #[test]
    fn stored_values_are_read_strictly_and_tampering_never_releases_it() {
        let now = 5;
        assert_eq!(Brake::from_stored(None, now), Brake::default());
        let written = serde_json::to_value(Brake {
            recent_ms: vec![1, 2],
            paused_at_ms: None,
            held: 0,
        })
        .unwrap();
        assert_eq!(written, json!({"recentMs": [1, 2], "held": 0}));
        assert!(!Brake::from_stored(Some(&written), now).is_paused());
        for tampered in [
            json!("off"),
            json!({"recentMs": "none"}),
            json!({"recentMs": [], "pausedAtMs": null, "extra": 1}),
            json!({"recentMs": vec![1; MAX_UPLOADS_IN_WINDOW + 1]}),
        ] {
            let read = Brake::from_stored(Some(&tampered), now);
            assert_eq!(read.paused_at_ms, Some(now), "{tampered}");
        }
    }
}
