//! Subscription lists in and out: OPML 2.0 (what feed readers export) and
//! newsboat's `urls` file (a URL a line, then its tags).

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::store::feeds::FeedRow;

/// One subscription read from a list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Entry {
    pub url: String,
    pub title: Option<String>,
    pub tags: Vec<String>,
}

/// Reads OPML or a newsboat `urls` file, told apart by their content.
pub fn read_list(text: &str) -> Result<Vec<Entry>, String> {
    let head = text.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('<') {
        read_opml(head)
    } else {
        Ok(read_urls(head))
    }
}

/// OPML: every outline with an `xmlUrl` is a feed; the `category`
/// attribute (comma-separated) and the titles of the folders it sits in
/// are its tags.
pub fn read_opml(text: &str) -> Result<Vec<Entry>, String> {
    let mut reader = Reader::from_str(text);
    let mut out = Vec::new();
    // The folders we are in (outlines without xmlUrl); None for a feed
    // outline that has children (rare, but must pop correctly).
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut saw_opml = false;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| format!("not readable OPML: {e}"))?;
        let (e, empty) = match ev {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                if e.local_name().into_inner() == "outline" {
                    folders.pop();
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        match e.local_name().into_inner() {
            "opml" => saw_opml = true,
            "outline" => {
                let mut url = None;
                let mut title = None;
                let mut text_attr = None;
                let mut category = None;
                for a in e.attributes().flatten() {
                    let v = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map(|v| v.trim().to_string())
                        .unwrap_or_default();
                    match a.key.local_name().into_inner() {
                        "xmlUrl" | "xmlurl" => url = Some(v),
                        "title" => title = Some(v),
                        "text" => text_attr = Some(v),
                        "category" => category = Some(v),
                        _ => {}
                    }
                }
                let title = title.or(text_attr).filter(|t| !t.is_empty());
                match url.filter(|u| !u.is_empty()) {
                    Some(url) => {
                        let mut tags: Vec<String> = folders.iter().flatten().cloned().collect();
                        for c in category.iter().flat_map(|c| c.split(',')) {
                            // OPML categories may be paths ("/world/asia").
                            let c = c.trim().trim_matches('/');
                            if !c.is_empty() {
                                tags.push(c.to_string());
                            }
                        }
                        tags.dedup();
                        out.push(Entry {
                            url,
                            title: title.clone(),
                            tags,
                        });
                        if !empty {
                            folders.push(None);
                        }
                    }
                    None if !empty => folders.push(title),
                    None => {}
                }
            }
            _ => {}
        }
    }
    if !saw_opml {
        return Err("not OPML (no <opml> element)".into());
    }
    Ok(out)
}

/// newsboat's `urls`: `URL tag "tag with spaces" "~Title"`; `#` comments;
/// `query:`, `exec:` and `filter:` lines are newsboat's own and skipped.
pub fn read_urls(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words = split_quoted(line);
        let Some(url) = words.first() else { continue };
        if !super::is_url(url) {
            continue;
        }
        let mut e = Entry {
            url: url.clone(),
            ..Entry::default()
        };
        for w in &words[1..] {
            if w.starts_with('#') {
                break;
            }
            if let Some(t) = w.strip_prefix('~') {
                e.title = Some(t.to_string()).filter(|t| !t.is_empty());
            } else {
                // `!` hides a feed in newsboat; the tag is what is kept.
                let t = w.trim_start_matches('!');
                if !t.is_empty() {
                    e.tags.push(t.to_string());
                }
            }
        }
        out.push(e);
    }
    out
}

fn split_quoted(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

/// OPML 2.0 of the subscriptions, one outline each, tags as `category`.
pub fn write_opml(feeds: &[FeedRow], now: &str) -> String {
    let mut s =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n");
    s.push_str("  <head>\n    <title>newsline subscriptions</title>\n");
    s.push_str(&format!("    <dateCreated>{}</dateCreated>\n", esc(now)));
    s.push_str("  </head>\n  <body>\n");
    for f in feeds {
        let title = f.title.clone().unwrap_or_else(|| f.url.clone());
        s.push_str(&format!(
            "    <outline type=\"rss\" text=\"{}\" title=\"{}\" xmlUrl=\"{}\"",
            esc(&title),
            esc(&title),
            esc(&f.url)
        ));
        if !f.tags.is_empty() {
            s.push_str(&format!(" category=\"{}\"", esc(&f.tags.join(","))));
        }
        s.push_str("/>\n");
    }
    s.push_str("  </body>\n</opml>\n");
    s
}

/// XML attribute escaping; control characters (never valid in XML 1.0
/// text) are dropped.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_opml_with_folders_and_categories() {
        let opml = r#"<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
<outline text="World">
  <outline type="rss" text="Desk A" xmlUrl="https://a.example/feed" category="/asia,un"/>
  <outline type="rss" title="Desk &amp; B" xmlUrl="https://b.example/rss"/>
</outline>
<outline type="rss" text="Loose" xmlUrl="https://c.example/atom"/>
</body></opml>"#;
        let got = read_list(opml).unwrap();
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].tags, ["World", "asia", "un"]);
        assert_eq!(got[1].title.as_deref(), Some("Desk & B"));
        assert_eq!(got[1].tags, ["World"]);
        assert!(got[2].tags.is_empty());
        assert!(read_opml("<rss></rss>").is_err());
    }

    #[test]
    fn reads_newsboat_urls() {
        let urls = "# mine\nhttps://a.example/feed world \"east asia\" ~Desk\n\nquery:x:y\nhttp://b.example/rss !hidden\n";
        let got = read_list(urls).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].tags, ["world", "east asia"]);
        assert_eq!(got[0].title.as_deref(), Some("Desk"));
        assert_eq!(got[1].tags, ["hidden"]);
    }

    #[test]
    fn writes_opml_that_reads_back() {
        let feeds = vec![FeedRow {
            url: "https://a.example/f?x=1&y=2".into(),
            title: Some("A \"desk\" <1>".into()),
            tags: vec!["world".into(), "asia".into()],
            ..FeedRow::default()
        }];
        let text = write_opml(&feeds, "2026-01-01T00:00:00Z");
        let back = read_opml(&text).unwrap();
        assert_eq!(back[0].url, feeds[0].url);
        assert_eq!(back[0].title, feeds[0].title);
        assert_eq!(back[0].tags, feeds[0].tags);
    }
}
