//! People, and among them officials: people who hold public office or speak
//! for a government or an international body.
//!
//! Found by title + name patterns ("Japanese Foreign Minister Yoko Kamikawa",
//! "China's top diplomat Wang Yi", "the UNHCR's Babar Baloch"), appositives
//! ("Nikol Pashinyan, Armenia's prime minister,") and the office-holder
//! dictionary; people without a title are kept too (as quote speakers) when a
//! speech verb follows their name. Later mentions (surname, given name,
//! "the minister", a pronoun) are folded into the same person.

use std::sync::OnceLock;

use chrono::NaiveDate;

use super::countries::CountryMention;
use super::lexicon::{self, WordClass};
use super::tokens::Token;
use super::wordset::WordMap;
use crate::span::Span;
use crate::text::Doc;

/// The word lists of this module, from `assets/words/`.
struct Words {
    /// Bodies whose members hold office ("committee", "task force").
    member_bodies: Vec<&'static str>,
    /// "attorney": a private calling unless a public word goes with it.
    private_titles: WordMap<()>,
    public_title_words: WordMap<()>,
    /// Titles that describe a person just named ("the Conservative MP").
    descriptor_titles: WordMap<()>,
    party_words: WordMap<()>,
    /// Nation and region words -> country ("Scottish" -> GB).
    subnational: Vec<(&'static str, &'static str)>,
    /// The same words, found in one pass over a sentence.
    subnational_finder: aho_corasick::AhoCorasick,
}

fn words() -> &'static Words {
    static W: OnceLock<Words> = OnceLock::new();
    W.get_or_init(|| {
        let load = |data: &'static str| {
            let mut m = WordMap::default();
            for w in lexicon::entries(data) {
                m.insert(w.to_lowercase().as_bytes(), ());
            }
            m
        };
        let subnational: Vec<(&'static str, &'static str)> =
            lexicon::entries(include_str!("../../assets/subnational.tsv"))
                .filter_map(|l| l.split_once('\t'))
                .map(|(w, c)| (w.trim(), c.trim()))
                .collect();
        let subnational_finder = aho_corasick::AhoCorasick::new(subnational.iter().map(|x| x.0))
            .expect("the embedded nation words build an automaton");
        Words {
            member_bodies: lexicon::entries(include_str!("../../assets/words/member_bodies.txt"))
                .collect(),
            private_titles: load(include_str!("../../assets/words/private_titles.txt")),
            public_title_words: load(include_str!("../../assets/words/public_title_words.txt")),
            descriptor_titles: load(include_str!("../../assets/words/descriptor_titles.txt")),
            party_words: load(include_str!("../../assets/words/party_words.txt")),
            subnational,
            subnational_finder,
        }
    })
}

fn in_list(list: &WordMap<()>, w: &str) -> bool {
    list.contains_lower(w)
}

