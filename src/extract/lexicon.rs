//! Small closed word lists the rules share: titles, organisations, speech
//! verbs, name particles. General English and news vocabulary only; the
//! lists themselves are data in `assets/words/`.

// The lists live in `assets/words/`, one entry a line, so that each is kept
// in one place and can be read and extended without touching the rules.
const TITLE_HEADS: &str = include_str!("../../assets/words/title_heads.txt");
const STRONG_TITLES: &str = include_str!("../../assets/words/title_strong.txt");
const TITLE_MODIFIERS: &str = include_str!("../../assets/words/title_modifiers.txt");
const ORG_WORDS: &str = include_str!("../../assets/words/org_words.txt");
const NAME_PARTICLES: &str = include_str!("../../assets/words/name_particles.txt");
const COMMON_CAPITALIZED: &str = include_str!("../../assets/words/common_capitalized.txt");
const SPEECH_VERBS: &str = include_str!("../../assets/words/speech_verbs.txt");
const HEADLINE_VERBS: &str = include_str!("../../assets/words/headline_verbs.txt");

/// The entries of a word-list asset: one a line, trimmed, blank lines and
/// `#` comments skipped.
pub fn entries(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
}

use std::sync::OnceLock;

/// Calls `f` with `w` in lower case, without allocating for the short
/// ASCII words these lists hold.
pub fn with_lower<R>(w: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 40];
    if w.len() <= buf.len() && w.is_ascii() {
        for (b, c) in buf.iter_mut().zip(w.bytes()) {
            *b = c.to_ascii_lowercase();
        }
        // ASCII in, ASCII out: always valid UTF-8.
        if let Ok(l) = std::str::from_utf8(&buf[..w.len()]) {
            return f(l);
        }
    }
    f(&w.to_lowercase())
}

/// `with_lower` for look-ups that want bytes: the same lower case, with no
/// UTF-8 check of the folded copy (these run for most tokens).
pub fn with_lower_bytes<R>(w: &str, f: impl FnOnce(&[u8]) -> R) -> R {
    let mut buf = [0u8; 40];
    if w.len() <= buf.len() && w.is_ascii() {
        let l = &mut buf[..w.len()];
        l.copy_from_slice(w.as_bytes());
        l.make_ascii_lowercase();
        return f(l);
    }
    f(w.to_lowercase().as_bytes())
}

/// What a word can be, as bit flags, so one hash lookup answers every
/// question the rules ask about it.
const HEAD: u8 = 1;
const STRONG: u8 = 2;
const MODIFIER: u8 = 4;
const ORG: u8 = 8;
const PARTICLE: u8 = 16;
const SPEECH: u8 = 32;
/// Some case of the word is in COMMON_CAPITALIZED (which is case-sensitive:
/// the flag only says an exact look-up is worth making).
const COMMON: u8 = 64;
/// A verb a title-case headline puts right after a name ("Jane Doe Says",
/// "Tells Trump"), besides the speech verbs.
const HEADLINE: u8 = 128;

struct Sets {
    /// Lower-case word -> flags.
    class: super::wordset::WordMap<u8>,
    /// Case-sensitive: "The", "Monday". A word map rather than a hash set
    /// of strings: its packed keys make the look-up cheaper.
    common: super::wordset::WordMap<()>,
}

fn sets() -> &'static Sets {
    static S: OnceLock<Sets> = OnceLock::new();
    S.get_or_init(|| {
        let mut class: super::wordset::WordMap<u8> = Default::default();
        for (list, flag) in [
            (TITLE_HEADS, HEAD),
            (STRONG_TITLES, STRONG),
            (TITLE_MODIFIERS, MODIFIER),
            (ORG_WORDS, ORG),
            (NAME_PARTICLES, PARTICLE),
            (SPEECH_VERBS, SPEECH),
            (HEADLINE_VERBS, HEADLINE),
        ] {
            for w in entries(list) {
                *class.entry_or_insert_with(w.to_ascii_lowercase().as_bytes(), || 0) |= flag;
            }
        }
        for w in entries(COMMON_CAPITALIZED) {
            *class.entry_or_insert_with(w.to_ascii_lowercase().as_bytes(), || 0) |= COMMON;
        }
        let mut common: super::wordset::WordMap<()> = Default::default();
        for w in entries(COMMON_CAPITALIZED) {
            common.insert(w.as_bytes(), ());
        }
        Sets { class, common }
    })
}

