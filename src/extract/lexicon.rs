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
    // words have no hyphen where either prefix ends and skip both tests
    // (a test that is rarely true costs no mispredicted branch, unlike one
    // on the first letter).
    if (l.get(4) == Some(&b'-')) | (l.get(2) == Some(&b'-')) {
        for prefix in [&b"then-"[..], b"ex-"] {
            if starts_with_ci(l, prefix) && l.len() > prefix.len() {
                l = &l[prefix.len()..];
            }
        }
    }
    let mut c = sets().class.get_ascii_lower(l).copied().unwrap_or(0);
    // The last two letters first, folded to lower case: rarely "ct" or "er".
    let last2 = match l {
        [.., a, b] => [a | 0x20, b | 0x20],
        _ => [0, 0],
    };
    if last2 == *b"ct" && ends_with_ci(l, b"-elect") {
        c |= HEAD | STRONG;
    } else if last2 == *b"er" && ends_with_ci(l, b"minister") {
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
    title_word_of(w, class(w))
}

pub fn is_org_word(w: &str) -> bool {
    org_word_of(w, class(w))
}

// The answers that are more than a flag, from the word and its flags
// (`class`): the question's own function and `WordClass::of` both ask
// these, so each exception is written once.

/// A title word. "UN" and "U.N." qualify a title ("UN envoy"); "Un" in
/// title case is a name ("Kim Jong Un"), which must not end at it.
fn title_word_of(w: &str, c: u8) -> bool {
    c & (HEAD | MODIFIER) != 0 && w != "Un"
}

/// An organisation word. "Un" and "who" count only in capitals (U.N.,
/// WHO), not as English words.
fn org_word_of(w: &str, c: u8) -> bool {
    c & ORG != 0 && !matches!(w, "who" | "Who" | "un" | "Un" | "au" | "Au" | "fed" | "Fed")
}

/// A name particle. Particles are matched as written: "von", not "Von".
fn name_particle_of(w: &str, c: u8) -> bool {
    c & PARTICLE != 0 && w.chars().next().is_some_and(char::is_lowercase)
}

/// What a name word must not be: a title word, an organisation word or a
/// common capitalised word. Tokens ask `WordClass::title_org_or_common`;
/// this plain form is what its test holds it to.
#[cfg(test)]
fn is_title_org_or_common(w: &str) -> bool {
    is_title_word(w) || is_org_word(w) || is_common_capitalized(w)
}

/// What a word inside a name must not be: `is_title_org_or_common`, or a
/// verb a title-case headline puts right after a name (a speech verb or
/// one of `headline_verbs.txt`: "Jane Doe Says"). The reference for
/// `WordClass::title_org_common_or_headline_verb`, as above.
#[cfg(test)]
fn is_title_org_common_or_headline_verb(w: &str) -> bool {
    is_title_org_or_common(w) || class(w) & (SPEECH | HEADLINE) != 0
}

/// The answers to the questions the rules ask about one word, worked out
/// together from one look-up. A token keeps its answers
/// (`tokens::Token::class`): the officials' tests ask about the same
/// capitalised token several times over, and each question alone would
/// look the word up again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WordClass(u16);

impl WordClass {
    const TITLE_HEAD: u16 = 1;
    const STRONG_TITLE: u16 = 1 << 1;
    const TITLE_WORD: u16 = 1 << 2;
    const ORG_WORD: u16 = 1 << 3;
    const COMMON_CAPITALIZED: u16 = 1 << 4;
    const SPEECH_VERB: u16 = 1 << 5;
    const HEADLINE_VERB: u16 = 1 << 6;
    const NAME_PARTICLE: u16 = 1 << 7;

    /// The answers for `w`: the same as each question's own function.
    pub fn of(w: &str) -> WordClass {
        let c = class(w);
        if c == 0 {
            // Most words: every answer is no.
            return WordClass(0);
        }
        let mut bits = 0;
        let mut set = |yes: bool, bit: u16| {
            if yes {
                bits |= bit;
            }
        };
        set(c & HEAD != 0, Self::TITLE_HEAD);
        set(c & STRONG != 0, Self::STRONG_TITLE);
        set(title_word_of(w, c), Self::TITLE_WORD);
        set(org_word_of(w, c), Self::ORG_WORD);
        // Every common word has the flag (`tests::common_words_are_flagged`),
        // so a word without it is none.
        set(
            c & COMMON != 0 && is_common_capitalized(w),
            Self::COMMON_CAPITALIZED,
        );
        set(c & SPEECH != 0, Self::SPEECH_VERB);
        set(c & (SPEECH | HEADLINE) != 0, Self::HEADLINE_VERB);
        set(name_particle_of(w, c), Self::NAME_PARTICLE);
        WordClass(bits)
    }

    /// Packs the answers for a cache that keeps 0 for "not asked yet".
    pub(super) fn to_cache(self) -> u16 {
        self.0 | 1 << 15
    }

