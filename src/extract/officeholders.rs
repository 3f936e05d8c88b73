//! A general dictionary of office holders (heads of state and government,
//! ministers, heads of international bodies) with their terms, so that the
//! officials extractor can give a title and a country to a name the article
//! leaves bare, and resolve "President Trump" to Donald Trump.
//!
//! The data is `assets/officeholders.tsv` (see `assets/README-officeholders.md`),
//! embedded in the binary and parsed once. Malformed rows are skipped, never
//! fatal: a typo in the asset must not take the parser down.

use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

const DATA: &str = include_str!("../../assets/officeholders.tsv");

/// How far (in days) outside a term `by_surname` still accepts a row: articles
/// often mention a leader shortly before they take office or after they leave.
const SURNAME_SLACK_DAYS: i64 = 366;

/// One term of one person in one office.
#[derive(Clone, Debug, PartialEq)]
pub struct OfficeHolder {
    /// Full common English press form: "Xi Jinping", "Antonio Guterres".
    pub name: String,
    /// Other full forms of the name ("António Guterres"), never bare surnames.
    pub aliases: Vec<String>,
    /// ISO 3166-1 alpha-2; `None` for international bodies.
    pub country: Option<String>,
    /// Press title: "President", "Foreign Minister", "Secretary-General".
    pub title: String,
    pub from: Option<NaiveDate>,
    /// `None` while still in office (as far as the asset knows).
    pub to: Option<NaiveDate>,
    /// Forms used on second reference: "Xi", "Abiy", "von der Leyen".
    pub surnames: Vec<String>,
}

impl OfficeHolder {
    /// Whether the term covers `on` (both ends inclusive; open ends are open).
    pub fn in_office_on(&self, on: NaiveDate) -> bool {
        self.days_from_term(on) == 0
    }

    /// Days between `on` and the term: 0 inside it.
    fn days_from_term(&self, on: NaiveDate) -> i64 {
        if let Some(from) = self.from {
            if on < from {
                return (from - on).num_days();
            }
        }
        if let Some(to) = self.to {
            if on > to {
                return (on - to).num_days();
            }
        }
        0
    }
}

/// Every row of the dictionary, in file order.
pub fn all() -> &'static [OfficeHolder] {
    &table().rows
}

/// Rows for a full name or alias (case-, diacritic-, hyphen- and
/// punctuation-insensitive), all terms of that person, best first for `on`:
/// a term covering the date first, then the nearest term.
pub fn by_name(name: &str, on: NaiveDate) -> Vec<&'static OfficeHolder> {
    by_name_key(&name_key(name), on)
}

/// `by_name` of a name whose `name_key` the caller has already made.
pub fn by_name_key(key: &str, on: NaiveDate) -> Vec<&'static OfficeHolder> {
    let t = table();
    let mut idx: Vec<usize> = Vec::new();
    // An alias may be written on one row only; resolve it to the person's
    // name, then take every row of that person.
    for canon in t.by_key.get(key).into_iter().flatten() {
        for &i in t.by_canon.get(canon).into_iter().flatten() {
            if !idx.contains(&i) {
                idx.push(i);
            }
        }
    }
    ranked(t, idx, on)
}

/// Rows whose second-reference name equals `surname` ("Trump", "Xi",
/// "al-Assad" or "Assad", "von der Leyen"), in office on `on` or within about a
/// year of it, best first.
pub fn by_surname(surname: &str, on: NaiveDate) -> Vec<&'static OfficeHolder> {
    let t = table();
    let idx: Vec<usize> = t
        .by_surname
        .get(&surname_key(surname))
        .into_iter()
        .flatten()
        .copied()
        .filter(|&i| t.rows[i].days_from_term(on) <= SURNAME_SLACK_DAYS)
        .collect();
    ranked(t, idx, on)
}

fn ranked(t: &'static Table, mut idx: Vec<usize>, on: NaiveDate) -> Vec<&'static OfficeHolder> {
    // Stable: among equally good rows, file order (the main office first).
    idx.sort_by_key(|&i| t.rows[i].days_from_term(on));
    idx.into_iter().map(|i| &t.rows[i]).collect()
}

struct Table {
    rows: Vec<OfficeHolder>,
    /// Key of a name or alias -> keys of the canonical names it stands for.
    by_key: HashMap<String, Vec<String>>,
    /// Key of a canonical name -> its rows.
    by_canon: HashMap<String, Vec<usize>>,
    /// Surname key -> rows.
    by_surname: HashMap<String, Vec<usize>>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| build(parse(DATA)))
}

