//! HTML pages: the main text through `dom_smoothie` (a readability port),
//! metadata from JSON-LD, meta tags, `<time>`, the dateline and the URL.
//!
//! The publication date is taken in this order of trust, first found wins:
//! JSON-LD `datePublished`, `article:published_time`, the other common
//! meta tags (`date`, `pubdate`, `dc.date`, `parsely-pub-date`, ...), a
//! `<time datetime>` (preferring one marked as the publication time), the
//! dateline (only with a year from the metadata: see `plain`), the URL
//! path. All of them give `published_from = metadata`.

use dom_query::{Document, NodeRef};
use dom_smoothie::{Config, Readability};
use serde_json::Value;

use super::{agency, dateline, dates, furniture, normalize_ws, sanitize, Published, SourceArticle};
use crate::model::PublishedFrom;

/// Pages with more elements than this skip readability (its scoring is
/// not linear on huge pages) and use the plain paragraph walk.
const MAX_ELEMENTS: usize = 100_000;

/// Meta keys (name, property or itemprop) that carry the publication
/// date, most trusted first.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_time",
    "og:published_time",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "dc.date.created",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "article_date_original",
    "citation_publication_date",
    "citation_date",
    "cxenseparse:recs:publishtime",
    "original-publish-date",
    "og:pubdate",
    "displaydate",
    "timestamp",
];

/// Pages nested deeper than this are not given to the HTML parser: its
/// tree building is quadratic in the depth and readability recurses on it.
const MAX_DEPTH: usize = 400;

/// Attributes kept per tag. The HTML parser checks each new attribute of
/// a tag against those before it (duplicates are dropped), which is
/// quadratic in their number; no real page needs more than a few dozen.
const MAX_ATTRS: usize = 128;

/// Reads one HTML page.
pub fn read(html: &str) -> SourceArticle {
    let bounded = bound_attributes(html);
    let html: &str = &bounded;
    if nesting_depth(html) > MAX_DEPTH {
        return read_flat(html);
    }
    let doc = Document::from(html);
    let meta = collect_meta(&doc);
    let ld = json_ld(&doc);
    let get = |k: &str| {
        meta.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };

    let url = doc
        .select("link[rel=canonical]")
        .attr("href")
        .map(|s| s.to_string())
        .or_else(|| get("og:url").map(str::to_string))
        .or_else(|| ld.url.clone())
        .map(|u| clean_line(&u))
        .filter(|u| !u.is_empty());
    let mut art = SourceArticle {
        url,
        ..Default::default()
    };

    let elements = doc.select("*").length();
    let readable = if elements <= MAX_ELEMENTS {
        readability(html, art.url.as_deref())
    } else {
        None
    };
    let mut paras = match &readable {
        Some(r) if !r.paragraphs.is_empty() => with_lead_in(&doc, &r.paragraphs),
        _ => doc.body().map(|b| paragraphs_of(&b)).unwrap_or_default(),
    };
    paras.retain(|p| !p.is_empty());
    furniture::merge_drop_caps(&mut paras);
    let cleaned = furniture::clean_paragraphs(paras);
    let mut paras = cleaned.paragraphs;

    let title = ld
        .headline
        .clone()
        .or_else(|| get("og:title").map(str::to_string))
        .or_else(|| readable.as_ref().and_then(|r| r.title.clone()))
        .or_else(|| {
            doc.select("title")
                .nodes()
                .first()
                .map(|n| n.text().to_string())
        })
        .map(|t| clean_line(&t))
        .filter(|t| !t.is_empty());
    if let Some(t) = &title {
        if !paras.first().is_some_and(|p| p.eq_ignore_ascii_case(t)) {
            paras.insert(0, t.clone());
        }
    }
    art.title = title;

    art.source = get("og:site_name")
        .map(str::to_string)
        .or_else(|| ld.publisher.clone())
        .or_else(|| get("application-name").map(str::to_string))
        .map(|s| clean_line(&s))
        .filter(|s| !s.is_empty());

    art.authors = if !ld.authors.is_empty() {
        ld.authors.clone()
    } else if let Some(a) = get("author")
        .or_else(|| get("article:author"))
        .filter(|a| !a.starts_with("http"))
    {
        vec![clean_line(a)]
    } else if let Some(b) = readable.as_ref().and_then(|r| r.byline.clone()) {
        vec![clean_line(
            b.trim_start_matches("By ").trim_start_matches("by "),
        )]
    } else {
        cleaned.authors.clone()
    };
    art.authors.retain(|a| !a.is_empty() && a.len() < 200);

    let first_body = usize::from(art.title.is_some());
    let dl = dateline::find(&paras, first_body);
    if let Some(d) = &dl {
        art.dateline = Some(d.place.clone());
        if art.source.is_none() {
            art.source = d
                .agency
                .as_deref()
                .map(|a| agency::canonical(a).unwrap_or(a).to_string());
        }
    }
    if art.source.is_none() {
        art.source = cleaned.agency.clone();
    }

    let date = ld
        .date_published
        .as_deref()
        .and_then(dates::parse)
        .or_else(|| DATE_KEYS.iter().find_map(|k| get(k).and_then(dates::parse)))
        .or_else(|| time_element(&doc))
        .or_else(|| {
            readable
                .as_ref()
                .and_then(|r| r.published.as_deref())
                .and_then(dates::parse)
        })
        .or_else(|| visible_date(&doc))
        .or_else(|| dateline_date(dl.as_ref(), &meta))
        .or_else(|| art.url.as_deref().and_then(dates::from_url));
    art.published = date.map(|d| Published {
        date: d.date,
        display: d.display,
        from: PublishedFrom::Metadata,
    });

    art.text = furniture::join_text(&paras);
    art
}

