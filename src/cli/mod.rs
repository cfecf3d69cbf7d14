//! The command line: arguments, the context every command runs in, and the dispatch. Each
//! subcommand lives in its own file and returns the text to print, so output is printed in one
//! place and commands are testable as values.

mod advisor;
pub mod backup;
pub(crate) mod bundle;
mod catalog;
mod close;
mod command;
mod correct;
mod docs;
mod export;
mod history;
mod identity;
mod import;
mod item;
mod log;
pub mod messages;
mod missing;
mod mistake;
mod peer;
mod report;
mod restore;
mod summary;
mod verify;

pub use command::{NotParsed, command, lang_before_parsing, parse};
use messages::FileRefusal;
pub use messages::{Done, Refusal};

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::domain::intake::ImportError;
use crate::domain::{Lang, Period};
use crate::report::ReportError;
use crate::store::{Stamp, Store, StoreError};

/// counsel-log: log legal advisors' service items and hours; tally them for the reports. The
/// help of every command and flag, in both languages, is in `messages/help.rs`; `command` puts
/// it in.
#[derive(Debug, Parser)]
#[command(name = "counsel-log", bin_name = "counsel-log", version, about, long_about = None)]
pub struct Cli {
    #[arg(long, global = true, env = "COUNSEL_LOG_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[arg(long, global = true, value_parser = ["zh", "en"])]
    pub lang: Option<String>,
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    #[arg(long)]
    pub demo: bool,
    #[arg(long, global = true)]
    pub start_afresh: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands; without one, `counsel-log` opens the interface.
#[derive(Debug, Subcommand)]
pub enum Command {
    #[command(subcommand)]
    Advisor(advisor::AdvisorCommand),
    #[command(subcommand)]
    Catalog(catalog::CatalogCommand),
    Log(log::LogArgs),
    #[command(subcommand)]
    Import(import::ImportCommand),
    Report(report::ReportArgs),
    Summary(summary::SummaryArgs),
    Export(export::ExportArgs),
    Restore(restore::RestoreArgs),
    Backup(backup::BackupArgs),
    Verify(verify::VerifyArgs),
    Close(close::CloseArgs),
    Reopen(close::ReopenArgs),
    Correct(correct::CorrectArgs),
    History(history::HistoryArgs),
    Identity(identity::IdentityArgs),
    #[command(subcommand)]
    Peer(peer::PeerCommand),
    Bundle(bundle::BundleArgs),
    Missing(missing::MissingArgs),
    Serve,
    #[command(subcommand)]
    Item(item::ItemCommand),
    Completions(docs::CompletionsArgs),
    Man,
}

/// How `advisor list` and `catalog list` print: a table to read, CSV or JSON to process.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ListFormat {
    Table,
    Csv,
    Json,
}

/// `--header` of the CSV a command writes: the keys programs read it by (the default, so that a
/// script's output never depends on the language of the run), or column names in Chinese or
/// English for people. The names of an advisors or entries file are ones `import` reads back.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum CsvHeader {
    Keys,
    Zh,
    En,
}

impl CsvHeader {
    /// The header as the writers take it.
    pub fn header(self) -> crate::report::csv::Header {
        use crate::report::csv::Header;
        match self {
            CsvHeader::Keys => Header::Keys,
            CsvHeader::Zh => Header::Names(Lang::Zh),
            CsvHeader::En => Header::Names(Lang::En),
        }
    }
}

/// What every command needs besides its arguments: decided once, in `main`.
pub struct Context {
    pub lang: Lang,
    /// Today's date, from the caller: nothing below reads the clock.
    pub today: NaiveDate,
    pub stamp: Stamp,
    pub config: Config,
}

