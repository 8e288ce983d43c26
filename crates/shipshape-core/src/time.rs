//! Calendar dates from Unix time, in UTC, without a time-zone database.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch now (0 if the clock is before it).
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// (year, month, day) of the UTC day `secs` falls in (proleptic
/// Gregorian calendar).
pub fn date(secs: u64) -> (i64, u32, u32) {
    let days = (secs / 86_400) as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days from 1970-01-01 to the civil date `year-month-day` (proleptic
/// Gregorian; negative before 1970): the inverse of [`date`].
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    // A March-based year puts the leap day last.
    let (y, m) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    365 * y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400) + (153 * m + 2) / 5 + day
        - 719_469
}

/// `2026-11-28T09:13:05Z` for `secs`.
pub fn timestamp(secs: u64) -> String {
    let (y, m, d) = date(secs);
    let rem = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `2026-11-28` for `secs`.
pub fn day(secs: u64) -> String {
    let (y, m, d) = date(secs);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_civil_dates() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(timestamp(1_795_770_785), "2026-11-27T09:13:05Z");
        assert_eq!(timestamp(1_796_000_000), "2026-11-30T00:53:20Z");
        assert_eq!(day(4_107_542_400), "2100-03-01");
    }

    #[test]
    fn days_from_civil_inverts_date() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        for secs in [0u64, 951_782_400, 1_795_770_785, 4_107_542_400] {
            let (y, m, d) = date(secs);
            assert_eq!(
                days_from_civil(y, i64::from(m), i64::from(d)),
                (secs / 86_400) as i64
            );
        }
    }
}
