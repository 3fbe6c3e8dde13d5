//! Conversions between UTF-16 offsets (the DOM's unit) and code points (the W3C and core unit),
//! and finding which of a run of elements in text order holds a code point.

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

/// The UTF-16 offset of each code point of `text`, and of its end (one more entry than code
/// points): how the painters place code-point spans in DOM text.
pub fn utf16_starts(text: &str) -> Vec<usize> {
    let mut units = Vec::with_capacity(text.len() + 1);
    let mut u = 0;
    for c in text.chars() {
        units.push(u);
        u += c.len_utf16();
    }
    units.push(u);
    units
}

/// The UTF-16 offset of code-point offset `cp` in `s` (clamped to the length).
pub fn code_points_to_utf16(s: &str, cp: usize) -> usize {
    s.chars().take(cp).map(char::len_utf16).sum()
}

/// The byte index of code-point offset `cp` in `s` (clamped to the length).
pub fn code_points_to_byte(s: &str, cp: usize) -> usize {
    s.char_indices().nth(cp).map_or(s.len(), |(b, _)| b)
}

/// Of `len` things in text order, the `start(i)` of each ascending (blocks, runs), the last one
/// starting at or before code point `offset`: a binary search, so that a page of thousands of
/// blocks is searched in a dozen attribute reads.
pub fn last_at_or_before(
    len: usize,
    start: impl Fn(usize) -> usize,
    offset: usize,
) -> Option<usize> {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if start(mid) <= offset {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo.checked_sub(1)
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

    #[test]
    fn the_block_holding_an_offset_is_the_last_starting_at_or_before_it() {
        let starts = [0, 40, 41, 300];
        let at = |o| last_at_or_before(starts.len(), |i| starts[i], o);
        assert_eq!(at(0), Some(0));
        assert_eq!(at(39), Some(0));
        assert_eq!(at(40), Some(1));
        assert_eq!(at(299), Some(2));
        assert_eq!(at(5000), Some(3));
        assert_eq!(last_at_or_before(2, |i| [10, 20][i], 9), None);
        assert_eq!(last_at_or_before(0, |_| 0, 9), None);
    }

    proptest! {
        #[test]
        fn last_at_or_before_agrees_with_a_scan(
            mut starts in prop::collection::vec(0usize..1000, 0..60), offset in 0usize..1100,
        ) {
            starts.sort_unstable();
            let scan = starts.iter().rposition(|&s| s <= offset);
            prop_assert_eq!(last_at_or_before(starts.len(), |i| starts[i], offset), scan);
        }

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