/// A title that names a private calling ("lead attorney"), not an office.
fn is_private_title(title: &str) -> bool {
    let w = words();
    let mut it = title.split_whitespace().rev();
    it.next().is_some_and(|h| in_list(&w.private_titles, h))
        && !title
            .split_whitespace()
            .any(|x| in_list(&w.public_title_words, x))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MentionKind {
    /// The full name, as first introduced.
    Full,
    /// A surname or given name alone ("Kamikawa", "Wang").
    Short,
    /// "the minister", "the prime minister".
    TitleOnly,
    /// "she", "he", "his".
    Pronoun,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gender {
    Female,
    Male,
}

#[derive(Clone, Debug)]
pub struct Person {
    pub name: String,
    pub title: Option<String>,
    pub country: Option<&'static str>,
    /// The organisation they speak for, when it is an international body ("U.N.").
    pub org: Option<String>,
    pub official: bool,
    /// Found in the office-holder dictionary, which knows their country.
    pub known: bool,
    pub gender: Option<Gender>,
    pub mentions: Vec<Span>,
    /// `identity_key(name)`, kept to compare names cheaply.
    key: String,
}

#[derive(Clone, Debug)]
pub struct PersonMention {
    pub span: Span,
    pub person: usize,
    pub kind: MentionKind,
}

#[derive(Clone, Debug, Default)]
pub struct Registry {
    pub persons: Vec<Person>,
    /// Every mention, sorted by position.
    pub mentions: Vec<PersonMention>,
}

impl Registry {
    /// The person mentioned at exactly `span`, if any.
    pub fn person_at(&self, span: Span) -> Option<usize> {
        self.mentions
            .iter()
            .find(|m| m.span == span)
            .map(|m| m.person)
    }

    /// Mentions lying inside `span`.
    pub fn mentions_in(&self, span: Span) -> impl Iterator<Item = &PersonMention> {
        self.mentions.iter().filter(move |m| span.contains(m.span))
    }

    /// Resolves a pronoun at `pos` to a person: the subject (first person
    /// mentioned) of its sentence before it, else the subject of the sentence
    /// before, else the last person mentioned. Gender must not contradict.
    pub fn resolve_pronoun(&self, doc: &Doc, pos: usize, gender: Option<Gender>) -> Option<usize> {
        let fits = |p: usize| match (gender, self.persons[p].gender) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        let named = |m: &&PersonMention| m.kind != MentionKind::Pronoun;
        let si = doc.sentence_at(pos)?;
        let sent = doc.sentences[si].span;
        if let Some(m) = self
            .mentions
            .iter()
            .filter(named)
            .find(|m| m.span.start >= sent.start && m.span.end <= pos && fits(m.person))
        {
            return Some(m.person);
        }
        // Look back a few sentences for the subject of the nearest one with a person.
        for back in 1..=3 {
            let Some(prev) = si.checked_sub(back) else {
                break;
            };
            let ps = doc.sentences[prev].span;
            if let Some(m) = self
                .mentions
                .iter()
                .filter(|m| m.kind != MentionKind::Pronoun)
                .find(|m| ps.contains(m.span) && fits(m.person))
            {
                return Some(m.person);
            }
        }
        None
    }
}

/// Finds the people in `doc`. `countries` are the country mentions (for the
/// "Japanese Foreign Minister" and "China's top diplomat" forms); `dct` picks
/// the office holders in office at the time.
pub fn extract(doc: &Doc, countries: &[CountryMention], dct: NaiveDate) -> Registry {
    let text = doc.text;
    let toks = &doc.tokens[..];
    let mut reg = Registry::default();
    let country_at = |span: Span| country_overlapping(countries, span);

    // 1. Title + name, org's + name, and names before a speech verb.
    // Full names that none of the tests took, kept for a later "Surname
    // said" to claim.
    let mut untaken: Vec<Span> = Vec::new();
    // "Committee members A, D-Del., and B": the title the next name shares,
    // with the byte where that name must start.
    let mut shared: Option<(usize, TitleInfo)> = None;
    let marks = Landmarks::find(text, toks);
    // Most tokens start with an ASCII byte that is no capital: neither a
    // name ("al-Assad" aside) nor a first name after a title. The loop
    // goes from one token that may start a name to the next.
    let mut starts = marks.name_starts.iter().map(|&k| k as usize).peekable();
    let mut i = 0;
    loop {
        while starts.next_if(|&k| k < i).is_some() {}
        let Some(next) = starts.next() else {
            break;
        };
        i = next;
        let Some(end) = name_run(text, toks, i, country_at)
            .or_else(|| name_after_title(text, toks, i, country_at))
        else {
            i += 1;
            continue;
        };
        let name_toks = &toks[i..end];
        let name_span = Span::new(name_toks[0].span.start, name_toks[end - i - 1].span.end);
        // Each test below runs only when the ones before it found nothing.
        let shared_here = shared
            .take_if(|(at, _)| *at == toks[i].span.start)
            .map(|(_, t)| t);
        let plural = plural_title_before(text, toks, i, country_at);
        let title = shared_here
            .or_else(|| plural.clone())
            .or_else(|| title_before(text, toks, i, country_at))
            .or_else(|| appositive_title_after(text, toks, end, country_at))
            .or_else(|| member_appositive(text, toks[end - 1].full().end))
            .or_else(|| comma_title_before(text, toks, i, end, country_at));
        if let Some(t) = plural {
            if let Some(at) = next_in_list(text, toks[end - 1].full().end) {
                shared = Some((at, t));
            }
        }
        // "Christopher Coons, D-Del.,": a US legislator's party and state.
        let title = title.map(|mut t| {
            if t.country.is_none()
                && t.org.is_none()
                && us_party_tag(text, toks[end - 1].full().end)
            {
                t.country = Some("US");
            }
            t
        });
        let name = name_span.slice(text);
        let ntoks = end - i;
        if let Some(t) = title {
            if ntoks >= 2 || t.head_is_strong {
                add_person(&mut reg, name.to_string(), name_span, Some(t), dct);
            }
        } else if ntoks < 2 {
            // A lone capitalised word without a title is nobody here,
            // unless it speaks and an earlier full name ends with it
            // ("Mohamed Soltan, 32, ..." then "Soltan said").
            let speaks = toks.get(end).is_some_and(|t| {
                t.joined && t.class(text).speech_verb() && !toks[end - 1].possessive()
            });
            if speaks {
                let full = untaken.iter().copied().find(|s| {
                    s.slice(text)
                        .rsplit(' ')
                        .next()
                        .is_some_and(|last| last == name)
                });
                if let Some(full) = full {
                    add_person(&mut reg, full.slice(text).to_string(), full, None, dct);
                }
            }
        } else if toks
            .get(end)
            .is_some_and(|t| t.joined && t.class(text).speech_verb() && !toks[end - 1].possessive())
            || speaks_after_clause(text, name_toks[end - i - 1].full().end)
            || named_in_apposition(text, name_span.start, name_toks[end - i - 1].full().end)
        {
            add_person(&mut reg, name.to_string(), name_span, None, dct);
        } else if let Some(h) = known_holder(name, dct).filter(|h| h.title.is_some()) {
            // A known office holder named without a title.
            let t = TitleInfo {
                title: h.title,
                country: h.country,
                org: None,
                head_is_strong: true,
            };
            add_person(&mut reg, name.to_string(), name_span, Some(t), dct);
        } else if !toks[end - 1].possessive() {
            untaken.push(name_span);
        }
        i = end;
    }

    // A person known by one name ("Judge Wilson") whose full name the
    // article gave where no test took it ("Cory Wilson was elevated").
    for pi in 0..reg.persons.len() {
        let name = reg.persons[pi].name.clone();
        if name.contains(' ') {
            continue;
        }
        let Some(full) = untaken
            .iter()
            .copied()
            .find(|s| s.slice(text).rsplit(' ').next() == Some(name.as_str()))
        else {
            continue;
        };
        let p = &mut reg.persons[pi];
        p.name = full.slice(text).to_string();
        p.key = identity_key(&p.name);
        p.mentions.push(full);
        reg.mentions.push(PersonMention {
            span: full,
            person: pi,
            kind: MentionKind::Full,
        });
    }

    // 2. Short forms: surname or given name alone, when unambiguous.
    link_short_mentions(text, toks, &mut reg);
    // 3. "the minister", "the prime minister's office"; "the Conservative
    // MP" describing a person named without a title; "the Trump
    // administration".
    link_title_only(text, toks, &marks.after_the, &mut reg);
    link_descriptors(doc, toks, &marks.after_the, &mut reg);
    administrations(text, toks, &marks.governments, &mut reg, dct);
    // 4. Country of a titled official with none given: the dominant country.
    fill_countries(doc, &mut reg, countries);

    reg.mentions.sort_by_key(|m| (m.span.start, m.span.end));
    reg.mentions.dedup_by_key(|m| m.span);
    // 5. Pronouns, now that every named mention is known.
    link_pronouns(doc, toks, &marks.pronouns, &mut reg);
    reg.mentions.sort_by_key(|m| (m.span.start, m.span.end));
    for p in &mut reg.persons {
        p.mentions.sort();
        p.mentions.dedup();
    }
    reg
}

/// "Ola Nord, who visited Kenya in January, said": a name, a clause set
/// off by commas, then a speech verb.
fn speaks_after_clause(text: &str, name_end: usize) -> bool {
    let Some(rest) = text.get(name_end..) else {
        return false;
    };
    let Some(clause) = rest.strip_prefix(", ") else {
        return false;
    };
    let mut cut = clause.len().min(160);
    while !clause.is_char_boundary(cut) {
        cut -= 1;
    }
    let window = &clause[..cut];
    let window = match window.find(['.', '\n', '"', '\u{201c}']) {
        Some(i) => &window[..i],
        None => window,
    };
    // The clause: a relative clause, an appositive noun phrase ("a
    // lawyer", "communications director for the campaign"), an aside.
    let first = window.split(' ').next().unwrap_or("");
    let starts_clause = ["who ", "whose ", "a ", "an ", "the ", "who's "]
        .iter()
        .any(|w| window.starts_with(w))
        || first.ends_with(',')
        || lexicon::is_title_word(first)
        || (first.chars().next().is_some_and(char::is_lowercase)
            && !matches!(first, "and" | "or" | "but" | "nor" | "then" | "so" | "as"));
    if !starts_clause {
        return false;
    }
    // The comma that closes the clause, then the verb ("has said").
    window.match_indices(", ").any(|(i, _)| {
        window[i + 2..]
            .split(' ')
            .take(3)
            .find(|w| !matches!(*w, "has" | "have" | "had" | "also" | "later" | "then"))
            .is_some_and(lexicon::is_speech_verb)
    })
}

/// "Senate Foreign Relations Committee members Christopher Coons": a plural
/// title of the members of a body, shared by the names listed after it.
fn plural_title_before<'c>(
    text: &str,
    toks: &[Token],
    i: usize,
    country_at: impl Fn(Span) -> Option<&'c CountryMention>,
) -> Option<TitleInfo> {
    if i < 2 || !toks[i].joined {
        return None;
    }
    let pw = toks[i - 1].text(text);
    if !matches!(pw, "members" | "member") {
        return None;
    }
    // The body: capitalised words right before ("Senate ... Committee").
    let mut start = i - 1;
    while start > 0 && toks[start].joined && i - start < 7 {
        let p = &toks[start - 1];
        if !p.is_capitalized(text) || p.possessive() {
            break;
        }
        start -= 1;
    }
    if start == i - 1 {
        return None;
    }
    let body = Span::new(toks[start].span.start, toks[i - 2].span.end).slice(text);
    let bl = body.to_lowercase();
    if !words().member_bodies.iter().any(|b| bl.contains(b)) {
        return None;
    }
    let country = toks[start..i - 1]
        .iter()
        .find_map(|t| country_at(t.span))
        .map(|c| c.code);
    Some(TitleInfo {
        title: Some(format!("{body} member")),
        country,
        org: None,
        head_is_strong: false,
    })
}

/// ", D-Del.", ", R-Fla.", ", I-Vt.": the party and state after a US
/// legislator's name.
fn us_party_tag(text: &str, name_end: usize) -> bool {
    let Some(rest) = text.get(name_end..).and_then(|r| r.strip_prefix(", ")) else {
        return false;
    };
    let b = rest.as_bytes();
    b.len() > 3
        && matches!(b[0], b'D' | b'R' | b'I')
        && b[1] == b'-'
        && b[2].is_ascii_uppercase()
        && rest[2..]
            .split([',', ' ', ')'])
            .next()
            .is_some_and(|s| s.len() <= 6)
}

/// After a name, where the next name of a list starts: past a party tag
/// (", D-Del.,") and "and".
fn next_in_list(text: &str, name_end: usize) -> Option<usize> {
    let rest = text.get(name_end..)?;
    let mut r = rest;
    if let Some(tagged) = r.strip_prefix(", ") {
        let tag_end = tagged.find(',')?;
        let tag = &tagged[..tag_end];
        if tag.len() > 8 || !tag.contains('-') {
            return None;
        }
        r = &tagged[tag_end + 1..];
    }
    let r2 = r.strip_prefix(" and ")?;
    Some(name_end + (rest.len() - r2.len()))
}

/// "Dr Anthony Fauci, a key member of the White House's coronavirus task
/// force,": a member of a body of government.
fn member_appositive(text: &str, name_end: usize) -> Option<TitleInfo> {
    let rest = text.get(name_end..)?.strip_prefix(", ")?;
    let rest = ["a ", "an ", "the "]
        .iter()
        .find_map(|d| rest.strip_prefix(d))?;
    let phrase = &rest[..rest.find([',', '.', ';', '\n'])?];
    if phrase.len() > 80 || !phrase.contains("member of ") {
        return None;
    }
    let l = phrase.to_lowercase();
    if !words().member_bodies.iter().any(|b| l.contains(b)) {
        return None;
    }
    Some(TitleInfo {
        title: Some(phrase.to_string()),
        country: None,
        org: None,
        head_is_strong: false,
    })
}

/// "Egypt's elected president, Mohamed Morsi.": a title phrase owned by a
/// country or introduced by "the", a comma, then the full name closing the
/// clause.
fn comma_title_before<'c>(
    text: &str,
    toks: &[Token],
    i: usize,
    end: usize,
    country_at: impl Fn(Span) -> Option<&'c CountryMention>,
) -> Option<TitleInfo> {
    if i < 2 || end - i < 2 {
        return None;
    }
    let prev = &toks[i - 1];
    if text.get(prev.full().end..toks[i].span.start) != Some(", ") {
        return None;
    }
    let head = prev.text(text);
    let head_class = prev.class(text);
    if !head_class.title_head() || !head_class.strong_title() {
        return None;
    }
    let close = text.get(toks[end - 1].full().end..).unwrap_or("");
    if !(close.is_empty() || close.starts_with(['.', ',', ';']) || close.starts_with(" \u{2014}")) {
        return None;
    }
    // Back over modifiers to the owner: "Egypt's", "the", "its".
    let mut k = i - 1;
    while k > 0 && toks[k].joined {
        let p = &toks[k - 1];
        let w = p.text(text);
        if p.possessive() || matches!(w, "the" | "its" | "their") {
            let country = country_at(p.span).map(|c| c.code);
            if p.possessive() && country.is_none() {
                return None;
            }
            return Some(TitleInfo {
                title: Some(head.to_string()),
                country,
                org: None,
                head_is_strong: true,
            });
        }
        if !(p.class(text).title_word() || w.ends_with("ed"))
            || w.chars().next().is_some_and(char::is_uppercase)
        {
            return None;
        }
        k -= 1;
    }
    None
}

