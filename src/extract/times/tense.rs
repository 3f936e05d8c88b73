//! The tense of the clause around a time expression, from word cues alone.
//!
//! HeidelTime asks a POS tagger for the nearest tensed verb; we have no
//! tagger, so we look for cue words: modals and "is set to" for the future,
//! `-ed` forms, irregular past forms and perfects for the past, a few
//! present forms. The nearest cue to the left inside the clause wins, then
//! the nearest to the right; with no cue the caller falls back to the news
//! default (the past) or, for a month-day, the year nearest the DCT.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tense {
    Past,
    Present,
    Future,
    /// No cue in the clause: weekdays and months read it as the past (the
    /// news default); a month-day takes the year nearest the DCT.
    Unknown,
}

#[derive(Clone, Copy, Debug, Default)]
struct Lex {
    irregular_past: bool,
    ed_not_past: bool,
    to_future: bool,
    present: bool,
    scheduled: bool,
    future: bool,
    /// "is", "are", "am", "was", "were".
    be: bool,
    /// "has", "have", "had".
    have: bool,
    /// "to".
    to: bool,
    /// "may".
    may: bool,
}

/// The longest cue word; longer words are never looked up.
const MAX_CUE: usize = 16;

/// Every cue word (lowercase) with what it can signal, and for each
/// lowercase first byte the lengths (bit `len`) of the cue words starting
/// with it: most words (names, long words) are rejected by that without a
/// hash.
struct Lexicon {
    words: FxHashMap<&'static [u8], Lex>,
    lengths: [u32; 256],
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut m: FxHashMap<&'static [u8], Lex> = FxHashMap::default();
    type Setter = fn(&mut Lex);
    // The cue lists are data (`assets/words/tense.tsv`).
    let cue = super::words::tense_list;
    let lists: [(Vec<&'static str>, Setter); 10] = [
        (cue("irregular-past"), |l| l.irregular_past = true),
        (cue("ed-not-past"), |l| l.ed_not_past = true),
        (cue("to-future"), |l| l.to_future = true),
        (cue("present"), |l| l.present = true),
        (cue("scheduled"), |l| l.scheduled = true),
        (cue("future"), |l| l.future = true),
        (vec!["is", "are", "am", "was", "were"], |l| l.be = true),
        (vec!["has", "have", "had"], |l| l.have = true),
        (vec!["to"], |l| l.to = true),
        (vec!["may"], |l| l.may = true),
    ];
    let mut lengths = [0u32; 256];
    for (words, set) in lists {
        for w in words {
            debug_assert!(!w.is_empty() && w.len() <= MAX_CUE);
            set(m.entry(w.as_bytes()).or_default());
            lengths[usize::from(w.as_bytes()[0])] |= 1 << w.len();
        }
    }
    Lexicon { words: m, lengths }
});

/// The cues of word `w` as written (any case), lowercased on the stack.
fn lex(w: &str) -> Lex {
    let b = w.as_bytes();
    let lexicon = &*LEXICON;
    let first = b.first().map_or(0, u8::to_ascii_lowercase);
    if b.len() > MAX_CUE || lexicon.lengths[usize::from(first)] & (1 << b.len()) == 0 {
        return Lex::default();
    }
    let mut buf = [0u8; MAX_CUE];
    let low = &mut buf[..b.len()];
    low.copy_from_slice(b);
    low.make_ascii_lowercase();
    lexicon.words.get(&*low).copied().unwrap_or_default()
}

/// ASCII case-insensitive equality with a lowercase word.
fn is(w: &str, x: &str) -> bool {
    w.eq_ignore_ascii_case(x)
}

/// ASCII case-insensitive suffix test with a lowercase suffix.
fn ends(w: &str, suffix: &str) -> bool {
    w.len() >= suffix.len()
        && w.as_bytes()[w.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Word,
    /// A comma: ends a clause for the left scan only.
    Comma,
    /// ; : ( ) quotes and dashes: end a clause both ways.
    Strong,
}

/// A word or clause mark of a sentence. Words keep their case: every
/// comparison is ASCII case-insensitive, so no lowercase copy is made.
#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    /// Byte offset in the sentence.
    pos: usize,
    kind: Kind,
    /// The word as written ("" for marks).
    word: &'a str,
    /// The word as written starts with a lowercase letter.
    lower_initial: bool,
}

/// Bytes of a word run (`[0-9A-Za-z']`), by table: every byte is tested.
static WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = c.is_ascii_alphanumeric() || c == b'\'';
        i += 1;
    }
    t
};

fn is_word_byte(b: u8) -> bool {
    WORD_BYTE[usize::from(b)]
}

