//! The vocabulary of the time rules, read from the data files under
//! `assets/words/` (HeidelTime keeps one list per resource file and its rules
//! refer to the lists by name; so do these). Each list lives in one place:
//! the rules' regex alternations, the window triggers and the readers of
//! matched text are all built from it.

use std::sync::LazyLock;

use chrono::Weekday;

const MONTHS: &str = include_str!("../../../assets/words/months.tsv");
const WEEKDAYS: &str = include_str!("../../../assets/words/weekdays.txt");
const NUMBERS: &str = include_str!("../../../assets/words/numbers.tsv");
const TENSE: &str = include_str!("../../../assets/words/tense.tsv");
const MEASURE_NOUNS: &str = include_str!("../../../assets/words/measure-nouns.txt");
const MONTH_NOUNS: &str = include_str!("../../../assets/words/month-nouns.txt");

/// The rows of a data file: blank lines and `#` comments skipped, columns
/// split at tabs and trimmed (an empty last column is kept).
pub fn rows(src: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    src.lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

/// One month of `months.tsv`.
pub struct Month {
    pub num: u32,
    pub name: &'static str,
    /// Short forms written with a day ("Nov. 17").
    pub with_day: Vec<&'static str>,
    /// Short forms that also stand alone ("in Sept.").
    pub alone: Vec<&'static str>,
}

pub static MONTH_LIST: LazyLock<Vec<Month>> = LazyLock::new(|| {
    rows(MONTHS)
        .filter_map(|c| {
            let words = |i: usize| -> Vec<&'static str> {
                c.get(i)
                    .map(|s| s.split_whitespace().collect())
                    .unwrap_or_default()
            };
            Some(Month {
                num: c.first()?.parse().ok()?,
                name: c.get(1)?,
                with_day: words(2),
                alone: words(3),
            })
        })
        .collect()
});

/// The weekday names, Monday first.
pub static WEEKDAY_NAMES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| rows(WEEKDAYS).filter_map(|c| c.first().copied()).collect());

/// The number words and their values.
pub static NUMBER_WORDS: LazyLock<Vec<(&'static str, u32)>> = LazyLock::new(|| {
    rows(NUMBERS)
        .filter_map(|c| Some((*c.first()?, c.get(1)?.parse().ok()?)))
        .collect()
});

/// The words of one tense-cue list of `tense.tsv` ("irregular-past", ...).
pub fn tense_list(name: &str) -> Vec<&'static str> {
    rows(TENSE)
        .filter(|c| c.first() == Some(&name))
        .filter_map(|c| c.get(1).copied())
        .collect()
}

/// Nouns after a hyphenated count of days that make it the name of a
/// measure ("a seven-day rate"), not a duration.
pub fn is_measure_noun(w: &str) -> bool {
    static L: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        rows(MEASURE_NOUNS)
            .filter_map(|c| c.first().copied())
            .collect()
    });
    L.contains(&w)
}

/// Nouns of scheduled events that a bare month name can qualify ("the
/// November election", "April primaries").
pub fn is_month_noun(w: &str) -> bool {
    static L: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
        rows(MONTH_NOUNS)
            .filter_map(|c| c.first().copied())
            .collect()
    });
    L.contains(&w)
}

/// A regex alternation of literal words, longest first (so that a
/// leftmost-first search prefers "January" to "Jan." to "Jan").
pub fn alternation<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    let mut v: Vec<&str> = words.into_iter().collect();
    v.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    v.dedup();
    v.iter()
        .map(|w| regex::escape(w))
        .collect::<Vec<_>>()
        .join("|")
}

/// Every way a month is written next to a day: names and short forms.
pub fn month_alt() -> String {
    alternation(
        MONTH_LIST
            .iter()
            .flat_map(|m| std::iter::once(m.name).chain(m.with_day.iter().copied())),
    )
}

/// The ways a month is written on its own ("in November", "in Sept.").
pub fn full_month_alt() -> String {
    alternation(
        MONTH_LIST
            .iter()
            .flat_map(|m| std::iter::once(m.name).chain(m.alone.iter().copied())),
    )
}

pub fn weekday_alt() -> String {
    alternation(WEEKDAY_NAMES.iter().copied())
}

/// The number words a count may be written with: "twenty-one" and the
/// like, then every word but zero.
pub fn num_words_alt() -> String {
    let of = |f: fn(u32) -> bool| {
        alternation(NUMBER_WORDS.iter().filter(|(_, v)| f(*v)).map(|(w, _)| *w))
    };
    format!(
        "(?:{})-(?:{})|{}",
        of(|v| (20..100).contains(&v) && v % 10 == 0),
        of(|v| (1..10).contains(&v)),
        of(|v| v > 0)
    )
}

/// The month a name or short form stands for, by its first three letters
/// (any case, a trailing dot ignored).
pub fn month_num(s: &str) -> Option<u32> {
    let k = s.trim_end_matches('.').get(..3)?;
    MONTH_LIST
        .iter()
        .find(|m| m.name.get(..3).is_some_and(|n| n.eq_ignore_ascii_case(k)))
        .map(|m| m.num)
}

/// The weekday a capitalised name stands for, by its first three letters.
pub fn weekday(s: &str) -> Option<Weekday> {
    let k = s.get(..3)?;
    let i = WEEKDAY_NAMES.iter().position(|n| n.get(..3) == Some(k))?;
    Weekday::try_from(u8::try_from(i).ok()?).ok()
}

/// The value of a lower-case number word ("seven", "twenty-one").
pub fn number_word(l: &str) -> Option<u32> {
    let find = |w: &str| NUMBER_WORDS.iter().find(|(x, _)| *x == w).map(|(_, v)| *v);
    if let Some(v) = find(l) {
        return Some(v);
    }
    let (t, o) = l.split_once('-')?;
    let (t, o) = (find(t)?, find(o)?);
    ((20..100).contains(&t) && t % 10 == 0 && (1..10).contains(&o)).then_some(t + o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_read() {
        assert_eq!(MONTH_LIST.len(), 12);
        assert_eq!(WEEKDAY_NAMES.len(), 7);
        assert_eq!(month_num("Sept."), Some(9));
        assert_eq!(month_num("dec"), Some(12));
        assert_eq!(weekday("Sunday"), Some(Weekday::Sun));
        assert_eq!(weekday("sunday"), None);
        assert_eq!(number_word("forty-two"), Some(42));
        assert_eq!(number_word("twelve-one"), None);
        assert!(tense_list("irregular-past").contains(&"said"));
        assert!(tense_list("future").contains(&"will"));
        assert!(month_alt().starts_with("September|"));
        assert!(full_month_alt().contains("Sept\\."));
        assert!(!full_month_alt().split('|').any(|f| f == "Nov"));
    }

    #[test]
    fn every_form_starts_with_its_month() {
        for m in MONTH_LIST.iter() {
            for f in m.with_day.iter().chain(&m.alone) {
                assert_eq!(month_num(f), Some(m.num), "{f}");
            }
        }
    }
}
