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

#[cfg(test)]
mod tests {
    use super::lower_case;

    #[test]
    fn lowers_beyond_ascii_with_final_sigma() {
        assert_eq!(lower_case("JÜRGEN Müller"), "jürgen müller");
        assert_eq!(lower_case("ΟΔΥΣΣΕΑΣ"), "οδυσσεας");
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::lower_case;
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
}
