//! Page furniture: the lines a saved web page or a newscast transcript
//! carries around the story (menus, share buttons, "Breaking News",
//! repeated photo captions, the agency's description of itself, bylines,
//! newscast sign-offs). These are general rules about how news pages are
//! built, not about any one page.
//!
//! Bylines and agency self-descriptions are dropped from the text but
//! their information is kept (authors, source).

use std::sync::LazyLock;

use regex::Regex;
use rustc_hash::FxHashSet;

use crate::extract::swar;

use super::agency;

/// The furniture phrases of `assets/furniture.txt`, by section.
const PHRASES: &str = include_str!("../../assets/furniture.txt");

/// What a phrase of the `contains` sections marks (bits of a mask).
const SIGNUP: u8 = 1;
const SIGNUP_OBJECT: u8 = 2;
const CAPTION_POSITION: u8 = 4;
const READER: u8 = 8;

/// The phrase lists, built once.
struct Phrases {
    /// Whole lines (keys) that are furniture.
    lines: FxHashSet<&'static str>,
    /// Line openings, by the first byte of the phrase.
    prefixes: Vec<Vec<&'static str>>,
    /// One automaton over the phrases looked for anywhere in a short line,
    /// with what each marks.
    contains: aho_corasick::AhoCorasick,
    marks_of: Vec<u8>,
    /// The `[signup]` phrases alone: a plain search for them passes most
    /// lines over before the overlapping search of all the phrases.
    signup: aho_corasick::AhoCorasick,
    /// Words every licence's head holds one of (searched in a lower-cased
    /// copy): the full test runs only on heads that have one.
    licence_gate: [memchr::memmem::Finder<'static>; 4],
    briefing: Vec<&'static str>,
    caption_credit: Vec<&'static str>,
    transcript_marks: FxHashSet<&'static str>,
    not_article: Vec<&'static str>,
}

/// The phrases of one `[section]` of the data file.
fn section(name: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in PHRASES.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(s) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = s == name;
            continue;
        }
        if inside {
            out.push(line.trim());
        }
    }
    out
}

static PHRASE_LISTS: LazyLock<Phrases> = LazyLock::new(|| {
    let mut prefixes = vec![Vec::new(); 256];
    for p in section("prefixes") {
        prefixes[usize::from(p.as_bytes()[0])].push(p);
    }
    let mut patterns: Vec<&'static str> = Vec::new();
    let mut marks_of: Vec<u8> = Vec::new();
    for (name, bit) in [
        ("signup", SIGNUP),
        ("signup-object", SIGNUP_OBJECT),
        ("caption-position", CAPTION_POSITION),
        ("signup-reader", READER),
    ] {
        for p in section(name) {
            match patterns.iter().position(|q| *q == p) {
                Some(i) => marks_of[i] |= bit,
                None => {
                    patterns.push(p);
                    marks_of.push(bit);
                }
            }
        }
    }
    let contains = aho_corasick::AhoCorasick::new(&patterns).unwrap_or_else(|_| unreachable!());
    let signup =
        aho_corasick::AhoCorasick::new(section("signup")).unwrap_or_else(|_| unreachable!());
    let licence_gate = [
        memchr::memmem::Finder::new("licen"),
        memchr::memmem::Finder::new("warrant"),
        memchr::memmem::Finder::new("permission"),
        memchr::memmem::Finder::new("redistribution"),
    ];
    Phrases {
        lines: section("lines").into_iter().collect(),
        prefixes,
        contains,
        marks_of,
        signup,
        licence_gate,
        briefing: section("briefing"),
        caption_credit: section("caption-credit"),
        transcript_marks: section("transcript-marks").into_iter().collect(),
        not_article: section("not-article"),
    }
});

static RE_IMAGE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    super::regex(
        r"(?i)^(?:\d+x\d+\s+)?(?:image|photo|picture|video|graphic|gallery|slideshow)s?(?:\s+\d+(?:\s+of\s+\d+)?)?$",
    )
});
static RE_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    super::regex(
        r"(?i)^(?:file\s+)?(?:photo|image|picture|video|credit|photograph|source|caption)s?\s*(?:credit)?\s*:\s*\S.{0,80}$",
    )
});
static RE_COPYRIGHT: LazyLock<Regex> =
    LazyLock::new(|| super::regex(r"(?i)^(?:copyright\b|©|\(c\)\s*\d{4})|all rights reserved"));
