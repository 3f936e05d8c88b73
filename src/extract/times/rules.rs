//! The extraction rules: regexes that find time expressions in running text
//! and turn each into an underspecified `Raw` value (HeidelTime's "UNDEF"
//! placeholders), resolved later against the DCT and the clause tense.
//!
//! Every regex uses the ASCII word boundary `(?-u:\b)` so the lazy DFA can
//! run on any text (a Unicode `\b` makes it fall back to a slow engine).

use std::borrow::Cow;
use std::sync::LazyLock;

use chrono::Weekday;
use regex::{CaptureLocations, Regex};

use super::windows::{Rule, Win, Windows, SET_QUANTIFIERS};
use super::words;
use crate::span::Span;

/// A part of the day, TIMEX3 style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pod {
    Mo,
    Af,
    Ev,
    Ni,
}

impl Pod {
    pub fn code(self) -> &'static str {
        match self {
            Pod::Mo => "MO",
            Pod::Af => "AF",
            Pod::Ev => "EV",
            Pod::Ni => "NI",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
    Decade,
}

/// "last", "this", "next" or nothing before a weekday, weekend or season.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rel {
    None,
    Last,
    This,
    Next,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Season {
    Spring,
    Summer,
    Fall,
    Winter,
}

impl Season {
    pub fn code(self) -> &'static str {
        match self {
            Season::Spring => "SP",
            Season::Summer => "SU",
            Season::Fall => "FA",
            Season::Winter => "WI",
        }
    }
    pub fn index(self) -> u32 {
        self as u32
    }
}

/// An underspecified time value, before resolution.
#[derive(Clone, Debug, PartialEq)]
pub enum Raw {
    Weekday {
        wd: Weekday,
        rel: Rel,
        pod: Option<Pod>,
    },
    /// A calendar day; the year is filled in from the DCT when missing.
    Date {
        y: Option<i32>,
        m: u32,
        d: u32,
    },
    Month {
        y: Option<i32>,
        m: u32,
    },
    /// "January next year": a month in the DCT year plus `offset`.
    MonthRel {
        m: u32,
        offset: i64,
    },
    /// A fixed-date holiday: the occurrence nearest the DCT, whatever the tense.
    Holiday {
        m: u32,
        d: u32,
    },
    /// The fourth Thursday of November.
    Thanksgiving,
    Year(i32),
    /// "the 1990s" -> `199`.
    Decade(i32),
    Season {
        y: Option<i32>,
        s: Season,
        rel: Rel,
    },
    /// today (0), yesterday (-1), tomorrow (+1), tonight, "this morning".
    DayOffset {
        days: i64,
        pod: Option<Pod>,
    },
    /// "this week" (0), "last month" (-1), "the end of the year" (0).
    Unit {
        unit: Unit,
        offset: i64,
    },
    Weekend {
        rel: Rel,
    },
    /// "two days ago" (sign -1), "a year from now" (sign +1); `n` None = vague.
    Ago {
        n: Option<f64>,
        unit: Unit,
        sign: i64,
    },
    /// Relative to the previous date of the text: "the next day", "two days later".
    Anaphor {
        n: i64,
        unit: Unit,
    },
    Duration(String),
    /// A TIMEX3 SET: "every week" `P1W`, "each Monday" `XXXX-WXX-1`.
    Set(String),
    Vague(&'static str),
    Clock {
        h: u32,
        m: u32,
    },
    /// A clock time on a day: "noon on Tuesday", "3 p.m. Friday".
    Timed {
        day: Box<Raw>,
        h: u32,
        m: u32,
    },
}

#[derive(Clone, Debug)]
pub struct Cand {
    pub span: Span,
    pub raw: Raw,
    /// Breaks ties between candidates with the same span (higher wins).
    pub prio: u8,
}

const UNIT_ALT: &str =
    "seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|years?|decades?|century|centuries";

/// A rule regex with its group names, so a group is found by name without
/// the regex's hash map.
struct Rx {
    re: Regex,
    /// By group index.
    names: Vec<Option<Box<str>>>,
}

impl Rx {
    fn group(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n.as_deref() == Some(name))
    }
}

fn re(p: &str) -> Rx {
    // The patterns are constants; a bad one is a programming error caught by tests.
    let re = Regex::new(p).unwrap_or_else(|e| panic!("bad time regex {p}: {e}"));
    let names = re.capture_names().map(|n| n.map(Box::from)).collect();
    Rx { re, names }
}

static RE_MONTH_DAY: LazyLock<Rx> = LazyLock::new(|| {
    let month_alt = words::month_alt();
    re(&format!(
        r"(?-u:\b)(?P<mon>{month_alt})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?-u:\b)(?:,?\s+(?P<year>\d{{4}})(?-u:\b))?"
    ))
});
static RE_DAY_MONTH: LazyLock<Rx> = LazyLock::new(|| {
    let month_alt = words::month_alt();
    re(&format!(
        r"(?-u:\b)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{month_alt})(?:,?\s+(?P<year>\d{{4}})(?-u:\b))?"
    ))
});
static RE_MONTH: LazyLock<Rx> = LazyLock::new(|| {
    let full_month_alt = words::full_month_alt();
    re(&format!(
        r"(?-u:\b)(?:(?P<part>(?i:early|late|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|end\s+of))[\s-]+)?(?P<mon>{full_month_alt})(?:,?\s+(?:of\s+)?(?P<year>\d{{4}})(?-u:\b))?(?P<poss>'s)?"
    ))
});
static RE_HOLIDAY: LazyLock<Rx> = LazyLock::new(|| {
    re(
        r"(?-u:\b)(?:Christmas(?:\s+(?P<eve>Eve|Day))?|New\s+Year(?:'|\x{2019})s(?:\s+(?P<nye>Eve|Day))?|Thanksgiving(?:\s+Day)?|Halloween)(?-u:\b)",
    )
});
static RE_ISO: LazyLock<Rx> =
    LazyLock::new(|| re(r"(?-u:\b)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?-u:\b)"));
static RE_US: LazyLock<Rx> =
    LazyLock::new(|| re(r"(?-u:\b)(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})(?-u:\b)"));
static RE_YEAR: LazyLock<Rx> = LazyLock::new(|| re(r"(?-u:\b)(?P<y>\d{4})(?P<s>s|'s)?(?-u:\b)"));
static RE_WEEKDAY: LazyLock<Rx> = LazyLock::new(|| {
    let weekday_alt = words::weekday_alt();
    re(&format!(
        r"(?-u:\b)(?:(?P<rel>(?i:this\s+past|this\s+coming|last|this|next|coming|past))\s+)?(?P<wd>{weekday_alt})(?:'s)?(?-u:\b)(?:\s+(?P<pod>morning|afternoon|evening|night|overnight)(?-u:\b))?"
    ))
});
static RE_DAYWORD: LazyLock<Rx> = LazyLock::new(|| {
    re(
        r"(?i)(?-u:\b)(?:(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|yesterday|tomorrow|tonight)(?:'s)?(?:\s+(?P<pod>morning|afternoon|evening|night)(?-u:\b))?|(?P<rel>this|last)\s+(?P<pod2>morning|afternoon|evening|night))(?-u:\b)",
    )
});
static RE_RELUNIT: LazyLock<Rx> = LazyLock::new(|| {
    re(
        r"(?i)(?-u:\b)(?:(?P<part>earlier|later|early|late|mid|the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of|the\s+middle\s+of|the\s+rest\s+of|end\s+of)[\s-]+)?(?P<rel>this|last|next|past|previous|the)\s+(?P<unit>week|month|year|quarter|decade)(?-u:\b)",
    )
});
static RE_UNITEND: LazyLock<Rx> =
    LazyLock::new(|| re(r"(?i)(?-u:\b)(?P<unit>year|month)[- ]end(?-u:\b)"));