/// A clause mark for an ASCII byte.
fn ascii_mark(b: u8) -> Option<Kind> {
    match b {
        b',' => Some(Kind::Comma),
        b';' | b':' | b'(' | b')' | b'"' | b'[' | b']' => Some(Kind::Strong),
        _ => None,
    }
}

/// A curly quote or long dash (multi-byte: E2 80 9C/9D/94/93) starts at
/// byte `q`, a char boundary.
fn wide_mark_at(b: &[u8], q: usize) -> bool {
    b.get(q) == Some(&0xE2)
        && b.get(q + 1) == Some(&0x80)
        && matches!(b.get(q + 2), Some(0x9C | 0x9D | 0x94 | 0x93))
}

fn mark<'a>(pos: usize, kind: Kind) -> Token<'a> {
    Token {
        pos,
        kind,
        word: "",
        lower_initial: false,
    }
}

/// The word of the run `s[start..end]` (all word bytes, so ASCII) without
/// its leading and trailing apostrophes; `None` when nothing is left.
fn word_token(s: &str, start: usize, end: usize) -> Option<Token<'_>> {
    let b = s.as_bytes();
    let mut ws = start;
    let mut we = end;
    while ws < we && b[ws] == b'\'' {
        ws += 1;
    }
    while we > ws && b[we - 1] == b'\'' {
        we -= 1;
    }
    let w = s.get(ws..we).filter(|w| !w.is_empty())?;
    Some(Token {
        pos: start,
        kind: Kind::Word,
        word: w,
        lower_initial: w.as_bytes()[0].is_ascii_lowercase(),
    })
}

/// Reused token buffers for `tense_at`.
#[derive(Default)]
pub struct Buffers<'a> {
    left: Vec<Token<'a>>,
    right: Vec<Token<'a>>,
}

/// The words and clause marks of a sentence around a time expression,
/// made on demand in both directions from the expression: the cue search
/// reads a few words on each side, so most of a sentence is never
/// tokenized. The tokens are those a left-to-right pass over the whole
/// sentence gives: word runs (`[0-9A-Za-z']`, trimmed of apostrophes,
/// `pos` at the run start) and marks. Token `k` (an `isize`) counts from
/// the first token at or after the split: -1 is the one right before.
struct Around<'a, 'b> {
    s: &'a str,
    /// Tokens before the split, nearest first.
    left: &'b mut Vec<Token<'a>>,
    /// Tokens from the split on, in order.
    right: &'b mut Vec<Token<'a>>,
    /// `s[..left_at]` is not tokenized yet.
    left_at: usize,
    /// `s[right_at..]` is not tokenized yet.
    right_at: usize,
}

impl<'a> Around<'a, '_> {
    /// Token `k`, tokenizing further only when it is not made yet.
    #[inline]
    fn get(&mut self, k: isize) -> Option<Token<'a>> {
        if k < 0 {
            let i = k.unsigned_abs() - 1;
            if i >= self.left.len() && !self.fill_left(i) {
                return None;
            }
            self.left.get(i).copied()
        } else {
            let i = k.unsigned_abs();
            if i >= self.right.len() && !self.fill_right(i) {
                return None;
            }
            self.right.get(i).copied()
        }
    }

    /// Makes left token `i`; false when the sentence starts before it.
    #[inline(never)]
    fn fill_left(&mut self, i: usize) -> bool {
        while self.left.len() <= i {
            if !self.pull_left() {
                return false;
            }
        }
        true
    }

    /// Makes right token `i`; false when the sentence ends before it.
    #[inline(never)]
    fn fill_right(&mut self, i: usize) -> bool {
        while self.right.len() <= i {
            if !self.pull_right() {
                return false;
            }
        }
        true
    }

    #[inline]
    fn word(&mut self, k: isize) -> Option<&'a str> {
        self.get(k).filter(|t| t.kind == Kind::Word).map(|t| t.word)
    }

    /// Tokenizes backwards up to the next token; false at the sentence start.
    fn pull_left(&mut self) -> bool {
        let s = self.s;
        let b = s.as_bytes();
        while self.left_at > 0 {
            let end = self.left_at;
            let c = b[end - 1];
            if is_word_byte(c) {
                let mut start = end - 1;
                while start > 0 && is_word_byte(b[start - 1]) {
                    start -= 1;
                }
                self.left_at = start;
                if let Some(t) = word_token(s, start, end) {
                    self.left.push(t);
                    return true;
                }
            } else if c < 0x80 {
                self.left_at = end - 1;
                if let Some(kind) = ascii_mark(c) {
                    self.left.push(mark(end - 1, kind));
                    return true;
                }
            } else {
                // Back to the first byte of this char (past continuation bytes).
                let mut q = end - 1;
                while q > 0 && (0x80..0xC0).contains(&b[q]) {
                    q -= 1;
                }
                self.left_at = q;
                if wide_mark_at(b, q) {
                    self.left.push(mark(q, Kind::Strong));
                    return true;
                }
            }
        }
        false
    }

    /// Tokenizes forwards up to the next token; false at the sentence end.
    fn pull_right(&mut self) -> bool {
        let s = self.s;
        let b = s.as_bytes();
        while self.right_at < b.len() {
            let i = self.right_at;
            let c = b[i];
            if is_word_byte(c) {
                let mut end = i + 1;
                while end < b.len() && is_word_byte(b[end]) {
                    end += 1;
                }
                self.right_at = end;
                if let Some(t) = word_token(s, i, end) {
                    self.right.push(t);
                    return true;
                }
            } else if c < 0x80 {
                self.right_at = i + 1;
                if let Some(kind) = ascii_mark(c) {
                    self.right.push(mark(i, kind));
                    return true;
                }
            } else {
                // Advance one whole char.
                let len = s
                    .get(i..)
                    .and_then(|r| r.chars().next())
                    .map_or(1, char::len_utf8);
                self.right_at = i + len;
                if wide_mark_at(b, i) {
                    self.right.push(mark(i, Kind::Strong));
                    return true;
                }
            }
        }
        false
    }
}

