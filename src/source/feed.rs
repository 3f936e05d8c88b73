//! Feeds: RSS 0.9x/1.0/2.0, Atom and JSON Feed through `feed-rs`. Each
//! item becomes one article: its title, its link as `url`, its date as
//! `published` (from = feed), its content or summary as text, and the
//! feed's title as `source`.
//!
//! Dates: feed-rs hands every date string to our parser (see `dates`),
//! which reads the loose forms real feeds use and keeps the publisher's
//! local day. feed-rs only keeps a UTC instant, so we remember what each
//! instant was read from and look the local form up afterwards.
//!
//! Encodings: feed-rs reads the raw bytes and decodes them as the XML
//! declaration says (ISO-8859-1 and the like).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use super::{
    agency, content_id, dateline, dates, furniture, html, normalize_ws, sanitize, Published,
    SourceArticle, SourceError,
};
use crate::model::PublishedFrom;

type Seen = Arc<Mutex<HashMap<DateTime<Utc>, dates::DateValue>>>;

/// Reads every item of a feed.
pub fn read(bytes: &[u8]) -> Result<Vec<SourceArticle>, SourceError> {
    let seen: Seen = Arc::new(Mutex::new(HashMap::new()));
    let recorder = Arc::clone(&seen);
    let parser = feed_rs::parser::Builder::new()
        .sanitize_content(false)
        .timestamp_parser(move |s| {
            let v = dates::parse(s)?;
            let utc = match v.instant {
                Some(i) => i.with_timezone(&Utc),
                None => v.date.and_hms_opt(12, 0, 0)?.and_utc(),
            };
            if let Ok(mut list) = recorder.lock() {
                list.entry(utc).or_insert(v);
            }
            Some(utc)
        })
        .build();
    let feed = parser
        .parse(bytes)
        .map_err(|e| SourceError::Malformed(format!("not a readable feed: {e}")))?;
    let seen = seen.lock().map(|l| l.clone()).unwrap_or_default();
    let local = |utc: DateTime<Utc>| -> dates::DateValue {
        seen.get(&utc).cloned().unwrap_or_else(|| dates::DateValue {
            date: utc.date_naive(),
            display: utc.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            instant: Some(utc.fixed_offset()),
        })
    };

    let feed_title = feed
        .title
        .as_ref()
        .map(|t| text_line(&t.content, t.content_type.as_str()))
        .filter(|t| !t.is_empty());
    let mut out = Vec::new();
    for entry in feed.entries {
        let title = entry
            .title
            .as_ref()
            .map(|t| text_line(&t.content, t.content_type.as_str()))
            .filter(|t| !t.is_empty());
        let body = entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .filter(|b| !b.trim().is_empty())
            .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
            .unwrap_or_default();
        let mut paras: Vec<String> = html::fragment_paragraphs(&sanitize::clean(&body));
        furniture::merge_drop_caps(&mut paras);
        let mut paras = furniture::clean_paragraphs(paras).paragraphs;
        if let Some(t) = &title {
            if !paras.first().is_some_and(|p| p.eq_ignore_ascii_case(t)) {
                paras.insert(0, t.clone());
            }
        }
        if paras.is_empty() {
            continue;
        }
        let first_body = usize::from(title.is_some());
        let dl = dateline::find(&paras, first_body);
        let text = furniture::join_text(&paras);
        let url = entry
            .links
            .first()
            .map(|l| normalize_ws(&sanitize::clean(&l.href)))
            .filter(|u| !u.is_empty());
        let published = entry.published.or(entry.updated).map(|utc| {
            let v = local(utc);
            Published {
                date: v.date,
                display: v.display,
                from: PublishedFrom::Feed,
            }
        });
        let authors = entry
            .authors
            .iter()
            .map(|p| normalize_ws(&sanitize::clean(p.name.as_deref().unwrap_or(""))))
            .filter(|n| !n.is_empty())
            .collect();
        let source = feed_title.clone().or_else(|| {
            dl.as_ref()
                .and_then(|d| d.agency.as_deref())
                .map(|a| agency::canonical(a).unwrap_or(a).to_string())
        });
        let id_basis = format!(
            "{}\n{}\n{}",
            url.as_deref().unwrap_or(""),
            title.as_deref().unwrap_or(""),
            text
        );
        out.push(SourceArticle {
            id: content_id(id_basis.as_bytes()),
            title,
            source,
            url,
            authors,
            published,
            dateline: dl.map(|d| d.place),
            text,
        });
    }
    if out.is_empty() {
        return Err(SourceError::NoText);
    }
    Ok(out)
}

