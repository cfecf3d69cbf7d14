//! Where a command's output goes: a file named by a link is written through the link, a pipe
//! or device is written into and never replaced, and output that cannot be written (a full
//! disk behind a redirection) fails the command in one line.
#![allow(clippy::unwrap_used, reason = "a test that cannot go on has failed")]

mod common;

use std::os::unix::fs::FileTypeExt;
use std::process::Stdio;

use common::Env;

#[test]
fn an_output_file_named_by_a_link_is_written_through_it() {
    let env = Env::new();
    env.import_demo();
    let real = env.write("real.json", "orig");
    let link = env.path("link.json");
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    env.ok(&["export", link.to_str().unwrap()]);
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    let written = std::fs::read_to_string(&real).unwrap();
    assert!(
        written.starts_with('{') && written.contains("A001"),
        "{written}"
    );
    // A link to a file not made yet makes it, and stays a link.
    let ahead = env.path("ahead.csv");
    std::os::unix::fs::symlink(env.path("made.csv"), &ahead).unwrap();
    env.ok(&[
        "report",
        "--period",
        "2024",
        "--out",
        ahead.to_str().unwrap(),
    ]);
    assert!(ahead.symlink_metadata().unwrap().file_type().is_symlink());
    assert!(
        std::fs::read_to_string(env.path("made.csv"))
            .unwrap()
            .contains(',')
    );
    let left: Vec<String> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_pipe_named_as_the_output_is_written_into_not_replaced() {
    let env = Env::new();
    env.import_demo();
    let expected = env.ok(&["export", "--format", "csv", "-"]);
    let fifo = env.path("pipe.csv");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    // The reader gives up after a while, should nothing ever write into the pipe.
    let reader = std::process::Command::new("timeout")
        .arg("20")
        .arg("cat")
        .arg(&fifo)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    env.ok(&["export", "--format", "csv", fifo.to_str().unwrap()]);
    let read = reader.wait_with_output().unwrap();
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert_eq!(String::from_utf8_lossy(&read.stdout), expected);
}

#[test]
fn output_that_cannot_be_written_fails_in_one_line() {
    let env = Env::new();
    env.import_demo();
    for args in [
        &["export", "-"][..],
        &["export", "--format", "csv", "-"][..],
        &["summary", "--period", "2024"][..],
        &[
            "report", "--period", "2024", "--format", "csv", "--out", "-",
        ][..],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("counsel-log"))
            .current_dir(env.dir.path())
            .env("XDG_CONFIG_HOME", env.dir.path())
            .env("XDG_DATA_HOME", env.dir.path())
            .env("XDG_STATE_HOME", env.dir.path())
            .args(["--db", env.store.to_str().unwrap(), "--lang", "en"])
            .args(args)
            .stdout(full)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains("the disk is full"), "{args:?}: {err}");
    }
}