/// "a lawyer in attendance, Shannon Kilpatrick, tweeted": a name set off by
/// commas right before a verb of saying.
fn named_in_apposition(text: &str, name_start: usize, name_end: usize) -> bool {
    let before = text.get(..name_start).unwrap_or("");
    let after = text.get(name_end..).unwrap_or("");
    before.ends_with(", ")
        && after
            .strip_prefix(", ")
            .and_then(|r| r.split(' ').next())
            .is_some_and(lexicon::is_speech_verb)
}

/// "Mayor Bill de Blasio": right after a title, a first name that is also
/// a common capitalised word ("Bill", "Will") still opens a name when
/// another name word follows it.
fn name_after_title<'c>(
    text: &str,
    toks: &[Token],
    i: usize,
    country_at: impl Fn(Span) -> Option<&'c CountryMention> + Copy,
) -> Option<usize> {
    let t = &toks[i];
    if i == 0 || !t.joined || t.possessive() {
        return None;
    }
    // This runs for every token the name test turned down: the tests on
    // the word itself come first, as most tokens are lower case.
    let w = t.text(text);
    if !w.chars().next().is_some_and(char::is_uppercase)
        || !t.class(text).common_capitalized()
        || t.class(text).title_word()
        || !toks[i - 1].class(text).title_head()
    {
        return None;
    }
    let next = toks.get(i + 1)?;
    if !next.joined {
        return None;
    }
    let next_particle = next.class(text).name_particle();
    if !(next_particle || is_name_word(text, next)) {
        return None;
    }
    name_run(text, toks, i + 1, country_at).or_else(|| {
        // "de Blasio": a particle, then the name.
        next_particle
            .then(|| toks.get(i + 2))
            .flatten()
            .filter(|n| n.joined && is_name_word(text, n))
            .and_then(|_| name_run(text, toks, i + 2, country_at))
    })
}

#[derive(Clone)]
struct TitleInfo {
    title: Option<String>,
    country: Option<&'static str>,
    org: Option<String>,
    /// A title that can stand before a surname alone ("President Trump").
    head_is_strong: bool,
}

/// The end (exclusive) of a run of name tokens starting at `i`, if `i`
/// starts a name: capitalised words (and particles such as "von der"),
/// joined by spaces, that are not titles, countries or common capitalised
/// words.
fn name_run<'c>(
    text: &str,
    toks: &[Token],
    i: usize,
    country_at: impl Fn(Span) -> Option<&'c CountryMention>,
) -> Option<usize> {
    let first = &toks[i];
    if !is_run_name_word(text, first) || country_at(first.span).is_some() {
        return None;
    }
    let mut end = i + 1;
    if !first.possessive() {
        while end < toks.len() && end - i < 5 {
            let t = &toks[end];
            if !t.joined {
                break;
            }
            if t.class(text).name_particle() {
                // Particles ("von der") must lead to a capitalised word.
                let mut k = end;
                while k < toks.len() && toks[k].joined && toks[k].class(text).name_particle() {
                    k += 1;
                }
                if toks
                    .get(k)
                    .is_some_and(|n| n.joined && is_name_word(text, n))
                {
                    end = k;
                    continue;
                }
                break;
            }
            if !is_run_name_word(text, t) || country_at(t.span).is_some() {
                break;
            }
            end += 1;
            if t.possessive() {
                break;
            }
        }
    }
    Some(end)
}

/// The country mention that contains `span` or lies inside it. `countries`
/// are in text order and do not overlap, so a binary search finds the few
/// that can: this runs for every capitalised word.
fn country_overlapping(countries: &[CountryMention], span: Span) -> Option<&CountryMention> {
    let from = countries.partition_point(|c| c.span.end <= span.start);
    countries[from..]
        .iter()
        .take_while(|c| c.span.start < span.end)
        .find(|c| c.span.contains(span) || span.contains(c.span))
}

/// The tokens the passes over a whole article start from, found in one
/// walk over its tokens. Each pass used to test every token itself; most
/// tokens are none of these, and one walk that tests each token once, with
/// no branch per test, costs far less than a walk per pass that the branch
/// predictor keeps getting wrong. Each list is a superset: the pass still
/// applies its own full test to the tokens it is given.
struct Landmarks {
    /// Tokens that may open a name (`may_start_name`), in order.
    name_starts: Vec<u32>,
    /// Tokens right after a "the" (in any case).
    after_the: Vec<u32>,
    /// Tokens spelt he, his, him, she, her or hers in any case.
    pronouns: Vec<u32>,
    /// Tokens as long as "administration" or "government" that start as
    /// they do, in any case.
    governments: Vec<u32>,
}

/// The first four bytes of a token (`head4`), ASCII letters in lower
/// case, with its length (up to 255) above them: a short word
/// is told by one comparison. Folding sets bit 5 of every byte, which maps
/// a capital letter to its small one and no other byte to a letter, so the
/// key equals a letters-only word's key exactly when the token is that word
/// in some case.
#[inline]
fn word_key(raw: u32, mask: u32, len: usize) -> u64 {
    (len.min(255) as u64) << 32 | u64::from(raw | (0x2020_2020 & mask))
}

/// The first four bytes of `span` as a little-endian word, zeros past the
/// span's end, with the mask of the bytes that are the span's.
#[inline]
fn head4(bytes: &[u8], span: Span) -> (u32, u32) {
    let n = span.len().min(4);
    let mask = ((1u64 << (8 * n)) - 1) as u32;
    let raw = match bytes.get(span.start..span.start + 4) {
        Some(b) => u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
        // The last bytes of the text.
        None => {
            let mut b = [0u8; 4];
            if let Some(s) = bytes.get(span.start..span.start + n) {
                b[..n].copy_from_slice(s);
            }
            u32::from_le_bytes(b)
        }
    };
    (raw & mask, mask)
}

/// `word_key` of a word of letters.
const fn key_of(w: &[u8]) -> u64 {
    let mut k = 0u32;
    let mut i = 0;
    while i < w.len() && i < 4 {
        k |= ((w[i] | 0x20) as u32) << (8 * i);
        i += 1;
    }
    (w.len() as u64) << 32 | k as u64
}

/// What a landmark word is (bits of `Mark::kind`).
const THE: u8 = 1;
const PRONOUN: u8 = 2;
const GOVERNMENT: u8 = 4;

/// The words `Landmarks::find` looks for, by the key of their first four
/// letters and length. "administration" and "government" are told from
/// other words of their length by "admi" and "gove" alone; their passes
/// check the whole word.
const MARK_WORDS: [(&[u8], u8); 9] = [
    (b"the", THE),
    (b"he", PRONOUN),
    (b"his", PRONOUN),
    (b"him", PRONOUN),
    (b"she", PRONOUN),
    (b"her", PRONOUN),
    (b"hers", PRONOUN),
    (b"administration", GOVERNMENT),
    (b"government", GOVERNMENT),
];

/// A slot of `MARKS`: a word's key and what it is (0 for an empty slot).
#[derive(Clone, Copy)]
struct Mark {
    key: u64,
    kind: u8,
}

/// `MARK_WORDS` as a perfect hash table: each key has a slot of its own,
/// found by one multiplication. A token is told by one load and one
/// comparison whatever the word; a chain of comparisons would be compiled
/// into a search tree whose branches go either way from token to token.
const MARKS: ([Mark; 64], u64) = {
    let mut mul: u64 = 0x9e37_79b9_7f4a_7c15;
    loop {
        let mut table = [Mark { key: 0, kind: 0 }; 64];
        let mut ok = true;
        let mut i = 0;
        while i < MARK_WORDS.len() {
            let key = key_of(MARK_WORDS[i].0);
            let slot = (key.wrapping_mul(mul) >> 58) as usize;
            if table[slot].kind != 0 {
                ok = false;
                break;
            }
            table[slot] = Mark {
                key,
                kind: MARK_WORDS[i].1,
            };
            i += 1;
        }
        if ok {
            break (table, mul);
        }
        mul = mul.wrapping_add(0x2545_f491_4f6c_dd1d) | 1;
    }
};

/// Which landmark word (`THE`, `PRONOUN`, `GOVERNMENT`) a token's
/// `word_key` is, 0 for none.
#[inline]
fn mark_of(key: u64) -> u8 {
    let (table, mul) = &MARKS;
    let m = table[(key.wrapping_mul(*mul) >> 58) as usize];
    // 0xff when the slot holds this key, else 0: no branch.
    m.kind & u8::from(m.key == key).wrapping_neg()
}

/// Bits of `FIRST_BYTE`: the byte may open a name by itself (a capital or
/// a non-ASCII byte), or with a hyphen soon after it (a small letter:
/// "al-Assad").
const OPENS_NAME: u8 = 1;
const OPENS_NAME_WITH_HYPHEN: u8 = 2;
const FIRST_BYTE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b >= 0x80 || b.is_ascii_uppercase() {
            OPENS_NAME
        } else if b.is_ascii_lowercase() {
            OPENS_NAME_WITH_HYPHEN
        } else {
            0
        };
        i += 1;
    }
    t
};