static RE_READ_TIME: LazyLock<Regex> = LazyLock::new(|| {
    super::regex(
        r"(?i)^(?:\d+\s*(?:min|mins|minutes?)\s*(?:read|reading time)|reading time:?\s*\d+\s*min\w*|updated\s*$|\d+\s+comments?)$",
    )
});
static RE_NEWSCAST: LazyLock<Regex> = LazyLock::new(|| {
    super::regex(
        r"(?i)^(?:this is [\w ]{0,24}\bnews\b|you can find more on (?:these|this|that) stor|for more (?:news|on (?:these|this|that) stor)|you(?:'re| are) listening to\b|i'm [\p{L} .'-]{2,40}, [\w ]{0,20}\bnews\b)",
    )
});
/// "From Washington, this is VOA news." anywhere in a short paragraph:
/// the outlet's name must be capitalised, so "this is fake news" is not it.
static RE_SIGN_OFF: LazyLock<Regex> = LazyLock::new(|| {
    super::regex(r"(?:^|[.!?]\s+|,\s*)(?i:this is)\s+(?:[\p{Lu}][\w'’]*\s+){1,3}(?i:news)\b")
});
static RE_EDITORIAL_NOTE: LazyLock<Regex> = LazyLock::new(|| super::regex(r"^\[[^\[\]]{1,120}\]$"));
static RE_AGENCY_BLURB: LazyLock<Regex> = LazyLock::new(|| {
    super::regex(
        r"^(?:About\s+)?(?:The\s+)?([\p{Lu}][\p{L}&.'’ -]{1,40}?)\s+(?:is|was|has been)\s+(?:a|an|the)\b[^.]{0,80}?\b(?:news agency|wire service|news service|news organi[sz]ation|broadcaster|media company|media organi[sz]ation|publisher|multimedia news|world's largest|largest (?:international )?(?:news|multimedia))",
    )
});
static RE_ABOUT_HEADING: LazyLock<Regex> =
    LazyLock::new(|| super::regex(r"^About (?:the\s+)?([\p{Lu}][\p{L}&.' -]{1,40})$"));
static RE_BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    super::regex(
        r"^(?i:by)\s+([\p{Lu}][\p{L}.'’-]*(?:\s+[\p{Lu}][\p{L}.'’-]*){0,3}(?:\s*(?:,|\band\b|&)\s*[\p{Lu}][\p{L}.'’-]*(?:\s+[\p{Lu}][\p{L}.'’-]*){0,3})*)\s*(?:[,|/–—-]\s*(.{1,60}))?$",
    )
});
static RE_CREDITS_LINE: LazyLock<Regex> = LazyLock::new(|| {
    super::regex(r"(?i)^\(?(?:additional )?(?:reporting|writing|editing) by\b.{0,300}$")
});

const WEEKDAY_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "tomorrow",
    "yesterday",
];

/// Searchers for the words looked for in nearly every line, built once:
/// `str::contains` prepares its search again on every call.
struct Finders {
    ght: memchr::memmem::Finder<'static>,
    cookie: memchr::memmem::Finder<'static>,
    this_is: memchr::memmem::Finder<'static>,
}

static FIND: LazyLock<Finders> = LazyLock::new(|| Finders {
    ght: memchr::memmem::Finder::new("ght"),
    cookie: memchr::memmem::Finder::new("cookie"),
    this_is: memchr::memmem::Finder::new("this is"),
});

/// True when `f` finds its word in `s`.
fn has(f: &memchr::memmem::Finder<'_>, s: &str) -> bool {
    f.find(s.as_bytes()).is_some()
}

/// What cleaning found out besides the paragraphs themselves. The
/// paragraphs kept are owned strings, or slices of one buffer for readers
/// that build all paragraphs in one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cleaned<P = String> {
    pub paragraphs: Vec<P>,
    /// An agency named by a self-description or a credits line.
    pub agency: Option<String>,
    pub authors: Vec<String>,
}

/// The comparison key of a line: lower case, bullets and trailing
/// punctuation gone.
fn line_key(p: &str, key: &mut String) {
    // Leading bullets, bars and dashes.
    let p = p.trim_start_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '•' | '·'
                    | '*'
                    | '▪'
                    | '►'
                    | '▶'
                    | '◦'
                    | '|'
                    | '>'
                    | '»'
                    | '«'
                    | '–'
                    | '—'
                    | '-'
            )
    });
    let core = p
        .trim()
        .trim_end_matches([':', '.', '…', '|', '>', '»'])
        .trim();
    key.clear();
    // ASCII (most lines) lower-cases byte for byte, without decoding chars.
    if core.is_ascii() {
        key.push_str(core);
        key.make_ascii_lowercase();
    } else {
        // Not char by char: a final capital sigma lower-cases to 'ς'.
        key.push_str(&core.to_lowercase());
    }
}

/// True for a paragraph that is page furniture on its own.
pub fn is_furniture(p: &str) -> bool {
    is_furniture_with(p, &mut String::new())
}