/// Readability keeps the densest block; a standfirst or a note printed
/// just above it in the page's `<main>` (outside the `<article>`) is part
/// of the story too. Takes up to two sentence-like paragraphs that
/// directly precede the chosen text there.
fn with_lead_in(doc: &Document, paras: &[String]) -> Vec<String> {
    let mut out = paras.to_vec();
    let Some(first) = paras.first() else {
        return out;
    };
    let main = doc.select("main, [role=main]");
    let Some(node) = main.nodes().first() else {
        return out;
    };
    let all = paragraphs_of(node);
    let Some(k) = all.iter().position(|p| p == first) else {
        return out;
    };
    let mut lead = Vec::new();
    for p in all[..k].iter().rev().take(2) {
        let sentence = p.ends_with(['.', '!', '?', '”', '"']) && p.split_whitespace().count() >= 3;
        if !sentence || furniture::is_furniture(p) {
            break;
        }
        lead.push(p.clone());
    }
    lead.reverse();
    lead.append(&mut out);
    lead
}

/// One line of metadata: sanitized, whitespace collapsed.
fn clean_line(s: &str) -> String {
    normalize_ws(&sanitize::clean(s))
}

/// Every `<meta>` as (lower-cased name/property/itemprop, content).
fn collect_meta(doc: &Document) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for node in doc.select("meta").nodes() {
        let Some(content) = node.attr("content").or_else(|| node.attr("datetime")) else {
            continue;
        };
        let content = content.trim();
        if content.is_empty() {
            continue;
        }
        for attr in ["property", "name", "itemprop", "http-equiv"] {
            if let Some(k) = node.attr(attr) {
                out.push((k.trim().to_ascii_lowercase(), content.to_string()));
            }
        }
    }
    out
}

/// What JSON-LD says about the article.
#[derive(Default)]
struct LdInfo {
    headline: Option<String>,
    date_published: Option<String>,
    authors: Vec<String>,
    publisher: Option<String>,
    url: Option<String>,
}

