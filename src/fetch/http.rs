//! One HTTP GET as a well-behaved reader: our User-Agent, the stored
//! validators sent back exactly, redirects followed by hand (at most 5,
//! permanent ones reported so the stored URL can follow), gzip/deflate
//! decoded here with the decoded size capped, and the body converted to
//! UTF-8 when the header names another charset. No cookies, no referrer.

use super::Settings;
use std::io::Read;

/// The most redirects followed for one request.
pub const MAX_REDIRECTS: usize = 5;

/// `newsline/VERSION (+project URL)`.
pub fn user_agent() -> String {
    format!(
        "newsline/{} (+{})",
        env!("CARGO_PKG_VERSION"),
        super::PROJECT_URL
    )
}

/// What to ask for.
#[derive(Clone, Debug, Default)]
pub struct Request<'a> {
    pub url: &'a str,
    pub etag: Option<&'a str>,
    pub last_modified: Option<&'a str>,
    /// The most decoded bytes taken.
    pub limit: u64,
    pub accept: &'a str,
}

/// The server's answer, body decoded.
#[derive(Clone, Debug, Default)]
pub struct Response {
    pub status: u16,
    /// Where the answer came from, after redirects.
    pub url: String,
    /// Set when every redirect followed was permanent (301/308).
    pub moved_to: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub cache_control: Option<String>,
    pub expires: Option<String>,
    pub retry_after: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// Why no answer was had.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("not an http(s) URL: {0}")]
    BadUrl(String),
    #[error("host not found (DNS)")]
    HostNotFound,
    #[error("connection refused")]
    Refused,
    #[error("timed out")]
    Timeout,
    #[error("TLS error: {0}")]
    Tls(String),
    #[error("redirect loop")]
    RedirectLoop,
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    #[error("redirect without a Location")]
    NoLocation,
    #[error("body larger than {0} MiB (decoded)")]
    TooLarge(u64),
    #[error("cannot decode the body: {0}")]
    Decode(String),
    #[error("{0}")]
    Other(String),
}

/// An HTTP client with our settings; cheap to share between threads.
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
}

impl Client {
    pub fn new(settings: &Settings) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(user_agent().as_str())
            // Decoding is ours (capped); we say which encodings we read.
            .accept_encoding("gzip, deflate, br")
            .timeout_connect(Some(settings.connect_timeout))
            .timeout_global(Some(settings.request_timeout))
            .build();
        Client {
            agent: ureq::Agent::new_with_config(config),
        }
    }

    /// Sends the request, following redirects.
    pub fn get(&self, req: &Request) -> Result<Response, FetchError> {
        let mut url = req.url.to_string();
        check_url(&url)?;
        let mut seen = vec![url.clone()];
        let mut permanent = true;
        for _ in 0..=MAX_REDIRECTS {
            let mut r = self.agent.get(&url).header("Accept", req.accept);
            if let Some(e) = req.etag {
                r = r.header("If-None-Match", e);
            }
            if let Some(lm) = req.last_modified {
                r = r.header("If-Modified-Since", lm);
            }
            let https = url
                .get(..6)
                .is_some_and(|p| p.eq_ignore_ascii_case("https:"));
            let mut resp = r.call().map_err(|e| classify(e, https))?;
            let status = resp.status().as_u16();
            let header = |name: &str| {
                resp.headers()
                    .get(name)
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            };
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                let loc = header("location").ok_or(FetchError::NoLocation)?;
                let next = resolve(&url, loc.trim());
                check_url(&next)?;
                if seen.contains(&next) {
                    return Err(FetchError::RedirectLoop);
                }
                permanent &= matches!(status, 301 | 308);
                seen.push(next.clone());
                url = next;
                continue;
            }
            let mut out = Response {
                status,
                moved_to: (permanent && url != req.url).then(|| url.clone()),
                url: url.clone(),
                etag: header("etag"),
                last_modified: header("last-modified"),
                cache_control: header("cache-control"),
                expires: header("expires"),
                retry_after: header("retry-after"),
                content_type: header("content-type"),
                body: Vec::new(),
            };
            // Only a 200's body is read; error pages are not wanted.
            if status == 200 {
                let encoding = header("content-encoding").unwrap_or_default();
                let raw = resp.body_mut().as_reader();
                out.body = read_decoded(raw, &encoding, req.limit)?;
                out.body = to_utf8(out.body, out.content_type.as_deref());
            }
            return Ok(out);
        }
        Err(FetchError::TooManyRedirects)
    }
}

fn check_url(url: &str) -> Result<(), FetchError> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Ok(())
    } else {
        Err(FetchError::BadUrl(url.to_string()))
    }
}

