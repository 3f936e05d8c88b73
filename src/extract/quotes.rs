//! Direct quotations and who spoke them.
//!
//! Quote marks are paired per paragraph (curly, straight, guillemets, and
//! single curly marks for headlines); a quote still open at the end of a
//! paragraph closes there, and the next paragraph continues it when it opens
//! with a mark, as news style does. Speakers come from a sieve, most precise
//! rule first: a cue right after the quote (`"…," Kamikawa told reporters`,
//! `"…," said Wang`), the reported clause before it (`X said: "…"`, `the
//! ministry said it opposes "…"`), `according to X`, an interrupted quote in
//! the same paragraph, a quote paragraph continuing the previous speaker.
//! No cue, no speaker: we never guess.

use super::actors::{self, Actor, ActorKind};
use super::lexicon;
use super::officials::Registry;
use super::tokens::Token;
use crate::span::Span;
use crate::text::Doc;

#[derive(Clone, Debug, PartialEq)]
pub struct Quote {
    /// The words inside the marks.
    pub span: Span,
    /// The words with their marks.
    pub outer: Span,
    pub paragraph: usize,
    pub speaker: Option<String>,
    pub speaker_span: Option<Span>,
    /// The registry person who spoke, when it is a person.
    pub person: Option<usize>,
}

/// Finds the quotes of `doc` and attributes them.
pub fn extract(doc: &Doc, reg: &Registry, actors: &[Actor]) -> Vec<Quote> {
    let text = doc.text;
    let mut quotes = find_marks(doc);
    let toks = &doc.tokens[..];
    for qi in 0..quotes.len() {
        let q = quotes[qi].clone();
        if looks_like_a_title(q.span.slice(text)) {
            continue;
        }
        // A cue after the quote whose speaker we cannot name ("said a
        // source") still says who spoke is someone else: no guessing.
        let cue_after = verb_after(doc, toks, &quotes, &q).is_some();
        let found = after_cue(doc, toks, &quotes, &q, actors)
            .or_else(|| {
                (!cue_after)
                    .then(|| before_cue(doc, toks, &quotes, &q, actors))
                    .flatten()
            })
            .map(|ai| {
                (
                    actors[ai].span,
                    actors::display_name(text, actors, ai, reg),
                    person_of(&actors[ai]),
                )
            });
        let found = found.or_else(|| {
            (!cue_after)
                .then(|| inherited(doc, toks, &quotes[..qi], &q, actors, reg))
                .flatten()
        });
        if let Some((span, name, person)) = found {
            quotes[qi].speaker = Some(name);
            quotes[qi].speaker_span = Some(span);
            quotes[qi].person = person;
        }
    }
    quotes
}

/// "Meet the Press", "Kiss an Angel Good Mornin'": a few words, each
/// capitalised (small words aside), is a name of a show, song or book, not
/// speech.
fn looks_like_a_title(q: &str) -> bool {
    let words: Vec<&str> = q.split_whitespace().collect();
    if words.len() < 2 || words.len() > 8 {
        return false;
    }
    let small = |w: &str| {
        matches!(
            w,
            "a" | "an" | "the" | "of" | "and" | "or" | "to" | "in" | "on" | "at" | "for" | "with"
        )
    };
    words[0].chars().next().is_some_and(char::is_uppercase)
        && words.iter().all(|w| {
            small(w)
                || w.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
        })
        && !q.ends_with(['.', '!', '?', ','])
}

fn person_of(a: &Actor) -> Option<usize> {
    match a.kind {
        ActorKind::Person(p) => Some(p),
        _ => None,
    }
}

fn is_open(c: char) -> bool {
    matches!(c, '\u{201c}' | '\u{ab}' | '\u{201e}')
}

fn is_close(c: char) -> bool {
    matches!(c, '\u{201d}' | '\u{bb}')
}

