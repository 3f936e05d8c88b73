//! Word tokens with byte spans, for the pattern rules of the extractors.

use std::cell::Cell;

use super::lexicon::WordClass;
use crate::span::Span;

#[derive(Clone, Debug)]
pub struct Token {
    /// The word without a trailing possessive ("China" for "China's").
    pub span: Span,
    /// The bytes of the possessive mark after `span` ("'s", "\u{2019}"),
    /// 0 without one. A byte rather than a second span keeps a token at
    /// three words (24 bytes, not 40, on 64-bit): the officials' rules walk
    /// every token of an article several times, and the smaller array stays
    /// in the first-level cache.
    tail: u8,
    /// True when only spaces (or a bracketed transcript note such as
    /// "[urs...]") separate this token from the one before.
    pub joined: bool,
    /// The word's `WordClass` once asked for (see `class`), 0 until then.
    /// It fits in the bytes the fields above leave over.
    class: Cell<u16>,
}

/// Kept small on purpose (see `tail`).
const _: () = assert!(std::mem::size_of::<Token>() <= 3 * std::mem::size_of::<usize>());

impl Token {
    /// The token of `start..end` whose word ends at `base_end`: anything
    /// between `base_end` and `end` is its possessive mark.
    fn new(start: usize, base_end: usize, end: usize, joined: bool) -> Token {
        // A possessive mark is at most four bytes ("\u{2019}s").
        let tail = u8::try_from(end.saturating_sub(base_end)).unwrap_or(u8::MAX);
        Token {
            span: Span::new(start, base_end),
            tail,
            joined,
            class: Cell::new(0),
        }
    }

    /// What the word is to the rules (title word, speech verb, ...): looked
    /// up the first time it is asked and kept, as the officials' tests ask
    /// about the same token several times. `text` must be the text the
    /// token was cut from, as for `text()`, never its lower-case copy: the
    /// answer kept is for the word as first asked.
    #[inline]
    pub fn class(&self, text: &str) -> WordClass {
        if let Some(c) = WordClass::from_cache(self.class.get()) {
            return c;
        }
        let c = WordClass::of(self.text(text));
        self.class.set(c.to_cache());
        c
    }

    /// The word carries a possessive mark ("China's", "Guterres\u{2019}").
    #[inline]
    pub fn possessive(&self) -> bool {
        self.tail > 0
    }

    /// The whole token, possessive included.
    pub fn full(&self) -> Span {
        Span::new(self.span.start, self.span.end + usize::from(self.tail))
    }

    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        self.span.slice(text)
    }

    pub fn is_capitalized(&self, text: &str) -> bool {
        self.text(text)
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase())
    }
}

/// The char-by-char word test (the reference tokenizer of the tests uses it).
#[cfg(test)]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

/// ASCII letters and digits, by table: the tokenizer asks it of every byte.
static ALNUM: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 128 {
        t[i] = (i as u8).is_ascii_alphanumeric();
        i += 1;
    }
    t
};

/// The char at byte `i` (a char boundary), with a fast path for ASCII.
#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 {
        Some(b as char)
    } else {
        text.get(i..)?.chars().next()
    }
}

/// A word char starts at byte `i` (a char boundary).
#[inline]
fn word_char_at(text: &str, i: usize) -> bool {
    match text.as_bytes().get(i) {
        None => false,
        Some(&b) if b < 0x80 => ALNUM[usize::from(b)],
        Some(_) => char_at(text, i).is_some_and(char::is_alphanumeric),
    }
}

/// Splits `text` into word tokens. Internal periods, apostrophes and hyphens
/// stay inside a word ("U.S.", "Secretary-General", "China's"); a trailing
/// period stays only on abbreviations and initials ("Gen.", "Q.").
///
/// Every byte of an article passes through here, so ASCII is read a byte
/// at a time by table and only other chars are decoded
/// (`tests::agrees_with_the_char_by_char_tokenizer` holds it to the
/// char-by-char rules it replaced).
pub fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut out: Vec<Token> = Vec::with_capacity(n / 5);
    let mut i = 0;
    let mut joined = false;
    while i < n {
        let b = bytes[i];
        if b < 0x80 {
            if b == b' ' {
                i += 1;
                continue;
            }
            if !ALNUM[usize::from(b)] {
                if b == b'[' {
                    if let Some(after) = note_end(bytes, i) {
                        i = after;
                        continue;
                    }
                }
                joined = false;
                i += 1;
                continue;
            }
        } else {
            let Some(c) = char_at(text, i) else {
                break;
            };
            if !c.is_alphanumeric() {
                joined = false;
                i += c.len_utf8();
                continue;
            }
        }
        let start = i;
        let end = word_end(text, start);
        let base_end = possessive_cut(&text[start..end]);
        // Joined: the previous token exists and only spaces/notes lie between.
        let was_joined = joined && !out.is_empty();
        out.push(Token::new(start, start + base_end, end, was_joined));
        joined = true;
        i = end;
    }
    out
}

