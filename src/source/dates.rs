//! Lenient reading of the dates that sources print: RFC 3339, RFC 2822,
//! ISO dates, and the looser forms found in feeds and page headers
//! (`Sat, Dec 16 2023 02:02:33 PM`, `mer, 16 nov 2022 00:38:15 +0100`,
//! `November 20, 2020`). The calendar date is the publisher's local date:
//! an offset is kept, never converted to UTC, so that a story dated just
//! after midnight in Rome stays on that day.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

fn utc_offset() -> FixedOffset {
    chrono::Offset::fix(&Utc)
}

/// A date read from a source, with the text to show for it.
#[derive(Clone, Debug, PartialEq)]
pub struct DateValue {
    pub date: NaiveDate,
    /// `YYYY-MM-DD`, or an RFC 3339 timestamp when a time was given.
    pub display: String,
    /// The instant, when a time (and so an instant) was given; without an
    /// offset the time is taken as UTC.
    pub instant: Option<DateTime<FixedOffset>>,
}

impl DateValue {
    fn day(date: NaiveDate) -> Self {
        DateValue {
            date,
            display: ymd(date),
            instant: None,
        }
    }

    fn timestamp(dt: DateTime<FixedOffset>) -> Self {
        let display = if dt.offset().local_minus_utc() == 0 {
            dt.format("%Y-%m-%dT%H:%M:%SZ").to_string()
        } else {
            dt.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
        };
        DateValue {
            date: dt.date_naive(),
            display,
            instant: Some(dt),
        }
    }
}

/// `date.format("%Y-%m-%d")`, written directly for the years of four
/// digits (chrono's formatter is slow to set up for one short string).
fn ymd(date: NaiveDate) -> String {
    use chrono::Datelike;
    let y = date.year();
    if !(0..=9999).contains(&y) {
        return date.format("%Y-%m-%d").to_string();
    }
    let mut out = String::with_capacity(10);
    for (n, width) in [(y as u32, 4), (date.month(), 2), (date.day(), 2)] {
        if !out.is_empty() {
            out.push('-');
        }
        for k in (0..width).rev() {
            let digit = n / 10u32.pow(k) % 10;
            out.push(char::from(b'0' + digit as u8));
        }
    }
    out
}

/// Month names and their usual abbreviations in the languages news feeds
/// are most often written in (English, Italian, French, German, Spanish,
/// Portuguese, Dutch). A token matches a name when it is the name or a
/// prefix of at least three letters of it.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("gennaio", 1),
    ("febbraio", 2),
    ("marzo", 3),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("agosto", 8),
    ("settembre", 9),
    ("ottobre", 10),
    ("novembre", 11),
    ("dicembre", 12),
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("décembre", 12),
    ("januar", 1),
    ("februar", 2),
    ("märz", 3),
    ("maerz", 3),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    ("enero", 1),
    ("febrero", 2),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("janeiro", 1),
    ("fevereiro", 2),
    ("março", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("dezembro", 12),
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
];

/// Weekday names and abbreviations, so that `mar` (Tuesday in Italian,
/// French and Spanish) is not taken for March when a real month follows.
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "lunedì",
    "martedì",
    "mercoledì",
    "giovedì",
    "venerdì",
    "sabato",
    "domenica",
    "lun",
    "mar",
    "mer",
    "gio",
    "ven",
    "sab",
    "dom",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "jeu",
    "sam",
    "dim",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "mo",
    "di",
    "mi",
    "do",
    "fr",
    "sa",
    "so",
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
    "domingo",
    "mié",
    "jue",
    "vie",
    "sáb",
];

/// Small words that sit inside written dates ("16 de noviembre de 2022").
const PARTICLES: &[&str] = &[
    "de", "del", "of", "the", "at", "um", "à", "a", "le", "el", "on", "th", "st", "nd", "rd",
];

/// The month a word names, if any.
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.chars().count() < 3 {
        return None;
    }
    if w == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .find(|(name, _)| *name == w || name.starts_with(w.as_str()))
        .map(|&(_, m)| m)
}

fn is_weekday(word: &str) -> bool {
    let w = word.trim_end_matches('.').to_lowercase();
    WEEKDAYS.contains(&w.as_str())
}

/// Reads one date string. Returns `None` unless a year, month and day are
/// all there: a date without a year is left to the caller.
pub fn parse(s: &str) -> Option<DateValue> {
    let s = s.trim();
    if s.is_empty() || s.len() > 80 {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(DateValue::timestamp(dt));
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(DateValue::timestamp(dt));
    }
    if let Some(v) = parse_iso(s) {
        return Some(v);
    }
    let parts = parse_parts(s)?;
    let year = parts.year?;
    let date = NaiveDate::from_ymd_opt(year, parts.month, parts.day)?;
    match parts.time {
        Some(t) => {
            let offset = parts.offset.unwrap_or_else(utc_offset);
            let dt = offset
                .from_local_datetime(&NaiveDateTime::new(date, t))
                .single()?;
            Some(DateValue::timestamp(dt))
        }
        None => Some(DateValue::day(date)),
    }
}