static RE_WEEKEND: LazyLock<Rx> = LazyLock::new(|| {
    re(
        r"(?i)(?-u:\b)(?:(?P<rel>this|last|next|coming|past)\s+|the\s+(?:(?P<rel2>coming|past|previous|following)\s+)?)weekend(?-u:\b)",
    )
});
static RE_ANAPHOR: LazyLock<Rx> = LazyLock::new(|| {
    re(
        r"(?i)(?-u:\b)(?:(?:the\s+(?P<rel>following|next|previous|same|preceding)|that(?:\s+same)?)\s+(?P<unit>day|week|month|year|morning|evening|night)|the\s+(?P<unit2>day|week|month|year)\s+(?:before|prior|earlier))(?-u:\b)",
    )
});
static RE_SEASON: LazyLock<Rx> = LazyLock::new(|| {
    re(
        r"(?-u:\b)(?:(?P<rel>(?i:this\s+past|this|last|next|the|early|late|mid|in))[\s-]+)?(?P<s>summer|winter|spring|autumn|fall)(?-u:\b)(?:\s+(?:of\s+)?(?P<y>\d{4})(?-u:\b))?",
    )
});
static RE_DURATION: LazyLock<Rx> = LazyLock::new(|| {
    let num_words = words::num_words_alt();
    let num = format!(
        r"\d+(?:\.\d+)?|{num_words}|a\s+few|a\s+couple\s+of|a\s+couple|couple\s+of|dozens\s+of|hundreds\s+of|several|many|few|some|an|a"
    );
    re(&format!(
        r"(?i)(?-u:\b)(?:(?P<the>the\s+(?:next|past|last|coming|previous|first)\s+)(?:(?P<n1>{num})\s*[- ]\s*)?|(?P<n2>{num})\s*[- ]\s*)(?P<unit>{UNIT_ALT})(?-u:\b)(?:,?\s+(?:and\s+)?(?P<n3>\d+|{num_words})\s*[- ]\s*(?P<unit2>{UNIT_ALT})(?-u:\b))?"
    ))
});
static RE_BARE_UNITS: LazyLock<Rx> = LazyLock::new(|| {
    re(
        r"(?i)(?-u:\b)(?:(?:for|within|after|took|spent|lasting)\s+(?P<unit>minutes|hours|days|weeks|months|years|decades)|(?P<unit2>hours|days|weeks|months|years|decades)\s+(?:of|after|before)\s)(?-u:\b)",
    )
});
static RE_VAGUE: LazyLock<Rx> = LazyLock::new(|| {
    re(
        r"(?i)(?-u:\b)(?:(?P<present>now|currently|at\s+present|at\s+the\s+moment|at\s+this\s+point|at\s+this\s+moment(?:\s+in\s+time)?|nowadays|these\s+days|for\s+the\s+time\s+being)|(?P<future>the\s+(?:near|foreseeable|distant|immediate|not-too-distant)\s+future|(?:in|near)\s+the\s+future|soon|(?:the\s+)?coming\s+(?:days|weeks|months|years)|the\s+(?:days|weeks|months|years)\s+ahead)|(?P<past>recently|lately|in\s+the\s+past|in\s+recent\s+(?:days|weeks|months|years)|(?:years|months|weeks|decades|days)\s+ago))(?-u:\b)",
    )
});
/// Frequencies (TIMEX3 SETs): "every week", "five days a week", "each
/// Monday", "weekly". Found so that their words are not taken for
/// durations or dates.
static RE_SET: LazyLock<Rx> = LazyLock::new(|| {
    let num_words = words::num_words_alt();
    let weekday_alt = words::weekday_alt();
    let quantifier_alt = SET_QUANTIFIERS.join("|");
    re(&format!(
        r"(?i)(?-u:\b)(?:(?:(?P<c>\d+|{num_words})\s+(?P<cu>times?|days?|hours?|nights?|shifts?)\s+)?(?P<q>{quantifier_alt})\s+(?:(?P<n>\d+|{num_words}|other)\s+)?(?P<unit>days?|weeks?|months?|years?|hours?|minutes?|nights?|mornings?|evenings?|weekends?)|(?P<q2>every|each)\s+(?P<wd>{weekday_alt})|(?P<adv>daily|weekly|monthly|yearly|annually|hourly|nightly|fortnightly))(?-u:\b)"
    ))
});
/// A clock time on the 24-hour clock, which news writes with its zone:
/// "21:00 local time", "14:30 GMT".
static RE_CLOCK24: LazyLock<Rx> = LazyLock::new(|| {
    re(r"(?-u:\b)(?P<h>\d{1,2}):(?P<mi>\d{2})\s+(?:GMT|UTC|BST|CET|CEST|(?i:local\s+time))(?-u:\b)")
});
static RE_CLOCK: LazyLock<Rx> = LazyLock::new(|| {
    re(
        r"(?-u:\b)(?:(?P<h>\d{1,2})(?:[:.](?P<mi>\d{2}))?\s*(?P<ap>(?i:[ap]\.m\.?|[ap]m(?-u:\b)))|(?P<noon>(?i:noon|midday|midnight))(?-u:\b))(?:\s+(?P<tz>GMT|UTC|[A-Z][SDE]T|local\s+time)(?-u:\b))?",
    )
});

fn month_num(s: &str) -> Option<u32> {
    words::month_num(s)
}

fn weekday(s: &str) -> Option<Weekday> {
    words::weekday(s)
}

fn pod(s: &str) -> Option<Pod> {
    match &*lower(s) {
        "morning" => Some(Pod::Mo),
        "afternoon" => Some(Pod::Af),
        "evening" => Some(Pod::Ev),
        "night" | "overnight" | "tonight" => Some(Pod::Ni),
        _ => None,
    }
}

/// A number written in digits or words; `None` for vague counts ("several").
pub fn number(s: &str) -> Option<f64> {
    // Lowercase with single spaces; most counts are one lowercase word,
    // which needs no copy.
    let l: Cow<str> = if s
        .bytes()
        .any(|b| b.is_ascii_uppercase() || b.is_ascii_whitespace())
        || !s.is_ascii()
    {
        Cow::Owned(
            s.to_ascii_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        )
    } else {
        Cow::Borrowed(s)
    };
    let l = &*l;
    if let Ok(v) = l.parse::<f64>() {
        return Some(v);
    }
    if let Some(v) = words::number_word(l) {
        return Some(f64::from(v));
    }
    match l {
        "a" | "an" => Some(1.0),
        "a couple of" | "a couple" | "couple of" => Some(2.0),
        _ => None,
    }
}

fn unit_of(s: &str) -> Option<(Unit, f64)> {
    let l = lower(s);
    let l = l.trim_end_matches('s');
    Some(match l {
        "second" => (Unit::Minute, 1.0 / 60.0),
        "minute" => (Unit::Minute, 1.0),
        "hour" => (Unit::Hour, 1.0),
        "day" => (Unit::Day, 1.0),
        "week" => (Unit::Week, 1.0),
        "fortnight" => (Unit::Week, 2.0),
        "month" => (Unit::Month, 1.0),
        "year" => (Unit::Year, 1.0),
        "decade" => (Unit::Decade, 1.0),
        "century" | "centurie" => (Unit::Year, 100.0),
        _ => return None,
    })
}

/// TIMEX3 duration letter; the clock units go after a `T`.
fn unit_code(u: Unit) -> (&'static str, bool) {
    match u {
        Unit::Minute => ("M", true),
        Unit::Hour => ("H", true),
        Unit::Day => ("D", false),
        Unit::Week => ("W", false),
        Unit::Month => ("M", false),
        Unit::Quarter => ("Q", false),
        Unit::Year => ("Y", false),
        Unit::Decade => ("DE", false),
    }
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// `P3W`, `PT1H20M`, `PXD` from one or two (count, unit) parts.
pub fn duration_value(parts: &[(Option<f64>, Unit)]) -> String {
    let mut date = String::new();
    let mut time = String::new();
    for (n, u) in parts {
        let (code, is_time) = unit_code(*u);
        let n = n.map(fmt_num).unwrap_or_else(|| "X".to_string());
        let part = format!("{n}{code}");
        if is_time {
            time.push_str(&part);
        } else {
            date.push_str(&part);
        }
    }
    if time.is_empty() {
        format!("P{date}")
    } else {
        format!("P{date}T{time}")
    }
}

/// The word before byte `pos` (ASCII letters and hyphens only), lowercased.
pub fn prev_word(text: &str, pos: usize) -> Cow<'_, str> {
    let b = text.as_bytes();
    let mut e = pos.min(b.len());
    while e > 0 && (b[e - 1] == b' ' || b[e - 1] == b'\t') {
        e -= 1;
    }
    let mut s = e;
    while s > 0 && (b[s - 1].is_ascii_alphanumeric() || b[s - 1] == b'-' || b[s - 1] == b'.') {
        s -= 1;
    }
    lower(text.get(s..e).unwrap_or(""))
}

/// `s` lowercased (ASCII), copied only when it has an uppercase letter.
fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// The word after byte `pos`, as written.
fn next_word(text: &str, pos: usize) -> &str {
    let b = text.as_bytes();
    let mut s = pos.min(b.len());
    while s < b.len() && b[s] == b' ' {
        s += 1;
    }
    let mut e = s;
    while e < b.len() && (b[e].is_ascii_alphanumeric() || b[e] == b'-') {
        e += 1;
    }
    text.get(s..e).unwrap_or("")
}

fn valid_year(y: i32) -> bool {
    (1800..=2100).contains(&y)
}

/// A regex group, with offsets into the whole text.
#[derive(Clone, Copy)]
struct Group<'t> {
    start: usize,
    end: usize,
    text: &'t str,
}

impl<'t> Group<'t> {
    fn start(&self) -> usize {
        self.start
    }
    fn end(&self) -> usize {
        self.end
    }
    fn as_str(&self) -> &'t str {
        self.text
    }
    /// The part at bytes `s..e` of this group's text.
    fn sub(&self, s: usize, e: usize) -> Option<Group<'t>> {
        Some(Group {
            start: self.start + s,
            end: self.start + e,
            text: self.text.get(s..e)?,
        })
    }
}