impl Landmarks {
    fn find(text: &str, toks: &[Token]) -> Landmarks {
        let bytes = text.as_bytes();
        // Written at `n` for every token, kept by moving `n` on only for
        // the tokens that may open a name: no branch on the test.
        let mut name_starts = vec![0u32; toks.len()];
        let mut n = 0;
        let mut after_the = Vec::new();
        let mut pronouns = Vec::new();
        let mut governments = Vec::new();
        let mut prev_the = false;
        for (i, t) in toks.iter().enumerate() {
            // Token counts fit in 32 bits: a token is at least a byte, and
            // the extractors see at most one 64 KB chunk of text at a time.
            let at = i as u32;
            let (raw, mask) = head4(bytes, t.span);
            let mark = mark_of(word_key(raw, mask, t.span.len()));
            // A hyphen among the first four bytes: a zero byte of
            // `raw ^ "----"` (bytes past the span are zero in `raw`, so
            // never a hyphen).
            let x = raw ^ 0x2d2d_2d2d;
            let hyphen = x.wrapping_sub(0x0101_0101) & !x & 0x8080_8080 != 0;
            let first = FIRST_BYTE[usize::from(raw as u8)];
            let may = if t.span.is_empty() {
                may_start_name(text, t)
            } else {
                (first & OPENS_NAME != 0) | ((first & OPENS_NAME_WITH_HYPHEN != 0) & hyphen)
            };
            name_starts[n] = at;
            n += usize::from(may);
            if prev_the {
                after_the.push(at);
            }
            if mark & PRONOUN != 0 {
                pronouns.push(at);
            }
            if mark & GOVERNMENT != 0 {
                governments.push(at);
            }
            prev_the = mark & THE != 0;
        }
        name_starts.truncate(n);
        Landmarks {
            name_starts,
            after_the,
            pronouns,
            governments,
        }
    }
}

/// False when `t` can be neither a name word (`is_name_word`) nor the
/// capitalised word `name_after_title` wants, judged from its first bytes:
/// an ASCII byte that is no capital letter, unless a hyphen follows soon
/// ("al-Assad").
#[inline]
fn may_start_name(text: &str, t: &Token) -> bool {
    let bytes = text.as_bytes();
    let Some(&first) = bytes.get(t.span.start) else {
        return true;
    };
    if !first.is_ascii() || first.is_ascii_uppercase() {
        return true;
    }
    first.is_ascii_lowercase() && hyphen_near_start(bytes, t)
}

/// A hyphen among the first four bytes of `t` ("al-Assad"). A loop, not
/// `contains`, which calls memchr: this runs for most lower-case tokens.
#[inline]
#[allow(clippy::manual_contains)]
fn hyphen_near_start(bytes: &[u8], t: &Token) -> bool {
    let end = t.span.end.min(t.span.start + 4);
    bytes
        .get(t.span.start..end)
        .is_some_and(|b| b.iter().any(|&c| c == b'-'))
}

fn is_name_word(text: &str, t: &Token) -> bool {
    name_word_unless(text, t, WordClass::title_org_or_common)
}

/// A name word that is not a verb a title-case headline puts after a name
/// ("Prime Minister Jane Doe Says Talks ..."): a name run stops before
/// one, and a run that opens with one ("Tells Trump") is no name.
fn is_run_name_word(text: &str, t: &Token) -> bool {
    name_word_unless(text, t, WordClass::title_org_common_or_headline_verb)
}

/// A capitalised word (or "al-Assad") that `excluded` does not turn down;
/// `excluded` sees only capitalised words.
#[inline]
fn name_word_unless(text: &str, t: &Token, excluded: fn(WordClass) -> bool) -> bool {
    // Most tokens are lower-case ASCII words: decide those from their bytes.
    let bytes = text.as_bytes();
    if bytes.get(t.span.start).is_some_and(u8::is_ascii_lowercase) && !hyphen_near_start(bytes, t) {
        return false;
    }
    let w = t.text(text);
    let Some(first) = w.chars().next() else {
        return false;
    };
    if !first.is_uppercase() {
        // Arabic surnames with the article: "al-Assad", "el-Sisi", "bin-Zayed".
        return arabic_article_name(w);
    }
    w.chars().nth(1).is_some()
        && !w.ends_with('.')
        && !w.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
        && !excluded(t.class(text))
}

/// "al-Assad": a lower-case article, a hyphen, a capitalised name.
fn arabic_article_name(w: &str) -> bool {
    let b = w.as_bytes();
    // The articles are two or three letters long.
    let Some(hyphen) = b.iter().take(4).position(|&c| c == b'-') else {
        return false;
    };
    matches!(
        &w[..hyphen],
        "al" | "el" | "ad" | "as" | "ash" | "at" | "bin" | "ibn" | "abu"
    ) && w[hyphen + 1..]
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
}

/// The title phrase that ends right before token `i` ("Japanese Foreign
/// Minister", "China's top diplomat", "the UNHCR's").
fn title_before<'c>(
    text: &str,
    toks: &[Token],
    i: usize,
    country_at: impl Fn(Span) -> Option<&'c CountryMention>,
) -> Option<TitleInfo> {
    if i == 0 || !toks[i].joined {
        return None;
    }
    let prev = &toks[i - 1];
    let pw = prev.text(text);
    // "the UNHCR's Babar Baloch": an international body's possessive.
    if prev.possessive() && prev.class(text).org_word() {
        return Some(TitleInfo {
            title: None,
            country: None,
            org: Some(pw.to_string()),
            head_is_strong: false,
        });
    }
    // "U.S. Ambassador to Japan Rahm Emanuel": the title names where they
    // are posted; the country is the one before it.
    if i >= 3
        && country_at(prev.span).is_some()
        && toks[i - 2].text(text) == "to"
        && matches!(
            toks[i - 3].text(text).to_lowercase().as_str(),
            "ambassador" | "envoy" | "amb."
        )
    {
        let mut start = i - 3;
        let mut country = None;
        while start > 0 && toks[start].joined && i - start < 7 {
            let p = &toks[start - 1];
            if let Some(c) = country_at(p.span) {
                country = Some(c.code);
                break;
            }
            if !p.class(text).title_word() || p.possessive() {
                break;
            }
            start -= 1;
        }
        let title = Span::new(toks[start].span.start, prev.span.end).slice(text);
        return Some(TitleInfo {
            title: Some(strip_leading_modifiers(title)),
            country,
            org: None,
            head_is_strong: true,
        });
    }
    let prev_class = prev.class(text);
    if prev.possessive() || !prev_class.title_word() {
        return None;
    }
    // "the official Harbour Authority app": straight after an article or a
    // possessive pronoun, a lower-case "official" is an adjective.
    if pw == "official"
        && i >= 2
        && matches!(
            toks[i - 2].text(text).to_ascii_lowercase().as_str(),
            "the" | "an" | "its" | "their" | "his" | "her" | "our"
        )
    {
        return None;
    }
    // "Secretary of State": a head may stand before "of" and a modifier.
    if !prev_class.title_head() {
        let of_head = i >= 3
            && toks[i - 2].text(text) == "of"
            && toks[i - 3].class(text).title_head()
            && pw.chars().next().is_some_and(char::is_uppercase);
        if !of_head {
            return None;
        }
    }
    // Walk back over the title phrase.
    let mut start = i - 1;
    while start > 0 {
        let t = &toks[start];
        if !t.joined {
            break;
        }
        let p = &toks[start - 1];
        let w = p.text(text);
        let pc = p.class(text);
        let ok = (pc.title_word() && !p.possessive())
            || pc.org_word()
            || country_at(p.span).is_some()
            || (w.eq_ignore_ascii_case("of") && start >= 2);
        if !ok {
            break;
        }
        start -= 1;
        if p.possessive() {
            break;
        }
    }
    let mut country = None;
    let mut org = None;
    let mut title_start = None;
    for t in &toks[start..i] {
        let w = t.text(text);
        if let Some(c) = country_at(t.span) {
            country = Some(c.code);
            title_start = None;
            continue;
        }
        if t.class(text).org_word() && !t.class(text).title_word() {
            org = Some(match org {
                Some(o) => format!("{o} {w}"),
                None => w.to_string(),
            });
            title_start = None;
            continue;
        }
        if title_start.is_none() && !w.eq_ignore_ascii_case("of") {
            title_start = Some(t.span.start);
        }
    }
    let title = title_start.map(|s| {
        Span::new(s, prev.span.end)
            .slice(text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    });
    let title = title.map(|t| strip_leading_modifiers(&t));
    let strong = prev_class.strong_title() || !prev_class.title_head();
    Some(TitleInfo {
        title,
        country,
        org,
        head_is_strong: strong,
    })
}

fn strip_leading_modifiers(t: &str) -> String {
    let mut words: Vec<&str> = t.split_whitespace().collect();
    // "official former Vice President": lower-case words before a
    // capitalised title are not part of it.
    // "then-Attorney" counts as capitalised.
    let cap = |w: &str| {
        let w = w
            .strip_prefix("then-")
            .or_else(|| w.strip_prefix("ex-"))
            .unwrap_or(w);
        w.chars().next().is_some_and(char::is_uppercase)
    };
    if let Some(first_cap) = words.iter().position(|w| cap(w)) {
        if words[first_cap..].iter().all(|w| cap(w) || *w == "of") {
            words.drain(..first_cap);
        }
    }
    while words.len() > 1
        && matches!(
            words[0].to_lowercase().as_str(),
            "former" | "then" | "the" | "their" | "his" | "her" | "its"
        )
    {
        words.remove(0);
    }
    words.join(" ")
}

/// "Name, Armenia's prime minister," / "Name, the foreign minister of Japan,".
fn appositive_title_after<'c>(
    text: &str,
    toks: &[Token],
    end: usize,
    country_at: impl Fn(Span) -> Option<&'c CountryMention>,
) -> Option<TitleInfo> {
    let prev_end = toks.get(end.checked_sub(1)?)?.full().end;
    let after = text.get(prev_end..)?;
    if !after.starts_with(", ") {
        return None;
    }
    let mut k = end;
    let mut country = None;
    let mut words: Vec<&str> = Vec::new();
    while k < toks.len() && k < end + 6 {
        let t = &toks[k];
        if k > end && !t.joined {
            break;
        }
        let w = t.text(text);
        if let Some(c) = country_at(t.span) {
            country = Some(c.code);
        } else if t.class(text).title_word() {
            words.push(w);
        } else if !matches!(
            w.to_lowercase().as_str(),
            "the" | "a" | "an" | "former" | "then"
        ) {
            break;
        }
        k += 1;
    }
    let last = *words.last()?;
    if !lexicon::is_title_head(last) {
        return None;
    }
    // Must close: a comma, a period or "of".
    let close = text.get(toks[k - 1].full().end..).unwrap_or("");
    if !(close.starts_with(',') || close.starts_with('.') || close.starts_with(" of ")) {
        return None;
    }
    Some(TitleInfo {
        title: Some(words.join(" ")),
        country,
        org: None,
        head_is_strong: false,
    })
}

