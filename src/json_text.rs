//! A small, strict JSON reader: what every surface decodes every value with (through
//! [`crate::from_json`]): the pages their messages and the job cache (`cache/jobs`, 1,800 jobs
//! and more, which the popup needs before it can list jobs), the worker Ashby's answers and its
//! stored values.
//!
//! Why not serde: serde-wasm-bindgen crosses into JS once per field (about 70 ms for that
//! cache on a 2-core machine), and serde's derived decoders and error text were a fifth of a
//! page's wasm; serde_json would add a second encoder too. This reads the text after one
//! crossing, in wasm. (In the worker it replaced serde_json's parser: −17 KB.)
//!
//! It accepts exactly RFC 8259 JSON (what serde_json writes and `JSON.parse` accepts, less
//! lone surrogate escapes, which serde_json never writes); anything else reads as `None`.
//! Numbers are read exactly in wasm when that needs no big-number arithmetic (up to 15
//! significant digits, powers of ten up to 22 either way: stored times in ms and counts);
//! any other number goes to JavaScript's `parseFloat`, which rounds correctly. (Rust's general
//! float parser would bring about 15 KB of tables into every wasm.) A number beyond `f64`'s
//! range reads as `None`.

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    /// Members in their order in the text.
    Object(Vec<(String, Json)>),
}

/// Deeper nesting than this is refused (stored data nests a few levels; the limit keeps a
/// corrupted value from exhausting the stack).
const MAX_DEPTH: usize = 64;

impl Json {
    /// The same value, from serde's form (numbers as `f64`, as JavaScript holds them). Not
    /// inlined: every stored type's decoding calls it.
    #[inline(never)]
    pub fn from_value(value: &serde_json::Value) -> Json {
        use serde_json::Value;
        match value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Number(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => Json::String(s.clone()),
            Value::Array(items) => Json::Array(items.iter().map(Json::from_value).collect()),
            Value::Object(members) => Json::Object(
                members
                    .iter()
                    .map(|(name, value)| (name.clone(), Json::from_value(value)))
                    .collect(),
            ),
        }
    }

