//! Actor mentions: who can speak or act in a sentence. People (and their
//! pronouns) from the registry, organisations ("China's Foreign Ministry",
//! "the prime minister's office", "U.S. authorities") and countries.

use super::countries::{self, CountryMention};
use super::lexicon;
use super::officials::Registry;
use super::tokens::Token;
use super::wordset::WordMap;
use crate::span::Span;

#[derive(Clone, Debug, PartialEq)]
pub enum ActorKind {
    Person(usize),
    /// An organisation, by the words the text uses.
    Org,
    Country(&'static str),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Actor {
    pub span: Span,
    pub kind: ActorKind,
}

/// Head nouns of organisation phrases that can speak or act.
const ORG_HEADS: &str = include_str!("../../assets/words/org_heads.txt");
/// Lower-case words that may stand in an organisation phrase before its head.
const ORG_MODIFIERS: &str = include_str!("../../assets/words/org_modifiers.txt");

/// "ministry", "office", "officials": a word that heads an organisation
/// phrase (any case).
pub fn is_org_head_word(w: &str) -> bool {
    org_heads().contains_lower(w)
}

fn is_org_head(lower: &[u8]) -> bool {
    org_heads().contains(lower)
}

fn org_heads() -> &'static WordMap<()> {
    static SET: std::sync::OnceLock<WordMap<()>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let mut m = WordMap::default();
        for w in lexicon::entries(ORG_HEADS) {
            m.insert(w.as_bytes(), ());
        }
        m
    })
}

/// Words that may stand in an organisation phrase before its head.
fn org_modifier(text: &str, t: &Token) -> bool {
    t.is_capitalized(text) || t.possessive() || is_org_modifier(t.text(text))
}

/// `w` (any case) is one of `org_modifiers.txt`.
fn is_org_modifier(w: &str) -> bool {
    static SET: std::sync::OnceLock<WordMap<()>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let mut m = WordMap::default();
        for w in lexicon::entries(ORG_MODIFIERS) {
            m.insert(w.as_bytes(), ());
        }
        m
    })
    .contains_lower(w)
}

/// Words that may follow the subject of a clause: verbs and a few
/// function words.
fn can_follow_subject(w: &str) -> bool {
    super::quotes::is_quote_verb(w)
        || super::triggers::lookup(w).is_some_and(|t| t.verb)
        || w.ends_with("ed")
        || matches!(
            w,
            "is" | "was"
                | "are"
                | "were"
                | "has"
                | "had"
                | "have"
                | "will"
                | "would"
                | "could"
                | "can"
                | "may"
                | "might"
                | "must"
                | "should"
                | "did"
                | "does"
                | "do"
                | "and"
                | "or"
                | "of"
                | "in"
                | "on"
                | "at"
                | "to"
                | "for"
                | "from"
                | "with"
                | "who"
                | "that"
                | "which"
                | "also"
                | "later"
                | "then"
                | "not"
                | "still"
                | "again"
        )
}

fn is_determiner(w: &str) -> bool {
    matches!(w, "the" | "The" | "a" | "A" | "an" | "An")
}

/// All actor mentions in `text`, sorted by position, without overlaps
/// (people first, then organisations, then countries).
pub fn find(
    doc: &crate::text::Doc,
    reg: &Registry,
    country_mentions: &[CountryMention],
) -> Vec<Actor> {
    let text = doc.text;
    let lower = &doc.lower[..];
    let toks = &doc.tokens[..];
    let mut out: Vec<Actor> = reg
        .mentions
        .iter()
        .map(|m| Actor {
            span: m.span,
            kind: ActorKind::Person(m.person),
        })
        .collect();
    for (i, t) in toks.iter().enumerate() {
        // Every token is asked: the head table's filter turns down most
        // from their lower-case bytes alone (a token's span is on char
        // boundaries, so its bytes are those of its text).
        let l_bytes = lower
            .as_bytes()
            .get(t.span.start..t.span.end)
            .unwrap_or(&[]);
        if !is_org_head(l_bytes) {
            continue;
        }
        let w = t.text(text);
        let l = t.text(lower);
        // Acronyms must be in capitals ("WHO", not "who").
        if matches!(l, "who" | "un" | "eu") && w.chars().any(char::is_lowercase) {
            continue;
        }
        // A head followed by another head word is a modifier ("Foreign Ministry spokesman").
        if let Some(n) = toks.get(i + 1) {
            if n.joined && is_org_head(n.text(lower).as_bytes()) && !t.possessive() {
                continue;
            }
        }
        // A head used as an adjective ("military aggression") is no actor.
        if let Some(n) = toks.get(i + 1) {
            let nw = n.text(text);
            let lowercase = nw.chars().next().is_some_and(char::is_lowercase);
            if n.joined && lowercase && !t.possessive() && !can_follow_subject(nw) {
                continue;
            }
        }
        let mut start = i;
        while start > 0 && toks[start].joined && i - start < 6 {
            let p = &toks[start - 1];
            let pw = p.text(text);
            if is_determiner(pw) {
                start -= 1;
                break;
            }
            if !org_modifier(text, p) || lexicon::is_speech_verb(pw) {
                break;
            }
            start -= 1;
        }
        let span = Span::new(toks[start].span.start, t.span.end);
        // "the Japanese national" is a person, but the registry has no name:
        // keep it as an org-like actor anyway (it can still speak).
        if !out
            .iter()
            .any(|a| a.span.overlaps(span) && matches!(a.kind, ActorKind::Person(_)))
        {
            out.push(Actor {
                span,
                kind: ActorKind::Org,
            });
        }
    }
    for c in country_mentions {
        if !out.iter().any(|a| a.span.overlaps(c.span)) {
            out.push(Actor {
                span: c.span,
                kind: ActorKind::Country(c.code),
            });
        }
    }
    out.sort_by_key(|a| (a.span.start, std::cmp::Reverse(a.span.end)));
    // Drop actors nested in an earlier one (a country inside an org phrase).
    let mut kept: Vec<Actor> = Vec::with_capacity(out.len());
    for a in out {
        if kept.last().is_some_and(|k| k.span.contains(a.span)) {
            continue;
        }
        kept.push(a);
    }
    kept
}