fn add_person(
    reg: &mut Registry,
    name: String,
    span: Span,
    title: Option<TitleInfo>,
    dct: NaiveDate,
) {
    let (mut title_s, mut country, org, official) = match title {
        Some(t) => {
            let private = t.title.as_deref().is_some_and(is_private_title);
            (t.title, t.country, t.org, !private)
        }
        None => (None, None, None, false),
    };
    let mut name = name;
    let mut known = false;
    // The name's look-up key, made once for the dictionary and the
    // identity key (unless the dictionary gives a fuller name).
    let mut name_key = None;
    // A surname after a strong title ("President Trump"): the dictionary
    // knows the full name.
    if !name.contains(' ') {
        if let Some(h) = known_by_surname(&name, dct) {
            name = h.name.to_string();
            country = country.or(h.country);
            title_s = title_s.or(h.title);
            known = true;
        }
    } else {
        let k = super::officeholders::name_key(&name);
        if let Some(h) = holder(&super::officeholders::by_name_key(&k, dct), dct) {
            known = true;
            if org.is_none() {
                country = country.or(h.country);
            }
            title_s = title_s.or(h.title);
        }
        name_key = Some(k);
    }
    let gender = title_s.as_deref().and_then(lexicon::title_gender);
    // The same person again, or a fuller form of one already known.
    let key = identity_key_of(&name_key.unwrap_or_else(|| super::officeholders::name_key(&name)));
    let existing = reg.persons.iter().position(|p| same_person(&p.key, &key));
    let idx = match existing {
        Some(ix) => {
            let p = &mut reg.persons[ix];
            if name.len() > p.name.len() {
                p.name = name;
                p.key = key.clone();
            }
            if p.title.is_none() {
                p.title = title_s;
            }
            if p.country.is_none() && org.is_none() {
                p.country = country;
            }
            if p.org.is_none() {
                p.org = org;
            }
            p.official |= official;
            p.known |= known;
            p.gender = p.gender.or(gender);
            ix
        }
        None => {
            reg.persons.push(Person {
                key: key.clone(),
                name,
                title: title_s,
                country,
                org,
                official,
                known,
                gender,
                mentions: Vec::new(),
            });
            reg.persons.len() - 1
        }
    };
    reg.persons[idx].mentions.push(span);
    // A shorter form of a name already known is a short mention.
    let kind = if reg.persons[idx].key == key {
        MentionKind::Full
    } else {
        MentionKind::Short
    };
    reg.mentions.push(PersonMention {
        span,
        person: idx,
        kind,
    });
}

/// Two normalised names of one person: equal, or one is a run of the
/// other's words ("ruiz soto" in "marta ruiz soto", "trump" in "donald trump").
fn same_person(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    // Every person already known is compared with each new mention: the
    // words are walked where they lie, without collecting them.
    let ns = short.split(' ').count();
    let nl = long.split(' ').count();
    ns < nl && (0..=nl - ns).any(|from| long.split(' ').skip(from).take(ns).eq(short.split(' ')))
}

/// One key per person across the spellings the press uses: case,
/// diacritics, dots, hyphens and spacing folded ("António Guterres" and
/// "Antonio Guterres", "Kim Jong-un" and "Kim Jong Un", "J.D. Vance" and
/// "JD Vance"), generational suffixes dropped, and given names and surnames
/// mapped through the variant table in `assets/name_variants.tsv`
/// ("Binyamin" is "Benjamin", "el-Sissi" is "al-Sisi"). The store keys its
/// officials by it.
pub fn identity_key(name: &str) -> String {
    identity_key_of(&super::officeholders::name_key(name))
}

/// `identity_key` of a name from its `name_key`.
fn identity_key_of(key: &str) -> String {
    let table = variants();
    let mut out = String::with_capacity(key.len());
    let mut first = true;
    for w in key
        .split(' ')
        .filter(|w| !w.is_empty() && !matches!(*w, "jr" | "sr" | "ii" | "iii" | "iv"))
    {
        if !first {
            out.push(' ');
        }
        first = false;
        out.push_str(table.get(w).copied().unwrap_or(w));
    }
    out
}

/// Variant word -> the word the identity key uses.
fn variants() -> &'static rustc_hash::FxHashMap<String, &'static str> {
    static V: OnceLock<rustc_hash::FxHashMap<String, &'static str>> = OnceLock::new();
    V.get_or_init(|| {
        let mut m = rustc_hash::FxHashMap::default();
        for line in lexicon::entries(include_str!("../../assets/name_variants.tsv")) {
            let Some((canon, others)) = line.split_once('\t') else {
                continue;
            };
            let canon = canon.trim();
            for o in others.split('|') {
                let k = super::officeholders::name_key(o);
                if !k.is_empty() && !k.contains(' ') {
                    m.insert(k, canon);
                }
            }
        }
        m
    })
}

/// Lower-cased, diacritics and punctuation folded: "António" == "Antonio".
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let c = fold_diacritic(c);
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-') && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim().to_string()
}

fn fold_diacritic(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'ī' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' | 'ő' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'ū' | 'ű' => 'u',
        'ç' | 'č' | 'ć' => 'c',
        'š' | 'ś' | 'ş' => 's',
        'ž' | 'ź' | 'ż' => 'z',
        'ñ' | 'ń' => 'n',
        'ý' | 'ÿ' => 'y',
        'ř' => 'r',
        'ł' => 'l',
        'ğ' => 'g',
        'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'A',
        'É' | 'È' | 'Ê' | 'Ë' => 'E',
        'Í' | 'Î' | 'Ï' => 'I',
        'Ó' | 'Ô' | 'Ö' | 'Ø' => 'O',
        'Ú' | 'Û' | 'Ü' => 'U',
        'Š' | 'Ş' => 'S',
        'Ž' => 'Z',
        'Č' | 'Ç' => 'C',
        c => c,
    }
}

/// The short forms a person may be called by later: each single name word,
/// and a particle surname ("von der Leyen").
fn short_forms(name: &str) -> Vec<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut out = Vec::new();
    if words.len() < 2 {
        return out;
    }
    for (k, w) in words.iter().enumerate() {
        if lexicon::is_name_particle(w) {
            // "von der Leyen": the surname runs from the first particle.
            out.push(words[k..].join(" "));
            break;
        }
    }
    for w in &words {
        if !lexicon::is_name_particle(w) && w.chars().count() >= 2 {
            out.push(w.to_string());
            // "al-Assad" is also "Assad".
            if let Some((pre, rest)) = w.split_once('-') {
                if pre.chars().all(char::is_lowercase) && rest.chars().count() >= 2 {
                    out.push(rest.to_string());
                }
            }
        }
    }
    if words.len() >= 3 {
        out.push(words[..2].join(" "));
        out.push(words[words.len() - 2..].join(" "));
    }
    out
}