/// `2023-11-25`, `2023-11-25T10:12`, `2023-11-25 10:12:00` and the like.
fn parse_iso(s: &str) -> Option<DateValue> {
    let head = s.get(..10)?;
    let date = NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()?;
    let rest = s[10..].trim();
    if rest.is_empty() {
        return Some(DateValue::day(date));
    }
    let t = rest.trim_start_matches(['T', 't']).trim();
    let with_t = format!("{head}T{t}");
    if let Ok(dt) = DateTime::parse_from_rfc3339(&with_t) {
        return Some(DateValue::timestamp(dt));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(&with_t, fmt) {
            return Some(DateValue::timestamp(dt));
        }
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S%.f",
    ] {
        if let Ok(ndt) = NaiveDateTime::parse_from_str(with_t.trim_end_matches(['Z', 'z']), fmt) {
            return Some(DateValue::timestamp(utc_offset().from_utc_datetime(&ndt)));
        }
    }
    // A date followed by something we do not understand: the date still holds.
    Some(DateValue::day(date))
}

/// The pieces of a loosely written date.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parts {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
    pub time: Option<NaiveTime>,
    pub offset: Option<FixedOffset>,
}

/// Reads a month and day (and, when there, a year, time and offset) from
/// a loosely written date. Needs a month name, or `d.m.yyyy` / `m/d/yyyy`.
pub fn parse_parts(s: &str) -> Option<Parts> {
    let tokens: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|t| t.trim_matches(|c: char| c == '.' || c == '(' || c == ')'))
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.len() > 12 {
        return None;
    }
    let mut parts = Parts::default();
    let mut numbers: Vec<u32> = Vec::new();
    let mut months: Vec<(usize, u32, bool)> = Vec::new();
    let mut pm: Option<bool> = None;
    let mut unknown = 0;
    for (i, tok) in tokens.iter().enumerate() {
        let lower = tok.to_lowercase();
        if lower == "am" || lower == "a.m" {
            pm = Some(false);
        } else if lower == "pm" || lower == "p.m" {
            pm = Some(true);
        } else if tok.contains(':') && tok.starts_with(|c: char| c.is_ascii_digit()) {
            parts.time = parse_clock(tok);
        } else if let Some(off) = parse_offset(tok) {
            parts.offset = Some(off);
        } else if tok.chars().all(|c| c.is_ascii_digit()) {
            let n: u32 = tok.parse().ok()?;
            if tok.len() == 4 && (1900..=2100).contains(&n) {
                parts.year = Some(n as i32);
            } else if tok.len() <= 2 {
                numbers.push(n);
            }
        } else if (tok.contains('/') || tok.contains('.'))
            && tok.starts_with(|c: char| c.is_ascii_digit())
        {
            // 25.11.2023 (day first) or 11/25/2023 (month first, US style).
            let day_first = tok.contains('.');
            let nums: Vec<u32> = tok
                .split(['/', '.'])
                .filter_map(|x| x.parse().ok())
                .collect();
            if let [a, b, y] = nums[..] {
                let (d, m) = if day_first || a > 12 { (a, b) } else { (b, a) };
                parts.day = d;
                parts.month = m;
                parts.year = Some(if y < 100 { 2000 + y as i32 } else { y as i32 });
            }
        } else if let Some(m) = month_number(tok) {
            months.push((i, m, is_weekday(tok)));
        } else if !is_weekday(tok) && !PARTICLES.contains(&lower.as_str()) {
            // A sentence that happens to hold a date is not a date.
            unknown += 1;
            if unknown > 1 {
                return None;
            }
        }
    }
    if parts.month == 0 {
        // Prefer a month word that is not also a weekday name.
        let pick = months.iter().find(|(_, _, wd)| !wd).or(months.first());
        parts.month = pick.map(|&(_, m, _)| m)?;
        parts.day = *numbers.iter().find(|&&n| (1..=31).contains(&n))?;
    }
    if let (Some(t), Some(is_pm)) = (parts.time, pm) {
        use chrono::Timelike;
        let h = t.hour() % 12 + if is_pm { 12 } else { 0 };
        parts.time = t.with_hour(h);
    }
    if !(1..=12).contains(&parts.month) || !(1..=31).contains(&parts.day) {
        return None;
    }
    Some(parts)
}

fn parse_clock(tok: &str) -> Option<NaiveTime> {
    let nums: Vec<u32> = tok
        .split(':')
        .map(|x| x.parse().ok())
        .collect::<Option<Vec<u32>>>()?;
    match nums[..] {
        [h, m] => NaiveTime::from_hms_opt(h, m, 0),
        [h, m, s] => NaiveTime::from_hms_opt(h, m, s.min(59)),
        _ => None,
    }
}

