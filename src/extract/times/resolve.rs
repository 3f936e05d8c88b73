//! Turning an underspecified `Raw` value into a TIMEX3 value, given the DCT,
//! the tense of the clause and the previous day mentioned in the text.
//!
//! The arithmetic follows HeidelTime's news disambiguation: a bare weekday is
//! the most recent one, today included, or the coming one in a future clause;
//! a month or day without a year takes the DCT year, moved one year back
//! when a past clause puts it after the DCT (or forward for a future one).

use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};

use super::rules::{Pod, Raw, Rel, Season, Unit};
use super::tense::Tense;
use super::TimexType;

pub struct Resolved {
    pub value: String,
    pub kind: TimexType,
    /// The calendar day, when the value names one.
    pub date: Option<NaiveDate>,
    pub vague: bool,
}

/// `d` as `%Y-%m-%d` followed by `tail`, written digit by digit for the
/// years of four digits (chrono's formatter parses its pattern every time).
fn ymd(d: NaiveDate, tail: &str) -> String {
    let mut s = String::with_capacity(10 + tail.len());
    let y = d.year();
    if (0..=9999).contains(&y) {
        let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
        let y = y.unsigned_abs();
        for n in [y / 1000, y / 100, y / 10, y] {
            s.push(digit(n));
        }
        for n in [d.month(), d.day()] {
            s.push('-');
            s.push(digit(n / 10));
            s.push(digit(n));
        }
    } else {
        s.push_str(&d.format("%Y-%m-%d").to_string());
    }
    s.push_str(tail);
    s
}

fn day(d: NaiveDate, pod: Option<Pod>) -> Resolved {
    let value = match pod {
        Some(p) => {
            let mut v = ymd(d, "T");
            v.push_str(p.code());
            v
        }
        None => ymd(d, ""),
    };
    let kind = if pod.is_some() {
        TimexType::Time
    } else {
        TimexType::Date
    };
    Resolved {
        value,
        kind,
        date: Some(d),
        vague: false,
    }
}

fn plain(value: String) -> Resolved {
    Resolved {
        value,
        kind: TimexType::Date,
        date: None,
        vague: false,
    }
}

fn iso_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

fn month_value(y: i32, m: u32) -> String {
    format!("{y:04}-{m:02}")
}

fn add_months(d: NaiveDate, n: i64) -> NaiveDate {
    let first = d.with_day(1).unwrap_or(d);
    if n >= 0 {
        first
            .checked_add_months(Months::new(n as u32))
            .unwrap_or(first)
    } else {
        first
            .checked_sub_months(Months::new(n.unsigned_abs() as u32))
            .unwrap_or(first)
    }
}

/// Days from `from` forward to the next `to` (0 when equal).
fn days_forward(from: Weekday, to: Weekday) -> i64 {
    (to.num_days_from_monday() as i64 - from.num_days_from_monday() as i64).rem_euclid(7)
}

pub fn weekday_date(dct: NaiveDate, wd: Weekday, rel: Rel, tense: Tense) -> NaiveDate {
    let fwd = days_forward(dct.weekday(), wd);
    let back = days_forward(wd, dct.weekday());
    match rel {
        Rel::Last => dct - Duration::days(if back == 0 { 7 } else { back }),
        Rel::Next => dct + Duration::days(if fwd == 0 { 7 } else { fwd }),
        Rel::This | Rel::None => {
            if tense == Tense::Future {
                dct + Duration::days(fwd)
            } else {
                dct - Duration::days(back)
            }
        }
    }
}

/// The year of a month-day with no year of its own.
fn year_for_day(dct: NaiveDate, m: u32, d: u32, tense: Tense) -> Option<i32> {
    let y = dct.year();
    // Feb. 29 compares like Feb. 28 in a common year.
    let cand =
        NaiveDate::from_ymd_opt(y, m, d).or_else(|| NaiveDate::from_ymd_opt(y, m, d.min(28)))?;
    // A week of slack absorbs reporting delay ("said Nov. 24" in a story of
    // Nov. 23), and a day of the DCT's own month keeps the DCT's year.
    let diff = (cand - dct).num_days();
    let y = match tense {
        Tense::Past if diff > 7 && m != dct.month() => y - 1,
        Tense::Future if diff < -7 && m != dct.month() => y + 1,
        Tense::Present | Tense::Unknown if diff > 183 => y - 1,
        Tense::Present | Tense::Unknown if diff < -183 => y + 1,
        _ => y,
    };
    NaiveDate::from_ymd_opt(y, m, d).map(|_| y)
}

