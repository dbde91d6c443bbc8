//! Long JS strings into Rust: encoded by the browser and copied in at once. The glue's own
//! conversion walks a string character by character in JS, cold as a page opens: about 5 ms
//! for the popup's 1,800-job cache, and again for its job lines lowered together.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The browser's `TextEncoder`, taking a JS string as it is.
    #[wasm_bindgen(js_name = TextEncoder)]
    type Utf8Encoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder")]
    fn new() -> Utf8Encoder;
    #[wasm_bindgen(method, js_class = "TextEncoder")]
    fn encode(this: &Utf8Encoder, text: &JsValue) -> js_sys::Uint8Array;
}

/// `value` as a Rust `String`; `None` when it is not a string.
pub fn long_string(value: &JsValue) -> Option<String> {
    if !value.is_string() {
        return None;
    }
    String::from_utf8(Utf8Encoder::new().encode(value).to_vec()).ok()
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_long_string_reads_whole_whatever_its_characters() {
        let text = format!("{}Zoë – 東京 🚀{}", "a".repeat(100_000), "z".repeat(10));
        assert_eq!(long_string(&JsValue::from_str(&text)), Some(text));
        assert_eq!(long_string(&JsValue::from_str("")), Some(String::new()));
        assert_eq!(long_string(&JsValue::from_f64(7.0)), None);
        assert_eq!(long_string(&JsValue::UNDEFINED), None);
    }
}
