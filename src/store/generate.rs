//! Synthetic stores for benchmarks and tests: realistic-looking events
//! (dates over a few years, ~60 countries, a few thousand officials,
//! summaries, quotes, several outlets reporting one happening) written through the same insert path as real ingest.
//!
//! All names and sentences are made up from small word lists here; nothing
//! is taken from any real article.

use super::ingest::insert_article;
use super::{Store, StoreError};
use crate::model::*;
use crate::span::Span;

/// A small, fast, seedable generator (SplitMix64): good enough to spread
/// synthetic data, and keeps the crate free of an RNG dependency.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// (code, name, capital) for the synthetic countries.
pub const COUNTRIES: [(&str, &str, &str); 60] = [
    ("US", "United States", "Washington"),
    ("CN", "China", "Beijing"),
    ("JP", "Japan", "Tokyo"),
    ("KR", "South Korea", "Seoul"),
    ("KP", "North Korea", "Pyongyang"),
    ("RU", "Russia", "Moscow"),
    ("UA", "Ukraine", "Kyiv"),
    ("GB", "United Kingdom", "London"),
    ("FR", "France", "Paris"),
    ("DE", "Germany", "Berlin"),
    ("IT", "Italy", "Rome"),
    ("ES", "Spain", "Madrid"),
    ("PL", "Poland", "Warsaw"),
    ("TR", "Turkey", "Ankara"),
    ("IR", "Iran", "Tehran"),
    ("IL", "Israel", "Jerusalem"),
    ("SA", "Saudi Arabia", "Riyadh"),
    ("EG", "Egypt", "Cairo"),
    ("IN", "India", "New Delhi"),
    ("PK", "Pakistan", "Islamabad"),
    ("BR", "Brazil", "Brasilia"),
    ("MX", "Mexico", "Mexico City"),
    ("CA", "Canada", "Ottawa"),
    ("AU", "Australia", "Canberra"),
    ("ID", "Indonesia", "Jakarta"),
    ("PH", "Philippines", "Manila"),
    ("VN", "Vietnam", "Hanoi"),
    ("TH", "Thailand", "Bangkok"),
    ("MY", "Malaysia", "Kuala Lumpur"),
    ("SG", "Singapore", "Singapore"),
    ("NG", "Nigeria", "Abuja"),
    ("ZA", "South Africa", "Pretoria"),
    ("KE", "Kenya", "Nairobi"),
    ("ET", "Ethiopia", "Addis Ababa"),
    ("AR", "Argentina", "Buenos Aires"),
    ("CL", "Chile", "Santiago"),
    ("CO", "Colombia", "Bogota"),
    ("VE", "Venezuela", "Caracas"),
    ("SE", "Sweden", "Stockholm"),
    ("NO", "Norway", "Oslo"),
    ("FI", "Finland", "Helsinki"),
    ("NL", "Netherlands", "Amsterdam"),
    ("BE", "Belgium", "Brussels"),
    ("CH", "Switzerland", "Bern"),
    ("AT", "Austria", "Vienna"),
    ("GR", "Greece", "Athens"),
    ("PT", "Portugal", "Lisbon"),
    ("IE", "Ireland", "Dublin"),
    ("HU", "Hungary", "Budapest"),
    ("RO", "Romania", "Bucharest"),
    ("QA", "Qatar", "Doha"),
    ("AE", "United Arab Emirates", "Abu Dhabi"),
    ("IQ", "Iraq", "Baghdad"),
    ("SY", "Syria", "Damascus"),
    ("AF", "Afghanistan", "Kabul"),
    ("BD", "Bangladesh", "Dhaka"),
    ("TW", "Taiwan", "Taipei"),
    ("NZ", "New Zealand", "Wellington"),
    ("MN", "Mongolia", "Ulaanbaatar"),
    ("KZ", "Kazakhstan", "Astana"),
];

