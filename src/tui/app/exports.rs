//! `x`: what the screen shows, written into the export folder — the Tallies table as CSV, the
//! Report as Markdown and a workbook. The files themselves are made by `tui::export`.

use super::App;
use crate::tui::action::Screen;

impl App<'_> {
    /// Writes the Tallies table (CSV) or the Report (Markdown) into [`App::export_dir`].
    pub(super) fn export(&mut self) {
        let lang = self.settings.lang;
        let files = match self.screen {
            Screen::Tallies => vec![super::export::tally_csv(&self.data.tally, lang)],
            Screen::Report => {
                // One pass over the period gives the tallies both files show.
                let summary = &self.data.summary;
                let workbook = crate::cli::xlsx::every_grouping(self.store, self.period, lang)
                    .and_then(|tallies| {
                        let bytes =
                            crate::cli::xlsx::workbook(self.store, summary, &tallies, lang)?;
                        Ok((tallies, bytes))
                    });
                let (tallies, bytes) = match workbook {
                    Ok(done) => done,
                    Err(e) => return self.warn(e.message(lang)),
                };
                vec![
                    super::export::report_md(summary, &tallies, lang),
                    super::export::Export {
                        name: super::export::workbook_name(&self.period),
                        bytes,
                    },
                ]
            }
            _ => return self.warn(self.strings.export_where),
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
