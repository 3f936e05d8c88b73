use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

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
    /// Write N synthetic events into the store (for benchmarks).
    Generate(newsline::cli::generate::Args),
    /// Browse the stored events in the terminal (also the default).
    Tui(BrowseArgs),
    /// Browse the bundled demo articles (a temporary store; yours is untouched).
    Demo(BrowseArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Text,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Some(command) = cli.command else {
        return run_tui(cli.store.as_deref(), cli.browse);
    };
    match command {
        Command::Tui(b) => run_tui(cli.store.as_deref(), b),
        Command::Demo(b) => match newsline::tui::demo::run(b.options()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("newsline: demo: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Parse {
            published,
            format,
            file,
        } => run_parse(published, format, &file),
        Command::Ingest(a) => newsline::cli::ingest::run(cli.store.as_deref(), a),
        Command::List(a) => newsline::cli::list::run(cli.store.as_deref(), a),
        Command::Show(a) => newsline::cli::show::run(cli.store.as_deref(), a),
        Command::Export(a) => newsline::cli::export::run(cli.store.as_deref(), a),
        Command::Stats(a) => newsline::cli::stats::run(cli.store.as_deref(), a),
        Command::Generate(a) => newsline::cli::generate::run(cli.store.as_deref(), a),
    }
}

fn run_tui(store: Option<&std::path::Path>, browse: BrowseArgs) -> ExitCode {
    let path = match newsline::cli::store_path(store) {
        Ok(p) => p,
        Err(code) => return code,
    };
    match newsline::tui::run(&path, browse.options()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("newsline: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_parse(published: Option<String>, format: Format, file: &PathBuf) -> ExitCode {
    let name = file.display().to_string();
    let mut opts = parse::Options::default();
    if let Some(p) = published {
        match parse::parse_published_arg(&p) {
            Ok(p) => opts.published = Some(p),
            Err(e) => {
                eprintln!("newsline: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let bytes = if name == "-" {
        let mut buf = Vec::new();
        if let Err(e) = std::io::stdin().read_to_end(&mut buf) {
            eprintln!("newsline: -: {e}");
            return ExitCode::FAILURE;
        }
        buf
    } else {
        match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("newsline: {name}: {e}");
                return ExitCode::FAILURE;
            }
        }
    };
    if name != "-" {
        opts.file_name = Some(name.clone());
    }
    let (docs, notes) = match parse::parse_bytes_noted(&bytes, &opts) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("newsline: {name}: {e}");
            return ExitCode::FAILURE;
        }
    };
    // What the source layer mended or lost (invalid UTF-8 in plain text, a
    // broken feed's items, a bad front-matter date, no publication date).
    for note in &notes {
        eprintln!("newsline: {name}: warning: {note}");
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let res = match format {
        // A feed prints JSON Lines, one item a line, even with one item.
        Format::Json => {
            let is_feed =
                newsline::source::detect(&String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]))
                    == newsline::source::InputKind::Feed;
            output::write_json(&mut out, &docs, is_feed || docs.len() > 1)
        }
        Format::Text => output::write_text(&mut out, &docs),
    };
    let res = res.and_then(|()| std::io::Write::flush(&mut out));
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("newsline: writing output: {e}");
            ExitCode::FAILURE
        }
    }
}
