//! Wiring only: read the arguments, decide the context, open the store, run a command.

#![forbid(unsafe_code)]

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use counsel_log::cli::messages::Aside;
use counsel_log::cli::{self, Cli, Context, NotParsed};
use counsel_log::config::{self, Config};
use counsel_log::domain::strings::{first_sentence, panic_words, printable_lines};
use counsel_log::domain::{Lang, Period};
#[cfg(unix)]
use counsel_log::serve;
use counsel_log::store::{self, Stamp, Store};

fn main() -> ExitCode {
    // The language is found before the arguments are parsed, so that `--help` and a mistake in
    // them are said in it.
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let asked = cli::lang_before_parsing(&argv, &locale());
    let args = match cli::parse(&argv, asked) {
        Ok(args) => args,
        Err(NotParsed::Shown(e)) => return shown(&e),
        Err(NotParsed::Mistake(mistake)) => {
            print_to_stderr(&Aside::Usage(mistake).message(asked));
            return ExitCode::FAILURE;
        }
    };
    // The language of the run, once the configuration has been read: the output's failure is
    // said in it.
    let mut lang = Lang::from_locale(&locale());
    // A panic (sled's, on a log record it cannot read back) is said as a line of its own,
    // never as a crash with sled's text; the store's close record, dropped as it unwinds,
    // takes it for damage.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(args, &mut lang)));
    std::panic::set_hook(hook);
    let ran = match ran {
        Ok(ran) => ran,
        Err(panic) => {
            let what = first_sentence(panic_words(&*panic).unwrap_or_default());
            print_to_stderr(&Aside::Stopped(what).message(lang));
            return ExitCode::FAILURE;
        }
    };
    match ran {
        Ok(text) => {
            // On a terminal no control character of a record may act on the screen; into a pipe
            // or a file the output (a CSV, JSON) goes byte for byte.
            let stdout = std::io::stdout();
            let text = if stdout.is_terminal() {
                printable_lines(&text)
            } else {
                text
            };
            let mut out = stdout.lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                // A closed pipe (`| head`) is not an error worth a message.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                // Anything else (a full disk behind `> file`) left the output incomplete.
                Err(e) => {
                    let failed = Aside::OutputFailed {
                        full: e.raw_os_error() == Some(28)
                            || e.kind() == std::io::ErrorKind::StorageFull,
                        error: e.to_string(),
                    };
                    print_to_stderr(&failed.message(lang));
                    ExitCode::FAILURE
                }
            }
        }
        Err(message) => {
            print_to_stderr(&message);
            ExitCode::FAILURE
        }
    }
}

/// Prints a message to stderr, as every message outside the interface is printed: whatever of
/// the user's input it echoes (a flag's value, a cell, a path), no control character in it acts
/// on the terminal.
fn print_to_stderr(message: &str) {
    eprintln!("counsel-log: {}", printable_lines(message));
}

