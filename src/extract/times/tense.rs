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

/// The longest cue word; longer words are never looked up.
const MAX_CUE: usize = 16;

/// Every cue word (lowercase) with what it can signal, looked up once per word.
static LEXICON: LazyLock<FxHashMap<&'static [u8], Lex>> = LazyLock::new(|| {
    let mut m: FxHashMap<&'static [u8], Lex> = FxHashMap::default();
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
            debug_assert!(w.len() <= MAX_CUE);
            set(m.entry(w.as_bytes()).or_default());
        }
    }
    m
});

/// The cues of word `w` as written (any case), lowercased on the stack.
fn lex(w: &str) -> Lex {
    let b = w.as_bytes();
    if b.len() > MAX_CUE {
        return Lex::default();
    }
    let mut buf = [0u8; MAX_CUE];
    let low = &mut buf[..b.len()];
    low.copy_from_slice(b);
    low.make_ascii_lowercase();
    LEXICON.get(&*low).copied().unwrap_or_default()
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
pub struct Token<'a> {
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

/// Words and clause marks of a sentence, into `out` (cleared first, so one
/// buffer serves every sentence).
pub fn tokens<'a>(s: &'a str, out: &mut Vec<Token<'a>>) {
    out.clear();
    let bytes = s.as_bytes();
    let mark = |pos, kind| Token {
        pos,
        kind,
        word: "",
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
            let mut ws = start;
            let mut we = i;
            while ws < we && bytes[ws] == b'\'' {
                ws += 1;
            }
            while we > ws && bytes[we - 1] == b'\'' {
                we -= 1;
            }
            let w = s.get(ws..we).unwrap_or("");
            if !w.is_empty() {
                out.push(Token {
                    pos: start,
                    kind: Kind::Word,
                    word: w,
                    lower_initial: w.as_bytes()[0].is_ascii_lowercase(),
                });
            }
            continue;
        }
        match b {
            b',' => out.push(mark(i, Kind::Comma)),
            b';' | b':' | b'(' | b')' | b'"' | b'[' | b']' => out.push(mark(i, Kind::Strong)),
            0x80.. => {
                // Curly quotes and long dashes are multi-byte.
                let rest = s.get(i..).unwrap_or("");
                if rest.starts_with(['\u{201c}', '\u{201d}', '\u{2014}', '\u{2013}']) {
                    out.push(mark(i, Kind::Strong));
                }
                // Advance one whole char.
                i += rest.chars().next().map(char::len_utf8).unwrap_or(1);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}

fn word_at<'t>(toks: &[Token<'t>], i: usize) -> Option<&'t str> {
    toks.get(i).filter(|t| t.kind == Kind::Word).map(|t| t.word)
}

fn looks_participle(l: &str) -> bool {
    (l.len() >= 4 && (ends(l, "ed") || ends(l, "en"))) || lex(l).irregular_past || is(l, "been")
}

/// The tense cue carried by word `i`, looking at its neighbours.
fn classify(toks: &[Token<'_>], i: usize) -> Option<Tense> {
    let t = toks.get(i)?;
    let l = t.word;
    let lx = lex(l);
    let prev = i.checked_sub(1).and_then(|k| word_at(toks, k));
    let next = word_at(toks, i + 1);
    let next2 = word_at(toks, i + 2);
    if ends(l, "'ll") || lx.future {
        return Some(Tense::Future);
    }
    // "may" the modal, never "May" the month.
    if is(l, "may") && t.lower_initial {
        return Some(Tense::Future);
    }
    if is(l, "to") {
        return prev.filter(|p| lex(p).to_future).map(|_| Tense::Future);
    }
    if ["is", "are", "am", "was", "were"].iter().any(|x| is(l, x)) {
        let n = next.unwrap_or("");
        if is(n, "to")
            || (lex(n).to_future && next2.is_some_and(|x| is(x, "to")))
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
    if ["has", "have", "had"].iter().any(|x| is(l, x)) {
        let participle = next.is_some_and(looks_participle)
            || next2.is_some_and(|n| is(n, "been") || looks_participle(n));
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
        return match prev {
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
    let mut toks = Vec::new();
    tokens(sentence, &mut toks);
    tense_in(&toks, tx_start, tx_end)
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
        .filter(|p| !is(p, "on"))
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
