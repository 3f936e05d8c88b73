//! Where each time rule can match, found in one pass before any regex runs.
//!
//! Running the 18 rule regexes over the whole text was the slowest step of
//! the parser. Every match of a rule contains one of a few trigger words (a
//! month name, a unit, "ago", "a.m." ...) within a bounded number of words
//! of it, so one pass finds the triggers and each rule's regex
//! then runs only on small windows of words around them. The triggers are
//! found in one pass over the words of the text.
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
    Set,
}

const RULES: usize = 19;

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
        // "twenty-one days every other week", "each Monday"
        Rule::Set => (5, 1),
    }
}

/// How a trigger word must be written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Case {
    /// Any case (the rule's regex is case-insensitive there).
    Any,
    /// Exactly as written (the rule's regex is case-sensitive there).
    Exact,
}

fn bit(r: Rule) -> u32 {
    1 << r as u32
}

/// The trigger words of each rule, as prefixes of a whole ASCII word (every
/// rule's regex puts them after `\b`, `\s` or `-`). A rule's regex cannot
/// match without one of them, or only matches text it throws away.
fn trigger_table() -> Vec<(&'static str, Case, u32)> {
    use Case::*;
    let mut t = Vec::new();
    let months = bit(Rule::MonthDay) | bit(Rule::DayMonth) | bit(Rule::Month);
    // Every month alternative starts with its capitalised three letters.
    for m in super::words::MONTH_LIST.iter() {
        if let Some(m) = m.name.get(..3) {
            t.push((m, Exact, months));
        }
    }
    for h in ["Christmas", "Thanksgiving", "Halloween", "Year"] {
        t.push((h, Exact, bit(Rule::Holiday)));
    }
    // A rule's year must be valid (1800..=2100); other four-digit matches
    // are thrown away and cannot hide a valid one.
    for y in ["18", "19", "20", "21"] {
        t.push((y, Any, bit(Rule::Iso) | bit(Rule::Us) | bit(Rule::Year)));
    }
    for d in super::words::WEEKDAY_NAMES.iter() {
        t.push((d, Exact, bit(Rule::Weekday) | bit(Rule::Set)));
    }
    for w in ["today", "yesterday", "tomorrow", "tonight"] {
        t.push((w, Any, bit(Rule::Dayword)));
    }
    let units = bit(Rule::Duration) | bit(Rule::BareUnits) | bit(Rule::Set);
    let rel_units = bit(Rule::RelUnit) | bit(Rule::UnitEnd) | bit(Rule::Anaphor) | units;
    for u in ["week", "month", "year"] {
        t.push((u, Any, rel_units));
    }
    t.push(("day", Any, bit(Rule::Anaphor) | units | bit(Rule::Vague)));
    t.push(("quarter", Any, bit(Rule::RelUnit)));
    t.push(("decade", Any, bit(Rule::RelUnit) | units));
    for u in ["second", "minute", "hour", "fortnight", "centur"] {
        t.push((u, Any, units));
    }
    for p in ["morning", "evening", "night"] {
        t.push((
            p,
            Any,
            bit(Rule::Dayword) | bit(Rule::Anaphor) | bit(Rule::Set),
        ));
    }
    for a in ["daily", "annually"] {
        t.push((a, Any, bit(Rule::Set)));
    }
    // The zones of a 24-hour clock time ("21:00 local time").
    for z in ["GMT", "UTC", "BST", "CET", "CEST"] {
        t.push((z, Exact, bit(Rule::Clock)));
    }
    t.push(("local", Any, bit(Rule::Clock)));
    t.push(("afternoon", Any, bit(Rule::Dayword)));
    t.push(("weekend", Any, bit(Rule::Weekend) | bit(Rule::Set)));
    for s in ["summer", "winter", "spring", "autumn", "fall"] {
        t.push((s, Exact, bit(Rule::Season)));
    }
    for v in [
        "now",
        "currently",
        "present",
        "moment",
        "point",
        "being",
        "future",
        "soon",
        "coming",
        "ahead",
        "recent",
        "lately",
        "past",
        "ago",
    ] {
        t.push((v, Any, bit(Rule::Vague)));
    }
    for c in ["noon", "midday", "midnight"] {
        t.push((c, Any, bit(Rule::Clock)));
    }
    t
}