/// A command's failure, printed as one message in the language of the run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", .0.message(Lang::En))]
    Store(#[from] StoreError),
    #[error("{}", .0.message(Lang::En))]
    Import(#[from] ImportError),
    /// Bad arguments or input, with what to do.
    #[error("{}", .0.message(Lang::En))]
    Refused(#[from] Refusal),
    #[error("{}", .0.message(Lang::En))]
    Report(#[from] ReportError),
    #[error("{}", .0.message(Lang::En))]
    Bundle(#[from] crate::sync::BundleFault),
}

impl Error {
    /// The message to print, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Error::Store(e) => e.message(lang),
            Error::Import(e) => e.message(lang),
            Error::Refused(e) => e.message(lang),
            Error::Report(e) => e.message(lang),
            Error::Bundle(e) => e.message(lang),
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// Runs a subcommand on an open store; returns what to print.
pub fn run(command: Command, store: &Store, ctx: &Context) -> Result<String> {
    match command {
        Command::Advisor(c) => advisor::run(c, store, ctx),
        Command::Catalog(c) => catalog::run(c, store, ctx),
        Command::Log(a) => log::run(a, store, ctx),
        Command::Import(c) => import::run(c, store, ctx),
        Command::Report(a) => report::run(a, store, ctx),
        Command::Summary(a) => summary::run(&a, store, ctx),
        Command::Export(a) => export::run(&a, store, ctx),
        // It takes the store's files whole: only the process that owns the store can.
        Command::Restore(_) => {
            Err(Refusal::Safekeeping(messages::SafekeepingRefusal::RestoreBeside).into())
        }
        Command::Verify(a) => verify::run(&a, store, ctx),
        Command::Backup(a) => backup::run(&a, store, ctx),
        Command::Close(a) => close::close(&a, store, ctx),
        Command::Reopen(a) => close::reopen(&a, store, ctx),
        Command::Correct(a) => correct::run(&a, store, ctx),
        Command::History(a) => history::run(&a, store, ctx),
        Command::Identity(a) => identity::run(&a, store, ctx),
        Command::Peer(c) => peer::run(c, store, ctx),
        Command::Bundle(a) => bundle::write(&a, store, ctx),
        Command::Missing(a) => missing::run(&a, store, ctx),
        // `main` holds the store and serves it; here it has nothing of its own to do.
        Command::Serve => Ok(String::new()),
        Command::Item(c) => item::run(&c, store, ctx),
        Command::Completions(a) => Ok(docs::completions(&a)),
        Command::Man => Ok(docs::man()),
    }
}

/// Runs a subcommand on the store this process opened and owns: [`run`], and `restore`,
/// which puts new files in the store's place.
pub fn run_owned(command: Command, store: &mut Store, ctx: &Context) -> Result<String> {
    match command {
        Command::Restore(a) => {
            let before = Grown::from(store);
            let done = restore::run(a, store, ctx)?;
            before.tidy(store);
            Ok(done)
        }
        Command::Import(c) if !c.is_dry_run() => {
            let before = Grown::from(store);
            let done = import::run(c, store, ctx)?;
            before.tidy(store);
            Ok(done)
        }
        other => run(other, store, ctx),
    }
}

/// The size of the store's log and the records it had numbered before a large write.
struct Grown {
    log: u64,
    records: u64,
}

impl Grown {
    fn from(store: &Store) -> Grown {
        Grown {
            log: store.log_bytes(),
            records: store.records_numbered(),
        }
    }

    /// After a write that grew the log by [`SETTLE_AFTER`] or more: rewrites the store when the
    /// write left much space behind (more than [`KEPT_PER_RECORD`] for each entry and item it
    /// added, as when it rewrote the blocks of a large store's trees that are keyed by hashes),
    /// or else reopens it so that sled records where the write's pages lie. The write is
    /// saved whatever comes of this: a rewrite that fails removes its files and leaves the
    /// store as the write left it, only larger.
    fn tidy(self, store: &mut Store) {
        let grown = store.log_bytes().saturating_sub(self.log);
        if grown < SETTLE_AFTER {
            return;
        }
        let added = store.records_numbered().saturating_sub(self.records);
        if grown > KEPT_PER_RECORD.saturating_mul(added) {
            let _ = store.compact();
        } else {
            let _ = store.settle();
        }
    }
}

/// How much an import or a restore must grow the store's log before it is tidied.
const SETTLE_AFTER: u64 = 16 * 1024 * 1024;

/// The bytes of log per entry or item a write added above which it left enough space behind
/// to rewrite the store without it (see `Store::compact`). Measured at 1,000,000 entries: an
/// import into an empty store takes 87 bytes a record, a restore 95; 100,000 entries imported
/// into that store took 500, rewriting every block of its identities and fingerprints.
const KEPT_PER_RECORD: u64 = 300;

/// What a command that needs no store prints (the completion script, the manual page), so
/// `main` answers it before opening one; `None` for every other command.
pub fn without_store(command: &Command) -> Option<String> {
    match command {
        Command::Completions(a) => Some(docs::completions(a)),
        Command::Man => Some(docs::man()),
        _ => None,
    }
}

/// What a command checks before the store is opened, so that a refusal leaves no trace: the
/// file a restore reads.
pub fn prepare(command: &mut Command) -> Result<()> {
    match command {
        Command::Restore(a) => restore::prepare(a),
        _ => Ok(()),
    }
}

/// True for a command that only reads the store (a report, a list, an export, `verify`): it
/// opens the store to read, and writes nothing of its own there.
pub fn reads_only(command: &Command) -> bool {
    match command {
        Command::Report(_)
        | Command::Summary(_)
        | Command::Export(_)
        | Command::Verify(_)
        | Command::History(_)
        | Command::Missing(_)
        | Command::Advisor(advisor::AdvisorCommand::List(_))
        | Command::Catalog(catalog::CatalogCommand::List(_))
        | Command::Peer(peer::PeerCommand::List(_)) => true,
        // A dry run checks everything the import would and writes nothing.
        Command::Import(import) => import.is_dry_run(),
        Command::Advisor(_)
        | Command::Catalog(_)
        | Command::Peer(_)
        | Command::Log(_)
        | Command::Restore(_)
        | Command::Backup(_)
        | Command::Close(_)
        | Command::Reopen(_)
        | Command::Correct(_)
        | Command::Identity(_)
        | Command::Bundle(_)
        | Command::Serve
        | Command::Item(_)
        | Command::Completions(_)
        | Command::Man => false,
    }
}

/// Reads `--period`, defaulting to the current month.
fn period(arg: Option<&str>, ctx: &Context) -> Result<Period> {
    match arg {
        None => Ok(Period::current_month(ctx.today)),
        Some(p) => Period::parse_until(p, ctx.today).map_err(|e| Refusal::Period(e).into()),
    }
}

/// Reads `--period` as [`period`] does, and also `all`: from the store's first entry to today.
fn period_in(arg: Option<&str>, ctx: &Context, store: &Store) -> Result<Period> {
    match arg {
        Some(p) if Period::is_all(p) => Ok(Period::all(store.entry_dates()?, ctx.today)),
        _ => period(arg, ctx),
    }
}

/// Reads a whole input file, naming it when it cannot be read.
fn read_file(path: &std::path::Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        Refusal::File(FileRefusal::CannotRead {
            path: path.to_path_buf(),
            error: e.to_string(),
        })
        .into()
    })
}

/// The extension of an output file, lower-cased (`Q1.CSV` → `csv`): what `--format` defaults
/// to when it is not given.
fn extension(path: &std::path::Path) -> Option<String> {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

/// Writes an output file. A regular file (or none yet) is written next to its final name first,
/// then renamed into place, so a failed write never leaves half a file behind; a symbolic link
/// is followed, so the file it names is the one replaced. A path that is neither (a pipe, a
/// device such as `/dev/stdout`) is written into as it is: replacing it would destroy it.
fn write_file(store: &Store, path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    write_file_with(store, path, |out| {
        out.write_all(bytes).map_err(|e| cannot_write(path, &e))
    })
}

/// [`write_file`], the bytes written by `write` as it makes them (an export, streamed): what it
/// fails with is the command's failure, and nothing is left under the file's name. A path in
/// `store`'s folder is refused: it would replace one of the ledger's own files.
fn write_file_with(
    store: &Store,
    path: &std::path::Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> Result<()>,
) -> Result<()> {
    use std::io::Write;
    let failed = |e: std::io::Error| cannot_write(path, &e);
    if path.is_dir() {
        return Err(Refusal::File(FileRefusal::IsFolder(path.to_path_buf())).into());
    }
    let target = followed(path);
    if in_folder(store.path(), &target) {
        return Err(Refusal::File(FileRefusal::InStore {
            path: path.to_path_buf(),
            store: store.path().to_path_buf(),
        })
        .into());
    }
    match std::fs::metadata(&target) {
        Ok(meta) if !meta.is_file() => {
            let out = std::fs::OpenOptions::new()
                .write(true)
                .open(&target)
                .map_err(failed)?;
            let mut out = std::io::BufWriter::new(out);
            write(&mut out)?;
            return out.flush().map_err(failed);
        }
        _ => {}
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = target.with_file_name(format!(".{name}.partial"));
    let written = std::fs::File::create(&tmp)
        .map_err(failed)
        .and_then(|file| {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            write(&mut out)?;
            out.flush().map_err(failed)
        })
        .and_then(|()| std::fs::rename(&tmp, &target).map_err(failed));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// True when the file `target` would be in the folder `store` or in one of its folders,
/// however either is spelt (relative, through links).
fn in_folder(store: &std::path::Path, target: &std::path::Path) -> bool {
    let Ok(store) = store.canonicalize() else {
        return false;
    };
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    parent.canonicalize().is_ok_and(|p| p.starts_with(&store))
}

/// The refusal of an output file the system would not let be written.
fn cannot_write(path: &std::path::Path, e: &std::io::Error) -> Error {
    Refusal::File(FileRefusal::CannotWrite {
        path: path.to_path_buf(),
        error: e.to_string(),
    })
    .into()
}

/// The file a path names once its symbolic links are followed (even a link to a file not yet
/// made); the path itself when it is no link.
fn followed(path: &std::path::Path) -> std::path::PathBuf {
    let mut at = path.to_path_buf();
    // A loop of links is not followed forever: the system refuses to open it anyway.
    for _ in 0..40 {
        match std::fs::read_link(&at) {
            Ok(to) => at = at.parent().map_or_else(|| to.clone(), |dir| dir.join(&to)),
            Err(_) => return at,
        }
    }
    at
}
