//! `counsel-log completions SHELL` and `counsel-log man`: the shell's completion script and the
//! manual page, both written from the same clap definition as the parser, so they never
//! disagree with it. Neither needs a store. Both are in English whatever the language of the
//! run: they are written once into files (often when the program is packaged) that every user
//! of the machine shares.

use clap::Args;

use super::command;
use crate::domain::Lang;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// The completion script for the shell, e.g. for `~/.local/share/bash-completion/completions/`.
pub fn completions(a: &CompletionsArgs) -> String {
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut command(Lang::En), "counsel-log", &mut script);
    String::from_utf8_lossy(&script).into_owned()
}

/// The manual page in roff, for `man -l -` or a file in `man1/`.
pub fn man() -> String {
    let mut page = Vec::new();
    // Its only errors are the writer's, and a Vec takes every write.
    let _ = clap_mangen::Man::new(command(Lang::En)).render(&mut page);
    String::from_utf8_lossy(&page).into_owned()
}