    /// The answers a `to_cache` value holds, or `None` for 0.
    pub(super) fn from_cache(v: u16) -> Option<WordClass> {
        (v != 0).then_some(WordClass(v & !(1 << 15)))
    }

    fn has(self, bit: u16) -> bool {
        self.0 & bit != 0
    }

    /// `is_title_head`.
    pub fn title_head(self) -> bool {
        self.has(Self::TITLE_HEAD)
    }

    /// `is_strong_title`.
    pub fn strong_title(self) -> bool {
        self.has(Self::STRONG_TITLE)
    }

    /// `is_title_word`.
    pub fn title_word(self) -> bool {
        self.has(Self::TITLE_WORD)
    }

    /// `is_org_word`.
    pub fn org_word(self) -> bool {
        self.has(Self::ORG_WORD)
    }

    /// `is_common_capitalized`.
    pub fn common_capitalized(self) -> bool {
        self.has(Self::COMMON_CAPITALIZED)
    }

    /// `is_speech_verb`.
    pub fn speech_verb(self) -> bool {
        self.has(Self::SPEECH_VERB)
    }

    /// `is_name_particle`.
    pub fn name_particle(self) -> bool {
        self.has(Self::NAME_PARTICLE)
    }

    /// `is_title_org_or_common`.
    pub fn title_org_or_common(self) -> bool {
        self.has(Self::TITLE_WORD | Self::ORG_WORD | Self::COMMON_CAPITALIZED)
    }

    /// `is_title_org_common_or_headline_verb`.
    pub fn title_org_common_or_headline_verb(self) -> bool {
        self.has(Self::TITLE_WORD | Self::ORG_WORD | Self::COMMON_CAPITALIZED | Self::HEADLINE_VERB)
    }
}

pub fn is_name_particle(w: &str) -> bool {
    name_particle_of(w, class(w))
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
    fn common_words_are_flagged() {
        for w in entries(COMMON_CAPITALIZED) {
            assert!(class(w) & COMMON != 0, "{w}");
        }
    }

    /// Each answer of `WordClass::of` is what the question's own function
    /// says, for every listed word in several cases and words near them:
    /// the bits, the combined questions, the shortcut for words with no
    /// flag and the common-word test from the flag, and the cache's packing.
    #[test]
    fn word_class_agrees_with_each_question() {
        let lists = [
            TITLE_HEADS,
            STRONG_TITLES,
            TITLE_MODIFIERS,
            ORG_WORDS,
            NAME_PARTICLES,
            COMMON_CAPITALIZED,
            SPEECH_VERBS,
            HEADLINE_VERBS,
        ];
        let mut words: Vec<String> = [
            "Un",
            "UN",
            "who",
            "WHO",
            "Fed",
            "then-Attorney",
            "ex-President",
            "President-elect",
            "minister",
            "Ministers",
            "von",
            "Von",
            "al-Assad",
            "",
            "x",
            "Said",
        ]
        .iter()
        .map(|w| w.to_string())
        .collect();
        for w in lists.iter().flat_map(|l| entries(l)) {
            let mut cap = w.to_string();
            if let Some(f) = cap.get_mut(..1) {
                f.make_ascii_uppercase();
            }
            words.extend([
                w.to_string(),
                w.to_uppercase(),
                w.to_lowercase(),
                cap,
                format!("then-{w}"),
                format!("{w}s"),
            ]);
        }
        for w in &words {
            let c = WordClass::of(w);
            assert_eq!(c.title_head(), is_title_head(w), "{w}");
            assert_eq!(c.strong_title(), is_strong_title(w), "{w}");
            assert_eq!(c.title_word(), is_title_word(w), "{w}");
            assert_eq!(c.org_word(), is_org_word(w), "{w}");
            assert_eq!(c.common_capitalized(), is_common_capitalized(w), "{w}");
            assert_eq!(c.speech_verb(), is_speech_verb(w), "{w}");
            assert_eq!(c.name_particle(), is_name_particle(w), "{w}");
            assert_eq!(c.title_org_or_common(), is_title_org_or_common(w), "{w}");
            assert_eq!(
                c.title_org_common_or_headline_verb(),
                is_title_org_common_or_headline_verb(w),
                "{w}"
            );
            assert_eq!(WordClass::from_cache(c.to_cache()), Some(c));
        }
        assert_eq!(WordClass::from_cache(0), None);
    }

    #[test]
    fn words() {
        assert!(is_title_head("Minister") && is_title_head("President-elect"));
        assert!(is_title_word("Foreign") && !is_title_head("Foreign"));
        assert!(is_org_word("WHO") && !is_org_word("who"));
        assert!(is_speech_verb("Said") && !is_speech_verb("walked"));
        // The exceptions to the lists.
        assert!(is_title_word("UN") && !is_title_word("Un"));
        assert!(is_name_particle("von") && !is_name_particle("Von"));
    }
}
