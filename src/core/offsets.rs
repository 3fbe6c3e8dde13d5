//! Conversions between UTF-16 offsets (the DOM's unit) and code points (the W3C and core unit).

/// The code-point offset of UTF-16 offset `utf16` in `s`. An offset inside a surrogate pair
/// rounds down to the start of that character; past the end clamps to the length.
pub fn utf16_to_code_points(s: &str, utf16: usize) -> usize {
    let mut units = 0usize;
    for (i, c) in s.chars().enumerate() {
        let next = units + c.len_utf16();
        if next > utf16 {
            return i;
        }
        units = next;
    }
    s.chars().count()
}

/// The UTF-16 offset of code-point offset `cp` in `s` (clamped to the length).
pub fn code_points_to_utf16(s: &str, cp: usize) -> usize {
    s.chars().take(cp).map(char::len_utf16).sum()
}

/// The byte index of code-point offset `cp` in `s` (clamped to the length).
pub fn code_points_to_byte(s: &str, cp: usize) -> usize {
    s.char_indices().nth(cp).map_or(s.len(), |(b, _)| b)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn curly_quotes_are_one_unit_and_emoji_two() {
        let s = "“R2P” 🌍 ok";
        assert_eq!(code_points_to_utf16(s, 5), 5);
        assert_eq!(code_points_to_utf16(s, 7), 8);
        assert_eq!(utf16_to_code_points(s, 8), 7);
        // Inside the surrogate pair of 🌍 rounds down to the emoji's start.
        assert_eq!(utf16_to_code_points(s, 7), 6);
        assert_eq!(utf16_to_code_points(s, 999), s.chars().count());
        assert_eq!(code_points_to_byte(s, 1), "“".len());
    }

    proptest! {
        #[test]
        fn round_trip_on_character_boundaries(s in "\\PC{0,40}", cut in 0usize..50) {
            let n = s.chars().count();
            let cp = cut.min(n);
            let u = code_points_to_utf16(&s, cp);
            prop_assert_eq!(utf16_to_code_points(&s, u), cp);
            let prefix: String = s.chars().take(cp).collect();
            prop_assert_eq!(u, prefix.encode_utf16().count());
            prop_assert_eq!(&s[..code_points_to_byte(&s, cp)], prefix.as_str());
        }
    }
}