struct Trigger {
    /// Lowercase, for the case-insensitive comparison.
    lower: &'static [u8],
    written: &'static [u8],
    case: Case,
    rules: u32,
}

/// The trigger words by the first two bytes of the word, so most bytes are
/// turned down with one table look-up and no branch.
struct Table {
    /// For each key (see `key`): index into `lists` + 1 (0: no trigger),
    /// plus `MERIDIEM` for the words that may be a clock's "pm" ("3pm",
    /// "p.m.").
    slot: Box<[u16; KEYS]>,
    lists: Vec<Vec<Trigger>>,
    /// By list index + 1: the classes of the third byte its triggers can
    /// have (one bit per class), to turn down "the" for "Thursday".
    third: Vec<u64>,
    /// For each key: the classes of the third byte that may make a trigger
    /// (`third` of its list, every class for the `MERIDIEM` keys), so the
    /// scan tests a word start with one look-up.
    pass: Box<[u64; KEYS]>,
}

const MERIDIEM: u16 = 0x8000;
const FLAGS: u16 = MERIDIEM;
const KEYS: usize = 1 << 12;

/// Byte classes: 0 for the bytes that cannot start a word, letters folded
/// to 1..=26, digits 27..=36, `_` 37, `.` 38, non-ASCII lead bytes 39.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = if c.is_ascii_lowercase() {
            c - b'a' + 1
        } else if c.is_ascii_uppercase() {
            c - b'A' + 1
        } else if c.is_ascii_digit() {
            c - b'0' + 27
        } else if c == b'_' {
            37
        } else if c == b'.' {
            38
        } else if c >= 0xc0 {
            39
        } else {
            0
        };
        i += 1;
    }
    t
};

/// The key of a word's first byte `c` and its next byte, case folded.
fn key(c: u8, next: u8) -> usize {
    (usize::from(CLASS[usize::from(c)]) << 6 | usize::from(CLASS[usize::from(next)])) & (KEYS - 1)
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let mut t = Table {
        slot: Box::new([0; KEYS]),
        lists: Vec::new(),
        third: vec![0],
        pass: Box::new([0; KEYS]),
    };
    for (written, case, rules) in trigger_table() {
        let lower: &'static str = Box::leak(written.to_ascii_lowercase().into_boxed_str());
        let l = lower.as_bytes();
        let k = key(l[0], l[1]);
        if t.slot[k] & !FLAGS == 0 {
            t.lists.push(Vec::new());
            t.third.push(0);
            t.slot[k] |= t.lists.len() as u16;
        }
        let third = match l.get(2) {
            Some(c) => 1u64 << CLASS[usize::from(*c)],
            // The two-digit year prefixes: any digit follows.
            None => (27..=36).fold(0u64, |m, c| m | 1 << c),
        };
        t.third[usize::from(t.slot[k] & !FLAGS)] |= third;
        t.lists[usize::from(t.slot[k] & !FLAGS) - 1].push(Trigger {
            lower: l,
            written: written.as_bytes(),
            case,
            rules,
        });
    }
    for d in b'0'..=b'9' {
        for c in 0..=255u8 {
            t.slot[key(d, c)] |= MERIDIEM;
        }
    }
    for k in [b"am", b"pm", b"a.", b"p."] {
        t.slot[key(k[0], k[1])] |= MERIDIEM;
    }
    for k in 0..KEYS {
        let slot = t.slot[k];
        t.pass[k] = if slot & FLAGS != 0 {
            !0
        } else {
            t.third
                .get(usize::from(slot & !FLAGS))
                .copied()
                .unwrap_or(0)
        };
    }
    t
});

/// ASCII word bytes (`[0-9A-Za-z_]`), by table: the scan tests every byte.
static WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = c.is_ascii_alphanumeric() || c == b'_';
        i += 1;
    }
    t
};

