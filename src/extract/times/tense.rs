//! The tense of the clause around a time expression, from word cues alone.
//!
//! HeidelTime asks a POS tagger for the nearest tensed verb; we have no
//! tagger, so we look for cue words: modals and "is set to" for the future,
//! `-ed` forms, irregular past forms and perfects for the past, a few
//! present forms. The nearest cue to the left inside the clause wins, then
//! the nearest to the right; with no cue the caller falls back to the news
//! default (the past) or, for a month-day, the year nearest the DCT.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tense {
    Past,
    Present,
    Future,
    /// No cue in the clause: weekdays and months read it as the past (the
    /// news default); a month-day takes the year nearest the DCT.
    Unknown,
}

/// Irregular past forms and participles common in news copy. Forms that are
/// also the present ("hit", "put", "set", "cut") are left out on purpose.
const IRREGULAR_PAST: &[&str] = &[
    "said",
    "told",
    "met",
    "held",
    "left",
    "began",
    "begun",
    "came",
    "went",
    "gone",
    "made",
    "took",
    "taken",
    "gave",
    "given",
    "saw",
    "seen",
    "won",
    "lost",
    "led",
    "fled",
    "sent",
    "spent",
    "brought",
    "bought",
    "thought",
    "fought",
    "caught",
    "taught",
    "sought",
    "found",
    "fell",
    "fallen",
    "felt",
    "kept",
    "knew",
    "known",
    "grew",
    "grown",
    "threw",
    "thrown",
    "drew",
    "drawn",
    "flew",
    "flown",
    "wrote",
    "written",
    "rose",
    "risen",
    "spoke",
    "spoken",
    "broke",
    "broken",
    "chose",
    "chosen",
    "froze",
    "frozen",
    "stole",
    "stolen",
    "woke",
    "wore",
    "swore",
    "sworn",
    "tore",
    "torn",
    "struck",
    "stood",
    "understood",
    "became",
    "ran",
    "sat",
    "was",
    "were",
    "did",
    "done",
    "had",
    "got",
    "gotten",
    "paid",
    "laid",
    "sold",
    "heard",
    "meant",
    "built",
    "dealt",
    "shot",
    "drove",
    "driven",
    "shook",
    "withdrew",
    "withdrawn",
    "oversaw",
    "undertook",
    "upheld",
    "withheld",
    "arose",
    "blew",
    "forgot",
    "ate",
    "sang",
    "sank",
    "hung",
    "slid",
    "spun",
    "stuck",
    "swept",
    "wept",
    "slept",
    "lent",
    "bent",
    "fed",
    "bled",
    "bred",
    "ago",
    "last",
    "yesterday",
    "since",
    "earlier",
    "previously",
    "former",
];

/// `-ed` words that are not past verbs in news copy (or mostly adjectives).
const ED_NOT_PAST: &[&str] = &[
    "united",
    "hundred",
    "indeed",
    "speed",
    "proceed",
    "exceed",
    "succeed",
    "need",
    "seed",
    "feed",
    "breed",
    "greed",
    "creed",
    "embed",
    "based",
    "armed",
    "alleged",
    "limited",
    "related",
    "detailed",
    "advanced",
    "concerned",
    "interested",
    "supposed",
    "so-called",
    "unprecedented",
    "red",
    "shed",
    "bed",
    "wed",
    "sacred",
    "naked",
    "wicked",
    "rugged",
    "beloved",
    "learned",
    "aged",
    "skilled",
    "talented",
    "biased",
    "prolonged",
    "renewed",
    "increased",
    "reduced",
    "expected",
    "scheduled",
    "unexpected",
    "unscheduled",
    "coordinated",
    "unrelated",
    "elected",
    "appointed",
    "detained",
    "wounded",
    "injured",
    "infected",
    "disputed",
    "crippled",
];

/// Words after which "to" points to a later event ("is set to", "plans to").
const TO_FUTURE: &[&str] = &[
    "set",
    "scheduled",
    "due",
    "expected",
    "poised",
    "slated",
    "going",
    "plans",
    "plan",
    "planned",
    "planning",
    "intends",
    "intend",
    "intended",
    "aims",
    "aim",
    "hopes",
    "hope",
    "hoping",
    "forward",
    "ready",
    "likely",
    "bound",
    "about",
    "preparing",
    "prepares",
    "prepared",
];