fn link_short_mentions(text: &str, toks: &[Token], reg: &mut Registry) {
    // Which person each short form points at; a form shared by two people
    // is ambiguous and links to neither.
    let mut forms: Vec<(Vec<String>, Option<usize>)> = Vec::new();
    for (pi, p) in reg.persons.iter().enumerate() {
        for f in short_forms(&p.name) {
            let fw: Vec<String> = f.split_whitespace().map(str::to_string).collect();
            match forms.iter_mut().find(|(w, _)| *w == fw) {
                Some(e) => {
                    if e.1 != Some(pi) {
                        e.1 = None;
                    }
                }
                None => forms.push((fw, Some(pi))),
            }
        }
    }
    forms.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    // Forms by their first word, longest first, so each token costs one lookup.
    let mut by_first: rustc_hash::FxHashMap<&str, Vec<usize>> = Default::default();
    for (fi, (words, _)) in forms.iter().enumerate() {
        if let Some(w) = words.first() {
            by_first.entry(w.as_str()).or_default().push(fi);
        }
    }
    let mut taken: Vec<Span> = reg.mentions.iter().map(|m| m.span).collect();
    taken.sort();
    let overlaps_taken = |span: Span| {
        let k = taken.partition_point(|t| t.end <= span.start);
        taken.get(k).is_some_and(|t| t.overlaps(span))
    };
    // The first bytes the forms start with: most tokens start with none of
    // them and need no hash lookup.
    let mut starts = [false; 256];
    for w in by_first.keys() {
        if let Some(&b) = w.as_bytes().first() {
            starts[usize::from(b)] = true;
        }
    }
    let mut new = Vec::new();
    let mut i = 0;
    'outer: while i < toks.len() {
        let first = text
            .as_bytes()
            .get(toks[i].span.start)
            .copied()
            .unwrap_or(0);
        if !starts[usize::from(first)] {
            i += 1;
            continue;
        }
        let Some(cands) = by_first.get(toks[i].text(text)) else {
            i += 1;
            continue;
        };
        for (words, person) in cands.iter().map(|&fi| &forms[fi]) {
            let n = words.len();
            if i + n > toks.len() {
                continue;
            }
            let hit = (0..n)
                .all(|k| toks[i + k].text(text) == words[k] && (k == 0 || toks[i + k].joined));
            if !hit {
                continue;
            }
            let span = Span::new(toks[i].span.start, toks[i + n - 1].span.end);
            // Part of a longer capitalised name ("Park Geun-hye" is not "Park Jin").
            let before_cap = i > 0 && toks[i].joined && is_name_word(text, &toks[i - 1]);
            let after_cap = toks
                .get(i + n)
                .is_some_and(|t| t.joined && is_name_word(text, t))
                && !toks[i + n - 1].possessive();
            if let Some(p) = person {
                if !before_cap && !after_cap && !overlaps_taken(span) {
                    new.push(PersonMention {
                        span,
                        person: *p,
                        kind: MentionKind::Short,
                    });
                }
            }
            i += n;
            continue 'outer;
        }
        i += 1;
    }
    for m in new {
        reg.persons[m.person].mentions.push(m.span);
        reg.mentions.push(m);
    }
}

/// "Chris Grayling warned … Speaking in the Commons, the Conservative MP
/// said": a title after "the" that nobody holds yet describes the person
/// named just before (in this sentence or the two before it) when they
/// have no title.
fn link_descriptors(doc: &Doc, toks: &[Token], after_the: &[u32], reg: &mut Registry) {
    let text = doc.text;
    let w = words();
    reg.mentions.sort_by_key(|m| m.span.start);
    for i in after_the.iter().map(|&i| i as usize) {
        // "the [Conservative] MP"
        let mut k = i;
        while k < toks.len()
            && k < i + 3
            && toks[k].joined
            && in_list(&w.party_words, toks[k].text(text))
        {
            k += 1;
        }
        let Some(head) = toks.get(k) else { continue };
        if !head.joined || !in_list(&w.descriptor_titles, head.text(text)) || head.possessive() {
            continue;
        }
        if toks
            .get(k + 1)
            .is_some_and(|n| n.joined && is_name_word(text, n))
        {
            continue;
        }
        let span = Span::new(toks[i - 1].span.start, head.span.end);
        if reg.mentions.iter().any(|m| m.span.overlaps(span)) {
            continue;
        }
        let title = Span::new(toks[i].span.start, head.span.end).slice(text);
        // Already someone's title: link_title_only's business.
        let tl = title.to_lowercase();
        if reg.persons.iter().any(|p| {
            p.title
                .as_deref()
                .is_some_and(|t| t.to_lowercase().ends_with(&tl))
        }) {
            continue;
        }
        let Some(si) = doc.sentence_at(span.start) else {
            continue;
        };
        let from = doc.sentences[si.saturating_sub(2)].span.start;
        let Some(m) = reg
            .mentions
            .iter()
            .rev()
            .find(|m| m.span.end <= span.start && m.kind != MentionKind::Pronoun)
        else {
            continue;
        };
        let p = m.person;
        if m.span.start < from || reg.persons[p].title.is_some() {
            continue;
        }
        let person = &mut reg.persons[p];
        person.title = Some(title.to_string());
        person.official = true;
        person.mentions.push(span);
        reg.mentions.push(PersonMention {
            span,
            person: p,
            kind: MentionKind::TitleOnly,
        });
        reg.mentions.sort_by_key(|m| m.span.start);
    }
}

/// "the Trump administration", "the Sissi government": the head of a
/// government named by surname, whom the dictionary knows for the date.
fn administrations(
    text: &str,
    toks: &[Token],
    governments: &[u32],
    reg: &mut Registry,
    dct: NaiveDate,
) {
    for i in governments.iter().map(|&i| i as usize) {
        let t = &toks[i];
        if i == 0 || !t.joined || !matches!(t.text(text), "administration" | "government") {
            continue;
        }
        let prev = &toks[i - 1];
        let surname = prev.text(text);
        if prev.possessive() || !is_name_word(text, prev) {
            continue;
        }
        // A surname the article already gives someone: linked as a short form.
        if reg
            .persons
            .iter()
            .any(|p| short_forms(&p.name).iter().any(|w| w == surname))
        {
            continue;
        }
        let Some(h) = known_by_surname(surname, dct) else {
            continue;
        };
        let Some(title) = h.title else { continue };
        if !lexicon::is_strong_title(title.split_whitespace().last().unwrap_or("")) {
            continue;
        }
        let info = TitleInfo {
            title: Some(title),
            country: h.country,
            org: None,
            head_is_strong: true,
        };
        add_person(reg, h.name.to_string(), prev.span, Some(info), dct);
    }
}

/// "the minister", "the prime minister", "the president-elect": the latest
/// person before it whose title ends in the same word.
fn link_title_only(text: &str, toks: &[Token], after_the: &[u32], reg: &mut Registry) {
    reg.mentions.sort_by_key(|m| m.span.start);
    let mut new = Vec::new();
    for i in after_the.iter().map(|&i| i as usize) {
        let t = &toks[i];
        // A title phrase opens with a title word: asked first, it turns
        // down most words after "the" with one look-up instead of three.
        if !t.joined || !t.class(text).title_word() {
            continue;
        }
        // The head of a short title phrase: "the [interior] minister".
        let mut k = i;
        while k + 1 < toks.len()
            && toks[k + 1].joined
            && toks[k + 1].class(text).title_word()
            && !toks[k].possessive()
        {
            k += 1;
        }
        let head = toks[k].text(text);
        if !toks[k].class(text).title_head() {
            continue;
        }
        // "the minister Yoko ..." is a title before a name, handled already.
        if toks
            .get(k + 1)
            .is_some_and(|n| n.joined && is_name_word(text, n))
            && !toks[k].possessive()
        {
            continue;
        }
        let span = Span::new(toks[i - 1].span.start, toks[k].span.end);
        let head_l = head.to_lowercase();
        let words_l: Vec<String> = toks[i..=k]
            .iter()
            .map(|t| t.text(text).to_lowercase())
            .collect();
        // The latest person with exactly this title ("the president-elect"
        // is not the vice president-elect), else one whose title ends so.
        let before: Vec<usize> = reg
            .mentions
            .iter()
            .rev()
            .filter(|m| m.span.end <= span.start)
            .map(|m| m.person)
            .collect();
        let phrase = words_l.join(" ");
        let exact = before.iter().copied().find(|&p| {
            reg.persons[p]
                .title
                .as_deref()
                .is_some_and(|tt| tt.to_lowercase() == phrase)
        });
        let candidate = exact.or_else(|| {
            before.iter().copied().find(|&p| {
                reg.persons[p].title.as_deref().is_some_and(|tt| {
                    let tl = tt.to_lowercase();
                    tl.ends_with(&head_l) && words_l.iter().all(|w| tl.contains(w.as_str()))
                })
            })
        });
        if let Some(p) = candidate {
            new.push(PersonMention {
                span,
                person: p,
                kind: MentionKind::TitleOnly,
            });
        }
    }
    for m in new {
        reg.persons[m.person].mentions.push(m.span);
        reg.mentions.push(m);
    }
}

fn link_pronouns(doc: &Doc, toks: &[Token], pronouns: &[u32], reg: &mut Registry) {
    let text = doc.text;
    let mut new = Vec::new();
    for t in pronouns.iter().map(|&i| &toks[i as usize]) {
        let w = t.text(text);
        let gender = match w {
            "she" | "She" | "her" | "Her" | "hers" => Gender::Female,
            "he" | "He" | "his" | "His" | "him" | "Him" => Gender::Male,
            _ => continue,
        };
        if let Some(p) = reg.resolve_pronoun(doc, t.span.start, Some(gender)) {
            if reg.persons[p].gender.is_none() {
                reg.persons[p].gender = Some(gender);
            }
            new.push(PersonMention {
                span: t.span,
                person: p,
                kind: MentionKind::Pronoun,
            });
            reg.persons[p].mentions.push(t.span);
        }
        // Keep later resolutions aware of this pronoun's person.
        reg.mentions.append(&mut new);
        reg.mentions.sort_by_key(|m| m.span.start);
    }
}