fn looks_participle(l: &str) -> bool {
    (l.len() >= 4 && (ends(l, "ed") || ends(l, "en"))) || lex(l).irregular_past || is(l, "been")
}

/// The tense cue carried by word `i`, looking at its neighbours (only
/// when the word needs them: most words carry no cue).
fn classify(toks: &mut Around<'_, '_>, i: isize) -> Option<Tense> {
    let t = toks.get(i)?;
    let l = t.word;
    let lx = lex(l);
    if lx.future || ends(l, "'ll") {
        return Some(Tense::Future);
    }
    // "may" the modal, never "May" the month.
    if lx.may && t.lower_initial {
        return Some(Tense::Future);
    }
    if lx.to {
        return toks
            .word(i - 1)
            .filter(|p| lex(p).to_future)
            .map(|_| Tense::Future);
    }
    if lx.be {
        let n = toks.word(i + 1).unwrap_or("");
        if is(n, "to")
            || (lex(n).to_future && toks.word(i + 2).is_some_and(|x| is(x, "to")))
            || ["scheduled", "due", "slated", "expected", "planned"]
                .iter()
                .any(|x| is(n, x))
        {
            return Some(Tense::Future);
        }
        return Some(if is(l, "was") || is(l, "were") {
            Tense::Past
        } else {
            Tense::Present
        });
    }
    if lx.have {
        let participle = toks.word(i + 1).is_some_and(looks_participle)
            || toks
                .word(i + 2)
                .is_some_and(|n| is(n, "been") || looks_participle(n));
        return Some(if participle || is(l, "had") {
            Tense::Past
        } else {
            Tense::Present
        });
    }
    if lx.irregular_past {
        return Some(Tense::Past);
    }
    if t.lower_initial && l.len() >= 5 && ends(l, "ed") && !lx.ed_not_past {
        // A passive after "is/are" is present, after "will be" future.
        return match toks.word(i - 1) {
            Some(p) if ["is", "are", "am"].iter().any(|x| is(p, x)) => Some(Tense::Present),
            Some(p) if is(p, "be") => Some(Tense::Future),
            _ => Some(Tense::Past),
        };
    }
    if lx.scheduled {
        return Some(Tense::Future);
    }
    if lx.present {
        return Some(Tense::Present);
    }
    None
}

/// The tense for a time expression at `tx_start..tx_end` (offsets into
/// `sentence`).
#[cfg(test)]
pub fn tense_around(sentence: &str, tx_start: usize, tx_end: usize) -> Tense {
    tense_at(sentence, tx_start, tx_end, &mut Buffers::default())
}

