//! When a feed may be fetched next: its interval (with a floor for remote
//! hosts), what the server asked for (`Cache-Control: max-age`, `Expires`,
//! `Retry-After`), back-off after failures, and a little jitter so feeds
//! added together do not stay in lock-step.

use chrono::{DateTime, Duration, Utc};

/// The interval of a feed added without `--every`.
pub const DEFAULT_EVERY_SECS: i64 = 60 * 60;
/// No remote feed is polled more often than this, whatever `--every` says.
pub const REMOTE_FLOOR_SECS: i64 = 10 * 60;
/// The longest interval a feed may have.
pub const MAX_EVERY_SECS: i64 = 30 * 24 * 60 * 60;
/// Back-off never waits longer than a day.
pub const MAX_BACKOFF_SECS: i64 = 24 * 60 * 60;
/// A server's `max-age`/`Expires` is honoured up to this; beyond it the
/// feed's own interval (at most a day) decides.
pub const MAX_CACHE_SECS: i64 = 24 * 60 * 60;

/// Parses an interval: `90s`, `30m`, `2h`, `1d`, or bare seconds.
pub fn parse_every(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let bad = || format!("interval {s:?}: expected a number with s, m, h or d (e.g. 30m)");
    let (num, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, "s"),
    };
    let n: i64 = num.parse().map_err(|_| bad())?;
    let mult = match unit {
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86400,
        _ => return Err(bad()),
    };
    let secs = n.checked_mul(mult).ok_or_else(bad)?;
    if secs <= 0 {
        return Err(format!("interval {s:?}: must be more than 0"));
    }
    if secs > MAX_EVERY_SECS {
        return Err(format!("interval {s:?}: at most 30d"));
    }
    Ok(secs)
}

/// `3600` -> `60m`; the shortest exact form.
pub fn format_every(secs: i64) -> String {
    if secs % 86400 == 0 {
        format!("{}d", secs / 86400)
    } else if secs % 3600 == 0 {
        format!("{}h", secs / 3600)
    } else if secs % 60 == 0 {
        format!("{}m", secs / 60)
    } else {
        format!("{secs}s")
    }
}

/// True for hosts on this machine (127.0.0.0/8, ::1, localhost): they have
/// no interval floor and may be asked with no delay.
pub fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    if h.eq_ignore_ascii_case("localhost") {
        return true;
    }
    h.parse::<std::net::IpAddr>()
        .map(|ip| ip.is_loopback())
        .unwrap_or(false)
}

/// The interval actually used for a feed on `host`.
pub fn effective_every(every_secs: i64, host: &str) -> i64 {
    if is_loopback(host) {
        every_secs.max(1)
    } else {
        every_secs.max(REMOTE_FLOOR_SECS)
    }
}

/// A small delay added to a regular interval, the same for the same feed
/// and moment: up to a twentieth of the interval, at most 3 minutes.
pub fn jitter(url: &str, now: DateTime<Utc>, every_secs: i64) -> i64 {
    let span = (every_secs / 20).min(180);
    if span <= 0 {
        return 0;
    }
    // FNV-1a over the URL and the minute: no random source needed.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in url.bytes().chain(now.timestamp().to_le_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (h % (span as u64 + 1)) as i64
}

/// The seconds a `Cache-Control: max-age=N` or `Expires` allows the
/// response to be reused, if the server said.
pub fn cache_secs(
    cache_control: Option<&str>,
    expires: Option<&str>,
    now: DateTime<Utc>,
) -> Option<i64> {
    if let Some(cc) = cache_control {
        for part in cc.split(',') {
            let part = part.trim();
            if let Some(v) = part
                .strip_prefix("max-age=")
                .or_else(|| part.strip_prefix("s-maxage="))
            {
                if let Ok(n) = v.trim_matches('"').parse::<i64>() {
                    return Some(n.clamp(0, MAX_CACHE_SECS));
                }
            }
        }
    }
    let when = parse_http_date(expires?)?;
    Some((when - now).num_seconds().clamp(0, MAX_CACHE_SECS))
}

/// `Retry-After`: seconds, or an HTTP date. The wait from `now`, at most a day.
pub fn retry_after_secs(value: &str, now: DateTime<Utc>) -> Option<i64> {
    let v = value.trim();
    if let Ok(n) = v.parse::<i64>() {
        return Some(n.clamp(0, MAX_BACKOFF_SECS));
    }
    let when = parse_http_date(v)?;
    Some((when - now).num_seconds().clamp(0, MAX_BACKOFF_SECS))
}

/// An HTTP date (IMF-fixdate, and the RFC 850 / asctime forms servers
/// still send).
pub fn parse_http_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.with_timezone(&Utc));
    }
    for fmt in ["%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            return Some(d.and_utc());
        }
    }
    None
}

