//! Text read from pages and APIs as one clean, bounded line: the one cleaning rule, and
//! [`CleanText`], text that has been through it.

use crate::json_writer::WriteJson;
use serde::{Deserialize, Serialize};

const ELLIPSIS: char = '…';

/// Unicode format characters (general category Cf) and other invisible ones: zero-width and
/// bidirectional controls (U+202E turns "gpj.exe" around), tag characters (U+E0000–U+E007F,
/// which can carry hidden text), soft hyphens, interlinear annotation marks. Always dropped
/// from text, never accepted in emails or links.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'              // soft hyphen
            | '\u{034F}'        // combining grapheme joiner
            | '\u{061C}'        // Arabic letter mark
            | '\u{0600}'..='\u{0605}' // Arabic number signs (Cf)
            | '\u{06DD}' | '\u{070F}' | '\u{08E2}' // Arabic/Syriac format marks
            | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' // Hangul fillers (render blank)
            | '\u{180B}'..='\u{180F}' // Mongolian variation selectors and vowel separator
            | '\u{200B}'..='\u{200F}' // zero-width space/non-joiner/joiner, LRM, RLM
            | '\u{202A}'..='\u{202E}' // LRE, RLE, PDF, LRO, RLO
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{206F}' // LRI, RLI, FSI, PDI, deprecated format characters
            | '\u{FEFF}' // zero-width no-break space (BOM)
            | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
            | '\u{110BD}' | '\u{110CD}' // Kaithi number signs
            | '\u{13430}'..='\u{1343F}' // Egyptian hieroglyph format controls
            | '\u{1BCA0}'..='\u{1BCA3}' // shorthand format controls
            | '\u{1D173}'..='\u{1D17A}' // musical symbol format controls
            | '\u{E0000}'..='\u{E007F}' // tag characters
    )
}

/// Page text as a single clean line: trimmed; C0/C1 control characters removed, except that
/// tabs, newlines and every other kind of whitespace become a space; bidi and zero-width
/// characters removed; runs of whitespace collapsed to one space; at most `max_chars`
/// characters (not bytes), ending in "…" when cut (the "…" counts towards `max_chars`).
pub fn clean_text(raw: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(raw.len().min(max_chars.saturating_mul(4)));
    let mut count = 0usize;
    let mut pending_space = false;
    let mut cut = false;
    for c in raw.chars() {
        if c.is_whitespace() {
            // Includes \t \n \r, U+0085, U+00A0, U+2028/2029 and the other Unicode spaces.
            pending_space = count > 0;
            continue;
        }
        if c.is_control() || is_invisible_format(c) {
            continue;
        }
        let needed = usize::from(pending_space) + 1;
        if count + needed > max_chars {
            cut = true;
            break;
        }
        if pending_space {
            out.push(' ');
            count += 1;
            pending_space = false;
        }
        out.push(c);
        count += 1;
    }
    if cut && max_chars > 0 {
        // Make room for the ellipsis within the cap, on a char boundary.
        while count + 1 > max_chars {
            out.pop();
            count -= 1;
        }
        let trimmed_len = out.trim_end().len();
        out.truncate(trimmed_len);
        out.push(ELLIPSIS);
    }
    out
}

/// Text that went through [`clean_text`] with at most `MAX` characters and is not empty.
/// Decoding cleans again (idempotent on clean text), so a stored value cannot smuggle control
/// or bidi characters back in; a value with nothing visible left is refused.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CleanText<const MAX: usize>(String);

/// Text with nothing visible in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no visible text")]
pub struct EmptyText;

impl<const MAX: usize> CleanText<MAX> {
    /// `raw` cleaned and cut to `MAX` characters; `None` when nothing visible is left.
    pub fn new(raw: &str) -> Option<Self> {
        Some(clean_text(raw, MAX))
            .filter(|s| !s.is_empty())
            .map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<const MAX: usize> TryFrom<String> for CleanText<MAX> {
    type Error = EmptyText;
    fn try_from(raw: String) -> Result<Self, EmptyText> {
        Self::new(&raw).ok_or(EmptyText)
    }
}

string_views!(CleanText<const MAX: usize>);

impl<const MAX: usize> crate::from_json::FromJson for CleanText<MAX> {
    /// As its serde form: a string, cleaned again, with something visible left.
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        let raw = <String as crate::from_json::FromJson>::from_json(json)?;
        Self::try_from(raw).map_err(|_| crate::from_json::Mismatch("visible text"))
    }
}

/// Written as its text (serde's `into = "String"`).
impl<const MAX: usize> WriteJson for CleanText<MAX> {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_is_bounded_non_empty_and_decoded_clean() {
        type Short = CleanText<5>;
        assert_eq!(Short::new("  a\u{202E}b \n c ").unwrap().as_str(), "ab c");
        assert_eq!(Short::new("abcdefgh").unwrap().as_str(), "abcd…");
        assert_eq!(Short::new(" \u{200f} "), None);
        let decoded: Short = serde_json::from_str("\"x\\u0000y\"").unwrap();
        assert_eq!(decoded.as_str(), "xy");
        assert!(serde_json::from_str::<Short>("\" \"").is_err());
        assert_eq!(serde_json::to_string(&decoded).unwrap(), "\"xy\"");
    }
}
