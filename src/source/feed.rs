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
    read_noted(bytes).map(|(items, _)| items)
}

/// Reads every item of a feed, and says what was lost when the feed is
/// broken: a feed cut short keeps its complete items, an item that does not
/// parse is dropped and the others kept, a JSON Feed field of the wrong
/// type is mended or dropped. Markup or JSON never becomes article text.
pub fn read_noted(bytes: &[u8]) -> Result<(Vec<SourceArticle>, Vec<String>), SourceError> {
    let first_error = match read_whole(bytes) {
        Ok(items) => return Ok((items, Vec::new())),
        Err(SourceError::Malformed(e)) => e,
        Err(e) => return Err(e),
    };
    let is_json = bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'{');
    let (items, notes) = if is_json {
        recover_json(bytes)
    } else {
        recover_xml(bytes)
    }
    .ok_or(SourceError::Malformed(first_error.clone()))?;
    let mut notes = notes;
    notes.insert(0, format!("broken feed ({first_error})"));
    if items.is_empty() {
        return Err(SourceError::Malformed(format!(
            "{first_error}; no item could be read"
        )));
    }
    Ok((items, notes))
}

/// Reads a feed that feed-rs takes whole.
fn read_whole(bytes: &[u8]) -> Result<Vec<SourceArticle>, SourceError> {
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

/// Where each complete `<item>…</item>` (or Atom `<entry>`) lies, in order,
/// and whether an item was left open at the end.
fn xml_items(bytes: &[u8], open: &[u8], close: &[u8]) -> (Vec<(usize, usize)>, bool) {
    let mut out = Vec::new();
    let mut at = 0;
    let mut cut_short = false;
    while let Some(k) = find_tag(&bytes[at..], open) {
        let start = at + k;
        match memchr::memmem::find(&bytes[start..], close) {
            Some(e) => {
                let end = start + e + close.len();
                out.push((start, end));
                at = end;
            }
            None => {
                cut_short = true;
                break;
            }
        }
    }
    (out, cut_short)
}

/// The first `<name` in `hay` that is the whole tag name (`<item>`,
/// `<item rdf:about=…>`, not `<itemize>`).
pub(crate) fn find_tag(hay: &[u8], open: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(k) = memchr::memmem::find(&hay[from..], open) {
        let at = from + k;
        match hay.get(at + open.len()) {
            Some(c) if c.is_ascii_whitespace() || *c == b'>' || *c == b'/' => return Some(at),
            None => return None,
            _ => from = at + 1,
        }
    }
    None
}

/// A broken RSS or Atom feed: its head (everything before the first item)
/// with the complete items, closed again, read whole; failing that, each
/// item alone with the head. `None` when the feed has no items at all.
fn recover_xml(bytes: &[u8]) -> Option<(Vec<SourceArticle>, Vec<String>)> {
    let (open, close, tail): (&[u8], &[u8], &[u8]) =
        if find_tag(bytes, b"<entry").is_some() && find_tag(bytes, b"<item").is_none() {
            (b"<entry", b"</entry>", b"</feed>")
        } else if memchr::memmem::find(bytes, b"<rdf:RDF").is_some() {
            (b"<item", b"</item>", b"</rdf:RDF>")
        } else {
            (b"<item", b"</item>", b"</channel></rss>")
        };
    let (items, cut_short) = xml_items(bytes, open, close);
    let first = items.first().map(|&(s, _)| s)?;
    // RSS 1.0 closes its channel before the items, RSS 2.0 keeps them
    // inside it: either way the head ends where the first item starts.
    let head = bytes[..first].to_vec();
    let rebuild = |range: &[(usize, usize)]| {
        let mut doc = head.clone();
        for &(s, e) in range {
            doc.extend_from_slice(&bytes[s..e]);
        }
        doc.extend_from_slice(tail);
        doc
    };
    let mut notes = Vec::new();
    let kept = match read_whole(&rebuild(&items)) {
        Ok(arts) => arts,
        Err(_) => {
            // Some item itself is broken: read them one by one.
            let mut arts = Vec::new();
            let mut bad = 0;
            for item in &items {
                match read_whole(&rebuild(std::slice::from_ref(item))) {
                    Ok(mut a) => arts.append(&mut a),
                    Err(SourceError::NoText) => {}
                    Err(_) => bad += 1,
                }
            }
            if bad > 0 {
                notes.push(format!(
                    "{bad} item{} could not be read and were dropped",
                    if bad == 1 { "" } else { "s" }
                ));
            }
            arts
        }
    };
    if cut_short {
        notes.push(format!(
            "the feed is cut short: kept {} complete item{}, dropped the unfinished one at the end",
            kept.len(),
            if kept.len() == 1 { "" } else { "s" }
        ));
    }
    Some((kept, notes))
}

/// JSON Feed's fields that hold a string, at the top and in each item.
const JSON_FEED_STRINGS: &[&str] = &[
    "id",
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "image",
    "banner_image",
    "date_published",
    "date_modified",
    "language",
    "home_page_url",
    "feed_url",
    "description",
    "user_comment",
    "next_url",
    "icon",
    "favicon",
];

/// Mends the fields of a JSON Feed object that have the wrong type: a
/// number or boolean where a string belongs becomes that string; any other
/// wrong value (an object, a list, null) is removed, as is a list of tags or
/// authors that is not one. Returns the names of the fields changed.
fn mend_json_fields(map: &mut serde_json::Map<String, serde_json::Value>) -> Vec<String> {
    use serde_json::Value;
    let mut changed = Vec::new();
    for key in JSON_FEED_STRINGS {
        let fix = match map.get(*key) {
            None | Some(Value::String(_)) => continue,
            Some(Value::Number(n)) => Some(Value::String(n.to_string())),
            Some(Value::Bool(b)) => Some(Value::String(b.to_string())),
            Some(_) => None,
        };
        match fix {
            Some(v) => {
                map.insert((*key).to_string(), v);
            }
            None => {
                map.remove(*key);
            }
        }
        changed.push((*key).to_string());
    }
    if let Some(tags) = map.get("tags") {
        let ok = tags
            .as_array()
            .is_some_and(|a| a.iter().all(Value::is_string));
        if !ok {
            map.remove("tags");
            changed.push("tags".into());
        }
    }
    for key in ["author", "authors", "attachments", "hubs"] {
        let ok = match map.get(key) {
            None => true,
            Some(Value::Object(_)) => key == "author",
            Some(Value::Array(a)) => key != "author" && a.iter().all(Value::is_object),
            Some(_) => false,
        };
        if !ok {
            map.remove(key);
            changed.push(key.to_string());
        }
    }
    changed
}

/// A JSON Feed that feed-rs refuses: its fields of the wrong type mended,
/// and each item read alone so that one bad item loses only itself. `None`
/// when it is not JSON with a list of items.
fn recover_json(bytes: &[u8]) -> Option<(Vec<SourceArticle>, Vec<String>)> {
    use serde_json::Value;
    let Ok(Value::Object(mut top)) = serde_json::from_slice::<Value>(bytes) else {
        return None;
    };
    let Some(Value::Array(items)) = top.remove("items") else {
        return None;
    };
    let mut notes = Vec::new();
    let changed = mend_json_fields(&mut top);
    if !changed.is_empty() {
        notes.push(format!(
            "feed fields of the wrong type mended or dropped: {}",
            changed.join(", ")
        ));
    }
    let mut arts = Vec::new();
    let mut lost = 0;
    for (n, item) in items.into_iter().enumerate() {
        let Value::Object(mut item) = item else {
            lost += 1;
            continue;
        };
        let changed = mend_json_fields(&mut item);
        if !changed.is_empty() {
            notes.push(format!(
                "item {}: fields of the wrong type mended or dropped: {}",
                n + 1,
                changed.join(", ")
            ));
        }
        let mut doc = top.clone();
        doc.insert("items".into(), Value::Array(vec![Value::Object(item)]));
        let Ok(one) = serde_json::to_vec(&Value::Object(doc)) else {
            lost += 1;
            continue;
        };
        match read_whole(&one) {
            Ok(mut a) => arts.append(&mut a),
            Err(SourceError::NoText) => {}
            Err(_) => lost += 1,
        }
    }
    if lost > 0 {
        notes.push(format!(
            "{lost} item{} could not be read and were dropped",
            if lost == 1 { "" } else { "s" }
        ));
    }
    Some((arts, notes))
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
