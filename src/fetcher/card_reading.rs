//! The wire form of search-page cards as the content script reads them: the DOM is walked in JS
//! (`browser::card_dom`) and a whole batch of cards crosses into wasm as **one string**, decoded
//! here without copying. Every value is length-prefixed (`<UTF-16 length>:<text>`), so page
//! text can hold any character (colons, NULs, digits) and never be taken for structure.
//!
//! A batch is, per card, two values: the candidate id on our status host inside the card (empty
//! when none), then the card's *reading*: tagged values in document order:
//! `a` path text href (a link that may be a profile link, whose text comes along, or a
//! LinkedIn/GitHub link), `m` href (`mailto:`), `t` href (`tel:`), `s` text (the first
//! `role="status"`), `b` flag label pressed labelledby title text (each button; flag `1` when it
//! has `aria-labelledby`; the last three only when the label alone does not name it).
//!
//! The reading is also the card's identity for caching: a re-rendered card that reads the same
//! shows the same candidate.

/// One value and what follows it, or `None` when the input is malformed.
fn take(input: &str) -> Option<(&str, &str)> {
    let colon = input.find(':')?;
    let units: usize = input.get(..colon)?.parse().ok()?;
    let body = input.get(colon + 1..)?;
    // Fast path: an ASCII prefix has as many bytes as UTF-16 units.
    if body.len() >= units && body.as_bytes()[..units].is_ascii() {
        return body.split_at_checked(units);
    }
    let mut counted = 0;
    for (index, c) in body.char_indices() {
        if counted == units {
            return body.split_at_checked(index);
        }
        counted += c.len_utf16();
    }
    (counted == units).then_some((body, ""))
}

/// The cards of a batch, in order: `(host's candidate id, reading)`. Stops at malformed input.
pub fn cards(batch: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = batch;
    std::iter::from_fn(move || {
        let (host, after) = take(rest)?;
        let (reading, after) = take(after)?;
        rest = after;
        Some((host, reading))
    })
}

/// A link of a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardLink<'a> {
    pub path: &'a str,
    /// The link's text when its path looks like a profile route (empty otherwise).
    pub text: &'a str,
    /// The resolved URL (empty for a plain same-site path: never LinkedIn or GitHub).
    pub href: &'a str,
}

/// A button of a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardButton<'a> {
    pub labelledby: bool,
    /// `aria-label`, empty when absent.
    pub label: &'a str,
    /// `aria-pressed`, empty when absent.
    pub pressed: &'a str,
}

/// One card's reading, decoded (borrowing the batch string).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CardFields<'a> {
    pub links: Vec<CardLink<'a>>,
    pub mailto: Vec<&'a str>,
    pub tel: Vec<&'a str>,
    pub status: Option<&'a str>,
    pub buttons: Vec<CardButton<'a>>,
}

impl<'a> CardFields<'a> {
    /// Decodes a reading; what follows a malformed value is ignored.
    pub fn parse(reading: &'a str) -> Self {
        let mut fields = Self::default();
        let mut rest = reading;
        loop {
            let mut chars = rest.chars();
            let Some(tag) = chars.next() else {
                break;
            };
            rest = chars.as_str();
            let parsed = match tag {
                'a' => take3(rest).map(|([path, text, href], after)| {
                    fields.links.push(CardLink { path, text, href });
                    after
                }),
                'm' => take(rest).map(|(href, after)| {
                    fields.mailto.push(href);
                    after
                }),
                't' => take(rest).map(|(href, after)| {
                    fields.tel.push(href);
                    after
                }),
                's' => take(rest).map(|(text, after)| {
                    fields.status.get_or_insert(text);
                    after
                }),
                'b' => {
                    let flag = rest.chars().next();
                    rest.get(1..)
                        .and_then(take3)
                        .and_then(|([label, pressed, _], after)| {
                            // labelledby ids, title and text: part of the reading, not used here.
                            let (_, after) = take(after)?;
                            let (_, after) = take(after)?;
                            fields.buttons.push(CardButton {
                                labelledby: flag == Some('1'),
                                label,
                                pressed,
                            });
                            Some(after)
                        })
                }
                _ => None,
            };
            match parsed {
                Some(after) => rest = after,
                None => break,
            }
        }
        fields
    }
}

fn take3(input: &str) -> Option<([&str; 3], &str)> {
    let (a, rest) = take(input)?;
    let (b, rest) = take(rest)?;
    let (c, rest) = take(rest)?;
    Some(([a, b, c], rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Encodes values as the JS side does (lengths in UTF-16 units).
    fn put(values: &[&str]) -> String {
        values
            .iter()
            .map(|v| format!("{}:{v}", v.encode_utf16().count()))
            .collect()
    }

    #[test]
    fn values_hold_any_text_and_lengths_count_utf16_units() {
        for text in ["", "a:b", "12:34", "Zoë 😀 \u{0}\u{202E}x", "::::", "9"] {
            let encoded = put(&[text, "next"]);
            let (value, rest) = take(&encoded).unwrap();
            assert_eq!(value, text);
            assert_eq!(take(rest).unwrap(), ("next", ""));
        }
    }

    #[test]
    fn malformed_values_are_none() {
        for bad in ["", "x", "3", "3:ab", "-1:a", "1a:b"] {
            assert_eq!(take(bad), None, "{bad:?}");
        }
        // A length that ends inside a surrogate pair's character is no value.
        assert_eq!(take("1:😀"), None);
        assert_eq!(take("2:😀x"), Some(("😀", "x")));
    }

    #[test]
    fn decodes_a_batch_of_cards() {
        let reading_a = format!(
            "a{}m{}s{}b0{}",
            put(&["/searches/s/candidates/c1", "Ana: \"1\"", ""]),
            put(&["mailto:ana@example.com"]),
            put(&["Liked"]),
            put(&["Like", "true", "", "", ""]),
        );
        let reading_b = format!(
            "t{}b1{}a{}",
            put(&["tel:+49 30 1"]),
            put(&["", "false", "lbl", "", "♡"]),
            put(&["/in/x", "", "https://www.linkedin.com/in/x"]),
        );
        let batch = format!("{}{}", put(&["c1", &reading_a]), put(&["", &reading_b]));
        let cards: Vec<_> = cards(&batch).collect();
        assert_eq!(
            cards,
            [("c1", reading_a.as_str()), ("", reading_b.as_str())]
        );

        let a = CardFields::parse(cards[0].1);
        assert_eq!(
            a.links,
            [CardLink {
                path: "/searches/s/candidates/c1",
                text: "Ana: \"1\"",
                href: ""
            }]
        );
        assert_eq!(a.mailto, ["mailto:ana@example.com"]);
        assert_eq!(a.status, Some("Liked"));
        assert_eq!(
            a.buttons,
            [CardButton {
                labelledby: false,
                label: "Like",
                pressed: "true"
            }]
        );
        let b = CardFields::parse(cards[1].1);
        assert_eq!(b.tel, ["tel:+49 30 1"]);
        assert!(b.buttons[0].labelledby);
        assert_eq!(b.links[0].href, "https://www.linkedin.com/in/x");
        assert_eq!(b.status, None);
    }

    #[test]
    fn a_malformed_reading_keeps_what_came_before() {
        let reading = format!("m{}q{}", put(&["mailto:a@b.c"]), put(&["x"]));
        let fields = CardFields::parse(&reading);
        assert_eq!(fields.mailto, ["mailto:a@b.c"]);
        assert_eq!(CardFields::parse("a3:ab"), CardFields::default());
        assert_eq!(cards("5:abc").count(), 0);
    }
}
