//! Whole processes, timed and weighed. Each command runs under a fresh copy of this benchmark
//! acting as a wrapper (`--measure` or `--terminal`): the wrapper starts the command, waits for
//! it, and reads its peak memory with `getrusage(RUSAGE_CHILDREN)`. The wrapper has no other
//! child, so that figure is the command's own (the largest of it and of any child it waited
//! for), which no reading of `/proc` just before the command exits could promise.
//!
//! The interface needs a terminal: `--terminal` runs it under `script(1)`, which gives it a
//! pseudo-terminal, and watches what it writes there. The first frame is the first
//! cursor-hiding sequence after the switch to the alternate screen: ratatui ends every frame it
//! draws with one, after the frame's cells.

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What crossterm writes on entering the alternate screen.
const ALTERNATE_SCREEN: &[u8] = b"\x1b[?1049h";
/// What ratatui writes at the end of each frame drawn without a cursor.
const FRAME_END: &[u8] = b"\x1b[?25l";
/// The Page Down key, as a terminal sends it.
const PAGE_DOWN: &[u8] = b"\x1b[6~";

/// One run of a whole process.
#[derive(Debug, Clone, Copy, Default)]
pub struct Run {
    /// From its start to its exit.
    pub time: Duration,
    /// Its peak resident memory, KiB.
    pub peak_kib: u64,
    /// Under a terminal: from its start to its interface's first frame.
    pub first_frame: Option<Duration>,
    /// Under a terminal, when waiting for the daily backup: from its start to the backup's file
    /// appearing under its final name (it is named once proven).
    pub backup: Option<Duration>,
}

/// The terminal a command runs in, and what is done in it after the first frame.
pub struct Screen {
    pub rows: u16,
    pub cols: u16,
    /// How many times Page Down is pressed before `q`.
    pub pages: u16,
    /// Wait for a backup file to appear here before pressing anything.
    pub backup_dir: Option<PathBuf>,
}

