//! Whether two events report the same happening: their dates, kinds, actors
//! and wording, compared pairwise.
//!
//! The decision looks at the two events and their two articles only, never
//! at the rest of the store, so the stories it builds (connected groups of
//! events, see `merge`) are the same whatever order articles came in.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};
use rustc_hash::{FxHashSet, FxHasher};

use crate::model::EventKind;

/// The longest date range that can still share a story with an exact date
/// (a month: "earlier this month" against "on March 3"). Years, quarters
/// and seasons are too vague to say two reports are of one happening.
pub const MAX_VAGUE_DAYS: i32 = 31;

/// How many days after a happening a later article may retell it in a
/// sentence that does not name the day ("Israel used remote devices to kill
/// the scientist", "the protests that have roiled the country"): such a
/// sentence takes the date of the sentences around it, so its date says
/// when it was told, not when the happening was.
pub const RETELL_DAYS: i32 = 4;

/// What a story needs to know of one event.
#[derive(Clone, Debug, PartialEq)]
pub struct Features {
    pub article: String,
    pub kind: EventKind,
    /// First and last day (days from the common era) of the event's date;
    /// `None` for undated events and dates vaguer than a month.
    pub span: Option<(i32, i32)>,
    /// Identity keys of the officials (`identity_key`).
    pub officials: Keys,
    /// Country codes.
    pub countries: Keys,
    /// Content words (`words`), sorted, distinct.
    pub words: Vec<u32>,
    /// Dated after its article was published: a plan or an expectation,
    /// which is never the same happening as a report of what took place.
    pub future: bool,
    /// The sentence names its own date ("on Friday"); otherwise the date
    /// comes from the sentences around it or the publication, and the
    /// event may retell an earlier happening (`RETELL_DAYS`).
    pub stated: bool,
}

/// A sorted list of distinct keys (officials' identity keys, country
/// codes), each also as a number, the numbers kept sorted: whether two
/// lists share a key is asked for every pair the story rebuild compares
/// (tens of millions at 1M events), and there numbers held inline (most
/// lists name one to three) cost no reading of memory beyond the two
/// events' own, where strings cost a cache miss each.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Keys {
    list: Vec<String>,
    numbers: Numbers,
}

/// The keys' numbers, inline up to three.
type Numbers = smallvec::SmallVec<[u64; 3]>;

impl Keys {
    pub fn new(mut list: Vec<String>) -> Keys {
        list.sort_unstable();
        list.dedup();
        let mut numbers: Numbers = list.iter().map(|k| key_number(k)).collect();
        numbers.sort_unstable();
        Keys { list, numbers }
    }

    /// Do the two lists hold a key in common?
    pub fn shares(&self, other: &Keys) -> bool {
        let (a, b) = (&self.numbers, &other.numbers);
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal if a[i] >> 56 != HASHED => return true,
                // Equal hashes of different keys are possible in theory:
                // the strings decide.
                std::cmp::Ordering::Equal => return shares(&self.list, &other.list),
            }
        }
        false
    }
}

/// The top byte of a key's number when the rest is a hash of it.
const HASHED: u64 = 0xff;

/// A key of up to seven bytes (a country code) as itself: its bytes and
/// its length in the top byte, so equal numbers are equal keys; a longer
/// one (a name) as `HASHED` over 56 bits of a hash.
fn key_number(key: &str) -> u64 {
    let b = key.as_bytes();
    if b.len() <= 7 {
        let mut n = (b.len() as u64) << 56;
        for (i, &x) in b.iter().enumerate() {
            n |= (x as u64) << (8 * i);
        }
        return n;
    }
    use std::hash::Hasher;
    let mut h = FxHasher::default();
    h.write(b);
    (HASHED << 56) | (h.finish() >> 8)
}

impl std::ops::Deref for Keys {
    type Target = [String];

    fn deref(&self) -> &[String] {
        &self.list
    }
}

