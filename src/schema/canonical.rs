//! Canonical JSON (RFC 8785, JCS) and the hashes built on it.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// Failure to put a value into canonical form (e.g. a non-finite number).
#[derive(Debug, thiserror::Error)]
#[error("cannot canonicalize JSON: {0}")]
pub struct CanonicalError(String);

impl CanonicalError {
    pub(super) fn new(message: String) -> CanonicalError {
        CanonicalError(message)
    }
}

/// The RFC 8785 canonical bytes of `value`.
pub fn canonical_bytes<T: Serialize>(value: &T) -> Result<Vec<u8>, CanonicalError> {
    serde_json_canonicalizer::to_vec(value).map_err(|e| CanonicalError(e.to_string()))
}

/// Lowercase hex SHA-256 over the RFC 8785 canonical bytes of `value`.
pub fn canonical_sha256<T: Serialize>(value: &T) -> Result<String, CanonicalError> {
    Ok(sha256_hex(&canonical_bytes(value)?))
}

/// Lowercase hex SHA-256 of raw bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    // faster-hex: `hex::encode` goes a char at a time, and collect hashes every record.
    faster_hex::hex_string(&Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn jcs(text: &str) -> String {
        let value: Value = serde_json::from_str(text).unwrap();
        String::from_utf8(canonical_bytes(&value).unwrap()).unwrap()
    }

    /// RFC 8785 section 3.2.2: whitespace, literals, numbers and string escaping.
    #[test]
    fn rfc8785_sample_input() {
        let input = r#"{
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }"#;
        assert_eq!(
            jcs(input),
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );
    }

    /// RFC 8785 section 3.2.3: property sorting by UTF-16 code units.
    #[test]
    fn rfc8785_sorting() {
        let input = r#"{
          "\u20ac": "Euro Sign",
          "\r": "Carriage Return",
          "\ufb33": "Hebrew Letter Dalet With Dagesh",
          "1": "One",
          "\ud83d\ude00": "Emoji: Grinning Face",
          "\u0080": "Control",
          "\u00f6": "Latin Small Letter O With Diaeresis"
        }"#;
        let expected = concat!(
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",",
            "\"\u{f6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20ac}\":\"Euro Sign\",",
            "\"\u{1f600}\":\"Emoji: Grinning Face\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}"
        );
        assert_eq!(jcs(input), expected);
    }

    /// RFC 8785 appendix B: ECMAScript number serialization.
    #[test]
    fn rfc8785_numbers() {
        for (input, expected) in [
            ("0", "0"),
            ("-0", "0"),
            ("5e-324", "5e-324"),
            ("1.7976931348623157e308", "1.7976931348623157e+308"),
            ("9007199254740992", "9007199254740992"),
            ("295147905179352830000", "295147905179352830000"),
            ("1e21", "1e+21"),
            ("1e-7", "1e-7"),
            ("0.000001", "0.000001"),
            ("333333333.3333333", "333333333.3333333"),
        ] {
            assert_eq!(jcs(input), expected, "input {input}");
        }
    }

    #[test]
    fn hash_is_stable_across_key_order_and_whitespace() {
        let a: Value = serde_json::from_str(r#"{"b":[1,2],"a":{"y":true,"x":"s"}}"#).unwrap();
        let b: Value = serde_json::from_str("{ \"a\" : {\"x\":\"s\", \"y\":true},\n \"b\":[1, 2] }").unwrap();
        assert_eq!(canonical_sha256(&a).unwrap(), canonical_sha256(&b).unwrap());
        assert_eq!(canonical_sha256(&a).unwrap().len(), 64);
    }
}