fn year_for_month(dct: NaiveDate, m: u32, tense: Tense) -> i32 {
    let y = dct.year();
    let dm = dct.month() as i32;
    let m = m as i32;
    match tense {
        Tense::Past | Tense::Unknown if m > dm => y - 1,
        Tense::Future if m < dm => y + 1,
        Tense::Present if m - dm > 6 => y - 1,
        Tense::Present if dm - m > 6 => y + 1,
        _ => y,
    }
}

/// The season of a day, as an index of `Season` (spring 0 .. winter 3);
/// January and February come before this year's spring (-1), so that
/// "this fall" in January is the coming fall of the same year.
fn season_of(d: NaiveDate) -> i32 {
    match d.month() {
        1 | 2 => -1,
        3..=5 => 0,
        6..=8 => 1,
        9..=11 => 2,
        _ => 3,
    }
}

fn year_for_season(dct: NaiveDate, s: Season, rel: Rel, tense: Tense) -> i32 {
    let y = dct.year();
    let cur = season_of(dct);
    let si = s.index() as i32;
    match rel {
        Rel::Last => {
            if si < cur {
                y
            } else {
                y - 1
            }
        }
        Rel::Next => {
            if si > cur {
                y
            } else {
                y + 1
            }
        }
        _ => match tense {
            Tense::Past | Tense::Unknown if si > cur => y - 1,
            Tense::Future if si < cur => y + 1,
            _ => y,
        },
    }
}

/// The Saturday of the weekend meant, from which the ISO week is taken.
fn weekend_saturday(dct: NaiveDate, rel: Rel, tense: Tense) -> NaiveDate {
    let wd = dct.weekday();
    let in_weekend = matches!(wd, Weekday::Sat | Weekday::Sun);
    // The weekend of the DCT's ISO week (Mon..Sun).
    let this_sat = dct + Duration::days(5 - wd.num_days_from_monday() as i64);
    match rel {
        Rel::This => this_sat,
        // On a weekend "last weekend" is the one before; midweek, the one just past.
        Rel::Last => this_sat - Duration::days(7),
        Rel::Next => {
            if in_weekend {
                this_sat + Duration::days(7)
            } else {
                this_sat
            }
        }
        Rel::None => {
            if in_weekend || tense == Tense::Future {
                this_sat
            } else {
                this_sat - Duration::days(7)
            }
        }
    }
}

/// A date `n` units away from `base`, at the unit's granularity.
fn shifted(base: NaiveDate, unit: Unit, n: i64) -> Option<Resolved> {
    Some(match unit {
        Unit::Minute | Unit::Hour | Unit::Day => {
            let days = if unit == Unit::Day { n } else { 0 };
            day(base.checked_add_signed(Duration::days(days))?, None)
        }
        Unit::Week => plain(iso_week(base.checked_add_signed(Duration::days(7 * n))?)),
        Unit::Month => {
            let d = add_months(base, n);
            plain(month_value(d.year(), d.month()))
        }
        Unit::Quarter => {
            let d = add_months(base, 3 * n);
            plain(format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1))
        }
        Unit::Year => plain(format!("{:04}", base.year() as i64 + n)),
        Unit::Decade => plain(format!(
            "{:03}",
            (base.year() as i64 + 10 * n).div_euclid(10)
        )),
    })
}