/// Help and version print as clap writes them (the help in the language of the run); a command
/// that needs a subcommand and got none shows its help, exit status 1 like every other error.
fn shown(e: &clap::Error) -> ExitCode {
    let _ = e.print();
    if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The run's language, today, who is working and the configuration, read from `config_path`.
fn context(args: &Cli, config_path: &std::path::Path) -> Result<Context, String> {
    let chosen = args.lang.as_deref().and_then(Lang::parse);
    // A configuration that cannot be read is explained in the language asked for without it.
    let config = Config::load(config_path)
        .map_err(|e| e.message(chosen.unwrap_or_else(|| Lang::from_locale(&locale()))))?;
    let lang = chosen
        .or(config.lang)
        .unwrap_or_else(|| Lang::from_locale(&locale()));
    let now = chrono::Local::now();
    let who = config
        .name
        .clone()
        .or_else(os_user)
        .unwrap_or_else(|| "unknown".into());
    Ok(Context {
        lang,
        today: now.date_naive(),
        stamp: Stamp::new(now.fixed_offset(), who),
        config,
    })
}

fn run(mut args: Cli, chosen_lang: &mut Lang) -> Result<String, String> {
    // The completion script and the manual page read no configuration and open no store.
    if let Some(text) = args.command.as_ref().and_then(cli::without_store) {
        return Ok(text);
    }
    let config_path = args.config.clone().unwrap_or_else(config::default_path);
    let ctx = context(&args, &config_path)?;
    let lang = ctx.lang;
    *chosen_lang = lang;

    if args.demo {
        return demo(&ctx, args.command);
    }
    // Absolute, so that a command run for another terminal in its own folder moves nothing of
    // the store's.
    let path = args.db.clone().unwrap_or_else(store::default_path);
    let path = std::path::absolute(&path).unwrap_or(path);
    let watch = store::state_dir()
        .map(|dir| store::Watch::new(&path, &dir, &cli::backup::default_dir(&ctx)));
    if args.start_afresh {
        watch.iter().for_each(store::Watch::forget);
    }
    if let Some(command) = args.command.as_mut() {
        cli::prepare(command).map_err(|e| e.message(lang))?;
    }
    let intent = intent(args.command.as_ref());
    // A store that hangs sled is reported by a watchdog (the opening thread is stuck) as every
    // other failure is.
    store::on_slow_open(move |e| print_to_stderr(&e.message(lang)));
    let mut store = match Store::open_watched(&path, watch.clone(), intent) {
        Ok(store) => store,
        #[cfg(unix)]
        Err(store::StoreError::InUse { .. }) => {
            let request = request(&ctx, &config_path);
            let reopen = || Store::open_watched(&path, watch.clone(), intent);
            match serve::beside(&path, args.command.is_none(), &request, lang, reopen) {
                serve::Beside::Answered(result) => return result,
                serve::Beside::SavedThenLost(line) => {
                    print_to_stderr(&line);
                    return Ok(String::new());
                }
                serve::Beside::Free(store) => *store,
                serve::Beside::View => {
                    let viewing = serve::Viewing::take(&path, &request, lang, &ctx.stamp)?;
                    let this_month = Period::current_month(ctx.today);
                    let shown = interface(
                        &viewing.store,
                        &ctx,
                        Holding::View(&viewing.why),
                        this_month,
                    );
                    viewing.close();
                    return shown.map(|()| String::new());
                }
            }
        }
        Err(e) => return Err(e.message(lang)),
    };
    if let Some(line) =
        cli::backup::migrate_if_due(&mut store, &ctx).map_err(|e| e.message(lang))?
    {
        print_to_stderr(&line);
    }
    let done = match args.command {
        #[cfg(unix)]
        Some(cli::Command::Serve) => serve::serve_forever(&store, &ctx),
        Some(command) => {
            cli::run_owned(command, &mut store, &ctx).map_err(|e| noticed(&store, e, lang))
        }
        None => {
            let this_month = Period::current_month(ctx.today);
            interface(&store, &ctx, Holding::Own, this_month).map(|()| String::new())
        }
    };
    store.close_at_exit();
    done
}

/// What a session means to do with its store: a command that only reads opens it to read.
fn intent(command: Option<&cli::Command>) -> store::Intent {
    match command {
        Some(cli::Command::Verify(_)) => store::Intent::Verify,
        Some(command) if cli::reads_only(command) => store::Intent::Read,
        _ => store::Intent::Change,
    }
}

/// A command's failure as printed: damage it met (in whatever layer it surfaced) stops the
/// store, and the message says so and names the way back.
fn noticed(store: &Store, e: cli::Error, lang: Lang) -> String {
    match e {
        cli::Error::Store(e) => store.notice(e).message(lang),
        other => other.message(lang),
    }
}

/// Runs on a fresh temporary store holding the demo ledger; the store is removed afterwards.
fn demo(ctx: &Context, command: Option<cli::Command>) -> Result<String, String> {
    counsel_log::demo::sweep(&std::env::temp_dir());
    let dir = std::env::temp_dir().join(format!("counsel-log-demo-{}", std::process::id()));
    let result = (|| {
        let mut store = Store::open(&dir).map_err(|e| e.message(ctx.lang))?;
        let loaded = counsel_log::demo::load(&store, ctx.today, &ctx.stamp)
            .map_err(|e| e.message(ctx.lang))?;
        match command {
            Some(command) => {
                cli::run_owned(command, &mut store, ctx).map_err(|e| e.message(ctx.lang))
            }
            // The demo is thrown away on exit: nothing of it is backed up.
            None => interface(&store, ctx, Holding::Demo, loaded.opens_on).map(|()| String::new()),
        }
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// What `counsel-log` alone opens: the interface on this month.
/// What the interface has open.
#[derive(Clone, Copy)]
enum Holding<'a> {
    /// The user's store: backed up each day, and served to other terminals.
    Own,
    /// The demo's throwaway store.
    Demo,
    /// A read-only copy of a store another interface holds, and why it is read-only.
    #[cfg_attr(not(unix), allow(dead_code))]
    View(&'a str),
}

fn interface(store: &Store, ctx: &Context, holding: Holding, period: Period) -> Result<(), String> {
    let settings = counsel_log::tui::Settings {
        lang: ctx.lang,
        today: ctx.today,
        me: ctx.config.me.clone(),
        who: ctx.stamp.who.clone(),
        increment: ctx.config.increment_minutes,
        targets: ctx.config.targets.clone(),
        bundle_late_days: ctx.config.bundle_late_days,
        rounding: if ctx.config.apportion {
            counsel_log::domain::Rounding::Apportioned
        } else {
            counsel_log::domain::Rounding::EachRow
        },
    };
    // Beside a real store the interface serves other terminals and takes the daily backup on
    // a thread of its own once the first frame is drawn (and again as each new day begins);
    // quitting cancels a backup still running. The demo's store is its own and thrown away; a
    // copy is only looked at.
    #[cfg(unix)]
    let notice = None;
    #[cfg(not(unix))]
    let notice = if matches!(holding, Holding::Own) {
        daily_backup(store, ctx)
    } else {
        None
    };
    #[cfg(unix)]
    match holding {
        Holding::Own => {
            return std::thread::scope(|scope| {
                let mut held = serve::Held::start(store, ctx, scope);
                counsel_log::tui::run(store, settings, period, notice, &mut held)
            });
        }
        Holding::View(why) => {
            let mut view = serve::ReadOnly(why.to_string());
            return counsel_log::tui::run(store, settings, period, notice, &mut view);
        }
        Holding::Demo => {}
    }
    counsel_log::tui::run(
        store,
        settings,
        period,
        notice,
        &mut counsel_log::tui::Alone,
    )
}

/// This command as another process holding its store runs it: its arguments, folder,
/// language, name in the trail and configuration.
#[cfg(unix)]
fn request(ctx: &Context, config_path: &std::path::Path) -> serve::Request {
    serve::Request {
        version: env!("CARGO_PKG_VERSION").into(),
        args: std::env::args().skip(1).collect(),
        cwd: std::env::current_dir().unwrap_or_default(),
        lang: ctx.lang.code().into(),
        who: ctx.stamp.who.clone(),
        config: std::path::absolute(config_path).unwrap_or_else(|_| config_path.to_path_buf()),
    }
}

/// On the first start of the day, a verified backup (when the configuration asks for one);
/// returns what the status bar should say about it. Where no socket serves the store, the
/// interface takes it before its first frame.
#[cfg(not(unix))]
fn daily_backup(store: &Store, ctx: &Context) -> Option<String> {
    let notice = match counsel_log::cli::backup::daily(store, ctx)? {
        Ok(file) => Aside::BackupDone(file),
        Err(e) => Aside::BackupFailed(e),
    };
    Some(notice.message(ctx.lang))
}

/// The locale the user's environment asks for (`LC_ALL`, `LC_MESSAGES`, `LANG` on Unix; the
/// system's setting elsewhere); Chinese when none is set.
fn locale() -> String {
    sys_locale::get_locale().unwrap_or_else(|| "zh_CN.UTF-8".into())
}

/// Who is working, as the system knows them: the user the environment names, else (on Unix)
/// the account of the process's user id.
fn os_user() -> Option<String> {
    let named = ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty());
    #[cfg(unix)]
    let named = named.or_else(|| {
        nix::unistd::User::from_uid(nix::unistd::getuid())
            .ok()
            .flatten()
            .map(|user| user.name)
    });
    named
}