/// Present forms (a small list: there is no way to tell "-s" verbs from plurals).
const PRESENT: &[&str] = &[
    "is", "are", "am", "says", "say", "tells", "does", "remains", "remain", "looks", "wants",
    "seeks", "believes", "thinks", "insists", "argues", "expects", "appears", "seems", "hopes",
    "accuses", "accuse", "urges", "calls", "warns",
];

/// Present forms that news uses for scheduled events: "Biden takes office on
/// January 20", "Britain leaves the bloc on January 1".
const SCHEDULED: &[&str] = &[
    "takes", "leaves", "begins", "starts", "ends", "expires", "opens", "closes", "arrives",
    "returns", "hosts", "resumes", "visits", "travels", "heads", "kicks", "convenes", "reopens",
];

const FUTURE: &[&str] = &[
    "will",
    "shall",
    "would",
    "could",
    "might",
    "should",
    "won't",
    "wouldn't",
    "couldn't",
    "upcoming",
    "next",
    "until",
    "till",
    "tomorrow",
    "coming",
    "forthcoming",
    "pending",
];

#[derive(Clone, Copy, Debug, Default)]
struct Lex {
    irregular_past: bool,
    ed_not_past: bool,
    to_future: bool,
    present: bool,
    scheduled: bool,
    future: bool,
}

/// Every cue word with what it can signal, looked up once per word.
static LEXICON: LazyLock<HashMap<&'static str, Lex>> = LazyLock::new(|| {
    let mut m: HashMap<&'static str, Lex> = HashMap::new();
    type Setter = fn(&mut Lex);
    let lists: [(&[&'static str], Setter); 6] = [
        (IRREGULAR_PAST, |l| l.irregular_past = true),
        (ED_NOT_PAST, |l| l.ed_not_past = true),
        (TO_FUTURE, |l| l.to_future = true),
        (PRESENT, |l| l.present = true),
        (SCHEDULED, |l| l.scheduled = true),
        (FUTURE, |l| l.future = true),
    ];
    for (words, set) in lists {
        for w in words {
            set(m.entry(w).or_default());
        }
    }
    m
});

fn lex(w: &str) -> Lex {
    LEXICON.get(w).copied().unwrap_or_default()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Word,
    /// A comma: ends a clause for the left scan only.
    Comma,
    /// ; : ( ) quotes and dashes: end a clause both ways.
    Strong,
}

/// A word or clause mark of a sentence, lowercased once.
#[derive(Clone, Debug)]
pub struct Token<'a> {
    /// Byte offset in the sentence.
    pos: usize,
    kind: Kind,
    /// The word lowercased ("" for marks).
    lower: Cow<'a, str>,
    /// The word as written starts with a lowercase letter.
    lower_initial: bool,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'\''
}

/// Words and clause marks of a sentence.
pub fn tokens(s: &str) -> Vec<Token<'_>> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mark = |pos, kind| Token {
        pos,
        kind,
        lower: Cow::Borrowed(""),
        lower_initial: false,
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if is_word_byte(b) {
            let start = i;
            while i < bytes.len() && is_word_byte(bytes[i]) {
                i += 1;
            }
            // All bytes in the run are ASCII, so these are char boundaries.
            let w = s[start..i].trim_matches('\'');
            if !w.is_empty() {
                let lower = if w.bytes().any(|c| c.is_ascii_uppercase()) {
                    Cow::Owned(w.to_ascii_lowercase())
                } else {
                    Cow::Borrowed(w)
                };
                let lower_initial = w.as_bytes()[0].is_ascii_lowercase();
                out.push(Token {
                    pos: start,
                    kind: Kind::Word,
                    lower,
                    lower_initial,
                });
            }
            continue;
        }
        match b {
            b',' => out.push(mark(i, Kind::Comma)),
            b';' | b':' | b'(' | b')' | b'"' | b'[' | b']' => out.push(mark(i, Kind::Strong)),
            _ => {
                // Curly quotes and long dashes are multi-byte.
                if s[i..].starts_with(['\u{201c}', '\u{201d}', '\u{2014}', '\u{2013}']) {
                    out.push(mark(i, Kind::Strong));
                }
            }
        }
        // Advance one whole char.
        i += s[i..].chars().next().map(char::len_utf8).unwrap_or(1);
    }
    out
}