/// Pairs quotation marks paragraph by paragraph.
fn find_marks(doc: &Doc) -> Vec<Quote> {
    let text = doc.text;
    let mut out = Vec::new();
    for (pi, para) in doc.paragraphs.iter().enumerate() {
        let p = para.slice(text);
        let mut open: Option<(usize, usize)> = None; // (mark start, inner start), absolute
        let mut single_open: Option<(usize, usize)> = None;
        // Only quotation marks matter: jump from one to the next. Every
        // mark is '"' or starts with byte 0xE2 (curly) or 0xC2 (guillemets).
        for off in memchr::memchr3_iter(b'"', 0xE2, 0xC2, p.as_bytes()) {
            let Some(c) = p.get(off..).and_then(|r| r.chars().next()) else {
                continue;
            };
            if !matches!(
                c,
                '"' | '\u{201c}'
                    | '\u{201d}'
                    | '\u{2018}'
                    | '\u{2019}'
                    | '\u{ab}'
                    | '\u{bb}'
                    | '\u{201e}'
            ) {
                continue;
            }
            let prev = p[..off].chars().next_back();
            let abs = para.start + off;
            let next = p[off + c.len_utf8()..].chars().next();
            let before_ok = prev.is_none_or(|b| {
                b.is_whitespace()
                    || matches!(b, '(' | '[' | '\u{2014}' | '\u{2013}' | '-' | ':' | '/')
            });
            match c {
                c if is_open(c) && open.is_none() => open = Some((abs, abs + c.len_utf8())),
                c if is_close(c) => {
                    if let Some((s, inner)) = open.take() {
                        push(&mut out, text, s, inner, abs, abs + c.len_utf8(), pi);
                    }
                }
                '"' => match open {
                    Some((s, inner)) if !before_ok || next.is_none_or(|n| !n.is_alphanumeric()) => {
                        open = None;
                        push(&mut out, text, s, inner, abs, abs + 1, pi);
                    }
                    None if before_ok || prev.is_none() => open = Some((abs, abs + 1)),
                    _ => {}
                },
                '\u{2018}' if open.is_none() && before_ok => {
                    single_open = Some((abs, abs + c.len_utf8()))
                }
                '\u{2019}' if open.is_none() => {
                    // A closing single mark, not an apostrophe inside a word.
                    let in_word = prev.is_some_and(char::is_alphanumeric)
                        && next.is_some_and(char::is_alphanumeric);
                    if !in_word {
                        if let Some((s, inner)) = single_open.take() {
                            push(&mut out, text, s, inner, abs, abs + c.len_utf8(), pi);
                        }
                    }
                }
                _ => {}
            }
        }
        // Still open at the end of the paragraph: close it there.
        if let Some((s, inner)) = open {
            push(&mut out, text, s, inner, para.end, para.end, pi);
        }
    }
    out
}

fn push(
    out: &mut Vec<Quote>,
    text: &str,
    s: usize,
    inner_start: usize,
    inner_end: usize,
    e: usize,
    pi: usize,
) {
    let inner = Span::new(inner_start, inner_end.max(inner_start)).trim(text);
    if inner.is_empty() || !inner.slice(text).chars().any(char::is_alphanumeric) {
        return;
    }
    out.push(Quote {
        span: inner,
        outer: Span::new(s, e),
        paragraph: pi,
        speaker: None,
        speaker_span: None,
        person: None,
    });
}

/// Tokens lying in `span`, as indexes.
fn tokens_in(toks: &[Token], span: Span) -> std::ops::Range<usize> {
    let a = toks.partition_point(|t| t.span.start < span.start);
    let b = toks.partition_point(|t| t.span.start < span.end);
    a..b.max(a)
}

fn inside_quote(quotes: &[Quote], pos: usize) -> bool {
    quotes.iter().any(|q| q.outer.contains_pos(pos))
}

/// The speech verb of a cue right after the quote, as a token index.
fn verb_after(doc: &Doc, toks: &[Token], quotes: &[Quote], q: &Quote) -> Option<usize> {
    let text = doc.text;
    let para = doc.paragraphs[q.paragraph];
    let rest = text.get(q.outer.end..para.end)?;
    // The quote must end its clause: punctuation inside the closing mark
    // or a comma or dash right after it.
    let inner = q.span.slice(text).trim_end();
    let ends_clause = inner.ends_with([',', '.', '?', '!', '\u{2026}'])
        || rest.starts_with([',', '\u{2014}', '\u{2013}'])
        || rest.starts_with(" -");
    if !ends_clause {
        return None;
    }
    let lead = rest.len()
        - rest
            .trim_start_matches([' ', ',', '\u{2014}', '\u{2013}', '-'])
            .len();
    let window_end = (q.outer.end + lead + 160).min(para.end);
    let window = Span::new(q.outer.end, window_end);
    let range = tokens_in(toks, window);
    let mut verb: Option<usize> = None;
    for (n, ti) in range.clone().enumerate() {
        if n > 9 || inside_quote(quotes, toks[ti].span.start) {
            break;
        }
        if lexicon::is_speech_verb(toks[ti].text(text)) {
            verb = Some(ti);
            break;
        }
    }
    verb
}