/// Reads the first article-like object of the page's JSON-LD blocks
/// (looking inside `@graph` and arrays).
fn json_ld(doc: &Document) -> LdInfo {
    let mut info = LdInfo::default();
    for node in doc.select("script[type=\"application/ld+json\"]").nodes() {
        let Ok(v) = serde_json::from_str::<Value>(node.text().trim()) else {
            continue;
        };
        let mut stack = vec![&v];
        while let Some(v) = stack.pop() {
            match v {
                Value::Array(items) => stack.extend(items.iter().rev()),
                Value::Object(map) => {
                    if let Some(g) = map.get("@graph") {
                        stack.push(g);
                    }
                    if map.get("datePublished").is_some() && info.date_published.is_none() {
                        info.date_published = map
                            .get("datePublished")
                            .and_then(Value::as_str)
                            .map(str::to_string);
                        info.headline = map
                            .get("headline")
                            .and_then(Value::as_str)
                            .map(str::to_string);
                        info.url = map.get("url").and_then(Value::as_str).map(str::to_string);
                        info.authors = names(map.get("author"));
                        info.publisher = names(map.get("publisher")).into_iter().next();
                    }
                }
                _ => {}
            }
        }
    }
    info
}

/// The names in a JSON-LD person/organisation value (a string, an object
/// with `name`, or a list of either).
fn names(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![clean_line(s)],
        Some(Value::Object(m)) => m
            .get("name")
            .and_then(Value::as_str)
            .map(|s| vec![clean_line(s)])
            .unwrap_or_default(),
        Some(Value::Array(items)) => items.iter().flat_map(|i| names(Some(i))).collect(),
        _ => Vec::new(),
    }
}

/// A `<time datetime>`: one marked as the publication time first, then the
/// first one inside an `<article>`, then the first on the page.
fn time_element(doc: &Document) -> Option<dates::DateValue> {
    for sel in [
        "time[itemprop=datePublished]",
        "time[pubdate]",
        "article time[datetime]",
        "time[datetime]",
    ] {
        for node in doc.select(sel).nodes().iter().take(3) {
            let v = node.attr("datetime").or_else(|| node.attr("content"));
            if let Some(d) = v.as_deref().and_then(dates::parse) {
                return Some(d);
            }
        }
    }
    None
}

/// Elements whose class, id or itemprop says they hold the story's date or
/// byline, as htmldate looks for them after the metadata.
const VISIBLE_DATE_SELECTORS: &str = "[class*=date], [id*=date], [itemprop*=date], \
     [class*=publish], [class*=posted], [class*=timestamp], [class*=byline], [class*=dateline]";

/// Labels printed before a visible date.
const DATE_LABELS: &[&str] = &[
    "published on",
    "published",
    "posted on",
    "posted",
    "first published",
    "on",
];

/// The date printed in the page's byline or header ("8 January 2020, 3:51
/// pm", "Posted: Nov 8, 2023"): the first short element marked as a date
/// (class, id or itemprop) whose whole text is a full date, outside
/// navigation, sidebars and footers, and not an "updated" date. The day is
/// kept without the time: a printed time has no zone.
fn visible_date(doc: &Document) -> Option<dates::DateValue> {
    let nodes = doc.select(VISIBLE_DATE_SELECTORS).nodes().to_vec();
    for node in nodes.iter().take(200) {
        if node
            .ancestors_it(Some(64))
            .any(|a| a.is("aside, nav, footer"))
        {
            continue;
        }
        let text = node.text();
        if text.len() > 120 {
            continue;
        }
        let line = normalize_ws(&text);
        let lower = line.to_lowercase();
        if lower.contains("updated") || lower.contains("modified") {
            continue;
        }
        // "By Jane Roe | 8 January 2020": each piece of a byline on its own.
        for piece in lower.split(['|', '·', '•', '—']) {
            let mut rest = piece.trim();
            for label in DATE_LABELS {
                if let Some(r) = rest.strip_prefix(label) {
                    rest = r.trim_start_matches([':', ' ']);
                }
            }
            if let Some(v) = dates::parse(rest) {
                return Some(dates::DateValue {
                    date: v.date,
                    display: v.date.format("%Y-%m-%d").to_string(),
                    instant: None,
                });
            }
        }
    }
    None
}