fn is_word(b: u8) -> bool {
    WORD[usize::from(b)]
}

/// Whitespace as the regexes' `\s` sees it among ASCII bytes.
fn is_space(b: u8) -> bool {
    b.is_ascii_whitespace() || b == 0x0b
}

/// The ASCII word before byte `pos`, past spaces (and hyphens when
/// `hyphens`); `None` when a non-ASCII byte is in the way (a Unicode space
/// the regex could read as `\s`): the caller must then accept the trigger.
fn prev_word(b: &[u8], pos: usize, hyphens: bool) -> Option<&[u8]> {
    prev_word_span(b, pos, hyphens).map(|(s, e)| &b[s..e])
}

/// Where `prev_word` lies in `b`.
fn prev_word_span(b: &[u8], pos: usize, hyphens: bool) -> Option<(usize, usize)> {
    let mut e = pos;
    while e > 0 && (is_space(b[e - 1]) || (hyphens && b[e - 1] == b'-')) {
        e -= 1;
    }
    if e > 0 && b[e - 1] >= 0x80 {
        return None;
    }
    let mut s = e;
    while s > 0 && is_word(b[s - 1]) {
        s -= 1;
    }
    Some((s, e))
}

fn prev_in(b: &[u8], pos: usize, hyphens: bool, words: &[&str]) -> bool {
    prev_word(b, pos, hyphens)
        .is_none_or(|w| words.iter().any(|x| w.eq_ignore_ascii_case(x.as_bytes())))
}

/// Last words of the counts the duration rule takes ("3", "twenty-one",
/// "a couple of", "several") and of "the next/past ...".
const COUNT_ENDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "few",
    "couple",
    "of",
    "several",
    "many",
    "some",
    "an",
    "a",
    "next",
    "past",
    "last",
    "coming",
    "previous",
    "first",
];

/// The words before a frequency's unit ("every week", "twice a day", "per
/// hour"): the set rule's regex is built from them, and its windows are
/// kept where one of them stands before a unit.
pub(super) const SET_QUANTIFIERS: &[&str] = &["a", "an", "per", "every", "each"];

fn one_of(w: &[u8], words: &[&str]) -> bool {
    words.iter().any(|x| w.eq_ignore_ascii_case(x.as_bytes()))
}

/// A count the set rule takes between its quantifier and unit ("every
/// two weeks", "each 3 days", "every other month"), or the last part of
/// one ("twenty-one").
fn is_set_count(w: &[u8]) -> bool {
    w.last().is_some_and(u8::is_ascii_digit)
        || w.eq_ignore_ascii_case(b"other")
        || super::words::NUMBER_WORDS
            .iter()
            .any(|(n, _)| w.eq_ignore_ascii_case(n.as_bytes()))
}

/// A frequency may end at the word `s..e`: an adverb ("weekly",
/// "annually"), or a unit or weekday after a quantifier, maybe past a
/// count. Most weekday and unit words in news are neither ("on Monday",
/// "three years"), and the set rule's capture search is costly.
fn may_end_set(b: &[u8], s: usize, e: usize) -> bool {
    let word = &b[s..e];
    if word.len() > 2 && word[word.len() - 2..].eq_ignore_ascii_case(b"ly") {
        return true;
    }
    // Back from the unit to the quantifier, past a count of one or two
    // words ("every two weeks", "every twenty-one days": hyphens are
    // skipped after the first step). Each step accepts when a non-ASCII
    // byte is in the way (see `prev_word`).
    let mut at = s;
    for step in 0..3 {
        let Some((ws, we)) = prev_word_span(b, at, step > 0) else {
            return true;
        };
        let w = &b[ws..we];
        if one_of(w, SET_QUANTIFIERS) {
            return true;
        }
        if !is_set_count(w) {
            return false;
        }
        at = ws;
    }
    false
}