/// Officials with a national title but no country get the country the
/// article is mostly about, when one clearly leads.
fn fill_countries(doc: &Doc, reg: &mut Registry, countries: &[CountryMention]) {
    // The country the whole article names most, when one leads.
    let article_leader = leading_country(countries.iter());
    for p in &mut reg.persons {
        if !p.official || p.country.is_some() || p.org.is_some() || p.known || p.title.is_none() {
            continue;
        }
        if p.title.as_deref().is_some_and(international_title) {
            continue;
        }
        let Some(first) = p.mentions.iter().min() else {
            continue;
        };
        let Some(pi) = doc.paragraph_at(first.start) else {
            continue;
        };
        // A nation of the country named in the same sentence ("the
        // Scottish Government's list …, said Justice Secretary X").
        let mut found_code = None;
        for m in &p.mentions {
            let Some(si) = doc.sentence_at(m.start) else {
                continue;
            };
            let sent = doc.sentences[si].span.slice(doc.text);
            if let Some(code) = subnational_in(sent) {
                found_code = Some(code);
                break;
            }
        }
        if found_code.is_some() {
            p.country = found_code;
            continue;
        }
        // The country named most around the first mention, if one leads;
        // with none named around it, the one the article names most.
        let lo = doc.paragraphs[pi.saturating_sub(1)].start;
        let hi = doc.paragraphs[(pi + 1).min(doc.paragraphs.len() - 1)].end;
        let near: Vec<&CountryMention> = countries
            .iter()
            .filter(|c| c.span.start >= lo && c.span.end <= hi)
            .collect();
        p.country = if near.is_empty() {
            article_leader
        } else {
            leading_country(near.into_iter())
        };
    }
}

/// The country of the first nation or region word of the list
/// (`assets/subnational.tsv`) that `sent` holds as a whole word.
fn subnational_in(sent: &str) -> Option<&'static str> {
    let w = words();
    let whole_word = |s: usize, e: usize| {
        let after = sent[e..].chars().next();
        let before = sent[..s].chars().next_back();
        after.is_none_or(|c| !c.is_alphanumeric()) && before.is_none_or(|c| !c.is_alphanumeric())
    };
    // Every occurrence, overlapping ones too, so the list order decides
    // as a search word by word would.
    w.subnational_finder
        .find_overlapping_iter(sent)
        .filter(|m| whole_word(m.start(), m.end()))
        .map(|m| m.pattern().as_usize())
        .min()
        .and_then(|i| w.subnational.get(i))
        .map(|&(_, code)| code)
}

/// The country named most often among `mentions`, when one leads.
fn leading_country<'a>(mentions: impl Iterator<Item = &'a CountryMention>) -> Option<&'static str> {
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for c in mentions {
        match counts.iter_mut().find(|(k, _)| *k == c.code) {
            Some(e) => e.1 += 1,
            None => counts.push((c.code, 1)),
        }
    }
    counts.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
    match counts.as_slice() {
        [(c, n), rest @ ..] if rest.first().is_none_or(|(_, m)| m < n) => Some(*c),
        _ => None,
    }
}

/// Titles of international bodies: no country to guess.
fn international_title(t: &str) -> bool {
    let l = t.to_lowercase();
    [
        "secretary-general",
        "director-general",
        "u.n.",
        "un ",
        "who ",
        "european",
        "nato",
        "high commissioner",
        "commission",
        "imf",
        "world bank",
        "iaea",
        "unhcr",
    ]
    .iter()
    .any(|k| l.contains(k))
}

/// An office holder from the shipped dictionary.
pub struct Holder {
    pub name: &'static str,
    /// The title on the article's date: "former Vice President" for a term
    /// that had ended by then; none when every term the dictionary knows
    /// began later (an article of 2020 cannot call Marco Rubio Secretary of
    /// State).
    pub title: Option<String>,
    /// The country they serve, which does not change with the office.
    pub country: Option<&'static str>,
}

/// How long before a term an article may already give its title (a
/// president-elect, a minister named before being sworn in), in days.
const TERM_LEAD_DAYS: i64 = 75;

/// A term the article can know of on `on`: one that had begun (or was about
/// to).
fn knowable(h: &super::officeholders::OfficeHolder, on: NaiveDate) -> bool {
    h.from
        .is_none_or(|from| (from - on).num_days() <= TERM_LEAD_DAYS)
}

fn known_holder(name: &str, on: NaiveDate) -> Option<Holder> {
    holder(&super::officeholders::by_name(name, on), on)
}