/// A dateline's month and day, with the year of a date elsewhere in the
/// metadata (a modified date, for instance).
fn dateline_date(
    dl: Option<&dateline::Dateline>,
    meta: &[(String, String)],
) -> Option<dates::DateValue> {
    let (m, d) = dl?.month_day?;
    let year = meta
        .iter()
        .find_map(|(_, v)| dates::parse(v))
        .map(|v| chrono::Datelike::year(&v.date))?;
    dates::parse(&format!("{year:04}-{m:02}-{d:02}"))
}

/// What readability found.
struct Readable {
    title: Option<String>,
    byline: Option<String>,
    published: Option<String>,
    paragraphs: Vec<String>,
}

fn readability(html: &str, url: Option<&str>) -> Option<Readable> {
    let cfg = Config {
        max_elements_to_parse: MAX_ELEMENTS,
        ..Default::default()
    };
    // A relative or odd canonical URL makes dom_smoothie refuse the page;
    // the URL only resolves links, so try without it.
    let mut r = Readability::new(
        html,
        url.filter(|u| u.starts_with("http")),
        Some(cfg.clone()),
    )
    .or_else(|_| Readability::new(html, None, Some(cfg)))
    .ok()?;
    let article = r.parse().ok()?;
    let content = Document::from(article.content.to_string());
    let paragraphs = paragraphs_of(&content.root());
    Some(Readable {
        title: Some(article.title).filter(|t| !t.trim().is_empty()),
        byline: article.byline,
        published: article.published_time,
        paragraphs,
    })
}

/// Elements whose text is never article text.
const SKIP: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "footer",
    "aside",
    "form",
    "button",
    "svg",
    "iframe",
    "select",
    "option",
    "head",
    "figure",
    "figcaption",
    "menu",
    "object",
    "embed",
    "canvas",
];
/// Elements that start and end a paragraph.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "br",
    "hr",
    "address",
    "center",
    "details",
    "summary",
    "body",
    "html",
    "caption",
];

/// The text of a tree as paragraphs: block elements break paragraphs,
/// inline ones run on; whitespace is collapsed. Walks with an explicit
/// stack, so deeply nested pages cannot overflow the call stack.
pub fn paragraphs_of(root: &NodeRef) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut stack: Vec<(NodeRef, bool)> = vec![(*root, false)];
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        let p = normalize_ws(cur);
        if !p.is_empty() {
            out.push(p);
        }
        cur.clear();
    };
    while let Some((node, leaving)) = stack.pop() {
        if leaving {
            flush(&mut cur, &mut out);
            continue;
        }
        if node.is_text() {
            cur.push_str(&node.text());
            continue;
        }
        if node.is_element() {
            let name = node
                .node_name()
                .map(|n| n.to_ascii_lowercase())
                .unwrap_or_default();
            if SKIP.contains(&name.as_str()) {
                continue;
            }
            if BLOCK.contains(&name.as_str()) {
                flush(&mut cur, &mut out);
                stack.push((node, true));
            }
        } else if !(node.is_document() || node.is_fragment()) {
            continue;
        }
        let children = node.children();
        stack.extend(children.into_iter().rev().map(|c| (c, false)));
    }
    flush(&mut cur, &mut out);
    out
}

/// The paragraphs of an HTML fragment (a feed item's content).
pub fn fragment_paragraphs(html: &str) -> Vec<String> {
    let bounded = bound_attributes(html);
    let html: &str = &bounded;
    if nesting_depth(html) > MAX_DEPTH {
        return strip_tags(html);
    }
    let doc = Document::fragment(html);
    paragraphs_of(&doc.root())
}