/// The byte length of the whitespace (`\s*`, Unicode) that starts `s`.
fn space_len(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

/// The groups of a match found in a window starting at byte `off`.
struct Caps<'a, 't> {
    locs: &'a CaptureLocations,
    rx: &'t Rx,
    /// The window's text.
    hay: &'t str,
    off: usize,
}

impl<'t> Caps<'_, 't> {
    fn get(&self, i: usize) -> Option<Group<'t>> {
        let (s, e) = self.locs.get(i)?;
        Some(Group {
            start: s + self.off,
            end: e + self.off,
            text: self.hay.get(s..e)?,
        })
    }
    fn name(&self, n: &str) -> Option<Group<'t>> {
        self.get(self.rx.group(n)?)
    }
}

/// The matches of a regex inside the windows of a text, in order, found
/// with one reused set of capture slots (lent to each match in turn).
struct CapsIter<'t> {
    rx: &'t Rx,
    text: &'t str,
    wins: std::slice::Iter<'t, Win>,
    /// The current window's text, its start in `text`, where the next
    /// search in it starts and its last trigger (see `Win`).
    cur: Option<(&'t str, usize, usize, usize)>,
    /// Made at the first search for groups: most rules find no window in
    /// most texts, and the slots are an allocation.
    locs: Option<CaptureLocations>,
    /// The window text and start of the last match.
    last: (&'t str, usize),
}

impl<'t> CapsIter<'t> {
    /// The next match (window text, window start, match start and end in
    /// the window), with its groups in `locs` when `groups` is set; else
    /// only the match bounds are searched for, by the DFA alone, which is
    /// much cheaper than the capture engine.
    fn step(&mut self, groups: bool) -> Option<(&'t str, usize, usize, usize)> {
        loop {
            let (hay, off, at, last) = match self.cur {
                Some(c) => c,
                None => {
                    let w = self.wins.next()?;
                    (w.span.slice(self.text), w.span.start, 0, w.last)
                }
            };
            if at > hay.len() {
                self.cur = None;
                continue;
            }
            let found = if groups {
                self.rx
                    .re
                    .captures_read_at(self.locs_mut(), hay, at)
                    .map(|m| (m.start(), m.end()))
            } else {
                self.rx.re.find_at(hay, at).map(|m| (m.start(), m.end()))
            };
            let Some((ms, me)) = found else {
                self.cur = None;
                continue;
            };
            // No rule matches the empty string; step past one anyway so
            // the loop always moves on.
            let next = if me > ms {
                me
            } else {
                me + hay
                    .get(me..)
                    .and_then(|r| r.chars().next())
                    .map_or(1, char::len_utf8)
            };
            // No trigger starts after this match: the search for another
            // in this window would fail (or find one the rule throws away).
            self.cur = (off + me <= last).then_some((hay, off, next, last));
            self.last = (hay, off);
            return Some((hay, off, ms, me));
        }
    }

    /// The capture slots, made on first use.
    fn locs_mut(&mut self) -> &mut CaptureLocations {
        let rx = self.rx;
        self.locs.get_or_insert_with(|| rx.re.capture_locations())
    }

    fn next_match(&mut self) -> Option<Caps<'_, 't>> {
        let (hay, off, _, _) = self.step(true)?;
        Some(Caps {
            locs: self.locs.as_ref()?,
            rx: self.rx,
            hay,
            off,
        })
    }

    /// The groups of `m`, the last match `next_find` gave, by the capture
    /// engine (for the rare matches whose groups are not read off the text).
    fn groups_of(&mut self, m: &Group) -> Option<Caps<'_, 't>> {
        let (hay, off) = self.last;
        // A search from the match start finds the same match again.
        self.rx
            .re
            .captures_read_at(self.locs_mut(), hay, m.start.checked_sub(off)?)?;
        Some(Caps {
            locs: self.locs.as_ref()?,
            rx: self.rx,
            hay,
            off,
        })
    }

    /// The next match without its groups.
    fn next_find(&mut self) -> Option<Group<'t>> {
        let (hay, off, s, e) = self.step(false)?;
        Some(Group {
            start: s + off,
            end: e + off,
            text: hay.get(s..e)?,
        })
    }
}

/// The matches of `rx` inside the windows of `text`, in order.
fn caps<'t>(rx: &'t Rx, text: &'t str, wins: &'t [Win]) -> CapsIter<'t> {
    CapsIter {
        rx,
        text,
        wins: wins.iter(),
        cur: None,
        locs: None,
        last: ("", 0),
    }
}

fn group_i32(c: &Caps, name: &str) -> Option<i32> {
    c.name(name).and_then(|m| m.as_str().parse().ok())
}

fn group_u32(c: &Caps, name: &str) -> Option<u32> {
    c.name(name).and_then(|m| m.as_str().parse().ok())
}

fn push(out: &mut Vec<Cand>, start: usize, end: usize, raw: Raw, prio: u8) {
    out.push(Cand {
        span: Span::new(start, end),
        raw,
        prio,
    });
}

/// Words before a bare month or year that make it a time ("in May", "since 2019").
const TIME_PREPS: &[&str] = &[
    "in",
    "since",
    "by",
    "until",
    "till",
    "during",
    "before",
    "after",
    "from",
    "through",
    "early",
    "late",
    "mid",
    "mid-",
    "last",
    "next",
    "this",
    "of",
    "between",
    "throughout",
    "around",
];

/// Nouns after "the 2019 ..." that make the number a year.
const YEAR_NOUNS: &[&str] = &[
    "election",
    "elections",
    "vote",
    "census",
    "games",
    "olympics",
    "budget",
    "season",
    "war",
    "summit",
    "agreement",
    "accord",
    "deal",
    "crisis",
    "attack",
    "attacks",
    "uprising",
    "revolution",
    "coup",
    "referendum",
    "campaign",
    "race",
    "protests",
    "invasion",
    "law",
    "earthquake",
    "tsunami",
    "pandemic",
    "world",
    "presidential",
    "general",
    "parliamentary",
];

/// Words before "2014 coup" that make the number a year modifying a noun.
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "its", "his", "her", "their", "our", "this",
];

/// "a 2014 coup", "the 1988 explosion" but not "the 2000 people" or
/// "the 2500 troops": a singular lowercase noun follows a year.
/// "a 2012 Supreme Court ruling", "as 2024 GOP nominee": a year of this
/// or the last century before a capitalised word that is not a plural
/// ("2000 Americans" are people).
fn year_before_name(y: i32, prev: &str, next: &str) -> bool {
    (1900..=2100).contains(&y)
        && prev.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && next.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && next.len() > 1
        && !next.ends_with('s')
}

fn year_modifies(next: &str) -> bool {
    const COUNTED: &[&str] = &[
        "people",
        "police",
        "personnel",
        "staff",
        "children",
        "men",
        "women",
    ];
    let starts_lower = next.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    starts_lower
        && (YEAR_NOUNS.contains(&next) || (!next.ends_with('s') && !COUNTED.contains(&next)))
}

/// Nouns after "Today" that make it a programme's name.
const PROGRAMME_NOUNS: &[&str] = &["show", "programme", "program"];

/// Words before a weekday that make it part of a name ("Black Friday").
const NAMED_DAY_PREFIX: &[&str] = &[
    "Good", "Black", "Super", "Bloody", "Ash", "Holy", "Cyber", "Easter", "Palm", "Maundy",
    "Shrove", "Giving",
];
/// Words after a weekday that make it a paper's name ("Sunday Times").
const NAMED_DAY_SUFFIX: &[&str] = &[
    "Times",
    "Telegraph",
    "Express",
    "Mirror",
    "Post",
    "Herald",
    "Observer",
    "Mail",
    "Star",
    "Tribune",
    "Independent",
    "Night",
    "Morning",
    "Business",
    "Review",
    "Edition",
    "Sport",
];

/// Every candidate expression in `text` (overlapping; the caller picks).
pub fn candidates(text: &str) -> Vec<Cand> {
    candidates_in(text, &Windows::find(text))
}

/// The candidates the rules find inside their windows of `text`.
fn candidates_in(text: &str, w: &Windows) -> Vec<Cand> {
    let mut out = Vec::new();
    month_days(text, w, &mut out);
    months(text, w, &mut out);
    numeric_dates(text, w, &mut out);
    holidays(text, w, &mut out);
    years(text, w, &mut out);
    weekdays(text, w, &mut out);
    daywords(text, w, &mut out);
    relunits(text, w, &mut out);
    weekends(text, w, &mut out);
    anaphors(text, w, &mut out);
    seasons(text, w, &mut out);
    durations(text, w, &mut out);
    sets(text, w, &mut out);
    vague(text, w, &mut out);
    clocks(text, w, &mut out);
    // A time expression never spans lines.
    out.retain(|c| !c.span.slice(text).contains('\n') && !c.span.is_empty());
    out
}

/// The groups of a `RE_MONTH_DAY` or `RE_DAY_MONTH` match.
struct DateGroups<'t> {
    mon: Group<'t>,
    day: Group<'t>,
    year: Option<Group<'t>>,
}

