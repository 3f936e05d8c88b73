//! What a search matches and how matches rank: one definition, used by the
//! browser and by `list --search`, so the two always agree.
//!
//! A query is split into words (terms). An event matches when every term
//! is found in one of its search fields (officials, countries, summary,
//! quotes), each field lower-cased, as
//! - a whole word ("houghton" in "mr houghton said"),
//! - the start of a word ("kamik" in "kamikawa", "sanction" in "sanctions"),
//! - a word one edit away (two for long terms), a typo: terms of five or
//!   more characters, words starting with the same letter (or the first two
//!   swapped), since people rarely mistype the first letter,
//! - inside a word, only for terms outside ASCII (scripts written without
//!   spaces).
//!
//! Letters scattered across a field never match: that is what made a name
//! match a third of the store.
//!
//! Ranking: each term scores its best (kind of match × weight of the
//! field); the sum, plus a bonus when the whole query stands as a phrase,
//! orders every match. The best `RESCORE` are then ranked by that sum plus
//! fuzzy-matcher's skim score of the best field (contiguity, word starts,
//! position), which keeps typo matches and near-misses in a sensible order
//! at the top. Ties go newest first.

use std::cmp::Ordering;

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;
use memchr::memmem::Finder;

/// The search fields of an event, in arena order.
pub const FIELDS: usize = 4;
pub const F_SUMMARY: usize = 0;
pub const F_OFFICIALS: usize = 1;
pub const F_COUNTRIES: usize = 2;
pub const F_QUOTES: usize = 3;

/// An official's search text: the name and the other names the store
/// knows for the person, so "Kamikawa" or "Kim Jong-un" find them. The
/// browser and `list --search` both build it here, so they agree.
pub fn official_text(name: &str, aliases: Option<&Vec<String>>) -> String {
    let mut t = name.to_string();
    for a in aliases.into_iter().flatten() {
        t.push(' ');
        t.push_str(a);
    }
    t
}

/// How much a match counts in each field (summary, officials, countries,
/// quotes): a name in the officials is worth more than in a quote.
const FIELD_WEIGHT: [u32; FIELDS] = [8, 10, 9, 5];

/// How the best RESCORE matches are re-ranked with the skim score.
pub const RESCORE: usize = 500;

/// Quotes feed the search only up to this many bytes per event: the start
/// of a quote is what people remember.
pub const QUOTE_BYTES: usize = 240;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Inner = 1,
    Typo = 2,
    Start = 3,
    Whole = 4,
}

impl Kind {
    fn points(self) -> u32 {
        match self {
            Kind::Inner => 3,
            Kind::Typo => 6,
            Kind::Start => 9,
            Kind::Whole => 12,
        }
    }
}

struct Term {
    text: String,
    chars: Vec<char>,
    finder: Finder<'static>,
    /// Edits allowed for a typo match (0: none).
    typo: usize,
    /// May match inside a word (non-ASCII terms).
    inner: bool,
    /// The ASCII letters of the term, one bit each (`letter_bit`), and
    /// those it holds twice or more.
    letters: u32,
    twice: u32,
}

impl Term {
    fn new(text: &str) -> Term {
        let chars: Vec<char> = text.chars().collect();
        let n = chars.len();
        let typo = if n >= 9 {
            2
        } else if n >= 5 {
            1
        } else {
            0
        };
        Term {
            finder: Finder::new(text.as_bytes()).into_owned(),
            text: text.to_string(),
            chars,
            // Only alphabetic terms are typed with typos; codes and numbers not.
            typo: if text.chars().all(char::is_alphabetic) {
                typo
            } else {
                0
            },
            inner: !text.is_ascii(),
            letters: letter_bits(text.as_bytes()).0,
            twice: letter_bits(text.as_bytes()).1,
        }
    }
}

/// The ASCII letters of `bytes` (`letter_bit`), and those seen twice.
fn letter_bits(bytes: &[u8]) -> (u32, u32) {
    bytes.iter().fold((0, 0), |(once, twice), &b| {
        let bit = letter_bit(b);
        (once | bit, twice | (once & bit))
    })
}

/// Byte `b`'s bit when it is a lower-case ASCII letter, else 0.
fn letter_bit(b: u8) -> u32 {
    if b.is_ascii_lowercase() {
        1 << (b - b'a')
    } else {
        0
    }
}

