//! The project's Ashby contract (`tests/contract/ashby.json`, distilled from Ashby's published
//! OpenAPI description) as code: a checker for requests and responses, and a seeded generator
//! of every response shape the contract allows. The client's decoding, the client's requests
//! and the sandbox's answers are all held to it.

use serde_json::{json, Map, Value};

/// The contract data, compiled in so the sandbox binary needs no file at run time.
pub const CONTRACT_JSON: &str = include_str!("../../contract/ashby.json");

/// The parsed contract.
#[derive(Debug, Clone)]
pub struct Contract {
    doc: Value,
}

/// How strictly [`Contract::check`] reads a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// What a client may send: only listed properties, only listed enum values, no nulls.
    Request,
    /// What Ashby may answer: required properties present and not null, no property the
    /// contract does not list (the sandbox must not invent fields a client could come to
    /// depend on), enum values from the list.
    SandboxResponse,
}

impl Default for Contract {
    fn default() -> Self {
        Self::load()
    }
}

impl Contract {
    pub fn load() -> Self {
        Self {
            doc: serde_json::from_str(CONTRACT_JSON).expect("tests/contract/ashby.json is JSON"),
        }
    }

    /// Every endpoint in the contract.
    pub fn endpoints(&self) -> Vec<String> {
        self.doc["endpoints"]
            .as_object()
            .map(|endpoints| endpoints.keys().cloned().collect())
            .unwrap_or_default()
    }

    pub fn endpoint(&self, name: &str) -> Option<&Value> {
        self.doc["endpoints"].get(name)
    }

    pub fn request_schema(&self, endpoint: &str) -> Option<&Value> {
        self.endpoint(endpoint).map(|e| &e["request"])
    }

    pub fn results_schema(&self, endpoint: &str) -> Option<&Value> {
        self.endpoint(endpoint).map(|e| &e["results"])
    }

    /// `none`, `flag` or `cursor+sync`.
    pub fn pagination(&self, endpoint: &str) -> &str {
        self.endpoint(endpoint)
            .and_then(|e| e["pagination"].as_str())
            .unwrap_or("none")
    }

