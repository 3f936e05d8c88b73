//! The demo articles in `assets/demo/` go through the real parser: every one
//! must give the browser something to show (officials, attributed quotes,
//! events on more than one date), and together they must make the filters
//! worth using (many countries and officials, a timeline over months).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use newsline::model::{ParsedArticle, PublishedFrom};
use newsline::parse::{parse_bytes, Options};

fn demo_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
}

fn parse(path: &Path) -> (String, ParsedArticle) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut arts = parse_bytes(&bytes, &Options::default())
        .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
    assert_eq!(arts.len(), 1, "{}: one article a file", path.display());
    let raw = String::from_utf8(bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (raw, arts.remove(0))
}

#[test]
fn every_demo_article_has_officials_quotes_and_dated_events() {
    let files = demo_files();
    assert!(files.len() >= 30, "only {} demo articles", files.len());
    for path in &files {
        let name = path.display();
        let (raw, a) = parse(path);
        // Fictional, and says so where a reader of the file will see it.
        assert!(
            raw.contains("\nnote: fictional people and events"),
            "{name}: no fictional note in the front matter"
        );
        assert_eq!(
            a.article.published_from,
            PublishedFrom::FrontMatter,
            "{name}"
        );
        assert!(a.article.title.is_some(), "{name}: no title");
        assert!(a.article.source.is_some(), "{name}: no source");
        assert!(a.article.url.is_some(), "{name}: no url");
        // The `note:` key is ignored: it never reaches the body.
        assert!(
            !a.article.text.contains("note:"),
            "{name}: front matter leaked"
        );

        // The other outlets' versions of a happening (31 onwards, for
        // stories) are short on purpose, as feed items and rewrites are.
        if a.article.source.as_deref() != Some("Newsline Demo Wire") {
            continue;
        }
        let words = a.article.text.split_whitespace().count();
        assert!((150..=420).contains(&words), "{name}: {words} words");

        assert!(
            a.officials
                .iter()
                .any(|o| o.title.is_some() && o.country.is_some()),
            "{name}: no official with a title and a country"
        );
        let attributed = a.quotes.iter().filter(|q| q.speaker.is_some()).count();
        assert!(attributed >= 2, "{name}: {attributed} attributed quotes");
        let dates: BTreeSet<&str> = a.events.iter().map(|e| e.date.value.as_str()).collect();
        assert!(dates.len() >= 2, "{name}: events on {dates:?}");
    }
}

#[test]
fn demo_articles_together_span_countries_officials_and_months() {
    let mut countries = BTreeSet::new();
    let mut officials = BTreeSet::new();
    let mut months = BTreeSet::new();
    for path in demo_files() {
        let (_, a) = parse(&path);
        countries.extend(a.countries.iter().map(|c| c.code.clone()));
        officials.extend(
            a.officials
                .iter()
                .filter(|o| o.title.is_some())
                .map(|o| o.name.clone()),
        );
        let published = a.article.published.unwrap_or_default();
        months.insert(published.get(..7).unwrap_or_default().to_string());
    }
    assert!(countries.len() >= 10, "countries: {countries:?}");
    assert!(officials.len() >= 15, "officials: {officials:?}");
    assert!(months.len() >= 4, "published in months {months:?}");
}

#[test]
fn officials_recur_across_articles() {
    // The official filter is only interesting when some people come back.
    let mut seen: std::collections::BTreeMap<String, usize> = Default::default();
    for path in demo_files() {
        let (_, a) = parse(&path);
        for o in &a.officials {
            *seen.entry(o.name.clone()).or_default() += 1;
        }
    }
    let recurring = seen.values().filter(|&&n| n >= 3).count();
    assert!(recurring >= 10, "officials in 3+ articles: {recurring}");
}