/// The host (with port) of an http(s) URL, lower-cased.
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let auth = rest.split(['/', '?', '#']).next().unwrap_or("");
    let auth = auth.rsplit('@').next().unwrap_or(auth);
    auth.to_ascii_lowercase()
}

/// The host without the port, for the loopback test.
pub fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return host.split(']').next().map_or(host, |h| &h[1..]);
    }
    host.rsplit_once(':').map_or(host, |(h, _)| h)
}

/// A Location resolved against the URL it came from.
pub fn resolve(base: &str, loc: &str) -> String {
    if loc.contains("://") {
        return loc.to_string();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("http", base));
    if let Some(l) = loc.strip_prefix("//") {
        return format!("{scheme}://{l}");
    }
    let auth_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = format!("{scheme}://{}", &rest[..auth_end]);
    if loc.starts_with('/') {
        return format!("{origin}{loc}");
    }
    let path = &rest[auth_end..];
    let path = path.split(['?', '#']).next().unwrap_or("");
    let dir = match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "/",
    };
    format!("{origin}{dir}{loc}")
}

/// Reads at most `limit` decoded bytes; more is an error, not memory growth.
fn read_decoded(raw: impl Read, encoding: &str, limit: u64) -> Result<Vec<u8>, FetchError> {
    let enc = encoding.trim().to_ascii_lowercase();
    let too_large = || FetchError::TooLarge(limit / (1024 * 1024));
    // The raw body is capped too: a compressed body can only be smaller
    // than what it decodes to.
    let mut counted = Counted {
        inner: raw.take(limit + 1),
        n: 0,
    };
    let raw = &mut counted;
    let mut out = Vec::new();
    let res = match enc.as_str() {
        "" | "identity" => raw.take(limit + 1).read_to_end(&mut out),
        "gzip" | "x-gzip" => flate2::read::MultiGzDecoder::new(raw)
            .take(limit + 1)
            .read_to_end(&mut out),
        "deflate" => {
            // "deflate" is zlib-wrapped by the standard, raw by some servers.
            let mut raw = std::io::BufReader::new(raw);
            let first = std::io::BufRead::fill_buf(&mut raw)
                .map(|b| b.first().copied())
                .map_err(io_error)?;
            if first.is_some_and(|b| b & 0x0f == 8) {
                flate2::read::ZlibDecoder::new(raw)
                    .take(limit + 1)
                    .read_to_end(&mut out)
            } else {
                flate2::read::DeflateDecoder::new(raw)
                    .take(limit + 1)
                    .read_to_end(&mut out)
            }
        }
        "br" => brotli_decompressor::Decompressor::new(raw, 4096)
            .take(limit + 1)
            .read_to_end(&mut out),
        other => return Err(FetchError::Decode(format!("unsupported encoding {other}"))),
    };
    // Over the cap decoded, or cut at the cap before it decoded (a body
    // sent as stored blocks is as large compressed as plain).
    if out.len() as u64 > limit || counted.n > limit {
        return Err(too_large());
    }
    res.map_err(io_error)?;
    Ok(out)
}

/// Counts the bytes read through it.
struct Counted<R> {
    inner: R,
    n: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n += k as u64;
        Ok(k)
    }
}

fn io_error(e: std::io::Error) -> FetchError {
    let msg = e.to_string();
    if e.kind() == std::io::ErrorKind::TimedOut
        || msg.contains("timeout")
        || msg.contains("Timeout")
    {
        return FetchError::Timeout;
    }
    if e.kind() == std::io::ErrorKind::InvalidInput || e.kind() == std::io::ErrorKind::InvalidData {
        return FetchError::Decode(msg);
    }
    FetchError::Other(msg)
}

/// Converts a body in the charset the header names to UTF-8. An XML
/// declaration naming the old charset is rewritten so the feed reader does
/// not decode it twice; an HTML meta charset is ignored for valid UTF-8.
fn to_utf8(body: Vec<u8>, content_type: Option<&str>) -> Vec<u8> {
    let Some(label) = content_type.and_then(charset_param) else {
        return body;
    };
    let Some(enc) = encoding_rs::Encoding::for_label(label.as_bytes()) else {
        return body;
    };
    if enc == encoding_rs::UTF_8 || encoding_rs::Encoding::for_bom(&body).is_some() {
        return body;
    }
    let text = enc.decode_without_bom_handling(&body).0.into_owned();
    let trimmed = text.trim_start();
    if trimmed.starts_with("<?xml") {
        if let Some(end) = trimmed.find("?>") {
            let rest = &trimmed[end + 2..];
            return format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>{rest}").into_bytes();
        }
    }
    text.into_bytes()
}