/// The groups of a `RE_MONTH_DAY` match (`mon \s+ day [st|nd|rd|th]
/// [,? \s+ year]`), read off its text: the capture engine costs more than
/// the search. No month alternative holds whitespace, and `\d` holds no
/// ASCII letter, comma or whitespace.
fn month_day_groups<'t>(all: &Group<'t>) -> Option<DateGroups<'t>> {
    let s = all.as_str();
    let mon_end = s.find(char::is_whitespace)?;
    let day_start = mon_end + space_len(&s[mon_end..]);
    let day_end = s[day_start..]
        .find(|c: char| c.is_ascii_alphabetic() || c == ',' || c.is_whitespace())
        .map_or(s.len(), |i| day_start + i);
    let suffix_end = day_end
        + s[day_end..]
            .bytes()
            .take_while(u8::is_ascii_alphabetic)
            .count();
    let year = if suffix_end < s.len() {
        let rest = &s[suffix_end..];
        let rest = rest.strip_prefix(',').unwrap_or(rest);
        let year_start = s.len() - rest.trim_start().len();
        Some(all.sub(year_start, s.len())?)
    } else {
        None
    };
    Some(DateGroups {
        mon: all.sub(0, mon_end)?,
        day: all.sub(day_start, day_end)?,
        year,
    })
}

/// The groups of a `RE_DAY_MONTH` match (`day [st|nd|rd|th] \s+ [of \s+]
/// mon [\s+ year]`), read off its text as `month_day_groups`. No month
/// alternative starts with "of" (they are capitalized).
fn day_month_groups<'t>(all: &Group<'t>) -> Option<DateGroups<'t>> {
    let s = all.as_str();
    let day_end = s.find(|c: char| c.is_ascii_alphabetic() || c.is_whitespace())?;
    let mut i = day_end
        + s[day_end..]
            .bytes()
            .take_while(u8::is_ascii_alphabetic)
            .count();
    i += space_len(&s[i..]);
    if let Some(r) = s[i..].strip_prefix("of") {
        if r.starts_with(char::is_whitespace) {
            i += 2 + space_len(r);
        }
    }
    let mon_start = i;
    // The month ends at the space or comma before the year ("29th April,
    // 2020"); a short form's dot is part of it.
    let mon_end = s[mon_start..]
        .find(|c: char| c.is_whitespace() || c == ',')
        .map_or(s.len(), |j| mon_start + j);
    let year = if mon_end < s.len() {
        let comma = usize::from(s[mon_end..].starts_with(','));
        let year_start = mon_end + comma + space_len(&s[mon_end + comma..]);
        Some(all.sub(year_start, s.len())?)
    } else {
        None
    };
    Some(DateGroups {
        mon: all.sub(mon_start, mon_end)?,
        day: all.sub(0, day_end)?,
        year,
    })
}

fn month_days(text: &str, w: &Windows, out: &mut Vec<Cand>) {
    for (re, rule, read) in [
        (
            &*RE_MONTH_DAY,
            Rule::MonthDay,
            month_day_groups as for<'a> fn(&Group<'a>) -> Option<DateGroups<'a>>,
        ),
        (&*RE_DAY_MONTH, Rule::DayMonth, day_month_groups),
    ] {
        let mut matches = caps(re, text, w.of(rule));
        while let Some(all) = matches.next_find() {
            let Some(DateGroups { mon, day, year }) = read(&all) else {
                continue;
            };
            let (Some(m), Some(d)) = (month_num(mon.as_str()), day.as_str().parse::<u32>().ok())
            else {
                continue;
            };
            if !(1..=31).contains(&d) {
                continue;
            }
            let y = year
                .and_then(|g| g.as_str().parse::<i32>().ok())
                .filter(|y| valid_year(*y));
            // "Nov. 16, 2500 people": the number is not a year; keep the day only.
            let end = match (year, y) {
                (Some(_), None) => mon.end().max(day.end()),
                _ => all.end(),
            };
            push(out, all.start(), end, Raw::Date { y, m, d }, 5);
        }
    }
}

fn months(text: &str, w: &Windows, out: &mut Vec<Cand>) {
    let mut matches = caps(&RE_MONTH, text, w.of(Rule::Month));
    while let Some(c) = matches.next_match() {
        let (Some(all), Some(mon)) = (c.get(0), c.name("mon")) else {
            continue;
        };
        let Some(m) = month_num(mon.as_str()) else {
            continue;
        };
        let y = group_i32(&c, "year").filter(|y| valid_year(*y));
        let has_part = c.name("part").is_some();
        let end = match (c.name("year"), y) {
            (Some(_), None) => mon.end(),
            _ => c.name("year").map(|g| g.end()).unwrap_or(mon.end()),
        };
        if y.is_none() && !has_part {
            // A bare month needs a preposition before it ("in May") or a
            // possessive ("September's vote"); "May" and "March" need the
            // preposition, as they are also a verb.
            let pw = prev_word(text, all.start());
            let ok_prev = TIME_PREPS.contains(&&*pw);
            let ok_poss = c.name("poss").is_some() && !matches!(m, 3 | 5);
            // "the November election", "April primaries".
            let nw = lower(next_word(text, end));
            let ok_noun =
                words::is_month_noun(&nw) && (DETERMINERS.contains(&&*pw) || !matches!(m, 3 | 5));
            if !ok_prev && !ok_poss && !ok_noun {
                continue;
            }
        }
        push(out, all.start(), end, Raw::Month { y, m }, 4);
    }
}

fn holidays(text: &str, w: &Windows, out: &mut Vec<Cand>) {
    let mut matches = caps(&RE_HOLIDAY, text, w.of(Rule::Holiday));
    while let Some(c) = matches.next_match() {
        let Some(all) = c.get(0) else { continue };
        let s = all.as_str();
        let raw = if s.starts_with("Christmas") {
            let eve = c.name("eve").is_some_and(|e| e.as_str() == "Eve");
            Raw::Date {
                y: None,
                m: 12,
                d: if eve { 24 } else { 25 },
            }
        } else if s.starts_with("New") {
            if c.name("nye").is_some_and(|e| e.as_str() == "Eve") {
                Raw::Date {
                    y: None,
                    m: 12,
                    d: 31,
                }
            } else {
                Raw::Date {
                    y: None,
                    m: 1,
                    d: 1,
                }
            }
        } else if s.starts_with("Thanksgiving") {
            Raw::Thanksgiving
        } else {
            Raw::Date {
                y: None,
                m: 10,
                d: 31,
            }
        };
        push(out, all.start(), all.end(), raw, 5);
    }
}

fn numeric_dates(text: &str, w: &Windows, out: &mut Vec<Cand>) {
    for (re, rule) in [(&*RE_ISO, Rule::Iso), (&*RE_US, Rule::Us)] {
        let mut matches = caps(re, text, w.of(rule));
        while let Some(c) = matches.next_match() {
            let Some(all) = c.get(0) else { continue };
            let (Some(y), Some(m), Some(d)) =
                (group_i32(&c, "y"), group_u32(&c, "m"), group_u32(&c, "d"))
            else {
                continue;
            };
            if valid_year(y) && chrono::NaiveDate::from_ymd_opt(y, m, d).is_some() {
                push(
                    out,
                    all.start(),
                    all.end(),
                    Raw::Date { y: Some(y), m, d },
                    6,
                );
            }
        }
    }
}

fn years(text: &str, w: &Windows, out: &mut Vec<Cand>) {
    let b = text.as_bytes();
    let mut matches = caps(&RE_YEAR, text, w.of(Rule::Year));
    while let Some(all) = matches.next_find() {
        // The groups, read off the match `\d{4}(s|'s)?`: the optional
        // suffix is all that follows the digits.
        let m = all.as_str();
        let (digits, suffix) = if let Some(d) = m.strip_suffix("'s") {
            (d, Some("'s"))
        } else if let Some(d) = m.strip_suffix('s') {
            (d, Some("s"))
        } else {
            (m, None)
        };
        let Ok(y) = digits.parse::<i32>() else {
            continue;
        };
        if !valid_year(y) {
            continue;
        }
        // Not part of a bigger number or code: "1,2000", "2020-21", "$2000".
        let before = all.start().checked_sub(1).map(|i| b[i]);
        let after = b.get(all.end()).copied();
        if matches!(before, Some(b',' | b'.' | b'$' | b'#' | b'/' | b'-'))
            || (matches!(after, Some(b',' | b'.' | b'/'))
                && b.get(all.end() + 1).is_some_and(|x| x.is_ascii_digit()))
            || after == Some(b'%')
        {
            continue;
        }
        let pw = prev_word(text, all.start());
        if suffix == Some("s") {
            // "the 1990s": a decade, when it ends in zero.
            if y % 10 == 0 && matches!(&*pw, "the" | "early" | "late" | "mid" | "mid-" | "in") {
                push(out, all.start(), all.end(), Raw::Decade(y / 10), 3);
            }
            continue;
        }
        let nw = next_word(text, all.end());
        let ok = TIME_PREPS.contains(&&*pw)
            || suffix == Some("'s")
            || (pw == "the" && YEAR_NOUNS.contains(&&*lower(nw)))
            || (DETERMINERS.contains(&&*pw) && year_modifies(nw))
            || year_before_name(y, &pw, nw)
            || (matches!(&*pw, "and" | "or" | "to") && preceded_by_year(text, all.start()));
        if ok {
            let end = if suffix == Some("'s") {
                all.end() - 2
            } else {
                all.end()
            };
            push(out, all.start(), end, Raw::Year(y), 3);
        }
    }
}