/// `"…," Kamikawa told reporters` / `"…," said Wang` / `"…," she said`.
fn after_cue(
    doc: &Doc,
    toks: &[Token],
    quotes: &[Quote],
    q: &Quote,
    actors: &[Actor],
) -> Option<usize> {
    let text = doc.text;
    let v = verb_after(doc, toks, quotes, q)?;
    let vspan = toks[v].span;
    // Subject between the quote and the verb, nearest the verb...
    if let Some(ai) = actors
        .iter()
        .rposition(|a| a.span.start >= q.outer.end && a.span.end <= vspan.start)
    {
        return Some(ai);
    }
    // ...or right after the verb ("said Wang", "said the ministry").
    let after = actors.iter().position(|a| a.span.start >= vspan.end)?;
    let gap = text.get(vspan.end..actors[after].span.start).unwrap_or("x");
    let gap_words = gap
        .split_whitespace()
        .filter(|w| !matches!(*w, "the" | "The"))
        .count();
    if gap_words != 0 || gap.contains(['.', ',', '"']) {
        return None;
    }
    // "said Indonesian Foreign Minister Budi Santoso": the demonym opens a
    // title; the speaker is the person it introduces, or nobody we know.
    if let ActorKind::Country(_) = actors[after].kind {
        let rest = text.get(actors[after].span.end..).unwrap_or("");
        let next_word = rest.split_whitespace().next().unwrap_or("");
        if lexicon::is_title_word(next_word.trim_end_matches([',', '.'])) {
            let person = actors.iter().enumerate().skip(after + 1).find(|(_, a)| {
                matches!(a.kind, ActorKind::Person(_))
                    && text
                        .get(actors[after].span.end..a.span.start)
                        .is_some_and(|between| {
                            between.split_whitespace().all(lexicon::is_title_word)
                        })
            });
            return person.map(|(i, _)| i);
        }
    }
    Some(after)
}

/// The reported clause before the quote: the nearest speech verb to its
/// left in the same sentence, and that verb's subject.
fn before_cue(
    doc: &Doc,
    toks: &[Token],
    quotes: &[Quote],
    q: &Quote,
    actors: &[Actor],
) -> Option<usize> {
    let text = doc.text;
    let si = doc.sentence_at(q.outer.start)?;
    let sent = doc.sentences[si].span;
    let range = tokens_in(toks, Span::new(sent.start, q.outer.start));
    let mut verb = None;
    for ti in range.clone().rev() {
        if inside_quote(quotes, toks[ti].span.start) {
            continue;
        }
        let w = toks[ti].text(text);
        if lexicon::is_speech_verb(w) || w == "words" {
            verb = Some(ti);
            break;
        }
    }
    let v = verb?;
    let w = toks[v].text(text);
    // "according to X": the subject follows.
    if w.eq_ignore_ascii_case("according") {
        return actors
            .iter()
            .position(|a| a.span.start > toks[v].span.end && a.span.end <= q.outer.start);
    }
    // "Iran vowed ..., saying the era of "...": a participle after a comma
    // speaks for the clause's subject: the nearest person before it, else
    // the first actor of the sentence that is not a place.
    let before_verb = text.get(sent.start..toks[v].span.start).unwrap_or("");
    if w.ends_with("ing") && before_verb.trim_end().ends_with(',') {
        let limit = toks[v].span.start;
        let usable = |a: &Actor| {
            a.span.end <= limit && a.span.start >= sent.start && !inside_quote(quotes, a.span.start)
        };
        if let Some(i) = actors
            .iter()
            .rposition(|a| usable(a) && matches!(a.kind, ActorKind::Person(_)))
        {
            return Some(i);
        }
        return actors.iter().position(|a| {
            usable(a)
                && !(matches!(a.kind, ActorKind::Country(_)) && actors::is_locative(text, a.span))
        });
    }
    // "in his words": the possessive pronoun before. A clause set off by
    // commas between subject and verb ("X, who visited Kenya, said") is
    // skipped: its words are not the speaker.
    let mut limit = toks[v].span.start;
    let prefix = text.get(sent.start..limit).unwrap_or("");
    if prefix.trim_end().ends_with(',') {
        let rel = [
            ", who ", ", whose ", ", which ", ", whom ", ", a ", ", an ", ", the ",
        ]
        .iter()
        .filter_map(|m| prefix.rfind(m))
        .max();
        if let Some(r) = rel {
            limit = sent.start + r;
        }
    }
    actors.iter().rposition(|a| {
        a.span.end <= limit && a.span.start >= sent.start && !inside_quote(quotes, a.span.start)
    })
}