/// Drops the rules a trigger cannot start in this context (cheap checks
/// that only ever keep more than the regex needs).
fn refine(b: &[u8], s: usize, e: usize, mut rules: u32) -> u32 {
    let word = &b[s..e];
    if rules & bit(Rule::Duration) != 0 {
        let counted = match prev_word(b, s, true) {
            None => true,
            Some(w) => {
                w.last().is_some_and(u8::is_ascii_digit)
                    || COUNT_ENDS
                        .iter()
                        .any(|x| w.eq_ignore_ascii_case(x.as_bytes()))
            }
        };
        if !counted {
            rules &= !bit(Rule::Duration);
        }
    }
    if rules & bit(Rule::Set) != 0 && !may_end_set(b, s, e) {
        rules &= !bit(Rule::Set);
    }
    if rules & bit(Rule::BareUnits) != 0 {
        const PLURALS: &[&str] = &[
            "minutes", "hours", "days", "weeks", "months", "years", "decades",
        ];
        if !PLURALS
            .iter()
            .any(|x| word.eq_ignore_ascii_case(x.as_bytes()))
        {
            rules &= !bit(Rule::BareUnits);
        }
    }
    if rules & bit(Rule::Anaphor) != 0
        && !prev_in(
            b,
            s,
            false,
            // "the week prior" reads "the" before the unit.
            &[
                "following",
                "next",
                "previous",
                "same",
                "preceding",
                "that",
                "the",
            ],
        )
    {
        rules &= !bit(Rule::Anaphor);
    }
    if rules & bit(Rule::RelUnit) != 0
        && !prev_in(
            b,
            s,
            false,
            &["this", "last", "next", "past", "previous", "the"],
        )
    {
        rules &= !bit(Rule::RelUnit);
    }
    if rules & bit(Rule::UnitEnd) != 0 {
        let next = b.get(e..e + 4).unwrap_or(b"");
        if !(next.len() == 4
            && matches!(next[0], b'-' | b' ')
            && next[1..].eq_ignore_ascii_case(b"end"))
        {
            rules &= !bit(Rule::UnitEnd);
        }
    }
    // "these days" (the other vague "days" phrases have their own trigger).
    if rules & bit(Rule::Vague) != 0
        && word.len() >= 3
        && word[..3].eq_ignore_ascii_case(b"day")
        && !prev_in(b, s, false, &["these"])
    {
        rules &= !bit(Rule::Vague);
    }
    let digits = rules & (bit(Rule::Iso) | bit(Rule::Us) | bit(Rule::Year));
    if digits != 0 {
        let four = word.len() >= 4 && word[..4].iter().all(u8::is_ascii_digit);
        let rest = word.get(4..).unwrap_or(b"");
        if !four || !(rest.is_empty() || rest == b"s") {
            rules &= !digits;
        } else {
            if !(rest.is_empty() && b.get(e) == Some(&b'-')) {
                rules &= !bit(Rule::Iso);
            }
            if !(rest.is_empty() && s > 0 && b[s - 1] == b'/') {
                rules &= !bit(Rule::Us);
            }
        }
    }
    rules
}

/// "3pm", "3 p.m.", "11 AM": a clock time's meridiem word.
fn meridiem(b: &[u8], s: usize, e: usize) -> bool {
    let word = &b[s..e];
    // Quick exit for the words that end in neither "m" nor "a"/"p" + ".".
    let last = word.last().map_or(0, |c| c | 0x20);
    if last != b'm' && !(matches!(last, b'a' | b'p') && b.get(e) == Some(&b'.')) {
        return false;
    }
    let digits = word.iter().take_while(|c| c.is_ascii_digit()).count();
    let rest = &word[digits..];
    let ap = |c: u8| matches!(c, b'a' | b'A' | b'p' | b'P');
    let ok = match rest {
        [a, m] => ap(*a) && matches!(m, b'm' | b'M'),
        [a] => ap(*a) && b.get(e) == Some(&b'.') && matches!(b.get(e + 1), Some(b'm' | b'M')),
        _ => false,
    };
    // `\d\s*[ap]`: a number before, in the word or past spaces.
    ok && (digits > 0 || (s > 0 && (is_space(b[s - 1]) || b[s - 1] >= 0x80)))
}

