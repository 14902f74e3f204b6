//! Cron schedules with IANA time zones, including the DST rules documented in `forestock::schedule`.

use chrono::{DateTime, Duration, TimeZone, Utc};
use forestock::schedule::Schedule;
use forestock::Error;
use proptest::prelude::*;

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

#[test]
fn five_and_six_field_expressions() {
    let daily = Schedule::parse("0 6 * * *", "UTC").unwrap();
    assert_eq!(daily.next_after(utc(2026, 3, 1, 5, 59, 59)).unwrap(), utc(2026, 3, 1, 6, 0, 0));
    // Strictly after: at the fire time itself, the next one is a day later.
    assert_eq!(daily.next_after(utc(2026, 3, 1, 6, 0, 0)).unwrap(), utc(2026, 3, 2, 6, 0, 0));
    let with_seconds = Schedule::parse("30 15 6 * * *", "UTC").unwrap();
    assert_eq!(with_seconds.next_after(utc(2026, 3, 1, 0, 0, 0)).unwrap(), utc(2026, 3, 1, 6, 15, 30));
    let weekly = Schedule::parse("0 3 * * SUN", "America/New_York").unwrap();
    // 2026-01-04 is a Sunday; 03:00 EST = 08:00 UTC.
    assert_eq!(weekly.next_after(utc(2026, 1, 1, 0, 0, 0)).unwrap(), utc(2026, 1, 4, 8, 0, 0));
    let nick = Schedule::parse("@daily", "Asia/Tokyo").unwrap();
    assert_eq!(nick.next_after(utc(2026, 1, 1, 0, 0, 0)).unwrap(), utc(2026, 1, 1, 15, 0, 0));
}

#[test]
fn next_n_is_increasing_and_follows_the_zone() {
    let s = Schedule::parse("0 6 * * MON-FRI", "Europe/Berlin").unwrap();
    let times = s.next_n(utc(2026, 3, 26, 12, 0, 0), 4).unwrap();
    // Thu 26 Mar -> Fri 27 (CET, 05:00 UTC), Mon 30, Tue 31, Wed 1 Apr (CEST, 04:00 UTC).
    assert_eq!(
        times,
        vec![utc(2026, 3, 27, 5, 0, 0), utc(2026, 3, 30, 4, 0, 0), utc(2026, 3, 31, 4, 0, 0), utc(2026, 4, 1, 4, 0, 0)]
    );
    assert!(s.next_n(utc(2026, 1, 1, 0, 0, 0), 0).unwrap().is_empty());
    let e = s.next_n(utc(2026, 1, 1, 0, 0, 0), usize::MAX).unwrap_err();
    assert!(matches!(e, Error::InvalidParameter { ref name, .. } if name == "n"));
}

#[test]
fn spring_forward_fixed_time_job_fires_after_the_gap() {
    // Europe/Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist.
    let s = Schedule::parse("30 2 * * *", "Europe/Berlin").unwrap();
    let times = s.next_n(utc(2026, 3, 27, 12, 0, 0), 3).unwrap();
    assert_eq!(times[0], utc(2026, 3, 28, 1, 30, 0)); // 02:30 CET
    assert_eq!(times[1], utc(2026, 3, 29, 1, 0, 0)); // 03:00 CEST, right after the gap, once
    assert_eq!(times[2], utc(2026, 3, 30, 0, 30, 0)); // 02:30 CEST
}

#[test]
fn spring_forward_interval_job_skips_the_gap() {
    let s = Schedule::parse("*/30 * * * *", "Europe/Berlin").unwrap();
    let times = s.next_n(utc(2026, 3, 29, 0, 15, 0), 3).unwrap(); // 01:15 CET
                                                                  // 01:30 CET, then 02:00/02:30 do not exist, then 03:00 CEST.
    assert_eq!(times, vec![utc(2026, 3, 29, 0, 30, 0), utc(2026, 3, 29, 1, 0, 0), utc(2026, 3, 29, 1, 30, 0)]);
}

