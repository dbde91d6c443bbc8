//! Finding one piece of text in another, for the code every wasm shares (page reading, URLs,
//! emails, JSON). Why not `str::contains("…")`, `split_once("…")` or `&s[a..b]`: std's text
//! patterns and slicing can panic with a message that shows the `char` at a bad boundary with
//! `Debug`, which links `char` escaping and Unicode's printable tables into the wasm (9 to
//! 12 KB of each surface's, measured). A match of a whole UTF-8 needle always starts and ends
//! on character boundaries, so these plain byte searches give the same answers without that
//! path.

/// The byte position of the first `needle` in `haystack` (0 for an empty needle).
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window == needle.as_bytes())
}

/// The byte position of the last `needle` in `haystack` (its length for an empty needle).
pub fn rfind(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(haystack.len());
    }
    haystack
        .as_bytes()
        .windows(needle.len())
        .rposition(|window| window == needle.as_bytes())
}

/// Whether `needle` occurs in `haystack`.
pub fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

/// The text before and after the first `needle`, as `str::split_once`.
pub fn split_once<'a>(haystack: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    around(haystack, find(haystack, needle)?, needle.len())
}

/// The text before and after the last `needle`, as `str::rsplit_once`.
pub fn rsplit_once<'a>(haystack: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    around(haystack, rfind(haystack, needle)?, needle.len())
}

fn around(haystack: &str, at: usize, len: usize) -> Option<(&str, &str)> {
    Some((haystack.get(..at)?, haystack.get(at + len..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same answers as std's patterns, on ASCII and multi-byte text alike.
    #[test]
    fn agrees_with_std() {
        let haystacks = [
            "",
            "a",
            "Head of Data at Scale at Acme",
            "at",
            " at ",
            "ééé at ü at ß",
            "https://x.example",
            "a..b",
            "日本 at 東京",
        ];
        let needles = ["", " at ", "at", "..", "://", "é", "ü at", "東京", "x"];
        for haystack in haystacks {
            for needle in needles {
                assert_eq!(
                    find(haystack, needle),
                    haystack.find(needle),
                    "{haystack:?} {needle:?}"
                );
                assert_eq!(
                    rfind(haystack, needle),
                    haystack.rfind(needle),
                    "{haystack:?} {needle:?}"
                );
                assert_eq!(contains(haystack, needle), haystack.contains(needle));
                assert_eq!(split_once(haystack, needle), haystack.split_once(needle));
                assert_eq!(rsplit_once(haystack, needle), haystack.rsplit_once(needle));
            }
        }
    }
}
