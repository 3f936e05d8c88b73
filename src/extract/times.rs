//! Time expressions with TIMEX3 values, resolved against the publication
//! date (the document creation time) and the tense of their clause.
//!
//! HeidelTime-style, in three steps:
//! 1. `rules` finds candidate expressions with regexes and gives each an
//!    underspecified value ("Sunday", "Nov. 17" with no year, "last week");
//! 2. overlapping candidates are reduced to the longest, and neighbours are
//!    merged ("noon" + "on Tuesday");
//! 3. `resolve` fills in the value from the DCT, the tense of the clause
//!    (`tense`) and, for "the next day", the previous day the text named.

mod resolve;
mod rules;
mod tense;
mod windows;
pub mod words;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::span::Span;
use crate::text::Doc;

pub use rules::{Pod, Raw, Rel, Season, Unit};
pub use tense::Tense;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

impl TimexType {
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct TimeExpr {
    pub span: Span,
    /// TIMEX3 value: `2023-11-25`, `2023-11`, `2023-W47`, `P1Y`, `FUTURE_REF` ...
    pub value: String,
    pub kind: TimexType,
    /// The calendar day the value names, when it names one (`2023-11-25`,
    /// `2020-12-08T12:00`); `None` for weeks, months, durations, vague refs.
    pub date: Option<NaiveDate>,
    /// `PAST_REF`/`PRESENT_REF`/`FUTURE_REF` or a duration with an `X` count.
    pub vague: bool,
    /// The tense the resolution used for this expression's clause.
    pub tense: Tense,
}

/// Every time expression in the document, in order, as the contract lists
/// them: without frequencies (SETs), which `../shared/CONTRACT.md` has no
/// value format for and the gold does not annotate. They are still found
/// (`extract_all`), so that "five days a week" is not taken for a duration
/// and a date.
pub fn extract(doc: &Doc, dct: NaiveDate) -> Vec<TimeExpr> {
    let mut out = extract_all(doc, dct);
    out.retain(|t| t.kind != TimexType::Set);
    out
}

/// Every time expression in the document, SETs included, in order.
pub fn extract_all(doc: &Doc, dct: NaiveDate) -> Vec<TimeExpr> {
    let text = doc.text;
    let skip = skipped_lines(text);
    let mut cands = rules::candidates(text);
    cands.retain(|c| !skip.iter().any(|s| s.contains(c.span)));
    let atoms = merge(text, pick(cands));

    let mut out = Vec::new();
    let mut anchor: Option<NaiveDate> = None;
    // The last year named on its own ("in 2016"), while it is the latest
    // date named: "four years later" counts from it.
    let mut year_anchor: Option<i32> = None;
    // Token buffers reused for the tense of every expression.
    let mut bufs = tense::Buffers::default();
    for (span, raw) in atoms {
        let tense = match doc.sentence_at(span.start) {
            Some(si) => {
                let s = doc.sentences[si].span;
                tense::tense_at(
                    s.slice(text),
                    span.start - s.start,
                    span.end.min(s.end) - s.start,
                    &mut bufs,
                )
            }
            None => Tense::Unknown,
        };
        // "Today (Thursday)" names the day the writer wrote on, which is
        // never after publication.
        let tense = if matches!(raw, Raw::Weekday { .. }) && is_today_weekday(text, span) {
            Tense::Past
        } else {
            tense
        };
        let r = match (&raw, year_anchor) {
            (
                Raw::Anaphor {
                    n,
                    unit: Unit::Year,
                },
                Some(y),
            ) => Some(resolve::Resolved {
                value: format!("{:04}", i64::from(y) + n),
                kind: TimexType::Date,
                date: None,
                vague: false,
            }),
            _ => resolve::resolve(&raw, dct, tense, anchor),
        };
        let Some(r) = r else {
            continue;
        };
        if r.date.is_some() && r.kind != TimexType::Duration {
            anchor = r.date;
            year_anchor = None;
        }
        if r.kind == TimexType::Date && r.value.len() == 4 {
            year_anchor = r.value.parse().ok();
        }
        out.push(TimeExpr {
            span,
            value: r.value,
            kind: r.kind,
            date: r.date,
            vague: r.vague,
            tense,
        });
    }
    out
}

/// Byte ranges of the lines whose expressions are not the story's times:
/// a line that repeats the line before it word for word (a photo caption
/// scraped twice, whose expressions would be counted twice) and byline
/// lines ("PUBLISHED: April 24, 2020 at 9:11 a.m.", "Updated 3 hours ago":
/// page metadata). One walk over the lines finds both.
fn skipped_lines(text: &str) -> Vec<Span> {
    const LABELS: &str = include_str!("../../assets/words/byline-labels.txt");
    static L: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        words::rows(LABELS)
            .filter_map(|c| c.first().copied())
            .collect()
    });
    let mut out = Vec::new();
    let mut prev: Option<&str> = None;
    let mut pos = 0;
    // The lines as `split_inclusive('\n')` gives them, found with the
    // vectorised `memchr`.
    while pos < text.len() {
        let end =
            memchr::memchr(b'\n', &text.as_bytes()[pos..]).map_or(text.len(), |i| pos + i + 1);
        let Some(line) = text.get(pos..end) else {
            break;
        };
        let span = Span::new(pos, end);
        let body = line.trim();
        if !body.is_empty() {
            if prev == Some(body) {
                out.push(span);
            }
            prev = Some(body);
        }
        let head = line.trim_start();
        if L.iter().any(|l| {
            head.get(..l.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(l))
        }) {
            out.push(span);
        }
        pos = end;
    }
    out
}

