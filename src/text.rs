//! Paragraphs and sentences of a cleaned article text.
//!
//! Paragraphs are separated by blank lines (the source layer writes them that
//! way). Sentences end at `.`, `?` or `!` (with any closing quote or bracket)
//! before whitespace and a capital, digit or opening quote, except after the
//! abbreviations news copy is full of: "Nov.", "U.S.", "Gen.", "Jr.", initials.

use crate::extract::tokens::{tokenize, Token};
use crate::span::Span;

#[derive(Clone, Debug)]
pub struct Sentence {
    pub span: Span,
    /// Index into `Doc::paragraphs`.
    pub paragraph: usize,
    /// The tokens that start inside the sentence: indexes into
    /// `Doc::tokens`, found once here for the extractors that walk a
    /// sentence's words (two binary searches per sentence took 0.6% of
    /// the parse time in a profile).
    pub tokens: std::ops::Range<usize>,
}

#[derive(Clone, Debug)]
pub struct Doc<'a> {
    pub text: &'a str,
    pub paragraphs: Vec<Span>,
    pub sentences: Vec<Sentence>,
    /// Word tokens of the whole text, made once for every extractor.
    pub tokens: Vec<Token>,
    /// The text with ASCII letters lower-cased: same byte offsets, so a
    /// token's span slices its lower-case form without allocating.
    pub lower: String,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Self {
        let paragraphs = paragraphs(text);
        let mut sentences = Vec::new();
        // One buffer for every paragraph's sentences.
        let mut spans = Vec::new();
        for (pi, p) in paragraphs.iter().enumerate() {
            spans.clear();
            split_sentences_into(text, *p, &mut spans);
            sentences.extend(spans.iter().map(|&s| Sentence {
                span: s,
                paragraph: pi,
                tokens: 0..0,
            }));
        }
        let tokens = tokenize(text);
        // Sentences come in text order and do not overlap, so one sweep
        // along the tokens finds every sentence's range.
        let mut k = 0;
        for s in &mut sentences {
            while k < tokens.len() && tokens[k].span.start < s.span.start {
                k += 1;
            }
            let first = k;
            while k < tokens.len() && tokens[k].span.start < s.span.end {
                k += 1;
            }
            s.tokens = first..k;
        }
        Doc {
            text,
            paragraphs,
            sentences,
            tokens,
            lower: text.to_ascii_lowercase(),
        }
    }

    /// The index of the sentence holding byte `pos`, if any.
    pub fn sentence_at(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.end <= pos);
        (i < self.sentences.len() && self.sentences[i].span.start <= pos).then_some(i)
    }

    /// The index of the paragraph holding byte `pos`, if any.
    pub fn paragraph_at(&self, pos: usize) -> Option<usize> {
        let i = self.paragraphs.partition_point(|p| p.end <= pos);
        (i < self.paragraphs.len() && self.paragraphs[i].start <= pos).then_some(i)
    }

    pub fn slice(&self, span: Span) -> &'a str {
        span.slice(self.text)
    }

    /// The lower-case form of the text under `span` (ASCII letters folded).
    pub fn lower(&self, span: Span) -> &str {
        span.slice(&self.lower)
    }
}

/// Spans of the non-blank runs of lines separated by blank lines.
pub fn paragraphs(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_end = 0;
    let mut pos = 0;
    // The lines as `split_inclusive('\n')` gives them, found with the
    // vectorised `memchr` (a paragraph break is a blank line, so every
    // line of the text is visited).
    while pos < text.len() {
        let end =
            memchr::memchr(b'\n', &text.as_bytes()[pos..]).map_or(text.len(), |i| pos + i + 1);
        let Some(line) = text.get(pos..end) else {
            break;
        };
        let body = line.trim_end_matches(['\n', '\r']);
        if body.trim().is_empty() {
            if let Some(s) = start.take() {
                out.push(Span::new(s, last_end).trim(text));
            }
        } else {
            if start.is_none() {
                start = Some(pos);
            }
            last_end = pos + body.len();
        }
        pos = end;
    }
    if let Some(s) = start {
        out.push(Span::new(s, last_end).trim(text));
    }
    out.retain(|s| !s.is_empty());
    out
}

/// Words after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mr",
    "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr", "adm", "sgt", "cpl",
    "pvt", "rep", "sen", "gov", "amb", "pres", "rev", "hon", "jr", "sr", "st", "mt", "ft", "no",
    "nos", "vol", "vs", "v", "etc", "inc", "corp", "co", "ltd", "dept", "est", "approx", "fig",
    "op", "al", "ave", "blvd", "rd", "u.s", "u.k", "u.n", "e.u", "d.c", "a.m", "p.m", "i.e", "e.g",
    "ph.d",
];

fn is_abbreviation(word: &str) -> bool {
    let w = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    if w.is_empty() {
        return false;
    }
    // A single capital letter is an initial ("Charles Q. Brown").
    let mut chars = w.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_uppercase() {
            return true;
        }
    }
    // Dotted acronyms like "U.S" or "U.N" (the final period was already cut).
    if w.len() <= 6 && w.contains('.') && w.split('.').all(|p| p.chars().count() <= 2) {
        return true;
    }
    // Every listed word is ASCII, so an ASCII case fold finds the same ones.
    // The lengths of the listed words by first letter turn down most words
    // (this runs at every sentence end) before the list is scanned.
    let first = w.as_bytes()[0].to_ascii_lowercase();
    if w.len() >= 8 || ABBREVIATION_LENGTHS[usize::from(first)] & (1 << w.len()) == 0 {
        return false;
    }
    ABBREVIATIONS.iter().any(|a| w.eq_ignore_ascii_case(a))
}

