//! The tense of the clause around a time expression, from word cues alone.
//!
//! HeidelTime asks a POS tagger for the nearest tensed verb; we have no
//! tagger, so we look for cue words: modals and "is set to" for the future,
//! `-ed` forms, irregular past forms and perfects for the past, a few
//! present forms. The nearest cue to the left inside the clause wins, then
//! the nearest to the right; with no cue the caller falls back to the news
//! default (the past) or, for a month-day, the year nearest the DCT.

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok<'a> {
    Word(&'a str),
    /// A comma: ends a clause for the left scan only.
    Comma,
    /// ; : ( ) quotes and dashes: end a clause both ways.
    Strong,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'\''
}

/// Words and clause marks of `s`, with the byte offset (in `s`) of each.
fn tokens(s: &str) -> Vec<(usize, Tok<'_>)> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
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
                out.push((start, Tok::Word(w)));
            }
            continue;
        }
        match b {
            b',' => out.push((i, Tok::Comma)),
            b';' | b':' | b'(' | b')' | b'"' | b'[' | b']' => out.push((i, Tok::Strong)),
            _ => {
                // Curly quotes and long dashes are multi-byte.
                let rest = &s[i..];
                if rest.starts_with(['\u{201c}', '\u{201d}', '\u{2014}', '\u{2013}']) {
                    out.push((i, Tok::Strong));
                }
            }
        }
        // Advance one whole char.
        i += s[i..].chars().next().map(char::len_utf8).unwrap_or(1);
    }
    out
}

fn word_at<'a>(toks: &[(usize, Tok<'a>)], i: usize) -> Option<&'a str> {
    match toks.get(i) {
        Some((_, Tok::Word(w))) => Some(w),
        _ => None,
    }
}

fn lower(w: &str) -> String {
    w.to_ascii_lowercase()
}

fn looks_participle(w: &str) -> bool {
    let l = lower(w);
    (l.len() >= 4 && (l.ends_with("ed") || l.ends_with("en")))
        || IRREGULAR_PAST.contains(&l.as_str())
        || l == "been"
}

/// The tense cue carried by word `i`, looking at its neighbours.
fn classify(toks: &[(usize, Tok<'_>)], i: usize) -> Option<Tense> {
    let w = word_at(toks, i)?;
    let l = lower(w);
    let prev = if i > 0 {
        word_at(toks, i - 1).map(lower)
    } else {
        None
    };
    let next = word_at(toks, i + 1).map(lower);
    let next2 = word_at(toks, i + 2).map(lower);
    if l.ends_with("'ll") {
        return Some(Tense::Future);
    }
    if FUTURE.contains(&l.as_str()) {
        return Some(Tense::Future);
    }
    // "may" the modal, never "May" the month.
    if w == "may" {
        return Some(Tense::Future);
    }
    if l == "to" {
        return match prev {
            Some(p) if TO_FUTURE.contains(&p.as_str()) => Some(Tense::Future),
            _ => None,
        };
    }
    if matches!(l.as_str(), "is" | "are" | "am" | "was" | "were") {
        let n = next.as_deref().unwrap_or("");
        if n == "to"
            || (TO_FUTURE.contains(&n) && next2.as_deref() == Some("to"))
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
    if matches!(l.as_str(), "has" | "have" | "had") {
        let participle = next.as_deref().is_some_and(looks_participle)
            || next2
                .as_deref()
                .is_some_and(|n| n == "been" || looks_participle(n));
        return Some(if participle || l == "had" {
            Tense::Past
        } else {
            Tense::Present
        });
    }
    if IRREGULAR_PAST.contains(&l.as_str()) {
        return Some(Tense::Past);
    }
    let first_lower = w.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    if first_lower && l.len() >= 5 && l.ends_with("ed") && !ED_NOT_PAST.contains(&l.as_str()) {
        // A passive after "is/are" is present, after "will be" future.
        return match prev.as_deref() {
            Some("is" | "are" | "am") => Some(Tense::Present),
            Some("be") => Some(Tense::Future),
            _ => Some(Tense::Past),
        };
    }
    if SCHEDULED.contains(&l.as_str()) {
        return Some(Tense::Future);
    }
    if PRESENT.contains(&l.as_str()) {
        return Some(Tense::Present);
    }
    None
}

/// The tense for a time expression at `tx_start..tx_end` (offsets into
/// `sentence`), and the preposition right before it, if any.
pub fn tense_around(sentence: &str, tx_start: usize, tx_end: usize) -> Tense {
    let toks = tokens(sentence);
    let first_after = toks.partition_point(|(p, _)| *p < tx_end);
    let last_before = toks.partition_point(|(p, _)| *p < tx_start);

    // The word right before the expression: "until Sunday", "by noon".
    let prep = last_before
        .checked_sub(1)
        .and_then(|k| word_at(&toks, k))
        .map(lower)
        .filter(|p| p != "on")
        .or_else(|| {
            // Skip one "on": "by noon on Tuesday" is caught by the merged span anyway.
            last_before
                .checked_sub(2)
                .and_then(|k| word_at(&toks, k))
                .map(lower)
        });

    let mut left = None;
    for k in (0..last_before).rev() {
        match toks[k].1 {
            Tok::Word(_) => {
                if let Some(t) = classify(&toks, k) {
                    left = Some(t);
                    break;
                }
            }
            Tok::Comma | Tok::Strong => break,
        }
    }
    if let Some(p) = prep.as_deref() {
        if matches!(p, "until" | "till" | "by") && left != Some(Tense::Past) {
            return Tense::Future;
        }
        if p == "since" {
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
        match toks[k].1 {
            Tok::Word(_) => {
                if let Some(t) = classify(&toks, k) {
                    return t;
                }
                seen_word = true;
            }
            Tok::Comma if !seen_word => {}
            Tok::Comma | Tok::Strong => break,
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