/// "Today (Thursday)" or its "(Thursday)": a weekday given as the day of
/// "today".
fn is_today_weekday(text: &str, span: Span) -> bool {
    let head = span.slice(text);
    let before = text.get(..span.start).unwrap_or("").trim_end();
    head.eq_ignore_ascii_case("today")
        || (before.ends_with('(')
            && before[..before.len() - 1]
                .trim_end()
                .to_ascii_lowercase()
                .ends_with("today"))
}

/// Keeps the longest of overlapping candidates (then the higher priority,
/// then the earlier).
fn pick(mut cands: Vec<rules::Cand>) -> Vec<rules::Cand> {
    cands.sort_by(|a, b| {
        b.span
            .len()
            .cmp(&a.span.len())
            .then(b.prio.cmp(&a.prio))
            .then(a.span.start.cmp(&b.span.start))
    });
    // Kept spans never overlap, so only the kept span starting last before
    // a candidate's end can overlap it.
    let mut kept: BTreeMap<usize, rules::Cand> = BTreeMap::new();
    for c in cands {
        let clash = kept
            .range(..c.span.end)
            .next_back()
            .is_some_and(|(_, k)| k.span.overlaps(c.span));
        if !clash {
            kept.insert(c.span.start, c);
        }
    }
    kept.into_values().collect()
}

fn is_day(raw: &Raw) -> bool {
    matches!(
        raw,
        Raw::Weekday { pod: None, .. }
            | Raw::Date { .. }
            | Raw::DayOffset { pod: None, .. }
            | Raw::Holiday { .. }
    )
}

/// Joins neighbours that make one expression: a clock time and its day
/// ("noon on Tuesday", "Friday at 3 p.m."), a weekday and its date
/// ("Tuesday, Nov. 17").
fn merge(text: &str, atoms: Vec<rules::Cand>) -> Vec<(Span, Raw)> {
    let mut out: Vec<(Span, Raw)> = Vec::new();
    for c in atoms {
        if let Some((ps, praw)) = out.last_mut() {
            let gap = text
                .get(ps.end..c.span.start)
                .unwrap_or("x")
                .trim()
                .to_ascii_lowercase();
            let joined = Span::new(ps.start, c.span.end);
            // "Today (Thursday)": today is that weekday.
            if gap == "("
                && matches!(praw, Raw::DayOffset { days: 0, pod: None })
                && matches!(c.raw, Raw::Weekday { rel: Rel::None, .. })
            {
                *praw = c.raw.clone();
                out.push((c.span, c.raw));
                continue;
            }
            let merged = match (&*praw, &c.raw) {
                (Raw::Clock { h, m }, day)
                    if is_day(day) && matches!(gap.as_str(), "" | "on" | "," | ", on") =>
                {
                    Some(Raw::Timed {
                        day: Box::new(day.clone()),
                        h: *h,
                        m: *m,
                    })
                }
                (day, Raw::Clock { h, m })
                    if is_day(day) && matches!(gap.as_str(), "" | "at" | "," | ", at") =>
                {
                    Some(Raw::Timed {
                        day: Box::new(day.clone()),
                        h: *h,
                        m: *m,
                    })
                }
                (Raw::Weekday { pod: None, .. }, Raw::Date { .. })
                    if matches!(gap.as_str(), "" | ",") =>
                {
                    Some(c.raw.clone())
                }
                // "4am Saturday 3 October": the date decides the day.
                (Raw::Timed { day, h, m }, Raw::Date { .. })
                    if matches!(**day, Raw::Weekday { pod: None, .. })
                        && matches!(gap.as_str(), "" | ",") =>
                {
                    Some(Raw::Timed {
                        day: Box::new(c.raw.clone()),
                        h: *h,
                        m: *m,
                    })
                }
                (
                    Raw::Month { y: None, m },
                    Raw::Unit {
                        unit: Unit::Year,
                        offset,
                    },
                ) if matches!(gap.as_str(), "" | "of") => Some(Raw::MonthRel {
                    m: *m,
                    offset: *offset,
                }),
                _ => None,
            };
            if let Some(raw) = merged {
                *ps = joined;
                *praw = raw;
                continue;
            }
        }
        out.push((c.span, c.raw));
    }
    out
}

/// Full calendar dates written out in the text ("Nov. 16, 2023",
/// "2023-11-16"), used to guess a publication date when none is given.
pub fn explicit_dates(text: &str) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    for c in rules::candidates(text) {
        if let Raw::Date { y: Some(y), m, d } = c.raw {
            if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                out.push(date);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
