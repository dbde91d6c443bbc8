//! Standard base64 (RFC 4648, with padding), only what HTTP Basic auth needs. Hand-written so
//! the pure core stays free of extra crates.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Encodes bytes as standard base64 with `=` padding.
pub fn encode(input: &[u8]) -> String {
    let mut output = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b0 = chunk[0];
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let sextets = [
            b0 >> 2,
            ((b0 & 0b11) << 4) | (b1 >> 4),
            ((b1 & 0b1111) << 2) | (b2 >> 6),
            b2 & 0b11_1111,
        ];
        // A chunk of n bytes yields n + 1 significant characters; the rest is padding.
        for (index, sextet) in sextets.iter().enumerate() {
            if index <= chunk.len() {
                output.push(char::from(ALPHABET[usize::from(*sextet)]));
            } else {
                output.push('=');
            }
        }
    }
    output
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn rfc4648_test_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(encode(plain.as_bytes()), encoded, "input {plain:?}");
        }
    }

    #[test]
    fn basic_auth_credentials_with_trailing_colon() {
        assert_eq!(encode(b"abc123:"), "YWJjMTIzOg==");
        assert_eq!(
            encode(b"Aladdin:open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }

    #[test]
    fn uses_plus_and_slash_for_the_last_two_symbols() {
        assert_eq!(encode(&[0xfb, 0xff]), "+/8=");
    }
}