/// `is_furniture`, with a buffer for the line's key that the caller may
/// reuse from one paragraph to the next.
fn is_furniture_with(p: &str, key: &mut String) -> bool {
    let t = p.trim();
    // Furniture is short: a long paragraph is story text. Checking length
    // first keeps the regexes below off the body paragraphs.
    if t.len() > 600 {
        return false;
    }
    if t.starts_with('[') && t.ends_with(']') && RE_EDITORIAL_NOTE.is_match(t) {
        return true;
    }
    line_key(p, key);
    let key = key.as_str();
    if key.is_empty() {
        // Only bullets, bars or punctuation.
        return true;
    }
    let phrases = &*PHRASE_LISTS;
    if key.len() <= 40 && phrases.lines.contains(key) {
        return true;
    }
    if key.len() <= 500 && short_furniture(phrases, t, key) {
        return true;
    }
    // Each pattern below is anchored at the start of the key, and its
    // first char can only be one of a few: a key opening with any other
    // (ASCII) byte cannot match, which passes most lines over before any
    // search. Non-ASCII first bytes always go on to the full test.
    let first = key.as_bytes()[0];
    let may = |set: &[u8]| first >= 0x80 || set.contains(&first);
    if key.len() <= 40 && may(b"0123456789ipvgs") && RE_IMAGE_LABEL.is_match(key) {
        return true;
    }
    if p.len() <= 200 {
        let credit = || may(b"fpivcs") && key.contains(':') && RE_CREDIT.is_match(key);
        // "right" and "min" stand for the words that hold them, so that
        // most lines are passed over with one search instead of three.
        // The copyright pattern needs its anchored start or "all rights
        // reserved", whose "ght" has no other case forms.
        let copyright = || {
            (may(b"c(") || has(&FIND.ght, key))
                && ((key.contains("right")
                    && (key.contains("copyright") || key.contains("rights reserved")))
                    || key.contains('©')
                    || key.contains("(c)"))
                && RE_COPYRIGHT.is_match(key)
        };
        let read_time = || {
            may(b"0123456789ru")
                && ((key.contains("min")
                    && (key.contains("min read")
                        || key.contains("mins")
                        || key.contains("minute")))
                    || key.contains("reading time")
                    || key.ends_with("updated")
                    || key.contains("comment"))
                && RE_READ_TIME.is_match(key)
        };
        if credit() || copyright() || read_time() {
            return true;
        }
    }
    if has(&FIND.cookie, key)
        && ["we use", "accept", "consent", "privacy", "browsing"]
            .iter()
            .any(|w| key.contains(w))
    {
        return true;
    }
    if p.len() > 400 {
        return false;
    }
    let newscast_start = ["this is", "you", "for more", "i'm", "i\u{2019}m"]
        .iter()
        .any(|w| key.starts_with(w));
    if newscast_start && may_be_newscast(t) && RE_NEWSCAST.is_match(t) {
        return true;
    }
    has(&FIND.this_is, key) && key.contains("news") && RE_SIGN_OFF.is_match(t)
}

/// Whether `t` holds a word every line of `RE_NEWSCAST` must: "news",
/// "stor(y)" or "listening", in any case. Compiling that pattern is the
/// costliest thing a one-article run does, so it is left for the lines that
/// can match. The words are searched without their "s": under the
/// pattern's case folding the long s "ſ" is an "s" too.
fn may_be_newscast(t: &str) -> bool {
    let head = &t.as_bytes()[..t.len().min(400)];
    let mut lower = [0u8; 400];
    let lower = &mut lower[..head.len()];
    lower.copy_from_slice(head);
    lower.make_ascii_lowercase();
    [&b"new"[..], b"tor", b"tening"]
        .iter()
        .any(|w| lower.windows(w.len()).any(|x| x == *w))
}

/// The rules of the data file's phrase sections for a short paragraph `t`
/// with its key (lower case, bullets and trailing punctuation gone).
fn short_furniture(phrases: &Phrases, t: &str, key: &str) -> bool {
    let first = key.as_bytes()[0];
    if key.len() <= 300
        && phrases.prefixes[usize::from(first)]
            .iter()
            .any(|p| key.starts_with(p))
    {
        return true;
    }
    // "Your Monday Briefing", "Morning briefing".
    if key.len() <= 80 {
        let words = key.split_whitespace().count();
        let ends = phrases.briefing.iter().any(|b| key.ends_with(b));
        if ends && (key.starts_with("your ") || words <= 2) {
            return true;
        }
    }
    // A sign-up box is a call, not a sentence: it does not end like one
    // (those that do open with "Sign up for", a prefix above). This keeps
    // the phrase searches off the body paragraphs.
    if key.len() > 300
        || t.ends_with(['.', '!', '?', '"', '”', '’', '\'', ')'])
        || !phrases.signup.is_match(key)
    {
        return false;
    }
    let marks = phrase_marks(phrases, key);
    // A sign-up box offers something to the reader: "Get our Daily Edition
    // by email", "Sign up to our newsletter".
    let box_marks = SIGNUP | SIGNUP_OBJECT | READER;
    marks & box_marks == box_marks
}

/// What the phrases of the `contains` sections found in `key` mark.
fn phrase_marks(phrases: &Phrases, key: &str) -> u8 {
    let mut marks = 0u8;
    let kb = key.as_bytes();
    let alnum = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    for m in phrases.contains.find_overlapping_iter(key) {
        // Phrases are whole words: "our" is not in "hour", "free" not in
        // "freedom". An edge that is punctuation ("(left)") needs nothing.
        let word_start = alnum(kb.get(m.start()));
        let word_end = alnum(kb.get(m.end() - 1));
        if (word_start && m.start() > 0 && alnum(kb.get(m.start() - 1)))
            || (word_end && alnum(kb.get(m.end())))
        {
            continue;
        }
        marks |= phrases.marks_of[m.pattern().as_usize()];
    }
    marks
}