/// The holder of the rows of one person, best first.
fn holder(rows: &[&'static super::officeholders::OfficeHolder], on: NaiveDate) -> Option<Holder> {
    let first = rows.first()?;
    let title = rows.iter().find(|h| knowable(h, on)).map(|h| {
        if h.to.is_some_and(|to| to < on) {
            format!("former {}", h.title)
        } else {
            h.title.clone()
        }
    });
    Some(Holder {
        name: first.name.as_str(),
        title,
        country: first.country.as_deref(),
    })
}

fn known_by_surname(surname: &str, on: NaiveDate) -> Option<Holder> {
    let rows = super::officeholders::by_surname(surname, on);
    // Only when one person fits.
    let first = *rows.first()?;
    if rows.iter().any(|r| r.name != first.name) {
        return None;
    }
    holder(&rows, on)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// `same_person` walks the words in place as the collected
        /// word lists did: one name's words a run of the other's.
        #[test]
        fn same_person_is_a_run_of_words(a in "[ab ]{0,9}", b in "[ab ]{0,9}") {
            let by_lists = |a: &str, b: &str| {
                if a == b {
                    return true;
                }
                let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
                let sw: Vec<&str> = short.split(' ').collect();
                let lw: Vec<&str> = long.split(' ').collect();
                sw.len() < lw.len() && lw.windows(sw.len()).any(|w| w == sw.as_slice())
            };
            proptest::prop_assert_eq!(same_person(&a, &b), by_lists(&a, &b));
        }

        /// The one-pass search for nation words finds what a search word
        /// by word in list order finds.
        #[test]
        fn subnational_search_is_the_word_by_word_search(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Scottish", "Scotland", "Wales", "Welsh", "Dáil", "Dail", "Commons",
                    "Westminster", " ", "-", "x", "é", "s", "'s", ".", "1",
                ]),
                0..12,
            )
        ) {
            let sent: String = parts.concat();
            let by_words = words().subnational.iter().find(|(w, _)| {
                sent.match_indices(w).any(|(at, _)| {
                    let after = sent[at + w.len()..].chars().next();
                    let before = sent[..at].chars().next_back();
                    after.is_none_or(|c| !c.is_alphanumeric())
                        && before.is_none_or(|c| !c.is_alphanumeric())
                })
            });
            proptest::prop_assert_eq!(subnational_in(&sent), by_words.map(|x| x.1));
        }

        /// The one walk's lists hold exactly the tokens each pass's own
        /// test picks: names' first tokens, tokens after "the", the
        /// pronouns and "administration" / "government", in any case.
        #[test]
        fn landmarks_are_the_tokens_the_plain_tests_pick(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "the", "The", "THE", "thee", "th", "he", "He", "HIS", "him", "she", "Her",
                    "hers", "herself", "hem", "she's", "administration", "Administrations",
                    "GOVERNMENT", "governments", "governed", "al-Assad", "x-ray", "a-b",
                    "abcd-e", "Ana", "é", "Élodie", "1", "-", "'", ".", ",", " ", "  ",
                    "\n", "\u{201c}",
                ]),
                0..24,
            ),
        ) {
            let text: String = parts.concat();
            let doc = Doc::new(&text);
            let toks = &doc.tokens[..];
            let marks = Landmarks::find(&text, toks);
            let idx = |f: &dyn Fn(usize) -> bool| -> Vec<u32> {
                (0..toks.len()).filter(|&i| f(i)).map(|i| i as u32).collect()
            };
            let lower = |i: usize| toks[i].text(&text).to_ascii_lowercase();
            proptest::prop_assert_eq!(
                &marks.name_starts,
                &idx(&|i| may_start_name(&text, &toks[i]))
            );
            proptest::prop_assert_eq!(&marks.after_the, &idx(&|i| i > 0 && lower(i - 1) == "the"));
            proptest::prop_assert_eq!(
                &marks.pronouns,
                &idx(&|i| matches!(lower(i).as_str(), "he" | "his" | "him" | "she" | "her" | "hers"))
            );
            proptest::prop_assert_eq!(
                &marks.governments,
                &idx(&|i| {
                    let w = lower(i);
                    (w.len() == 14 && w.starts_with("admi")) || (w.len() == 10 && w.starts_with("gove"))
                })
            );
        }
    }

    #[test]
    fn name_start_skip_agrees_with_the_full_tests() {
        // Every token `may_start_name` turns down is no name word, and no
        // first name after a title either.
        let text = "the 3 \"quoted\" al-Assad el-Sisi ana-maria x-ray Ana Élodie 'tis \u{201c}Rui";
        let doc = Doc::new(text);
        for (i, t) in doc.tokens.iter().enumerate() {
            if !may_start_name(text, t) {
                assert!(!is_name_word(text, t), "{}", t.text(text));
                assert!(
                    name_after_title(text, &doc.tokens, i, |_: Span| None::<&CountryMention>)
                        .is_none()
                );
            }
        }
        let skipped = |w: &str| {
            let t = doc.tokens.iter().find(|t| t.text(text) == w).unwrap();
            !may_start_name(text, t)
        };
        assert!(skipped("the") && skipped("3"));
        assert!(!skipped("al-Assad") && !skipped("Ana") && !skipped("Élodie"));
    }
    use crate::extract::countries;

    fn people(text: &str) -> Registry {
        let doc = Doc::new(text);
        let cm = countries::find(text);
        extract(
            &doc,
            &cm,
            NaiveDate::from_ymd_opt(2025, 5, 10).unwrap_or_default(),
        )
    }

    fn find<'a>(reg: &'a Registry, name: &str) -> &'a Person {
        reg.persons
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name} not found in {:?}", reg.persons))
    }

    #[test]
    fn title_and_name_with_country_from_the_demonym_or_possessive() {
        let r = people(
            "Norwegian Foreign Minister Ingrid Vale met Peru's top diplomat Rosa Quispe on Friday.",
        );
        let a = find(&r, "Ingrid Vale");
        assert_eq!(
            (a.title.as_deref(), a.country, a.official),
            (Some("Foreign Minister"), Some("NO"), true)
        );
        let b = find(&r, "Rosa Quispe");
        assert_eq!(
            (b.title.as_deref(), b.country),
            (Some("top diplomat"), Some("PE"))
        );
    }

    #[test]
    fn international_bodies_have_no_country() {
        let r = people(
            "U.N. Secretary-General Kofi Menda spoke. The UNHCR's Lia Strand said camps were full.",
        );
        assert_eq!(find(&r, "Kofi Menda").country, None);
        let s = find(&r, "Lia Strand");
        assert!(s.official && s.country.is_none() && s.org.as_deref() == Some("UNHCR"));
    }

    #[test]
    fn later_mentions_fold_into_the_person() {
        let t = "Chilean President Marta Ruiz Soto arrived on Monday. Ruiz Soto said she was pleased. The president left.";
        let r = people(t);
        let p = r
            .persons
            .iter()
            .position(|p| p.name == "Marta Ruiz Soto")
            .expect("found");
        let kinds: Vec<MentionKind> = r
            .mentions
            .iter()
            .filter(|m| m.person == p)
            .map(|m| m.kind)
            .collect();
        assert!(kinds.contains(&MentionKind::Short), "{kinds:?}");
        assert!(kinds.contains(&MentionKind::Pronoun), "{kinds:?}");
        assert!(kinds.contains(&MentionKind::TitleOnly), "{kinds:?}");
        for m in &r.persons[p].mentions {
            assert!(t.is_char_boundary(m.start) && t.is_char_boundary(m.end));
        }
    }

    #[test]
    fn particles_and_appositives() {
        let r = people("Commission President Anke van der Berg spoke. Tomas Lind, Sweden's defence minister, agreed.");
        assert!(r
            .persons
            .iter()
            .any(|p| p.name == "Anke van der Berg" && p.official));
        let l = find(&r, "Tomas Lind");
        assert_eq!((l.country, l.official), (Some("SE"), true));
    }

    #[test]
    fn people_without_office_are_not_officials() {
        let r = people(
            "Analyst Jonas Weber said prices would rise. Ana Luz, a farmer, said she was worried.",
        );
        assert!(r.persons.iter().all(|p| !p.official), "{:?}", r.persons);
        assert!(r.persons.iter().any(|p| p.name == "Ana Luz"));
    }

    #[test]
    fn ambiguous_short_forms_link_to_nobody() {
        let t = "Minister Lee Min-ho met Minister Lee Soo-jin. Lee said talks went well.";
        let r = people(t);
        let lee_pos = t.rfind("Lee said").unwrap_or(0);
        assert!(
            !r.mentions.iter().any(|m| m.span.start == lee_pos),
            "an ambiguous surname stays unlinked"
        );
    }

    #[test]
    fn normalize_folds_case_and_accents() {
        assert_eq!(normalize("António  Gutérres"), "antonio guterres");
        assert_eq!(normalize("Lee Min-ho"), "lee min ho");
    }

    fn titled(text: &str, name: &str) -> (Option<String>, Option<&'static str>, bool) {
        let r = people(text);
        let p = find(&r, name);
        (p.title.clone(), p.country, p.official)
    }

    #[test]
    fn official_after_an_article_is_an_adjective() {
        let r = people("The official Harbour Authority Podcast answered questions on Monday.");
        assert!(r.persons.iter().all(|p| !p.official), "{:?}", r.persons);
        // After a country, "official" is still a title.
        let r = people("A Norwegian official, Kari Dahl, said the talks would go on.");
        assert!(
            r.persons.iter().any(|p| p.name == "Kari Dahl"),
            "{:?}",
            r.persons
        );
    }

    #[test]
    fn titles_of_the_british_isles_and_local_offices() {
        for (text, name, title) in [
            (
                "Taoiseach Niamh Dolan met unions.",
                "Niamh Dolan",
                "Taoiseach",
            ),
            (
                "T\u{e1}naiste Ciaran Moore spoke.",
                "Ciaran Moore",
                "T\u{e1}naiste",
            ),
            (
                "First Minister Eilidh Ross said so.",
                "Eilidh Ross",
                "First Minister",
            ),
            ("MSP Calum Reid said so.", "Calum Reid", "MSP"),
            ("MLA Orla Quinn said so.", "Orla Quinn", "MLA"),
            ("Labour MP Dan Pryce said so.", "Dan Pryce", "Labour MP"),
            ("Councillor Beth Amis said so.", "Beth Amis", "Councillor"),
            ("Mayor Will Orton said so.", "Will Orton", "Mayor"),
            ("Gov. Ray Tull said so.", "Ray Tull", "Gov."),
            ("Sen. Ava Pike said so.", "Ava Pike", "Sen."),
            ("Rep. Jon Ruiz said so.", "Jon Ruiz", "Rep."),
            ("Amb. Lisa Holm said so.", "Lisa Holm", "Amb."),
            ("Lt. Gov. Mark Eby said so.", "Mark Eby", "Lt. Gov."),
            (
                "Special envoy Paul Wren said so.",
                "Paul Wren",
                "Special envoy",
            ),
            ("Spokesperson Kim Lai said so.", "Kim Lai", "Spokesperson"),
        ] {
            let (t, _, official) = titled(text, name);
            assert!(official, "{text}");
            assert_eq!(t.as_deref(), Some(title), "{text}");
        }
        let (t, c, _) = titled("U.S. Ambassador to Japan Rhea Dunn arrived.", "Rhea Dunn");
        assert_eq!((t.as_deref(), c), (Some("Ambassador to Japan"), Some("US")));
    }

    #[test]
    fn headline_verbs_do_not_join_the_name() {
        let r = people("Prime Minister Jane Doe Says Talks Will Resume");
        assert!(
            r.persons.iter().any(|p| p.name == "Jane Doe"),
            "{:?}",
            r.persons
        );
        assert!(r.persons.iter().all(|p| !p.name.contains("Says")));
    }

    #[test]
    fn companies_bands_and_verbs_are_no_officials() {
        let r = people("General Motors Tells Trump It Will Stay. Fans of Led Zeppelin said so. Senator Denounces Amazon.");
        assert!(r.persons.iter().all(|p| !p.official), "{:?}", r.persons);
        let r = people("Lead attorney Omar Haddad said the case was strong.");
        assert!(!find(&r, "Omar Haddad").official);
    }

    #[test]
    fn identity_across_spellings() {
        let k = identity_key;
        assert_eq!(k("Benjamin Netanyahu"), k("Binyamin Netanyahu"));
        assert_eq!(k("Ant\u{f3}nio Guterres"), k("Antonio Guterres"));
        assert_eq!(k("Kim Jong Un"), k("Kim Jong-un"));
        assert_eq!(k("Abdel Fattah el-Sissi"), k("Abdel-Fattah al-Sisi"));
        assert_eq!(k("J.D. Vance"), k("JD Vance"));
        assert_eq!(k("Joseph R. Biden Jr."), k("Joseph R Biden"));
        assert_ne!(k("Kim Jong Un"), k("Kim Yo Jong"));
        // One person in the registry under two spellings.
        let r = people("Prime Minister Binyamin Netanyahu spoke. Later Prime Minister Benjamin Netanyahu left.");
        assert_eq!(r.persons.len(), 1, "{:?}", r.persons);
    }

    #[test]
    fn dictionary_titles_follow_the_article_date() {
        let on = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let text = "Joe Biden and Marco Rubio spoke about the election.";
        let doc = Doc::new(text);
        let cm = countries::find(text);
        let r = extract(&doc, &cm, on(2020, 4, 24));
        let b = r.persons.iter().find(|p| p.name == "Joe Biden");
        assert_eq!(
            b.and_then(|p| p.title.as_deref()),
            Some("former Vice President")
        );
        // Rubio's office in the dictionary began later: no title from it.
        assert!(r
            .persons
            .iter()
            .all(|p| p.name != "Marco Rubio" || p.title.is_none()));
    }

    #[test]
    fn shared_descriptor_and_administration_titles() {
        let r = people("Senate Finance Committee members Ada Moss, D-Ohio, and Ben Ruiz, R-Utah, sent a letter.");
        for n in ["Ada Moss", "Ben Ruiz"] {
            let p = find(&r, n);
            assert_eq!(
                (p.title.as_deref(), p.country),
                (Some("Senate Finance Committee member"), Some("US")),
                "{n}"
            );
        }
        let r = people("Colin Pryor warned on Monday of job cuts. Speaking in the Commons, the Conservative MP said more.");
        let p = find(&r, "Colin Pryor");
        assert_eq!(
            (p.title.as_deref(), p.country, p.official),
            (Some("Conservative MP"), Some("GB"), true)
        );
        let r = people("Egypt's elected president, Omar Fathy. He spoke.");
        assert_eq!(find(&r, "Omar Fathy").country, Some("EG"));
    }

    #[test]
    fn a_surname_that_speaks_claims_the_full_name() {
        let r = people("Nadia Sorel, 32, was held for a year. Sorel said she was beaten.");
        assert!(
            r.persons.iter().any(|p| p.name == "Nadia Sorel"),
            "{:?}",
            r.persons
        );
    }
}
