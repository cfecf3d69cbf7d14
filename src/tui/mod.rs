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

/// What runs beside the interface on the store it holds, provided by `main` (the interface
/// never knows how): the commands other terminals send, and what a new day brings.
pub trait Beside {
    /// Runs the commands waiting; true when one of them changed the store.
    fn serve(&mut self, store: &Store) -> bool;
    /// True when commands may arrive, so the loop looks for them several times a second.
    fn serving(&self) -> bool;
    /// A new day began while the interface was open: what it brings (the daily backup), in
    /// words for the status line.
    fn new_day(&mut self, store: &Store) -> Option<String>;
    /// Why nothing may be changed here, when the store shown is a copy of one held elsewhere.
    fn read_only(&self) -> Option<String> {
        None
    }
}

/// Nothing beside the interface: a throwaway store (the demo), or no way to serve.
pub struct Alone;

impl Beside for Alone {
    fn serve(&mut self, _: &Store) -> bool {
        false
    }
    fn serving(&self) -> bool {
        false
    }
    fn new_day(&mut self, _: &Store) -> Option<String> {
        None
    }
}

/// Runs the interface until the user quits. The terminal is restored on every way out:
/// quitting, an error, or a panic.
pub fn run(
    store: &Store,
    settings: Settings,
    period: Period,
    notice: Option<String>,
    beside: &mut dyn Beside,
) -> Result<(), String> {
    // Read everything first: a store that cannot be read is reported before the screen is taken.
    let lang = settings.lang;
    let mut app = App::new(store, settings, period).map_err(|e| e.message(lang))?;
    app.status_line = notice.map(|text| app::StatusLine { text, error: false });
    app.read_only = beside.read_only();
    if let Some(text) = app.read_only.clone() {
        app.status_line = Some(app::StatusLine { text, error: true });
    }
    // Damage found before the first frame (by the daily backup) shows from the first frame.
    app.stop_if_damaged();
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
    let result = event_loop(&mut terminal, &mut app, store, beside);
    let _ = execute!(stdout(), DisableBracketedPaste);
    ratatui::restore();
    let _ = std::panic::take_hook();
    result.map_err(failed)
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    store: &Store,
    beside: &mut dyn Beside,
) -> std::io::Result<()> {
    loop {
        // The clock is asked again on every turn: left open past midnight, today moves on.
        let now = chrono::Local::now().fixed_offset();
        if now.date_naive() > app.settings.today {
            let note = beside.new_day(store);
            app.new_day(now, note);
        }
        if beside.serve(store) {
            app.changed_beside();
        }
        app.stop_if_damaged();
        terminal.draw(|frame| view::draw(frame, app, now))?;
        if app.quit {
            return Ok(());
        }
        // Commands from other terminals are looked for several times a second; while a timer
        // runs the clock in the header ticks; otherwise wait for a key (or a minute, to see
        // midnight).
        let wait = if beside.serving() {
            Duration::from_millis(200)
        } else if app.has_timer() {
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