/// Elements whose content is raw text to the HTML parser: nothing is
/// inserted into it.
const RAW_TEXT: &[&[u8]] = &[
    b"script",
    b"style",
    b"title",
    b"textarea",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
    b"noscript",
];

/// Characters the HTML serializer escapes (`&`, and U+00A0 whose UTF-8
/// starts with 0xC2) allowed in one text node. For each of them it
/// searches the rest of the node for `<` and `>`, which is quadratic in
/// their number; readability serializes the page's nodes.
const MAX_ESCAPES_PER_NODE: usize = 64;

/// `html` made safe for the parser's per-tag and per-node work: every tag
/// cut to its first `MAX_ATTRS` attributes, and a `<wbr>` (an empty inline
/// element, which changes no text) put into a run of text after every
/// `MAX_ESCAPES_PER_NODE` characters the serializer escapes. One pass
/// that reads tags as the HTML tokenizer does (quoted values may hold
/// `>`), leaving raw-text elements alone; borrows the input when it needs
/// no change (real pages).
pub(crate) fn bound_attributes(html: &str) -> std::borrow::Cow<'_, str> {
    let b = html.as_bytes();
    // (from, to, inserted): bytes from..to are replaced by `inserted`.
    let mut edits: Vec<(usize, usize, &'static str)> = Vec::new();
    // Where the current run of text started.
    let mut text_from = 0;
    let mut i = 0;
    loop {
        let lt = memchr::memchr(b'<', &b[i..]).map(|k| i + k);
        // The text before this tag (or the end).
        let text_end = lt.unwrap_or(b.len());
        let mut escapes = 0usize;
        for k in memchr::memchr2_iter(b'&', 0xC2, &b[text_from..text_end]) {
            escapes += 1;
            if escapes % MAX_ESCAPES_PER_NODE == 0 {
                // Both bytes start a char.
                edits.push((text_from + k, text_from + k, "<wbr>"));
            }
        }
        let Some(start) = lt else { break };
        i = start + 1;
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            // Not a start tag: the `<` is text or an end tag or comment;
            // the text run goes on after it.
            text_from = i;
            continue;
        }
        let name_end = b[i..]
            .iter()
            .position(|c| c.is_ascii_whitespace() || matches!(c, b'>' | b'/'))
            .map_or(b.len(), |n| i + n);
        let name = &b[i..name_end];
        let mut j = name_end;
        let mut count = 0usize;
        let mut cut = None;
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                break;
            }
            if count == MAX_ATTRS && cut.is_none() {
                cut = Some(j);
            }
            count += 1;
            // The attribute's name, then maybe `=` and a value.
            while j < b.len() && !(b[j].is_ascii_whitespace() || matches!(b[j], b'>' | b'=')) {
                j += 1;
            }
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < b.len() && b[j] == b'=' {
                j += 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                match b.get(j) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        j = memchr::memchr(q, &b[j + 1..]).map_or(b.len(), |e| j + 1 + e + 1);
                    }
                    _ => {
                        while j < b.len() && !(b[j].is_ascii_whitespace() || b[j] == b'>') {
                            j += 1;
                        }
                    }
                }
            }
        }
        let j = j.min(b.len());
        if let Some(c) = cut {
            // Both ends are at ASCII bytes (an attribute's first byte after
            // a space or quote; `>` or the end), so on char boundaries.
            edits.push((c, j, ""));
        }
        i = (j + 1).min(b.len());
        text_from = i;
        // The content of a script, style or title is not markup.
        if let Some(raw) = RAW_TEXT.iter().find(|r| name.eq_ignore_ascii_case(r)) {
            let close = memchr::memmem::find_iter(&b[i..], b"</")
                .find(|&k| {
                    b.get(i + k + 2..i + k + 2 + raw.len())
                        .is_some_and(|n| n.eq_ignore_ascii_case(raw))
                })
                .map_or(b.len(), |k| i + k);
            i = close;
            text_from = close;
        }
    }
    if edits.is_empty() {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + edits.len() * 5);
    let mut from = 0;
    for (cut, end, inserted) in edits {
        out.push_str(html.get(from..cut).unwrap_or_default());
        out.push_str(inserted);
        from = end;
    }
    out.push_str(html.get(from..).unwrap_or_default());
    std::borrow::Cow::Owned(out)
}

