//! Automation for a card that shows neither an email nor a LinkedIn/GitHub link. Such a
//! candidate cannot be looked up in Ashby by contact details, so before creating them the
//! upload asks Ashby for candidates with the same name:
//!
//! * **no** Ashby candidate has the same name (compared [`normalise_name`]d: case, spacing and
//!   accents ignored) → the upload goes ahead and creates the candidate;
//! * one or more have it → it may be one of them: the upload waits until the profile has been
//!   seen with contact details (then the usual duplicate check decides), and the card says so;
//! * a card without a usable name waits too.
//!
//! When the profile is seen later, the emails and links it shows are added to the Ashby
//! candidate the upload created (never a second candidate).

/// The name as compared: lower case, accents removed, every run of spaces, dots, hyphens and
/// apostrophes one space, trimmed. "José  María-Núñez" and "jose maria nunez" are the same.
pub fn normalise_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in crate::domain::lower_case::lower_case(name).chars() {
        if c.is_whitespace() || matches!(c, '.' | '-' | '\'' | '’' | '‐' | '‑' | ',') {
            space = !out.is_empty();
            continue;
        }
        // Combining marks (a decomposed "é" is "e" + U+0301) and invisible format characters.
        if ('\u{0300}'..='\u{036F}').contains(&c) || crate::fetcher::fields::is_invisible_format(c)
        {
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match unaccented(c) {
            Some(plain) => out.push_str(plain),
            None => out.push(c),
        }
    }
    out
}

/// The unaccented form of the accented Latin letters names use (lower case only: the input is
/// already lower-cased).
fn unaccented(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// What an automatic upload without contact details does, given Ashby's answer to a name
/// search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameOnly {
    /// Nobody in Ashby has this name: create the candidate.
    GoAhead,
    /// `same_name` Ashby candidates have this name (0: the card has no usable name): wait for
    /// the profile's contact details.
    WaitForProfile { same_name: usize },
}

/// Decides from the card's name and the names of the candidates Ashby's name search returned
/// (Ashby's search is fuzzier than ours, so its hits are compared again here).
pub fn decide<'a>(name: &str, ashby_names: impl IntoIterator<Item = &'a str>) -> NameOnly {
    let wanted = normalise_name(name);
    if wanted.is_empty() {
        return NameOnly::WaitForProfile { same_name: 0 };
    }
    let same_name = ashby_names
        .into_iter()
        .filter(|candidate| normalise_name(candidate) == wanted)
        .count();
    if same_name == 0 {
        NameOnly::GoAhead
    } else {
        NameOnly::WaitForProfile { same_name }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_case_spacing_or_accents() {
        // (a, b, same)
        let table = [
            ("Jane Doe", "jane doe", true),
            ("  Jane   Doe ", "Jane Doe", true),
            ("José María Núñez", "Jose Maria Nunez", true),
            ("Jose\u{301} Nun\u{303}ez", "JOSÉ NUÑEZ", true),
            ("Zoë O'Brien-Łukasz", "zoe o brien lukasz", true),
            ("Søren Ærø", "Soren Aero", true),
            ("Straße", "strasse", true),
            ("Jane\u{202E} Doe", "Jane Doe", true),
            ("Jane Doe", "Jane Dow", false),
            ("Jane Doe", "Doe Jane", false),
            ("李小龙", "李小龙", true),
        ];
        for (a, b, same) in table {
            assert_eq!(
                normalise_name(a) == normalise_name(b),
                same,
                "{a:?} vs {b:?}"
            );
        }
    }

    #[test]
    fn a_name_only_upload_goes_ahead_only_when_nobody_in_ashby_has_the_name() {
        // (card name, Ashby's name search hits, decision)
        let table: [(&str, &[&str], NameOnly); 6] = [
            ("Nia Okafor", &[], NameOnly::GoAhead),
            // Ashby's search is fuzzy: near names are not the same name.
            (
                "Nia Okafor",
                &["Nia Okafort", "Okafor Nia"],
                NameOnly::GoAhead,
            ),
            (
                "Nia Okafor",
                &["nia  okafor"],
                NameOnly::WaitForProfile { same_name: 1 },
            ),
            (
                "José Núñez",
                &["Jose Nunez", "JOSÉ NÚÑEZ", "Josef Nunez"],
                NameOnly::WaitForProfile { same_name: 2 },
            ),
            ("", &[], NameOnly::WaitForProfile { same_name: 0 }),
            (" \u{200B} ", &[], NameOnly::WaitForProfile { same_name: 0 }),
        ];
        for (name, hits, decision) in table {
            assert_eq!(
                decide(name, hits.iter().copied()),
                decision,
                "{name:?} {hits:?}"
            );
        }
    }
}