/// The name to show for an actor: a person's full name, an organisation
/// phrase without its article (resolved to a fuller earlier phrase with the
/// same head, "the Chinese ministry" -> "China's Foreign Ministry"), a
/// country's name.
pub fn display_name(text: &str, actors: &[Actor], idx: usize, reg: &Registry) -> String {
    let a = &actors[idx];
    match &a.kind {
        ActorKind::Person(p) => reg.persons[*p].name.clone(),
        ActorKind::Country(code) => countries::name(code)
            .unwrap_or(a.span.slice(text))
            .to_string(),
        ActorKind::Org => {
            let phrase = strip_determiner(a.span.slice(text));
            let head = phrase
                .split_whitespace()
                .last()
                .unwrap_or("")
                .to_lowercase();
            let generic = phrase
                .split_whitespace()
                .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
                .count()
                <= 1;
            if generic {
                // An earlier, more specific phrase with the same head.
                for b in actors[..idx].iter().rev() {
                    if b.kind != ActorKind::Org {
                        continue;
                    }
                    let other = strip_determiner(b.span.slice(text));
                    let oh = other.split_whitespace().last().unwrap_or("").to_lowercase();
                    if oh == head
                        && other.len() > phrase.len()
                        && other
                            .split_whitespace()
                            .last()
                            .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
                    {
                        return other.to_string();
                    }
                }
            }
            phrase.to_string()
        }
    }
}

fn strip_determiner(s: &str) -> &str {
    for d in ["The ", "the ", "A ", "a ", "An ", "an "] {
        if let Some(rest) = s.strip_prefix(d) {
            return rest;
        }
    }
    s
}

/// A place rather than an actor: the words before it are a locative
/// preposition ("in South Korea", "from the United States").
pub fn is_locative(text: &str, span: Span) -> bool {
    let before = text.get(..span.start).unwrap_or("").trim_end();
    let last = before
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("")
        .trim_start_matches(|c: char| !c.is_alphanumeric());
    let prev = if last.eq_ignore_ascii_case("the") {
        before
            .strip_suffix("the")
            .or_else(|| before.strip_suffix("The"))
            .unwrap_or("")
            .trim_end()
            .rsplit(' ')
            .next()
            .unwrap_or("")
    } else {
        last
    };
    const LOCATIVE: &[&str] = &[
        "in", "at", "to", "from", "across", "near", "inside", "outside", "into", "toward",
        "towards", "via",
    ];
    LOCATIVE.iter().any(|w| prev.eq_ignore_ascii_case(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::officials;
    use crate::text::Doc;

    fn names(text: &str) -> Vec<String> {
        let doc = Doc::new(text);
        let cm = countries::find(text);
        let reg = officials::extract(
            &doc,
            &cm,
            chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default(),
        );
        let acts = find(&doc, &reg, &cm);
        (0..acts.len())
            .map(|i| display_name(text, &acts, i, &reg))
            .collect()
    }

    #[test]
    fn organisations_people_and_countries() {
        let got = names("Egypt's Foreign Ministry said the prime minister's office and U.S. officials agreed with Jordan.");
        assert_eq!(
            got,
            vec![
                "Egypt's Foreign Ministry",
                "prime minister's office",
                "U.S. officials",
                "Jordan"
            ]
        );
    }

    #[test]
    fn a_generic_phrase_takes_the_earlier_specific_one() {
        let got = names("Mexico's Interior Ministry denied it. Later the ministry said more.");
        assert_eq!(
            got,
            vec!["Mexico's Interior Ministry", "Mexico's Interior Ministry"]
        );
    }

    #[test]
    fn an_adjective_head_is_no_actor() {
        let got = names("Ghana warned against military action.");
        assert_eq!(got, vec!["Ghana"]);
    }
}