    pub fn documented_error_codes(&self) -> Vec<String> {
        self.doc["envelope"]["documentedErrorCodes"]
            .as_array()
            .map(|codes| {
                codes
                    .iter()
                    .filter_map(|c| c.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn shape(&self, name: &str) -> &Value {
        &self.doc["shapes"][name]
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema.get("ref").and_then(Value::as_str) {
            Some(name) => self.resolve(self.shape(name)),
            None => schema,
        }
    }

    /// Checks a request body sent to `endpoint`; `Err` names the first violation by path.
    pub fn check_request(&self, endpoint: &str, body: &Value) -> Result<(), String> {
        let schema = self
            .request_schema(endpoint)
            .ok_or_else(|| format!("{endpoint} is not in the contract"))?;
        self.check(schema, body, Reading::Request, "request")
    }

    /// Checks a `results` value answered by `endpoint`.
    pub fn check_results(&self, endpoint: &str, results: &Value) -> Result<(), String> {
        let schema = self
            .results_schema(endpoint)
            .ok_or_else(|| format!("{endpoint} is not in the contract"))?;
        self.check(schema, results, Reading::SandboxResponse, "results")
    }

    pub fn check(
        &self,
        schema: &Value,
        value: &Value,
        reading: Reading,
        path: &str,
    ) -> Result<(), String> {
        let schema = self.resolve(schema);
        if let Some(alternatives) = schema.get("oneOf").and_then(Value::as_array) {
            let mut failures = Vec::new();
            for alternative in alternatives {
                match self.check(alternative, value, reading, path) {
                    Ok(()) => return Ok(()),
                    Err(failure) => failures.push(failure),
                }
            }
            return Err(format!(
                "{path}: matches no alternative ({})",
                failures.join("; ")
            ));
        }
        let kind = schema.get("type").and_then(Value::as_str).unwrap_or("any");
        let fail = |what: &str| Err(format!("{path}: expected {what}, got {value}"));
        match kind {
            "any" => Ok(()),
            "null" if value.is_null() => Ok(()),
            "boolean" if value.is_boolean() => Ok(()),
            "number" if value.is_number() => self.check_range(schema, value, path),
            "integer" if value.is_i64() || value.is_u64() => self.check_range(schema, value, path),
            "string" => {
                let Some(text) = value.as_str() else {
                    return fail("a string");
                };
                if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
                    if !allowed.iter().any(|a| a.as_str() == Some(text)) {
                        return Err(format!("{path}: {text:?} is not one of {allowed:?}"));
                    }
                }
                match schema.get("format").and_then(Value::as_str) {
                    Some("date-time") if reading == Reading::SandboxResponse => {
                        if looks_like_date_time(text) {
                            Ok(())
                        } else {
                            Err(format!("{path}: {text:?} is not a date-time"))
                        }
                    }
                    _ => Ok(()),
                }
            }
            "array" => {
                let Some(items) = value.as_array() else {
                    return fail("an array");
                };
                for (index, item) in items.iter().enumerate() {
                    self.check(&schema["items"], item, reading, &format!("{path}[{index}]"))?;
                }
                Ok(())
            }
            "object" => {
                let Some(object) = value.as_object() else {
                    return fail("an object");
                };
                self.check_object(schema, object, reading, path)
            }
            other => fail(other),
        }
    }

    fn check_range(&self, schema: &Value, value: &Value, path: &str) -> Result<(), String> {
        let number = value.as_f64().unwrap_or_default();
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
            if number < min {
                return Err(format!("{path}: {number} is below {min}"));
            }
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
            if number > max {
                return Err(format!("{path}: {number} is above {max}"));
            }
        }
        Ok(())
    }

    fn check_object(
        &self,
        schema: &Value,
        object: &Map<String, Value>,
        reading: Reading,
        path: &str,
    ) -> Result<(), String> {
        let empty = Map::new();
        let properties = schema["properties"].as_object().unwrap_or(&empty);
        for name in required(schema) {
            match object.get(name) {
                None => return Err(format!("{path}: required `{name}` is missing")),
                Some(Value::Null) if !allows_null(self.resolve(&properties[name])) => {
                    return Err(format!("{path}: required `{name}` is null"))
                }
                _ => {}
            }
        }
        for (name, value) in object {
            let Some(property) = properties.get(name) else {
                return Err(format!(
                    "{path}: `{name}` is not in the contract (it lists {:?})",
                    properties.keys().collect::<Vec<_>>()
                ));
            };
            if value.is_null() {
                if reading == Reading::Request && !allows_null(self.resolve(property)) {
                    return Err(format!("{path}.{name}: null sent"));
                }
                continue;
            }
            self.check(property, value, reading, &format!("{path}.{name}"))?;
        }
        Ok(())
    }

    /// A value of `schema` as Ashby might send it: every `oneOf` branch, optional properties
    /// absent, `null` or present, properties the contract does not know, enum values it does
    /// not list, all chosen by `rng`.
    pub fn generate(&self, schema: &Value, rng: &mut Rng) -> Value {
        self.generate_at(schema, rng, 0)
    }

    fn generate_at(&self, schema: &Value, rng: &mut Rng, depth: usize) -> Value {
        let schema = self.resolve(schema);
        if let Some(alternatives) = schema.get("oneOf").and_then(Value::as_array) {
            let pick = rng.below(alternatives.len());
            return self.generate_at(&alternatives[pick], rng, depth + 1);
        }
        match schema.get("type").and_then(Value::as_str).unwrap_or("any") {
            "null" => Value::Null,
            "boolean" => json!(rng.chance(2)),
            "integer" => json!(rng.below(1_000)),
            "number" => {
                if rng.chance(2) {
                    json!(rng.below(1_000_000))
                } else {
                    json!(rng.below(100_000) as f64 / 7.0)
                }
            }
            "string" => self.generate_string(schema, rng),
            "array" => {
                let count = if depth > 6 { 0 } else { rng.below(4) };
                Value::Array(
                    (0..count)
                        .map(|_| self.generate_at(&schema["items"], rng, depth + 1))
                        .collect(),
                )
            }
            "object" => self.generate_object(schema, rng, depth),
            _ => random_json(rng, 2),
        }
    }

    fn generate_string(&self, schema: &Value, rng: &mut Rng) -> Value {
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
            if !allowed.is_empty() && !rng.chance(6) {
                return allowed[rng.below(allowed.len())].clone();
            }
            return json!(format!("FutureValue{}", rng.below(100)));
        }
        match schema.get("format").and_then(Value::as_str) {
            Some("uuid") => json!(rng.uuid()),
            Some("date-time") => json!(format!(
                "20{:02}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                20 + rng.below(10),
                1 + rng.below(12),
                1 + rng.below(28),
                rng.below(24),
                rng.below(60),
                rng.below(60),
                rng.below(1000)
            )),
            _ => json!(rng.text()),
        }
    }

    fn generate_object(&self, schema: &Value, rng: &mut Rng, depth: usize) -> Value {
        let mut object = Map::new();
        let required: Vec<&str> = required(schema).collect();
        if let Some(properties) = schema["properties"].as_object() {
            for (name, property) in properties {
                let value = if required.contains(&name.as_str()) {
                    self.generate_at(property, rng, depth + 1)
                } else if depth > 6 {
                    continue;
                } else {
                    match rng.below(3) {
                        0 => continue,
                        1 => Value::Null,
                        _ => self.generate_at(property, rng, depth + 1),
                    }
                };
                object.insert(name.clone(), value);
            }
        }
        if rng.chance(4) {
            object.insert(
                format!("fieldAddedLater{}", rng.below(10)),
                random_json(rng, 2),
            );
        }
        Value::Object(object)
    }
}

fn required(schema: &Value) -> impl Iterator<Item = &str> {
    schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

fn allows_null(schema: &Value) -> bool {
    match schema.get("oneOf").and_then(Value::as_array) {
        Some(alternatives) => alternatives.iter().any(|a| a["type"] == "null"),
        None => schema["type"] == "null" || schema["type"] == "any",
    }
}

/// `2026-01-05T09:00:00Z`, with optional fractions and offset.
fn looks_like_date_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 20
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes[10] == b'T'
        && bytes[13] == b':'
        && (text.ends_with('Z') || text[19..].contains('+') || text[19..].contains('-'))
}

fn random_json(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth == 0 { 4 } else { 6 }) {
        0 => Value::Null,
        1 => json!(rng.chance(2)),
        2 => json!(rng.below(10_000)),
        3 => json!(rng.text()),
        4 => Value::Array(
            (0..rng.below(3))
                .map(|_| random_json(rng, depth - 1))
                .collect(),
        ),
        _ => {
            let mut object = Map::new();
            for _ in 0..rng.below(3) {
                object.insert(rng.text(), random_json(rng, depth - 1));
            }
            Value::Object(object)
        }
    }
}