/// "2019 and 2020": is there a year two words back?
fn preceded_by_year(text: &str, pos: usize) -> bool {
    let b = text.as_bytes();
    let mut e = pos;
    // Skip the connective and the spaces around it.
    while e > 0 && b[e - 1] == b' ' {
        e -= 1;
    }
    while e > 0 && b[e - 1].is_ascii_alphabetic() {
        e -= 1;
    }
    while e > 0 && b[e - 1] == b' ' {
        e -= 1;
    }
    e >= 4 && b[e - 4..e].iter().all(u8::is_ascii_digit)
}

/// The groups of a `RE_WEEKDAY` match.
struct WeekdayGroups<'t> {
    /// Absolute bounds of the day name.
    wd: (usize, usize),
    rel: Option<&'t str>,
    pod: Option<&'t str>,
}

/// The groups of a `RE_WEEKDAY` match, read off its text (the capture
/// engine costs more than the search).
fn weekday_groups<'t>(all: &Group<'t>) -> Option<WeekdayGroups<'t>> {
    let s = all.as_str();
    // `rel` ("this past", "next" ... any case) holds no capitalized day
    // name, so the first one in the match is `wd`.
    let (ws, name) = s
        .bytes()
        .enumerate()
        .filter(|(_, b)| b.is_ascii_uppercase())
        .find_map(|(i, _)| {
            let at = s.get(i..)?;
            words::WEEKDAY_NAMES
                .iter()
                .find(|n| at.starts_with(**n))
                .map(|n| (i, *n))
        })?;
    let we = ws + name.len();
    // `rel` is followed by `\s+`; `pod` follows the optional "'s" after `\s+`.
    let rel = Some(s.get(..ws)?.trim_end()).filter(|r| !r.is_empty());
    let rest = s.get(we..)?;
    let rest = rest.strip_prefix("'s").unwrap_or(rest);
    let pod = Some(rest.trim_start()).filter(|p| !p.is_empty());
    Some(WeekdayGroups {
        wd: (all.start() + ws, all.start() + we),
        rel,
        pod,
    })
}

fn weekdays(text: &str, w: &Windows, out: &mut Vec<Cand>) {
    let mut matches = caps(&RE_WEEKDAY, text, w.of(Rule::Weekday));
    while let Some(all) = matches.next_find() {
        let Some(WeekdayGroups {
            wd: (wd_start, wd_end),
            rel,
            pod: pod_text,
        }) = weekday_groups(&all)
        else {
            continue;
        };
        let Some(wd) = text.get(wd_start..wd_end).and_then(weekday) else {
            continue;
        };
        // Day names inside proper names.
        let pw = prev_word(text, wd_start);
        let nw = next_word(text, wd_end);
        let prev_raw = text.get(..wd_start).unwrap_or("").trim_end();
        if NAMED_DAY_PREFIX.iter().any(|p| prev_raw.ends_with(p))
            || NAMED_DAY_SUFFIX.contains(&nw)
            || (pw == "the" && nw.chars().next().is_some_and(char::is_uppercase))
        {
            continue;
        }
        let rel = match rel.map(lower) {
            None => Rel::None,
            Some(r) if r == "last" || r.ends_with("past") => Rel::Last,
            Some(r) if r == "next" || r.ends_with("coming") => Rel::Next,
            Some(_) => Rel::This,
        };
        let pod = pod_text.and_then(pod);
        push(
            out,
            all.start(),
            all.end(),
            Raw::Weekday { wd, rel, pod },
            5,
        );
    }
}

fn daywords(text: &str, w: &Windows, out: &mut Vec<Cand>) {
    let mut matches = caps(&RE_DAYWORD, text, w.of(Rule::Dayword));
    while let Some(c) = matches.next_match() {
        let Some(all) = c.get(0) else { continue };
        // "Today" as the name of a programme ("NBC's Today show").
        if all.as_str() == "Today" && PROGRAMME_NOUNS.contains(&&*lower(next_word(text, all.end())))
        {
            continue;
        }
        let (days, pod0) = if let Some(w) = c.name("w") {
            let w = lower(w.as_str());
            if w.starts_with("the day before") {
                (-2, None)
            } else if w.starts_with("the day after") {
                (2, None)
            } else {
                match &*w {
                    "yesterday" => (-1, None),
                    "tomorrow" => (1, None),
                    "tonight" => (0, Some(Pod::Ni)),
                    _ => (0, None),
                }
            }
        } else {
            let last = c
                .name("rel")
                .is_some_and(|r| r.as_str().eq_ignore_ascii_case("last"));
            (if last { -1 } else { 0 }, None)
        };
        let pod = pod0.or_else(|| {
            c.name("pod")
                .or(c.name("pod2"))
                .and_then(|p| pod(p.as_str()))
        });
        push(out, all.start(), all.end(), Raw::DayOffset { days, pod }, 5);
    }
}

fn unit_word(s: &str) -> Option<Unit> {
    match &*lower(s) {
        "day" | "morning" | "evening" | "night" => Some(Unit::Day),
        "week" => Some(Unit::Week),
        "month" => Some(Unit::Month),
        "quarter" => Some(Unit::Quarter),
        "year" => Some(Unit::Year),
        "decade" => Some(Unit::Decade),
        _ => None,
    }
}

fn relunits(text: &str, w: &Windows, out: &mut Vec<Cand>) {
    let mut matches = caps(&RE_RELUNIT, text, w.of(Rule::RelUnit));
    while let Some(c) = matches.next_match() {
        let (Some(all), Some(relm), Some(u)) = (c.get(0), c.name("rel"), c.name("unit")) else {
            continue;
        };
        let Some(unit) = unit_word(u.as_str()) else {
            continue;
        };
        let rel = lower(relm.as_str());
        let part = c.name("part").map(|p| lower(p.as_str()));
        let offset = match &*rel {
            "this" => 0,
            "last" | "past" | "previous" => -1,
            "next" => 1,
            // "the year" only with a part: "the end of the year".
            _ => {
                if part.as_deref().is_some_and(|p| p.contains(" of")) {
                    0
                } else {
                    continue;
                }
            }
        };
        // "the past year" is a duration (another rule); "past week" alone is rare.
        if rel == "past" || rel == "previous" {
            let pw = prev_word(text, relm.start());
            if pw == "the" && part.is_none() {
                continue;
            }
        }
        push(out, all.start(), all.end(), Raw::Unit { unit, offset }, 4);
    }
    let mut matches = caps(&RE_UNITEND, text, w.of(Rule::UnitEnd));
    while let Some(c) = matches.next_match() {
        let (Some(all), Some(u)) = (c.get(0), c.name("unit")) else {
            continue;
        };
        let Some(unit) = unit_word(u.as_str()) else {
            continue;
        };
        push(
            out,
            all.start(),
            all.end(),
            Raw::Unit { unit, offset: 0 },
            4,
        );
    }
}

fn weekends(text: &str, w: &Windows, out: &mut Vec<Cand>) {
    let mut matches = caps(&RE_WEEKEND, text, w.of(Rule::Weekend));
    while let Some(c) = matches.next_match() {
        let Some(all) = c.get(0) else { continue };
        let r = c.name("rel").or(c.name("rel2")).map(|r| lower(r.as_str()));
        let rel = match r.as_deref() {
            None => Rel::None,
            Some("last" | "past" | "previous") => Rel::Last,
            Some("next" | "coming" | "following") => Rel::Next,
            Some(_) => Rel::This,
        };
        push(out, all.start(), all.end(), Raw::Weekend { rel }, 5);
    }
}

fn anaphors(text: &str, w: &Windows, out: &mut Vec<Cand>) {
    let mut matches = caps(&RE_ANAPHOR, text, w.of(Rule::Anaphor));
    while let Some(c) = matches.next_match() {
        let Some(all) = c.get(0) else {
            continue;
        };
        let (u, n) = match (c.name("unit"), c.name("unit2")) {
            (Some(u), _) => (
                u,
                match c.name("rel").map(|r| lower(r.as_str())).as_deref() {
                    Some("following" | "next") => 1,
                    Some("previous" | "preceding") => -1,
                    _ => 0,
                },
            ),
            // "the week prior", "the day before" at the end of a phrase;
            // "the day before the vote" is relative to the vote instead.
            (None, Some(u)) => {
                let after = text.get(all.end()..).unwrap_or("").trim_start();
                if after.starts_with(|ch: char| ch.is_alphanumeric()) {
                    continue;
                }
                (u, -1)
            }
            _ => continue,
        };
        let Some(unit) = unit_word(u.as_str()) else {
            continue;
        };
        // "the next week" is a span of time ahead, handled as a duration.
        if n == 1
            && unit != Unit::Day
            && c.name("rel")
                .is_some_and(|r| r.as_str().eq_ignore_ascii_case("next"))
        {
            continue;
        }
        push(out, all.start(), all.end(), Raw::Anaphor { n, unit }, 5);
    }
}