/// How long any one command may take before it counts as hung.
fn timeout() -> Duration {
    let secs = std::env::var("COUNSEL_LOG_BENCH_TIMEOUT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1800);
    Duration::from_secs(secs)
}

/// Runs commands through the wrapper, in an environment of their own: a home folder (and so
/// configuration, state and default backup folders) inside the benchmark's scratch folder.
pub struct Runner {
    env: Vec<(&'static str, OsString)>,
}

impl Runner {
    pub fn new(home: &Path) -> Runner {
        std::fs::create_dir_all(home.join("tmp")).expect("a scratch folder");
        let path = std::env::var_os("PATH").unwrap_or_default();
        let at = |sub: &str| home.join(sub).into_os_string();
        Runner {
            env: vec![
                ("PATH", path),
                ("HOME", home.as_os_str().to_owned()),
                ("XDG_CONFIG_HOME", at("config")),
                ("XDG_DATA_HOME", at("data")),
                ("XDG_STATE_HOME", at("state")),
                // Scratch files (the daily backup's proof) go where the benchmark cleans up.
                ("TMPDIR", at("tmp")),
                ("USER", "bench".into()),
                ("LANG", "C.UTF-8".into()),
                ("TERM", "xterm-256color".into()),
                ("SHELL", "/bin/sh".into()),
            ],
        }
    }

    fn wrapper(&self) -> Command {
        let exe = std::env::current_exe().expect("the benchmark's own path");
        let mut command = Command::new(exe);
        command
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }

    /// Runs `cmd` unmeasured and returns what it printed.
    pub fn output<S: AsRef<OsStr>>(&self, cmd: &[S]) -> Option<String> {
        let (program, args) = cmd.split_first()?;
        let mut command = Command::new(program);
        command
            .env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        let out = command.args(args).stderr(Stdio::inherit()).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Runs `cmd` to its end, its output thrown away; `None` (said on stderr) when it failed.
    pub fn run<S: AsRef<OsStr>>(&self, cmd: &[S]) -> Option<Run> {
        let mut wrapper = self.wrapper();
        wrapper.arg("--measure").arg("--").args(cmd);
        finished(&mut wrapper, cmd)
    }

    /// Runs the interface `cmd` in a terminal, as [`Screen`] says.
    pub fn run_in_terminal<S: AsRef<OsStr>>(&self, screen: &Screen, cmd: &[S]) -> Option<Run> {
        let mut wrapper = self.wrapper();
        let backup = screen
            .backup_dir
            .as_ref()
            .map_or_else(|| OsString::from("-"), |d| d.clone().into_os_string());
        wrapper
            .arg("--terminal")
            .args([screen.rows, screen.cols, screen.pages].map(|n| n.to_string()))
            .arg(backup)
            .arg("--")
            .args(cmd);
        finished(&mut wrapper, cmd)
    }
}

/// Waits for the wrapper and reads its line.
fn finished<S: AsRef<OsStr>>(wrapper: &mut Command, cmd: &[S]) -> Option<Run> {
    let shown: Vec<String> = cmd
        .iter()
        .map(|a| a.as_ref().to_string_lossy().into_owned())
        .collect();
    let out = wrapper.stderr(Stdio::inherit()).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let run = text.lines().find_map(parse);
    if !out.status.success() || run.is_none() {
        eprintln!("  (failed: {})", shown.join(" "));
        return None;
    }
    run
}

/// The wrapper's line: `run TIME_US PEAK_KIB FRAME_US BACKUP_US`, `-` for what was not seen.
fn parse(line: &str) -> Option<Run> {
    let mut fields = line.strip_prefix("run ")?.split(' ');
    let mut next = || fields.next()?.parse::<u64>().ok();
    let time = Duration::from_micros(next()?);
    let peak_kib = next()?;
    let first_frame = next().map(Duration::from_micros);
    let backup = next().map(Duration::from_micros);
    Some(Run {
        time,
        peak_kib,
        first_frame,
        backup,
    })
}

fn micros(d: Option<Duration>) -> String {
    d.map_or_else(
        || "-".into(),
        |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX).to_string(),
    )
}

/// Says what was measured, as the wrapper's only line on stdout.
fn say(
    time: Duration,
    first_frame: Option<Duration>,
    backup: Option<Duration>,
    ok: bool,
) -> ExitCode {
    println!(
        "run {} {} {} {}",
        micros(Some(time)),
        children_peak_kib(),
        micros(first_frame),
        micros(backup)
    );
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The largest peak resident memory of the children waited for, KiB.
#[cfg(target_os = "linux")]
fn children_peak_kib() -> u64 {
    use nix::sys::resource::{UsageWho, getrusage};
    getrusage(UsageWho::RUSAGE_CHILDREN).map_or(0, |u| u64::try_from(u.max_rss()).unwrap_or(0))
}

#[cfg(not(target_os = "linux"))]
fn children_peak_kib() -> u64 {
    0
}

/// Caps the address space of the wrapper, and so of the command it starts, at
/// `COUNSEL_LOG_BENCH_MEMORY_CAP_MIB` (default 8192; 0 for none): a command that would take
/// far more memory than the targets allow fails there, saying so on stderr, rather than
/// pressing the whole machine into swap or the out-of-memory killer.
fn cap_memory() {
    let mib = std::env::var("COUNSEL_LOG_BENCH_MEMORY_CAP_MIB")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(8192);
    #[cfg(target_os = "linux")]
    if mib > 0 {
        use nix::sys::resource::{Resource, setrlimit};
        let bytes = mib.saturating_mul(1 << 20);
        let _ = setrlimit(Resource::RLIMIT_AS, bytes, bytes);
    }
}

/// The wrapper of a command: `--measure -- CMD ARGS…`.
pub fn measure(cmd: &[String]) -> ExitCode {
    let Some((program, args)) = cmd.split_first() else {
        return ExitCode::FAILURE;
    };
    cap_memory();
    let start = Instant::now();
    let status = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status();
    let time = start.elapsed();
    say(time, None, None, status.is_ok_and(|s| s.success()))
}

/// Quoted for `sh`.
fn quoted(arg: &str) -> String {
    format!("'{}'", arg.replace('\'', r"'\''"))
}

/// True when `script(1)` is there to give the interface a terminal.
pub fn has_script() -> bool {
    Command::new("script")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The wrapper of an interface: `--terminal ROWS COLS PAGES BACKUP_DIR|- -- CMD ARGS…`. Starts
/// `CMD` under `script` in a terminal of that size, notes when its first frame is drawn (and,
/// with a folder, when a backup appears there), presses Page Down `PAGES` times and `q`, and
/// waits for it to end.
pub fn terminal(spec: &[String], cmd: &[String]) -> ExitCode {
    let [rows, cols, pages, backup_dir] = spec else {
        return ExitCode::FAILURE;
    };
    let pages: usize = pages.parse().unwrap_or(0);
    cap_memory();
    let words: Vec<String> = cmd.iter().map(|a| quoted(a)).collect();
    let line = format!("stty rows {rows} cols {cols} && exec {}", words.join(" "));
    let start = Instant::now();
    let Ok(mut child) = Command::new("script")
        .args(["-qfec", &line, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    else {
        return ExitCode::FAILURE;
    };
    let (Some(mut keys), Some(screen)) = (child.stdin.take(), child.stdout.take()) else {
        return ExitCode::FAILURE;
    };
    let output = read_on(screen);
    let deadline = start + timeout();
    let first_frame = first_frame(&output, deadline).map(|at| at - start);
    let backup = (first_frame.is_some() && backup_dir != "-")
        .then(|| backup_seen(Path::new(backup_dir), deadline))
        .flatten()
        .map(|at| at - start);
    if first_frame.is_some() {
        let mut pressed = PAGE_DOWN.repeat(pages);
        pressed.push(b'q');
        let _ = keys.write_all(&pressed).and_then(|()| keys.flush());
    } else {
        let _ = child.kill();
    }
    drop(keys);
    // Everything the interface writes until it ends is read, so that it never waits on a full
    // terminal.
    while output.recv_timeout(remaining(deadline)).is_ok() {}
    if Instant::now() >= deadline {
        let _ = child.kill();
    }
    let status = child.wait();
    let time = start.elapsed();
    let ok = first_frame.is_some() && status.is_ok_and(|s| s.success());
    say(time, first_frame, backup, ok)
}

fn remaining(deadline: Instant) -> Duration {
    deadline.saturating_duration_since(Instant::now())
}

/// What `screen` delivers, chunk by chunk, read on a thread of its own; ends with it.
fn read_on(mut screen: impl Read + Send + 'static) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 1 << 16];
        while let Ok(k @ 1..) = screen.read(&mut buf) {
            if tx.send(buf[..k].to_vec()).is_err() {
                break;
            }
        }
    });
    rx
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// When the first frame was complete: `None` when the interface ended or hung before one.
fn first_frame(output: &mpsc::Receiver<Vec<u8>>, deadline: Instant) -> Option<Instant> {
    let mut seen = Vec::new();
    loop {
        let chunk = output.recv_timeout(remaining(deadline)).ok()?;
        seen.extend_from_slice(&chunk);
        if let Some(at) = find(&seen, ALTERNATE_SCREEN)
            && find(&seen[at..], FRAME_END).is_some()
        {
            return Some(Instant::now());
        }
    }
}

/// When a finished backup file first showed in `dir` (looked for every 10 ms).
fn backup_seen(dir: &Path, deadline: Instant) -> Option<Instant> {
    let finished = |dir: &Path| {
        std::fs::read_dir(dir).is_ok_and(|entries| {
            entries.filter_map(Result::ok).any(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.starts_with("counsel-log-") && name.ends_with(".jsonl")
            })
        })
    };
    while Instant::now() < deadline {
        if finished(dir) {
            return Some(Instant::now());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

/// The median of some durations (zero for none).
pub fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}
