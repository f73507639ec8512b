//! The timestamps ASL takes (Wait's `Timestamp`, Choice's timestamp
//! comparisons): RFC 3339 with a zone.

/// RFC 3339 date-time as Step Functions accepts it: `YYYY-MM-DDThh:mm:ss`,
/// optional fraction, then `Z` or an offset.
pub fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if b.len() < 20 || !(digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)) {
        return false;
    }
    if !(matches!(b[10], b'T' | b't') && digits(11..13) && b[13] == b':' && digits(14..16) && b[16] == b':' && digits(17..19)) {
        return false;
    }
    let mut i = 19;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    let zone = &s[i..];
    let (month, day, hour, min, sec) = (&s[5..7], &s[8..10], &s[11..13], &s[14..16], &s[17..19]);
    let in_range = |v: &str, lo: u32, hi: u32| v.parse::<u32>().is_ok_and(|n| (lo..=hi).contains(&n));
    let fields_ok = in_range(month, 1, 12) && in_range(day, 1, 31) && in_range(hour, 0, 23) && in_range(min, 0, 59) && in_range(sec, 0, 60);
    let zb = zone.as_bytes();
    let zone_ok = zone == "Z"
        || zone == "z"
        || (zb.len() == 6 && matches!(zb[0], b'+' | b'-') && zb[3] == b':' && digits(i + 1..i + 3) && digits(i + 4..i + 6));
    fields_ok && zone_ok
}

#[cfg(test)]
mod tests {
    use super::is_timestamp;

    #[test]
    fn timestamps_follow_rfc3339() {
        for ok in ["2015-09-04T01:59:00Z", "2016-03-14T01:59:00.123Z", "2016-03-14T01:59:00+01:00"] {
            assert!(is_timestamp(ok), "{ok}");
        }
        for bad in ["2016-03-14", "2016-13-14T01:59:00Z", "2016-03-14T01:59:00", "2016-03-14 01:59:00Z", "x"] {
            assert!(!is_timestamp(bad), "{bad}");
        }
    }
}