/// Elements that close themselves or are usually left open; they do not
/// count towards the nesting depth.
const UNNESTED: &[&str] = &[
    "br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed",
    "param", "track", "p", "li", "td", "th", "tr", "dt", "dd", "option", "!doctype",
];

/// An estimate of how deeply the page's tags nest, in one linear pass.
fn nesting_depth(html: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let b = html.as_bytes();
    // Where the next `>` is, found once for all the tags before it: looking
    // it up again for every `<` is quadratic on text full of `<`.
    let mut next_gt: Option<usize> = None;
    for lt in memchr::memchr_iter(b'<', b) {
        let rest = &html[lt + 1..];
        let closing = rest.starts_with('/');
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .take(12)
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || name.starts_with("!--") || UNNESTED.contains(&name.as_str()) {
            continue;
        }
        if next_gt.is_some_and(|g| g < lt) || next_gt.is_none() {
            next_gt = Some(memchr::memchr(b'>', &b[lt..]).map_or(usize::MAX, |g| lt + g));
        }
        let self_closing = next_gt.is_some_and(|g| g != usize::MAX && b[g - 1] == b'/');
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

/// A page too odd for the HTML parser: its text with tags removed, block
/// tags breaking paragraphs, scripts and styles dropped. Linear.
fn strip_tags(html: &str) -> Vec<String> {
    let mut text = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        text.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let end = rest.find('>').map(|e| e + 1).unwrap_or(rest.len());
        let tag = &rest[..end];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &rest[end..];
        if (name == "script" || name == "style") && !tag.starts_with('/') {
            let close = format!("</{name}");
            let lower_pos = find_ci(rest, &close);
            rest = &rest[lower_pos..];
            continue;
        }
        if BLOCK.contains(&name.as_str()) {
            text.push_str("\n\n");
        }
    }
    text.push_str(rest);
    text.split("\n\n")
        .map(|p| normalize_ws(&decode_entities(p)))
        .filter(|p| !p.is_empty())
        .collect()
}

/// Where `needle` (ASCII) starts in `hay`, ignoring ASCII case; the end of
/// `hay` if nowhere.
fn find_ci(hay: &str, needle: &str) -> usize {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..h.len().saturating_sub(n.len()) + 1)
        .find(|&i| h.len() >= i + n.len() && h[i..i + n.len()].eq_ignore_ascii_case(n))
        .unwrap_or(hay.len())
}

/// The few entities that matter in text, for the flat fallback.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&rsquo;", "’")
        .replace("&lsquo;", "‘")
        .replace("&ldquo;", "“")
        .replace("&rdquo;", "”")
        .replace("&mdash;", "—")
        .replace("&ndash;", "–")
        .replace("&amp;", "&")
}