    /// The same value in serde's form, as serde_json reads JSON text that JavaScript wrote: a
    /// whole number within 64 bits as an integer (exact: such an `f64` is a whole integer),
    /// any other as a float.
    pub fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => number_value(*n),
            Json::String(s) => Value::String(s.clone()),
            Json::Array(items) => Value::Array(items.iter().map(Json::to_value).collect()),
            Json::Object(members) => {
                // Inserted, not collected: collecting sorts, and each sort is code of its own.
                // A repeated name keeps its last value, as serde_json's reading does.
                let mut object = serde_json::Map::new();
                for (name, value) in members {
                    object.insert(name.clone(), value.to_value());
                }
                Value::Object(object)
            }
        }
    }

    /// The value `text` holds (surrounding whitespace allowed), or `None` when it is not JSON.
    pub fn parse(text: &str) -> Option<Json> {
        let mut reader = Reader {
            text,
            bytes: text.as_bytes(),
            at: 0,
        };
        let value = reader.value(0)?;
        reader.skip_whitespace();
        (reader.at == reader.bytes.len()).then_some(value)
    }

    /// An object's member (the last, if the name repeats); `None` for a non-object.
    pub fn get(&self, name: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().rev().find(|(n, _)| n == name).map(|m| &m.1),
            _ => None,
        }
    }

    /// [`Json::get`], taking the member out whole rather than copying it.
    pub fn take(self, name: &str) -> Option<Json> {
        match self {
            Json::Object(members) => members
                .into_iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|m| m.1),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Number(number) => Some(*number),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Object(members) => Some(members),
            _ => None,
        }
    }
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn number_value(n: f64) -> serde_json::Value {
    // 2^63 and 2^64: bounds of i64 and u64 that an f64 holds exactly.
    const I64_END: f64 = 9_223_372_036_854_775_808.0;
    const U64_END: f64 = 18_446_744_073_709_551_616.0;
    if n.fract() == 0.0 && (-I64_END..I64_END).contains(&n) {
        serde_json::Value::from(n as i64)
    } else if n.fract() == 0.0 && (0.0..U64_END).contains(&n) {
        serde_json::Value::from(n as u64)
    } else {
        serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Consumes `word` if the text continues with it.
    fn eat(&mut self, word: &str) -> bool {
        let found = self.bytes[self.at..].starts_with(word.as_bytes());
        if found {
            self.at += word.len();
        }
        found
    }

    fn value(&mut self, depth: usize) -> Option<Json> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_whitespace();
        match self.peek()? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => self.string().map(Json::String),
            b't' => self.eat("true").then_some(Json::Bool(true)),
            b'f' => self.eat("false").then_some(Json::Bool(false)),
            b'n' => self.eat("null").then_some(Json::Null),
            b'-' | b'0'..=b'9' => self.number().map(Json::Number),
            _ => None,
        }
    }

    fn array(&mut self, depth: usize) -> Option<Json> {
        let mut items = Vec::new();
        self.list("]", |reader| {
            items.push(reader.value(depth + 1)?);
            Some(())
        })?;
        Some(Json::Array(items))
    }

    fn object(&mut self, depth: usize) -> Option<Json> {
        let mut members = Vec::new();
        self.list("}", |reader| {
            reader.skip_whitespace();
            if reader.peek()? != b'"' {
                return None;
            }
            let name = reader.string()?;
            reader.skip_whitespace();
            if !reader.eat(":") {
                return None;
            }
            members.push((name, reader.value(depth + 1)?));
            Some(())
        })?;
        Some(Json::Object(members))
    }

    /// The comma-separated entries of an array or object, from its opening bracket to
    /// `close`; `entry` reads one.
    fn list(&mut self, close: &str, mut entry: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.at += 1;
        self.skip_whitespace();
        if self.eat(close) {
            return Some(());
        }
        loop {
            entry(self)?;
            self.skip_whitespace();
            if self.eat(close) {
                return Some(());
            }
            if !self.eat(",") {
                return None;
            }
        }
    }

    /// A string, from its opening quote.
    fn string(&mut self) -> Option<String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            // Plain text up to the next quote, escape or control character: copied whole.
            // The text is valid UTF-8 and these stops are ASCII, so each run is whole chars.
            let run = self.bytes[self.at..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
            out.push_str(self.text.get(self.at..self.at + run)?);
            self.at += run;
            match self.bytes[self.at] {
                b'"' => {
                    self.at += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.at += 1;
                    out.push(self.escape()?);
                }
                _ => return None,
            }
        }
    }

    /// The character an escape stands for, from the byte after its backslash.
    fn escape(&mut self) -> Option<char> {
        let byte = self.peek()?;
        self.at += 1;
        Some(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                match unit {
                    0xD800..=0xDBFF => {
                        // A high surrogate: its low half must follow as the next escape.
                        if !self.eat("\\u") {
                            return None;
                        }
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return None;
                        }
                        char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?
                    }
                    _ => char::from_u32(unit)?,
                }
            }
            _ => return None,
        })
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.at..self.at + 4)?;
        let mut unit = 0;
        for &digit in digits {
            unit = unit * 16 + char::from(digit).to_digit(16)?;
        }
        self.at += 4;
        Some(unit)
    }

    /// A number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, read as its
    /// significant digits and a power of ten.
    fn number(&mut self) -> Option<f64> {
        let start = self.at;
        let negative = self.eat("-");
        let mut digits = Digits::default();
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(|digit| digits.push(digit, 0)),
            _ => return None,
        }
        if self.eat(".") {
            let start = self.at;
            self.digits(|digit| digits.push(digit, -1));
            if self.at == start {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            let sign = if self.eat("-") {
                -1
            } else {
                self.eat("+");
                1
            };
            let start = self.at;
            let mut exponent: i32 = 0;
            self.digits(|digit| exponent = exponent.saturating_mul(10).saturating_add(digit));
            if self.at == start {
                return None;
            }
            digits.exponent = digits.exponent.saturating_add(sign * exponent);
        }
        match digits.exact() {
            Some(value) => Some(if negative { -value } else { value }),
            None => correctly_rounded(self.text.get(start..self.at)?),
        }
    }

    /// Consumes digits, giving each to `each`.
    fn digits(&mut self, mut each: impl FnMut(i32)) {
        while let Some(digit @ b'0'..=b'9') = self.peek() {
            each(i32::from(digit - b'0'));
            self.at += 1;
        }
    }
}

