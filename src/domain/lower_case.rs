//! Unicode lower case, the one place it is done (names, job titles, link paths).
//!
//! In wasm the browser's `String.prototype.toLowerCase` does it: Rust's `str::to_lowercase`
//! brings its case tables (~16 KB) into every module that calls it, and both follow Unicode's
//! default case mapping (final sigma included). Natively, for the core's tests, Rust's own.
//! Text that is ASCII by construction (emails) uses `to_ascii_lowercase` instead.

/// `text` in lower case.
pub fn lower_case(text: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(text).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.to_lowercase()
    }
}

/// Each of `texts` in lower case, as [`lower_case`] would give it. In wasm all of them cross
/// to JS and back once, joined by NUL (neither cased nor case-ignorable, so the final-sigma
/// rule reads each text as it would alone), not once each: the popup lowers 2,000 job lines
/// when the recruiter first types in a job picker.
pub fn lower_case_each(texts: Vec<String>) -> Vec<String> {
    #[cfg(target_arch = "wasm32")]
    {
        if texts.len() > 1 && !texts.iter().any(|text| text.contains('\0')) {
            let lowered = js_sys::JsString::from(texts.join("\0")).to_lower_case();
            #[cfg(any(feature = "popup", feature = "send"))]
            let lowered = crate::browser::long_text::long_string(&lowered).unwrap_or_default();
            #[cfg(not(any(feature = "popup", feature = "send")))]
            let lowered = String::from(lowered);
            let parts: Vec<String> = lowered.split('\0').map(String::from).collect();
            if parts.len() == texts.len() {
                return parts;
            }
        }
    }
    texts.iter().map(|text| lower_case(text)).collect()
}

#[cfg(test)]
mod tests {
    use super::{lower_case, lower_case_each};

    #[test]
    fn lowers_each_text_apart() {
        let texts = ["ΟΔΥΣΣΕΑΣ", "Σ", "", "ÅSA-KARIN Σ", "a\0B"]
            .map(String::from)
            .to_vec();
        let expected: Vec<String> = texts.iter().map(|t| lower_case(t)).collect();
        assert_eq!(lower_case_each(texts), expected);
    }

    #[test]
    fn lowers_beyond_ascii_with_final_sigma() {
        assert_eq!(lower_case("JÜRGEN Müller"), "jürgen müller");
        assert_eq!(lower_case("ΟΔΥΣΣΕΑΣ"), "οδυσσεας");
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::{lower_case, lower_case_each};
    use wasm_bindgen_test::wasm_bindgen_test;

    /// The browser's mapping is the one the extension runs with: it must agree with Rust's.
    #[wasm_bindgen_test]
    fn the_browser_lowers_as_rust_does() {
        for text in [
            "JÜRGEN Müller",
            "ΟΔΥΣΣΕΑΣ",
            "İstanbul",
            "ǅemal",
            "ÅSA-KARIN",
        ] {
            assert_eq!(lower_case(text), text.to_lowercase(), "{text}");
        }
    }

    /// Lowered together, each text is lowered as it is alone (final sigma at either end of
    /// a text included), and a text holding the separator still comes back whole.
    #[wasm_bindgen_test]
    fn lowering_together_is_lowering_each() {
        let joined = ["ΟΔΥΣΣΕΑΣ", "Σ", "", "ΣΑΣ Ö", "İstanbul", "ǅemal"].map(String::from);
        let expected: Vec<String> = joined.iter().map(|t| t.to_lowercase()).collect();
        assert_eq!(lower_case_each(joined.to_vec()), expected);
        let with_nul = ["A\0Σ", "B"].map(String::from);
        assert_eq!(lower_case_each(with_nul.to_vec()), ["a\0σ", "b"]);
    }
}