impl<'a> IntoIterator for &'a Keys {
    type Item = &'a String;
    type IntoIter = std::slice::Iter<'a, String>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

impl<S: Into<String>> FromIterator<S> for Keys {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Keys {
        Keys::new(iter.into_iter().map(Into::into).collect())
    }
}

/// A person's name as one key across spellings: the officials extractor's
/// identity key (case, diacritics, hyphens, initials, suffixes and the
/// spelling variants of `assets/name_variants.tsv` folded) without its
/// spaces, so that "Kim Jong Un", "Kim Jong-un" and "KIM Jong un" are one
/// key here as they are one official in the store.
pub fn identity_key(name: &str) -> String {
    let mut key = crate::extract::officials::identity_key(name);
    key.retain(|c| c.is_alphanumeric());
    key
}

const FOLD: &[(&str, &str)] = &[
    ("àáâãäåāăąǎạảấầẩẫậắằẳẵặ", "a"),
    ("çćĉċč", "c"),
    ("ďđð", "d"),
    ("èéêëēĕėęěẹẻẽếềểễệ", "e"),
    ("ĝğġģ", "g"),
    ("ĥħ", "h"),
    ("ìíîïĩīĭįıǐỉị", "i"),
    ("ĵ", "j"),
    ("ķ", "k"),
    ("ĺļľŀł", "l"),
    ("ñńņňŉ", "n"),
    ("òóôõöøōŏőǒọỏốồổỗộớờởỡợơ", "o"),
    ("ŕŗř", "r"),
    ("śŝşšș", "s"),
    ("ţťŧț", "t"),
    ("ùúûüũūŭůűųǔụủứừửữựư", "u"),
    ("ýÿŷỳỵỷỹ", "y"),
    ("źżž", "z"),
    ("ß", "ss"),
    ("æ", "ae"),
    ("œ", "oe"),
];

fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for lc in c.to_lowercase() {
        if ('\u{0300}'..='\u{036F}').contains(&lc) {
            continue;
        }
        match FOLD.iter().find(|(set, _)| set.contains(lc)) {
            Some((_, base)) => out.push_str(base),
            None => out.push(lc),
        }
    }
}

fn word_list(text: &'static str) -> FxHashSet<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

fn stopwords() -> &'static FxHashSet<&'static str> {
    static S: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| word_list(include_str!("../../assets/story/stopwords.txt")))
}

fn common_words() -> &'static FxHashSet<&'static str> {
    static S: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| word_list(include_str!("../../assets/story/common-words.txt")))
}

fn recurrence_words() -> &'static FxHashSet<&'static str> {
    static S: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| word_list(include_str!("../../assets/story/recurrence.txt")))
}

/// The top bit of a word hash marks a common word (it weighs less).
const COMMON_BIT: u32 = 1 << 31;

/// Stands among an event's word hashes when its sentence says the happening
/// is a new one of a series ("met again", "another attack", "a second
/// round"): such a sentence never retells an earlier happening. It weighs
/// nothing in `wording`.
pub const RECURS: u32 = 0;

/// A crude stem: "signed", "signing" and "signs" all become "sign".
fn stem(w: &str) -> &str {
    for suffix in ["ing", "ed", "es", "s"] {
        if let Some(s) = w.strip_suffix(suffix) {
            if s.len() >= 4 {
                return s;
            }
        }
    }
    w
}

/// The content words of `text` as sorted, distinct hashes, leaving out the
/// words of `names` (the actors are compared on their own, and a shared
/// name would otherwise count twice).
pub fn words(text: &str, names: &[&str]) -> Vec<u32> {
    let mut skip: FxHashSet<String> = FxHashSet::default();
    for n in names {
        for w in split_words(n) {
            skip.insert(w);
        }
    }
    let (stop, common, recur) = (stopwords(), common_words(), recurrence_words());
    let mut recurs = false;
    let mut out: Vec<u32> = split_words(text)
        .filter(|w| {
            recurs |= recur.contains(w.as_str());
            w.chars().count() >= 3 && !stop.contains(w.as_str()) && !skip.contains(w)
        })
        .map(|w| {
            let is_common = common.contains(w.as_str());
            let mut h = FxHasher::default();
            std::hash::Hasher::write(&mut h, stem(&w).as_bytes());
            // Never `RECURS` (0): a word hashing there moves to 1.
            let h = (std::hash::Hasher::finish(&h) as u32 & !COMMON_BIT).max(1);
            if is_common {
                h | COMMON_BIT
            } else {
                h
            }
        })
        .collect();
    if recurs {
        out.push(RECURS);
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn split_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut s = String::with_capacity(w.len());
            for c in w.chars() {
                fold_char(c, &mut s);
            }
            s
        })
}

