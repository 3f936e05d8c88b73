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

use std::sync::OnceLock;

use super::actors::{self, Actor, ActorKind};
use super::countries;
use super::lexicon;
use super::officials::Registry;
use super::tokens::Token;
use super::wordset::WordMap;
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

/// A speaker found for a quote: where the text names it, the name to
/// show, and the registry person when it is one.
type Found = (Span, String, Option<usize>);

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
        let found = if cue_after {
            after_cue(doc, toks, &quotes, &q, actors, reg)
        } else {
            before_cue(doc, toks, &quotes, &q, actors, reg)
                .or_else(|| inherited(doc, toks, &quotes[..qi], &q, actors, reg))
        };
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
                // An opening mark while one is open: the first lost its
                // closing mark to a bad encoding ("… the dead vote.? In
                // 2013 he wrote …").
                c if is_open(c) => {
                    if let Some((s, inner)) = open {
                        if let Some(q) = misencoded_close(text, inner, abs) {
                            push(&mut out, text, s, inner, q, q + 1, pi);
                            open = Some((abs, abs + c.len_utf8()));
                        }
                    }
                }
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
        // Still open at the end of the paragraph: close it at a mark lost
        // to a bad encoding, else there.
        if let Some((s, inner)) = open {
            match misencoded_close(text, inner, para.end) {
                Some(q) => push(&mut out, text, s, inner, q, q + 1, pi),
                None => push(&mut out, text, s, inner, para.end, para.end, pi),
            }
        }
    }
    out
}

/// A closing quotation mark that a bad encoding turned into "?": a "?"
/// right after a period or comma, before a space or the end ("the dead
/// vote.? In 2013"). English puts no question mark there.
fn misencoded_close(text: &str, from: usize, to: usize) -> Option<usize> {
    let region = text.get(from..to)?;
    let b = region.as_bytes();
    let at = memchr::memchr_iter(b'?', b).find(|&i| {
        i > 0
            && matches!(b[i - 1], b'.' | b',')
            && b.get(i + 1).is_none_or(|n| n.is_ascii_whitespace())
    })?;
    Some(from + at)
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
    // A nested quote may close with it: "… 'we survived,'" Name said.
    let inner = q
        .span
        .slice(text)
        .trim_end()
        .trim_end_matches(['\u{2019}', '\'']);
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
    // "called him "an outstanding nominee," and noted …": the sentence
    // goes on; what follows does not name the speaker.
    if let Some(first) = range.clone().next() {
        if in_list(&words().openers, toks[first].text(text)) {
            return None;
        }
    }
    let mut verb: Option<usize> = None;
    for (n, ti) in range.clone().enumerate() {
        if n > 9 || inside_quote(quotes, toks[ti].span.start) {
            break;
        }
        if toks[ti].class(text).speech_verb() {
            verb = Some(ti);
            break;
        }
    }
    verb
}

/// The word lists of attribution, from `assets/words/`.
struct Words {
    /// Verbs that attribute a partial quote besides the speech verbs.
    quote_verbs: WordMap<()>,
    /// Auxiliaries and adverbs between a subject and its verb.
    chain: WordMap<()>,
    /// Words that continue a sentence after a closing mark.
    openers: WordMap<()>,
    /// Heads of unnamed speakers ("spokesperson").
    generic: WordMap<()>,
}

fn words() -> &'static Words {
    static W: OnceLock<Words> = OnceLock::new();
    W.get_or_init(|| {
        let load = |data: &'static str| {
            let mut m = WordMap::default();
            for w in lexicon::entries(data) {
                m.insert(w.as_bytes(), ());
            }
            m
        };
        Words {
            quote_verbs: load(include_str!("../../assets/words/quote_verbs.txt")),
            chain: load(include_str!("../../assets/words/verb_chain.txt")),
            openers: load(include_str!("../../assets/words/clause_openers.txt")),
            generic: load(include_str!("../../assets/words/generic_speakers.txt")),
        }
    })
}

fn in_list(list: &WordMap<()>, w: &str) -> bool {
    list.contains_lower(w)
}

/// A verb that attributes a quote before it: a speech verb, or one of the
/// verbs that frame a partial quote ("dismissed … as").
pub(crate) fn is_quote_verb(w: &str) -> bool {
    lexicon::is_speech_verb(w) || in_list(&words().quote_verbs, w)
}