fn build(rows: Vec<OfficeHolder>) -> Table {
    let mut by_key: HashMap<String, Vec<String>> = HashMap::default();
    let mut by_canon: HashMap<String, Vec<usize>> = HashMap::default();
    let mut by_surname: HashMap<String, Vec<usize>> = HashMap::default();
    for (i, row) in rows.iter().enumerate() {
        let canon = name_key(&row.name);
        by_canon.entry(canon.clone()).or_default().push(i);
        for form in std::iter::once(&row.name).chain(&row.aliases) {
            let list = by_key.entry(name_key(form)).or_default();
            if !list.contains(&canon) {
                list.push(canon.clone());
            }
        }
        for s in &row.surnames {
            let list = by_surname.entry(surname_key(s)).or_default();
            if !list.contains(&i) {
                list.push(i);
            }
        }
    }
    Table {
        rows,
        by_key,
        by_canon,
        by_surname,
    }
}

/// Parses the TSV text: `#` comments, blank lines and the header line are
/// ignored; a row with a missing name or title, a bad country code, a bad date
/// or a term ending before it starts is skipped.
fn parse(text: &str) -> Vec<OfficeHolder> {
    text.lines().filter_map(parse_line).collect()
}

fn parse_line(line: &str) -> Option<OfficeHolder> {
    let line = line.trim_end_matches('\r');
    if line.trim().is_empty() || line.starts_with('#') {
        return None;
    }
    let f: Vec<&str> = line.split('\t').map(str::trim).collect();
    if f.len() < 6 || f.len() > 7 || f[0] == "name" {
        return None;
    }
    let (name, title) = (f[0], f[3]);
    if name.is_empty() || title.is_empty() || name_key(name).is_empty() {
        return None;
    }
    let country = match f[2] {
        "" => None,
        c if c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()) => Some(c.to_string()),
        _ => return None,
    };
    let from = parse_date(f[4])?;
    let to = parse_date(f[5])?;
    if let (Some(a), Some(b)) = (from, to) {
        if b < a {
            return None;
        }
    }
    let list = |s: &str| -> Vec<String> {
        s.split('|')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut surnames = list(f.get(6).copied().unwrap_or(""));
    if surnames.is_empty() {
        surnames.push(default_surname(name).to_string());
    }
    Some(OfficeHolder {
        name: name.to_string(),
        aliases: list(f[1]),
        country,
        title: title.to_string(),
        from,
        to,
        surnames,
    })
}

/// `Some(None)` for an empty field, `None` for a malformed one.
fn parse_date(s: &str) -> Option<Option<NaiveDate>> {
    if s.is_empty() {
        return Some(None);
    }
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(Some)
}

/// Last word of the name, skipping generational suffixes ("Jr.", "III").
fn default_surname(name: &str) -> &str {
    const SUFFIXES: [&str; 7] = ["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"];
    name.split_whitespace()
        .rev()
        .find(|w| !SUFFIXES.contains(&w.to_lowercase().as_str()))
        .unwrap_or(name)
}

/// Lookup key for a name: lower case, diacritics folded, apostrophes and dots
/// dropped, other punctuation (hyphens) as spaces, initials run together
/// ("J. D. Vance" == "JD Vance"), single spaces.
pub fn name_key(s: &str) -> String {
    // Most names are ASCII: their key is written byte by byte, with no word
    // buffer (every person the extractor meets is keyed).
    if s.is_ascii() {
        return ascii_name_key(s.as_bytes());
    }
    let mut f = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut f);
    }
    general_name_key(&f)
}

/// `general_name_key` of an ASCII name: each word's letters go straight
/// into the key after a space, and the space goes again when the word
/// turns out to be an initial after an initial.
fn ascii_name_key(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len());
    let mut word = WordState::default();
    for &c in b {
        if c.is_ascii_alphanumeric() {
            if word.len == 0 && !out.is_empty() {
                out.push(' ');
                word.spaced = true;
            }
            out.push(char::from(c.to_ascii_lowercase()));
            word.len += 1;
        } else if !matches!(c, b'\'' | b'`' | b'.') {
            word.end(&mut out);
        }
    }
    word.end(&mut out);
    out
}