/// Reads a page that is too deeply nested for the HTML parser: text only.
fn read_flat(html: &str) -> SourceArticle {
    let cleaned = furniture::clean_paragraphs(strip_tags(html));
    SourceArticle {
        text: furniture::join_text(&cleaned.paragraphs),
        source: cleaned.agency,
        authors: cleaned.authors,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html lang="en"><head>
<title>Ministers agree on fisheries | Globex Wire</title>
<meta property="og:site_name" content="Globex Wire">
<meta property="og:title" content="Ministers agree on fisheries">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2024-03-08T10:12:00+01:00">
<link rel="canonical" href="https://example.org/world/2024/03/07/ministers-agree/">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<header><h1>Ministers agree on fisheries</h1></header>
<article>
<p>LISBON, March 8 (Globex) - Portugal and Spain agreed on Friday to open talks on fishing quotas in the Atlantic, the two governments said in a joint statement issued after a meeting of their ministers.</p>
<p>"We want a fair deal for our fishermen, and we want it soon," the Portuguese minister told reporters at the end of the meeting, adding that the talks would start in April.</p>
<p>Spain's minister said the two countries had long disagreed on quotas, but that both wanted to protect fish stocks, which scientists say have fallen sharply over the past decade.</p>
<div class="share">Share</div>
</article>
<aside><p>Most read: Floods in the north</p></aside>
<footer><p>Copyright 2024 Globex Wire. All rights reserved.</p></footer>
</body></html>"#;

    #[test]
    fn reads_a_page() {
        let a = read(PAGE);
        assert_eq!(a.title.as_deref(), Some("Ministers agree on fisheries"));
        assert_eq!(a.source.as_deref(), Some("Globex Wire"));
        assert_eq!(a.authors, vec!["Jane Roe".to_string()]);
        assert_eq!(
            a.url.as_deref(),
            Some("https://example.org/world/2024/03/07/ministers-agree/")
        );
        assert_eq!(a.dateline.as_deref(), Some("LISBON"));
        let p = a.published.unwrap_or_else(|| unreachable!());
        assert_eq!(
            (p.date.to_string(), p.from),
            ("2024-03-08".into(), PublishedFrom::Metadata)
        );
        assert!(
            a.text
                .starts_with("Ministers agree on fisheries\n\nLISBON, March 8"),
            "{}",
            a.text
        );
        assert!(a.text.contains("protect fish stocks"));
        for bad in ["Most read", "Copyright", "Home", "Share"] {
            assert!(!a.text.contains(bad), "{bad:?} in {:?}", a.text);
        }
    }

    #[test]
    fn json_ld_and_url_dates() {
        let page = r#"<html><head><script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","headline":"Floods hit the north","datePublished":"2023-06-02T08:00:00Z","author":[{"@type":"Person","name":"John Doe"}],"publisher":{"@type":"Organization","name":"Daily Planet"}}]}</script>
<meta name="date" content="2020-01-01"></head><body><p>Heavy rain caused floods in the north of the country on Thursday, officials said.</p></body></html>"#;
        let a = read(page);
        assert_eq!(
            a.published.map(|p| p.date.to_string()),
            Some("2023-06-02".into())
        );
        assert_eq!(a.authors, vec!["John Doe".to_string()]);
        assert_eq!(a.source.as_deref(), Some("Daily Planet"));
        assert!(a.text.contains("Heavy rain caused floods"));

        let page = r#"<html><head><link rel="canonical" href="https://example.org/news/2021/09/14/story"></head><body><p>Text of the story goes here.</p></body></html>"#;
        assert_eq!(
            read(page).published.map(|p| p.date.to_string()),
            Some("2021-09-14".into())
        );
    }

    #[test]
    fn fragments() {
        assert_eq!(
            fragment_paragraphs("<p>One <b>bold</b> line.</p><p>Two</p>Three<br>Four"),
            vec!["One bold line.", "Two", "Three", "Four"]
        );
        assert!(fragment_paragraphs("<script>alert(1)</script>").is_empty());
    }

    #[test]
    fn deep_nesting_is_fine() {
        let html = format!(
            "<html><body>{}<p>deep</p>{}</body></html>",
            "<div>".repeat(20_000),
            "</div>".repeat(20_000)
        );
        let a = read(&html);
        assert_eq!(a.text, "deep");
        assert_eq!(
            strip_tags("<p>One &amp; two</p><script>x<y</script><div>Three</div>"),
            vec!["One & two", "Three"]
        );
    }

    #[test]
    fn visible_byline_date() {
        let page = r#"<html><head><title>Dam opens</title></head><body>
<aside><span class="date">3 March 2019</span></aside>
<div class="meta"><span class="byline">By Jane Roe</span> <span class="date">8 May 2021, 3:51 pm</span>
<span class="date">Updated 9 May 2021</span></div>
<article><p>The new dam on the river opened on Friday after ten years of work, the regional government said in a statement.</p></article>
<ul class="related"><li><div class="date">2 hours ago</div></li></ul></body></html>"#;
        let p = read(page).published.unwrap_or_else(|| unreachable!());
        assert_eq!(
            (p.date.to_string(), p.display.as_str(), p.from),
            ("2021-05-08".into(), "2021-05-08", PublishedFrom::Metadata)
        );
        let page = r#"<html><body><p class="byline">By Jane Roe | Posted: Nov 8, 2023</p><p>The council met on Tuesday to vote on the budget for the coming year, officials said.</p></body></html>"#;
        assert_eq!(
            read(page).published.map(|p| p.date.to_string()),
            Some("2023-11-08".into())
        );
    }

    #[test]
    fn newsletter_box_in_the_body_is_dropped() {
        let page = r#"<html><body><article><p>The council met on Tuesday to vote on the budget for the coming year, officials in the northern city of Valdoria said.</p>
<div class="newsletter"><p>Get the Globex Daily Edition by email and never miss our top stories</p><p>Free Sign Up</p></div>
<p>The mayor said the vote would take place next month, after a second reading of the plan by the full council.</p></article></body></html>"#;
        let a = read(page);
        assert!(a.text.contains("second reading"), "{}", a.text);
        assert!(!a.text.contains("Daily Edition"), "{}", a.text);
        assert!(!a.text.contains("Sign Up"), "{}", a.text);
    }

    /// The parser's per-tag work is bounded: whatever the number of
    /// attributes in a tag, it sees at most `MAX_ATTRS` of them, so a page
    /// of 10,000 or 40,000 attributes gives it the same work.
    #[test]
    fn html_attribute_storm_is_linear() {
        let storm = |n: usize| {
            let attrs: String = (0..n).map(|i| format!(" data-a{i}=\"v>{i}\"")).collect();
            format!("<html><body><div{attrs}><p>The harbour of Valdoria reopened on Monday, officials said.</p></div></body></html>")
        };
        let (small, big) = (storm(10_000), storm(40_000));
        let (a, b) = (bound_attributes(&small), bound_attributes(&big));
        assert_eq!(a.len(), b.len(), "the parser sees the same page");
        assert_eq!(a.matches(" data-a").count(), MAX_ATTRS);
        assert!(a.contains("<p>The harbour of Valdoria"));
        assert!(read(&big).text.contains("harbour of Valdoria reopened"));
        // Real pages pass untouched, without a copy.
        assert!(matches!(
            bound_attributes(PAGE),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    /// The serializer's work per text node is bounded too: a node never
    /// holds more than `MAX_ESCAPES_PER_NODE` characters it escapes, and
    /// the text read is the same.
    #[test]
    fn many_escapes_in_one_text_node_are_split() {
        let amps = "&amp; ".repeat(1000);
        let page = format!("<html><head><title>A &amp; B</title></head><body><p>Ships docked. {amps}</p></body></html>");
        let bounded = bound_attributes(&page);
        assert_eq!(
            bounded.matches("<wbr>").count(),
            1000 / MAX_ESCAPES_PER_NODE
        );
        assert!(bounded.contains("<title>A &amp; B</title>"));
        let a = read(&page);
        // The title's one and the paragraph's thousand.
        assert_eq!(a.text.matches('&').count(), 1001);
        assert!(!a.text.contains("wbr"));
    }

    /// Text full of `<` with no `>` is read in one pass.
    #[test]
    fn nesting_depth_of_unclosed_tags() {
        let text = format!("<p>{}</p>", "<a".repeat(50_000));
        assert!(nesting_depth(&text) >= 50_000);
        assert_eq!(nesting_depth("<div><br/><div></div></div>"), 2);
    }
}