fn seasons(text: &str, w: &Windows, out: &mut Vec<Cand>) {
    let mut matches = caps(&RE_SEASON, text, w.of(Rule::Season));
    while let Some(c) = matches.next_match() {
        let (Some(all), Some(sm)) = (c.get(0), c.name("s")) else {
            continue;
        };
        let s = match sm.as_str() {
            "spring" => Season::Spring,
            "summer" => Season::Summer,
            "autumn" | "fall" => Season::Fall,
            _ => Season::Winter,
        };
        let y = group_i32(&c, "y").filter(|y| valid_year(*y));
        let r = c.name("rel").map(|r| lower(r.as_str()));
        let rel = match r.as_deref() {
            Some("last") | Some("this past") => Rel::Last,
            Some("next") => Rel::Next,
            Some("this") => Rel::This,
            _ => Rel::None,
        };
        // "fall" and "spring" are also a verb and a noun: demand a clear marker.
        let strict = matches!(sm.as_str(), "fall" | "spring");
        let marked = y.is_some() || matches!(rel, Rel::Last | Rel::Next | Rel::This);
        if r.is_none() && y.is_none() {
            continue;
        }
        if strict && !marked {
            continue;
        }
        // "the fall of the capital".
        if y.is_none() && next_word(text, sm.end()) == "of" {
            continue;
        }
        // Leave "in" out of the span.
        let start = match (r.as_deref(), c.name("rel")) {
            (Some("in"), _) => sm.start(),
            _ => all.start(),
        };
        let end = if y.is_some() { all.end() } else { sm.end() };
        push(out, start, end, Raw::Season { y, s, rel }, 4);
    }
}

/// The groups of a `RE_DURATION` match.
struct DurationGroups<'t> {
    the: Option<Group<'t>>,
    /// `n1` or `n2`.
    num: Option<Group<'t>>,
    unit: Option<Group<'t>>,
    n3: Option<Group<'t>>,
    unit2: Option<Group<'t>>,
}

/// The groups of an ASCII `RE_DURATION` match, read off its text. The match
/// is `[the \s+ rel \s+] [num sep] unit [,? \s+ [and \s+] n3 sep unit2]`
/// with `sep` = `\s*[- ]\s*`: no count or "the ..." word is a unit, so
/// `unit` is the first unit word after the "the ..." part, `unit2` the last
/// word, and the counts are what lies between, less the separators.
fn duration_groups<'t>(all: &Group<'t>) -> Option<DurationGroups<'t>> {
    let s = all.as_str();
    let b = s.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    // The ASCII words of the match, as byte ranges.
    let mut words = Vec::with_capacity(8);
    let mut i = 0;
    while i < b.len() {
        if word(b[i]) {
            let st = i;
            while i < b.len() && word(b[i]) {
                i += 1;
            }
            words.push((st, i));
        } else {
            i += 1;
        }
    }
    const UNITS: [&str; 20] = [
        "second",
        "seconds",
        "minute",
        "minutes",
        "hour",
        "hours",
        "day",
        "days",
        "week",
        "weeks",
        "fortnight",
        "fortnights",
        "month",
        "months",
        "year",
        "years",
        "decade",
        "decades",
        "century",
        "centuries",
    ];
    let is_unit = |(st, en): (usize, usize)| {
        let w = &s[st..en];
        UNITS.iter().any(|u| w.eq_ignore_ascii_case(u))
    };
    const RELS: [&str; 6] = ["next", "past", "last", "coming", "previous", "first"];
    // "the" + a relative word opens the `the` branch (no count starts with "the").
    let the_end = match words.as_slice() {
        [(0, 3), r, ..]
            if s[..3].eq_ignore_ascii_case("the")
                && RELS.iter().any(|x| s[r.0..r.1].eq_ignore_ascii_case(x)) =>
        {
            Some(r.1 + space_len(&s[r.1..]))
        }
        _ => None,
    };
    let from = the_end.unwrap_or(0);
    let ui = words.iter().position(|w| w.0 >= from && is_unit(*w))?;
    let (us, ue) = words[ui];
    // A count before a unit, less the separator after it.
    let count = |st: usize, en: usize| -> Option<Group<'t>> {
        let pre = s.get(st..en)?.trim_end();
        let pre = pre.strip_suffix('-').unwrap_or(pre).trim_end();
        if pre.is_empty() {
            None
        } else {
            all.sub(st, st + pre.len())
        }
    };
    let num = count(from, us);
    let (n3, unit2) = if ue < s.len() {
        let (u2s, u2e) = *words.last()?;
        let mut st = ue;
        st += usize::from(s[st..].starts_with(','));
        st += space_len(&s[st..]);
        // "and" is no count (n3 is digits or a number word).
        if b.get(st..st + 3)
            .is_some_and(|a| a.eq_ignore_ascii_case(b"and"))
            && s[st + 3..].starts_with(char::is_whitespace)
        {
            st += 3 + space_len(&s[st + 3..]);
        }
        (Some(count(st, u2s)?), Some(all.sub(u2s, u2e)?))
    } else {
        (None, None)
    };
    Some(DurationGroups {
        the: match the_end {
            Some(e) => Some(all.sub(0, e)?),
            None => None,
        },
        num,
        unit: Some(all.sub(us, ue)?),
        n3,
        unit2,
    })
}

fn durations(text: &str, w: &Windows, out: &mut Vec<Cand>) {
    let mut matches = caps(&RE_DURATION, text, w.of(Rule::Duration));
    while let Some(all) = matches.next_find() {
        // The groups, read off an ASCII match; the capture engine (which
        // costs more than the search) only for the others.
        let g = if all.as_str().is_ascii() {
            duration_groups(&all)
        } else {
            matches.groups_of(&all).map(|c| DurationGroups {
                the: c.name("the"),
                num: c.name("n1").or(c.name("n2")),
                unit: c.name("unit"),
                n3: c.name("n3"),
                unit2: c.name("unit2"),
            })
        };
        let Some(DurationGroups {
            the,
            num: numm,
            unit: Some(um),
            n3,
            unit2,
        }) = g
        else {
            continue;
        };
        let Some((unit, mult)) = unit_of(um.as_str()) else {
            continue;
        };
        let nums = numm.map(|m| lower(m.as_str()));
        let has_the = the.is_some();
        let the_first = the.is_some_and(|t| lower(t.as_str()).contains("first"));
        if numm.is_none() && (!has_the || matches!(unit, Unit::Day) || the_first) {
            // "the next day" is an anaphor, not a duration.
            continue;
        }
        let unit_text = lower(um.as_str());
        // "a second term", "the second day": ordinal, not a unit.
        if unit_text == "second" && nums.as_deref().is_none_or(|n| matches!(n, "a" | "an")) {
            continue;
        }
        let plural = unit_text.ends_with('s');
        // "a days" does not happen; "one weeks" neither: singular counts only with 1.
        let n = match nums.as_deref() {
            None => Some(1.0),
            Some(s) => number(s),
        };
        if let Some(v) = n {
            if v == 1.0
                && plural
                && nums
                    .as_deref()
                    .is_some_and(|s| !s.chars().all(|ch| ch.is_ascii_digit()))
            {
                continue;
            }
        }
        // "will one day choose": a vague future, not a day long.
        if nums.as_deref() == Some("one")
            && unit == Unit::Day
            && matches!(
                &*prev_word(text, all.start()),
                "will" | "would" | "could" | "may" | "might" | "can" | "shall"
            )
        {
            continue;
        }
        let n = n.map(|v| v * mult);
        let tail = text.get(all.end()..).unwrap_or("");
        let tail_l: String = tail
            .chars()
            .take(12)
            .collect::<String>()
            .to_ascii_lowercase();
        // Ages: "a 45-year-old", "five years old".
        if tail_l.starts_with("-old") || tail_l.starts_with(" old") || tail_l.starts_with("s old") {
            continue;
        }
        // Measure names: "a seven-day rate", "the 14-day average".
        if all.as_str().contains('-') && words::is_measure_noun(&lower(next_word(text, all.end())))
        {
            continue;
        }
        let start = all.start();
        if let Some(rest) = tail_l.strip_prefix(" ago") {
            if !rest.starts_with(|ch: char| ch.is_ascii_alphanumeric()) {
                push(out, start, all.end() + 4, Raw::Ago { n, unit, sign: -1 }, 6);
                continue;
            }
        }
        if tail_l.starts_with(" from now") {
            push(out, start, all.end() + 9, Raw::Ago { n, unit, sign: 1 }, 6);
            continue;
        }
        // "a week earlier", "a day after": the gold of news (after the VOA
        // convention) reads "a week" as the duration between the two.
        let single = nums.as_deref().is_some_and(|n| matches!(n, "a" | "an")) && !has_the;
        for (word, sign) in [(" later", 1i64), (" earlier", -1)] {
            if single {
                break;
            }
            if tail_l.starts_with(word)
                && !tail_l[word.len()..].starts_with(|ch: char| ch.is_ascii_alphanumeric())
            {
                let k = n.map(|v| v.round() as i64).unwrap_or(1);
                push(
                    out,
                    start,
                    all.end() + word.len(),
                    Raw::Anaphor { n: k * sign, unit },
                    6,
                );
            }
        }
        if !single && (tail_l.starts_with(" later") || tail_l.starts_with(" earlier")) {
            continue;
        }
        let mut parts = vec![(n, unit)];
        if let (Some(n3), Some(u2)) = (n3, unit2) {
            if let Some((u2, mult2)) = unit_of(u2.as_str()) {
                parts.push((number(n3.as_str()).map(|v| v * mult2), u2));
            }
        }
        push(
            out,
            start,
            all.end(),
            Raw::Duration(duration_value(&parts)),
            4,
        );
    }
    let mut matches = caps(&RE_BARE_UNITS, text, w.of(Rule::BareUnits));
    while let Some(c) = matches.next_match() {
        let Some(um) = c.name("unit").or(c.name("unit2")) else {
            continue;
        };
        // "the weeks of", "final days before": a determiner makes it a stretch of the story.
        if c.name("unit2").is_some() {
            let pw = prev_word(text, um.start());
            // "Days of Rage" is a name; "Days after the vote" a time.
            if (pw.is_empty() && lower(next_word(text, um.end())) == "of")
                || pw.chars().all(|ch| ch.is_ascii_digit()) && !pw.is_empty()
                || matches!(
                    &*pw,
                    "the"
                        | "these"
                        | "those"
                        | "final"
                        | "last"
                        | "first"
                        | "few"
                        | "several"
                        | "many"
                        | "some"
                )
            {
                continue;
            }
        }
        let Some((unit, _)) = unit_of(um.as_str()) else {
            continue;
        };
        // "for years to come" and "for months" are vague durations.
        push(
            out,
            um.start(),
            um.end(),
            Raw::Duration(duration_value(&[(None, unit)])),
            2,
        );
    }
}