const GIVEN: [&str; 48] = [
    "Anna", "Marek", "Hiro", "Sun-hee", "Lena", "Omar", "Priya", "Tomas", "Mei", "Carlos",
    "Ingrid", "Kwame", "Yusuf", "Elena", "Daniel", "Aiko", "Farid", "Sofia", "Jonas", "Amara",
    "Viktor", "Leila", "Mateo", "Nadia", "Rafael", "Ines", "Kenji", "Zofia", "Adebayo", "Maren",
    "Tariq", "Lucia", "Henrik", "Salma", "Dmitri", "Chiara", "Ravi", "Ebba", "Joao", "Yara",
    "Milos", "Hana", "Luca", "Noor", "Piotr", "Ayla", "Bruno", "Keiko",
];
const FAMILY: [&str; 50] = [
    "Albers",
    "Moreau",
    "Tanaka",
    "Okafor",
    "Lindqvist",
    "Haddad",
    "Novak",
    "Castell",
    "Ibarra",
    "Kovacs",
    "Mensah",
    "Rahimi",
    "Petrov",
    "Sato",
    "Varga",
    "Dumont",
    "Quinlan",
    "Ferreira",
    "Halvorsen",
    "Zhukov",
    "Adeyemi",
    "Brandt",
    "Cervantes",
    "Dalca",
    "Eriksen",
    "Fontaine",
    "Garrido",
    "Hollis",
    "Iwata",
    "Jaramillo",
    "Kestrel",
    "Lomax",
    "Marchetti",
    "Nakamura",
    "Oyelaran",
    "Pereira",
    "Quesada",
    "Rostova",
    "Santoro",
    "Tamberg",
    "Urquhart",
    "Valdivia",
    "Whitlock",
    "Xanthos",
    "Yilmazer",
    "Zeller",
    "Abernethy",
    "Bellweather",
    "Corvino",
    "Drummond",
];
const TITLES: [&str; 16] = [
    "President",
    "Prime Minister",
    "Foreign Minister",
    "Defence Minister",
    "Trade Minister",
    "Finance Minister",
    "Ambassador",
    "Interior Minister",
    "Health Minister",
    "Energy Minister",
    "Agriculture Minister",
    "Labour Minister",
    "Transport Minister",
    "Justice Minister",
    "Economy Minister",
    "Vice President",
];
const TOPICS: [&str; 16] = [
    "trade",
    "border security",
    "energy supplies",
    "climate finance",
    "a ceasefire",
    "grain exports",
    "nuclear talks",
    "migration",
    "fishing rights",
    "chip exports",
    "debt relief",
    "a water treaty",
    "air defence",
    "tariffs",
    "port access",
    "election monitoring",
];

/// The made-up outlets that report the generated happenings.
const OUTLETS: [&str; 12] = [
    "Synthetic Wire",
    "Northgate Herald",
    "Capital Ledger",
    "Coastline Times",
    "Evening Courier",
    "Plainview Gazette",
    "Riverside Bulletin",
    "Summit Observer",
    "Lantern Daily",
    "Crossroads Report",
    "Harbourlight News",
    "Granite Chronicle",
];

/// Second family names (the first entry: none).
const SECOND: [&str; 5] = ["", "Baptiste", "Lindgren", "Osei", "Varela"];

/// How many distinct officials the generator draws from: enough that a
/// million events over four years do not put the same few people in
/// every day's news.
pub const OFFICIALS: usize = GIVEN.len() * FAMILY.len() * SECOND.len();

/// Official number `i`: a stable name, title and country.
pub fn official(i: usize) -> (String, &'static str, &'static str) {
    let i = i % OFFICIALS;
    let given = GIVEN[i % GIVEN.len()];
    let family = FAMILY[(i / GIVEN.len()) % FAMILY.len()];
    let second = SECOND[i / (GIVEN.len() * FAMILY.len())];
    let name = if second.is_empty() {
        format!("{given} {family}")
    } else {
        format!("{given} {family} {second}")
    };
    (
        name,
        TITLES[(i / 7) % TITLES.len()],
        COUNTRIES[(i * 7 + i / GIVEN.len()) % COUNTRIES.len()].0,
    )
}