fn weight(h: u32) -> f32 {
    if h == RECURS {
        0.0
    } else if h & COMMON_BIT != 0 {
        0.3
    } else {
        1.0
    }
}

/// How much two events' wording agrees: the weight of the shared words
/// over the geometric mean of both totals (0 to 1).
pub fn wording(a: &[u32], b: &[u32]) -> f32 {
    let (wa, wb): (f32, f32) = (
        a.iter().map(|&h| weight(h)).sum(),
        b.iter().map(|&h| weight(h)).sum(),
    );
    if wa == 0.0 || wb == 0.0 {
        return 0.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0.0f32);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += weight(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    shared / (wa * wb).sqrt()
}

/// First and last day of a TIMEX3 date value, when it is a day, a week or
/// a month; `None` otherwise (years, quarters, references, garbage).
pub fn date_span(value: &str) -> Option<(i32, i32)> {
    let v = value.trim();
    let year: i32 = v.get(..4)?.parse().ok()?;
    let rest = v.get(4..)?;
    if rest.is_empty() {
        return None;
    }
    let rest = rest.strip_prefix('-')?;
    if let Some(w) = rest.strip_prefix('W') {
        let week: u32 = w.get(..2)?.parse().ok()?;
        let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)?;
        let d = monday.num_days_from_ce();
        return Some((d, d + 6));
    }
    let month: u32 = rest.get(..2)?.parse().ok()?;
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    match rest.get(2..3) {
        Some("-") => {
            let day: u32 = rest.get(3..5)?.parse().ok()?;
            let d = NaiveDate::from_ymd_opt(year, month, day)?.num_days_from_ce();
            Some((d, d))
        }
        None | Some("") => {
            let next = if month == 12 {
                NaiveDate::from_ymd_opt(year + 1, 1, 1)?
            } else {
                NaiveDate::from_ymd_opt(year, month + 1, 1)?
            };
            Some((first.num_days_from_ce(), next.num_days_from_ce() - 1))
        }
        _ => None,
    }
}

/// How two dates relate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateFit {
    /// The same day.
    Same,
    /// One is vague (a week, a month) and holds the other (or both are the
    /// same vague period).
    Within,
    /// Two exact days one apart.
    NextDay,
    Apart,
}

pub fn date_fit(a: (i32, i32), b: (i32, i32)) -> DateFit {
    if a == b && a.0 == a.1 {
        return DateFit::Same;
    }
    let holds = |x: (i32, i32), y: (i32, i32)| x.0 <= y.0 && y.1 <= x.1;
    if holds(a, b) || holds(b, a) {
        return DateFit::Within;
    }
    if a.0 == a.1 && b.0 == b.1 && (a.0 - b.0).abs() == 1 {
        return DateFit::NextDay;
    }
    DateFit::Apart
}

/// How well two kinds fit one happening.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum KindFit {
    No,
    /// A statement (or an unclassified event) beside an act: one source may
    /// report the act, another what someone said of it; needs more wording.
    Loose,
    /// The same kind, or kinds of one encounter (a meeting and the
    /// agreement reached at it).
    Close,
}

fn family(k: EventKind) -> u8 {
    use EventKind::*;
    match k {
        Meet | Visit | Agree | Cooperate | Aid => 1,
        Criticize | Reject | Threaten | Demand => 2,
        Appeal | Intent => 3,
        Statement | Other => 0,
        Protest => 4,
        Sanction => 5,
        Attack => 6,
        Appoint => 7,
        Resign => 8,
        Elect => 9,
    }
}

pub fn kind_fit(a: EventKind, b: EventKind) -> KindFit {
    let (fa, fb) = (family(a), family(b));
    // Two unclassified events share no more than a day: their kinds say
    // nothing of being one happening.
    if a == EventKind::Other && b == EventKind::Other {
        return KindFit::Loose;
    }
    if a == b || (fa == fb && fa != 0) {
        KindFit::Close
    } else if fa == 0 || fb == 0 || (fa == 2 && fb == 3) || (fa == 3 && fb == 2) {
        KindFit::Loose
    } else {
        KindFit::No
    }
}

