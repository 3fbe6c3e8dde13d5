//! ISO 8601 times of W3C files, without a date library: milliseconds since the epoch to and from
//! RFC 3339 text through the proleptic Gregorian calendar's day counts.
//!
//! The conversions are H. Hinnant's `days_from_civil` / `civil_from_days` ("chrono-Compatible
//! Low-Level Date Algorithms"): years counted from March, so that the leap day ends a year, and
//! 400-year eras of 146,097 days. Both functions keep the behaviour the app had with the `chrono`
//! crate, which the native tests use as their oracle.

use super::store::Millis;

const MS_PER_DAY: i64 = 86_400_000;
/// Days from 0000-03-01, the start of the calendar's first era, to 1970-01-01.
const EPOCH_DAYS: i64 = 719_468;
/// Days in a 400-year era.
const ERA_DAYS: i64 = 146_097;
/// The years the app's times may fall in (those `chrono` represented); a time outside them is
/// written as the epoch, as it was then.
const YEARS: std::ops::RangeInclusive<i64> = -262_143..=262_142;

/// Days since 1970-01-01 of a date (`month` 1–12, `day` 1–31).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y.rem_euclid(400);
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * ERA_DAYS + day_of_era - EPOCH_DAYS
}

/// The date (year, month 1–12, day 1–31) `days` after 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + EPOCH_DAYS;
    let era = z.div_euclid(ERA_DAYS);
    let day_of_era = z.rem_euclid(ERA_DAYS);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153; // months since March
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Appends `n` (≥ 0) in decimal, zero-padded to `width` digits.
fn push_padded(out: &mut String, n: i64, width: usize) {
    let digits = n.to_string();
    out.extend(std::iter::repeat_n('0', width.saturating_sub(digits.len())));
    out.push_str(&digits);
}

/// Milliseconds since the epoch as ISO 8601 UTC with milliseconds ("2014-09-08T10:00:00.000Z").
/// Years outside 0000–9999 carry a sign ("+10000-01-01T…", "-0001-12-31T…").
pub fn iso(ms: Millis) -> String {
    let (year, month, day) = civil_from_days(ms.div_euclid(MS_PER_DAY));
    if !YEARS.contains(&year) {
        return iso(0);
    }
    let in_day = ms.rem_euclid(MS_PER_DAY);
    let mut out = String::with_capacity(24);
    if !(0..=9999).contains(&year) {
        out.push(if year < 0 { '-' } else { '+' });
    }
    push_padded(&mut out, year.abs(), 4);
    for (sep, n, width) in [
        ('-', month, 2),
        ('-', day, 2),
        ('T', in_day / 3_600_000, 2),
        (':', in_day / 60_000 % 60, 2),
        (':', in_day / 1000 % 60, 2),
        ('.', in_day % 1000, 3),
    ] {
        out.push(sep);
        push_padded(&mut out, n, width);
    }
    out.push('Z');
    out
}

/// The number written by the ASCII digits `b`, if they are all digits.
fn number(b: &[u8]) -> Option<i64> {
    b.iter().try_fold(0, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
    })
}

/// Minutes east of UTC of an RFC 3339 offset: `Z`, or a sign (`+`, `-` or U+2212 `−`) and
/// `hh:mm` up to 23:59.
fn offset_minutes(b: &[u8]) -> Option<i64> {
    if matches!(b, [b'Z' | b'z']) {
        return Some(0);
    }
    let (sign, rest) = if let Some(r) = b.strip_prefix(b"+") {
        (1, r)
    } else if let Some(r) = b.strip_prefix(b"-") {
        (-1, r)
    } else {
        (-1, b.strip_prefix("−".as_bytes())?)
    };
    let [h1, h2, b':', m1, m2] = rest else {
        return None;
    };
    let (hours, minutes) = (number(&[*h1, *h2])?, number(&[*m1, *m2])?);
    (hours <= 23 && minutes <= 59).then_some(sign * (hours * 60 + minutes))
}