/// Who the subject of a verb is, as far as the words say.
enum Subject {
    /// This actor.
    Actor(usize),
    /// Someone the text does not name ("a reporter asked"): no speaker.
    Unnamed,
    /// The words do not tell.
    Unknown,
}

/// The subject of the speech verb at token `v` in the sentence `sent`: the
/// actor right before the verb (auxiliaries and adverbs aside), the head of
/// an appositive set off by commas ("X, a lawyer for Y, said"), the subject
/// of the clause for a coordinated verb ("X criticised Y and called …"), or
/// nobody named when the words before the verb are a common noun.
fn subject_of(
    doc: &Doc,
    toks: &[Token],
    quotes: &[Quote],
    actors: &[Actor],
    v: usize,
    sent: Span,
) -> Subject {
    let text = doc.text;
    let w = words();
    // The verb chain: "has also said", "later told".
    let mut k = v;
    while k > 0 && toks[k].joined && toks[k - 1].span.start >= sent.start {
        let pw = toks[k - 1].text(text);
        let adverb =
            pw.len() > 4 && pw.ends_with("ly") && pw.chars().next().is_some_and(char::is_lowercase);
        if !(adverb || in_list(&w.chain, pw)) {
            break;
        }
        k -= 1;
    }
    let chain_start = toks[k].span.start;
    let Some(before) = text.get(sent.start..chain_start) else {
        return Subject::Unknown;
    };
    let before = before.trim_end();
    if before.is_empty() {
        return Subject::Unknown;
    }
    let usable = |a: &Actor| a.span.start >= sent.start && !inside_quote(quotes, a.span.start);
    if let Some(inner) = before.strip_suffix(',') {
        // "X, <appositive>, said": the nearest actor followed by ", …,".
        let close = sent.start + inner.len();
        for (i, a) in actors.iter().enumerate().rev() {
            if a.span.end > close || !usable(a) {
                continue;
            }
            let Some(gap) = text.get(a.span.end..close) else {
                continue;
            };
            let gap = gap.strip_prefix('\u{2019}').unwrap_or(gap);
            if gap.len() > 2
                && gap.starts_with(", ")
                && !gap.contains(['"', '\u{201c}', '\u{201d}'])
                && gap.len() < 160
            {
                return Subject::Actor(i);
            }
        }
        // "Hawley projects Trump as the nominee, says …": a second verb
        // of the clause's subject.
        return clause_subject(doc, quotes, actors, sent, chain_start);
    }
    if k == 0 || !toks[k].joined {
        return Subject::Unknown;
    }
    let prev = &toks[k - 1];
    if prev.span.start < sent.start {
        return Subject::Unknown;
    }
    let ending_at = |t: &Token| {
        actors
            .iter()
            .rposition(|a| a.span.start <= t.span.start && a.span.end >= t.span.end)
    };
    if let Some(i) = ending_at(prev) {
        // "protesters in Kenya said": a place is not who spoke.
        if matches!(actors[i].kind, ActorKind::Country(_))
            && actors::is_locative(text, actors[i].span)
        {
            return Subject::Unnamed;
        }
        return Subject::Actor(i);
    }
    let pw = prev.text(text);
    // "the prime minister's office said": the owner of the office speaks.
    if k >= 2
        && toks[k - 2].possessive()
        && (actors::is_org_head_word(pw) || in_list(&w.generic, pw))
    {
        if let Some(i) = ending_at(&toks[k - 2]) {
            return Subject::Actor(i);
        }
    }
    // "which quoted him as saying …": the one quoted.
    if pw == "as" && k >= 3 && toks[k - 3].text(text).starts_with("quot") {
        if let Some(i) = ending_at(&toks[k - 2]) {
            return Subject::Actor(i);
        }
    }
    match pw {
        // "X criticised Y and called …", "X used the speech to warn …".
        "and" | "but" | "or" | "to" => clause_subject(doc, quotes, actors, sent, chain_start),
        // "sent a letter to the ambassador urging …": the participle
        // belongs to the clause.
        _ if toks[v].text(text).ends_with("ing") => {
            clause_subject(doc, quotes, actors, sent, chain_start)
        }
        // "Biden, who said …": the name before the relative pronoun.
        "who" => {
            let head_end = text
                .get(sent.start..prev.span.start)
                .map(|b| sent.start + b.trim_end().trim_end_matches(',').len())
                .unwrap_or(0);
            actors
                .iter()
                .rposition(|a| a.span.end == head_end && usable(a))
                .map_or(Subject::Unknown, Subject::Actor)
        }
        _ if pw.chars().next().is_some_and(char::is_lowercase) => Subject::Unnamed,
        _ => Subject::Unknown,
    }
}

