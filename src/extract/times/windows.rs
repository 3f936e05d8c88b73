//! Where each time rule can match, found in one pass before any regex runs.
//!
//! Running the 18 rule regexes over the whole text was the slowest step of
//! the parser. Every match of a rule contains one of a few trigger words (a
//! month name, a unit, "ago", "a.m." ...) within a bounded number of words
//! of it, so one Aho-Corasick pass finds the triggers and each rule's regex
//! then runs only on small windows of words around them.
//!
//! The windows give exactly the matches of a whole-text search:
//! - a window starts after ASCII whitespace (or at the text start) and ends
//!   before ASCII whitespace (or at the text end), so `(?-u:\b)` at its
//!   edges reads the same as in the whole text;
//! - each window holds every whole-text match around its trigger, and
//!   windows that touch are merged, so every match lies inside one window
//!   and a leftmost-first search inside it finds the same matches.
//!
//! Words are counted between ASCII whitespace; the regexes' `\s` also takes
//! Unicode spaces, which only makes a window's words longer (never fewer
//! words than the regex sees). Two cases cannot be windowed and fall back to
//! the whole text: Unicode letters the case-insensitive regexes fold to ASCII
//! (`ſ`, the Kelvin sign) and non-ASCII digits (`\d` is Unicode), and words so
//! long that walking them could make the search quadratic.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::span::Span;

/// The rule regexes, one window list each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    MonthDay,
    DayMonth,
    Month,
    Holiday,
    Iso,
    Us,
    Year,
    Weekday,
    Dayword,
    RelUnit,
    UnitEnd,
    Weekend,
    Anaphor,
    Season,
    Duration,
    BareUnits,
    Vague,
    Clock,
}

const RULES: usize = 18;

/// How many words a rule's match can reach before and after the word of its
/// trigger (generous: a larger window costs a little time, never a match).
fn reach(rule: Rule) -> (usize, usize) {
    match rule {
        // "Nov. 17, 2023"
        Rule::MonthDay => (1, 3),
        // "17th of November 2023"
        Rule::DayMonth => (3, 2),
        // "the beginning of November, of 2023's"
        Rule::Month => (4, 3),
        // "New Year's Eve"
        Rule::Holiday => (2, 2),
        Rule::Iso | Rule::Us | Rule::Year => (1, 1),
        // "this coming Monday's morning"
        Rule::Weekday => (3, 2),
        // "the day before yesterday morning"
        Rule::Dayword => (4, 2),
        // "the beginning of the next year"
        Rule::RelUnit => (5, 1),
        Rule::UnitEnd => (1, 2),
        // "the coming weekend"
        Rule::Weekend => (3, 1),
        // "that same day"
        Rule::Anaphor => (3, 1),
        // "this past summer of 2023"
        Rule::Season => (3, 3),
        // "the next a couple of - days, and twenty-one - hours"
        Rule::Duration => (8, 6),
        // "days of <word>": the regex reads the whitespace after "of".
        Rule::BareUnits => (2, 3),
        // "for the time being", "the not-too-distant future"
        Rule::Vague => (5, 3),
        // "3:30 p.m. local time"
        Rule::Clock => (2, 3),
    }
}

/// What a trigger occurrence must satisfy besides its letters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Check {
    /// Any case (the rule's regex is case-insensitive there).
    AnyCase,
    /// Exactly as written (the rule's regex is case-sensitive there).
    Exact,
    /// "pm", "a.m" of a clock time: after a digit or a space.
    Meridiem,
}

struct Variant {
    written: &'static str,
    check: Check,
    rules: u32,
}

fn bit(r: Rule) -> u32 {
    1 << r as u32
}