/// A parsed query. Build once per query; `score` per event.
pub struct Matcher {
    terms: Vec<Term>,
    /// The whole folded query, for the phrase bonus and the skim score.
    phrase: String,
    phrase_finder: Finder<'static>,
    skim: SkimMatcherV2,
}

/// Lower-cases text the way the search fields are.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_fold(&mut out, s);
    out
}

/// Appends `s` lower-cased.
pub fn push_fold(out: &mut String, s: &str) {
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        if let Some(tail) = out.get_mut(start..) {
            tail.make_ascii_lowercase();
        }
    } else {
        for c in s.chars() {
            out.extend(c.to_lowercase());
        }
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// The char before byte `pos` of `s`.
fn char_before(s: &str, pos: usize) -> Option<char> {
    s.get(..pos)?.chars().next_back()
}

fn char_at(s: &str, pos: usize) -> Option<char> {
    s.get(pos..)?.chars().next()
}

impl Matcher {
    /// None for an empty query.
    pub fn new(query: &str) -> Option<Matcher> {
        let folded = fold(query);
        let terms: Vec<Term> = folded.split_whitespace().map(Term::new).collect();
        if terms.is_empty() {
            return None;
        }
        let phrase = terms
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        Some(Matcher {
            terms,
            phrase_finder: Finder::new(phrase.as_bytes()).into_owned(),
            phrase,
            skim: SkimMatcherV2::default().ignore_case(),
        })
    }

    /// The folded query, terms joined by one space.
    pub fn phrase(&self) -> &str {
        &self.phrase
    }

    /// The longest edit allowance of any term: a grown query may drop
    /// matches only when this stays the same (narrowing on old hits is
    /// then exact).
    pub fn typo_allowance(&self) -> Vec<usize> {
        self.terms.iter().map(|t| t.typo).collect()
    }

    /// The score of an event given its folded fields, or None when it is
    /// not a match. `all` is the fields joined (the arena slice), checked
    /// first: most events miss on it.
    pub fn score(&self, fields: [&str; FIELDS], all: &str) -> Option<u32> {
        let mut total = 0u32;
        for t in &self.terms {
            // Quick rejection: neither the term nor any typo start letter.
            if t.typo == 0 && t.finder.find(all.as_bytes()).is_none() {
                return None;
            }
            let mut best = 0u32;
            for (f, text) in fields.iter().enumerate() {
                if let Some(k) = term_in(text, t) {
                    best = best.max(k.points() * FIELD_WEIGHT[f]);
                }
            }
            if best == 0 {
                return None;
            }
            total += best;
        }
        if self.terms.len() > 1 {
            let phrase = fields
                .iter()
                .enumerate()
                .filter(|(_, t)| self.phrase_finder.find(t.as_bytes()).is_some())
                .map(|(f, _)| 6 * FIELD_WEIGHT[f])
                .max()
                .unwrap_or(0);
            total += phrase;
        }
        Some(total)
    }

    /// The skim score of the best field (the fuzzy part of the ranking).
    pub fn skim(&self, fields: [&str; FIELDS]) -> i64 {
        fields
            .iter()
            .filter_map(|f| self.skim.fuzzy_match(f, &self.phrase))
            .max()
            .unwrap_or(0)
            .max(0)
    }

    /// Byte ranges of `text` (original case) to highlight: every place a
    /// term matches, by the same rules as `score`. Sorted, not overlapping.
    pub fn spans(&self, text: &str) -> Vec<(usize, usize)> {
        // Fold char by char, keeping where each folded byte came from.
        let mut folded = String::with_capacity(text.len());
        let mut from: Vec<usize> = Vec::with_capacity(text.len() + 1);
        for (at, c) in text.char_indices() {
            let before = folded.len();
            folded.extend(c.to_lowercase());
            from.extend(std::iter::repeat_n(at, folded.len() - before));
        }
        from.push(text.len());
        let orig = |p: usize| from.get(p).copied().unwrap_or(text.len());
        let mut out: Vec<(usize, usize)> = Vec::new();
        for t in &self.terms {
            for (a, b) in term_spans(&folded, t) {
                // The end maps to the start of the char after the match.
                let end = if b >= folded.len() {
                    text.len()
                } else {
                    orig(b)
                };
                out.push((orig(a), end));
            }
        }
        out.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(out.len());
        for (a, b) in out {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        merged
    }
}

/// The best way term `t` occurs in `field` (folded), if at all.
fn term_in(field: &str, t: &Term) -> Option<Kind> {
    let mut best: Option<Kind> = None;
    for pos in t.finder.find_iter(field.as_bytes()) {
        let start = char_before(field, pos).is_none_or(|c| !is_word(c));
        let end = char_at(field, pos + t.text.len()).is_none_or(|c| !is_word(c));
        let k = match (start, end) {
            (true, true) => return Some(Kind::Whole),
            (true, false) => Some(Kind::Start),
            _ if t.inner => Some(Kind::Inner),
            _ => None,
        };
        best = best.max(k);
    }
    if best.is_some() || t.typo == 0 {
        return best;
    }
    typo_in(field, t).then_some(Kind::Typo)
}

/// Is some word of `field` a typo of term `t` (see `typo_word`)? A typo
/// starts with the term's first or second letter, so for ASCII letters
/// only the word starts holding those (found with memchr) are tried, not
/// every word.
fn typo_in(field: &str, t: &Term) -> bool {
    let (Some(&c0), Some(&c1)) = (t.chars.first(), t.chars.get(1)) else {
        return false;
    };
    if !(c0.is_ascii() && c1.is_ascii()) {
        let mut found = false;
        words(field, |a, b| {
            found = typo_word(&field[a..b], t);
            !found
        });
        return found;
    }
    // An ASCII byte is never inside a multi-byte char: every hit is a
    // char boundary.
    let shortest = t.chars.len().saturating_sub(t.typo).max(4);
    // A typo word holds the first letter at its start or (first two
    // swapped) right after it: only those places are tried.
    let bytes = field.as_bytes();
    for hit in memchr::memchr_iter(c0 as u8, bytes) {
        let word_start = |p: usize| !char_before(field, p).is_some_and(is_word);
        let pos = if word_start(hit) {
            hit
        } else if hit > 0 && bytes[hit - 1] == c1 as u8 && word_start(hit - 1) {
            hit - 1
        } else {
            continue;
        };
        let rest = &field[pos..];
        // The word's length and letters in one pass over its bytes while
        // it is ASCII; a non-ASCII char ends the pass and the slow test
        // (chars) decides.
        let (mut len, mut letters, mut twice) = (0, 0u32, 0u32);
        let ascii = loop {
            match rest.as_bytes().get(len) {
                Some(b) if b.is_ascii_alphanumeric() => {
                    let bit = letter_bit(*b);
                    twice |= letters & bit;
                    letters |= bit;
                    len += 1;
                }
                Some(b) if !b.is_ascii() => break false,
                _ => break true,
            }
        };
        if ascii {
            // Cheap necessary tests first: each edit loses at most one
            // of the term's letters, so more than `typo` of them missing
            // from the word (a letter, or the second of a doubled one),
            // or a length too far off, rules the word out before the
            // edit distance is counted.
            let missing = (t.letters & !letters).count_ones() as usize
                + (t.twice & !twice).count_ones() as usize;
            if len >= shortest
                && len.abs_diff(t.chars.len()) <= t.typo
                && missing <= t.typo
                && typo_word(&rest[..len], t)
            {
                return true;
            }
            continue;
        }
        let len = rest
            .char_indices()
            .find(|&(_, c)| !is_word(c))
            .map_or(rest.len(), |(at, _)| at);
        // A word has at most as many chars as bytes.
        if len >= shortest && typo_word(&rest[..len], t) {
            return true;
        }
    }
    false
}

/// Where term `t` matches in `field` (folded), as byte ranges.
fn term_spans(field: &str, t: &Term) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for pos in t.finder.find_iter(field.as_bytes()) {
        let start = char_before(field, pos).is_none_or(|c| !is_word(c));
        if start || t.inner {
            out.push((pos, pos + t.text.len()));
        }
    }
    if t.typo > 0 {
        words(field, |a, b| {
            if typo_word(&field[a..b], t) {
                out.push((a, b));
            }
            true
        });
    }
    out
}

/// Calls `f(start, end)` for each word of `s` until it returns false.
fn words(s: &str, mut f: impl FnMut(usize, usize) -> bool) {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // ASCII fast path; a non-ASCII byte is decoded as a char.
        let (c, len) = if b[i] < 0x80 {
            (b[i] as char, 1)
        } else {
            match s.get(i..).and_then(|r| r.chars().next()) {
                Some(c) => (c, c.len_utf8()),
                None => {
                    i += 1;
                    continue;
                }
            }
        };
        if !is_word(c) {
            i += len;
            continue;
        }
        let start = i;
        i += len;
        while i < b.len() {
            let (c, len) = if b[i] < 0x80 {
                (b[i] as char, 1)
            } else {
                match s.get(i..).and_then(|r| r.chars().next()) {
                    Some(c) => (c, c.len_utf8()),
                    None => break,
                }
            };
            if !is_word(c) {
                break;
            }
            i += len;
        }
        if !f(start, i) {
            return;
        }
    }
}