/// The rules whose regex may match around the word at `s..e`.
fn word_rules(table: &Table, slot: u16, b: &[u8], s: usize, e: usize) -> u32 {
    let word = &b[s..e];
    let mut rules = 0;
    let list = usize::from(slot & !FLAGS);
    if let Some(list) = list.checked_sub(1).and_then(|i| table.lists.get(i)) {
        for t in list {
            let hit = match t.case {
                Case::Any => {
                    word.len() >= t.lower.len()
                        && word[..t.lower.len()].eq_ignore_ascii_case(t.lower)
                }
                Case::Exact => word.starts_with(t.written),
            };
            if hit {
                rules |= t.rules;
            }
        }
    }
    if rules != 0 {
        rules = refine(b, s, e, rules);
    }
    if slot & MERIDIEM != 0 && meridiem(b, s, e) {
        rules |= bit(Rule::Clock);
    }
    rules
}

use crate::extract::swar::{ge7, lead_mask, HI, LO};

/// For the 64 bytes of `b` from `base` (zeros past its end, which are
/// not word bytes): bit `i` of the first mask is set when byte `base + i`
/// is an ASCII word byte, of the second when it leads a non-ASCII char.
#[inline]
fn block_masks(b: &[u8], base: usize) -> (u64, u64) {
    let padded: [u8; 64];
    let block: &[u8] = match b.get(base..base + 64) {
        Some(c) => c,
        None => {
            let rest = b.get(base..).unwrap_or_default();
            let mut p = [0u8; 64];
            p[..rest.len()].copy_from_slice(rest);
            padded = p;
            &padded
        }
    };
    let (mut words, mut leads) = (0u64, 0u64);
    for (j, c) in block.chunks_exact(8).enumerate() {
        let x = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
        words |= byte_bits(word_mask(x)) << (8 * j);
        leads |= byte_bits(lead_mask(x)) << (8 * j);
    }
    (words, leads)
}