/// The flags of a word (any case). Every listed word is short ASCII, so a
/// longer or non-ASCII word is looked up only for its suffix.
fn class(w: &str) -> u8 {
    let b = w.as_bytes();
    if b.len() > 32 {
        return 0;
    }
    // Compared without a lower-case copy: the map folds the case itself
    // and asks its filter first, which turns down most words.
    let mut l = b;
    // "then-Attorney", "ex-President": the word after the prefix. Most
    // words start with neither letter and skip both tests.
    if matches!(l.first(), Some(b't' | b'T' | b'e' | b'E')) {
        for prefix in [&b"then-"[..], b"ex-"] {
            if starts_with_ci(l, prefix) && l.len() > prefix.len() {
                l = &l[prefix.len()..];
            }
        }
    }
    let mut c = sets().class.get_ascii_lower(l).copied().unwrap_or(0);
    if ends_with_ci(l, b"-elect") {
        c |= HEAD | STRONG;
    } else if ends_with_ci(l, b"minister") {
        c |= HEAD;
    }
    c
}

fn starts_with_ci(w: &[u8], prefix: &[u8]) -> bool {
    w.len() >= prefix.len() && w[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn ends_with_ci(w: &[u8], suffix: &[u8]) -> bool {
    w.len() >= suffix.len() && w[w.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

pub fn is_title_head(w: &str) -> bool {
    class(w) & HEAD != 0
}

pub fn is_strong_title(w: &str) -> bool {
    class(w) & STRONG != 0
}

pub fn is_title_word(w: &str) -> bool {
    class(w) & (HEAD | MODIFIER) != 0 && !is_name_lookalike_of_title(w)
}

/// "UN" and "U.N." qualify a title ("UN envoy"); "Un" in title case is a
/// name ("Kim Jong Un"), which must not end at it.
fn is_name_lookalike_of_title(w: &str) -> bool {
    w == "Un"
}

pub fn is_org_word(w: &str) -> bool {
    class(w) & ORG != 0 && !is_lower_case_org_lookalike(w)
}

/// "Un" and "who" count only in capitals (U.N., WHO), not as English words.
fn is_lower_case_org_lookalike(w: &str) -> bool {
    matches!(w, "who" | "Who" | "un" | "Un" | "au" | "Au" | "fed" | "Fed")
}

/// `is_title_word(w) || is_org_word(w) || is_common_capitalized(w)` with
/// one hash lookup for most words: what a name word must not be.
pub fn is_title_org_or_common(w: &str) -> bool {
    let c = class(w);
    (c & (HEAD | MODIFIER) != 0 && !is_name_lookalike_of_title(w))
        || (c & ORG != 0 && !is_lower_case_org_lookalike(w))
        || (c & COMMON != 0 && is_common_capitalized(w))
}

/// For a capitalised word: `is_title_org_or_common(w)`, or a verb a
/// title-case headline puts right after a name (a speech verb or one of
/// `headline_verbs.txt`: "Jane Doe Says"), with one look-up. What a word
/// inside a name must not be.
pub fn is_title_org_common_or_headline_verb(w: &str) -> bool {
    let c = class(w);
    (c & (HEAD | MODIFIER) != 0 && !is_name_lookalike_of_title(w))
        || (c & ORG != 0 && !is_lower_case_org_lookalike(w))
        || (c & COMMON != 0 && is_common_capitalized(w))
        || c & (SPEECH | HEADLINE) != 0
}

pub fn is_name_particle(w: &str) -> bool {
    // Particles are matched as written: "von", not "Von".
    w.chars().next().is_some_and(char::is_lowercase) && class(w) & PARTICLE != 0
}

pub fn is_common_capitalized(w: &str) -> bool {
    sets().common.contains(w.as_bytes())
}

pub fn is_speech_verb(w: &str) -> bool {
    class(w) & SPEECH != 0
}

/// A gender implied by a title, for pronoun linking.
pub fn title_gender(title: &str) -> Option<super::officials::Gender> {
    use super::officials::Gender;
    let last = title.split_whitespace().last().unwrap_or("");
    with_lower(last, |last| match last {
        "queen" | "princess" | "empress" | "spokeswoman" | "chairwoman" | "congresswoman" => {
            Some(Gender::Female)
        }
        "king" | "prince" | "emperor" | "spokesman" | "chairman" | "congressman" | "sultan"
        | "emir" | "pope" | "ayatollah" => Some(Gender::Male),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert!(is_title_head("Minister") && is_title_head("President-elect"));
        assert!(is_title_word("Foreign") && !is_title_head("Foreign"));
        assert!(is_org_word("WHO") && !is_org_word("who"));
        assert!(is_speech_verb("Said") && !is_speech_verb("walked"));
    }
}