fn word_at<'t>(toks: &'t [Token<'_>], i: usize) -> Option<&'t str> {
    toks.get(i)
        .filter(|t| t.kind == Kind::Word)
        .map(|t| t.lower.as_ref())
}

fn looks_participle(l: &str) -> bool {
    (l.len() >= 4 && (l.ends_with("ed") || l.ends_with("en")))
        || lex(l).irregular_past
        || l == "been"
}

/// The tense cue carried by word `i`, looking at its neighbours.
fn classify(toks: &[Token<'_>], i: usize) -> Option<Tense> {
    let t = toks.get(i)?;
    let l = t.lower.as_ref();
    let lx = lex(l);
    let prev = i.checked_sub(1).and_then(|k| word_at(toks, k));
    let next = word_at(toks, i + 1);
    let next2 = word_at(toks, i + 2);
    if l.ends_with("'ll") || lx.future {
        return Some(Tense::Future);
    }
    // "may" the modal, never "May" the month.
    if l == "may" && t.lower_initial {
        return Some(Tense::Future);
    }
    if l == "to" {
        return prev.filter(|p| lex(p).to_future).map(|_| Tense::Future);
    }
    if matches!(l, "is" | "are" | "am" | "was" | "were") {
        let n = next.unwrap_or("");
        if n == "to"
            || (lex(n).to_future && next2 == Some("to"))
            || matches!(n, "scheduled" | "due" | "slated" | "expected" | "planned")
        {
            return Some(Tense::Future);
        }
        return Some(if l == "was" || l == "were" {
            Tense::Past
        } else {
            Tense::Present
        });
    }
    if matches!(l, "has" | "have" | "had") {
        let participle = next.is_some_and(looks_participle)
            || next2.is_some_and(|n| n == "been" || looks_participle(n));
        return Some(if participle || l == "had" {
            Tense::Past
        } else {
            Tense::Present
        });
    }
    if lx.irregular_past {
        return Some(Tense::Past);
    }
    if t.lower_initial && l.len() >= 5 && l.ends_with("ed") && !lx.ed_not_past {
        // A passive after "is/are" is present, after "will be" future.
        return match prev {
            Some("is" | "are" | "am") => Some(Tense::Present),
            Some("be") => Some(Tense::Future),
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
    tense_in(&tokens(sentence), tx_start, tx_end)
}

/// Like `tense_around`, on the sentence's tokens (made once per sentence).
pub fn tense_in(toks: &[Token<'_>], tx_start: usize, tx_end: usize) -> Tense {
    let first_after = toks.partition_point(|t| t.pos < tx_end);
    let last_before = toks.partition_point(|t| t.pos < tx_start);

    // The word right before the expression ("until Sunday", "by noon"),
    // skipping one "on" ("until on Sunday" does not occur, "since on" neither).
    let prep = last_before
        .checked_sub(1)
        .and_then(|k| word_at(toks, k))
        .filter(|p| *p != "on")
        .or_else(|| last_before.checked_sub(2).and_then(|k| word_at(toks, k)));

    let mut left = None;
    for k in (0..last_before).rev() {
        match toks[k].kind {
            Kind::Word => {
                if let Some(t) = classify(toks, k) {
                    left = Some(t);
                    break;
                }
            }
            Kind::Comma | Kind::Strong => break,
        }
    }
    match prep {
        Some("until" | "till" | "by") if left != Some(Tense::Past) => return Tense::Future,
        Some("since") => return Tense::Past,
        _ => {}
    }
    if let Some(t) = left {
        return t;
    }
    // To the right, a comma ends the clause unless the expression opens the
    // sentence ("On Sunday, the ministers will meet").
    let mut seen_word = false;
    for k in first_after..toks.len() {
        match toks[k].kind {
            Kind::Word => {
                if let Some(t) = classify(toks, k) {
                    return t;
                }
                seen_word = true;
            }
            Kind::Comma if !seen_word => {}
            Kind::Comma | Kind::Strong => break,
        }
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