#[test]
fn fall_back_fixed_time_job_fires_once() {
    // Europe/Berlin, 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
    let s = Schedule::parse("30 2 * * *", "Europe/Berlin").unwrap();
    let times = s.next_n(utc(2026, 10, 24, 12, 0, 0), 2).unwrap();
    assert_eq!(times[0], utc(2026, 10, 25, 0, 30, 0)); // first 02:30 (CEST)
    assert_eq!(times[1], utc(2026, 10, 26, 1, 30, 0)); // next day 02:30 CET: no second firing on the 25th
                                                       // Starting inside the overlap, after the first pass: no repeat that day either.
    assert_eq!(s.next_after(utc(2026, 10, 25, 0, 45, 0)).unwrap(), utc(2026, 10, 26, 1, 30, 0));
}

#[test]
fn fall_back_interval_job_fires_in_both_passes() {
    let s = Schedule::parse("0 * * * *", "Europe/Berlin").unwrap();
    let times = s.next_n(utc(2026, 10, 24, 23, 30, 0), 4).unwrap(); // 01:30 CEST
                                                                    // 02:00 CEST, 02:00 CET, 03:00 CET, 04:00 CET: every real hour.
    assert_eq!(
        times,
        vec![
            utc(2026, 10, 25, 0, 0, 0),
            utc(2026, 10, 25, 1, 0, 0),
            utc(2026, 10, 25, 2, 0, 0),
            utc(2026, 10, 25, 3, 0, 0)
        ]
    );
}

#[test]
fn bad_expressions_and_zones_are_typed_errors() {
    for (expr, tz, name) in [
        ("0 6 * *", "UTC", "expression"),
        ("0 0 6 * * * 2026", "UTC", "expression"),
        ("61 6 * * *", "UTC", "expression"),
        ("0 25 * * *", "UTC", "expression"),
        ("0 6 * * FUNDAY", "UTC", "expression"),
        ("", "UTC", "expression"),
        ("0 6 * * *", "Mars/Olympus_Mons", "timezone"),
        ("0 6 * * *", "", "timezone"),
    ] {
        match Schedule::parse(expr, tz) {
            Err(Error::InvalidParameter { name: n, .. }) => assert_eq!(n, name, "{expr:?} {tz:?}"),
            other => panic!("{expr:?} {tz:?}: expected InvalidParameter, got {other:?}"),
        }
    }
    let never = Schedule::parse("0 0 30 2 *", "UTC").unwrap();
    let e = never.next_after(utc(2026, 1, 1, 0, 0, 0)).unwrap_err();
    assert_eq!(e.code(), "ERR_INVALID_PARAMETER");
}

#[test]
fn serde_round_trip_uses_expression_and_zone() {
    let s = Schedule::parse("0 6 * * MON", "Europe/Berlin").unwrap();
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(json, r#"{"expression":"0 6 * * MON","timezone":"Europe/Berlin"}"#);
    let back: Schedule = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
    assert!(serde_json::from_str::<Schedule>(r#"{"expression":"bad","timezone":"UTC"}"#).is_err());
    assert!(!s.describe().is_empty());
}

proptest! {
    #[test]
    fn next_fire_time_is_strictly_after_and_matches_again(
        secs in 0i64..(60 * 365 * 24 * 3600),
        nanos in 0u32..1_000_000_000,
        pick in 0usize..6,
    ) {
        let (expr, tz) = [
            ("0 6 * * *", "Europe/Berlin"),
            ("*/15 * * * *", "America/New_York"),
            ("30 2 * * *", "Europe/London"),
            ("0 0 1 * *", "Australia/Sydney"),
            ("15 30 */2 * * *", "Asia/Kolkata"),
            ("0 9 * * MON-FRI", "America/Sao_Paulo"),
        ][pick];
        let s = Schedule::parse(expr, tz).unwrap();
        let instant = Utc.timestamp_opt(1_500_000_000 + secs, nanos).unwrap();
        let next = s.next_after(instant).unwrap();
        prop_assert!(next > instant);
        prop_assert!(next - instant <= Duration::days(32));
        let after = s.next_after(next).unwrap();
        prop_assert!(after > next);
    }
}