/// After a '[' at `i`: the byte past a short bracketed note inside a
/// transcript ("[urs...]"), which does not break a run of words. Looks no
/// further than a note may be long, so many '[' cost no more than one pass.
#[inline]
fn note_end(bytes: &[u8], i: usize) -> Option<usize> {
    let near = &bytes[i..bytes.len().min(i + 42)];
    let close = memchr::memchr(b']', near)?;
    (!near[..close].contains(&b'\n')).then_some(i + close + 1)
}

/// The end of the word starting at `start` (a word char).
#[inline]
fn word_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = start;
    let mut j = start;
    loop {
        // Most of a word is a run of ASCII letters and digits: found eight
        // bytes at a time, so that a short word costs one test rather than
        // a loop whose exit is mispredicted at every word's end.
        let run = j;
        loop {
            let Some(x) = super::swar::chunk(bytes, j) else {
                while j < bytes.len() && ALNUM[usize::from(bytes[j])] {
                    j += 1;
                }
                break;
            };
            let stop = !super::swar::alnum_mask(x) & super::swar::HI;
            if stop != 0 {
                j += super::swar::first(stop);
                break;
            }
            j += 8;
        }
        if j > run {
            end = j;
        }
        let Some(&b) = bytes.get(j) else {
            break;
        };
        let sep_len = if b < 0x80 {
            if !matches!(b, b'.' | b'\'' | b'-') {
                break;
            }
            1
        } else {
            let Some(ch) = char_at(text, j) else {
                break;
            };
            if ch.is_alphanumeric() {
                j += ch.len_utf8();
                end = j;
                continue;
            }
            if ch != '\u{2019}' {
                break;
            }
            ch.len_utf8()
        };
        // Keep a separator only when a letter follows (U.S, China's,
        // Director-General) or it is the final period of an abbreviation.
        if word_char_at(text, j + sep_len) {
            j += sep_len;
        } else {
            if b == b'.' && is_abbrev(&text[start..j]) {
                end = j + 1;
            }
            break;
        }
    }
    end
}

/// The length of `word` without a trailing possessive ("China" of
/// "China's", "Guterres" of "Guterres\u{2019}"); shorter than `word`
/// exactly when it had one.
#[inline]
fn possessive_cut(word: &str) -> usize {
    let len = word.len();
    // Every possessive ends in 's', an apostrophe or the last byte of '\u{2019}'.
    if !matches!(word.as_bytes().last(), Some(b's' | b'\'' | 0x99)) {
        return len;
    }
    if word.ends_with("'s") {
        len - 2
    } else if word.ends_with("\u{2019}s") {
        len - 4
    } else if (word.ends_with('\'') || word.ends_with('\u{2019}')) && len > 1 {
        len - word.chars().last().map_or(0, |c| c.len_utf8())
    } else {
        len
    }
}

