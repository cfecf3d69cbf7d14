//! The terminal interface: screens as tabs over the store, driven by one synchronous loop —
//! draw, read one event, map it to an action, apply it.

pub mod action;
pub mod app;
mod data;
mod export;
pub mod form;
pub mod keymap;
pub mod strings;
pub mod view;

use std::io::stdout;
use std::time::Duration;

use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;

pub use app::{App, Settings};

use crate::domain::Period;
use crate::store::Store;

/// Runs the interface until the user quits. The terminal is restored on every way out:
/// quitting, an error, or a panic.
pub fn run(
    store: &Store,
    settings: Settings,
    period: Period,
    notice: Option<String>,
) -> Result<(), String> {
    // Read everything first: a store that cannot be read is reported before the screen is taken.
    let lang = settings.lang;
    let mut app = App::new(store, settings, period).map_err(|e| e.message(lang))?;
    app.status_line = notice.map(|text| app::StatusLine { text, error: false });
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableBracketedPaste);
        ratatui::restore();
        previous(info);
    }));
    let failed = move |e: std::io::Error| format!("{} {e}", strings::strings(lang).terminal_failed);
    let mut terminal = match ratatui::try_init() {
        Ok(terminal) => terminal,
        Err(e) => {
            ratatui::restore();
            let _ = std::panic::take_hook();
            return Err(failed(e));
        }
    };
    let _ = execute!(stdout(), EnableBracketedPaste);
    let result = event_loop(&mut terminal, &mut app);
    let _ = execute!(stdout(), DisableBracketedPaste);
    ratatui::restore();
    let _ = std::panic::take_hook();
    result.map_err(failed)
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> std::io::Result<()> {
    loop {
        let now = chrono::Local::now().fixed_offset();
        terminal.draw(|frame| view::draw(frame, app, now))?;
        if app.quit {
            return Ok(());
        }
        // While a timer runs the clock in the header ticks; otherwise wait for a key.
        let wait = if app.has_timer() {
            Duration::from_secs(1)
        } else {
            Duration::from_secs(60)
        };
        if event::poll(wait)? {
            let event = event::read()?;
            let size = terminal.size()?;
            let too_small = size.width < view::MIN_WIDTH || size.height < view::MIN_HEIGHT;
            if let Some(action) = keymap::map(app.focus(), &event) {
                // Nothing acts unseen: on a screen too small to show, only quitting works.
                if !too_small || matches!(action, action::Action::Quit | action::Action::Resize) {
                    app.update(action, chrono::Local::now().fixed_offset());
                }
            }
        }
    }
}
