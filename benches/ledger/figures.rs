//! The figures measured, said as they come and gathered at the end in the README's table, with
//! the targets of SPEC §6 (which hold at 1,000,000 entries).

use std::collections::HashMap;
use std::fmt::Write;
use std::time::Duration;

use crate::bartib::{Comparison, ENTRIES, Pair};
use crate::process::{Run, median};

/// Several runs of one thing: medians of the times, the largest peak.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub runs: usize,
    pub time: Duration,
    pub peak_kib: u64,
    pub first_frame: Option<Duration>,
    pub backup: Option<Duration>,
}

impl Summary {
    pub fn of(runs: &[Run]) -> Summary {
        let all = |f: fn(&Run) -> Option<Duration>| -> Option<Duration> {
            runs.iter().map(f).collect::<Option<Vec<_>>>().map(median)
        };
        Summary {
            runs: runs.len(),
            time: median(runs.iter().map(|r| r.time).collect()),
            peak_kib: runs.iter().map(|r| r.peak_kib).max().unwrap_or(0),
            first_frame: all(|r| r.first_frame),
            backup: all(|r| r.backup),
        }
    }
}

/// One row of the table: what, the figure (none when it was not measured), the target.
type Row = (String, Option<String>, &'static str);

#[derive(Default)]
pub struct Figures {
    pub n: u64,
    /// The busiest month, `YYYY-MM`, and its entries.
    pub month: String,
    pub month_entries: u64,
    pub year: String,
    pub import: Option<Summary>,
    /// The first command after the import.
    pub replay: Option<Summary>,
    /// The store's size on disk.
    pub bytes: u64,
    /// The in-process interface phase's figures (µs, KiB).
    pub interface: HashMap<String, u64>,
    /// The in-process tallies' figures (µs, items).
    pub tallies: HashMap<String, u64>,
    /// Each command as a whole process.
    pub commands: HashMap<&'static str, Option<Summary>>,
    /// `script` starting a program that only draws a frame's end: the terminal's own cost.
    pub terminal: Option<Summary>,
    /// A later start (no backup), on this month.
    pub later: Option<Summary>,
    /// A later start on the busiest month (under faketime).
    pub later_busiest: Option<Summary>,
    pub first_start: Option<Summary>,
    /// The first start's backup restored into an empty store.
    pub restore: Option<Summary>,
    pub bartib: Option<Comparison>,
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 10_000.0 {
        secs(d)
    } else if ms < 10.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

/// `n` with its thousands separated, as the README writes numbers: 1,000,000.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn mib(kib: u64) -> String {
    format!("{} MiB", thousands(kib.div_ceil(1024)))
}

fn micros(map: &HashMap<String, u64>, name: &str) -> Option<Duration> {
    map.get(name).copied().map(Duration::from_micros)
}

fn or_failed(figure: Option<String>) -> String {
    figure.unwrap_or_else(|| "not measured (failed)".into())
}

impl Figures {
    pub fn say_import(&self, import: &Summary) {
        println!(
            "  import {} CSV rows, whole process             {:>9}, peak {}",
            self.n,
            secs(import.time),
            mib(import.peak_kib)
        );
    }

    pub fn say_restore(&self) {
        match &self.restore {
            Some(r) => println!(
                "  restore the first start's backup, whole process {:>9}, peak {}",
                secs(r.time),
                mib(r.peak_kib)
            ),
            None => println!("  restore the first start's backup: not measured (failed)"),
        }
    }

    pub fn say_store(&self) {
        if let Some(replay) = &self.replay {
            println!(
                "  first command after the import (sled replays it) {:>9}, peak {}",
                ms(replay.time),
                mib(replay.peak_kib)
            );
        }
        println!(
            "  store on disk                                  {:>6} MiB, {} bytes per entry",
            self.bytes.div_ceil(1 << 20),
            self.bytes / self.n.max(1)
        );
    }

    pub fn say_inside(&self) {
        let i = &self.interface;
        let t = &self.tallies;
        let show = |d: Option<Duration>| d.map_or_else(|| "-".into(), ms);
        println!("  in process, the busiest month {}:", self.month);
        println!(
            "    open the store                              {:>10}",
            show(micros(i, "open"))
        );
        println!(
            "    then the interface's first frame            {:>10}",
            show(micros(i, "frame"))
        );
        println!(
            "    Page Down on the Log, key to frame (median of {}) {:>10}, slowest {}",
            crate::inside::PAGES,
            show(micros(i, "page")),
            show(micros(i, "page_max"))
        );
        println!(
            "    peak memory of all three                    {:>10}",
            mib(i.get("peak_kib").copied().unwrap_or(0))
        );
        let items = |name: &str| t.get(name).copied().unwrap_or(0);
        println!(
            "    tally the month ({} items)                 {:>10}",
            items("month_items"),
            show(micros(t, "month_tally"))
        );
        println!(
            "    tally the year {} ({} items)              {:>10}",
            self.year,
            items("year_items"),
            show(micros(t, "year_tally"))
        );
        println!(
            "    summary of the year                         {:>10}",
            show(micros(t, "year_summary"))
        );
    }

    pub fn say_command(&self, args: &[&str], summary: Option<&Summary>) {
        let figure = summary.map(|s| format!("{:>10}, peak {}", ms(s.time), mib(s.peak_kib)));
        println!(
            "  counsel-log {:<32} {} (whole process, median of {})",
            args.join(" "),
            or_failed(figure),
            summary.map_or(0, |s| s.runs)
        );
    }

    pub fn say_interface(&self) {
        let frame = |s: &Option<Summary>| {
            s.as_ref().map(|s| {
                let frame = s.first_frame.map_or_else(|| "-".into(), ms);
                let backup = s
                    .backup
                    .map(|b| format!(", backup file named at {}", secs(b)))
                    .unwrap_or_default();
                format!(
                    "first frame {frame}{backup}, peak {} (median of {})",
                    mib(s.peak_kib),
                    s.runs
                )
            })
        };
        println!(
            "  the interface as a whole process, under script(1) in a {}x{} terminal:",
            crate::inside::COLS,
            crate::inside::ROWS
        );
        println!(
            "    the terminal alone (script, sh, stty, printf): {}",
            or_failed(frame(&self.terminal))
        );
        println!(
            "    a later start on this month (no entries):      {}",
            or_failed(frame(&self.later))
        );
        if self.later_busiest.is_some() {
            println!(
                "    a later start on {} (faketime):           {}",
                self.month,
                or_failed(frame(&self.later_busiest))
            );
        }
        println!(
            "    the first start of a day (backup_daily):        {}",
            or_failed(frame(&self.first_start))
        );
    }

    pub fn say_bartib(&self) {
        let Some(c) = &self.bartib else {
            println!("    (failed)");
            return;
        };
        let pair = |what: &str, p: &Pair| {
            println!(
                "    {what:<28} counsel-log {:>10} ({}), bartib {:>10} ({}): {:.1}x",
                ms(p.ours),
                mib(p.ours_peak_kib),
                ms(p.theirs),
                mib(p.theirs_peak_kib),
                p.ratio()
            );
        };
        pair("whole history", &c.whole);
        pair(&format!("a month ({})", c.month_code), &c.month);
    }
}

impl Figures {
    fn command(&self, name: &str) -> Option<String> {
        let s = self.commands.get(name).copied().flatten()?;
        Some(format!("{}, {} peak", ms(s.time), mib(s.peak_kib)))
    }

    fn first_start(&self) -> Option<String> {
        let s = self.first_start?;
        let backup = s.backup.map(secs).unwrap_or_else(|| "-".into());
        let later = self
            .later
            .and_then(|l| l.first_frame)
            .map(|f| format!(" (a later start: {})", ms(f)))
            .unwrap_or_default();
        Some(format!(
            "first frame {}{later}; backup named at {backup}; {} peak",
            s.first_frame.map_or_else(|| "-".into(), ms),
            mib(s.peak_kib)
        ))
    }

    fn open_in_process(&self) -> Option<String> {
        let open = micros(&self.interface, "open")?;
        let frame = micros(&self.interface, "frame")?;
        Some(format!(
            "{} (open {} + frame {})",
            ms(open + frame),
            ms(open),
            ms(frame)
        ))
    }

    fn open_whole(&self) -> Option<String> {
        let busiest = self
            .later_busiest
            .and_then(|s| s.first_frame)
            .map(|f| format!("{} on {} (faketime); ", ms(f), self.month))
            .unwrap_or_default();
        let this = self.later?.first_frame?;
        let terminal = self
            .terminal
            .and_then(|t| t.first_frame)
            .map(|t| format!("; the terminal's own start {}", ms(t)))
            .unwrap_or_default();
        Some(format!(
            "{busiest}{} on this month (empty){terminal}",
            ms(this)
        ))
    }

    fn scroll(&self) -> Option<String> {
        let page = micros(&self.interface, "page")?;
        let max = micros(&self.interface, "page_max")?;
        Some(format!(
            "{} (slowest of {} pages {})",
            ms(page),
            crate::inside::PAGES,
            ms(max)
        ))
    }

    fn interface_peak(&self) -> Option<String> {
        let whole = self
            .later_busiest
            .or(self.later)
            .map(|s| format!("{} whole process; ", mib(s.peak_kib)))
            .unwrap_or_default();
        let inside = self.interface.get("peak_kib")?;
        Some(format!("{whole}{} in process", mib(*inside)))
    }

    fn against(&self, p: fn(&Comparison) -> &Pair) -> Option<String> {
        let p = p(self.bartib.as_ref()?);
        Some(format!(
            "{:.1}× (counsel-log {}, bartib {})",
            p.ratio(),
            ms(p.ours),
            ms(p.theirs)
        ))
    }

    /// The table's rows on starting the interface and using it: what, figure, target.
    fn interface_rows(&self) -> Vec<Row> {
        let n = thousands(self.n);
        let month = &self.month;
        vec![
            (
                format!("import {n} CSV rows, whole process"),
                self.import
                    .map(|s| format!("{}, {} peak", secs(s.time), mib(s.peak_kib))),
                "≤ 20 s, ≤ 500 MB",
            ),
            (
                "first start of a day (`backup_daily = true`, no backup of today), whole process"
                    .into(),
                self.first_start(),
                "first frame as any start's; backup in the background, ≤ 300 MB, ≤ 30 s",
            ),
            (
                "restore that backup into an empty store, whole process".into(),
                self.restore
                    .map(|s| format!("{}, {} peak", secs(s.time), mib(s.peak_kib))),
                "≤ 500 MB",
            ),
            (
                format!(
                    "open → first frame, {month} ({} entries), in process",
                    thousands(self.month_entries)
                ),
                self.open_in_process(),
                "≤ 100 ms",
            ),
            (
                "open → first frame, whole process under a terminal".into(),
                self.open_whole(),
                "≤ 100 ms",
            ),
            (
                format!("scroll one page on the Log (key → frame), {month}, in process"),
                self.scroll(),
                "≤ 16 ms",
            ),
        ]
    }

    /// The table's rows on the reports, the store and bartib: what, figure, target.
    fn read_rows(&self) -> Vec<Row> {
        let month = &self.month;
        let year = &self.year;
        vec![
            (
                "whole-history report (`report --period all`), whole process".into(),
                self.command("report --period all"),
                "≤ 150 ms, ≤ 500 MB",
            ),
            (
                format!("`summary --period {year}`, whole process"),
                self.command("summary --period YEAR"),
                "≤ 150 ms, ≤ 500 MB",
            ),
            (
                format!("month report (`report --period {month}`), whole process"),
                self.command("report --period MONTH"),
                "≤ 60 ms, ≤ 500 MB",
            ),
            (
                format!(
                    "interface peak memory ({month}, {} pages)",
                    crate::inside::PAGES
                ),
                self.interface_peak(),
                "≤ 150 MB",
            ),
            (
                "store on disk".into(),
                Some(format!(
                    "{} bytes per entry ({} MiB)",
                    thousands(self.bytes / self.n.max(1)),
                    thousands(self.bytes.div_ceil(1 << 20))
                )),
                "≤ 400 bytes per entry",
            ),
            (
                format!(
                    "against bartib, same {} entries, whole history (alternating pairs)",
                    thousands(ENTRIES)
                ),
                self.against(|c| &c.whole),
                "≥ 10×",
            ),
            (
                format!(
                    "against bartib, same {} entries, a month ({})",
                    thousands(ENTRIES),
                    self.bartib.as_ref().map_or("-", |c| c.month_code.as_str())
                ),
                self.against(|c| &c.month),
                "≥ 5×",
            ),
        ]
    }

    /// The README's table, in Markdown.
    pub fn table(&self) -> String {
        let n = thousands(self.n);
        let mut out =
            format!("| what, at {n} entries | figure | target (at 1,000,000) |\n|---|---|---|\n");
        for (what, figure, target) in self.interface_rows().into_iter().chain(self.read_rows()) {
            let figure = figure.unwrap_or_else(|| "not measured (see the output above)".into());
            let _ = writeln!(out, "| {what} | {figure} | {target} |");
        }
        out
    }
}