/// Is `word` a typo of term `t`: within `t.typo` edits (a swap of two
/// neighbours is one), same first letter or the first two swapped?
fn typo_word(word: &str, t: &Term) -> bool {
    let tc = &t.chars;
    let mut first = word.chars();
    let (w0, w1) = (first.next(), first.next());
    let same_start =
        w0 == tc.first().copied() || (w0 == tc.get(1).copied() && w1 == tc.first().copied());
    if !same_start {
        return false;
    }
    let mut wc: [char; 48] = ['\0'; 48];
    let mut n = 0;
    for c in word.chars() {
        if n == wc.len() {
            return false;
        }
        wc[n] = c;
        n += 1;
    }
    if n < 4 || n.abs_diff(tc.len()) > t.typo {
        return false;
    }
    osa_within(&wc[..n], tc, t.typo)
}

/// Optimal string alignment distance of `a` and `b` is at most `k`.
fn osa_within(a: &[char], b: &[char], k: usize) -> bool {
    const W: usize = 49;
    if b.len() >= W || a.len() >= W {
        return false;
    }
    // Three rows: two back (for swaps), one back, current.
    let mut pp = [0usize; W];
    let mut p = [0usize; W];
    let mut cur = [0usize; W];
    for (j, v) in p.iter_mut().enumerate().take(b.len() + 1) {
        *v = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (p[j] + 1).min(cur[j - 1] + 1).min(p[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(pp[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > k {
            return false;
        }
        pp = p;
        p = cur;
    }
    p[b.len()] <= k
}

/// The quotes of an event as its search field: joined with " ¶ ", cut
/// at `QUOTE_BYTES` (on a char boundary). Both the browser and `list`
/// build it here so that they search the same text.
pub fn quotes_field<'a>(quotes: impl IntoIterator<Item = &'a str>) -> String {
    let mut q = String::new();
    for text in quotes {
        if q.len() >= QUOTE_BYTES {
            break;
        }
        if !q.is_empty() {
            q.push_str(" ¶ ");
        }
        let mut cut = QUOTE_BYTES.min(text.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        q.push_str(&text[..cut]);
    }
    q
}

/// A country's search text: its code and its name ("jp japan").
pub fn country_text(code: &str) -> String {
    let name = crate::extract::countries::name(code).unwrap_or("");
    fold(&format!("{code} {name}"))
}

/// Appends an event's search fields to `out` in arena order and returns
/// where each starts (byte offsets into `out`). `officials` and
/// `countries` are already folded (see `country_text`); the summary and
/// the quotes field are folded here.
pub fn push_fields<'a>(
    out: &mut String,
    summary: &str,
    officials: impl IntoIterator<Item = &'a str>,
    countries: impl IntoIterator<Item = &'a str>,
    quotes: &str,
) -> [usize; FIELDS] {
    let mut at = [0usize; FIELDS];
    at[F_SUMMARY] = out.len();
    push_fold(out, summary);
    at[F_OFFICIALS] = out.len();
    for (k, o) in officials.into_iter().enumerate() {
        if k > 0 {
            out.push_str("; ");
        }
        out.push_str(o);
    }
    at[F_COUNTRIES] = out.len();
    for (k, c) in countries.into_iter().enumerate() {
        if k > 0 {
            out.push_str("; ");
        }
        out.push_str(c);
    }
    at[F_QUOTES] = out.len();
    push_fold(out, quotes);
    at
}

/// The fields of one event laid out by `push_fields`, as slices.
pub fn split_fields(buf: &str, at: [usize; FIELDS]) -> [&str; FIELDS] {
    let end = |f: usize| if f + 1 < FIELDS { at[f + 1] } else { buf.len() };
    std::array::from_fn(|f| buf.get(at[f]..end(f)).unwrap_or(""))
}

/// A hit to rank: what it is, its score, and its place in the newest-first
/// order (ties go by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit<T> {
    pub id: T,
    pub score: u32,
    pub newest: u64,
}

/// Orders hits best first: by score (then newest first), then the best
/// `top` of them again by score plus skim. `skim(id)` is called at most
/// `top` times. Returns how many lead the list in skim order.
pub fn rank<T: Copy>(hits: &mut [Hit<T>], top: usize, mut skim: impl FnMut(T) -> i64) -> usize {
    let by_score = |a: &Hit<T>, b: &Hit<T>| b.score.cmp(&a.score).then(a.newest.cmp(&b.newest));
    let k = top.min(hits.len());
    if hits.len() > k {
        hits.select_nth_unstable_by(k, by_score);
    }
    hits[k..].sort_unstable_by(by_score);
    let mut head: Vec<(i64, Hit<T>)> = hits[..k]
        .iter()
        .map(|h| (h.score as i64 + skim(h.id), *h))
        .collect();
    head.sort_unstable_by(|a, b| match b.0.cmp(&a.0) {
        Ordering::Equal => a.1.newest.cmp(&b.1.newest),
        o => o,
    });
    for (slot, (_, h)) in hits.iter_mut().zip(head) {
        *slot = h;
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(s: &'a str, o: &'a str, c: &'a str, q: &'a str) -> [&'a str; FIELDS] {
        [s, o, c, q]
    }

    fn score(q: &str, f: [&str; FIELDS]) -> Option<u32> {
        let all = f.concat();
        Matcher::new(q)?.score(f, &all)
    }

    #[test]
    fn whole_words_and_word_starts_match_scattered_letters_do_not() {
        let f = fields("talks in houghton ended", "", "", "");
        assert!(score("houghton", f).is_some());
        assert!(score("hough", f).is_some());
        // Every letter of "houghton" is in here, in order, but scattered.
        let g = fields("the house ought to hold on", "", "", "");
        assert_eq!(score("houghton", g), None);
        // Inside a word: no (ASCII).
        assert_eq!(score("ughton", f), None);
        assert!(score("houghton", f) > score("hough", f));
    }

    #[test]
    fn typos_of_longer_words_match() {
        let f = fields("", "yoko kamikawa", "", "");
        assert!(score("kamikwa", f).is_some());
        assert!(score("kamiakwa", f).is_some());
        assert!(score("akmikawa", f).is_some());
        assert_eq!(score("xamikawa", f), None, "first letter kept");
        assert_eq!(score("kamkwa", f), None, "two edits on a 6-letter term");
        // Short terms: no typo tolerance.
        assert_eq!(score("yoka", f), None);
        assert!(score("kamikawa", f) > score("kamikwa", f));
    }

    #[test]
    fn every_term_must_match_and_fields_weigh() {
        let f = fields("coast guard talks", "", "jp japan", "");
        assert!(score("coast guard", f).is_some());
        assert!(score("japan coast", f).is_some());
        assert_eq!(score("coast navy", f), None);
        let in_official = fields("", "wang yi", "", "");
        let in_quote = fields("", "", "", "wang yi said");
        assert!(score("wang", in_official) > score("wang", in_quote));
        // The phrase in order scores above the terms apart.
        let apart = fields("guard the coast", "", "", "");
        assert!(score("coast guard", f) > score("coast guard", apart));
    }

    #[test]
    fn non_ascii_terms_match_inside_words() {
        let f = fields("王毅会见", "", "", "");
        assert!(score("王毅", f).is_some());
        let e = fields("réunion à genève", "", "", "");
        assert!(score("GENÈVE", e).is_some());
    }

    #[test]
    fn spans_cover_every_match_in_the_original_text() {
        let m = Matcher::new("coast kamikwa").unwrap();
        let text = "Coast guard: Kamikawa visits the COAST";
        let s = m.spans(text);
        let got: Vec<&str> = s.iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(got, vec!["Coast", "Kamikawa", "COAST"]);
        let m = Matcher::new("genè").unwrap();
        let t = "À GENÈVE";
        let s = m.spans(t);
        assert_eq!(
            s.iter().map(|&(a, b)| &t[a..b]).collect::<Vec<_>>(),
            ["GENÈ"]
        );
    }

    #[test]
    fn typo_search_by_first_letters_agrees_with_every_word() {
        let texts = [
            "talks in tanaak ended; tnaaka said",
            "the minster met ministre and miniser",
            "a tanak b",
            "überall ubreall tänaka",
            "x-tanakaa (tanaka) tanakas",
            "",
            "m",
        ];
        for q in [
            "tanaka",
            "minister",
            "ministers",
            "überall",
            "tänaka",
            "trade",
        ] {
            let t = Term::new(q);
            for text in texts {
                let slow = typo_in_every_word(text, &t);
                assert_eq!(typo_in(text, &t), slow, "{q:?} in {text:?}");
            }
        }
    }

    /// The slow definition of a typo in a field: every word tried.
    fn typo_in_every_word(text: &str, t: &Term) -> bool {
        let mut found = false;
        words(text, |a, b| {
            found = typo_word(&text[a..b], t);
            !found
        });
        found
    }

    /// `term` with a few random edits (kind, place, letter): near
    /// misses and hits of the typo test.
    fn edited(term: &str, edits: &[(u8, usize, char)]) -> String {
        let mut w: Vec<char> = term.chars().collect();
        for &(kind, at, c) in edits {
            let at = at % (w.len() + 1);
            match kind {
                0 => w.insert(at, c),
                1 if at < w.len() => {
                    w.remove(at);
                }
                2 if at < w.len() => w[at] = c,
                3 if at + 1 < w.len() => w.swap(at, at + 1),
                _ => {}
            }
        }
        w.into_iter().collect()
    }

    /// One random edit for `edited`.
    fn edit() -> impl proptest::strategy::Strategy<Value = (u8, usize, char)> {
        let letters = vec!['a', 'b', 'k', 'n', 't', 'é', 'z'];
        (0u8..4, 0usize..12, proptest::sample::select(letters))
    }

    proptest::proptest! {
        // Words made from the term by zero to three random edits, so that
        // they fall on both sides of the edit limit, between random
        // separators; few letters, some non-ASCII.
        #[test]
        fn fast_typo_test_agrees_with_every_word(
            term in "[abnkt][abnkté]{4,10}",
            words_of in proptest::collection::vec(
                (proptest::collection::vec(edit(), 0..4), "[ ,.é-]{1,2}"),
                0..6,
            ),
        ) {
            let text: String = words_of
                .iter()
                .map(|(edits, sep)| edited(&term, edits) + sep)
                .collect();
            let t = Term::new(&term);
            proptest::prop_assert_eq!(typo_in(&text, &t), typo_in_every_word(&text, &t));
        }
    }

    #[test]
    fn osa_counts_a_swap_as_one_edit() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(osa_within(&c("abcd"), &c("abdc"), 1));
        assert!(!osa_within(&c("abcd"), &c("badc"), 1));
        assert!(osa_within(&c("kitten"), &c("sitting"), 3));
        assert!(!osa_within(&c("kitten"), &c("sitting"), 2));
    }

    #[test]
    fn quotes_field_is_cut_on_a_char_boundary() {
        let long = "é".repeat(200);
        let q = quotes_field([long.as_str(), "second"]);
        assert!(q.len() <= QUOTE_BYTES);
        assert_eq!(quotes_field(["a", "b"]), "a ¶ b");
    }

    #[test]
    fn rank_orders_by_score_then_newest_and_rescores_the_head() {
        let mut hits = vec![
            Hit {
                id: 'a',
                score: 10,
                newest: 2,
            },
            Hit {
                id: 'b',
                score: 30,
                newest: 3,
            },
            Hit {
                id: 'c',
                score: 10,
                newest: 1,
            },
            Hit {
                id: 'd',
                score: 20,
                newest: 0,
            },
        ];
        let k = rank(&mut hits, 2, |id| if id == 'd' { 50 } else { 0 });
        assert_eq!(k, 2);
        let order: Vec<char> = hits.iter().map(|h| h.id).collect();
        assert_eq!(order, vec!['d', 'b', 'c', 'a']);
    }
}