/// The subject of the clause that ends at `limit`: its first actor that is
/// not the object of a preposition, not a place and not inside a quote.
fn clause_subject(
    doc: &Doc,
    quotes: &[Quote],
    actors: &[Actor],
    sent: Span,
    limit: usize,
) -> Subject {
    let text = doc.text;
    for (i, a) in actors.iter().enumerate() {
        if a.span.start < sent.start || inside_quote(quotes, a.span.start) {
            continue;
        }
        if a.span.end > limit {
            break;
        }
        let before = text.get(sent.start..a.span.start).unwrap_or("").trim_end();
        let last = before.rsplit(' ').next().unwrap_or("").to_lowercase();
        let object = matches!(
            last.as_str(),
            "of" | "to"
                | "with"
                | "for"
                | "by"
                | "from"
                | "about"
                | "on"
                | "against"
                | "at"
                | "in"
                | "than"
                | "over"
                | "into"
        );
        if object || matches!(a.kind, ActorKind::Country(_)) {
            continue;
        }
        // "Committee members Christopher Coons …", "lead Soltan attorney
        // Eric Lewis": the person the words before introduce.
        if let Some(next) = actors.get(i + 1) {
            let gap = text.get(a.span.end..next.span.start).unwrap_or("x");
            let modifier = gap.split_whitespace().count() <= 3
                && !gap.contains([',', '.', ';', ':', '"', '\u{201c}', '\u{201d}'])
                && gap.split_whitespace().all(|w| {
                    lexicon::is_title_word(w) || w.chars().next().is_some_and(char::is_lowercase)
                });
            let introduces = match a.kind {
                ActorKind::Org => gap.trim().is_empty(),
                ActorKind::Person(_) => {
                    !gap.trim().is_empty() && gap.split_whitespace().all(lexicon::is_title_word)
                }
                ActorKind::Country(_) => false,
            };
            if matches!(next.kind, ActorKind::Person(_)) && modifier && introduces {
                return Subject::Actor(i + 1);
            }
        }
        return Subject::Actor(i);
    }
    Subject::Unknown
}

/// The speaker of an actor that is the subject of the verb of saying: a
/// country speaks there too ("Pakistan warned, adding …"), unless it is a
/// place ("in Kenya").
fn subject_speaker(text: &str, actors: &[Actor], ai: usize, reg: &Registry) -> Option<Found> {
    let a = &actors[ai];
    match a.kind {
        ActorKind::Country(code) if !actors::is_locative(text, a.span) => Some((
            a.span,
            countries::name(code)
                .unwrap_or(a.span.slice(text))
                .to_string(),
            None,
        )),
        _ => speaker_of(text, actors, ai, reg),
    }
}

/// The speaker an actor gives, if it can speak: a person, or a named
/// organisation ("China's Foreign Ministry", "the prime minister's office",
/// "State Department" for "a State Department spokesperson"). Places,
/// countries and generic nouns ("officials", "the group") are no speakers.
fn speaker_of(text: &str, actors: &[Actor], ai: usize, reg: &Registry) -> Option<Found> {
    let a = &actors[ai];
    match a.kind {
        ActorKind::Person(p) => Some((a.span, reg.persons[p].name.clone(), Some(p))),
        ActorKind::Country(_) => None,
        ActorKind::Org => {
            let name = actors::display_name(text, actors, ai, reg);
            let words_of: Vec<&str> = name.split_whitespace().collect();
            let head = words_of.last().copied().unwrap_or("");
            if in_list(&words().generic, head) {
                // "a spokesperson for the ministry": the body it speaks for.
                let after = text.get(a.span.end..).unwrap_or("");
                if after.starts_with(" for ") {
                    let from = a.span.end + 5;
                    if let Some(bi) = actors.iter().position(|b| {
                        b.span.start >= from
                            && text
                                .get(from..b.span.start)
                                .is_some_and(|g| matches!(g.trim(), "" | "the" | "The"))
                    }) {
                        if bi != ai && !matches!(actors[bi].kind, ActorKind::Person(_)) {
                            return speaker_of(text, actors, bi, reg);
                        }
                    }
                }
                // "a State Department spokesperson": the named body before it.
                let body = words_of[..words_of.len().saturating_sub(1)].join(" ");
                // ("U.S." alone is a country, not a body.)
                let named = body.chars().next().is_some_and(char::is_uppercase)
                    && (body.contains(' ') || countries::lookup(&body).is_none());
                return named.then_some((a.span, body, None));
            }
            // A lone common noun ("officials", "the group") names nobody.
            let generic = !name.chars().any(char::is_uppercase)
                && !name.contains("'s ")
                && !name.contains("\u{2019}s ")
                && !name.contains(' ');
            (!generic).then_some((a.span, name, None))
        }
    }
}