/// True for a photo caption: it closes with a parenthesised credit ("(AP
/// Photo/Jane Roe)") or says who stands where ("Jane Roe, left, greets John
/// Doe") without quoting anyone. Captions of the story's own pictures are
/// article text (a reader reads them; the gold annotates their times and
/// places), so the source layer keeps them; this tells the event layer
/// that a sentence is one.
pub fn is_caption(t: &str) -> bool {
    let t = t.trim();
    if t.len() > 500 {
        return false;
    }
    let phrases = &*PHRASE_LISTS;
    if t.ends_with(')') {
        if let Some(open) = t.rfind('(') {
            let credit = t[open..].to_lowercase();
            if phrases.caption_credit.iter().any(|c| credit.contains(c)) {
                return true;
            }
        }
    }
    if t.contains(['"', '“', '”']) {
        return false;
    }
    let key = t.to_lowercase();
    phrase_marks(phrases, &key) & CAPTION_POSITION != 0
}

/// True when the head of a text file shows it is a software licence or a
/// similar notice rather than an article.
pub fn is_not_article(text: &str) -> bool {
    // A licence names itself, or what it permits, in its first lines.
    let opening = &text.as_bytes()[..text.len().min(512)];
    let mut lower = [0u8; 512];
    let lower = &mut lower[..opening.len()];
    lower.copy_from_slice(opening);
    lower.make_ascii_lowercase();
    if !PHRASE_LISTS
        .licence_gate
        .iter()
        .any(|f| f.find(lower).is_some())
    {
        return false;
    }
    let head = &text[..super::floor_char_boundary(text, 2048)];
    let head = head.to_lowercase();
    let head = super::normalize_ws(&head);
    PHRASE_LISTS.not_article.iter().any(|p| head.contains(p))
}

/// Removes transcript marks ("[inaudible]", "(crosstalk)") from inside a
/// paragraph, with the space before them. `None` when there is none.
pub fn strip_marks(p: &str) -> Option<String> {
    let b = p.as_bytes();
    memchr::memchr2(b'[', b'(', b)?;
    let marks = &PHRASE_LISTS.transcript_marks;
    let mut out = String::new();
    let mut from = 0;
    for open in memchr::memchr2_iter(b'[', b'(', b) {
        if open < from {
            continue;
        }
        let close = if b[open] == b'[' { b']' } else { b')' };
        let Some(len) = b[open + 1..].iter().take(24).position(|&c| c == close) else {
            continue;
        };
        let inner = p[open + 1..open + 1 + len].trim().to_ascii_lowercase();
        if !marks.contains(inner.as_str()) {
            continue;
        }
        let start = if open > from && b[open - 1] == b' ' {
            open - 1
        } else {
            open
        };
        out.push_str(&p[from..start]);
        from = open + len + 2;
    }
    if out.is_empty() && from == 0 {
        return None;
    }
    out.push_str(&p[from..]);
    Some(out.trim().to_string())
}

/// Joins the kept paragraphs into the article text, with transcript marks
/// removed and paragraphs left empty by that dropped.
pub fn join_text<P: AsRef<str>>(paras: &[P]) -> String {
    let mut out = String::with_capacity(paras.iter().map(|p| p.as_ref().len() + 2).sum());
    for p in paras {
        let p = p.as_ref();
        let stripped = strip_marks(p);
        let p = stripped.as_deref().unwrap_or(p);
        if p.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(p);
    }
    out
}

/// Puts a drop cap back on its word: a paragraph of one capital letter
/// followed by one that opens in lower case ("T", "urkey and Poland ...").
pub fn merge_drop_caps(paras: &mut Vec<String>) {
    let mut i = 0;
    while i + 1 < paras.len() {
        let mut cs = paras[i].chars();
        let single = matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase());
        if single && paras[i + 1].starts_with(char::is_lowercase) {
            let next = paras.remove(i + 1);
            paras[i].push_str(&next);
        }
        i += 1;
    }
}

/// The agency a paragraph describes ("X is a news agency founded in ..."),
/// or the heading "About X".
pub fn agency_blurb(p: &str) -> Option<String> {
    if p.len() > 1200 {
        return None;
    }
    let p = p.trim();
    // The name comes first, then "is a ...": the verb sits near the start.
    // (Looked for first: it searches a short head, the cues below the
    // whole paragraph.)
    let head = p.char_indices().nth(60).map_or(p, |(i, _)| &p[..i]);
    if !p.starts_with("About")
        && ![" is ", " was ", " has been "]
            .iter()
            .any(|v| head.contains(v))
    {
        return None;
    }
    // Every blurb the first pattern accepts names what the outlet is, in
    // one of these words; the second is an "About ..." heading. Both
    // patterns are costly to compile, so they wait for a line that can
    // match.
    const CUES: &[&str] = &[
        "news agency",
        "wire service",
        "news service",
        "news organi",
        "broadcaster",
        "media company",
        "media organi",
        "publisher",
        "multimedia news",
        "largest",
    ];
    let blurb = || {
        if CUES.iter().any(|c| p.contains(c)) {
            RE_AGENCY_BLURB.captures(p)
        } else {
            None
        }
    };
    let heading = || {
        if p.starts_with("About ") {
            RE_ABOUT_HEADING.captures(p)
        } else {
            None
        }
    };
    let caps = blurb().or_else(heading)?;
    Some(caps.get(1)?.as_str().trim().to_string())
}

