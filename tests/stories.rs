//! Stories in the store: which reports join one happening and which stay
//! apart, what a story shows, and that the grouping does not depend on the
//! order articles arrive in. Every sentence here is invented.

mod common;

use common::ArticleBuilder;
use newsline::model::{EventKind, ParsedArticle};
use newsline::store::{Filter, Store};
use proptest::prelude::*;

/// One event of a test article: kind, date, sentence, countries, officials.
type Ev<'a> = (EventKind, &'a str, &'a str, &'a [&'a str], &'a [&'a str]);

fn article(id: &str, outlet: &str, published: &str, events: &[Ev]) -> ParsedArticle {
    let mut b = ArticleBuilder::new(id).published(published);
    for (n, (kind, date, sentence, countries, officials)) in events.iter().enumerate() {
        b = b.event(
            &format!("{id}-e{n}"),
            *kind,
            date,
            sentence,
            countries,
            officials,
            &[],
        );
    }
    let mut a = b.build();
    a.article.source = Some(outlet.to_string());
    a.article.title = events.first().map(|e| e.2.to_string());
    a
}

fn store_with(articles: &[ParsedArticle]) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("s.db")).unwrap();
    for a in articles {
        store.ingest(std::slice::from_ref(a), None).unwrap();
    }
    (dir, store)
}

/// The story id of an event.
fn story_of(store: &Store, event: &str) -> String {
    store
        .connection()
        .query_row(
            "SELECT s.story FROM story_events s JOIN events e ON e.seq = s.event_seq \
             WHERE e.id = ?1",
            [event],
            |r| r.get(0),
        )
        .unwrap()
}