/// A few officials are in the news far more than the rest: index `i` is
/// drawn with a weight falling off like `ln(n / i)`.
fn newsmaker(rng: &mut Rng) -> usize {
    let cap = rng.below(OFFICIALS) + 1;
    rng.below(cap)
}

/// How outlets word one kind of act: each outlet has its habits (see
/// `report`), so the sources of one happening share its actors, place and
/// topic but not all their words.
fn sentence(kind: EventKind, variant: usize, a: &str, b: &str, place: &str, topic: &str) -> String {
    let v = variant % 3;
    match (kind, v) {
        (EventKind::Meet, 0) => format!("{a} met {b} in {place} to discuss {topic}."),
        (EventKind::Meet, 1) => format!("{a} held talks with {b} on {topic} in {place}."),
        (EventKind::Meet, _) => {
            format!("In {place}, {a} and {b} sat down for talks about {topic}.")
        }
        (EventKind::Visit, 0) => format!("{a} visited {place} for talks with {b} on {topic}."),
        (EventKind::Visit, 1) => {
            format!("{a} travelled to {place}, where {b} hosted talks on {topic}.")
        }
        (EventKind::Visit, _) => {
            format!("{b} welcomed {a} to {place} for a visit focused on {topic}.")
        }
        (EventKind::Agree, 0) => format!("{a} and {b} agreed on a framework for {topic}."),
        (EventKind::Agree, 1) => format!("{a} reached a deal with {b} on {topic} in {place}."),
        (EventKind::Agree, _) => {
            format!("An accord on {topic} was signed by {a} and {b} in {place}.")
        }
        (EventKind::Criticize, 0) => format!("{a} criticised {b} over {topic}."),
        (EventKind::Criticize, 1) => format!("{a} accused {b} of stalling on {topic}."),
        (EventKind::Criticize, _) => format!("{a} condemned the stance of {b} on {topic}."),
        (EventKind::Threaten, 0) => format!("{a} warned {b} of consequences over {topic}."),
        (EventKind::Threaten, 1) => {
            format!("{a} threatened {b} with retaliation over {topic}.")
        }
        (EventKind::Threaten, _) => {
            format!("{a} warned that {b} would pay a price over {topic}.")
        }
        (EventKind::Sanction, 0) => {
            format!("{a} announced sanctions linked to {topic}, targeting allies of {b}.")
        }
        (EventKind::Sanction, 1) => {
            format!("{a} imposed sanctions over {topic} on associates of {b}.")
        }
        (EventKind::Sanction, _) => {
            format!(
                "New sanctions tied to {topic} and aimed at allies of {b} were unveiled by {a}."
            )
        }
        (EventKind::Appeal, 0) => format!("{a} urged {b} to return to talks on {topic}."),
        (EventKind::Appeal, 1) => {
            format!("{a} called on {b} to resume negotiations over {topic}.")
        }
        (EventKind::Appeal, _) => format!("{a} appealed to {b} to restart talks on {topic}."),
        (EventKind::Aid, 0) => {
            format!("{a} pledged new aid tied to {topic} after talks with {b}.")
        }
        (EventKind::Aid, 1) => format!("{a} promised {b} fresh assistance on {topic}."),
        (EventKind::Aid, _) => {
            format!("After meeting {b}, {a} announced an aid package for {topic}.")
        }
        (EventKind::Reject, 0) => format!("{a} rejected a proposal by {b} on {topic}."),
        (EventKind::Reject, 1) => {
            format!("{a} turned down the plan on {topic} put forward by {b}.")
        }
        (EventKind::Reject, _) => format!("{a} dismissed an offer from {b} on {topic}."),
        (_, 0) => format!("{a} said talks with {b} on {topic} would continue in {place}."),
        (_, 1) => {
            format!("{a} told reporters in {place} that talks with {b} on {topic} were useful.")
        }
        (_, _) => format!("{a} said after talks with {b} that {topic} remained the priority."),
    }
}