/// The high bits of the eight bytes of `m` (a mask with no other bits
/// set) gathered into the low eight bits, byte `i`'s into bit `i`: the
/// multiplication moves each into place without carries.
#[inline]
fn byte_bits(m: u64) -> u64 {
    (m >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// The high bit of each byte of `x` that is an ASCII word byte
/// (`[0-9A-Za-z_]`, as `is_word`).
fn word_mask(x: u64) -> u64 {
    let ascii = !x & HI;
    let digit = ge7(x, b'0') & !ge7(x, b'9' + 1);
    let folded = x | (0x20 * LO);
    let alpha = ge7(folded, b'a') & !ge7(folded, b'z' + 1);
    let t = x ^ (u64::from(b'_') * LO);
    let under = !(((t & !HI) + !HI) | t) & HI;
    (digit | alpha | under) & ascii
}

/// A char the regexes read in a way windows cannot follow (see the module
/// comment) starts at byte `i`.
fn unwindowed_char(text: &str, i: usize) -> bool {
    text.get(i..)
        .and_then(|t| t.chars().next())
        .is_some_and(|c| c.is_numeric() || c == '\u{17f}' || c == '\u{212a}')
}

/// A longer walk over one word than this gives up on windows for the rule.
const MAX_WORD: usize = 256;

/// The most words any rule reaches before or after its trigger.
const MAX_REACH: usize = 8;

/// `out[k]`: the start of the word holding `pos`, then `k` words further
/// back, for every `k <= n` (one walk for all the rules of a trigger);
/// `None` where reaching it walks more than `MAX_WORD * (k + 1)` word bytes.
fn back_words(b: &[u8], pos: usize, n: usize, out: &mut [Option<usize>; MAX_REACH + 1]) {
    let mut s = pos;
    let mut steps = 0;
    let mut k = 0;
    while k <= n {
        if k > 0 {
            while s > 0 && is_space(b[s - 1]) {
                s -= 1;
            }
        }
        // Past this many steps every later `k` is out of bounds too.
        let limit = MAX_WORD * (n + 1);
        while s > 0 && !is_space(b[s - 1]) && steps <= limit {
            s -= 1;
            steps += 1;
        }
        if steps > limit {
            break;
        }
        out[k] = (steps <= MAX_WORD * (k + 1)).then_some(s);
        k += 1;
    }
    for o in out.iter_mut().take(n + 1).skip(k) {
        *o = None;
    }
}

/// `out[k]`: the end of the word holding `pos - 1`, then `k` words further
/// on, for every `k <= n`, as `back_words`.
fn forward_words(b: &[u8], pos: usize, n: usize, out: &mut [Option<usize>; MAX_REACH + 1]) {
    let mut e = pos;
    let mut steps = 0;
    let mut k = 0;
    while k <= n {
        if k > 0 {
            while e < b.len() && is_space(b[e]) {
                e += 1;
            }
        }
        let limit = MAX_WORD * (n + 1);
        while e < b.len() && !is_space(b[e]) && steps <= limit {
            e += 1;
            steps += 1;
        }
        if steps > limit {
            break;
        }
        out[k] = (steps <= MAX_WORD * (k + 1)).then_some(e);
        k += 1;
    }
    for o in out.iter_mut().take(n + 1).skip(k) {
        *o = None;
    }
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
    Rule::Set,
];

/// A span of text a rule's regex must search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Win {
    pub span: Span,
    /// The start of the last trigger word in the window (`usize::MAX` for
    /// the whole text). Every match a rule keeps holds the start of one of
    /// its trigger words, so once a match ends past this, the rest of the
    /// window holds none.
    pub last: usize,
}

impl Win {
    fn whole(text: &str) -> Win {
        Win {
            span: Span::new(0, text.len()),
            last: usize::MAX,
        }
    }
}

/// The spans of text each rule's regex must search.
pub struct Windows {
    spans: [Vec<Win>; RULES],
}

impl Windows {
    /// The whole text for every rule (the plain search).
    pub fn whole(text: &str) -> Windows {
        Windows {
            spans: std::array::from_fn(|_| vec![Win::whole(text)]),
        }
    }

    pub fn find(text: &str) -> Windows {
        let b = text.as_bytes();
        let mut spans: [Vec<Win>; RULES] = Default::default();
        let mut whole = 0u32;
        let table = &*TABLE;
        let slots: &[u16; KEYS] = &table.slot;
        let pass: &[u64; KEYS] = &table.pass;
        let mut backs = [None; MAX_REACH + 1];
        let mut fwds = [None; MAX_REACH + 1];
        // Sixty-four bytes at a time: a mask with one bit for each byte
        // that starts an ASCII word or leads a non-ASCII char, and only
        // those are looked at. A byte-by-byte walk cost a table look-up
        // and a branch per byte; with a mask per eight bytes, the loop
        // over its bits ended after a varying count every eight bytes
        // (callgrind: 8,400 mispredicted exits a bench pass, 2,200 now).
        let mut carry = 0u64;
        let mut base = 0;
        while base < b.len() {
            let (words, leads) = block_masks(b, base);
            let starts = words & !(words << 1 | carry);
            carry = words >> 63;
            let mut todo = starts | leads;
            let block = base;
            base += 64;
            while todo != 0 {
                let s = block + todo.trailing_zeros() as usize;
                todo &= todo - 1;
                let c = b[s];
                if c >= 0x80 {
                    if unwindowed_char(text, s) {
                        return Windows::whole(text);
                    }
                    continue;
                }
                // One look-up on the first three bytes turns down most words.
                let k = key(c, b.get(s + 1).copied().unwrap_or(0));
                let c3 = CLASS[usize::from(b.get(s + 2).copied().unwrap_or(0))];
                if (pass[k] >> c3) & 1 == 0 {
                    continue;
                }
                let mut i = s + 1;
                while i < b.len() && is_word(b[i]) {
                    i += 1;
                }
                let rules = word_rules(table, slots[k], b, s, i) & !whole;
                if rules == 0 {
                    continue;
                }
                // Walk the words around the trigger once, as far as its
                // farthest-reaching rule needs.
                let (mut nb_max, mut nf_max) = (0, 0);
                for rule in ALL {
                    if rules & bit(rule) != 0 {
                        let (nb, nf) = reach(rule);
                        nb_max = nb_max.max(nb);
                        nf_max = nf_max.max(nf);
                    }
                }
                back_words(b, s, nb_max, &mut backs);
                forward_words(b, i, nf_max, &mut fwds);
                for rule in ALL {
                    if rules & bit(rule) == 0 {
                        continue;
                    }
                    let (nb, nf) = reach(rule);
                    match (backs[nb], fwds[nf]) {
                        (Some(ws), Some(we)) => spans[rule as usize].push(Win {
                            span: Span::new(ws, we),
                            last: s,
                        }),
                        _ => whole |= bit(rule),
                    }
                }
            }
        }
        for rule in ALL {
            let list = &mut spans[rule as usize];
            if whole & bit(rule) != 0 {
                *list = vec![Win::whole(text)];
            } else {
                merge(list);
            }
        }
        Windows { spans }
    }

    pub fn of(&self, rule: Rule) -> &[Win] {
        &self.spans[rule as usize]
    }
}

/// Sorts windows and joins those that overlap or touch, in place.
fn merge(list: &mut Vec<Win>) {
    list.sort_unstable_by_key(|w| w.span);
    let mut n: usize = 0;
    for j in 0..list.len() {
        let w = list[j];
        match n.checked_sub(1).map(|l| &mut list[l]) {
            Some(prev) if w.span.start <= prev.span.end => {
                prev.span.end = prev.span.end.max(w.span.end);
                prev.last = prev.last.max(w.last);
            }
            _ => {
                list[n] = w;
                n += 1;
            }
        }
    }
    list.truncate(n);
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
        assert_eq!(md[0].span.slice(text), "ended  Nov. 17, 2023 in");
        assert!(w.of(Rule::Duration)[0]
            .span
            .slice(text)
            .contains("three weeks."));
        assert!(w.of(Rule::Weekday).is_empty());
    }

    #[test]
    fn block_masks_agree_with_the_tables() {
        // Every byte value at every place of a block, and blocks cut short
        // at several lengths (the rest reads as zeros).
        let text: Vec<u8> = (0..=255u8).chain(0..=255u8).rev().chain(0..=255).collect();
        for base in (0..text.len()).step_by(64).chain([1, 7, 100]) {
            for end in [text.len(), base + 1, base + 33, base + 63] {
                let b = &text[..end.min(text.len())];
                let (words, leads) = block_masks(b, base);
                for i in 0..64 {
                    let c = b.get(base + i).copied();
                    assert_eq!(words >> i & 1 == 1, c.is_some_and(is_word), "{base} {i}");
                    assert_eq!(
                        leads >> i & 1 == 1,
                        c.is_some_and(|c| c >= 0xc0),
                        "{base} {i}"
                    );
                }
            }
        }
    }

    #[test]
    fn byte_masks_agree_with_the_tables() {
        for c in 0..=255u8 {
            for pos in 0..8 {
                let x = u64::from(c) << (8 * pos) | 0x2020_2020_2020_2020 & !(0xff << (8 * pos));
                let bit = 0x80u64 << (8 * pos);
                assert_eq!(word_mask(x) & bit != 0, is_word(c), "byte {c}");
                assert_eq!(lead_mask(x) & bit != 0, c >= 0xc0, "byte {c}");
            }
        }
    }

    #[test]
    fn meridiem_needs_a_number_before() {
        assert!(Windows::find("The program ran late.")
            .of(Rule::Clock)
            .is_empty());
        assert_eq!(Windows::find("It ran at 3 pm.").of(Rule::Clock).len(), 1);
        assert_eq!(
            Windows::find("It ran at 4:30 a.m.").of(Rule::Clock).len(),
            1
        );
    }

    #[test]
    fn folded_letters_search_the_whole_text() {
        let text = "Two wee\u{212a}s ago.";
        assert_eq!(Windows::find(text).of(Rule::Duration), &[Win::whole(text)]);
    }
}