/// The people (and maybe the agency) of a byline: "By Jane Roe and John
/// Doe, Reuters".
pub fn byline(p: &str) -> Option<(Vec<String>, Option<String>)> {
    let p = p.trim();
    // A sentence ("By Monday, the talks had stalled.") is not a byline.
    if p.len() > 160 || p.ends_with('.') {
        return None;
    }
    // The pattern opens with "by" (no other case forms), then a space.
    if !p
        .as_bytes()
        .get(..2)
        .is_some_and(|h| h.eq_ignore_ascii_case(b"by"))
    {
        return None;
    }
    let caps = RE_BYLINE.captures(p)?;
    if caps.get(2).is_some_and(|m| m.as_str().len() > 40) {
        return None;
    }
    let names = caps.get(1)?.as_str();
    let authors: Vec<String> = names
        .split(',')
        .flat_map(|s| s.split(" and "))
        .flat_map(|s| s.split('&'))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    // "By Jane Roe, Reuters": the last comma part may be the agency.
    let mut agency_name = caps.get(2).map(|m| m.as_str().trim().to_string());
    let mut authors = authors;
    if agency_name.is_none() {
        if let Some(last) = authors.last() {
            if agency::canonical(last).is_some() {
                agency_name = authors.pop();
            }
        }
    }
    let not_a_name = |a: &String| {
        !a.contains(' ')
            && (super::dates::month_number(a).is_some()
                || WEEKDAY_WORDS.contains(&a.to_lowercase().as_str()))
    };
    if authors.is_empty() || authors.iter().any(not_a_name) {
        return None;
    }
    Some((authors, agency_name))
}

/// `u8::is_ascii_alphanumeric` as a table: a lookup is faster than the
/// range tests in the key loop below.
static ASCII_ALNUM: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (i as u8).is_ascii_alphanumeric();
        i += 1;
    }
    t
};

/// What two copies of a paragraph share: its letters and digits, lower-cased
/// (as UTF-8 bytes). Written into `key` (cleared first), so one buffer
/// serves every paragraph.
fn repeat_key(p: &str, key: &mut Vec<u8>) {
    key.clear();
    let b = p.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Up to 32 bytes of ASCII at a time (the whole block when it is
        // ASCII, which one vector test tells).
        let block = &b[i..b.len().min(i + 32)];
        let ascii = if block.is_ascii() {
            block.len()
        } else {
            block
                .iter()
                .position(|c| !c.is_ascii())
                .unwrap_or(block.len())
        };
        push_ascii_key(&block[..ascii], key);
        i += ascii;
        if ascii == block.len() {
            continue;
        }
        // A non-ASCII char: `i` is on its first byte.
        let Some(n) = non_ascii_key(p, i, |k| key.extend_from_slice(k)) else {
            break;
        };
        i += n;
    }
}

/// Gives what the non-ASCII char at byte `i` of `p` adds to a repeat key
/// (its lower case when it is a letter or digit, else nothing) to `add`,
/// one char at a time; returns the char's length.
fn non_ascii_key(p: &str, i: usize, mut add: impl FnMut(&[u8])) -> Option<usize> {
    let ch = p.get(i..)?.chars().next()?;
    if ch.is_alphanumeric() {
        let mut buf = [0u8; 4];
        for l in ch.to_lowercase() {
            add(l.encode_utf8(&mut buf).as_bytes());
        }
    }
    Some(ch.len_utf8())
}

/// What two equal repeat keys share, found without building a key: its
/// length and the sum of its bytes. Equal keys give equal digests, not the
/// reverse, so a match of digests is confirmed by comparing the keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct KeyDigest {
    len: usize,
    sum: u64,
}