const KINDS: [EventKind; 10] = [
    EventKind::Meet,
    EventKind::Visit,
    EventKind::Agree,
    EventKind::Criticize,
    EventKind::Threaten,
    EventKind::Sanction,
    EventKind::Appeal,
    EventKind::Aid,
    EventKind::Reject,
    EventKind::Statement,
];

const SYLLABLES: [&str; 16] = [
    "ka", "lo", "ver", "dan", "mi", "tor", "sel", "bra", "qui", "nor", "em", "zu", "fal", "ren",
    "osk", "tav",
];
const THINGS: [&str; 10] = [
    "corridor", "accord", "pipeline", "dam", "port", "plan", "fund", "zone", "bridge", "mission",
];
/// How many distinct details there are.
const DETAILS: usize = 16 * 16 * 16 * THINGS.len();

/// Detail number `i`: "the Kalover corridor".
fn detail(i: usize) -> String {
    let s = |k: usize| SYLLABLES[(i / k) % SYLLABLES.len()];
    let name = format!("{}{}{}", s(1), s(16), s(256));
    let mut c = name.chars();
    let cap: String = c
        .next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default();
    format!("the {cap} {}", THINGS[(i / 4096) % THINGS.len()])
}

/// The generated days: four years from 2021-01-01.
const DAYS: usize = 365 * 4;

fn day_date(day: usize) -> chrono::NaiveDate {
    let base = chrono::NaiveDate::from_ymd_opt(2021, 1, 1).unwrap_or_default();
    base + chrono::Days::new(day as u64)
}

/// One thing that happened: who did what to whom, where and on which day
/// (days after 2021-01-01). Outlets report it, and later articles retell
/// it as background.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Happening {
    pub day: usize,
    pub kind: EventKind,
    pub a: usize,
    pub b: usize,
    pub place: usize,
    pub topic: usize,
    /// What sets it apart from other happenings on the same topic (a
    /// made-up project, deal or site, see `detail`), as every source names.
    pub detail: usize,
}

impl Happening {
    /// A new happening on `day` between two distinct officials.
    pub fn random(rng: &mut Rng, day: usize) -> Happening {
        let a = newsmaker(rng);
        let mut b = newsmaker(rng);
        if b == a {
            b = (a + 1 + rng.below(OFFICIALS - 1)) % OFFICIALS;
        }
        Happening {
            day,
            kind: *rng.pick(&KINDS),
            a,
            b,
            place: rng.below(COUNTRIES.len()),
            topic: rng.below(TOPICS.len()),
            detail: rng.below(DETAILS),
        }
    }
}

/// How one article tells one happening.
#[derive(Clone, Copy, Debug)]
struct Telling {
    happening: Happening,
    /// The day the article dates it to (a source may be a day off).
    day: usize,
    /// Dated only to the month ("earlier this month").
    vague: bool,
    /// Told as a statement ("X said after talks with Y that …").
    as_statement: bool,
}

