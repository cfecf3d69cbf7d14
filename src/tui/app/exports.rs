//! `x`: what the screen shows, written into the export folder — the Tallies table as CSV, the
//! Report as Markdown, a workbook and a Word document, never over an earlier export. The files
//! themselves are made by `tui::export`.

use super::App;
use crate::tui::action::Screen;

impl App<'_> {
    /// Writes the Tallies table (CSV) or the Report (Markdown) into [`App::export_dir`].
    pub(super) fn export(&mut self) {
        let lang = self.settings.lang;
        let files =
            super::export::files(self.screen, self.store, &self.data.tally, self.period, lang);
        let files = match files {
            None => return self.warn(self.strings.export_where),
            Some(Err(e)) => return self.warn(e.message(lang)),
            Some(Ok(files)) => files,
        };
        // A name already in the folder is an earlier export someone may have edited or sent:
        // never overwritten, the new one gets the next free number.
        let dir = self.export_dir.clone();
        let (names, numbered) = super::export::free_names(&files, |name| dir.join(name).exists());
        let mut written = Vec::new();
        for (file, name) in files.iter().zip(names) {
            let path = dir.join(&name);
            // `create_new` fails rather than overwrite a file that appeared meanwhile.
            let wrote = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut f| std::io::Write::write_all(&mut f, &file.bytes));
            if let Err(e) = wrote {
                return self.warn(self.strings.labelled(
                    &format!("{} {}", self.strings.export_failed, path.display()),
                    e,
                ));
            }
            written.push(name);
        }
        let mut names = written.join(self.strings.list_sep);
        if numbered.is_some() {
            names = self.strings.aside(names, self.strings.earlier_kept);
        }
        // A report's total is the period's: the file is never a filtered part of it.
        if self.screen == Screen::Tallies && !self.filter.is_empty() {
            names = self.strings.aside(names, self.strings.export_unfiltered);
        }
        let to = format!("{} {}", self.strings.exported, self.export_dir.display());
        self.inform(self.strings.labelled(&to, names));
    }
}