/// `"…," Kamikawa told reporters` / `"…," said Wang` / `"…," she said` /
/// `"…," Tim Murtaugh, a campaign adviser, said`.
fn after_cue(
    doc: &Doc,
    toks: &[Token],
    quotes: &[Quote],
    q: &Quote,
    actors: &[Actor],
    reg: &Registry,
) -> Option<Found> {
    let text = doc.text;
    let v = verb_after(doc, toks, quotes, q)?;
    let vspan = toks[v].span;
    // The subject between the quote and the verb: the first person named
    // there (the rest is an appositive: "X, spokesman for Y, said"), else
    // the first actor.
    let between: Vec<usize> = (0..actors.len())
        .filter(|&i| actors[i].span.start >= q.outer.end && actors[i].span.end <= vspan.start)
        .collect();
    if let Some(&first) = between.first() {
        let pick = between
            .iter()
            .copied()
            .find(|&i| matches!(actors[i].kind, ActorKind::Person(_)))
            .unwrap_or(first);
        return subject_speaker(text, actors, pick, reg);
    }
    // Nothing before the verb: the subject follows it ("said Wang", "said
    // the ministry", "said Rep. Tom Malinowski", "said Indonesian Foreign
    // Minister Budi Santoso"). Only title words and capitalised words may
    // stand between the verb and the name.
    let mut from = vspan.end;
    let mut first = None;
    for (i, a) in actors.iter().enumerate() {
        if a.span.start < vspan.end {
            continue;
        }
        let gap = text.get(from..a.span.start).unwrap_or(",");
        let plain = !gap.contains(['.', ',', '"', '\u{201c}', '\u{201d}', ';', ':', '\n'])
            || gap.split_whitespace().all(lexicon::is_title_word);
        let words_ok = gap.split_whitespace().all(|w| {
            matches!(w, "the" | "The")
                || lexicon::is_title_word(w)
                || w.chars().next().is_some_and(char::is_uppercase)
        });
        if !plain || !words_ok {
            break;
        }
        if matches!(a.kind, ActorKind::Person(_)) {
            return speaker_of(text, actors, i, reg);
        }
        first.get_or_insert(i);
        from = a.span.end;
    }
    let f = first?;
    // "said Peruvian Trade Minister J.K.": a demonym or body opening a
    // title introduces a person we do not know.
    let next_word = text
        .get(actors[f].span.end..)
        .unwrap_or("")
        .split_whitespace()
        .next()
        .unwrap_or("");
    if lexicon::is_title_word(next_word.trim_end_matches([',', '.'])) {
        return None;
    }
    speaker_of(text, actors, f, reg)
}