/// Resolves `raw`. `anchor` is the last day the text mentioned (for "the
/// next day"); `None` for values that cannot be built (Feb. 30).
pub fn resolve(
    raw: &Raw,
    dct: NaiveDate,
    tense: Tense,
    anchor: Option<NaiveDate>,
) -> Option<Resolved> {
    Some(match raw {
        Raw::Weekday { wd, rel, pod } => day(weekday_date(dct, *wd, *rel, tense), *pod),
        Raw::Date { y, m, d } => {
            let y = match y {
                Some(y) => *y,
                None => year_for_day(dct, *m, *d, tense)?,
            };
            day(NaiveDate::from_ymd_opt(y, *m, *d)?, None)
        }
        Raw::Month { y, m } => {
            let y = y.unwrap_or_else(|| year_for_month(dct, *m, tense));
            plain(month_value(y, *m))
        }
        Raw::MonthRel { m, offset } => plain(month_value(dct.year() + *offset as i32, *m)),
        Raw::Holiday { m, d } => {
            let y = year_for_day(dct, *m, *d, Tense::Present)?;
            day(NaiveDate::from_ymd_opt(y, *m, *d)?, None)
        }
        Raw::Thanksgiving => {
            // The fourth Thursday of November, in the year nearest the DCT.
            let y = year_for_day(dct, 11, 26, Tense::Present)?;
            let first = NaiveDate::from_ymd_opt(y, 11, 1)?;
            let to_thu = days_forward(first.weekday(), Weekday::Thu);
            day(first + Duration::days(to_thu + 21), None)
        }
        Raw::Year(y) => plain(format!("{y:04}")),
        Raw::Decade(d) => plain(format!("{d:03}")),
        Raw::Season { y, s, rel } => {
            let y = y.unwrap_or_else(|| year_for_season(dct, *s, *rel, tense));
            plain(format!("{y:04}-{}", s.code()))
        }
        Raw::DayOffset { days, pod } => day(dct.checked_add_signed(Duration::days(*days))?, *pod),
        Raw::Unit { unit, offset } => shifted(dct, *unit, *offset)?,
        Raw::Weekend { rel } => plain(format!(
            "{}-WE",
            iso_week(weekend_saturday(dct, *rel, tense))
        )),
        Raw::Ago { n, unit, sign } => match n {
            Some(v) if v.fract() == 0.0 => shifted(dct, *unit, *sign * *v as i64)?,
            _ => Resolved {
                value: if *sign < 0 { "PAST_REF" } else { "FUTURE_REF" }.to_string(),
                kind: TimexType::Date,
                date: None,
                vague: true,
            },
        },
        Raw::Anaphor { n, unit } => shifted(anchor.unwrap_or(dct), *unit, *n)?,
        Raw::Duration(v) => Resolved {
            value: v.clone(),
            kind: TimexType::Duration,
            date: None,
            vague: v.contains('X'),
        },
        Raw::Set(v) => Resolved {
            value: v.clone(),
            kind: TimexType::Set,
            date: None,
            vague: false,
        },
        Raw::Vague(v) => Resolved {
            value: v.to_string(),
            kind: TimexType::Date,
            date: None,
            vague: true,
        },
        Raw::Clock { h, m } => timed(dct, *h, *m),
        Raw::Timed { day: d, h, m } => {
            let base = resolve(d, dct, tense, anchor)?;
            match base.date {
                Some(bd) => timed(bd, *h, *m),
                None => base,
            }
        }
    })
}

fn timed(d: NaiveDate, h: u32, m: u32) -> Resolved {
    Resolved {
        value: ymd(d, &format!("T{h:02}:{m:02}")),
        kind: TimexType::Time,
        date: Some(d),
        vague: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ymd_matches_chrono() {
        for (y, m, d) in [
            (2023, 11, 5),
            (999, 1, 31),
            (0, 12, 1),
            (9999, 2, 28),
            (10000, 3, 4),
            (-5, 6, 7),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(ymd(date, "T12"), format!("{}T12", date.format("%Y-%m-%d")));
        }
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weekday_arithmetic() {
        let sat = d("2023-11-25");
        assert_eq!(weekday_date(sat, Weekday::Sat, Rel::None, Tense::Past), sat);
        assert_eq!(
            weekday_date(sat, Weekday::Sun, Rel::None, Tense::Future),
            d("2023-11-26")
        );
        assert_eq!(
            weekday_date(sat, Weekday::Sun, Rel::None, Tense::Past),
            d("2023-11-19")
        );
        assert_eq!(
            weekday_date(sat, Weekday::Sat, Rel::Last, Tense::Past),
            d("2023-11-18")
        );
        assert_eq!(
            weekday_date(sat, Weekday::Sat, Rel::Next, Tense::Past),
            d("2023-12-02")
        );
    }

    #[test]
    fn years_by_tense() {
        let dct = d("2020-12-05");
        assert_eq!(year_for_day(dct, 1, 20, Tense::Future), Some(2021));
        assert_eq!(year_for_day(dct, 1, 20, Tense::Past), Some(2020));
        assert_eq!(
            year_for_day(d("2021-01-04"), 12, 30, Tense::Past),
            Some(2020)
        );
        assert_eq!(year_for_month(d("2023-11-25"), 9, Tense::Past), 2023);
        assert_eq!(year_for_month(d("2023-03-25"), 9, Tense::Past), 2022);
    }
}