/// A number the exact path cannot read (valid JSON number text), by the platform's correctly
/// rounded parser: JavaScript's in wasm (Rust's would bring its tables), Rust's natively. Out
/// of `f64`'s range (`1e400`) is refused, as serde_json refuses it.
fn correctly_rounded(text: &str) -> Option<f64> {
    #[cfg(target_arch = "wasm32")]
    let value = js_sys::Number::parse_float(text);
    #[cfg(not(target_arch = "wasm32"))]
    let value: f64 = text.parse().ok()?;
    value.is_finite().then_some(value)
}

/// A number's significant digits and power of ten, as read.
#[derive(Default)]
struct Digits {
    significand: u64,
    /// Significant digits so far (leading zeros are not).
    count: u32,
    /// Zeros read after the last non-zero digit, not yet in `significand`.
    zeros: u32,
    exponent: i32,
    /// More digits than fit exactly.
    too_long: bool,
}

impl Digits {
    /// One digit; `shift` is -1 for a digit after the point (it moves the power down).
    fn push(&mut self, digit: i32, shift: i32) {
        self.exponent = self.exponent.saturating_add(shift);
        if digit == 0 {
            // Held back: trailing zeros (`1.50`, `1200`) need no significand digits.
            self.zeros += 1;
            return;
        }
        for _ in 0..self.zeros {
            self.append(0);
        }
        self.zeros = 0;
        self.append(digit);
    }

    fn append(&mut self, digit: i32) {
        if self.count == 0 && digit == 0 {
            return;
        }
        self.count += 1;
        if self.count > 15 {
            self.too_long = true;
            return;
        }
        self.significand = self.significand * 10 + digit.unsigned_abs() as u64;
    }

