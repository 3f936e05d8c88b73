//! Word tokens with byte spans, for the pattern rules of the extractors.

use crate::span::Span;

#[derive(Clone, Debug)]
pub struct Token {
    /// The word without a trailing possessive ("China" for "China's").
    pub span: Span,
    /// The whole token, possessive included.
    pub full: Span,
    pub possessive: bool,
    /// True when only spaces (or a bracketed transcript note such as
    /// "[urs...]") separate this token from the one before.
    pub joined: bool,
}

impl Token {
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

#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

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

/// Splits `text` into word tokens. Internal periods, apostrophes and hyphens
/// stay inside a word ("U.S.", "Secretary-General", "China's"); a trailing
/// period stays only on abbreviations and initials ("Gen.", "Q.").
pub fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out: Vec<Token> = Vec::with_capacity(text.len() / 5);
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
            // A short bracketed note inside a transcript does not break a run.
            // Look no further than the note may be long, so many '[' cost
            // no more than one pass.
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
        loop {
            // Most of a word is a run of ASCII letters and digits: take it
            // a byte at a time before the general char-by-char rules.
            let run = j;
            j = ascii_alnum_run_end(bytes, j);
            if j > run {
                end = j;
            }
            let Some(ch) = char_at(text, j) else {
                break;
            };
            if is_word_char(ch) {
                j += ch.len_utf8();
                end = j;
            } else if matches!(ch, '.' | '\'' | '\u{2019}' | '-') {
                // Keep it only when a letter follows (U.S, China's, Director-General)
                // or it is the final period of an abbreviation.
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
        if end <= start {
            i = j.max(i + c.len_utf8());
            continue;
        }
        let word = &text[start..end];
        let (base_end, possessive) = if word.ends_with("'s") || word.ends_with("\u{2019}s") {
            let cut = if word.ends_with("'s") { 2 } else { 4 };
            (end - cut, true)
        } else if (word.ends_with('\'') || word.ends_with('\u{2019}')) && word.len() > 1 {
            (end - word.chars().last().map_or(0, |c| c.len_utf8()), true)
        } else {
            (end, false)
        };
        // Joined: the previous token exists and only spaces/notes lie between.
        let was_joined = joined && !out.is_empty();
        out.push(Token {
            span: Span::new(start, base_end.max(start)),
            full: Span::new(start, end),
            possessive,
            joined: was_joined,
        });
        joined = true;
        i = end;
    }
    out
}

/// The end of the run of ASCII letters and digits starting at `from`, eight
/// bytes at a time (words are most of the text, so this loop is hot).
fn ascii_alnum_run_end(bytes: &[u8], from: usize) -> usize {
    use super::swar;
    let mut j = from;
    while let Some(x) = swar::chunk(bytes, j) {
        let alnum = swar::ascii_within(x, b'0', b'9')
            | swar::ascii_within(x, b'A', b'Z')
            | swar::ascii_within(x, b'a', b'z');
        let other = !alnum & swar::HI;
        if other != 0 {
            return j + swar::first(other);
        }
        j += 8;
    }
    while j < bytes.len() && bytes[j].is_ascii_alphanumeric() {
        j += 1;
    }
    j
}

fn is_abbrev(w: &str) -> bool {
    const TITLES: &[&str] = &[
        "gen", "lt", "col", "maj", "capt", "sen", "rep", "gov", "mr", "mrs", "ms", "dr", "jr",
        "sr", "st", "adm", "sgt", "prof", "rev", "no", "amb",
    ];
    let mut chars = w.chars();
    let single_cap = matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase());
    let dotted = w.len() <= 5 && w.contains('.');
    single_cap || dotted || TITLES.iter().any(|t| w.eq_ignore_ascii_case(t))
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
        assert!(toks[1].possessive && toks[4].possessive);
        assert!(toks[8].joined, "a bracketed note keeps the run joined");
        assert!(!toks[9].joined, "a comma breaks the run");
    }

    #[test]
    fn alnum_runs_end_where_a_byte_loop_ends_them() {
        let slow = |b: &[u8], from: usize| {
            (from..b.len())
                .find(|&k| !b[k].is_ascii_alphanumeric())
                .unwrap_or(b.len())
        };
        for probe in 0u8..=255 {
            for at in 0..12 {
                let mut b = vec![b'a'; 12];
                b[at] = probe;
                for from in 0..b.len() {
                    assert_eq!(
                        ascii_alnum_run_end(&b, from),
                        slow(&b, from),
                        "{probe:#x} at {at}"
                    );
                }
            }
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
