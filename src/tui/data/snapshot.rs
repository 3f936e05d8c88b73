//! The browser's saved copy of what it loaded from a big store: the rows
//! in timeline order, the names they point to and the search arena,
//! written to a file beside the store after a full load and read back
//! instead of the store while the store has not changed since.
//!
//! Why: at a million events the full load (read every row from SQLite,
//! build the rows, sort them, fold the search text) costs seconds of CPU;
//! reading this file back costs a fraction of it. Whether the copy is
//! still the store's is decided by the store's browse generation (schema
//! v12: triggers change it with every write to what the browser loads),
//! by this binary's layout of the rows and by a fingerprint of how the
//! search text is folded. Anything else (a missing, short or damaged
//! file, another store's copy) makes the browser load the store as
//! before; the copy is only ever a shortcut.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::{Data, Names, Row, Text, FIELDS};
use crate::model::EventKind;

const MAGIC: &[u8; 8] = b"NLROWS\0\x01";
/// The layout of this file: bump it when the file's or `Row`'s layout
/// changes (the text's folding is checked by `fingerprint`).
const LAYOUT: u32 = 1;
/// Rows are written in blocks of this many (one read each).
const BLOCK: usize = 8192;

/// Which of the browser's two loads a copy holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Events,
    Stories,
}

/// The file that holds the copy of `kind` for the store at `store`.
pub fn path_for(store: &Path, kind: Kind) -> PathBuf {
    let mut name = store
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(match kind {
        Kind::Events => "-events.rows",
        Kind::Stories => "-stories.rows",
    });
    store.with_file_name(name)
}