    /// The value when exactly convertible: at most 15 significant digits (below 2^53) and
    /// a power of ten within 10^±22 (exact in `f64`), so one multiplication or division
    /// rounds correctly.
    fn exact(&self) -> Option<f64> {
        if self.too_long {
            return None;
        }
        if self.significand == 0 {
            return Some(0.0);
        }
        // The held-back zeros belong to the integer part's value.
        let exponent = self
            .exponent
            .saturating_add(i32::try_from(self.zeros).ok()?);
        if !(-22..=22).contains(&exponent) {
            return None;
        }
        let power = (0..exponent.unsigned_abs()).fold(1.0_f64, |p, _| p * 10.0);
        let significand = self.significand as f64;
        Some(if exponent < 0 {
            significand / power
        } else {
            significand * power
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// serde_json's reading of `text`, in this module's terms (or `None` where it refuses).
    fn serde_reading(text: &str) -> Option<Json> {
        fn convert(value: serde_json::Value) -> Json {
            match value {
                serde_json::Value::Null => Json::Null,
                serde_json::Value::Bool(b) => Json::Bool(b),
                serde_json::Value::Number(n) => Json::Number(n.as_f64().unwrap()),
                serde_json::Value::String(s) => Json::String(s),
                serde_json::Value::Array(items) => {
                    Json::Array(items.into_iter().map(convert).collect())
                }
                serde_json::Value::Object(members) => {
                    Json::Object(members.into_iter().map(|(k, v)| (k, convert(v))).collect())
                }
            }
        }
        serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .map(convert)
    }

    #[test]
    fn reads_what_serde_json_reads_and_refuses_what_it_refuses() {
        for text in [
            "null",
            " true ",
            "false",
            "0",
            "-0",
            "12",
            "-3.25",
            "1e3",
            "2.5E-2",
            "1E+2",
            "1700000000000",
            r#""""#,
            r#""plain""#,
            r#""quote \" backslash \\ slash \/ controls \b\f\n\r\t""#,
            r#""\u00e9 \u20AC \ud83d\ude00 é €😀""#,
            "[]",
            "[1, [2, [3]], {}]",
            r#"{"a": 1, "b": [true, null], "c": {"d": "e"}}"#,
            "\t\r\n{ \"spaced\" : [ 1 , 2 ] }\n",
            // Refused by both.
            "",
            " ",
            "nul",
            "True",
            "01",
            "1.",
            ".5",
            "-",
            "+1",
            "1e",
            "0x10",
            "NaN",
            "[1,]",
            "[1 2]",
            "{\"a\" 1}",
            "{\"a\":1,}",
            "{a:1}",
            "{1:1}",
            "\"unterminated",
            "\"tab\there\"",
            r#""\x41""#,
            r#""\u12""#,
            r#""\ud83d""#,
            r#""\ud83d\u0041""#,
            r#""\ude00""#,
            "[1] [2]",
            "{}}",
        ] {
            assert_eq!(Json::parse(text), serde_reading(text), "{text:?}");
        }
    }

    #[test]
    fn numbers_read_correctly_rounded() {
        numbers_read_as_they_should();
    }

    /// The same cases through JavaScript's parser (the slow path in wasm).
    #[cfg(target_arch = "wasm32")]
    #[wasm_bindgen_test::wasm_bindgen_test]
    fn numbers_read_correctly_rounded_in_wasm() {
        numbers_read_as_they_should();
    }

    fn numbers_read_as_they_should() {
        for (text, value) in [
            ("1700000000123.0", 1_700_000_000_123.0),
            ("0.1", 0.1),
            ("-2.50", -2.5),
            ("1200", 1200.0),
            ("0.000", 0.0),
            ("0e999", 0.0),
            ("123456789012345", 123_456_789_012_345.0),
            ("1e22", 1e22),
            ("1.5e-20", 1.5e-20),
            ("000", f64::NAN),
        ] {
            if value.is_nan() {
                assert_eq!(Json::parse(text), None, "{text}");
            } else {
                assert_eq!(Json::parse(text), Some(Json::Number(value)), "{text}");
            }
        }
        // Beyond the exact path: the platform's correctly rounded reading (an Ashby answer or
        // a stored `0.1 + 0.2` must not make a whole value unreadable).
        for (text, value) in [
            ("1234567890123456", 1_234_567_890_123_456.0),
            ("-1234567890123456789", -1_234_567_890_123_456_789.0),
            ("1e23", 1e23),
            ("1e-23", 1e-23),
            ("0.30000000000000004", 0.1 + 0.2),
            ("0.1234567890123456", 0.123_456_789_012_345_6),
            ("1e-400", 0.0),
        ] {
            assert_eq!(Json::parse(text), Some(Json::Number(value)), "{text}");
        }
        // Out of range: refused, as serde_json refuses it.
        for text in ["1e400", "-1e400"] {
            assert_eq!(Json::parse(text), None, "{text}");
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(Json::parse(&deep(MAX_DEPTH)).is_some());
        assert_eq!(Json::parse(&deep(MAX_DEPTH + 2)), None);
        assert_eq!(Json::parse(&"[".repeat(100_000)), None, "no stack overflow");
    }

    #[test]
    fn members_are_found_by_name() {
        let json = Json::parse(r#"{"id": "j1", "n": 2, "id": "j2", "list": [1]}"#).unwrap();
        assert_eq!(
            json.get("id").and_then(Json::as_str),
            Some("j2"),
            "the last wins"
        );
        assert_eq!(json.get("n").and_then(Json::as_f64), Some(2.0));
        assert_eq!(
            json.get("list").and_then(Json::as_array).map(<[Json]>::len),
            Some(1)
        );
        assert_eq!(json.get("missing"), None);
        assert_eq!(Json::Null.get("id"), None);
        assert_eq!(json.as_object().map(<[(String, Json)]>::len), Some(4));
    }
}