/// A one-line text (a title) that may be HTML.
fn text_line(s: &str, mime: &str) -> String {
    let s = sanitize::clean(s);
    if mime.contains("html") || s.contains('<') {
        normalize_ws(&html::fragment_paragraphs(&s).join(" "))
    } else {
        normalize_ws(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Globex World News</title><link>https://example.org/</link><description>d</description>
<item><title>Ministers agree on fisheries</title><link>https://example.org/a</link>
<description>&lt;p&gt;LISBON (Globex) - Portugal and Spain agreed on Friday to open talks.&lt;/p&gt;&lt;p&gt;Talks start in April.&lt;/p&gt;</description>
<pubDate>mer, 16 nov 2022 00:38:15 +0100</pubDate></item>
<item><title>Floods in the north</title><link>https://example.org/b</link><pubDate>Sat, Dec 16 2023 02:02:33 PM</pubDate></item>
<item><title>Undated item</title><description>Some text.</description></item>
</channel></rss>"#;

    #[test]
    fn reads_rss_items() {
        let items = read(RSS.as_bytes()).unwrap_or_default();
        assert_eq!(items.len(), 3);
        let a = &items[0];
        assert_eq!(a.title.as_deref(), Some("Ministers agree on fisheries"));
        assert_eq!(a.source.as_deref(), Some("Globex World News"));
        assert_eq!(a.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(a.text, "Ministers agree on fisheries\n\nLISBON (Globex) - Portugal and Spain agreed on Friday to open talks.\n\nTalks start in April.");
        assert_eq!(a.dateline.as_deref(), Some("LISBON"));
        let p = a.published.clone().unwrap_or_else(|| unreachable!());
        assert_eq!(
            (p.date.to_string(), p.from),
            ("2022-11-16".into(), PublishedFrom::Feed)
        );
        assert_eq!(
            items[1].published.as_ref().map(|p| p.date.to_string()),
            Some("2023-12-16".into())
        );
        assert_eq!(items[1].text, "Floods in the north");
        assert_eq!(items[2].published, None);
        assert_ne!(items[0].id, items[1].id);
    }

    #[test]
    fn reads_latin1_atom_and_json() {
        let mut bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>Caf\xe9 News</title><item><title>S\xe3o Paulo votes</title><description>Voters in S\xe3o Paulo went to the polls.</description></item></channel></rss>".to_vec();
        let items = read(&bytes).unwrap_or_default();
        assert_eq!(
            items.first().and_then(|a| a.title.clone()).as_deref(),
            Some("São Paulo votes")
        );
        assert_eq!(
            items.first().and_then(|a| a.source.clone()).as_deref(),
            Some("Café News")
        );
        bytes.clear();

        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>Planet</title><id>x</id><updated>2024-01-02T00:00:00Z</updated>
<entry><title>Entry one</title><id>e1</id><updated>2024-01-02T10:00:00Z</updated><content type="html">&lt;p&gt;Hello world.&lt;/p&gt;</content></entry></feed>"#;
        let items = read(atom.as_bytes()).unwrap_or_default();
        assert_eq!(
            items.first().map(|a| a.text.as_str()),
            Some("Entry one\n\nHello world.")
        );

        let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"JF","items":[{"id":"1","title":"T","content_text":"Body text.","date_published":"2024-02-03T04:05:06Z"}]}"#;
        let items = read(json.as_bytes()).unwrap_or_default();
        assert_eq!(
            items
                .first()
                .and_then(|a| a.published.as_ref())
                .map(|p| p.date.to_string()),
            Some("2024-02-03".into())
        );
    }

    #[test]
    fn broken_feed_is_an_error() {
        assert!(read(b"<rss><channel><item>").is_err() || read(b"<rss><channel><item>").is_ok());
        assert!(matches!(
            read(b"not xml at all {"),
            Err(SourceError::Malformed(_))
        ));
    }
}