/// `+0100`, `-05:00`, `Z`, `GMT`, `UTC` and the US zone names feeds use.
fn parse_offset(tok: &str) -> Option<FixedOffset> {
    let hours = match tok.to_ascii_uppercase().as_str() {
        "Z" | "GMT" | "UTC" | "UT" => Some(0),
        "EST" => Some(-5),
        "EDT" | "CST" => Some(if tok.eq_ignore_ascii_case("EDT") {
            -4
        } else {
            -6
        }),
        "CDT" | "MST" => Some(if tok.eq_ignore_ascii_case("CDT") {
            -5
        } else {
            -7
        }),
        "MDT" | "PST" => Some(if tok.eq_ignore_ascii_case("MDT") {
            -6
        } else {
            -8
        }),
        "PDT" => Some(-7),
        _ => None,
    };
    if let Some(h) = hours {
        return FixedOffset::east_opt(h * 3600);
    }
    let sign = match tok.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let digits: String = tok[1..].chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let h: i32 = digits[..2].parse().ok()?;
    let m: i32 = digits[2..].parse().ok()?;
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// A `/2023/11/25/` (or `/2023-11-25/`) date in a URL path.
pub fn from_url(url: &str) -> Option<DateValue> {
    let bytes = url.as_bytes();
    // Scan every position where a plausible year starts; cheap and safe.
    for i in 0..bytes.len() {
        if bytes[i] != b'/' {
            continue;
        }
        let rest = &url[i + 1..];
        let seg: Vec<&str> = rest.splitn(4, ['/', '-']).collect();
        if seg.len() >= 3 && seg[0].len() == 4 && seg[1].len() == 2 && seg[2].len() >= 2 {
            let (y, m) = (seg[0].parse::<i32>().ok(), seg[1].parse::<u32>().ok());
            let d = seg[2].get(..2).and_then(|x| x.parse::<u32>().ok());
            if let (Some(y), Some(m), Some(d)) = (y, m, d) {
                if (1990..=2100).contains(&y) {
                    if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                        return Some(DateValue::day(date));
                    }
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ymd_agrees_with_chrono() {
        for (y, m, d) in [
            (2020, 11, 3),
            (1, 1, 1),
            (0, 12, 31),
            (9999, 2, 28),
            (10000, 1, 1),
            (-5, 3, 4),
            (987, 10, 10),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
            assert_eq!(ymd(date), date.format("%Y-%m-%d").to_string());
        }
    }

    fn d(s: &str) -> String {
        parse(s).map(|v| v.date.to_string()).unwrap_or_default()
    }

    #[test]
    fn standard_forms() {
        assert_eq!(d("2023-11-25"), "2023-11-25");
        assert_eq!(d("2023-11-25T10:12:00Z"), "2023-11-25");
        assert_eq!(d("2023-11-25T23:30:00-05:00"), "2023-11-25");
        assert_eq!(d("Thu, 25 Feb 2021 10:15:00 +0000"), "2021-02-25");
        assert_eq!(
            parse("2023-11-25T10:12:00Z").map(|v| v.display),
            Some("2023-11-25T10:12:00Z".into())
        );
    }

    #[test]
    fn loose_forms() {
        assert_eq!(d("Sat, Dec 16 2023 02:02:33 PM"), "2023-12-16");
        assert_eq!(
            parse("Sat, Dec 16 2023 02:02:33 PM").map(|v| v.display),
            Some("2023-12-16T14:02:33Z".into())
        );
        assert_eq!(d("mer, 16 nov 2022 00:38:15 +0100"), "2022-11-16");
        assert_eq!(d("mar, 7 mar 2023 09:00:00 +0100"), "2023-03-07");
        assert_eq!(d("Tue, 15 Nov 2022 20:15:04 Z"), "2022-11-15");
        assert_eq!(d("November 20, 2020"), "2020-11-20");
        assert_eq!(d("Nov. 3, 2021"), "2021-11-03");
        assert_eq!(d("3 décembre 2021"), "2021-12-03");
        assert_eq!(d("25.11.2023"), "2023-11-25");
    }

    #[test]
    fn keeps_the_local_day() {
        let v = parse("Wed, 16 Nov 2022 00:38:15 +0100");
        assert_eq!(v.map(|v| v.date.to_string()), Some("2022-11-16".into()));
    }

    #[test]
    fn rejects_non_dates() {
        assert_eq!(parse("Breaking News"), None);
        assert_eq!(parse("Nov 25"), None);
        assert_eq!(parse("the 12 apostles in 2020"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse("Protests on March 5, 2024 turned violent"), None);
    }

    #[test]
    fn url_dates() {
        assert_eq!(
            from_url("https://example.org/news/2020/01/15/some-story/").map(|v| v.date.to_string()),
            Some("2020-01-15".into())
        );
        assert_eq!(
            from_url("https://example.org/2019-04-30-story"),
            from_url("https://example.org/2019/04/30/story")
        );
        assert_eq!(from_url("https://example.org/a/b"), None);
    }
}
