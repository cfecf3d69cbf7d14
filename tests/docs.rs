//! `counsel-log completions SHELL` prints a completion script naming the subcommands, and
//! `counsel-log man` a manual page in roff; neither opens (or makes) a store. `--help` says
//! what each command does.
#![allow(clippy::unwrap_used, reason = "a test that cannot go on has failed")]

mod common;

use common::Env;

#[test]
fn completions_name_every_subcommand_for_each_shell_without_a_store() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = env.ok(&["completions", shell]);
        for sub in ["advisor", "report", "import", "item", "completions", "man"] {
            assert!(script.contains(sub), "{shell} script names {sub}");
        }
        // The script is for the program's own name.
        assert!(script.contains("counsel-log"), "{shell}");
    }
    let bash = env.ok(&["completions", "bash"]);
    assert!(bash.contains("complete -F"), "a bash completion: {bash}");
    assert!(!env.store.exists(), "no store was made");
    let out = env.run(&["completions", "tcsh"]);
    assert!(!out.status.success());
}

#[test]
fn man_prints_a_roff_page_with_its_title_and_commands() {
    let env = Env::new();
    let page = env.ok(&["man"]);
    assert!(page.starts_with(".ie") || page.contains("\n.TH "), "{page}");
    assert!(page.contains(".TH counsel-log 1"), "{page}");
    assert!(
        page.contains("counsel\\-log\\-report") || page.contains("report"),
        "{page}"
    );
    assert!(page.contains(".SH NAME"), "{page}");
    assert!(!env.store.exists(), "no store was made");
}

#[test]
fn advisor_help_names_set_as_well_as_add_and_list() {
    let env = Env::new();
    let help = env.ok(&["--help"]);
    let line = help
        .lines()
        .find(|l| l.trim_start().starts_with("advisor"))
        .unwrap();
    assert!(line.contains("set"), "{line}");
    let help = env.ok(&["advisor", "--help"]);
    let about = help.lines().next().unwrap();
    assert!(about.contains("set"), "{about}");
}
