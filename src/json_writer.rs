//! Typed values → JSON text by hand-written encoders, in place of serde's `Serialize` in the
//! wasm: what the content script sends, and everything the worker writes (its replies, its
//! stored records, Ashby's request bodies).
//!
//! Why: serde's derived `Serialize` impls, instantiated with serde_json's serializer, were
//! the content script's last serde (~9 KB) and ~57 KB of the worker's wasm (measured in
//! BENCHMARKS.md). A hand-written encoder pushes text and cannot fail. These write the same
//! serde forms (every reader is unchanged); the derives stay as their reference, and tests
//! hold each encoder to `serde_json::to_value` of the same value
//! ([`testing::same_as_serde`]).
//!
//! The impls live beside their types, as the `FromJson` decoders do; this module has the
//! writer and the impls for std's types and serde_json's `Value`, and uses nothing else of
//! the crate (every module can depend on it).

/// A value that can be written as JSON.
pub trait WriteJson {
    fn write_json(&self, out: &mut String);

    /// The value as JSON text.
    fn json_text(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }
}

/// A JSON object being written, member by member.
pub struct Object<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> Object<'a> {
    pub fn open(out: &'a mut String) -> Self {
        out.push('{');
        Object { out, empty: true }
    }

    /// An object whose first member is its serde tag (`#[serde(tag = "type")]`).
    pub fn tagged(out: &'a mut String, tag: &str) -> Self {
        let mut object = Object::open(out);
        object.member("type", tag);
        object
    }

    pub fn member<T: WriteJson + ?Sized>(&mut self, name: &str, value: &T) -> &mut Self {
        self.key(name);
        value.write_json(self.out);
        self
    }

    /// A member's name and colon, after a comma if needed. Not inlined: every member of
    /// every type calls it, and one copy is smaller than one per member type.
    #[inline(never)]
    fn key(&mut self, name: &str) {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        name.write_json(self.out);
        self.out.push(':');
    }

    /// A member written only when it is `Some` (serde's `skip_serializing_none`).
    pub fn member_some<T: WriteJson>(&mut self, name: &str, value: &Option<T>) -> &mut Self {
        if let Some(value) = value {
            self.member(name, value);
        }
        self
    }

    /// The members of a value written beside these (serde's `flatten`).
    pub fn members<T: WriteMembers + ?Sized>(&mut self, value: &T) -> &mut Self {
        value.write_members(self);
        self
    }

    pub fn close(self) {
        self.out.push('}');
    }
}

/// A struct's members, so an internally tagged enum or a `flatten` can write them beside
/// other members.
pub trait WriteMembers {
    fn write_members(&self, object: &mut Object);
}

/// An externally tagged enum's variant with data (serde's default form): `{"name": value}`.
pub fn write_variant<T: WriteJson + ?Sized>(name: &str, value: &T, out: &mut String) {
    let mut object = Object::open(out);
    object.member(name, value);
    object.close();
}

/// `value`'s members in an object that starts with its tag (`{"type": tag, …}`).
pub fn write_tagged<T: WriteMembers + ?Sized>(tag: &str, value: &T, out: &mut String) {
    let mut object = Object::tagged(out, tag);
    value.write_members(&mut object);
    object.close();
}

impl WriteJson for str {
    #[inline(never)]
    fn write_json(&self, out: &mut String) {
        out.push('"');
        for c in self.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                c if c < ' ' => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    let code = c as usize;
                    out.push_str("\\u00");
                    out.push(char::from(HEX[code >> 4]));
                    out.push(char::from(HEX[code & 0xf]));
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }
}