fn vague(text: &str, w: &Windows, out: &mut Vec<Cand>) {
    let mut matches = caps(&RE_VAGUE, text, w.of(Rule::Vague));
    while let Some(all) = matches.next_find() {
        let s = lower(all.as_str());
        // Which alternative matched, read off an ASCII match; the capture
        // engine (which costs more than the search) only for the others
        // (letters that fold to ASCII).
        let kind = if s.is_ascii() {
            vague_kind(&s)
        } else {
            matches.groups_of(&all).and_then(|c| {
                ["present", "future", "past"]
                    .into_iter()
                    .find(|k| c.name(k).is_some())
            })
        };
        let Some(kind) = kind else { continue };
        let mut start = all.start();
        let v = if kind == "present" {
            // "now-defunct"; "just now" is fine.
            if s == "now" && text.as_bytes().get(all.end()) == Some(&b'-') {
                continue;
            }
            "PRESENT_REF"
        } else if kind == "future" {
            // "as soon as".
            if s == "soon" && prev_word(text, start) == "as" {
                continue;
            }
            if s.starts_with("in ") || s.starts_with("near ") {
                start += s.find(' ').unwrap_or(0) + 1;
            }
            "FUTURE_REF"
        } else {
            if s.starts_with("in ") {
                start += 3;
            }
            // "(in) recent weeks": a vague stretch of weeks, `PXW`.
            if let Some(u) = s.strip_prefix("in recent ").and_then(unit_word_plural) {
                push(
                    out,
                    start,
                    all.end(),
                    Raw::Duration(duration_value(&[(None, u)])),
                    3,
                );
                continue;
            }
            "PAST_REF"
        };
        push(out, start, all.end(), Raw::Vague(v), 3);
    }
}

/// The group ("present", "future", "past") of a lowercase ASCII
/// `RE_VAGUE` match, from its first and last words: the three languages
/// are disjoint, and only the counted "days/weeks..." phrases share a last
/// word ("these days", "coming days", "in recent days").
fn vague_kind(s: &str) -> Option<&'static str> {
    let mut words = s.split(char::is_whitespace).filter(|w| !w.is_empty());
    let first = words.next()?;
    let last = words.next_back().unwrap_or(first);
    Some(match last {
        "now" | "currently" | "present" | "moment" | "nowadays" | "being" | "point" => "present",
        "time" if first == "at" => "present",
        "future" | "soon" | "ahead" => "future",
        "recently" | "lately" | "past" | "ago" => "past",
        _ => match first {
            "these" => "present",
            "in" => "past",
            _ => "future",
        },
    })
}

/// The unit of a plural unit word ("weeks").
fn unit_word_plural(s: &str) -> Option<Unit> {
    unit_word(s.trim().strip_suffix('s')?)
}

fn sets(text: &str, w: &Windows, out: &mut Vec<Cand>) {
    let mut matches = caps(&RE_SET, text, w.of(Rule::Set));
    while let Some(c) = matches.next_match() {
        let Some(all) = c.get(0) else { continue };
        let value = if let Some(a) = c.name("adv") {
            match &*lower(a.as_str()) {
                "daily" => "P1D",
                "weekly" => "P1W",
                "monthly" => "P1M",
                "yearly" | "annually" => "P1Y",
                "hourly" => "PT1H",
                "nightly" => "XXXX-XX-XXTNI",
                _ => "P2W",
            }
            .to_string()
        } else if let Some(wd) = c.name("wd") {
            let Some(d) = words::weekday(&title_case(wd.as_str())) else {
                continue;
            };
            format!("XXXX-WXX-{}", d.number_from_monday())
        } else {
            let (Some(q), Some(u)) = (c.name("q"), c.name("unit")) else {
                continue;
            };
            let q = lower(q.as_str());
            let u = lower(u.as_str());
            let u = u.trim_end_matches('s');
            // "a week" is a frequency only after a count: "five days a
            // week", "25 bodies a week", "twice a day"; "a week earlier",
            // "a day after" are not.
            let nw = lower(next_word(text, all.end()));
            if matches!(&*q, "a" | "an")
                && matches!(
                    &*nw,
                    "earlier" | "later" | "after" | "before" | "ago" | "or"
                )
            {
                continue;
            }
            if matches!(&*q, "a" | "an") && c.name("c").is_none() {
                let pw = prev_word(text, all.start());
                let counted = number(&pw).is_some()
                    || matches!(&*pw, "once" | "twice" | "times")
                    || (pw.ends_with('s')
                        && number(&prev_word(
                            text,
                            all.start() - pw.len().min(all.start()) - 1,
                        ))
                        .is_some());
                if !counted {
                    continue;
                }
            }
            let n = match c.name("n").map(|n| lower(n.as_str())) {
                None => 1.0,
                Some(n) if n == "other" => 2.0,
                Some(n) => number(&n).unwrap_or(1.0),
            };
            match u {
                "morning" => "XXXX-XX-XXTMO".to_string(),
                "evening" => "XXXX-XX-XXTEV".to_string(),
                "night" => "XXXX-XX-XXTNI".to_string(),
                "weekend" => "XXXX-WXX-WE".to_string(),
                _ => match unit_of(u) {
                    Some((unit, mult)) => duration_value(&[(Some(n * mult), unit)]),
                    None => continue,
                },
            }
        };
        push(out, all.start(), all.end(), Raw::Set(value), 7);
    }
}