/// Writes one article of `outlet`, published on day `published`, telling
/// `tellings` (the first is its lead). Text, spans, officials, countries
/// and quotes agree with each other.
fn report(
    rng: &mut Rng,
    serial: u64,
    outlet: usize,
    published: usize,
    tellings: &[Telling],
) -> ParsedArticle {
    let mut text = String::new();
    let mut out_events = Vec::new();
    let mut quotes = Vec::new();
    let mut officials: Vec<OfficialOut> = Vec::new();
    let mut countries: Vec<CountryOut> = Vec::new();
    for (n, t) in tellings.iter().enumerate() {
        let h = t.happening;
        let (na, ta, ca) = official(h.a);
        let (nb, tb, cb) = official(h.b);
        let place = COUNTRIES[h.place];
        let topic = TOPICS[h.topic];
        let kind = if t.as_statement {
            EventKind::Statement
        } else {
            h.kind
        };
        // An outlet mostly keeps its own wording, now and then another's.
        let variant = if rng.below(4) == 0 {
            rng.below(3)
        } else {
            outlet
        };
        // Some outlets give the officials' titles, others the names alone.
        let who = |title: &str, name: &str| {
            if (outlet / 3) % 2 == 0 {
                format!("{title} {name}")
            } else {
                name.to_string()
            }
        };
        let s = sentence(kind, variant, &who(ta, &na), &who(tb, &nb), place.2, topic);
        // The detail, in the outlet's words.
        let d = detail(h.detail);
        let s = match variant % 3 {
            0 => format!("{}, concerning {d}.", s.trim_end_matches('.')),
            1 => format!("{}, citing {d}.", s.trim_end_matches('.')),
            _ => format!("{} over {d}.", s.trim_end_matches('.')),
        };
        let start = text.len();
        text.push_str(&s);
        let evidence = Span::new(start, text.len());
        text.push(' ');
        let q = format!("We made progress on {topic}, and we will keep talking");
        let qstart = text.len() + 1;
        text.push_str(&format!("\"{q},\" {na} said.\n\n"));
        quotes.push(QuoteOut {
            text: q.clone(),
            span: Span::new(qstart, qstart + q.len()),
            speaker: Some(na.clone()),
            speaker_span: None,
        });
        for (name, title, c) in [(&na, ta, ca), (&nb, tb, cb)] {
            if !officials.iter().any(|o| &o.name == name) {
                officials.push(OfficialOut {
                    name: name.clone(),
                    title: Some(title.to_string()),
                    country: Some(c.to_string()),
                    mentions: vec![],
                });
            }
            if !countries.iter().any(|x| x.code == c) {
                let cname = COUNTRIES
                    .iter()
                    .find(|x| x.0 == c)
                    .map(|x| x.1)
                    .unwrap_or(c);
                countries.push(CountryOut {
                    code: c.to_string(),
                    name: cname.to_string(),
                    mentions: vec![],
                });
            }
        }
        let date = day_date(t.day);
        let value = if t.vague {
            date.format("%Y-%m").to_string()
        } else {
            date.to_string()
        };
        let mut cs = vec![ca.to_string()];
        if cb != ca {
            cs.push(cb.to_string());
        }
        out_events.push(EventOut {
            id: format!("g{serial:08x}e{n}"),
            kind,
            date: EventDate {
                value,
                approximate: t.vague,
                phrase: None,
            },
            summary: s.trim_end_matches('.').to_string(),
            countries: cs,
            officials: vec![na.clone(), nb.clone()],
            location: Some(place.1.to_string()),
            quotes: vec![quotes.len() - 1],
            evidence,
        });
    }
    ParsedArticle {
        schema: SCHEMA.to_string(),
        article: ArticleInfo {
            id: format!("gen{serial:016x}"),
            title: out_events.first().map(|e| e.summary.clone()),
            source: Some(OUTLETS[outlet % OUTLETS.len()].into()),
            url: Some(format!("https://example.invalid/news/{serial}")),
            published: Some(day_date(published).to_string()),
            published_from: PublishedFrom::Metadata,
            dateline: None,
            authors: vec![],
            text,
        },
        countries,
        officials,
        quotes,
        times: vec![],
        events: out_events,
    }
}

/// How many outlets report a new happening: most one to five, a few many
/// more (about three on average).
fn source_count(rng: &mut Rng) -> usize {
    match rng.below(100) {
        0..=33 => 1,
        34..=57 => 2,
        58..=73 => 3,
        74..=83 => 4,
        84..=89 => 5,
        90..=95 => 6 + rng.below(4),
        _ => 10 + rng.below(16),
    }
}

/// Makes synthetic news the way it is written: each new happening is
/// reported by one or several outlets, each in its own words, on the day or
/// the day after, some dating it only to the month or a day off; articles
/// also carry other, smaller happenings of their own and retell earlier
/// happenings as background. Stories are therefore mostly of one to five
/// sources, a few larger, with distinct actors and dates.
pub struct Generator {
    rng: Rng,
    serial: u64,
    /// Happenings by day, for retelling as background.
    by_day: Vec<Vec<Happening>>,
    /// Reports of the current happening still to be written:
    /// (outlet, published day, its telling).
    pending: Vec<(usize, usize, Telling)>,
}