/// The digest of `p`'s repeat key, eight bytes at a time while they are
/// ASCII; any other char is read as `repeat_key` reads it.
fn key_digest(p: &str) -> KeyDigest {
    const EVEN: u64 = 0x00ff_00ff_00ff_00ff;
    let b = p.as_bytes();
    let (mut len, mut sum) = (0usize, 0u64);
    let mut i = 0;
    while i < b.len() {
        let mut x = match swar::chunk(b, i) {
            Some(x) => x,
            None => {
                let mut a = [0u8; 8];
                a[..b.len() - i].copy_from_slice(&b[i..]);
                u64::from_le_bytes(a)
            }
        };
        // The bytes before the first non-ASCII one (zeros past the end of
        // `p` are ASCII and no letters or digits).
        let high = x & swar::HI;
        let ascii = if high == 0 { 8 } else { swar::first(high) };
        if ascii < 8 {
            x &= (1u64 << (8 * ascii)) - 1;
        }
        let alnum = swar::alnum_mask(x);
        // One per letter or digit, the bytes summed by a multiplication
        // (no byte's total passes 8, so none carries).
        len += (((alnum >> 7).wrapping_mul(swar::LO)) >> 56) as usize;
        // A key byte is its letter or digit `| 0x20` (see `push_ascii_key`);
        // the bytes of the others are zeroed.
        let kept = (x | 0x2020_2020_2020_2020) & ((alnum >> 7) * 0xff);
        // Byte pairs into 16-bit lanes, then the lanes summed into the top one.
        let pairs = (kept & EVEN) + ((kept >> 8) & EVEN);
        sum += pairs.wrapping_mul(0x0001_0001_0001_0001) >> 48;
        i += ascii;
        if ascii == 8 || i >= b.len() {
            continue;
        }
        // A non-ASCII char starts at `i`.
        let Some(n) = non_ascii_key(p, i, |k| {
            len += k.len();
            sum += k.iter().map(|&c| u64::from(c)).sum::<u64>();
        }) else {
            break;
        };
        i += n;
    }
    KeyDigest { len, sum }
}

/// `a` and `b` have the same repeat key (built in the two buffers).
fn same_key(a: &str, b: &str, keys: &mut (Vec<u8>, Vec<u8>)) -> bool {
    repeat_key(a, &mut keys.0);
    repeat_key(b, &mut keys.1);
    keys.0 == keys.1
}

/// Appends the letters and digits of `ascii` (at most 32 ASCII bytes),
/// lower-cased, without a branch per byte: every byte is written
/// lower-cased (`| 0x20` leaves digits as they are) into a small array and
/// the end only moves past letters and digits, so the others are
/// overwritten.
#[inline(always)]
fn push_ascii_key(ascii: &[u8], key: &mut Vec<u8>) {
    let mut buf = [0u8; 32];
    let mut n = 0;
    for &c in ascii {
        // `n` never passes the index of the byte being read (< 32), so the
        // mask only spares the compiler a bounds check.
        buf[n & 31] = c | 0x20;
        n += usize::from(ASCII_ALNUM[usize::from(c)]);
    }
    key.extend_from_slice(&buf[..n]);
}

/// False when `p` cannot match `RE_CREDITS_LINE`: it opens with "(" or
/// the first letter of "additional", "reporting", "writing" or "editing"
/// (ASCII letters with no other case forms).
fn may_be_credits(p: &str) -> bool {
    p.trim_start()
        .as_bytes()
        .first()
        .is_some_and(|c| matches!(c.to_ascii_lowercase(), b'(' | b'a' | b'r' | b'w' | b'e'))
}

/// Drops furniture, bylines, credit lines, agency blurbs and repeated
/// paragraphs.
pub fn clean_paragraphs(paras: Vec<String>) -> Cleaned {
    clean(paras)
}

/// `clean_paragraphs` over paragraphs borrowed from one buffer.
pub(crate) fn clean_slices(paras: Vec<&str>) -> Cleaned<&str> {
    clean(paras)
}