fn charset_param(ct: &str) -> Option<String> {
    ct.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

fn classify(e: ureq::Error, https: bool) -> FetchError {
    match e {
        ureq::Error::HostNotFound => FetchError::HostNotFound,
        ureq::Error::Timeout(_) => FetchError::Timeout,
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => FetchError::Refused,
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => FetchError::Timeout,
            // Before any body is read, corrupt data is the TLS handshake's
            // (rustls reports through io::Error).
            std::io::ErrorKind::InvalidData => FetchError::Tls(io.to_string()),
            // A server that hangs up on the handshake.
            std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::ConnectionReset if https => {
                FetchError::Tls(format!("handshake failed ({io})"))
            }
            _ if io.to_string().contains("lookup address") => FetchError::HostNotFound,
            _ => io_error(io),
        },
        ureq::Error::Tls(m) => FetchError::Tls(m.to_string()),
        ureq::Error::Rustls(r) => FetchError::Tls(r.to_string()),
        ureq::Error::BadUri(u) => FetchError::BadUrl(u),
        other => FetchError::Other(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_resolve() {
        assert_eq!(
            resolve("http://a.org/x/feed.xml", "/new"),
            "http://a.org/new"
        );
        assert_eq!(
            resolve("http://a.org/x/feed.xml?q=1", "rss"),
            "http://a.org/x/rss"
        );
        assert_eq!(resolve("https://a.org", "//b.org/f"), "https://b.org/f");
        assert_eq!(
            resolve("http://a.org/f", "https://c.org/"),
            "https://c.org/"
        );
    }

    #[test]
    fn hosts() {
        assert_eq!(
            host_of("http://User@Example.org:8080/a?b"),
            "example.org:8080"
        );
        assert_eq!(host_name("example.org:8080"), "example.org");
        assert_eq!(host_name("[::1]:80"), "::1");
        assert_eq!(host_name("127.0.0.1"), "127.0.0.1");
    }

    #[test]
    fn bombs_are_refused() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..4 {
            enc.write_all(&zeros).unwrap();
        }
        let gz = enc.finish().unwrap();
        assert!(gz.len() < 64 * 1024);
        let err = read_decoded(&gz[..], "gzip", 1 << 20).unwrap_err();
        assert_eq!(err, FetchError::TooLarge(1));
        let ok = read_decoded(&gz[..], "gzip", 8 << 20).unwrap();
        assert_eq!(ok.len(), 4 << 20);
    }

    /// A brotli stream of uncompressed meta-blocks (RFC 7932 9.2): enough
    /// to test the decoding path without an encoder.
    fn brotli_stored(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for (k, chunk) in data.chunks(1 << 16).enumerate() {
            // Bit 0: WBITS=16 (first block only, shifting the rest by one);
            // ISLAST=0, MNIBBLES=4, MLEN-1 in 16 bits, ISUNCOMPRESSED=1,
            // then zero bits to the byte boundary.
            let len = chunk.len() as u32 - 1;
            let (bits, n) = if k == 0 {
                ((len << 4) | (1 << 20), 3)
            } else {
                ((len << 3) | (1 << 19), 3)
            };
            out.extend_from_slice(&bits.to_le_bytes()[..n]);
            out.extend_from_slice(chunk);
        }
        // ISLAST=1, ISLASTEMPTY=1 (WBITS first when there was no block).
        out.push(if data.is_empty() { 0b110 } else { 0b11 });
        out
    }

    #[test]
    fn brotli_is_decoded_and_capped() {
        let text = b"<rss><channel><title>Brotli desk</title></channel></rss>";
        let br = brotli_stored(text);
        assert_eq!(read_decoded(&br[..], "br", 1 << 20).unwrap(), text);
        let big = vec![b'a'; 3 << 16];
        let br = brotli_stored(&big);
        assert_eq!(read_decoded(&br[..], "br", 1 << 20).unwrap(), big);
        let err = read_decoded(&br[..], "br", 100_000).unwrap_err();
        assert_eq!(err, FetchError::TooLarge(0));
        // A broken stream is a decoding error, not a panic.
        assert!(read_decoded(&[0xff, 0xff, 0x00][..], "br", 1 << 20).is_err());
    }

    #[test]
    fn charset_from_the_header() {
        let body = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss>S\xe3o</rss>".to_vec();
        let out = to_utf8(body, Some("application/rss+xml; charset=iso-8859-1"));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss>São</rss>"
        );
        let same = to_utf8(b"abc".to_vec(), Some("text/html"));
        assert_eq!(same, b"abc");
    }
}
