//! What packing saves at a million records: the file size, and the time and memory to open
//! the store in a fresh process. Ignored: run by hand, in release, and read what it prints
//! (`cargo test --release --lib store::packed::tests::measure -- --ignored --nocapture`).

use std::path::Path;
use std::time::Instant;

use super::super::{Blocking, Packed, PackedBatch};

const RECORDS: u64 = 1_000_000;
const CHUNK: u64 = 10_000;
/// Where the child process finds the store it opens.
const DIR_VAR: &str = "COUNSEL_LOG_PACKED_OPEN";
/// The store's own page cache size (`CACHE_BYTES`).
const CACHE: u64 = 64 * 1024 * 1024;

fn config(path: &Path) -> sled::Config {
    sled::Config::new().path(path).cache_capacity(CACHE)
}

/// About 40 bytes that vary from record to record, as an entry's encoded value would.
fn value(n: u64) -> Vec<u8> {
    format!("{:020}|{:019}", n.wrapping_mul(2_654_435_761), n % 86_400).into_bytes()
}

fn fill_plain(path: &Path) {
    let db = config(path).open().unwrap();
    let tree = db.open_tree("t").unwrap();
    for start in (0..RECORDS).step_by(usize::try_from(CHUNK).unwrap()) {
        let mut batch = sled::Batch::default();
        for n in start..start + CHUNK {
            batch.insert(&n.to_be_bytes(), value(n));
        }
        tree.apply_batch(batch).unwrap();
    }
    db.flush().unwrap();
}

fn fill_packed(path: &Path) {
    let db = config(path).open().unwrap();
    let packed = Packed::new(db.open_tree("t").unwrap(), Blocking::Prefix(7));
    for start in (0..RECORDS).step_by(usize::try_from(CHUNK).unwrap()) {
        let mut batch = PackedBatch::default();
        for n in start..start + CHUNK {
            batch.insert(n.to_be_bytes(), value(n));
        }
        packed.apply_batch(batch).unwrap();
    }
    db.flush().unwrap();
}

fn bytes_under(path: &Path) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(path).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        total += if meta.is_dir() {
            bytes_under(&entry.path())
        } else {
            meta.len()
        };
    }
    total
}

/// A line of /proc/self/status, in kB.
fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The child's half: opens the store named in the environment and prints what it cost.
#[test]
#[ignore = "run by `measure_open_at_a_million` in a fresh process"]
fn open_and_report() {
    let Some(dir) = std::env::var_os(DIR_VAR) else {
        return;
    };
    let before = status_kb("VmRSS:");
    let started = Instant::now();
    let db = config(Path::new(&dir)).open().unwrap();
    let tree = db.open_tree("t").unwrap();
    let opened = started.elapsed();
    let rss = status_kb("VmRSS:");
    let hwm = status_kb("VmHWM:");
    // Both ends read, as a command's first look would.
    assert!(tree.first().unwrap().is_some() && tree.last().unwrap().is_some());
    println!(
        "OPENED ms={:.1} rss_kb={rss} hwm_kb={hwm} before_kb={before}",
        opened.as_secs_f64() * 1000.0
    );
    // The process ends here: what closing would free, the OS takes back.
    std::mem::forget(tree);
    std::mem::forget(db);
}

fn open_in_child(dir: &Path) -> String {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "store::packed::tests::measure::open_and_report",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(DIR_VAR, dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    stdout
        .lines()
        // The harness prints the test's name before its output, on the same line.
        .find_map(|l| l.find("OPENED").map(|at| l[at..].to_string()))
        .unwrap_or_else(|| format!("no report: {stdout}"))
}

#[test]
#[ignore = "writes a million records twice; run by hand in release"]
fn measure_open_at_a_million() {
    let scratch = tempfile::tempdir().unwrap();
    for (name, fill) in [
        ("plain", fill_plain as fn(&Path)),
        ("packed", fill_packed as fn(&Path)),
    ] {
        let dir = scratch.path().join(name);
        let started = Instant::now();
        fill(&dir);
        let filled = started.elapsed();
        let size = bytes_under(&dir);
        println!(
            "{name}: {RECORDS} records written in {:.1} s, {} kB on disk ({} B/record)",
            filled.as_secs_f64(),
            size / 1000,
            size / RECORDS
        );
        for _ in 0..3 {
            println!("{name}: {}", open_in_child(&dir));
        }
    }
}