/// Parses an RFC 3339 time to milliseconds since the epoch: `YYYY-MM-DDThh:mm:ss` (`T`, `t` or a
/// space in the middle), optional fractional seconds (any number of digits, cut to
/// milliseconds), then `Z` or an offset; a leap second (`:60`) counts as the next second's
/// start. Whitespace around it is ignored.
pub fn parse_iso(s: &str) -> Option<Millis> {
    let b = s.trim().as_bytes();
    let (fixed, rest) = b.split_at_checked(19)?;
    let [_, _, _, _, b'-', _, _, b'-', _, _, b'T' | b't' | b' ', _, _, b':', _, _, b':', _, _] =
        fixed
    else {
        return None;
    };
    let field = |at: usize, len: usize| number(&fixed[at..at + len]);
    let (year, month, day) = (field(0, 4)?, field(5, 2)?, field(8, 2)?);
    let (hour, minute, second) = (field(11, 2)?, field(14, 2)?, field(17, 2)?);
    if !(1..=12).contains(&month)
        || !(1..=days_in_month(year, month)).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let (millis, offset) = match rest.strip_prefix(b".") {
        Some(frac) => {
            let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            // The first three digits are the milliseconds; the later ones are cut off.
            let ms = frac[..n.min(3)]
                .iter()
                .chain(b"00")
                .take(3)
                .fold(0, |ms, &c| ms * 10 + i64::from(c - b'0'));
            (ms, &frac[n..])
        }
        None => (0, rest),
    };
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
        - offset_minutes(offset)? * 60;
    Some(seconds * 1000 + millis)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Times and their milliseconds since the epoch, computed with Python's datetime:
    ///   python3 -c 'from datetime import *; E = datetime(1970, 1, 1, tzinfo=timezone.utc)
    ///   print((datetime(2000, 2, 29, 12, 34, 56, 789000, tzinfo=timezone.utc) - E)
    ///         // timedelta(milliseconds=1))'
    /// (offsets as tzinfo=timezone(timedelta(minutes=…))). Python has no year 0 or 10000: those
    /// are the same day of year 400 less, or of year 9600 more, 24 eras of 146,097 days; e.g.
    /// 0000-01-01 = (datetime(400, 1, 1) − E) // ms − 146097 × 86400000.
    const KNOWN: &[(&str, i64)] = &[
        ("1970-01-01T00:00:00.000Z", 0),
        ("1969-12-31T23:59:59.999Z", -1),
        ("2000-02-29T12:34:56.789Z", 951_827_696_789),
        ("2000-03-01T00:00:00.000Z", 951_868_800_000),
        ("2014-09-08T10:00:00.000Z", 1_410_170_400_000),
        ("2024-02-29T00:00:00.000Z", 1_709_164_800_000),
        ("2100-02-28T23:59:59.000Z", 4_107_542_399_000),
        ("2100-03-01T00:00:00.000Z", 4_107_542_400_000),
        ("1900-03-01T00:00:00.000Z", -2_203_891_200_000),
        ("1600-02-29T00:00:00.000Z", -11_670_998_400_000),
        ("0001-01-01T00:00:00.000Z", -62_135_596_800_000),
        ("0000-01-01T00:00:00.000Z", -62_167_219_200_000),
        ("0000-02-29T00:00:00.000Z", -62_162_121_600_000),
        ("0000-12-31T23:59:59.999Z", -62_135_596_800_001),
        ("9999-12-31T23:59:59.999Z", 253_402_300_799_999),
    ];

    #[test]
    fn known_times_both_ways() {
        for &(text, ms) in KNOWN {
            assert_eq!(iso(ms), text);
            assert_eq!(parse_iso(text), Some(ms), "{text}");
        }
    }

    #[test]
    fn offsets_fractions_and_spellings() {
        let at_ten = 1_410_170_400_000; // 2014-09-08T10:00:00Z
        for text in [
            "2014-09-08T15:30:00+05:30",
            "2014-09-08T02:00:00-08:00",
            "2014-09-08T02:00:00−08:00", // U+2212 MINUS SIGN
            "2014-09-08t10:00:00z",
            "2014-09-08 10:00:00Z",
            "2014-09-08T10:00:00.0Z",
            "2014-09-08T10:00:00.000000000000Z",
            " \t2014-09-08T10:00:00+00:00\n",
            "2014-09-08T10:00:00-00:00",
        ] {
            assert_eq!(parse_iso(text), Some(at_ten), "{text:?}");
        }
        // Fractions: milliseconds from the first three digits, the rest cut off.
        for (frac, ms) in [
            (".1", 100),
            (".12", 120),
            (".1239", 123),
            (".9999999999999", 999),
        ] {
            let text = format!("2014-09-08T10:00:00{frac}Z");
            assert_eq!(parse_iso(&text), Some(at_ten + ms), "{text}");
        }
        // The widest offsets (Python: 2014-09-08T00:00+23:59 and 9999-12-31T23:59:59-23:59).
        assert_eq!(
            parse_iso("2014-09-08T00:00:00+23:59"),
            Some(1_410_048_060_000)
        );
        assert_eq!(
            parse_iso("9999-12-31T23:59:59-23:59"),
            Some(253_402_387_139_000)
        );
        // A leap second is the next second's start: 2017-01-01T00:00:00(.500)Z.
        assert_eq!(parse_iso("2016-12-31T23:59:60Z"), Some(1_483_228_800_000));
        assert_eq!(parse_iso("2016-12-31T23:59:60.5Z"), Some(1_483_228_800_500));
    }

    #[test]
    fn years_beyond_four_digits_are_signed() {
        // 0000-01-01T00:00+01:00 and 9999-12-31T23:59:59-23:59 in UTC (Python, eras as above).
        assert_eq!(iso(-62_167_222_800_000), "-0001-12-31T23:00:00.000Z");
        assert_eq!(iso(253_402_387_139_000), "+10000-01-01T23:58:59.000Z");
        // Beyond the years chrono held, the epoch, as before.
        assert_eq!(iso(i64::MAX), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso(i64::MIN), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn malformed_times_are_refused() {
        for text in [
            "",
            "2014-09-08",
            "2014-09-08T10:00:00",   // no offset
            "2014-09-08T10:00Z",     // no seconds
            "2014-9-08T10:00:00Z",   // one-digit month
            "2014-09-08T10:00:00.Z", // no fraction digit
            "2014-09-08T10:00:00ZZ",
            "2014-09-08T10:00:00+0530",
            "2014-09-08T10:00:00+05",
            "2014-09-08T10:00:00+05:30:00",
            "2014-09-08T10:00:00+24:00",
            "2014-09-08T10:00:00+05:60",
            "2014-09-08T10:00:00 Z",
            "2014-09-08X10:00:00Z",
            "2014/09/08T10:00:00Z",
            "-2014-09-08T10:00:00Z",
            "+2014-09-08T10:00:00Z",
            "12014-09-08T10:00:00Z",
            "2014-00-08T10:00:00Z",
            "2014-13-08T10:00:00Z",
            "2014-09-00T10:00:00Z",
            "2014-09-31T10:00:00Z",
            "2100-02-29T10:00:00Z", // 2100 is not a leap year
            "2014-09-08T24:00:00Z",
            "2014-09-08T10:60:00Z",
            "2014-09-08T10:00:61Z",
            "２０14-09-08T10:00:00Z", // full-width digits
            "2014-09-08T10:00:00Z trailing",
        ] {
            assert_eq!(parse_iso(text), None, "{text:?}");
        }
    }

    /// A time-like string: mostly well formed, with every part sometimes out of range or
    /// replaced by something else.
    fn time_like() -> impl Strategy<Value = String> {
        let num = |max: u32, width: usize| (0..=max).prop_map(move |n| format!("{n:0width$}"));
        let part = |good: BoxedStrategy<String>| {
            prop_oneof![8 => good, 1 => "[0-9:.+−zZtT -]{0,3}"].boxed()
        };
        (
            part(num(9999, 4).boxed()),
            part(num(13, 2).boxed()),
            part(num(32, 2).boxed()),
            part(prop_oneof![Just("T".to_string()), Just("t".into()), Just(" ".into())].boxed()),
            part(num(25, 2).boxed()),
            part(num(61, 2).boxed()),
            part(num(61, 2).boxed()),
            part(prop_oneof![Just(String::new()), "\\.[0-9]{0,12}"].boxed()),
            part(
                prop_oneof![
                    Just("Z".to_string()),
                    Just("z".into()),
                    ("[+−-]", num(25, 2), num(61, 2)).prop_map(|(s, h, m)| format!("{s}{h}:{m}"))
                ]
                .boxed(),
            ),
        )
            .prop_map(|(y, mo, d, t, h, mi, s, frac, off)| {
                format!("{y}-{mo}-{d}{t}{h}:{mi}:{s}{frac}{off}")
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn iso_matches_chrono(ms in any::<i64>()) {
            let want = chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms)
                .unwrap_or_default()
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            prop_assert_eq!(iso(ms), want);
        }

        #[test]
        fn iso_matches_chrono_in_the_usual_years(ms in -62_167_219_200_000i64..253_402_300_800_000) {
            let want = chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms)
                .unwrap()
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            prop_assert_eq!(parse_iso(&iso(ms)), Some(ms));
            prop_assert_eq!(iso(ms), want);
        }

        #[test]
        fn parse_matches_chrono(text in time_like()) {
            let want = chrono::DateTime::parse_from_rfc3339(text.trim())
                .ok()
                .map(|t| t.timestamp_millis());
            prop_assert_eq!(parse_iso(&text), want, "{:?}", text);
        }
    }
}