/// No cue of its own: an earlier quote in the same paragraph (interrupted
/// quote), or a paragraph that opens with a quote continuing the previous
/// paragraph's speaker.
fn inherited(
    doc: &Doc,
    toks: &[Token],
    earlier: &[Quote],
    q: &Quote,
    actors: &[Actor],
    reg: &Registry,
) -> Option<(Span, String, Option<usize>)> {
    let text = doc.text;
    let para = doc.paragraphs[q.paragraph];
    if let Some(prev) = earlier
        .iter()
        .rev()
        .find(|p| p.paragraph == q.paragraph && p.speaker.is_some())
    {
        return Some((prev.speaker_span?, prev.speaker.clone()?, prev.person));
    }
    // Only a quote that opens its paragraph continues the one before.
    if q.outer.start != para.start || q.paragraph == 0 {
        return None;
    }
    let prev_para = q.paragraph - 1;
    if let Some(prev) = earlier.iter().rev().find(|p| p.paragraph == prev_para) {
        return prev
            .speaker
            .clone()
            .map(|s| (prev.speaker_span.unwrap_or(prev.span), s, prev.person));
    }
    // The previous paragraph's last speech verb and its subject.
    let pspan = doc.paragraphs[prev_para];
    let range = tokens_in(toks, pspan);
    let v = range
        .clone()
        .rev()
        .find(|&ti| lexicon::is_speech_verb(toks[ti].text(text)))?;
    let vs = toks[v].span;
    let si = doc.sentence_at(vs.start)?;
    let sent = doc.sentences[si].span;
    let ai = actors
        .iter()
        .rposition(|a| a.span.end <= vs.start && a.span.start >= sent.start)?;
    Some((
        actors[ai].span,
        actors::display_name(text, actors, ai, reg),
        person_of(&actors[ai]),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{actors, countries, officials};
    use chrono::NaiveDate;

    fn quotes(text: &str) -> Vec<(String, Option<String>)> {
        let doc = Doc::new(text);
        let cm = countries::find(text);
        let reg = officials::extract(
            &doc,
            &cm,
            NaiveDate::from_ymd_opt(2025, 5, 10).unwrap_or_default(),
        );
        let acts = actors::find(&doc, &reg, &cm);
        extract(&doc, &reg, &acts)
            .into_iter()
            .map(|q| (q.span.slice(text).to_string(), q.speaker))
            .collect()
    }

    fn q(text: &str, speaker: Option<&str>) -> (String, Option<String>) {
        (text.to_string(), speaker.map(str::to_string))
    }

    #[test]
    fn speaker_after_the_quote() {
        let t = "Finnish Prime Minister Aino Salo arrived. \u{201c}We are ready to talk,\u{201d} Salo told reporters. \"It will take time,\" said Salo.";
        assert_eq!(
            quotes(t),
            vec![
                q("We are ready to talk,", Some("Aino Salo")),
                q("It will take time,", Some("Aino Salo"))
            ]
        );
    }

    #[test]
    fn speaker_before_the_quote_and_pronouns() {
        let t = "Interior Minister Rui Dias spoke on Monday. He said: \"The border stays open.\"";
        assert_eq!(
            quotes(t),
            vec![q("The border stays open.", Some("Rui Dias"))]
        );
    }

    #[test]
    fn partial_quote_in_reported_speech_goes_to_an_organisation() {
        let t = "Peru's Foreign Ministry said it rejects the \"baseless claims\" made on Friday.";
        assert_eq!(
            quotes(t),
            vec![q("baseless claims", Some("Peru's Foreign Ministry"))]
        );
    }

    #[test]
    fn a_quote_paragraph_continues_the_previous_speaker() {
        let t = "Defense Minister Ivo Horak said talks failed.\n\n\u{201c}We will try again next week.\u{201d}";
        assert_eq!(
            quotes(t),
            vec![q("We will try again next week.", Some("Ivo Horak"))]
        );
    }

    #[test]
    fn a_demonym_after_the_verb_introduces_the_speaker() {
        let t = "\"We signed,\" said Chilean Foreign Minister Rosa Vidal. \"Done,\" said Peruvian Trade Minister J.K.";
        assert_eq!(
            quotes(t),
            vec![q("We signed,", Some("Rosa Vidal")), q("Done,", None)]
        );
    }

    #[test]
    fn no_cue_no_speaker() {
        let t = "Crowds chanted \"Freedom now!\" outside the palace.";
        assert_eq!(quotes(t), vec![q("Freedom now!", None)]);
    }

    #[test]
    fn apostrophes_are_not_quotes_and_unclosed_quotes_end_with_the_paragraph() {
        let t = "The minister\u{2019}s aide said \u{201c}we\u{2019}ll see\n\nNext paragraph.";
        let got = quotes(t);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "we\u{2019}ll see");
    }
}