/// For each first byte, bit `len` set when an abbreviation of that length
/// starts with it (every one is shorter than eight bytes).
const ABBREVIATION_LENGTHS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut k = 0;
    while k < ABBREVIATIONS.len() {
        let a = ABBREVIATIONS[k].as_bytes();
        assert!(!a.is_empty() && a.len() < 8);
        t[a[0] as usize] |= 1 << a.len();
        k += 1;
    }
    t
};

const CLOSERS: &[char] = &['"', '\'', '\u{201d}', '\u{2019}', ')', ']', '\u{bb}'];
const OPENERS: &[char] = &['"', '\'', '\u{201c}', '\u{2018}', '(', '[', '\u{ab}'];

/// Splits one paragraph into sentence spans, appended to `out`.
fn split_sentences_into(text: &str, para: Span, out: &mut Vec<Span>) {
    let p = para.slice(text);
    let from = out.len();
    let mut start = 0;
    let bytes = p.as_bytes();
    let mut i = 0;
    // Jump from one sentence mark to the next.
    while let Some(off) = memchr::memchr3(b'.', b'?', b'!', &bytes[i..]) {
        i += off;
        let c = bytes[i];
        // Swallow runs like "..." or "?!" and any closing marks.
        let mut end = i + 1;
        while end < p.len() && matches!(bytes[end], b'.' | b'?' | b'!') {
            end += 1;
        }
        let ellipsis = end - i >= 3 && c == b'.';
        while let Some(ch) = p[end..].chars().next() {
            if CLOSERS.contains(&ch) {
                end += ch.len_utf8();
            } else {
                break;
            }
        }
        let rest = &p[end..];
        let after_ws = rest.trim_start();
        let has_ws = after_ws.len() < rest.len();
        let next = after_ws.chars().next();
        let starts_new = match next {
            Some(ch) => ch.is_uppercase() || ch.is_ascii_digit() || OPENERS.contains(&ch),
            None => false,
        };
        if has_ws && starts_new && !ellipsis {
            let word_start = p[..i]
                .char_indices()
                .rev()
                .find(|&(_, ch)| ch.is_whitespace() || OPENERS.contains(&ch))
                .map(|(k, ch)| k + ch.len_utf8())
                .unwrap_or(0);
            let word = &p[word_start..i];
            if c != b'.' || !is_abbreviation(word) {
                out.push(Span::new(para.start + start, para.start + end));
                start = end + (rest.len() - after_ws.len());
            }
        }
        i = end;
    }
    if start < p.len() {
        out.push(Span::new(para.start + start, para.end));
    }
    // Trimmed, and the empty ones dropped, in place.
    let mut kept = from;
    for k in from..out.len() {
        let s = out[k].trim(text);
        if !s.is_empty() {
            out[kept] = s;
            kept += 1;
        }
    }
    out.truncate(kept);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(t: &str) -> Vec<&str> {
        Doc::new(t)
            .sentences
            .iter()
            .map(|s| s.span.slice(t))
            .collect()
    }

    #[test]
    fn sentence_token_ranges_hold_the_tokens_that_start_inside() {
        for t in [
            "",
            "One.",
            "Talks ended on Friday. \"We agreed,\" she said!\n\nA new paragraph -- with Gen. Ruiz.  ",
            "  Leading space. Ōsaka's mayor met them?   Yes. 12 of 13 voted.\n\n\n...",
        ] {
            let doc = Doc::new(t);
            for s in &doc.sentences {
                let plain: Vec<usize> = (0..doc.tokens.len())
                    .filter(|&k| s.span.contains_pos(doc.tokens[k].span.start))
                    .collect();
                assert_eq!(s.tokens.clone().collect::<Vec<_>>(), plain, "{t:?}");
            }
        }
    }

    #[test]
    fn keeps_abbreviations_inside_sentences() {
        let t = "The envoy met Gen. Mark A. Dunn Jr. in the U.S. on Nov. 3. He left.";
        assert_eq!(
            sents(t),
            vec![
                "The envoy met Gen. Mark A. Dunn Jr. in the U.S. on Nov. 3.",
                "He left."
            ]
        );
    }

    #[test]
    fn splits_after_closing_quote() {
        let t = "\"We will go,\" she said. \"Now.\" Then nothing.";
        assert_eq!(
            sents(t),
            vec!["\"We will go,\" she said.", "\"Now.\"", "Then nothing."]
        );
    }

    #[test]
    fn multibyte_opener_before_abbreviation() {
        let t = "He said \u{201c}Gen. Li came.\u{201d} Then \u{201c}U.S. forces left.";
        assert_eq!(sents(t).len(), 2);
    }

    #[test]
    fn abbreviation_filter_turns_down_no_listed_word() {
        for a in ABBREVIATIONS {
            for w in [a.to_string(), a.to_ascii_uppercase(), format!("({a}")] {
                assert!(is_abbreviation(&w), "{w}");
            }
        }
        for w in [
            "said", "Tuesday", "talks", "Gens", "u.s.a.b", "approxx", "x",
        ] {
            assert!(!is_abbreviation(w), "{w}");
        }
    }

    #[test]
    fn ellipsis_does_not_split() {
        let t = "We talked ... And then we left.";
        assert_eq!(sents(t).len(), 1);
    }

    #[test]
    fn paragraphs_on_blank_lines() {
        let t = "One.\n\n  \nTwo a.\nTwo b.\n\nThree";
        let d = Doc::new(t);
        let ps: Vec<&str> = d.paragraphs.iter().map(|p| p.slice(t)).collect();
        assert_eq!(ps, vec!["One.", "Two a.\nTwo b.", "Three"]);
        assert_eq!(d.sentences[2].paragraph, 1);
        assert_eq!(d.sentence_at(t.find("Three").unwrap()), Some(3));
    }
}
