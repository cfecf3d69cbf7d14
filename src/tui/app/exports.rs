//! `x`: what the screen shows, written into the export folder — the Tallies table as CSV, the
//! Report as Markdown, a workbook and a Word document. The files themselves are made by
//! `tui::export`.

use super::App;

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
        let mut written = Vec::new();
        for file in files {
            let path = self.export_dir.join(&file.name);
            if let Err(e) = std::fs::write(&path, &file.bytes) {
                return self.warn(self.strings.labelled(
                    &format!("{} {}", self.strings.export_failed, path.display()),
                    e,
                ));
            }
            written.push(file.name);
        }
        let names = written.join(self.strings.list_sep);
        let to = format!("{} {}", self.strings.exported, self.export_dir.display());
        self.inform(self.strings.labelled(&to, names));
    }
}