/// Why a copy was not used.
#[derive(Debug)]
pub enum Refused {
    Io(io::Error),
    /// Another version, another store state, or damaged.
    Stale(&'static str),
}

impl From<io::Error> for Refused {
    fn from(e: io::Error) -> Refused {
        Refused::Io(e)
    }
}

/// A number that changes when the way rows are cleaned or search text is
/// folded changes: a copy made by a binary that folded differently is not
/// used.
fn fingerprint() -> u64 {
    let mut text = String::new();
    crate::store::search::push_fields(
        &mut text,
        "Ministre ÉTRANGER Şahin \u{7}said\tin Kyiv",
        ["Jean-Yves Le Drian"],
        ["France (FR)"],
        "« Nous ne céderons pas »",
    );
    text.push_str(&super::clean("A\u{1b}[31mred\u{7} line\u{200b}é"));
    // FNV-1a: stable across builds, unlike std's hasher.
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Writes `data` (and the stories' `info`, as pairs of sources and
/// disagreement, by row) to `path` for generation `generation`: to a
/// temporary file first, renamed into place, so a reader never sees half
/// a copy.
pub fn write(
    path: &Path,
    generation: i64,
    data: &Data,
    info: Option<&[(u32, bool)]>,
) -> io::Result<()> {
    remove_abandoned(path);
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let written = write_to(&tmp, generation, data, info);
    match written.and_then(|()| std::fs::rename(&tmp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Removes temporary copies that a writer left an hour or more ago (a
/// browser quit while it was saving): a live writer is never that slow.
fn remove_abandoned(path: &Path) {
    let (Some(dir), Some(stem)) = (path.parent(), path.file_stem()) else {
        return;
    };
    let prefix = format!("{}.tmp", stem.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }) else {
        return;
    };
    for e in entries.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() >= 3600);
        if old && e.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn write_to(
    path: &Path,
    generation: i64,
    data: &Data,
    info: Option<&[(u32, bool)]>,
) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    out.write_all(MAGIC)?;
    out.write_all(&LAYOUT.to_le_bytes())?;
    put_str(&mut out, env!("CARGO_PKG_VERSION"))?;
    out.write_all(&fingerprint().to_le_bytes())?;
    out.write_all(&generation.to_le_bytes())?;
    for n in [data.rows.len(), data.per, data.dated] {
        out.write_all(&(n as u64).to_le_bytes())?;
    }
    put_strs(&mut out, &data.countries)?;
    put_strs(&mut out, &data.officials)?;
    out.write_all(&(data.official_aliases.len() as u32).to_le_bytes())?;
    for a in &data.official_aliases {
        put_strs(&mut out, a)?;
    }
    let mut block = Vec::new();
    for rows in data.rows.chunks(BLOCK) {
        block.clear();
        for r in rows {
            put_row(&mut block, r);
        }
        out.write_all(&(rows.len() as u32).to_le_bytes())?;
        out.write_all(&(block.len() as u64).to_le_bytes())?;
        out.write_all(&block)?;
    }
    match info {
        Some(info) => {
            out.write_all(&[1])?;
            out.write_all(&(info.len() as u64).to_le_bytes())?;
            for &(sources, disagreement) in info {
                out.write_all(&sources.to_le_bytes())?;
                out.write_all(&[u8::from(disagreement)])?;
            }
        }
        None => out.write_all(&[0])?,
    }
    out.write_all(&(data.text.len() as u32).to_le_bytes())?;
    for t in &data.text {
        out.write_all(&(t.arena.len() as u64).to_le_bytes())?;
        out.write_all(t.arena.as_bytes())?;
        out.write_all(&(t.offs.len() as u64).to_le_bytes())?;
        block.clear();
        for o in &t.offs {
            block.extend_from_slice(&o.to_le_bytes());
        }
        out.write_all(&block)?;
    }
    out.write_all(MAGIC)?;
    out.into_inner().map_err(|e| e.into_error())?.sync_all()
}

fn put_str(out: &mut impl Write, s: &str) -> io::Result<()> {
    out.write_all(&(s.len() as u32).to_le_bytes())?;
    out.write_all(s.as_bytes())
}

fn put_strs(out: &mut impl Write, strs: &[String]) -> io::Result<()> {
    out.write_all(&(strs.len() as u32).to_le_bytes())?;
    strs.iter().try_for_each(|s| put_str(out, s))
}

fn put_row(b: &mut Vec<u8>, r: &Row) {
    for s in [&r.id, &r.date, &r.value, &r.summary] {
        b.extend_from_slice(&(s.len() as u32).to_le_bytes());
        b.extend_from_slice(s.as_bytes());
    }
    b.extend_from_slice(&r.day.to_le_bytes());
    b.push(u8::from(r.approximate));
    b.push(kind_number(r.kind));
    b.extend_from_slice(&(r.countries.len() as u16).to_le_bytes());
    for c in r.countries.iter() {
        b.extend_from_slice(&c.to_le_bytes());
    }
    b.extend_from_slice(&(r.officials.len() as u16).to_le_bytes());
    for o in r.officials.iter() {
        b.extend_from_slice(&o.to_le_bytes());
    }
}

fn kind_number(k: EventKind) -> u8 {
    EventKind::ALL.iter().position(|&x| x == k).unwrap_or(0) as u8
}

/// What the header says, and the file's size (no length read from the
/// file may go past it: a damaged length must not make the reader
/// allocate without bound).
struct Header {
    rows: usize,
    per: usize,
    dated: usize,
    size: usize,
}

/// The fewest bytes a row takes in the file (four lengths, the day, two
/// flags and two counts).
const ROW_MIN: usize = 4 * 4 + 4 + 2 + 2 * 2;

fn read_header(r: &mut impl Read, generation: i64, size: usize) -> Result<Header, Refused> {
    let mut magic = [0u8; 8];
    r.read_exact(&mut magic)?;
    if &magic != MAGIC || get_u32(r)? != LAYOUT {
        return Err(Refused::Stale("not a copy of this layout"));
    }
    if get_str(r, 64)? != env!("CARGO_PKG_VERSION") {
        return Err(Refused::Stale("made by another version"));
    }
    if get_u64(r)? != fingerprint() {
        return Err(Refused::Stale("search text folded differently"));
    }
    if get_u64(r)? as i64 != generation {
        return Err(Refused::Stale("the store has changed since"));
    }
    let (rows, per, dated) = (get_len(r, size)?, get_len(r, size)?, get_len(r, size)?);
    if dated > rows || (rows > 0 && per == 0) || rows.saturating_mul(ROW_MIN) > size {
        return Err(Refused::Stale("damaged header"));
    }
    Ok(Header {
        rows,
        per,
        dated,
        size,
    })
}

/// Whether the copy at `path` is the store's at `generation` (its header
/// alone is read).
pub fn is_current(path: &Path, generation: i64) -> bool {
    let Ok(f) = File::open(path) else {
        return false;
    };
    let size = f
        .metadata()
        .map_or(0, |m| usize::try_from(m.len()).unwrap_or(usize::MAX));
    read_header(&mut BufReader::new(f), generation, size).is_ok()
}

/// Reads the copy at `path` if it is the store's at `generation`: the
/// data, and the stories' info when the copy has it. The rows and the
/// search text are read at once on two threads.
pub fn read(path: &Path, generation: i64) -> Result<(Data, Option<StoryInfo>), Refused> {
    let file = File::open(path)?;
    let size = usize::try_from(file.metadata()?.len()).unwrap_or(usize::MAX);
    let mut r = BufReader::with_capacity(1 << 20, file);
    let h = read_header(&mut r, generation, size)?;
    let mut names = Names {
        countries: get_strs(&mut r)?,
        officials: get_strs(&mut r)?,
        ..Names::default()
    };
    let n_aliases = get_u32(&mut r)? as usize;
    if n_aliases > names.officials.len() {
        return Err(Refused::Stale("damaged names"));
    }
    for _ in 0..n_aliases {
        names.aliases.push(get_strs(&mut r)?);
    }
    let after_names = r.stream_position()?;
    std::thread::scope(|sc| {
        // The text section starts after the rows, which this thread
        // walks past block by block without reading them.
        let text = sc.spawn(|| read_text(path, after_names, &h));
        let rows = read_rows(&mut r, &h, &names);
        let text = text
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))?;
        let (rows, info) = rows?;
        let per = h.per.max(1);
        let data = Data::new(rows, names, text, per);
        if data.dated != h.dated {
            return Err(Refused::Stale("damaged rows"));
        }
        Ok((data, info))
    })
}

/// The stories' sources and disagreement, by row.
pub type StoryInfo = Vec<(u32, bool)>;

type RowsAndInfo = (Vec<Row>, Option<StoryInfo>);

fn read_rows(r: &mut impl Read, h: &Header, names: &Names) -> Result<RowsAndInfo, Refused> {
    let mut rows = Vec::with_capacity(h.rows);
    let mut block = Vec::new();
    while rows.len() < h.rows {
        let n = get_u32(r)? as usize;
        let bytes = get_len(r, h.size)?;
        if n == 0 || n > BLOCK || rows.len() + n > h.rows {
            return Err(Refused::Stale("damaged rows"));
        }
        block.resize(bytes, 0);
        r.read_exact(&mut block)?;
        let mut c = Cursor { b: &block, at: 0 };
        for _ in 0..n {
            rows.push(get_row(&mut c, names).ok_or(Refused::Stale("damaged row"))?);
        }
        if c.at != block.len() {
            return Err(Refused::Stale("damaged rows"));
        }
    }
    let mut flag = [0u8; 1];
    r.read_exact(&mut flag)?;
    let info = match flag[0] {
        0 => None,
        _ => {
            if get_len(r, h.size)? != h.rows {
                return Err(Refused::Stale("damaged story info"));
            }
            let mut bytes = vec![0u8; h.rows * 5];
            r.read_exact(&mut bytes)?;
            Some(
                bytes
                    .chunks_exact(5)
                    .map(|c| (u32::from_le_bytes([c[0], c[1], c[2], c[3]]), c[4] != 0))
                    .collect(),
            )
        }
    };
    Ok((rows, info))
}

/// The search text, from its own handle on the file (`start` is where
/// the rows begin).
fn read_text(path: &Path, start: u64, h: &Header) -> Result<Vec<Text>, Refused> {
    let mut f = File::open(path)?;
    let at = text_start(&mut f, start, h)?;
    f.seek(SeekFrom::Start(at))?;
    let mut r = BufReader::with_capacity(1 << 20, f);
    let parts = get_part_count(&mut r, h)?;
    let mut text = Vec::with_capacity(parts);
    for k in 0..parts {
        let len = get_len(&mut r, h.size)?;
        let mut arena = vec![0u8; len];
        r.read_exact(&mut arena)?;
        let arena = String::from_utf8(arena).map_err(|_| Refused::Stale("damaged text"))?;
        let offs = get_offsets(&mut r, h, k)?;
        text.push(Text { arena, offs });
    }
    let mut magic = [0u8; 8];
    r.read_exact(&mut magic)?;
    if &magic != MAGIC {
        return Err(Refused::Stale("damaged end"));
    }
    Ok(text)
}

/// The number of search text parts: `per` events each, the last what is
/// left (a load may end with an empty part), so enough for every row and
/// not more than they need.
fn get_part_count(r: &mut impl Read, h: &Header) -> Result<usize, Refused> {
    let parts = get_u32(r)? as usize;
    if parts > h.rows / h.per.max(1) + 2 || parts * h.per < h.rows {
        return Err(Refused::Stale("damaged text"));
    }
    Ok(parts)
}

/// Part `k`'s field offsets into its arena: `FIELDS` per event it holds,
/// and one for the end.
fn get_offsets(r: &mut impl Read, h: &Header, k: usize) -> Result<Vec<u32>, Refused> {
    let n = get_len(r, h.size)?;
    let events = h.per.min(h.rows.saturating_sub(k * h.per));
    if n != events * FIELDS + 1 || n.saturating_mul(4) > h.size {
        return Err(Refused::Stale("damaged text"));
    }
    let mut bytes = vec![0u8; n * 4];
    r.read_exact(&mut bytes)?;
    Ok(bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

fn get_u32(r: &mut impl Read) -> io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

fn get_u64(r: &mut impl Read) -> io::Result<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

/// A length, refused when it is longer than the whole file (`size`).
fn get_len(r: &mut impl Read, size: usize) -> Result<usize, Refused> {
    let n = usize::try_from(get_u64(r)?).unwrap_or(usize::MAX);
    if n > size {
        return Err(Refused::Stale("damaged length"));
    }
    Ok(n)
}

fn get_str(r: &mut impl Read, max: usize) -> Result<String, Refused> {
    let n = get_u32(r)? as usize;
    if n > max {
        return Err(Refused::Stale("damaged name"));
    }
    let mut b = vec![0u8; n];
    r.read_exact(&mut b)?;
    String::from_utf8(b).map_err(|_| Refused::Stale("damaged name"))
}

fn get_strs(r: &mut impl Read) -> Result<Vec<String>, Refused> {
    let n = get_u32(r)? as usize;
    // Grown as names are read: a damaged count runs out of file first.
    let mut out = Vec::with_capacity(n.min(1 << 12));
    for _ in 0..n {
        out.push(get_str(r, 1 << 16)?);
    }
    Ok(out)
}

/// Reads a block of rows from memory.
struct Cursor<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }

    fn u16(&mut self) -> Option<u16> {
        let s = self.take(2)?;
        Some(u16::from_le_bytes([s[0], s[1]]))
    }

    fn u32(&mut self) -> Option<u32> {
        let s = self.take(4)?;
        Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }

    fn str(&mut self) -> Option<Box<str>> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).ok().map(Into::into)
    }
}

fn get_row(c: &mut Cursor, names: &Names) -> Option<Row> {
    let id = c.str()?;
    let date = c.str()?;
    let value = c.str()?;
    let summary = c.str()?;
    let day = c.u32()? as i32;
    let approximate = c.take(1)?[0] != 0;
    let kind = *EventKind::ALL.get(c.take(1)?[0] as usize)?;
    let nc = c.u16()? as usize;
    let countries = (0..nc)
        .map(|_| c.u16().filter(|&x| (x as usize) < names.countries.len()))
        .collect::<Option<Box<[u16]>>>()?;
    let no = c.u16()? as usize;
    let officials = (0..no)
        .map(|_| c.u32().filter(|&x| (x as usize) < names.officials.len()))
        .collect::<Option<Box<[u32]>>>()?;
    Some(Row {
        id,
        date,
        value,
        day,
        approximate,
        kind,
        summary,
        countries,
        officials,
    })
}

/// Where the text section starts: past the header, the names and every
/// block of rows (walked by their headers, not read), and past the
/// stories' info if there is any.
fn text_start(f: &mut File, start: u64, h: &Header) -> Result<u64, Refused> {
    f.seek(SeekFrom::Start(start))?;
    let mut seen = 0usize;
    while seen < h.rows {
        let mut head = [0u8; 12];
        f.read_exact(&mut head)?;
        let n = u32::from_le_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let bytes = u64::from_le_bytes([
            head[4], head[5], head[6], head[7], head[8], head[9], head[10], head[11],
        ]);
        if n == 0 || bytes > h.size as u64 {
            return Err(Refused::Stale("damaged rows"));
        }
        seen += n;
        f.seek(SeekFrom::Current(bytes as i64))?;
    }
    let mut flag = [0u8; 1];
    f.read_exact(&mut flag)?;
    if flag[0] != 0 {
        let n = get_len(f, h.size)?;
        f.seek(SeekFrom::Current((n * 5) as i64))?;
    }
    Ok(f.stream_position()?)
}

/// One part of the search text as `search` reads it: where its arena
/// starts in the file, its offsets, and the row its first event is.
struct PartAt {
    arena_at: u64,
    arena_len: usize,
    offs: Vec<u32>,
    first_row: usize,
}

/// The header, the names skipped, and each text part's place and offsets
/// (the arenas themselves stay in the file).
fn parts_of(path: &Path, generation: i64) -> Result<(Header, u64, Vec<PartAt>), Refused> {
    let mut f = File::open(path)?;
    let size = usize::try_from(f.metadata()?.len()).unwrap_or(usize::MAX);
    let (h, after_names) = {
        let mut r = BufReader::with_capacity(1 << 16, &mut f);
        let h = read_header(&mut r, generation, size)?;
        get_strs(&mut r)?;
        let officials = get_strs(&mut r)?.len();
        let n_aliases = get_u32(&mut r)? as usize;
        if n_aliases > officials {
            return Err(Refused::Stale("damaged names"));
        }
        for _ in 0..n_aliases {
            get_strs(&mut r)?;
        }
        let at = r.stream_position()?;
        (h, at)
    };
    let rows_at = after_names;
    let at = text_start(&mut f, after_names, &h)?;
    f.seek(SeekFrom::Start(at))?;
    let parts = get_part_count(&mut f, &h)?;
    let mut out = Vec::with_capacity(parts);
    for k in 0..parts {
        let arena_len = get_len(&mut f, h.size)?;
        let arena_at = f.stream_position()?;
        f.seek(SeekFrom::Current(arena_len as i64))?;
        let offs = get_offsets(&mut f, &h, k)?;
        if offs.windows(2).any(|w| w[1] < w[0])
            || offs.last().copied().unwrap_or(0) as usize > arena_len
        {
            return Err(Refused::Stale("damaged text"));
        }
        out.push(PartAt {
            arena_at,
            arena_len,
            offs,
            first_row: k * h.per,
        });
    }
    Ok((h, rows_at, out))
}

/// The fields of event `j` of a part, from `window` (the arena bytes
/// from `base` on).
fn fields_in<'a>(
    window: &'a [u8],
    base: usize,
    offs: &[u32],
    j: usize,
) -> Option<([&'a str; FIELDS], &'a str)> {
    let at = |f: usize| offs.get(j * FIELDS + f).map(|&o| o as usize - base);
    let (a, b) = (at(0)?, at(FIELDS)?);
    let all = std::str::from_utf8(window.get(a..b)?).ok()?;
    let mut fields = [""; FIELDS];
    for (f, slot) in fields.iter_mut().enumerate() {
        *slot = all.get(at(f)? - a..at(f + 1)? - a)?;
    }
    Some((fields, all))
}

/// Scores every event of one part against `query`, reading its arena in
/// windows of a few MB (memory stays small at any size).
fn score_part(
    path: &Path,
    p: &PartAt,
    query: &str,
    dated: usize,
) -> Result<Vec<crate::store::search::Hit<u32>>, Refused> {
    use crate::store::search::{Hit, Matcher};
    let Some(m) = Matcher::new(query) else {
        return Ok(Vec::new());
    };
    const WINDOW: usize = 4 << 20;
    let mut f = File::open(path)?;
    let events = p.offs.len().saturating_sub(1) / FIELDS;
    let mut hits = Vec::new();
    let (mut window, mut base) = (Vec::new(), 0usize);
    for j in 0..events {
        let (a, b) = (
            p.offs[j * FIELDS] as usize,
            p.offs[(j + 1) * FIELDS] as usize,
        );
        if a < base || b > base + window.len() {
            // Refill from this event on.
            let len = WINDOW.max(b - a).min(p.arena_len - a);
            window.resize(len, 0);
            f.seek(SeekFrom::Start(p.arena_at + a as u64))?;
            f.read_exact(&mut window)?;
            base = a;
        }
        let (fields, all) =
            fields_in(&window, base, &p.offs, j).ok_or(Refused::Stale("damaged text"))?;
        if let Some(score) = m.score(fields, all) {
            let row = p.first_row + j;
            hits.push(Hit {
                id: row as u32,
                score,
                newest: if row < dated {
                    (dated - 1 - row) as u64
                } else {
                    row as u64
                },
            });
        }
    }
    Ok(hits)
}

/// The ids of the copied events that match `query`, best first, at most
/// `limit`: the browser's match and ranking (`store::search`) over the
/// copy's search text, without reading the store. Refused (and the store
/// is searched instead) when the copy is not the store's at `generation`.
pub fn search(
    path: &Path,
    generation: i64,
    query: &str,
    limit: usize,
) -> Result<Vec<Box<str>>, Refused> {
    use crate::store::search::{self, Matcher};
    let (h, rows_at, parts) = parts_of(path, generation)?;
    // The parts are scored at once, one thread each.
    let scored: Vec<Result<Vec<search::Hit<u32>>, Refused>> = std::thread::scope(|sc| {
        let handles: Vec<_> = parts
            .iter()
            .map(|p| sc.spawn(|| score_part(path, p, query, h.dated)))
            .collect();
        handles
            .into_iter()
            .map(|t| t.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut hits = Vec::new();
    for s in scored {
        hits.extend(s?);
    }
    // The head's skim score from its fields, read where they are.
    let m = Matcher::new(query);
    let mut f = File::open(path)?;
    let mut failed = false;
    search::rank(&mut hits, search::RESCORE, |row| {
        let skim = (|| -> Option<i64> {
            let row = row as usize;
            let p = parts.get(row / h.per.max(1))?;
            let j = row - p.first_row;
            let (a, b) = (
                *p.offs.get(j * FIELDS)? as usize,
                *p.offs.get((j + 1) * FIELDS)? as usize,
            );
            let mut buf = vec![0u8; b.checked_sub(a)?];
            f.seek(SeekFrom::Start(p.arena_at + a as u64)).ok()?;
            f.read_exact(&mut buf).ok()?;
            let (fields, _) = fields_in(&buf, a, &p.offs, j)?;
            Some(m.as_ref()?.skim(fields))
        })();
        failed |= skim.is_none();
        skim.unwrap_or(0)
    });
    if failed {
        return Err(Refused::Stale("damaged text"));
    }
    hits.truncate(limit);
    // The ids of the hits, from the row blocks.
    let mut wanted: Vec<(u32, usize)> = hits.iter().enumerate().map(|(k, h)| (h.id, k)).collect();
    wanted.sort_unstable();
    let mut ids: Vec<Box<str>> = vec![Box::from(""); hits.len()];
    let mut f = File::open(path)?;
    f.seek(SeekFrom::Start(rows_at))?;
    let mut r = BufReader::with_capacity(1 << 20, f);
    let (mut row, mut next, mut block) = (0usize, 0usize, Vec::new());
    while next < wanted.len() && row < h.rows {
        let n = get_u32(&mut r)? as usize;
        let bytes = get_len(&mut r, h.size)?;
        if n == 0 || n > BLOCK {
            return Err(Refused::Stale("damaged rows"));
        }
        if wanted[next].0 as usize >= row + n {
            r.seek_relative(bytes as i64)?;
            row += n;
            continue;
        }
        block.resize(bytes, 0);
        r.read_exact(&mut block)?;
        let mut c = Cursor { b: &block, at: 0 };
        for i in row..row + n {
            let id = c.str().ok_or(Refused::Stale("damaged row"))?;
            while next < wanted.len() && wanted[next].0 as usize == i {
                ids[wanted[next].1] = id.clone();
                next += 1;
            }
            // Past the rest of the row.
            for _ in 0..3 {
                let len = c.u32().ok_or(Refused::Stale("damaged row"))? as usize;
                c.take(len).ok_or(Refused::Stale("damaged row"))?;
            }
            c.take(4 + 2).ok_or(Refused::Stale("damaged row"))?;
            let nc = c.u16().ok_or(Refused::Stale("damaged row"))? as usize;
            c.take(nc * 2).ok_or(Refused::Stale("damaged row"))?;
            let no = c.u16().ok_or(Refused::Stale("damaged row"))? as usize;
            c.take(no * 4).ok_or(Refused::Stale("damaged row"))?;
        }
        row += n;
    }
    if next < wanted.len() {
        return Err(Refused::Stale("damaged rows"));
    }
    Ok(ids)
}