fn is_abbrev(w: &str) -> bool {
    const TITLES: &[&str] = &[
        "gen", "lt", "col", "maj", "capt", "sen", "rep", "gov", "mr", "mrs", "ms", "dr", "jr",
        "sr", "st", "adm", "sgt", "prof", "rev", "no", "amb",
    ];
    let mut chars = w.chars();
    let single_cap = matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase());
    let dotted = w.len() <= 5 && w.contains('.');
    // Every title is two to four letters long: longer words skip the list.
    single_cap
        || dotted
        || ((2..=4).contains(&w.len()) && TITLES.iter().any(|t| w.eq_ignore_ascii_case(t)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_possessives_and_abbreviations() {
        let t = "U.S. Secretary-General's aide met China's Gen. Q. Li [um...] Wang, then left.";
        let toks = tokenize(t);
        let words: Vec<&str> = toks.iter().map(|k| k.text(t)).collect();
        assert_eq!(
            words,
            vec![
                "U.S.",
                "Secretary-General",
                "aide",
                "met",
                "China",
                "Gen.",
                "Q.",
                "Li",
                "Wang",
                "then",
                "left"
            ]
        );
        assert!(toks[1].possessive() && toks[4].possessive());
        assert!(toks[8].joined, "a bracketed note keeps the run joined");
        assert!(!toks[9].joined, "a comma breaks the run");
    }

    /// The char-by-char tokenizer the byte-table one replaced, kept as the
    /// reference its output must equal.
    fn reference(text: &str) -> Vec<Token> {
        let mut out: Vec<Token> = Vec::new();
        let mut i = 0;
        let mut joined = false;
        while i < text.len() {
            let Some(c) = char_at(text, i) else {
                break;
            };
            if c == ' ' {
                i += 1;
                continue;
            }
            if c == '[' {
                let near = &text.as_bytes()[i..text.len().min(i + 42)];
                if let Some(close) = near.iter().position(|&b| b == b']') {
                    if !near[..close].contains(&b'\n') {
                        i += close + 1;
                        continue;
                    }
                }
            }
            if !is_word_char(c) {
                joined = false;
                i += c.len_utf8();
                continue;
            }
            let start = i;
            let mut end = i;
            let mut j = i;
            while let Some(ch) = char_at(text, j) {
                if is_word_char(ch) {
                    j += ch.len_utf8();
                    end = j;
                } else if matches!(ch, '.' | '\'' | '\u{2019}' | '-') {
                    let next = char_at(text, j + ch.len_utf8());
                    if next.is_some_and(is_word_char) {
                        j += ch.len_utf8();
                    } else {
                        if ch == '.' && is_abbrev(&text[start..j]) {
                            end = j + 1;
                        }
                        break;
                    }
                } else {
                    break;
                }
            }
            let word = &text[start..end];
            let base_end = if word.ends_with("'s") || word.ends_with("\u{2019}s") {
                end - if word.ends_with("'s") { 2 } else { 4 }
            } else if (word.ends_with('\'') || word.ends_with('\u{2019}')) && word.len() > 1 {
                end - word.chars().last().map_or(0, |c| c.len_utf8())
            } else {
                end
            };
            out.push(Token::new(
                start,
                base_end.max(start),
                end,
                joined && !out.is_empty(),
            ));
            joined = true;
            i = end;
        }
        out
    }

    fn fields(toks: &[Token]) -> Vec<(Span, Span, bool, bool)> {
        toks.iter()
            .map(|t| (t.span, t.full(), t.possessive(), t.joined))
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        /// The byte-table tokenizer gives the tokens of the char-by-char
        /// rules on random text: words, initials, abbreviations, dotted and
        /// hyphenated words, both apostrophes, notes in brackets, non-ASCII
        /// letters and marks, line breaks.
        #[test]
        fn agrees_with_the_char_by_char_tokenizer(pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "a", "Q", "ab", "Gen", "gen", "U", "S", "s", "2020", "x9", " ", "  ", ".",
                "..", ",", "'", "'s", "\u{2019}", "\u{2019}s", "-", "[", "]", "[um...]",
                "\n", "\u{e9}", "\u{c9}l", "\u{7fd2}", "\u{2014}", "\u{201c}", "\u{a0}",
                "\u{2013}", "\u{bd}", "\u{660}", "st", "mrs", "?", "\"", "(", ")",
                "@", "`", "{", "/", ":", "Zz", "09", "Secretary", "abcdefgh",
            ]),
            0..40,
        )) {
            let text: String = pieces.concat();
            proptest::prop_assert_eq!(
                fields(&tokenize(&text)),
                fields(&reference(&text)),
                "{:?}",
                text
            );
        }
    }

    #[test]
    fn unicode_does_not_panic() {
        let t = "António Guterres’ “words” — 習近平 said… ok";
        let toks = tokenize(t);
        assert_eq!(toks[0].text(t), "António");
        assert_eq!(toks[1].text(t), "Guterres");
    }
}