/// The trigger words of each rule. Each rule's regex cannot match (or can
/// only match text it throws away) without one of them.
fn trigger_table() -> Vec<(&'static str, Check, u32)> {
    use Check::*;
    let mut t = Vec::new();
    let months = bit(Rule::MonthDay) | bit(Rule::DayMonth) | bit(Rule::Month);
    // Every month alternative starts with its capitalised three letters.
    for m in [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ] {
        t.push((m, Exact, months));
    }
    for h in ["Christmas", "Thanksgiving", "Halloween", "Year'", "Year\u{2019}"] {
        t.push((h, Exact, bit(Rule::Holiday)));
    }
    // A rule's year must be valid (1800..=2100); other four-digit matches
    // are thrown away and cannot hide a valid one.
    for y in ["18", "19", "20", "21"] {
        t.push((y, AnyCase, bit(Rule::Iso) | bit(Rule::Us) | bit(Rule::Year)));
    }
    for d in [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ] {
        t.push((d, Exact, bit(Rule::Weekday)));
    }
    for w in ["today", "yesterday", "tomorrow", "tonight"] {
        t.push((w, AnyCase, bit(Rule::Dayword)));
    }
    let units = bit(Rule::Duration) | bit(Rule::BareUnits);
    let rel_units = bit(Rule::RelUnit) | bit(Rule::UnitEnd) | bit(Rule::Anaphor) | units;
    for u in ["week", "month", "year"] {
        t.push((u, AnyCase, rel_units));
    }
    t.push(("day", AnyCase, bit(Rule::Anaphor) | units));
    t.push(("quarter", AnyCase, bit(Rule::RelUnit)));
    t.push(("decade", AnyCase, bit(Rule::RelUnit) | units));
    for u in ["second", "minute", "hour", "fortnight", "centur"] {
        t.push((u, AnyCase, units));
    }
    for p in ["morning", "evening", "night"] {
        t.push((p, AnyCase, bit(Rule::Dayword) | bit(Rule::Anaphor)));
    }
    t.push(("afternoon", AnyCase, bit(Rule::Dayword)));
    t.push(("weekend", AnyCase, bit(Rule::Weekend)));
    for s in ["summer", "winter", "spring", "autumn", "fall"] {
        t.push((s, Exact, bit(Rule::Season)));
    }
    for v in [
        "now", "currently", "present", "moment", "days", "being", "future", "soon", "coming",
        "ahead", "recent", "lately", "past", "ago",
    ] {
        t.push((v, AnyCase, bit(Rule::Vague)));
    }
    for c in ["noon", "midday", "midnight"] {
        t.push((c, AnyCase, bit(Rule::Clock)));
    }
    for c in ["am", "pm", "a.m", "p.m"] {
        t.push((c, Meridiem, bit(Rule::Clock)));
    }
    t
}

struct Triggers {
    ac: AhoCorasick,
    /// The variants of each (lowercase) automaton pattern.
    variants: Vec<Vec<Variant>>,
}

static TRIGGERS: LazyLock<Triggers> = LazyLock::new(|| {
    let mut pats: Vec<String> = Vec::new();
    let mut variants: Vec<Vec<Variant>> = Vec::new();
    for (written, check, rules) in trigger_table() {
        let lower = written.to_ascii_lowercase();
        let v = Variant {
            written,
            check,
            rules,
        };
        match pats.iter().position(|p| *p == lower) {
            Some(i) => variants[i].push(v),
            None => {
                pats.push(lower);
                variants.push(vec![v]);
            }
        }
    }
    // The patterns are constants; a failure is a programming error caught by tests.
    let ac = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::DFA))
        .build(&pats)
        .unwrap_or_else(|e| panic!("time trigger automaton: {e}"));
    Triggers { ac, variants }
});

fn holds(text: &[u8], start: usize, end: usize, v: &Variant) -> bool {
    match v.check {
        Check::AnyCase => true,
        Check::Exact => text.get(start..end) == Some(v.written.as_bytes()),
        Check::Meridiem => {
            // `\d\s*[ap]\.?m`: a digit or a space (Unicode spaces end in a
            // byte >= 0x80) before; "am"/"pm" must end a word.
            let before = start.checked_sub(1).map(|i| text[i]);
            let ok_before = before
                .is_some_and(|b| b.is_ascii_digit() || b.is_ascii_whitespace() || b >= 0x80);
            let ok_after = v.written.contains('.')
                || !text
                    .get(end)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
            ok_before && ok_after
        }
    }
}

/// Text whose regex matches cannot be windowed (see the module comment).
fn needs_whole_text(text: &str) -> bool {
    !text.is_ascii()
        && text
            .chars()
            .any(|c| !c.is_ascii() && (c.is_numeric() || c == '\u{17f}' || c == '\u{212a}'))
}

/// A longer walk over one word than this gives up on windows for the rule.
const MAX_WORD: usize = 256;

fn is_space(b: u8) -> bool {
    b.is_ascii_whitespace()
}