impl WriteJson for String {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

impl WriteJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

/// An unsigned integer's decimal digits.
#[inline(never)]
fn write_u64(value: u64, out: &mut String) {
    let mut digits = [0u8; 20];
    let mut rest = value;
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &digit in &digits[start..] {
        out.push(char::from(digit));
    }
}

fn write_i64(value: i64, out: &mut String) {
    if value < 0 {
        out.push('-');
    }
    write_u64(value.unsigned_abs(), out);
}

macro_rules! unsigned {
    ($($ty:ty),+) => {
        $(impl WriteJson for $ty {
            fn write_json(&self, out: &mut String) {
                write_u64(u64::from(*self), out);
            }
        })+
    };
}
unsigned!(u8, u16, u32, u64);

impl WriteJson for usize {
    fn write_json(&self, out: &mut String) {
        write_u64(*self as u64, out);
    }
}

macro_rules! signed {
    ($($ty:ty),+) => {
        $(impl WriteJson for $ty {
            fn write_json(&self, out: &mut String) {
                write_i64(i64::from(*self), out);
            }
        })+
    };
}
signed!(i32, i64);

/// Largest magnitude below which every whole `f64` is exact and serde_json (ryu) writes it
/// as its digits and `.0` (from 1e16 on it writes an exponent).
const WHOLE_DIGITS_BELOW: f64 = 9_007_199_254_740_992.0;

impl WriteJson for f64 {
    /// As serde_json writes it: whole numbers (the worker's times and ids, all from
    /// `Date.now()` or browser ids) as `123.0`, `null` for NaN and infinities. Any other
    /// number gets its shortest round-trip form from the platform (the browser's
    /// `Number.prototype.toString` in wasm, std's `Display` natively), which reads back as
    /// the same `f64` though it may be spelt otherwise than ryu's (`1e-7` / `0.0000001`):
    /// no float formatting is compiled into the wasm for numbers it never writes.
    fn write_json(&self, out: &mut String) {
        let value = *self;
        if !value.is_finite() {
            out.push_str("null");
        } else if value.fract() == 0.0 && value.abs() < WHOLE_DIGITS_BELOW {
            if value.is_sign_negative() {
                out.push('-');
            }
            write_u64(value.abs() as u64, out);
            out.push_str(".0");
        } else {
            out.push_str(&shortest_form(value));
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn shortest_form(value: f64) -> String {
    js_sys::JSON::stringify(&wasm_bindgen::JsValue::from_f64(value))
        .map(String::from)
        .unwrap_or_default()
}

#[cfg(not(target_arch = "wasm32"))]
fn shortest_form(value: f64) -> String {
    value.to_string()
}

impl<T: WriteJson> WriteJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(value) => value.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: WriteJson> WriteJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, value) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            value.write_json(out);
        }
        out.push(']');
    }
}

impl<T: WriteJson> WriteJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<T: WriteJson + ?Sized> WriteJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl<T: WriteJson + ?Sized> WriteJson for Box<T> {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl WriteJson for () {
    fn write_json(&self, out: &mut String) {
        out.push_str("null");
    }
}

impl<A: WriteJson, B: WriteJson> WriteJson for (A, B) {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        self.0.write_json(out);
        out.push(',');
        self.1.write_json(out);
        out.push(']');
    }
}

impl<A: WriteJson, B: WriteJson, C: WriteJson> WriteJson for (A, B, C) {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        self.0.write_json(out);
        out.push(',');
        self.1.write_json(out);
        out.push(',');
        self.2.write_json(out);
        out.push(']');
    }
}

/// `WriteJson` for types written as the text one of their methods gives: a unit variant's
/// name (`name: PageKind, Trigger`), a checked string's text (`as_str: Email`).
#[macro_export]
macro_rules! write_json_as {
    ($method:ident: $($ty:ty),+ $(,)?) => {
        $(impl $crate::json_writer::WriteJson for $ty {
            fn write_json(&self, out: &mut String) {
                $crate::json_writer::WriteJson::write_json(self.$method(), out);
            }
        })+
    };
}

/// serde's form of a `Result` (externally tagged): `{"Ok": value}` or `{"Err": error}`.
impl<T: WriteJson, E: WriteJson> WriteJson for Result<T, E> {
    fn write_json(&self, out: &mut String) {
        match self {
            Ok(value) => write_variant("Ok", value, out),
            Err(error) => write_variant("Err", error, out),
        }
    }
}

/// A map with text keys, as an object in the map's order.
impl<V: WriteJson> WriteJson for std::collections::BTreeMap<String, V> {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        for (key, value) in self {
            object.member(key, value);
        }
        object.close();
    }
}