fn shares<T: Ord>(a: &[T], b: &[T]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// How much wording two events need to share, given everything else; None
/// when nothing could make them one happening.
fn wording_needed(a: &Features, b: &Features, dates: DateFit) -> Option<f32> {
    let kinds = kind_fit(a.kind, b.kind);
    if dates == DateFit::Apart || a.future != b.future {
        return None;
    }
    let both_named = !a.officials.is_empty() && !b.officials.is_empty();
    let same_person = a.officials.shares(&b.officials);
    let same_country = a.countries.shares(&b.countries);
    let statements = a.kind == EventKind::Statement && b.kind == EventKind::Statement;
    let actors = same_person || (!both_named && same_country);
    if dates == DateFit::NextDay {
        // A day apart: a time zone or "yesterday" may shift one source's
        // date, or a later sentence takes the day it was told on; the
        // actors must be the same, and the words agree the more when the
        // kinds are loose or both are statements (one may say a thing on
        // Monday and much the same on Tuesday).
        if !actors {
            return None;
        }
        let need = match kinds {
            KindFit::Close if !statements => 0.3,
            KindFit::Close | KindFit::Loose => 0.4,
            KindFit::No => return None,
        };
        return Some(need + plan_extra(a, b));
    }
    if dates == DateFit::Within {
        // A vague date ("earlier this month") holds many happenings: only
        // the same kind of act by the same people, told in like words.
        let need = if statements { 0.3 } else { 0.15 };
        return (kinds == KindFit::Close && actors).then_some(need + plan_extra(a, b));
    }
    let bare = |f: &Features| f.officials.is_empty() && f.countries.is_empty();
    let mut need = if bare(a) || bare(b) {
        // A headline often names nobody: within its own article it is the
        // lead's happening when the words agree; elsewhere they must agree
        // more.
        if a.article == b.article {
            0.25
        } else {
            0.45
        }
    } else if same_person {
        if statements {
            0.22
        } else {
            0.12
        }
    } else if both_named {
        // Different people named: other outlets may quote other officials
        // of the same happening, but then the words must agree.
        if !same_country {
            return None;
        }
        0.4
    } else if same_country {
        0.2
    } else {
        return None;
    };
    need += plan_extra(a, b);
    match kinds {
        KindFit::Close => {}
        KindFit::Loose => need += 0.13,
        // Kinds are read off one verb and sometimes miss: the same day and
        // much the same words still make one happening.
        KindFit::No => need = (need + 0.25f32).max(0.5),
    }
    Some(need)
}

/// Two plans ("will travel", "is due to visit") are seldom told in words
/// precise enough to be sure they are one: they need more wording.
fn plan_extra(a: &Features, b: &Features) -> f32 {
    if a.future && b.future {
        0.15
    } else {
        0.0
    }
}

/// Do `a` and `b` report the same happening? `both_days` answers, for a
/// pair one day apart, whether either article reports both days as
/// separate happenings (it is asked only then, as it needs the articles).
pub fn same_happening(a: &Features, b: &Features, both_days: impl FnOnce() -> bool) -> bool {
    match_score(a, b, both_days).is_some()
}

/// `same_happening`, with how well the wording agrees when it is the same.
/// Two vague dates are never matched with each other: a vague date only
/// hangs on to an exact one (see `merge`).
pub fn match_score(a: &Features, b: &Features, both_days: impl FnOnce() -> bool) -> Option<f32> {
    let (sa, sb) = (a.span?, b.span?);
    if a.is_vague() && b.is_vague() {
        return None;
    }
    let dates = date_fit(sa, sb);
    if dates == DateFit::NextDay && a.article == b.article {
        return None;
    }
    let retold = dates == DateFit::Apart && retells(a, b);
    let need = if retold {
        retelling_needed(a, b)?
    } else {
        wording_needed(a, b, dates)?
    };
    let score = wording(&a.words, &b.words);
    if score < need || ((dates == DateFit::NextDay || retold) && both_days()) {
        return None;
    }
    Some(score)
}

/// Could one of two exact-dated events of different articles retell the
/// other: the later one does not name its day, is dated 2 to `RETELL_DAYS`
/// days after the other, and does not call itself a new one of a series?
/// (A day apart is `DateFit::NextDay`'s case.)
fn retells(a: &Features, b: &Features) -> bool {
    let (Some(sa), Some(sb)) = (a.span, b.span) else {
        return false;
    };
    if a.is_vague() || b.is_vague() || a.article == b.article || a.future || b.future {
        return false;
    }
    let later = if sa.0 > sb.0 { a } else { b };
    let gap = (sa.0 - sb.0).abs();
    (2..=RETELL_DAYS).contains(&gap) && !later.stated && later.words.binary_search(&RECURS).is_err()
}

/// How much wording a retelling needs to share with the happening it
/// retells: the same person (or a country, when one of the two names
/// nobody), fitting kinds and much the same words; a statement or an
/// unclassified sentence beside an act needs more.
fn retelling_needed(a: &Features, b: &Features) -> Option<f32> {
    let both_named = !a.officials.is_empty() && !b.officials.is_empty();
    let actors =
        a.officials.shares(&b.officials) || (!both_named && a.countries.shares(&b.countries));
    if !actors {
        return None;
    }
    match kind_fit(a.kind, b.kind) {
        KindFit::Close => Some(0.4),
        KindFit::Loose => Some(0.45),
        KindFit::No => None,
    }
}

impl Features {
    /// Dated to a week or a month rather than a day.
    pub fn is_vague(&self) -> bool {
        self.span.is_some_and(|s| s.0 != s.1)
    }
}

/// Does this article (its events' features) report a separate happening on
/// `day` of the kind and with the actors of `e`? Used to refuse a one-day
/// shift, or a retelling, when an article tells the two days apart.
pub fn reports_day(article: &[&Features], day: i32, e: &Features) -> bool {
    article.iter().any(|x| {
        x.span == Some((day, day))
            && kind_fit(x.kind, e.kind) != KindFit::No
            && (x.officials.shares(&e.officials) || x.countries.shares(&e.countries))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_compare_as_their_strings() {
        let k = |l: &[&str]| Keys::new(l.iter().map(|s| s.to_string()).collect());
        assert!(k(&["US", "KP"]).shares(&k(&["KP"])));
        assert!(!k(&["US"]).shares(&k(&["USA", "U", "us"])));
        assert!(k(&["kimjongun", "FR"]).shares(&k(&["kimjongun"])));
        assert!(!k(&["kimjongun"]).shares(&k(&["kimyojong", "kimjongu"])));
        assert!(!k(&[]).shares(&k(&["US"])));
        // Short keys are numbered exactly, bytes and length.
        assert_ne!(key_number("A"), key_number("A\0"));
        assert_eq!(key_number("GB") >> 56, 2);
        assert_eq!(key_number("abcdefgh") >> 56, HASHED);
    }

    proptest::proptest! {
        /// The numbered comparison answers as comparing the strings does.
        #[test]
        fn keys_share_as_strings_do(
            a in proptest::collection::vec("[ab\u{e9}]{0,9}", 0..4),
            b in proptest::collection::vec("[ab\u{e9}]{0,9}", 0..4),
        ) {
            let (ka, kb) = (Keys::new(a.clone()), Keys::new(b.clone()));
            let plain = a.iter().any(|x| b.contains(x));
            proptest::prop_assert_eq!(ka.shares(&kb), plain);
            proptest::prop_assert_eq!(kb.shares(&ka), plain);
        }
    }

    #[test]
    fn identity_keys_join_spellings() {
        assert_eq!(identity_key("Kim Jong Un"), identity_key("Kim Jong-un"));
        assert_eq!(identity_key("KIM jong un"), "kimjongun");
        assert_eq!(identity_key("José Álvarez"), identity_key("Jose Alvarez"));
        assert_ne!(identity_key("Kim Jong Un"), identity_key("Kim Yo Jong"));
    }

    #[test]
    fn date_spans() {
        let d = |s: &str| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .unwrap()
                .num_days_from_ce()
        };
        assert_eq!(
            date_span("2026-03-05"),
            Some((d("2026-03-05"), d("2026-03-05")))
        );
        assert_eq!(
            date_span("2026-03-05T10:00"),
            Some((d("2026-03-05"), d("2026-03-05")))
        );
        assert_eq!(
            date_span("2026-02"),
            Some((d("2026-02-01"), d("2026-02-28")))
        );
        assert_eq!(
            date_span("2026-12"),
            Some((d("2026-12-01"), d("2026-12-31")))
        );
        assert_eq!(
            date_span("2026-W10"),
            Some((d("2026-03-02"), d("2026-03-08")))
        );
        assert_eq!(date_span("2026"), None);
        assert_eq!(date_span("2026-Q1"), None);
        assert_eq!(date_span("PRESENT_REF"), None);
        assert_eq!(date_span("2026-13"), None);
        assert_eq!(date_span("20é6-01"), None);
    }

    #[test]
    fn date_fits() {
        let day = |n| (n, n);
        assert_eq!(date_fit(day(10), day(10)), DateFit::Same);
        assert_eq!(date_fit(day(10), day(11)), DateFit::NextDay);
        assert_eq!(date_fit(day(10), day(12)), DateFit::Apart);
        assert_eq!(date_fit((1, 31), day(12)), DateFit::Within);
        assert_eq!(date_fit(day(40), (1, 31)), DateFit::Apart);
    }

    #[test]
    fn kinds() {
        use EventKind::*;
        assert_eq!(kind_fit(Meet, Agree), KindFit::Close);
        assert_eq!(kind_fit(Statement, Protest), KindFit::Loose);
        assert_eq!(kind_fit(Protest, Sanction), KindFit::No);
        assert_eq!(kind_fit(Meet, Protest), KindFit::No);
    }

    fn feat(article: &str, kind: EventKind, day: i32, text: &str, stated: bool) -> Features {
        Features {
            article: article.to_string(),
            kind,
            span: Some((day, day)),
            officials: Keys::new(vec!["ameliaokoro".to_string()]),
            countries: Keys::new(vec!["GH".to_string()]),
            words: words(text, &[]),
            future: false,
            stated,
        }
    }

    #[test]
    fn a_retelling_that_names_no_day_may_be_days_later() {
        let lead = "Okoro opened a new container terminal at the port of Tema";
        let later =
            "The container terminal Okoro opened at the port of Tema handled its first ship";
        let a = feat("a", EventKind::Cooperate, 1000, lead, true);
        // Three days later, its date taken from the day it was told.
        let b = feat("b", EventKind::Statement, 1003, later, false);
        assert!(match_score(&a, &b, || false).is_some());
        assert!(match_score(&b, &a, || false).is_some());
        // Not when the retelling's article reports that day on its own ...
        assert!(match_score(&a, &b, || true).is_none());
        // ... nor when the later sentence names its own day ...
        let stated = feat("b", EventKind::Statement, 1003, later, true);
        assert!(match_score(&a, &stated, || false).is_none());
        // ... nor when the earlier one is the one without a day ...
        let (early, late) = (
            feat("a", EventKind::Cooperate, 1000, lead, false),
            feat("b", EventKind::Statement, 1003, later, true),
        );
        assert!(match_score(&early, &late, || false).is_none());
        // ... nor beyond RETELL_DAYS.
        let far = feat(
            "b",
            EventKind::Statement,
            1000 + RETELL_DAYS + 1,
            later,
            false,
        );
        assert!(match_score(&a, &far, || false).is_none());
    }

    #[test]
    fn a_sentence_of_a_series_marks_itself_and_weighs_nothing_for_it() {
        let once = words("Envoys met in Kampala on the pipeline route", &[]);
        let again = words("Envoys met again in Kampala on the pipeline route", &[]);
        assert!(again.binary_search(&RECURS).is_ok());
        assert!(once.binary_search(&RECURS).is_err());
        assert!((wording(&once, &again) - 1.0).abs() < 1e-6);
        let a = feat(
            "a",
            EventKind::Meet,
            1000,
            "Envoys met in Kampala on the pipeline route",
            true,
        );
        let b = feat(
            "b",
            EventKind::Meet,
            1003,
            "Envoys met again in Kampala on the pipeline route",
            false,
        );
        assert!(match_score(&a, &b, || false).is_none());
    }

    #[test]
    fn unclassified_events_are_a_loose_fit() {
        use EventKind::*;
        assert_eq!(kind_fit(Other, Other), KindFit::Loose);
        assert_eq!(kind_fit(Statement, Statement), KindFit::Close);
    }

    #[test]
    fn wording_weighs_rare_words_more() {
        let a = words("Farmers blocked the port of Calais with tractors", &[]);
        let b = words("Tractors blocked Calais port as farmers protested", &[]);
        let c = words("The minister said on Monday the government would act", &[]);
        assert!(wording(&a, &b) > 0.6, "{}", wording(&a, &b));
        assert!(wording(&a, &c) < 0.05);
        // Names are left out: the actors are compared on their own.
        let n = words("Grace Njoroge said", &["Grace Njoroge"]);
        assert_eq!(n.len(), 1);
    }
}
