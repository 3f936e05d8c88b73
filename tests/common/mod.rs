//! Test helpers: a builder for `ParsedArticle` values with invented wire
//! sentences, so store tests do not depend on the extractors.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use newsline::model::*;
use newsline::span::Span;

pub struct ArticleBuilder {
    art: ParsedArticle,
}

impl ArticleBuilder {
    pub fn new(id: &str) -> Self {
        ArticleBuilder {
            art: ParsedArticle {
                schema: SCHEMA.to_string(),
                article: ArticleInfo {
                    id: id.to_string(),
                    title: Some(format!("Headline of {id}")),
                    source: Some("Test Wire".into()),
                    url: None,
                    published: Some("2023-11-25".into()),
                    published_from: PublishedFrom::Cli,
                    dateline: None,
                    authors: vec![],
                    text: String::new(),
                },
                countries: vec![],
                officials: vec![],
                quotes: vec![],
                times: vec![],
                events: vec![],
            },
        }
    }

    pub fn published(mut self, p: &str) -> Self {
        self.art.article.published = Some(p.to_string());
        self
    }

    pub fn country(mut self, code: &str, name: &str) -> Self {
        let start = self.push_text(name);
        self.art.countries.push(CountryOut {
            code: code.into(),
            name: name.into(),
            mentions: vec![Span::new(start, start + name.len())],
        });
        self
    }

    pub fn official(mut self, name: &str, title: &str, country: &str) -> Self {
        let start = self.push_text(name);
        self.art.officials.push(OfficialOut {
            name: name.into(),
            title: Some(title.into()),
            country: Some(country.into()),
            mentions: vec![Span::new(start, start + name.len())],
        });
        self
    }

    pub fn quote(mut self, text: &str, speaker: Option<&str>) -> Self {
        let start = self.push_text(text);
        self.art.quotes.push(QuoteOut {
            text: text.into(),
            span: Span::new(start, start + text.len()),
            speaker: speaker.map(str::to_string),
            speaker_span: None,
        });
        self
    }

    /// An event whose evidence is `summary` written into the text.
    #[allow(clippy::too_many_arguments)]
    pub fn event(
        mut self,
        id: &str,
        kind: EventKind,
        date: &str,
        summary: &str,
        countries: &[&str],
        officials: &[&str],
        quotes: &[usize],
    ) -> Self {
        let start = self.push_text(summary);
        self.art.events.push(EventOut {
            id: id.into(),
            kind,
            date: EventDate {
                value: date.into(),
                approximate: false,
                phrase: None,
            },
            summary: summary.into(),
            countries: countries.iter().map(|s| s.to_string()).collect(),
            officials: officials.iter().map(|s| s.to_string()).collect(),
            location: Some("Busan".into()),
            quotes: quotes.to_vec(),
            evidence: Span::new(start, start + summary.len()),
        });
        self
    }

    fn push_text(&mut self, s: &str) -> usize {
        let t = &mut self.art.article.text;
        if !t.is_empty() {
            t.push(' ');
        }
        let start = t.len();
        t.push_str(s);
        start
    }

    pub fn build(self) -> ParsedArticle {
        self.art
    }
}

/// A two-event article: a meeting between two foreign ministers and a
/// statement, with one quote.
pub fn meeting(id: &str, day: &str) -> ParsedArticle {
    ArticleBuilder::new(id)
        .published(day)
        .country("JP", "Japan")
        .country("CN", "China")
        .official("Yoko Kamikawa", "Foreign Minister", "JP")
        .official("Wang Yi", "Foreign Minister", "CN")
        .quote("We agreed to keep talking", Some("Yoko Kamikawa"))
        .event(
            &format!("{id}-e1"),
            EventKind::Meet,
            day,
            "Japan's foreign minister met her Chinese counterpart in Busan",
            &["JP", "CN"],
            &["Yoko Kamikawa", "Wang Yi"],
            &[0],
        )
        .event(
            &format!("{id}-e2"),
            EventKind::Statement,
            &day[..7],
            "China said talks on seafood imports would continue",
            &["CN"],
            &["Wang Yi"],
            &[],
        )
        .build()
}

/// Writes an article as the JSON of `newsline parse`, which ingest accepts.
pub fn write_parse_json(dir: &Path, name: &str, a: &ParsedArticle) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_vec(a).unwrap()).unwrap();
    p
}

/// True when this process can read files whatever their mode (root).
pub fn running_as_root() -> bool {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("probe");
    std::fs::write(&p, "x").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::read(&p).is_ok()
}

/// A store of generated events (several countries, officials and quotes
/// each) and two reports of one meeting on the same day, with stories
/// built: what the read-back and saved-copy tests work on.
pub fn generated_store() -> (tempfile::TempDir, newsline::store::Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = newsline::store::Store::open(&dir.path().join("s.db")).unwrap();
    newsline::store::generate::generate(&mut store, 3000, 7).unwrap();
    store
        .ingest(&[meeting("a1", "2023-11-25")], Some("/x/a1.txt"))
        .unwrap();
    store.ingest(&[meeting("a2", "2023-11-25")], None).unwrap();
    store.rebuild_stories(&mut |_, _, _| {}).unwrap();
    (dir, store)
}