impl Generator {
    pub fn new(seed: u64) -> Generator {
        Generator {
            rng: Rng::new(seed),
            serial: seed.wrapping_mul(1_000_003) << 20,
            by_day: vec![Vec::new(); DAYS],
            pending: Vec::new(),
        }
    }

    /// The next article, with `events` events (at least one).
    pub fn next_article(&mut self, events: usize) -> ParsedArticle {
        let (outlet, published, lead) = loop {
            match self.pending.pop() {
                Some(next) => break next,
                None => self.new_happening(),
            }
        };
        let mut tellings = vec![lead];
        while tellings.len() < events.max(1) {
            let t = if self.rng.below(2) == 0 {
                self.background(published)
            } else {
                None
            };
            let t = t.unwrap_or_else(|| {
                // A smaller happening of the same days that only this
                // article reports.
                let day = published.saturating_sub(self.rng.below(3));
                let h = Happening::random(&mut self.rng, day);
                self.by_day[day].push(h);
                plain(h)
            });
            tellings.push(t);
        }
        let serial = self.serial;
        self.serial = self.serial.wrapping_add(1);
        report(&mut self.rng, serial, outlet, published, &tellings)
    }

    /// Plans the reports of a new happening, one per outlet.
    fn new_happening(&mut self) {
        let rng = &mut self.rng;
        let day = rng.below(DAYS - 1);
        let h = Happening::random(rng, day);
        self.by_day[day].push(h);
        let n = source_count(rng);
        let first = rng.below(OUTLETS.len());
        for i in 0..n {
            // Many sources means outlets' follow-ups too: one outlet's
            // second article is a second source.
            let outlet = (first + i) % OUTLETS.len();
            let published = day + rng.below(2);
            let mut t = plain(h);
            match rng.below(100) {
                0..=7 => t.vague = true,
                8..=11 => {
                    t.day = if published > day {
                        day + 1
                    } else {
                        day.saturating_sub(1)
                    }
                }
                12..=19 => t.as_statement = true,
                _ => {}
            }
            self.pending.push((outlet, published, t));
        }
    }

    /// An earlier happening (up to three weeks before `published`) retold
    /// as background, dated to its day or, now and then, its month.
    fn background(&mut self, published: usize) -> Option<Telling> {
        let back = 1 + self.rng.below(21);
        let day = published.checked_sub(back)?;
        let list = &self.by_day[day];
        if list.is_empty() {
            return None;
        }
        let h = list[self.rng.below(list.len())];
        let mut t = plain(h);
        t.vague = self.rng.below(4) == 0;
        Some(t)
    }
}

fn plain(h: Happening) -> Telling {
    Telling {
        happening: h,
        day: h.day,
        vague: false,
        as_statement: false,
    }
}

/// One synthetic parsed article with `events` events: a new happening, as
/// one outlet reports it, with smaller happenings of its own days (for
/// benchmarks that add one article at a time).
pub fn article(rng: &mut Rng, serial: u64, events: usize) -> ParsedArticle {
    let day = rng.below(DAYS);
    let mut tellings = Vec::with_capacity(events.max(1));
    for i in 0..events.max(1) {
        let d = day.saturating_sub(if i == 0 { 0 } else { rng.below(3) });
        tellings.push(plain(Happening::random(rng, d)));
    }
    let outlet = rng.below(OUTLETS.len());
    report(rng, serial, outlet, day, &tellings)
}