/// The reported clause before the quote: the nearest verb of saying to its
/// left in the same sentence, and that verb's subject.
fn before_cue(
    doc: &Doc,
    toks: &[Token],
    quotes: &[Quote],
    q: &Quote,
    actors: &[Actor],
    reg: &Registry,
) -> Option<Found> {
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
        if is_quote_verb(w) || w == "words" {
            verb = Some(ti);
            break;
        }
    }
    let v = verb?;
    let w = toks[v].text(text);
    let usable = |a: &Actor, limit: usize| {
        a.span.end <= limit && a.span.start >= sent.start && !inside_quote(quotes, a.span.start)
    };
    // "according to X": the subject follows.
    if w.eq_ignore_ascii_case("according") {
        if let Some(i) = actors
            .iter()
            .position(|a| a.span.start > toks[v].span.end && a.span.end <= q.outer.start)
        {
            return speaker_of(text, actors, i, reg);
        }
        return named_body_after(text, toks[v].span.end, q.outer.start);
    }
    // "Iran vowed ..., saying the era of "...": a participle after a comma
    // speaks for the clause's subject: the nearest person before it, else
    // the first actor of the sentence that is not a place.
    let before_verb = text.get(sent.start..toks[v].span.start).unwrap_or("");
    if w.ends_with("ing") && before_verb.trim_end().ends_with(',') {
        let limit = toks[v].span.start;
        if let Some(i) = actors
            .iter()
            .rposition(|a| usable(a, limit) && matches!(a.kind, ActorKind::Person(_)))
        {
            return speaker_of(text, actors, i, reg);
        }
        let i = actors.iter().position(|a| {
            usable(a, limit)
                && !(matches!(a.kind, ActorKind::Country(_)) && actors::is_locative(text, a.span))
        })?;
        return subject_speaker(text, actors, i, reg);
    }
    match subject_of(doc, toks, quotes, actors, v, sent) {
        Subject::Actor(i) => return subject_speaker(text, actors, i, reg),
        Subject::Unnamed => return None,
        Subject::Unknown => {}
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
    let i = actors.iter().rposition(|a| usable(a, limit))?;
    speaker_of(text, actors, i, reg)
}

/// "according to the Spokesman-Review, "…"": a capitalised name that is no
/// actor we know is still the body that said it.
fn named_body_after(text: &str, from: usize, to: usize) -> Option<Found> {
    let rest = text.get(from..to)?;
    let lead = rest.len() - rest.trim_start().len();
    let rest = rest.trim_start();
    let rest = rest.strip_prefix("to ")?;
    let mut start = from + lead + 3;
    let mut body = rest;
    for d in ["the ", "The "] {
        if let Some(r) = body.strip_prefix(d) {
            body = r;
            start += d.len();
        }
    }
    let end_rel = body
        .find([',', ':', '.', ';', '"', '\u{201c}'])
        .unwrap_or(body.len());
    let name = body[..end_rel].trim_end();
    let name = name
        .strip_suffix("'s")
        .or_else(|| name.strip_suffix("\u{2019}s"))
        .unwrap_or(name);
    let words: Vec<&str> = name.split_whitespace().collect();
    let capitalised = !words.is_empty()
        && words.len() <= 6
        && words[0].chars().next().is_some_and(char::is_uppercase)
        && words
            .last()
            .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase));
    if !capitalised || !countries::find(name).is_empty() {
        return None;
    }
    Some((Span::new(start, start + name.len()), name.to_string(), None))
}