/// The word `ascii_name_key` is writing.
#[derive(Default)]
struct WordState {
    /// Letters written so far.
    len: usize,
    /// A space was written before it.
    spaced: bool,
    /// The word before it was one letter.
    prev_initial: bool,
}

impl WordState {
    fn end(&mut self, out: &mut String) {
        if self.len == 0 {
            return;
        }
        let initial = self.len == 1;
        if self.spaced && initial && self.prev_initial {
            // Glue the initial to the one before: drop its space.
            if let Some(c) = out.pop() {
                out.pop();
                out.push(c);
            }
        }
        self.prev_initial = initial;
        self.len = 0;
        self.spaced = false;
    }
}

/// The key of a name whose diacritics are already folded.
fn general_name_key(folded: &str) -> String {
    // Words of letters and digits (apostrophes and dots dropped, anything
    // else separates), joined by spaces, with runs of initials glued.
    let mut out = String::with_capacity(folded.len());
    let mut word = String::new();
    let mut prev_initial = false;
    let mut flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        let initial = word.chars().nth(1).is_none();
        let glued = out.is_empty() || (initial && prev_initial);
        if !glued {
            out.push(' ');
        }
        out.push_str(word);
        prev_initial = initial;
        word.clear();
    };
    for c in folded.chars().map(|c| c.to_ascii_lowercase()) {
        if c.is_alphanumeric() {
            word.push(c);
        } else if !matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '.') {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Key for a surname: the name key without a leading Arabic article, so that
/// "al-Assad", "Assad" and "el-Sisi", "Sisi" meet.
fn surname_key(s: &str) -> String {
    let k = name_key(s);
    for article in ["al ", "el "] {
        if let Some(rest) = k.strip_prefix(article) {
            if !rest.is_empty() {
                return rest.to_string();
            }
        }
    }
    k
}

/// Lower-cased letters with their diacritics, by base letter. Covers Latin-1,
/// Latin Extended-A and the Vietnamese letters, which is what names in the
/// press use; anything else passes through lower-cased.
const FOLD: &[(&str, &str)] = &[
    ("àáâãäåāăąǎạảấầẩẫậắằẳẵặ", "a"),
    ("çćĉċč", "c"),
    ("ďđð", "d"),
    ("èéêëēĕėęěẹẻẽếềểễệ", "e"),
    ("ĝğġģ", "g"),
    ("ĥħ", "h"),
    ("ìíîïĩīĭįıǐỉị", "i"),
    ("ĵ", "j"),
    ("ķ", "k"),
    ("ĺļľŀł", "l"),
    ("ñńņňŉ", "n"),
    ("òóôõöøōŏőǒọỏốồổỗộớờởỡợơ", "o"),
    ("ŕŗř", "r"),
    ("śŝşšș", "s"),
    ("ţťŧț", "t"),
    ("ùúûüũūŭůűųǔụủứừửữựư", "u"),
    ("ýÿŷỳỵỷỹ", "y"),
    ("źżž", "z"),
    ("ß", "ss"),
    ("æ", "ae"),
    ("œ", "oe"),
    ("þ", "th"),
];

fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for lc in c.to_lowercase() {
        // Combining marks: decomposed input, and the dot of Turkish "İ".
        if ('\u{0300}'..='\u{036F}').contains(&lc) {
            continue;
        }
        match FOLD.iter().find(|(set, _)| set.contains(lc)) {
            Some((_, base)) => out.push_str(base),
            None => out.push(lc),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The ASCII key is the key the general rules give.
        #[test]
        fn ascii_key_is_the_general_key(s in "[aZb. '`-]{0,14}") {
            proptest::prop_assert_eq!(ascii_name_key(s.as_bytes()), general_name_key(&s));
        }
    }

    #[test]
    fn ascii_keys() {
        assert_eq!(name_key("J. D. Vance"), "jd vance");
        assert_eq!(name_key("O'Brien-Smith  Jr."), "obrien smith jr");
        assert_eq!(name_key(" A B. Cde F G"), "ab cde fg");
        assert_eq!(name_key("..."), "");
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn names(rows: &[&OfficeHolder]) -> Vec<String> {
        rows.iter().map(|r| r.name.clone()).collect()
    }

    #[test]
    fn officeholders_lookup_by_name_and_alias() {
        let r = by_name("Antonio Guterres", d("2020-05-01"));
        assert_eq!(r[0].title, "Secretary-General");
        assert_eq!(r[0].country, None);
        let accented = by_name("António Guterres", d("2020-05-01"));
        assert_eq!(r, accented);
        // An alias written on one row still finds every term of the person.
        let b = by_name("Tony Blinken", d("2022-01-01"));
        assert_eq!(b[0].name, "Antony Blinken");
        assert_eq!(b[0].title, "Secretary of State");
        let z = by_name("volodymyr zelenskyy", d("2023-01-01"));
        assert_eq!(z[0].name, "Volodymyr Zelensky");
        assert_eq!(z[0].country.as_deref(), Some("UA"));
        assert!(by_name("Nobody Atall", d("2023-01-01")).is_empty());
    }

    #[test]
    fn officeholders_name_folding() {
        let a = by_name("Recep Tayyip Erdoğan", d("2020-01-01"));
        let b = by_name("RECEP TAYYIP ERDOGAN", d("2020-01-01"));
        assert!(!a.is_empty());
        assert_eq!(a, b);
        assert_eq!(a[0].title, "President");
        // Hyphens, initials and decomposed accents.
        assert_eq!(
            by_name("Kim Jong Un", d("2020-01-01"))[0]
                .country
                .as_deref(),
            Some("KP")
        );
        assert_eq!(by_name("J. D. Vance", d("2025-06-01"))[0].name, "JD Vance");
        assert_eq!(
            by_name("Jose\u{301} Manuel Albares", d("2023-01-01"))[0].name,
            "Jose Manuel Albares"
        );
        assert_eq!(
            by_name("Nguyễn Phú Trọng", d("2020-01-01"))[0].name,
            "Nguyen Phu Trong"
        );
        assert_eq!(name_key("Ya’alon"), name_key("Yaalon"));
        assert_eq!(name_key("İbrahim Kalın"), "ibrahim kalin");
    }

    #[test]
    fn officeholders_best_term_first() {
        let bj = by_name("Boris Johnson", d("2017-06-01"));
        assert_eq!(bj[0].title, "Foreign Secretary");
        let bj = by_name("Boris Johnson", d("2020-06-01"));
        assert_eq!(bj[0].title, "Prime Minister");
        assert!(bj[0].in_office_on(d("2020-06-01")));
        // Out of office: the nearest term comes first.
        let t = by_name("Donald Trump", d("2024-06-01"));
        assert_eq!(t[0].from, Some(d("2025-01-20")));
        let t = by_name("Donald Trump", d("2021-06-01"));
        assert_eq!(t[0].to, Some(d("2021-01-20")));
    }

    #[test]
    fn officeholders_surname_resolves_by_date() {
        assert_eq!(
            names(&by_surname("Trump", d("2025-03-01"))),
            ["Donald Trump"]
        );
        assert_eq!(by_surname("Salam", d("2015-06-01"))[0].name, "Tammam Salam");
        assert_eq!(by_surname("Salam", d("2025-06-01"))[0].name, "Nawaf Salam");
        let li = names(&by_surname("Li", d("2016-06-01")));
        assert!(li.contains(&"Li Keqiang".to_string()));
        assert!(!li.contains(&"Li Qiang".to_string()));
        assert_eq!(by_surname("Li", d("2024-06-01"))[0].name, "Li Qiang");
        // Within a year of the term still counts, further away does not.
        assert_eq!(by_surname("Biden", d("2025-06-01"))[0].name, "Joe Biden");
        assert!(by_surname("Obama", d("2024-01-01")).is_empty());
    }

    #[test]
    fn officeholders_surname_forms() {
        assert_eq!(by_surname("Xi", d("2024-01-01"))[0].name, "Xi Jinping");
        assert_eq!(by_surname("Abiy", d("2024-01-01"))[0].name, "Abiy Ahmed");
        assert_eq!(
            by_surname("Tedros", d("2024-01-01"))[0].title,
            "WHO Director-General"
        );
        assert_eq!(
            by_surname("von der Leyen", d("2024-01-01"))[0].name,
            "Ursula von der Leyen"
        );
        assert_eq!(
            by_surname("bin Salman", d("2024-01-01"))[0].name,
            "Mohammed bin Salman"
        );
        assert_eq!(
            by_surname("Assad", d("2020-01-01"))[0].name,
            "Bashar al-Assad"
        );
        assert_eq!(
            by_surname("al-Assad", d("2020-01-01"))[0].name,
            "Bashar al-Assad"
        );
        assert_eq!(
            by_surname("Sisi", d("2020-01-01"))[0].name,
            "Abdel Fattah el-Sisi"
        );
        assert_eq!(
            by_surname("Lula", d("2024-01-01"))[0].name,
            "Luiz Inacio Lula da Silva"
        );
        assert_eq!(
            by_surname("Marcos", d("2024-01-01"))[0].name,
            "Ferdinand Marcos Jr."
        );
        assert_eq!(
            by_surname("Zelenskyy", d("2024-01-01"))[0].name,
            "Volodymyr Zelensky"
        );
    }

    #[test]
    fn officeholders_parser_skips_malformed_rows() {
        let text = "# comment\n\
            name\taliases\tcountry\ttitle\tfrom\tto\tsurname\n\
            \n\
            Ann Example\tAnn B. Example\tXX\tPresident\t2020-01-01\t\t\n\
            Bad Date\t\tXX\tPresident\t2020-13-01\t\t\n\
            Bad Country\t\tXXX\tPresident\t2020-01-01\t\t\n\
            Too Few\tXX\tPresident\n\
            No Title\t\tXX\t\t2020-01-01\t\t\n\
            Backwards\t\tXX\tPresident\t2020-01-01\t2019-01-01\t\n\
            Short Date\t\tXX\tPresident\t2020-1-1\t\t\n\
            Li Example\t\t\tDirector-General\t2019-05-01\t2021-05-01\tLi\r\n\
            Six Fields\t\tYY\tKing\t\t\n";
        let rows = parse(text);
        assert_eq!(
            rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["Ann Example", "Li Example", "Six Fields"]
        );
        assert_eq!(rows[0].aliases, ["Ann B. Example"]);
        assert_eq!(rows[0].surnames, ["Example"]);
        assert_eq!(rows[0].to, None);
        assert_eq!(rows[1].country, None);
        assert_eq!(rows[1].surnames, ["Li"]);
        assert_eq!(rows[2].from, None);
        assert_eq!(default_surname("Teodoro Locsin Jr."), "Locsin");
    }

    #[test]
    fn officeholders_asset_rows_all_valid() {
        let data_rows = DATA
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#') && !l.starts_with("name\t"))
            .count();
        // Every data line of the asset parses: nothing is silently dropped.
        assert_eq!(all().len(), data_rows);
        assert!(all().len() >= 600, "only {} rows", all().len());
        for r in all() {
            if let Some(c) = &r.country {
                assert!(
                    c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()),
                    "{c}"
                );
            }
            if let (Some(a), Some(b)) = (r.from, r.to) {
                assert!(a <= b, "{}", r.name);
            }
            assert!(r.from.is_some(), "{} has no start date", r.name);
            assert!(!r.surnames.is_empty() && !r.title.is_empty());
            // A surname must be findable from the name's own words or aliases
            // or be deliberate; at least it must have a non-empty key.
            assert!(
                r.surnames.iter().all(|s| !surname_key(s).is_empty()),
                "{}",
                r.name
            );
        }
    }

    #[test]
    fn officeholders_never_panics_on_odd_input() {
        let on = d("2024-01-01");
        for s in [
            "",
            " ",
            "-",
            "'",
            "é",
            "\u{301}",
            "🙂 Trump",
            "İ",
            "al-",
            "J. D.",
        ] {
            let _ = by_name(s, on);
            let _ = by_surname(s, on);
        }
        assert!(by_surname("al-", on).is_empty());
    }
}