/// A small seeded generator (xorshift64*): runs are reproducible from the seed a failure
/// prints.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True one time in `n`.
    pub fn chance(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            b >> 52,
            b & 0xffff_ffff_ffff
        )
    }

    /// Short text, sometimes empty, sometimes beyond ASCII.
    pub fn text(&mut self) -> String {
        const WORDS: [&str; 10] = [
            "",
            "Berlin",
            "Zoë",
            "渋谷",
            "Senior",
            "x",
            "O'Brien",
            "a_b",
            "ENG-7",
            "  spaced  ",
        ];
        WORDS[self.below(WORDS.len())].to_owned()
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_values_pass_the_response_reading_of_their_own_schema() {
        let contract = Contract::load();
        let mut rng = Rng::new(7);
        for endpoint in contract.endpoints() {
            let schema = contract.results_schema(&endpoint).unwrap().clone();
            for _ in 0..20 {
                let value = contract.generate(&schema, &mut rng);
                // Generated values add unknown fields and enum values on purpose, so only the
                // structure is compared here: required properties are always there.
                if let Some(object) = value.as_object() {
                    for name in required(contract.resolve(&schema)) {
                        assert!(object.contains_key(name), "{endpoint}: {name}");
                    }
                }
            }
        }
    }

    #[test]
    fn requests_with_unknown_or_mistyped_fields_fail() {
        let contract = Contract::load();
        assert!(contract
            .check_request("candidate.search", &json!({"email": "a@b.c"}))
            .is_ok());
        assert!(contract
            .check_request("candidate.search", &json!({"emailAddress": "a@b.c"}))
            .is_err());
        assert!(contract
            .check_request(
                "candidate.update",
                &json!({"candidateId": "c", "website": "x"})
            )
            .is_err());
        assert!(contract
            .check_request("department.list", &json!({"limit": 101}))
            .is_err());
        assert!(contract.check_request("user.search", &json!({})).is_err());
    }
}
