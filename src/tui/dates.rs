//! Dates as people write them: the TIMEX-style values the parser stores
//! ("2019", "2019-W18", "2019-SU", "2023-11-03TMO", "2023-11-03T14:05Z")
//! turned into "2019", "week of 29 Apr 2019", "summer 2019",
//! "3 Nov 2023, morning", "3 Nov 2023, 15:05" (local time).

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone, Weekday};

fn month_name(m: u32) -> &'static str {
    const M: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    M.get(m.wrapping_sub(1) as usize).copied().unwrap_or("")
}

fn day_text(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {} {}", d.day(), month_name(d.month()), d.year())
}

/// A date value for people; the value itself when it is of no known form.
pub fn human(value: &str) -> String {
    human_in(value, &Local)
}

/// `human` with the time zone given (tests use UTC or a fixed offset).
pub fn human_in<Tz: TimeZone>(value: &str, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    use chrono::Datelike;
    let v = value.trim();
    if v.is_empty() {
        return "undated".into();
    }
    let year = v.get(..4).filter(|y| y.bytes().all(|b| b.is_ascii_digit()));
    let Some(year) = year else {
        return v.to_string();
    };
    let rest = &v[4..];
    if rest.is_empty() {
        return year.to_string();
    }
    let y: i32 = year.parse().unwrap_or(0);
    if let Some(w) = rest.strip_prefix("-W").and_then(|w| w.parse::<u32>().ok()) {
        if let Some(monday) = NaiveDate::from_isoywd_opt(y, w, Weekday::Mon) {
            return format!("week of {}", day_text(monday));
        }
    }
    let season = match rest {
        "-SP" => Some("spring"),
        "-SU" => Some("summer"),
        "-FA" => Some("autumn"),
        "-WI" => Some("winter"),
        "-Q1" => Some("Q1"),
        "-Q2" => Some("Q2"),
        "-Q3" => Some("Q3"),
        "-Q4" => Some("Q4"),
        "-H1" => Some("first half of"),
        "-H2" => Some("second half of"),
        _ => None,
    };
    if let Some(s) = season {
        return format!("{s} {year}");
    }
    if rest.len() == 3 {
        if let Ok(m) = rest[1..].parse::<u32>() {
            if (1..=12).contains(&m) {
                return format!("{} {year}", month_name(m));
            }
        }
    }
    let Some(date) = v
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    else {
        return v.to_string();
    };
    let time = &v[10..];
    if time.is_empty() {
        return format!("{} {}", date.weekday(), day_text(date));
    }
    let part = match time {
        "TMO" => Some("morning"),
        "TAF" => Some("afternoon"),
        "TEV" => Some("evening"),
        "TNI" => Some("night"),
        "TDT" => Some("daytime"),
        _ => None,
    };
    if let Some(p) = part {
        return format!("{}, {p}", day_text(date));
    }
    // A zoned timestamp: shown in local time.
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        let local = t.with_timezone(tz);
        return format!(
            "{}, {}",
            day_text(local.date_naive()),
            local.format("%H:%M")
        );
    }
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(v, f) {
            return format!("{}, {}", day_text(t.date()), t.format("%H:%M"));
        }
    }
    v.to_string()
}

/// What events are grouped under in the timeline: the day for values
/// with a day, else the value itself (a year, a week, a season), so a
/// year-only date is not filed under its 1 January.
pub fn heading_key(value: &str) -> &str {
    let v = value.trim();
    match v.get(..10) {
        Some(d) if NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok() => d,
        _ => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, Utc};

    #[test]
    fn values_read_as_people_write_dates() {
        let h = |v: &str| human_in(v, &Utc);
        assert_eq!(h("1979"), "1979");
        assert_eq!(h("2019-W18"), "week of 29 Apr 2019");
        assert_eq!(h("2019-SU"), "summer 2019");
        assert_eq!(h("2019-05"), "May 2019");
        assert_eq!(h("2019-05-08"), "Wed 8 May 2019");
        assert_eq!(h("2023-11-03TMO"), "3 Nov 2023, morning");
        assert_eq!(h(""), "undated");
        assert_eq!(h("PAST_REF"), "PAST_REF");
        assert_eq!(h("2023-11-03T14:05"), "3 Nov 2023, 14:05");
    }

    #[test]
    fn timestamps_are_shown_in_local_time() {
        let tz = FixedOffset::east_opt(2 * 3600).unwrap();
        assert_eq!(human_in("2023-11-03T23:30:00Z", &tz), "4 Nov 2023, 01:30");
    }

    #[test]
    fn headings_group_by_day_or_by_the_coarse_value() {
        assert_eq!(heading_key("2019-05-08T10:00"), "2019-05-08");
        assert_eq!(heading_key("1979"), "1979");
        assert_eq!(heading_key("2019-W18"), "2019-W18");
    }
}