/// No cue of its own: an earlier quote in the same paragraph (interrupted
/// quote), or a paragraph that opens with a quote continuing the previous
/// paragraph's speaker: the speaker of its quote, the subject of its last
/// verb of saying, or the person its last sentence is about ("X also
/// offered this insight:").
fn inherited(
    doc: &Doc,
    toks: &[Token],
    earlier: &[Quote],
    q: &Quote,
    actors: &[Actor],
    reg: &Registry,
) -> Option<Found> {
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
    if let Some(v) = range
        .clone()
        .rev()
        .find(|&ti| toks[ti].class(text).speech_verb())
    {
        let vs = toks[v].span;
        let si = doc.sentence_at(vs.start)?;
        let sent = doc.sentences[si].span;
        return match subject_of(doc, toks, earlier, actors, v, sent) {
            Subject::Actor(i) => subject_speaker(text, actors, i, reg),
            Subject::Unnamed => None,
            Subject::Unknown => {
                let ai = actors
                    .iter()
                    .rposition(|a| a.span.end <= vs.start && a.span.start >= sent.start)?;
                speaker_of(text, actors, ai, reg)
            }
        };
    }
    // No verb of saying: the person the paragraph's last sentence is about,
    // when it opens with them ("Looking ahead, X offered this insight.").
    let si = doc.sentence_at(pspan.end.saturating_sub(1))?;
    let sent = doc.sentences[si].span;
    match clause_subject(doc, earlier, actors, sent, sent.end) {
        Subject::Actor(i) if matches!(actors[i].kind, ActorKind::Person(_)) => {
            speaker_of(text, actors, i, reg)
        }
        _ => None,
    }
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

    #[test]
    fn a_quote_over_several_paragraphs_keeps_its_speaker() {
        let t = "Mayor Lena Brandt spoke at the depot.\n\nBrandt said: \u{201c}The buses will run.\n\n\u{201c}The trams will follow in spring.\n\n\u{201c}Nobody will wait in the cold.\u{201d}";
        let got = quotes(t);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(
            got.iter().all(|(_, s)| s.as_deref() == Some("Lena Brandt")),
            "{got:?}"
        );
    }

    #[test]
    fn the_name_in_the_sentence_after_the_quote_speaks() {
        let t = "Governor Tomas Greer visited the flooded town. \u{201c}We will rebuild every house.\u{201d} Greer said on Sunday.";
        assert_eq!(
            quotes(t),
            vec![q("We will rebuild every house.", Some("Tomas Greer"))]
        );
    }

    #[test]
    fn the_subject_of_the_verb_speaks_not_the_nearest_name() {
        // An appositive between the subject and the verb.
        let t = "Senator Ruth Amsel met Minister Karl Ove Brix. Ines Kaur, a lawyer for Brix, said the case was \"closed for good.\"";
        assert_eq!(
            quotes(t).last().cloned(),
            Some(q("closed for good.", Some("Ines Kaur")))
        );
        // A second verb of the clause's subject.
        let t = "Senator Ruth Amsel criticized Minister Karl Ove Brix and called the plan \"a disgrace\" on Friday.";
        assert_eq!(quotes(t), vec![q("a disgrace", Some("Ruth Amsel"))]);
        // After the quote: the first name, not the one inside the appositive.
        let t =
            "Governor Abel Quist spoke. \"We are done,\" Mira Holt, a spokeswoman for Quist, said.";
        assert_eq!(
            quotes(t).last().cloned(),
            Some(q("We are done,", Some("Mira Holt")))
        );
    }

    #[test]
    fn an_unnamed_subject_gives_no_speaker() {
        let t = "Mayor Ada Lind took questions. A reporter asked Lind, \u{201c}Will you run again?\u{201d}";
        assert_eq!(quotes(t), vec![q("Will you run again?", None)]);
    }

    #[test]
    fn a_headline_quote_belongs_to_the_headline_subject() {
        let t = "Mayor Ana Reyes backs the budget, says \u{2018}I will not back down\u{2019} on schools\n\nMayor Ana Reyes said on Monday the budget was fair.";
        assert_eq!(
            quotes(t).first().cloned(),
            Some(q("I will not back down", Some("Ana Reyes")))
        );
    }

    #[test]
    fn places_and_lone_common_nouns_are_no_speakers() {
        let t = "Crowds in Chile chanted \"Out now!\" on Sunday. Officials said the rally was \"peaceful.\"";
        assert_eq!(quotes(t), vec![q("Out now!", None), q("peaceful.", None)]);
        let t = "Protesters in Chile said the vote was \"rigged.\"";
        assert_eq!(quotes(t), vec![q("rigged.", None)]);
    }

    #[test]
    fn organisations_speak_when_the_text_says_so() {
        let t = "A State Department spokesperson said, \"The welfare of citizens comes first.\"";
        assert_eq!(
            quotes(t),
            vec![q(
                "The welfare of citizens comes first.",
                Some("State Department")
            )]
        );
        let t = "According to the Daily Ledger, \"The vote was close.\"";
        assert_eq!(
            quotes(t),
            vec![q("The vote was close.", Some("Daily Ledger"))]
        );
    }

    #[test]
    fn scare_quotes_have_no_speaker() {
        let t = "The so-called \"peace dividend\" never came, and the \"reform\" stalled.";
        assert_eq!(
            quotes(t),
            vec![q("peace dividend", None), q("reform", None)]
        );
    }

    #[test]
    fn a_closing_mark_lost_to_encoding_still_closes() {
        let t = "Judge Ivo Marn called the claim \u{201c}nonsense, plain and simple.? He later said it was \u{201c}settled\u{201d} law.";
        let got: Vec<String> = quotes(t).into_iter().map(|(x, _)| x).collect();
        assert_eq!(got, vec!["nonsense, plain and simple.", "settled"]);
    }
}