/// serde_json's `Value` (the worker's storage layer works in it), keys in its order.
impl WriteJson for serde_json::Value {
    fn write_json(&self, out: &mut String) {
        use serde_json::Value;
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(value) => value.write_json(out),
            Value::Number(number) => {
                if let Some(value) = number.as_u64() {
                    write_u64(value, out);
                } else if let Some(value) = number.as_i64() {
                    write_i64(value, out);
                } else {
                    number.as_f64().write_json(out);
                }
            }
            Value::String(text) => text.write_json(out),
            Value::Array(values) => values.write_json(out),
            Value::Object(map) => {
                let mut object = Object::open(out);
                for (key, value) in map {
                    object.member(key, value);
                }
                object.close();
            }
        }
    }
}

#[cfg(test)]
pub mod testing {
    //! Differential checks: a [`WriteJson`] impl against the type's serde `Serialize`.

    use super::WriteJson;
    use serde::Serialize;
    use serde_json::Value;

    /// The text parses, to what serde writes for the same value; and it is exactly
    /// serde_json's text where both write members in declaration order.
    pub fn same_as_serde<T: WriteJson + Serialize + ?Sized>(value: &T) {
        let text = value.json_text();
        let written: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        assert_eq!(written, serde_json::to_value(value).unwrap(), "{text}");
    }

    /// Every character below U+0020, the escapes, and characters beyond ASCII and the BMP.
    pub fn awkward_text() -> String {
        let mut text: String = (0u8..0x20).map(char::from).collect();
        text.push_str("\"\\/ \u{7f} é ← \u{2028}\u{2029} \u{1F600} </script>");
        text
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{awkward_text, same_as_serde};
    use super::*;

    #[test]
    fn text_and_numbers_are_written_as_serde_writes_them() {
        same_as_serde(&awkward_text());
        same_as_serde(&String::new());
        for n in [0u32, 7, 10, 99, 100, 4_294_967_295] {
            same_as_serde(&n);
        }
        for n in [0u64, 9, 10, u64::MAX] {
            same_as_serde(&n);
        }
        for n in [0i64, -1, -10, i64::MIN, i64::MAX] {
            same_as_serde(&n);
        }
        same_as_serde(&usize::MAX);
        same_as_serde(&(u8::MAX, u16::MAX, -7i32));
        same_as_serde(&vec![Some(true), None, Some(false)]);
        same_as_serde(&Vec::<u32>::new());
    }

    #[test]
    fn numbers_read_back_as_the_same_f64() {
        // Whole numbers are serde_json's exact text (`1764000000123.0`).
        for n in [
            0.0,
            -0.0,
            1.0,
            -42.0,
            1_764_000_000_123.0,
            9_007_199_254_740_991.0,
        ] {
            assert_eq!(n.json_text(), serde_json::to_string(&n).unwrap());
        }
        same_as_serde(&1_764_000_000_123.0);
        // Others are the platform's shortest form: the same number, maybe spelt otherwise
        // (read by std's exact parser: serde_json's default one rounds 17-digit numbers).
        for n in [
            0.1,
            -2.5,
            1e-7,
            1.5e300,
            9_007_199_254_740_992.0,
            f64::MIN_POSITIVE,
        ] {
            let read: f64 = n.json_text().parse().unwrap();
            assert_eq!(read.to_bits(), n.to_bits(), "{n}");
        }
        for n in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            same_as_serde(&n);
        }
    }

    #[test]
    fn values_and_maps_are_written_as_serde_writes_them() {
        let value = serde_json::json!({
            "b": [1, -2, 2.5, 1e300, null, true, {"nested": awkward_text()}],
            "a": {},
            "c": [],
            "u": u64::MAX,
            "i": i64::MIN,
        });
        same_as_serde(&value);
        let exact = serde_json::json!({"b": [1, -2, 2.5, null, {"t": awkward_text()}], "a": {}});
        assert_eq!(exact.json_text(), serde_json::to_string(&exact).unwrap());
        let map = std::collections::BTreeMap::from([
            ("z".to_string(), vec![1u32]),
            (awkward_text(), vec![]),
        ]);
        same_as_serde(&map);
        same_as_serde(&(Box::new("x"), ()));
        same_as_serde(&Ok::<_, String>(vec![1u32]));
        same_as_serde(&Err::<u32, _>(awkward_text()));
    }
}