/// Writes `events` synthetic events into the store (articles of 1 to 5
/// events each, see `Generator`), in big transactions. Returns the events
/// written; a seed already used adds nothing the second time.
pub fn generate(store: &mut Store, events: usize, seed: u64) -> Result<usize, StoreError> {
    let mut gen = Generator::new(seed);
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut written = 0;
    let mut left = events;
    while left > 0 {
        let tx = store.conn.transaction()?;
        let mut in_batch = 0;
        while left > 0 && in_batch < 50_000 {
            let n = (1 + gen.rng.below(5)).min(left);
            let a = gen.next_article(n);
            if insert_article(&tx, &a, &a.article.id, None, &now)? {
                written += n;
            }
            left -= n;
            in_batch += n;
        }
        tx.commit()?;
    }
    Ok(written)
}

/// A news-sized (~3 KB) wire-style plain-text article for parser and ingest
/// benchmarks; `i` makes each one different.
pub fn wire_text(rng: &mut Rng, i: usize) -> String {
    let place = *rng.pick(&COUNTRIES);
    let month = [
        "Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec",
    ];
    let mut t = format!(
        "{} and {} leaders discuss {} (report {i})\n\n{}, {} {} (Synthetic Wire) - ",
        place.1,
        rng.pick(&COUNTRIES).1,
        rng.pick(&TOPICS),
        place.2.to_uppercase(),
        rng.pick(&month),
        1 + rng.below(28),
    );
    while t.len() < 3000 {
        let (na, ta, _) = official(rng.below(OFFICIALS));
        let (nb, tb, _) = official(rng.below(OFFICIALS));
        let kind = *rng.pick(&KINDS);
        let topic = TOPICS[rng.below(TOPICS.len())];
        let s = sentence(
            kind,
            0,
            &format!("{ta} {na}"),
            &format!("{tb} {nb}"),
            rng.pick(&COUNTRIES).2,
            topic,
        );
        t.push_str(&s);
        t.push_str(&format!(
            " \"We will not accept delays on {},\" {} told reporters on {}.\n\n",
            rng.pick(&TOPICS),
            na,
            [
                "Monday",
                "Tuesday",
                "Wednesday",
                "Thursday",
                "Friday",
                "Saturday",
                "Sunday"
            ][rng.below(7)]
        ));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assignment(store: &Store) -> Vec<(String, String)> {
        let mut stmt = store
            .connection()
            .prepare(
                "SELECT e.id, se.story FROM story_events se \
                 JOIN events e ON e.seq = se.event_seq ORDER BY e.id",
            )
            .unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        rows
    }

    #[test]
    fn generated_news_makes_stories_of_a_few_sources() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("g.db")).unwrap();
        assert_eq!(generate(&mut store, 20_000, 3).unwrap(), 20_000);
        store.rebuild_stories(&mut |_, _, _| {}).unwrap();
        let rows = store.story_rows().unwrap();
        let few = rows.iter().filter(|r| r.sources <= 5).count();
        assert!(few * 10 >= rows.len() * 9, "{few} of {}", rows.len());
        assert!(rows.iter().filter(|r| r.sources >= 3).count() * 20 >= rows.len());
        assert!(rows.iter().any(|r| r.sources >= 10));
        // No story swallows unrelated happenings.
        let biggest = rows.iter().map(|r| r.events).max().unwrap_or(0);
        assert!(biggest < 100, "{biggest}");
        let (_, loose) = store.story_counts().unwrap();
        assert_eq!(loose, 0);
    }

    #[test]
    fn merging_article_by_article_gives_what_a_rebuild_gives() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("g.db")).unwrap();
        let mut gen = Generator::new(11);
        let mut rng = Rng::new(5);
        let articles: Vec<ParsedArticle> = (0..1_500)
            .map(|_| gen.next_article(1 + rng.below(5)))
            .collect();
        for a in &articles {
            store.ingest(std::slice::from_ref(a), None).unwrap();
        }
        let merged = assignment(&store);
        assert!(!merged.is_empty());
        let stories: std::collections::HashSet<&String> = merged.iter().map(|m| &m.1).collect();
        assert!(stories.len() < merged.len(), "some events share a story");
        store.rebuild_stories(&mut |_, _, _| {}).unwrap();
        assert_eq!(assignment(&store), merged);
    }
}