/// Exponential back-off after `failures` failures in a row: the interval
/// doubled per failure, at most a day.
pub fn backoff_secs(every_secs: i64, failures: i64) -> i64 {
    let shift = failures.clamp(0, 20) as u32;
    every_secs
        .max(1)
        .saturating_mul(1i64 << shift)
        .min(MAX_BACKOFF_SECS)
}

/// What the server's answer means for the schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// 200 or 304: the regular interval, never sooner than the cache allows.
    Fetched { cache_secs: Option<i64> },
    /// 429 or 503: the server's `Retry-After`, else back-off.
    Deferred { retry_after_secs: Option<i64> },
    /// Any other failure: back-off.
    Failed,
}

/// The next time the feed is due, given its new failure count (already
/// updated for this outcome).
pub fn next_due(
    url: &str,
    host: &str,
    every_secs: i64,
    outcome: Outcome,
    failures: i64,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    let every = effective_every(every_secs, host);
    let secs = match outcome {
        Outcome::Fetched { cache_secs } => every
            .max(cache_secs.unwrap_or(0))
            .saturating_add(jitter(url, now, every)),
        Outcome::Deferred {
            retry_after_secs: Some(s),
        } => s.max(1),
        Outcome::Deferred {
            retry_after_secs: None,
        }
        | Outcome::Failed => backoff_secs(every, failures.max(1) - 1).max(every),
    };
    // Stored intervals are bounded, but a hand-edited store may hold anything.
    let secs = secs.clamp(1, MAX_EVERY_SECS * 2);
    now.checked_add_signed(Duration::seconds(secs))
        .unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
            .map(|d| d.with_timezone(&Utc))
            .unwrap()
    }

    #[test]
    fn intervals_parse_and_print() {
        assert_eq!(parse_every("30m"), Ok(1800));
        assert_eq!(parse_every("2h"), Ok(7200));
        assert_eq!(parse_every("45"), Ok(45));
        assert_eq!(parse_every("1d"), Ok(86400));
        assert!(parse_every("0m").is_err());
        assert!(parse_every("ten").is_err());
        assert!(parse_every("5w").is_err());
        assert!(parse_every("99999999999999d").is_err());
        assert!(parse_every("31d").is_err());
        assert_eq!(format_every(3600), "1h");
        assert_eq!(format_every(1800), "30m");
        assert_eq!(format_every(45), "45s");
    }

    #[test]
    fn remote_hosts_have_a_floor_loopback_none() {
        assert_eq!(effective_every(60, "example.org"), REMOTE_FLOOR_SECS);
        assert_eq!(effective_every(60, "127.0.0.1"), 60);
        assert_eq!(effective_every(5, "127.8.9.1"), 5);
        assert_eq!(effective_every(5, "[::1]"), 5);
        assert_eq!(effective_every(5, "localhost"), 5);
        assert!(!is_loopback("10.0.0.1"));
    }

    #[test]
    fn cache_and_retry_headers() {
        let now = t0();
        assert_eq!(
            cache_secs(Some("public, max-age=7200"), None, now),
            Some(7200)
        );
        assert_eq!(
            cache_secs(None, Some("Sun, 01 Mar 2026 13:00:00 GMT"), now),
            Some(3600)
        );
        assert_eq!(cache_secs(Some("no-cache"), None, now), None);
        assert_eq!(retry_after_secs("120", now), Some(120));
        assert_eq!(
            retry_after_secs("Sun, 01 Mar 2026 12:05:00 GMT", now),
            Some(300)
        );
        assert_eq!(retry_after_secs("soon", now), None);
    }

    #[test]
    fn next_due_follows_the_rules() {
        let now = t0();
        let due = |o, f| next_due("http://example.org/f", "example.org", 1800, o, f, now);
        // Regular: the interval plus at most 90 s of jitter.
        let d = (due(Outcome::Fetched { cache_secs: None }, 0) - now).num_seconds();
        assert!((1800..=1890).contains(&d), "{d}");
        // max-age longer than the interval wins.
        let d = (due(
            Outcome::Fetched {
                cache_secs: Some(7200),
            },
            0,
        ) - now)
            .num_seconds();
        assert!(d >= 7200);
        // Retry-After exactly.
        let d = due(
            Outcome::Deferred {
                retry_after_secs: Some(120),
            },
            1,
        );
        assert_eq!((d - now).num_seconds(), 120);
        // Failures double, capped at a day.
        assert_eq!((due(Outcome::Failed, 1) - now).num_seconds(), 1800);
        assert_eq!((due(Outcome::Failed, 3) - now).num_seconds(), 7200);
        assert_eq!(
            (due(Outcome::Failed, 30) - now).num_seconds(),
            MAX_BACKOFF_SECS
        );
    }
}