/// Every event id with its story, sorted.
fn assignment(store: &Store) -> Vec<(String, String)> {
    let mut stmt = store
        .connection()
        .prepare(
            "SELECT e.id, s.story FROM story_events s JOIN events e ON e.seq = s.event_seq \
             ORDER BY e.id",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

use EventKind::*;

fn three_outlets() -> Vec<ParsedArticle> {
    vec![
        article(
            "w1",
            "Lakeside Wire",
            "2025-09-12",
            &[(
                Agree,
                "2025-09-12",
                "Ministers from Chile and Peru signed a fisheries pact in Lima on Friday, ending a two-year dispute over anchovy quotas",
                &["CL", "PE"],
                &["Rosa Iturbe", "Mateo Quispe"],
            )],
        ),
        article(
            "w2",
            "Evening Courier",
            "2025-09-12",
            &[(
                Agree,
                "2025-09-12",
                "Peru and Chile put an end to their long quarrel over anchovy catches with a fisheries agreement signed in Lima",
                &["PE", "CL"],
                &["Mateo Quispe"],
            )],
        ),
        article(
            "w3",
            "Pacific Radio",
            "2025-09-13",
            &[(
                Meet,
                "2025-09-12",
                "Chilean Foreign Minister Rosa Iturbe met her Peruvian counterpart in Lima, where the two signed a deal on anchovy fishing quotas",
                &["CL", "PE"],
                &["Rosa Iturbe"],
            )],
        ),
    ]
}

#[test]
fn three_outlets_in_different_words_are_one_story() {
    let (_d, store) = store_with(&three_outlets());
    let s = story_of(&store, "w1-e0");
    assert_eq!(story_of(&store, "w2-e0"), s);
    assert_eq!(story_of(&store, "w3-e0"), s);
    let story = store.story(&s).unwrap().unwrap();
    assert_eq!(story.sources.len(), 3);
    assert_eq!(story.date, "2025-09-12");
    assert!(!story.date_disagreement);
    // The officials are counted by the sources that name them.
    let iturbe = story
        .officials
        .iter()
        .find(|o| o.name == "Rosa Iturbe")
        .unwrap();
    assert_eq!(iturbe.sources, 2);
    // Every event of the list carries it.
    let refs = store
        .story_refs(&store.events(&Filter::default()).unwrap())
        .unwrap();
    assert!(refs.values().all(|r| r.id == s && r.sources == 3));
}

#[test]
fn same_actors_and_kind_on_two_days_are_two_stories() {
    // One article reports talks on Saturday and further talks on Sunday:
    // two happenings, and a second outlet's Sunday report joins only Sunday.
    let (_d, store) = store_with(&[
        article(
            "t1",
            "Lakeside Wire",
            "2025-10-05",
            &[
                (
                    Meet,
                    "2025-10-04",
                    "Envoys of Armenia and Georgia held talks in Tbilisi on Saturday on reopening a border crossing",
                    &["AM", "GE"],
                    &["Anna Sargsyan"],
                ),
                (
                    Meet,
                    "2025-10-05",
                    "The envoys held further talks in Tbilisi on Sunday on reopening the border crossing",
                    &["AM", "GE"],
                    &["Anna Sargsyan"],
                ),
            ],
        ),
        article(
            "t2",
            "Evening Courier",
            "2025-10-05",
            &[(
                Meet,
                "2025-10-05",
                "Armenian and Georgian envoys met again in Tbilisi on Sunday for talks on reopening a border crossing",
                &["GE", "AM"],
                &["Anna Sargsyan"],
            )],
        ),
    ]);
    assert_ne!(story_of(&store, "t1-e0"), story_of(&store, "t1-e1"));
    assert_eq!(story_of(&store, "t1-e1"), story_of(&store, "t2-e0"));
    assert_ne!(story_of(&store, "t1-e0"), story_of(&store, "t2-e0"));
}

#[test]
fn same_actors_a_week_apart_stay_apart() {
    let (_d, store) = store_with(&[
        article(
            "k1",
            "Lakeside Wire",
            "2025-03-03",
            &[(
                Meet,
                "2025-03-03",
                "Kenyan and Ugandan ministers met in Kampala on a pipeline route",
                &["KE", "UG"],
                &["Joseph Mwangi"],
            )],
        ),
        article(
            "k2",
            "Lakeside Wire",
            "2025-03-10",
            &[(
                Meet,
                "2025-03-10",
                "Kenyan and Ugandan ministers met in Kampala on a pipeline route again",
                &["KE", "UG"],
                &["Joseph Mwangi"],
            )],
        ),
    ]);
    assert_ne!(story_of(&store, "k1-e0"), story_of(&store, "k2-e0"));
}

#[test]
fn same_day_different_acts_stay_apart() {
    let (_d, store) = store_with(&[
        article(
            "p1",
            "Lakeside Wire",
            "2025-06-02",
            &[(
                Protest,
                "2025-06-02",
                "Thousands of teachers marched through Bogota demanding higher pay",
                &["CO"],
                &[],
            )],
        ),
        article(
            "p2",
            "Evening Courier",
            "2025-06-02",
            &[(
                Sanction,
                "2025-06-02",
                "Colombia froze the assets of two mining companies accused of polluting rivers",
                &["CO"],
                &[],
            )],
        ),
    ]);
    assert_ne!(story_of(&store, "p1-e0"), story_of(&store, "p2-e0"));
}

#[test]
fn a_vague_date_joins_the_exact_one_it_holds() {
    let (_d, store) = store_with(&[
        article(
            "v1",
            "Lakeside Wire",
            "2025-04-08",
            &[(
                Visit,
                "2025-04-08",
                "Norwegian Prime Minister Ingrid Solberg visited Reykjavik for talks on Arctic fishing rights",
                &["NO", "IS"],
                &["Ingrid Solberg"],
            )],
        ),
        article(
            "v2",
            "Evening Courier",
            "2025-04-25",
            &[(
                Visit,
                "2025-04",
                "Solberg visited Reykjavik earlier this month for talks on Arctic fishing rights",
                &["NO", "IS"],
                &["Ingrid Solberg"],
            )],
        ),
    ]);
    let s = story_of(&store, "v1-e0");
    assert_eq!(story_of(&store, "v2-e0"), s);
    let story = store.story(&s).unwrap().unwrap();
    // The exact day is the story's date; the month holds it, no dispute.
    assert_eq!(story.date, "2025-04-08");
    assert!(!story.date_disagreement);
}

#[test]
fn a_vague_date_never_holds_a_day_after_its_article_was_published() {
    let corridor = |id: &str, published: &str, date: &str, sentence: &str| {
        article(
            id,
            "Lakeside Wire",
            published,
            &[(Agree, date, sentence, &["TR", "UA"], &[])],
        )
    };
    let (_d, store) = store_with(&[
        corridor(
            "g1",
            "2025-07-10",
            "2025-07",
            "Turkey and Ukraine agreed earlier this month on a grain corridor through the Bosporus",
        ),
        // Later that month, after the first report was published: not what
        // it reported.
        corridor(
            "g3",
            "2025-07-24",
            "2025-07-24",
            "Turkey and Ukraine agreed to widen the grain corridor through the Bosporus",
        ),
    ]);
    assert_ne!(story_of(&store, "g1-e0"), story_of(&store, "g3-e0"));
}

#[test]
fn headline_and_body_are_one_source() {
    let (_d, store) = store_with(&[article(
        "h1",
        "Feed Daily",
        "2025-07-14",
        &[
            (
                Agree,
                "2025-07-14",
                "Ghana and Togo agree to share power grid",
                &[],
                &[],
            ),
            (
                Agree,
                "2025-07-14",
                "Ghana and Togo agreed on Monday to link their power grids and share electricity during droughts",
                &["GH", "TG"],
                &["Kofi Mensah"],
            ),
        ],
    )]);
    let s = story_of(&store, "h1-e0");
    assert_eq!(story_of(&store, "h1-e1"), s);
    let story = store.story(&s).unwrap().unwrap();
    assert_eq!(story.sources.len(), 1);
}

#[test]
fn background_retelling_adds_a_source_to_the_earlier_happening() {
    let (_d, store) = store_with(&[
        article(
            "b1",
            "Lakeside Wire",
            "2025-11-17",
            &[(
                Meet,
                "2025-11-17",
                "President Elena Marquez and Premier Li Wen met in San Francisco on Monday and agreed to resume military talks",
                &["MX", "CN"],
                &["Elena Marquez", "Li Wen"],
            )],
        ),
        article(
            "b2",
            "Evening Courier",
            "2025-12-02",
            &[
                (
                    Statement,
                    "2025-12-02",
                    "Marquez said on Tuesday that military talks with China would start next month",
                    &["MX", "CN"],
                    &["Elena Marquez"],
                ),
                (
                    Meet,
                    "2025-11-17",
                    "The two met in San Francisco on Nov. 17 and agreed to resume military talks",
                    &["MX", "CN"],
                    &["Elena Marquez", "Li Wen"],
                ),
            ],
        ),
    ]);
    let s = story_of(&store, "b1-e0");
    assert_eq!(story_of(&store, "b2-e1"), s);
    // The later statement is a happening of its own day.
    assert_ne!(story_of(&store, "b2-e0"), s);
    let story = store.story(&s).unwrap().unwrap();
    assert_eq!(story.sources.len(), 2);
    assert_eq!(story.date, "2025-11-17");
}

#[test]
fn one_official_under_several_spellings() {
    let (_d, store) = store_with(&[
        article(
            "n1",
            "Lakeside Wire",
            "2025-05-20",
            &[(
                Threaten,
                "2025-05-20",
                "Kim Jong Un warned that new missile tests would follow joint drills in the region",
                &["KP"],
                &["Kim Jong Un"],
            )],
        ),
        article(
            "n2",
            "Evening Courier",
            "2025-05-20",
            &[(
                Threaten,
                "2025-05-20",
                "Kim Jong-un threatened fresh missile tests in answer to joint drills",
                &["KP"],
                &["Kim Jong-un"],
            )],
        ),
    ]);
    let s = story_of(&store, "n1-e0");
    assert_eq!(story_of(&store, "n2-e0"), s);
    let story = store.story(&s).unwrap().unwrap();
    assert_eq!(story.officials.len(), 1, "{:?}", story.officials);
    assert_eq!(story.officials[0].sources, 2);
}

#[test]
fn a_day_apart_joins_only_on_a_close_match_and_flags_the_dates() {
    let lead = "Rival militias signed a ceasefire in Goma after nine days of talks, agreeing to pull fighters back from disputed hills";
    let (_d, store) = store_with(&[
        article(
            "d1",
            "Lakeside Wire",
            "2025-08-08",
            &[(Agree, "2025-08-08", lead, &["CD"], &["Marie Kabila"])],
        ),
        article(
            "d2",
            "Evening Courier",
            "2025-08-09",
            &[(
                Agree,
                "2025-08-07",
                "Two rival militias signed a ceasefire in Goma after nine days of talks and agreed to pull fighters back from the disputed hills",
                &["CD"],
                &["Marie Kabila"],
            )],
        ),
        // The same people a day later, in other words: not a shifted date.
        article(
            "d3",
            "Pacific Radio",
            "2025-08-09",
            &[(
                Agree,
                "2025-08-09",
                "Aid agencies agreed with Kabila on routes for food convoys into the hills",
                &["CD"],
                &["Marie Kabila"],
            )],
        ),
    ]);
    let s = story_of(&store, "d1-e0");
    assert_eq!(story_of(&store, "d2-e0"), s);
    assert_ne!(story_of(&store, "d3-e0"), s);
    let story = store.story(&s).unwrap().unwrap();
    assert!(story.date_disagreement);
    // Two sources, one day each: ties go to the earliest published.
    assert_eq!(story.date, "2025-08-08");
}

/// A convoy attack, and a later outlet's sentence about it that takes its
/// date from the day it was told (a statement, `later_sentence`, dated
/// `later_date` and stated in words when `phrase` is given).
fn convoy_and_later(
    later_date: &str,
    later_sentence: &str,
    phrase: Option<&str>,
) -> (tempfile::TempDir, Store) {
    store_with(&convoy_articles(later_date, later_sentence, phrase))
}

fn convoy_articles(
    later_date: &str,
    later_sentence: &str,
    phrase: Option<&str>,
) -> Vec<ParsedArticle> {
    let mut later = article(
        "c2",
        "Evening Courier",
        later_date,
        &[(Statement, later_date, later_sentence, &["AF"], &[])],
    );
    later.events[0].date.phrase = phrase.map(str::to_string);
    let earlier = article(
            "c1",
            "Lakeside Wire",
            "2025-05-10",
            &[(
                Attack,
                "2025-05-09",
                "Gunmen ambushed a police convoy near Kandahar, killing six officers and wounding the district governor",
                &["AF"],
                &[],
            )],
    );
    vec![earlier, later]
}

#[test]
fn a_retelling_days_later_that_names_no_day_joins_the_happening() {
    // Three days on, a sentence retells the ambush as background; it took
    // the date of the day it was told.
    let (_d, store) = convoy_and_later(
        "2025-05-12",
        "Elders condemned the ambush of the police convoy near Kandahar that killed six officers and wounded the district governor",
        None,
    );
    assert_eq!(story_of(&store, "c1-e0"), story_of(&store, "c2-e0"));
}

#[test]
fn a_sentence_that_names_its_own_day_is_not_a_retelling() {
    let (_d, store) = convoy_and_later(
        "2025-05-12",
        "Elders on Monday condemned the ambush of the police convoy near Kandahar that killed six officers and wounded the district governor",
        Some("on Monday"),
    );
    assert_ne!(story_of(&store, "c1-e0"), story_of(&store, "c2-e0"));
}

#[test]
fn a_new_one_of_a_series_days_later_stays_apart() {
    let (_d, store) = convoy_and_later(
        "2025-05-12",
        "Elders condemned another ambush of a police convoy near Kandahar that killed six officers and wounded the district governor",
        None,
    );
    assert_ne!(story_of(&store, "c1-e0"), story_of(&store, "c2-e0"));
}

#[test]
fn a_retelling_stored_first_is_found_by_the_happening_it_retells() {
    // The earlier happening arrives second: it finds the retelling through
    // the keys of sentences that name no day, looking forward.
    let mut articles = convoy_articles(
        "2025-05-12",
        "Elders condemned the ambush of the police convoy near Kandahar that killed six officers and wounded the district governor",
        None,
    );
    let (_d, forward) = store_with(&articles);
    articles.reverse();
    let (_e, backward) = store_with(&articles);
    assert_eq!(story_of(&backward, "c1-e0"), story_of(&backward, "c2-e0"));
    assert_eq!(assignment(&forward), assignment(&backward));
}

#[test]
fn a_retelling_is_looked_for_a_few_days_back_only() {
    let (_d, store) = convoy_and_later(
        "2025-05-20",
        "Elders condemned the ambush of the police convoy near Kandahar that killed six officers and wounded the district governor",
        None,
    );
    assert_ne!(story_of(&store, "c1-e0"), story_of(&store, "c2-e0"));
}

#[test]
fn a_statement_a_day_later_joins_on_the_same_actors_and_words() {
    let (_d, store) = store_with(&[
        article(
            "m1",
            "Lakeside Wire",
            "2025-06-01",
            &[(
                Protest,
                "2025-06-01",
                "Protesters marched through Lima against the pension reform",
                &["PE"],
                &[],
            )],
        ),
        article(
            "m2",
            "Evening Courier",
            "2025-06-02",
            &[(
                Statement,
                "2025-06-02",
                "Unions said tens of thousands marched through Lima against the pension reform",
                &["PE"],
                &[],
            )],
        ),
        // A day later, the same country in other words: another happening.
        article(
            "m3",
            "Pacific Radio",
            "2025-06-02",
            &[(
                Statement,
                "2025-06-02",
                "The central bank said inflation in Peru eased for a third month",
                &["PE"],
                &[],
            )],
        ),
    ]);
    assert_eq!(story_of(&store, "m1-e0"), story_of(&store, "m2-e0"));
    assert_ne!(story_of(&store, "m1-e0"), story_of(&store, "m3-e0"));
}

#[test]
fn undated_events_never_join_another_articles_story() {
    let (_d, store) = store_with(&[
        article(
            "u1",
            "Lakeside Wire",
            "2025-02-02",
            &[(
                Protest,
                "2025-02-02",
                "Farmers blocked the port of Rotterdam with tractors",
                &["NL"],
                &[],
            )],
        ),
        article(
            "u2",
            "Evening Courier",
            "2025-02-02",
            &[(
                Protest,
                "PAST_REF",
                "Farmers blocked the port of Rotterdam with tractors",
                &["NL"],
                &[],
            )],
        ),
    ]);
    assert_ne!(story_of(&store, "u1-e0"), story_of(&store, "u2-e0"));
}

#[test]
fn quotes_carried_by_several_sources_are_shown_once() {
    let mut a = ArticleBuilder::new("q1")
        .published("2025-01-20")
        .quote(
            "We will rebuild every school by the autumn",
            Some("Lucia Ferraz"),
        )
        .event(
            "q1-e0",
            Aid,
            "2025-01-20",
            "Portugal pledged aid to rebuild schools destroyed by floods in Mozambique",
            &["PT", "MZ"],
            &["Lucia Ferraz"],
            &[0],
        )
        .build();
    a.article.source = Some("Lakeside Wire".into());
    let mut b = ArticleBuilder::new("q2")
        .published("2025-01-20")
        .quote(
            "we will rebuild every school by the autumn",
            Some("Lucia Ferraz"),
        )
        .event(
            "q2-e0",
            Aid,
            "2025-01-20",
            "Lisbon promised money to rebuild Mozambican schools hit by the floods",
            &["PT", "MZ"],
            &["Lucia Ferraz"],
            &[0],
        )
        .build();
    b.article.source = Some("Evening Courier".into());
    let (_d, store) = store_with(&[a, b]);
    let story = store.story(&story_of(&store, "q1-e0")).unwrap().unwrap();
    assert_eq!(story.sources.len(), 2);
    assert_eq!(story.quotes.len(), 1);
    assert_eq!(story.quotes[0].sources, 2);
}

#[test]
fn rebuild_gives_what_ingest_built() {
    let mut all = three_outlets();
    all.push(article(
        "x1",
        "Lakeside Wire",
        "2025-09-12",
        &[(
            Protest,
            "2025-09-12",
            "Dockers walked out in Valparaiso over night shifts",
            &["CL"],
            &[],
        )],
    ));
    let (_d, mut store) = store_with(&all);
    let before = assignment(&store);
    let stats = store.rebuild_stories(&mut |_, _, _| {}).unwrap();
    assert_eq!(stats.events, 4);
    assert_eq!(stats.stories, 2);
    assert_eq!(assignment(&store), before);
}

/// The demo articles, parsed once.
fn demo_corpus() -> Vec<ParsedArticle> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    names
        .iter()
        .flat_map(|p| {
            newsline::parse::parse_bytes(&std::fs::read(p).unwrap(), &Default::default()).unwrap()
        })
        .collect()
}

/// The demo corpus and the story of each of its events.
type Assigned = (Vec<ParsedArticle>, Vec<(String, String)>);

fn demo_assignment() -> &'static Assigned {
    static ONCE: std::sync::OnceLock<Assigned> = std::sync::OnceLock::new();
    ONCE.get_or_init(|| {
        let corpus = demo_corpus();
        let (_d, store) = store_with(&corpus);
        let got = assignment(&store);
        (corpus, got)
    })
}

#[test]
fn demo_has_a_story_with_three_sources_and_a_date_disagreement() {
    let (corpus, _) = demo_assignment();
    let (_d, store) = store_with(corpus);
    let rows = store.story_rows().unwrap();
    assert!(
        rows.iter().any(|r| r.sources >= 3 && r.disagreement),
        "{rows:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// Stories do not depend on the order articles were ingested in, and a
    /// rebuild gives the same again.
    #[test]
    fn ingest_order_does_not_matter(seed in any::<u64>()) {
        let (corpus, expected) = demo_assignment();
        let mut order: Vec<usize> = (0..corpus.len()).collect();
        let mut rng = newsline::store::generate::Rng::new(seed);
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        let shuffled: Vec<ParsedArticle> = order.iter().map(|&i| corpus[i].clone()).collect();
        let (_d, mut store) = store_with(&shuffled);
        prop_assert_eq!(&assignment(&store), expected);
        store.rebuild_stories(&mut |_, _, _| {}).unwrap();
        prop_assert_eq!(&assignment(&store), expected);
    }
}
