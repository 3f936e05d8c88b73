#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use clap::{Parser, Subcommand, ValueEnum};

use newsline::{output, parse};

#[derive(Parser)]
#[command(
    name = "newsline",
    version,
    about = "News articles in, dated events out"
)]
#[command(long_version = newsline::cli::long_version())]
struct Cli {
    /// The event store (SQLite file); default: the user data folder.
    #[arg(long, global = true, env = "NEWSLINE_STORE", value_name = "PATH")]
    store: Option<PathBuf>,
    /// Browser pre-filters for `newsline` with no subcommand.
    #[command(flatten)]
    browse: BrowseArgs,
    /// With no subcommand, the browser opens on the store.
    #[command(subcommand)]
    command: Option<Command>,
}

/// Filters the browser starts with.
#[derive(clap::Args, Clone, Debug, Default)]
struct BrowseArgs {
    /// Start filtered to this country: a code (JP) or a name. Repeatable.
    #[arg(long = "country", value_name = "C")]
    countries: Vec<String>,
    /// Start filtered to officials whose name contains this. Repeatable.
    #[arg(long = "official", value_name = "NAME")]
    officials: Vec<String>,
}

impl BrowseArgs {
    fn options(self) -> newsline::tui::Options {
        newsline::tui::Options {
            prefilter: newsline::tui::app::Prefilter {
                countries: self.countries,
                officials: self.officials,
            },
            label: None,
        }
    }
}

/// `newsline demo [--live]`.
#[derive(clap::Args, Clone, Debug, Default)]
struct DemoArgs {
    #[command(flatten)]
    browse: BrowseArgs,
    /// Serve the demo articles as a feed on 127.0.0.1, one more every few
    /// seconds, and follow it as `newsline update` would.
    #[arg(long)]
    live: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Parse one article (text, HTML or feed) and print its events.
    Parse {
        /// The publication date, YYYY-MM-DD[THH:MM[:SS][Z|±HH:MM]].
        #[arg(long)]
        published: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// The file to read, or - for standard input.
        file: PathBuf,
    },
    /// Parse files, folders (recursively) or - and store their events.
    Ingest(newsline::cli::ingest::Args),
    /// List stored events in date order, filtered.
    List(newsline::cli::list::Args),
    /// Show one stored event with its quotes, evidence and article.
    Show(newsline::cli::show::Args),
    /// Export every stored event as JSON or CSV.
    Export(newsline::cli::export::Args),
    /// Counts of articles, events, officials and countries in the store.
    Stats(newsline::cli::stats::Args),
    /// Run SQLite's full integrity check on the store.
    Check(newsline::cli::check::Args),
    /// Write N synthetic events into the store (for benchmarks).
    Generate(newsline::cli::generate::Args),
    /// Build every story (one happening, all its sources) again from the stored events.
    Restory(newsline::cli::restory::Args),
    /// Bring the store to this version's schema (reading commands never do).
    Upgrade(newsline::cli::upgrade::Args),
    /// Browse the stored events in the terminal (also the default).
    Tui(BrowseArgs),
    /// Browse the bundled demo articles (a temporary store; yours is untouched).
    Demo(DemoArgs),
    /// Feed subscriptions: add, list, remove, import, export.
    Feeds(newsline::cli::feeds::Args),
    /// Fetch the feeds that are due and store what is new.
    Update(newsline::cli::update::Args),
    /// Make the browser's saved copies of the store current (run in the
    /// background after writes; see `cli::refresh_copies_later`).
    #[command(hide = true)]
    RefreshCopies,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Text,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // The one place errors leave: `newsline: …` and the exit code.
        Err(e) => newsline::cli::report(&e),
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let store = cli.store.as_deref();
    let Some(command) = cli.command else {
        return run_tui(store, cli.browse);
    };
    match command {
        Command::Tui(b) => run_tui(store, b),
        Command::Demo(DemoArgs { browse: b, live }) => if live {
            newsline::tui::demo::run_live(b.options())
        } else {
            newsline::tui::demo::run(b.options())
        }
        .context("demo"),
        Command::Parse {
            published,
            format,
            file,
        } => run_parse(published, format, &file),
        Command::Ingest(a) => wrote(store, newsline::cli::ingest::run(store, a)),
        Command::List(a) => newsline::cli::list::run(store, a),
        Command::Show(a) => newsline::cli::show::run(store, a),
        Command::Export(a) => newsline::cli::export::run(store, a),
        Command::Stats(a) => newsline::cli::stats::run(store, a),
        Command::Check(a) => newsline::cli::check::run(store, a),
        Command::Generate(a) => wrote(store, newsline::cli::generate::run(store, a)),
        Command::Restory(a) => wrote(store, newsline::cli::restory::run(store, a)),
        Command::Upgrade(a) => wrote(store, newsline::cli::upgrade::run(store, a)),
        Command::Feeds(a) => wrote(store, newsline::cli::feeds::run(store, a)),
        Command::Update(a) => wrote(store, newsline::cli::update::run(store, a)),
        Command::RefreshCopies => newsline::cli::refresh_copies(store),
    }
}

/// The result of a command that may have written to the store, after the
/// browser's saved copies of it are seen to (a failed command may have
/// written part of its work).
fn wrote(store: Option<&Path>, result: anyhow::Result<()>) -> anyhow::Result<()> {
    newsline::cli::refresh_copies_later(store);
    result
}

fn run_tui(store: Option<&std::path::Path>, browse: BrowseArgs) -> anyhow::Result<()> {
    let path = newsline::cli::store_path(store)?;
    newsline::tui::run(&path, browse.options())
}

fn run_parse(published: Option<String>, format: Format, file: &Path) -> anyhow::Result<()> {
    let name = newsline::cli::shown(file);
    let mut opts = parse::Options::default();
    if let Some(p) = published {
        opts.published = Some(parse::parse_published_arg(&p).map_err(newsline::cli::Usage)?);
    }
    // The same 32 MiB cap as `ingest`, for files and standard input.
    let bytes = if file.as_os_str() == "-" {
        newsline::cli::ingest::read_stdin()
    } else {
        newsline::cli::ingest::read_file(file)
    }
    .map_err(anyhow::Error::msg)
    .with_context(|| name.clone())?;
    if file.as_os_str() != "-" {
        opts.file_name = Some(file.display().to_string());
    }
    let (docs, notes) = parse::parse_bytes_noted(&bytes, &opts).with_context(|| name.clone())?;
    // What the source layer mended or lost (invalid UTF-8 in plain text, a
    // broken feed's items, a bad front-matter date, no publication date).
    for note in &notes {
        newsline::cli::note(&name, format!("warning: {note}"));
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let res = match format {
        // A feed prints JSON Lines, one item a line, even with one item.
        Format::Json => {
            let kind =
                newsline::source::detect(&String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]));
            let is_feed = kind == newsline::source::InputKind::Feed;
            output::write_json(&mut out, &docs, is_feed || docs.len() > 1)
        }
        Format::Text => output::write_text(&mut out, &docs),
    };
    res.and_then(|()| std::io::Write::flush(&mut out))
        .context("writing output")
}
