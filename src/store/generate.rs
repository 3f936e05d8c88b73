//! Synthetic stores for benchmarks and tests: realistic-looking events
//! (dates over a few years, ~60 countries, a few hundred officials,
//! summaries, quotes) written through the same insert path as real ingest.
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

const GIVEN: [&str; 24] = [
    "Anna", "Marek", "Hiro", "Sun-hee", "Lena", "Omar", "Priya", "Tomas", "Mei", "Carlos",
    "Ingrid", "Kwame", "Yusuf", "Elena", "Daniel", "Aiko", "Farid", "Sofia", "Jonas", "Amara",
    "Viktor", "Leila", "Mateo", "Nadia",
];
const FAMILY: [&str; 20] = [
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
];
const TITLES: [&str; 8] = [
    "President",
    "Prime Minister",
    "Foreign Minister",
    "Defence Minister",
    "Trade Minister",
    "Finance Minister",
    "Ambassador",
    "Interior Minister",
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

/// How many distinct officials the generator draws from.
pub const OFFICIALS: usize = 360;

/// Official number `i`: a stable name, title and country.
pub fn official(i: usize) -> (String, &'static str, &'static str) {
    let i = i % OFFICIALS;
    let name = format!(
        "{} {}",
        GIVEN[i % GIVEN.len()],
        FAMILY[(i / GIVEN.len() + i) % FAMILY.len()]
    );
    (
        name,
        TITLES[i % TITLES.len()],
        COUNTRIES[(i * 7) % COUNTRIES.len()].0,
    )
}

fn sentence(kind: EventKind, a: &str, b: &str, place: &str, topic: &str) -> String {
    match kind {
        EventKind::Meet => format!("{a} met {b} in {place} to discuss {topic}."),
        EventKind::Visit => format!("{a} visited {place} for talks with {b} on {topic}."),
        EventKind::Agree => format!("{a} and {b} agreed on a framework for {topic}."),
        EventKind::Criticize => format!("{a} criticised {b} over {topic}."),
        EventKind::Threaten => format!("{a} warned {b} of consequences over {topic}."),
        EventKind::Sanction => {
            format!("{a} announced sanctions linked to {topic}, targeting allies of {b}.")
        }
        EventKind::Appeal => format!("{a} urged {b} to return to talks on {topic}."),
        EventKind::Aid => format!("{a} pledged new aid tied to {topic} after talks with {b}."),
        EventKind::Reject => format!("{a} rejected a proposal by {b} on {topic}."),
        _ => format!("{a} said talks with {b} on {topic} would continue in {place}."),
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

/// One synthetic parsed article with `events` events around `day` (days
/// after 2021-01-01), text and spans consistent with each other.
pub fn article(rng: &mut Rng, serial: u64, events: usize) -> ParsedArticle {
    let base = chrono::NaiveDate::from_ymd_opt(2021, 1, 1).unwrap_or_default();
    let day = rng.below(365 * 4) as u64;
    let published = base + chrono::Days::new(day);
    let mut text = String::new();
    let mut out_events = Vec::new();
    let mut quotes = Vec::new();
    let mut officials: Vec<OfficialOut> = Vec::new();
    let mut countries: Vec<CountryOut> = Vec::new();
    for n in 0..events {
        let (ia, ib) = (rng.below(OFFICIALS), rng.below(OFFICIALS));
        let (na, ta, ca) = official(ia);
        let (nb, tb, cb) = official(ib);
        let kind = *rng.pick(&KINDS);
        let place = COUNTRIES[rng.below(COUNTRIES.len())];
        let topic = *rng.pick(&TOPICS);
        let who_a = format!("{ta} {na}");
        let who_b = format!("{tb} {nb}");
        let s = sentence(kind, &who_a, &who_b, place.2, topic);
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
        // Most events happen on or just before the publication day.
        let back = rng.below(4) as u64;
        let date = published - chrono::Days::new(back);
        let approximate = rng.below(10) == 0;
        let value = if approximate {
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
                approximate,
                phrase: None,
            },
            summary: s.trim_end_matches('.').to_string(),
            countries: cs,
            officials: if na == nb {
                vec![na.clone()]
            } else {
                vec![na.clone(), nb.clone()]
            },
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
            source: Some("Synthetic Wire".into()),
            url: Some(format!("https://example.invalid/news/{serial}")),
            published: Some(published.to_string()),
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

/// Writes `events` synthetic events into the store (articles of 1 to 5
/// events each), in big transactions. Returns the events written; a seed
/// already used adds nothing the second time.
pub fn generate(store: &mut Store, events: usize, seed: u64) -> Result<usize, StoreError> {
    let mut rng = Rng::new(seed);
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut written = 0;
    let mut serial = seed.wrapping_mul(1_000_003) << 20;
    let mut left = events;
    while left > 0 {
        let tx = store.conn.transaction()?;
        let mut in_batch = 0;
        while left > 0 && in_batch < 50_000 {
            let n = (1 + rng.below(5)).min(left);
            let a = article(&mut rng, serial, n);
            serial = serial.wrapping_add(1);
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