/// The start of the word holding `pos`, then `n` words further back.
fn back_words(b: &[u8], pos: usize, n: usize) -> Option<usize> {
    let mut s = pos;
    let mut steps = 0;
    for k in 0..=n {
        if k > 0 {
            while s > 0 && is_space(b[s - 1]) {
                s -= 1;
            }
        }
        while s > 0 && !is_space(b[s - 1]) {
            s -= 1;
            steps += 1;
        }
        if steps > MAX_WORD * (n + 1) {
            return None;
        }
    }
    Some(s)
}

/// The end of the word holding `pos - 1`, then `n` words further on.
fn forward_words(b: &[u8], pos: usize, n: usize) -> Option<usize> {
    let mut e = pos;
    let mut steps = 0;
    for k in 0..=n {
        if k > 0 {
            while e < b.len() && is_space(b[e]) {
                e += 1;
            }
        }
        while e < b.len() && !is_space(b[e]) {
            e += 1;
            steps += 1;
        }
        if steps > MAX_WORD * (n + 1) {
            return None;
        }
    }
    Some(e)
}

const ALL: [Rule; RULES] = [
    Rule::MonthDay,
    Rule::DayMonth,
    Rule::Month,
    Rule::Holiday,
    Rule::Iso,
    Rule::Us,
    Rule::Year,
    Rule::Weekday,
    Rule::Dayword,
    Rule::RelUnit,
    Rule::UnitEnd,
    Rule::Weekend,
    Rule::Anaphor,
    Rule::Season,
    Rule::Duration,
    Rule::BareUnits,
    Rule::Vague,
    Rule::Clock,
];

/// The spans of text each rule's regex must search.
pub struct Windows {
    spans: [Vec<Span>; RULES],
}

impl Windows {
    /// The whole text for every rule (the plain search).
    pub fn whole(text: &str) -> Windows {
        Windows {
            spans: std::array::from_fn(|_| vec![Span::new(0, text.len())]),
        }
    }

    pub fn find(text: &str) -> Windows {
        if needs_whole_text(text) {
            return Windows::whole(text);
        }
        let b = text.as_bytes();
        let tr = &*TRIGGERS;
        let mut spans: [Vec<Span>; RULES] = Default::default();
        let mut whole = 0u32;
        for m in tr.ac.find_overlapping_iter(text) {
            let (s, e) = (m.start(), m.end());
            let mut rules = 0u32;
            for v in &tr.variants[m.pattern().as_usize()] {
                if holds(b, s, e, v) {
                    rules |= v.rules;
                }
            }
            rules &= !whole;
            for rule in ALL {
                if rules & bit(rule) == 0 {
                    continue;
                }
                let (nb, nf) = reach(rule);
                match (back_words(b, s, nb), forward_words(b, e, nf)) {
                    (Some(ws), Some(we)) => spans[rule as usize].push(Span::new(ws, we)),
                    _ => whole |= bit(rule),
                }
            }
        }
        for rule in ALL {
            let list = &mut spans[rule as usize];
            if whole & bit(rule) != 0 {
                *list = vec![Span::new(0, text.len())];
            } else {
                merge(list);
            }
        }
        Windows { spans }
    }

    pub fn of(&self, rule: Rule) -> &[Span] {
        &self.spans[rule as usize]
    }
}

/// Sorts windows and joins those that overlap or touch.
fn merge(list: &mut Vec<Span>) {
    list.sort_unstable();
    let mut out: Vec<Span> = Vec::with_capacity(list.len());
    for w in list.drain(..) {
        match out.last_mut() {
            Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
            _ => out.push(w),
        }
    }
    *list = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_whole_words() {
        let text = "Talks ended  Nov. 17, 2023 in Geneva after three weeks.";
        let w = Windows::find(text);
        let md = w.of(Rule::MonthDay);
        assert_eq!(md.len(), 1);
        assert_eq!(md[0].slice(text), "ended  Nov. 17, 2023 in");
        assert!(w.of(Rule::Duration)[0].slice(text).contains("three weeks."));
        assert!(w.of(Rule::Weekday).is_empty());
    }

    #[test]
    fn meridiem_needs_a_number_before() {
        assert!(Windows::find("The program ran late.").of(Rule::Clock).is_empty());
        assert_eq!(Windows::find("It ran at 3 pm.").of(Rule::Clock).len(), 1);
        assert_eq!(Windows::find("It ran at 4:30 a.m.").of(Rule::Clock).len(), 1);
    }

    #[test]
    fn folded_letters_search_the_whole_text() {
        let text = "Two wee\u{212a}s ago.";
        assert_eq!(Windows::find(text).of(Rule::Duration), &[Span::new(0, text.len())]);
    }
}