fn title_case(s: &str) -> String {
    let l = s.to_ascii_lowercase();
    let mut c = l.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

fn clocks(text: &str, w: &Windows, out: &mut Vec<Cand>) {
    let mut matches = caps(&RE_CLOCK24, text, w.of(Rule::Clock));
    while let Some(c) = matches.next_match() {
        let Some(all) = c.get(0) else { continue };
        let (Some(h), Some(m)) = (group_u32(&c, "h"), group_u32(&c, "mi")) else {
            continue;
        };
        if h > 23 || m > 59 {
            continue;
        }
        push(out, all.start(), all.end(), Raw::Clock { h, m }, 5);
    }
    let mut matches = caps(&RE_CLOCK, text, w.of(Rule::Clock));
    while let Some(c) = matches.next_match() {
        let Some(all) = c.get(0) else { continue };
        let (h, m) = if let Some(n) = c.name("noon") {
            if n.as_str().eq_ignore_ascii_case("midnight") {
                (24, 0)
            } else {
                (12, 0)
            }
        } else {
            let (Some(h), mi) = (group_u32(&c, "h"), group_u32(&c, "mi").unwrap_or(0)) else {
                continue;
            };
            if !(1..=12).contains(&h) || mi > 59 {
                continue;
            }
            let pm = c
                .name("ap")
                .is_some_and(|a| a.as_str().starts_with(['p', 'P']));
            let h = match (h, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (h, true) => h + 12,
                (h, false) => h,
            };
            (h, mi)
        };
        push(out, all.start(), all.end(), Raw::Clock { h, m }, 5);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_durations() {
        assert_eq!(number("three"), Some(3.0));
        assert_eq!(number("twenty-four"), Some(24.0));
        assert_eq!(number("several"), None);
        assert_eq!(
            duration_value(&[(Some(1.0), Unit::Hour), (Some(20.0), Unit::Minute)]),
            "PT1H20M"
        );
        assert_eq!(duration_value(&[(None, Unit::Week)]), "PXW");
        assert_eq!(duration_value(&[(Some(44.0), Unit::Day)]), "P44D");
    }

    /// The groups read off the match text agree with the capture engine.
    #[test]
    fn read_off_groups_match_captures() {
        let texts = [
            "for the next two weeks, and three days ago, the past 24 hours",
            "a couple of days, the next couple of days, 1.5 years, 20-year-old",
            "five years and 3 months, The Next Few Weeks, two - hours, 3 days",
            "the first day, the past year, several months, a  century,\u{a0}2 centuries",
            "On Nov. 17, 2023 and 5th of November\u{a0}2020, 17 Dec 2500 people",
            "Sept. 3rd, Jan 5 2020 and 3 Marching in 1990s, 2019's vote, 2020s",
            "now, these days, the coming weeks, in recent  years, years ago, soon",
        ];
        let get = |c: &Caps, n: &str| c.name(n).map(|g| (g.start(), g.end()));
        let pos = |g: Option<Group>| g.map(|g| (g.start(), g.end()));
        for t in texts {
            let w = [Win {
                span: Span::new(0, t.len()),
                last: usize::MAX,
            }];
            let mut m = caps(&RE_DURATION, t, &w);
            let mut n = 0;
            while let Some(all) = m.next_find() {
                let g = duration_groups(&all).unwrap();
                let c = m.groups_of(&all).unwrap();
                assert_eq!(pos(g.the), get(&c, "the"), "{all:?}", all = all.as_str());
                assert_eq!(pos(g.num), get(&c, "n1").or(get(&c, "n2")));
                assert_eq!(pos(g.unit), get(&c, "unit"));
                assert_eq!(pos(g.n3), get(&c, "n3"));
                assert_eq!(pos(g.unit2), get(&c, "unit2"));
                n += 1;
            }
            for (re, read) in [
                (
                    &*RE_MONTH_DAY,
                    month_day_groups as for<'a> fn(&Group<'a>) -> Option<DateGroups<'a>>,
                ),
                (&*RE_DAY_MONTH, day_month_groups),
            ] {
                let mut m = caps(re, t, &w);
                while let Some(all) = m.next_find() {
                    let g = read(&all).unwrap();
                    let c = m.groups_of(&all).unwrap();
                    assert_eq!(pos(Some(g.mon)), get(&c, "mon"));
                    assert_eq!(pos(Some(g.day)), get(&c, "day"));
                    assert_eq!(pos(g.year), get(&c, "year"));
                    n += 1;
                }
            }
            let mut m = caps(&RE_VAGUE, t, &w);
            while let Some(all) = m.next_find() {
                let kind = vague_kind(&lower(all.as_str())).unwrap();
                let c = m.groups_of(&all).unwrap();
                assert!(c.name(kind).is_some(), "{}", all.as_str());
                n += 1;
            }
            assert!(n > 0);
        }
    }

    use proptest::prelude::*;

    /// Pieces of text that the rules and their fast paths care about, so
    /// that random text is full of near-misses: time words, numbers,
    /// separators, case changes, non-ASCII spaces and letters.
    fn piece() -> impl Strategy<Value = String> {
        let vocab: Vec<&'static str> = vec![
            "Nov.",
            "Nov",
            "November",
            "Sept.",
            "Mar.",
            "May",
            "17",
            "3rd",
            "2023",
            "1990s",
            "2019's",
            "12/31/2020",
            "2020-02-29",
            "Monday",
            "Sunday's",
            "this past",
            "next",
            "last",
            "the",
            "of",
            "morning",
            "night",
            "today",
            "Yesterday",
            "tonight",
            "week",
            "weeks",
            "month",
            "year",
            "decade",
            "quarter",
            "weekend",
            "the following",
            "that same",
            "day",
            "days",
            "summer",
            "fall",
            "in",
            "for",
            "within",
            "three",
            "twenty-one",
            "a couple of",
            "a few",
            "several",
            "ago",
            "later",
            "earlier",
            "from now",
            "-old",
            "now",
            "currently",
            "soon",
            "recently",
            "coming",
            "future",
            "the near",
            "3 p.m.",
            "4:30",
            "am",
            "noon",
            "midnight",
            "GMT",
            "local time",
            "Christmas",
            "Eve",
            "New Year's",
            "early",
            "late",
            "mid-",
            "end of",
            "every",
            "Each",
            "per",
            "a",
            "an",
            "other",
            "twice",
            "times",
            "weekly",
            "daily",
            "hours",
            "two",
            " ",
            "  ",
            ",",
            ".",
            "-",
            "\n",
            "\u{a0}",
            "\u{2019}",
            "é",
            "K",
            "\u{212a}",
            "ſ",
            "٣",
        ];
        prop_oneof![
            4 => proptest::sample::select(vocab).prop_map(str::to_string),
            1 => "[ a-zA-Z0-9.,'-]{1,6}",
            1 => any::<char>().prop_map(String::from),
        ]
    }

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec((piece(), proptest::bool::ANY), 0..40).prop_map(|v| {
            v.into_iter()
                .map(|(p, space)| if space { format!("{p} ") } else { p })
                .collect()
        })
    }

    fn all_windows(t: &str) -> [Win; 1] {
        [Win {
            span: Span::new(0, t.len()),
            last: usize::MAX,
        }]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// The windowed search finds exactly what the whole-text search finds.
        #[test]
        fn windows_agree_with_the_whole_text(t in text()) {
            let key = |v: Vec<Cand>| -> Vec<String> {
                let mut k: Vec<String> = v.iter().map(|c| format!("{c:?}")).collect();
                k.sort();
                k
            };
            let fast = key(candidates_in(&t, &Windows::find(&t)));
            let slow = key(candidates_in(&t, &Windows::whole(&t)));
            prop_assert_eq!(fast, slow);
        }

        /// The group readers agree with the capture engine.
        #[test]
        fn group_readers_agree_with_captures(t in text()) {
            let w = all_windows(&t);
            let get = |c: &Caps, n: &str| c.name(n).map(|g| (g.start(), g.end()));
            let pos = |g: Option<Group>| g.map(|g| (g.start(), g.end()));
            let mut m = caps(&RE_DURATION, &t, &w);
            while let Some(all) = m.next_find() {
                if !all.as_str().is_ascii() {
                    continue;
                }
                let g = duration_groups(&all);
                let c = m.groups_of(&all);
                prop_assert!(g.is_some() && c.is_some(), "{}", all.as_str());
                let (Some(g), Some(c)) = (g, c) else { continue };
                prop_assert_eq!(pos(g.the), get(&c, "the"));
                prop_assert_eq!(pos(g.num), get(&c, "n1").or(get(&c, "n2")));
                prop_assert_eq!(pos(g.unit), get(&c, "unit"));
                prop_assert_eq!(pos(g.n3), get(&c, "n3"));
                prop_assert_eq!(pos(g.unit2), get(&c, "unit2"));
            }
            for (re, read) in [
                (
                    &*RE_MONTH_DAY,
                    month_day_groups as for<'a> fn(&Group<'a>) -> Option<DateGroups<'a>>,
                ),
                (&*RE_DAY_MONTH, day_month_groups),
            ] {
                let mut m = caps(re, &t, &w);
                while let Some(all) = m.next_find() {
                    let (Some(g), Some(c)) = (read(&all), m.groups_of(&all)) else {
                        prop_assert!(false, "no groups for {}", all.as_str());
                        continue;
                    };
                    prop_assert_eq!(pos(Some(g.mon)), get(&c, "mon"));
                    prop_assert_eq!(pos(Some(g.day)), get(&c, "day"));
                    prop_assert_eq!(pos(g.year), get(&c, "year"));
                }
            }
            let mut m = caps(&RE_WEEKDAY, &t, &w);
            while let Some(all) = m.next_find() {
                let (Some(g), Some(c)) = (weekday_groups(&all), m.groups_of(&all)) else {
                    prop_assert!(false, "no groups for {}", all.as_str());
                    continue;
                };
                prop_assert_eq!(Some(g.wd), get(&c, "wd"));
                prop_assert_eq!(g.rel, c.name("rel").map(|x| x.as_str()));
                prop_assert_eq!(g.pod, c.name("pod").map(|x| x.as_str()));
            }
            let mut m = caps(&RE_VAGUE, &t, &w);
            while let Some(all) = m.next_find() {
                let s = lower(all.as_str());
                if !s.is_ascii() {
                    continue;
                }
                let kind = vague_kind(&s);
                let c = m.groups_of(&all);
                prop_assert!(
                    kind.is_some_and(|k| c.is_some_and(|c| c.name(k).is_some())),
                    "{}",
                    all.as_str()
                );
            }
        }
    }

    #[test]
    fn all_regexes_compile() {
        let _ = candidates("On Monday, Nov. 17, 2023 at 3 p.m. in the summer of 2020, a year ago.");
    }
}