/// Like `tense_around`, with reused buffers.
pub fn tense_at<'a>(
    sentence: &'a str,
    tx_start: usize,
    tx_end: usize,
    bufs: &mut Buffers<'a>,
) -> Tense {
    let b = sentence.as_bytes();
    // Split at `tx_start`, or past the end of a word run holding it (that
    // token starts before the expression, so it is on the left).
    let mut split = tx_start.min(b.len());
    if split > 0 && is_word_byte(b[split - 1]) {
        while split < b.len() && is_word_byte(b[split]) {
            split += 1;
        }
    }
    bufs.left.clear();
    bufs.right.clear();
    let mut toks = Around {
        s: sentence,
        left: &mut bufs.left,
        right: &mut bufs.right,
        left_at: split,
        right_at: split,
    };
    // Token 0 is the first at or after `tx_start`; find the first at or
    // after `tx_end`.
    let mut first_after: isize = 0;
    while toks.get(first_after).is_some_and(|t| t.pos < tx_end) {
        first_after += 1;
    }

    // The word right before the expression ("until Sunday", "by noon"),
    // skipping one "on" ("until on Sunday" does not occur, "since on" neither).
    let mut prep = toks.word(-1).filter(|p| !is(p, "on"));
    if prep.is_none() {
        prep = toks.word(-2);
    }

    let mut left = None;
    let mut k = -1;
    while let Some(t) = toks.get(k) {
        if t.kind != Kind::Word {
            break;
        }
        if let Some(t) = classify(&mut toks, k) {
            left = Some(t);
            break;
        }
        k -= 1;
    }
    if let Some(p) = prep {
        if (is(p, "until") || is(p, "till") || is(p, "by")) && left != Some(Tense::Past) {
            return Tense::Future;
        }
        if is(p, "since") {
            return Tense::Past;
        }
    }
    if let Some(t) = left {
        return t;
    }
    // To the right, a comma ends the clause unless the expression opens the
    // sentence ("On Sunday, the ministers will meet").
    let mut seen_word = false;
    let mut k = first_after;
    while let Some(t) = toks.get(k) {
        match t.kind {
            Kind::Word => {
                if let Some(t) = classify(&mut toks, k) {
                    return t;
                }
                seen_word = true;
            }
            Kind::Comma if !seen_word => {}
            Kind::Comma | Kind::Strong => break,
        }
        k += 1;
    }
    Tense::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tense_of(s: &str, needle: &str) -> Tense {
        let i = s.find(needle).unwrap();
        tense_around(s, i, i + needle.len())
    }

    /// Tokens made backwards, forwards or both ways from any split are
    /// those of one left-to-right pass.
    #[test]
    fn around_gives_the_same_tokens_both_ways() {
        let s = "'Twas \u{201c}Sunday's\u{201d} talk \u{2014} they'll meet (again), \
                 then: Ant\u{f3}nio's 'quoted' x; [note] 2020s\u{2013}end.";
        let all = |split: usize| {
            let mut bufs = Buffers::default();
            let mut a = Around {
                s,
                left: &mut bufs.left,
                right: &mut bufs.right,
                left_at: split,
                right_at: split,
            };
            while a.pull_left() {}
            while a.pull_right() {}
            let mut out: Vec<(usize, Kind, &str)> = Vec::new();
            for t in a.left.iter().rev().chain(a.right.iter()) {
                out.push((t.pos, t.kind, t.word));
            }
            out
        };
        let whole = all(0);
        assert!(whole.len() > 20);
        for split in 0..=s.len() {
            let b = s.as_bytes();
            let inside_run = split > 0
                && split < b.len()
                && is_word_byte(b[split - 1])
                && is_word_byte(b[split]);
            if s.is_char_boundary(split) && !inside_run {
                assert_eq!(all(split), whole, "split at {split}");
            }
        }
    }

    #[test]
    fn cues() {
        assert_eq!(
            tense_of("The minister said Friday it was over.", "Friday"),
            Tense::Past
        );
        assert_eq!(
            tense_of("The envoys will meet on Monday.", "Monday"),
            Tense::Future
        );
        assert_eq!(
            tense_of("She is set to take office on March 3.", "March 3"),
            Tense::Future
        );
        assert_eq!(
            tense_of("On Monday, the envoys will meet.", "Monday"),
            Tense::Future
        );
        assert_eq!(
            tense_of("On Monday, the envoys met.", "Monday"),
            Tense::Past
        );
        assert_eq!(
            tense_of("They have until Friday to decide.", "Friday"),
            Tense::Future
        );
        assert_eq!(
            tense_of("The talks, which ended Monday, failed.", "Monday"),
            Tense::Past
        );
        assert_eq!(tense_of("Nothing here Monday.", "Monday"), Tense::Unknown);
        assert_eq!(
            tense_of("Biden takes office on January 20.", "January 20"),
            Tense::Future
        );
        assert_eq!(
            tense_of("A vote is scheduled for Monday.", "Monday"),
            Tense::Future
        );
        assert_eq!(
            tense_of("It has been delayed since May.", "May"),
            Tense::Past
        );
    }
}