fn clean<P: AsRef<str>>(paras: Vec<P>) -> Cleaned<P> {
    let mut out = Cleaned {
        paragraphs: Vec::with_capacity(paras.len()),
        agency: None,
        authors: Vec::new(),
    };
    let n = paras.len();
    // The digests of the long paragraphs kept (only long ones are looked
    // up), and each with its index in `out.paragraphs`, to build the key
    // of one whose digest comes again.
    let mut seen: FxHashSet<KeyDigest> = FxHashSet::default();
    let mut long_kept: Vec<(KeyDigest, usize)> = Vec::new();
    let mut kept_body = 0usize;
    // The digest of the last paragraph kept.
    let mut last_digest = None;
    let mut keys = (Vec::new(), Vec::new());
    let mut line = String::new();
    for (i, para) in paras.into_iter().enumerate() {
        let p = para.as_ref();
        if is_furniture_with(p, &mut line) {
            continue;
        }
        // Bylines sit above the story, before much body text.
        if kept_body <= 3 {
            if let Some((authors, ag)) = byline(p) {
                if out.authors.is_empty() {
                    out.authors = authors;
                }
                if let Some(a) = ag.as_deref().and_then(agency::canonical) {
                    out.agency.get_or_insert_with(|| a.to_string());
                }
                continue;
            }
        }
        // Credit lines and the agency's self-description close a story.
        let trailing = i + 4 >= n || i * 3 >= n * 2;
        if trailing && p.len() <= 400 && may_be_credits(p) && RE_CREDITS_LINE.is_match(p.trim()) {
            continue;
        }
        if trailing {
            if let Some(name) = agency_blurb(p) {
                let name = agency::canonical(&name).map(str::to_string).unwrap_or(name);
                out.agency.get_or_insert(name);
                continue;
            }
        }
        // Repeats: a caption printed twice, a paragraph echoed by a
        // layout. Keys ignore case, spacing and punctuation; short lines
        // are only dropped when they repeat the line just before. Keys
        // are built and compared only where the digests agree.
        let d = key_digest(p);
        if d.len == 0 {
            continue;
        }
        let kept = &out.paragraphs;
        let prev_same = last_digest == Some(d)
            && kept
                .last()
                .is_some_and(|q: &P| same_key(p, q.as_ref(), &mut keys));
        let long = d.len >= 40;
        if prev_same
            || (long
                && seen.contains(&d)
                && long_kept
                    .iter()
                    .any(|&(e, k)| e == d && same_key(p, kept[k].as_ref(), &mut keys)))
        {
            continue;
        }
        if long {
            seen.insert(d);
            long_kept.push((d, kept.len()));
        }
        last_digest = Some(d);
        kept_body += 1;
        out.paragraphs.push(para);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn furniture_lines() {
        for s in [
            "Accessibility links",
            "Skip to main content",
            "BREAKING NEWS",
            "Share",
            "  • 16x9 Image",
            "•",
            "Photo: Jane Roe/Wire",
            "Copyright 2024 Example Media. All rights reserved.",
            "Advertisement",
            "Image 3 of 7",
            "5 min read",
            "[wire-service correspondent segment removed]",
            "This is VOA news. Reporting from Washington, I'm Jane Roe.",
            "You can find more on these stories at our website.",
        ] {
            assert!(is_furniture(s), "{s:?} should be furniture");
        }
        for s in [
            "Share prices fell sharply on Monday.",
            "The minister said the talks would resume.",
            "Related talks will be held in March, officials said.",
        ] {
            assert!(!is_furniture(s), "{s:?} is not furniture");
        }
    }

    #[test]
    fn repeat_keys() {
        let old = |p: &str| {
            let mut key = String::new();
            for c in p.chars() {
                if c.is_ascii_alphanumeric() {
                    key.push(c.to_ascii_lowercase());
                } else if !c.is_ascii() && c.is_alphanumeric() {
                    key.extend(c.to_lowercase());
                }
            }
            key
        };
        let mut key = Vec::new();
        for p in [
            "",
            "The Minister, 42, said: \"No.\"",
            "Ōsaka İstanbul ÄÖÜ ß “quoted” 習近平 🙂 x",
            "[]{}@`_~ AZaz09",
            "The Minister, 42, said: \"No.\" Talks in Ōsaka resumed — 習近平 met İstanbul's mayor.",
            &format!("{}ß{}Ä{}", "a".repeat(31), "B-".repeat(20), "9".repeat(64)),
        ] {
            repeat_key(p, &mut key);
            assert_eq!(key, old(p).into_bytes(), "{p:?}");
        }
    }

    #[test]
    fn key_digests_agree_with_the_keys() {
        let mut key = Vec::new();
        let long = format!("{}Zz 09_{}", "Ab, c-D!".repeat(7), "x".repeat(13));
        for p in [
            "",
            "a",
            "The Minister, 42, said: \"No.\"",
            "[]{}@`_~ AZaz09 \t\n\x7f",
            "Ōsaka İstanbul ÄÖÜ ß “quoted” 習近平 🙂 x",
            "ab“c”de—fghijklm’n\u{17f}\u{212a}",
            long.as_str(),
        ] {
            repeat_key(p, &mut key);
            let d = key_digest(p);
            assert_eq!(d.len, key.len(), "{p:?}");
            assert_eq!(
                d.sum,
                key.iter().map(|&c| u64::from(c)).sum::<u64>(),
                "{p:?}"
            );
        }
    }

    #[test]
    fn repeats_are_dropped_by_their_keys_not_their_digests() {
        // "ab" and "ba" share a digest (same letters) but not a key.
        let paras = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let long_a = "The talks in Geneva ended on Friday without any agreement at all.";
        let long_b = "The talks in Geneva ended on Friday without any agreement at lal.";
        let kept = clean_paragraphs(paras(&[
            long_a,
            "ab",
            "ba",
            "BA!",
            long_b,
            "Middle line.",
            long_a,
        ]))
        .paragraphs;
        assert_eq!(kept, paras(&[long_a, "ab", "ba", long_b, "Middle line."]));
    }

    #[test]
    fn agency_blurbs() {
        assert_eq!(
            agency_blurb("Globex Wire is a news agency founded in 1901 and based in Lisbon."),
            Some("Globex Wire".into())
        );
        assert_eq!(
            agency_blurb("Reuters is the world's largest multimedia news provider."),
            Some("Reuters".into())
        );
        assert_eq!(agency_blurb("About Reuters"), Some("Reuters".into()));
        assert_eq!(agency_blurb("The minister is a former diplomat."), None);
        // Each cue word still reaches the pattern.
        assert_eq!(
            agency_blurb("Acme Media is a publisher of regional papers."),
            Some("Acme Media".into())
        );
        assert_eq!(
            agency_blurb("Zeta Radio is the public broadcaster of Ruritania."),
            Some("Zeta Radio".into())
        );
        assert_eq!(agency_blurb("About Zeta Radio"), Some("Zeta Radio".into()));
        // "About" alone, or a blurb with no cue word, is none.
        assert_eq!(agency_blurb("About"), None);
        assert_eq!(agency_blurb("Zeta Radio is a station with news."), None);
    }

    #[test]
    fn newscast_gate_keeps_every_form() {
        for line in [
            "This is Zeta news.",
            "THIS IS ZETA NEWS",
            "You can find more on these stories at zeta.example.",
            "You're listening to Zeta Radio.",
            "For more news, visit our site.",
            "I'm Ana Lima, Zeta news.",
        ] {
            assert!(may_be_newscast(line), "{line}");
            assert!(is_furniture(line), "{line}");
        }
        // A line with none of the words is passed over without the pattern.
        assert!(!may_be_newscast(
            "For more than a decade, the talks stalled."
        ));
        assert!(!is_furniture("For more than a decade, the talks stalled."));
    }

    #[test]
    fn bylines() {
        assert_eq!(
            byline("By Jane Roe and John Doe, Reuters"),
            Some((
                vec!["Jane Roe".into(), "John Doe".into()],
                Some("Reuters".into())
            ))
        );
        assert_eq!(
            byline("By Maria Lopez"),
            Some((vec!["Maria Lopez".into()], None))
        );
        assert_eq!(byline("By the end of the year, prices rose."), None);
    }

    #[test]
    fn cleans_a_page() {
        let c = clean_paragraphs(paras(&[
            "Skip to main content",
            "Ministers Meet in Lisbon",
            "By Jane Roe",
            "The foreign minister of Portugal met his Spanish counterpart on a sunny Friday.",
            "The foreign minister of Portugal met his Spanish counterpart on a sunny Friday.",
            "The two men discussed fishing rights and a new railway, officials said.",
            "Share",
            "Reporting by Jane Roe; Editing by John Doe",
            "Globex Wire is a news agency founded in 1901.",
        ]));
        assert_eq!(
            c.paragraphs,
            paras(&[
                "Ministers Meet in Lisbon",
                "The foreign minister of Portugal met his Spanish counterpart on a sunny Friday.",
                "The two men discussed fishing rights and a new railway, officials said.",
            ])
        );
        assert_eq!(c.authors, vec!["Jane Roe".to_string()]);
        assert_eq!(c.agency.as_deref(), Some("Globex Wire"));
    }

    #[test]
    fn junk_lines_from_the_data_file() {
        for s in [
            "Read more: Storm floods the harbour town",
            "Continue reading…",
            "Continue reading the main story",
            "Get the Globex Morning Edition by email and never miss our top stories Free Sign Up",
            "Sign up to our daily newsletter and get the headlines in your inbox",
            "Follow us on Twitter and Facebook",
            "Your Monday Briefing",
            "Evening Briefing",
            "Share this with friends",
        ] {
            assert!(is_furniture(s), "{s:?} should be furniture");
        }
        for s in [
            "Residents can sign up for free flu shots at the town hall, the mayor said.",
            "The minister said the briefing had been useful.",
            "Four hours later, the council voted to subscribe to the regional water plan.",
            "Your support matters, the senator told voters.",
        ] {
            assert!(!is_furniture(s), "{s:?} is story text");
        }
    }

    #[test]
    fn captions_are_told_but_kept() {
        assert!(is_caption(
            "The mayor, left, greets the visiting envoy at the airport on Monday. (Globex Photo/Jane Roe)"
        ));
        assert!(is_caption(
            "The mayor, right, and the envoy walk to the hall."
        ));
        assert!(!is_caption(
            "\"We will stay, left, or right,\" the mayor said."
        ));
        assert!(!is_caption(
            "The envoy met the mayor on Monday (local time)."
        ));
        // Kept in the text: a caption is no furniture.
        assert!(!is_furniture("The mayor, left, greets the visiting envoy."));
    }

    #[test]
    fn transcript_marks_are_removed() {
        assert_eq!(
            strip_marks("We will [inaudible] meet again (Crosstalk) next week."),
            Some("We will meet again next week.".to_string())
        );
        assert_eq!(
            strip_marks("The talks [in Geneva] resumed (on Monday)."),
            None
        );
        assert_eq!(
            join_text(&["First.", "(applause)", "Second [laughter]"]),
            "First.\n\nSecond"
        );
    }

    #[test]
    fn drop_caps_rejoin_their_word() {
        let mut p = paras(&["Headline", "T", "he ministers met.", "A", "B"]);
        merge_drop_caps(&mut p);
        assert_eq!(p, paras(&["Headline", "The ministers met.", "A", "B"]));
    }

    #[test]
    fn licences_are_not_articles() {
        assert!(is_not_article(
            "MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy"
        ));
        assert!(!is_not_article(
            "LISBON (Globex) - Ministers met on Friday."
        ));
    }
}
