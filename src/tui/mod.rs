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
    /// True when commands (or the outcome of work beside) may arrive, so the loop looks for
    /// them several times a second.
    fn serving(&self) -> bool;
    /// A frame was drawn: work that must not delay the first one (the daily backup) may start.
    fn shown(&mut self) {}
    /// A new day began while the interface was open: what it brings, in words for the status
    /// line (none: the loop says a new day began).
    fn new_day(&mut self, store: &Store) -> Option<String>;
    /// What work beside the interface (the daily backup) has come to since the last turn, in
    /// words for the status line.
    fn news(&mut self) -> Option<String> {
        None
    }
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
    let mut events = |wait: Duration| -> std::io::Result<Option<event::Event>> {
        if event::poll(wait)? {
            event::read().map(Some)
        } else {
            Ok(None)
        }
    };
    let result = event_loop(&mut terminal, &mut app, store, beside, &mut events);
    let _ = execute!(stdout(), DisableBracketedPaste);
    ratatui::restore();
    let _ = std::panic::take_hook();
    result.map_err(failed)
}

/// The terminal's next event, waiting at most the given time for one: the keyboard, or a
/// script of events in a test.
pub type Events<'a> = dyn FnMut(Duration) -> std::io::Result<Option<event::Event>> + 'a;

/// Runs the interface's loop on any terminal (the test backend too) with events from
/// `events`, until the user quits: what [`run`] does once the screen is taken.
pub fn run_on<B: ratatui::backend::Backend>(
    terminal: &mut ratatui::Terminal<B>,
    app: &mut App,
    store: &Store,
    beside: &mut dyn Beside,
    events: &mut Events,
) -> std::io::Result<()> {
    event_loop(terminal, app, store, beside, events)
}

fn event_loop<B: ratatui::backend::Backend>(
    terminal: &mut ratatui::Terminal<B>,
    app: &mut App,
    store: &Store,
    beside: &mut dyn Beside,
    events: &mut Events,
) -> std::io::Result<()> {
    let backend = |e: B::Error| std::io::Error::other(e.to_string());
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
        if let Some(text) = beside.news() {
            app.inform_beside(text);
        }
        app.stop_if_damaged();
        terminal
            .draw(|frame| view::draw(frame, app, now))
            .map_err(backend)?;
        // Only now, the frame on screen, may the daily backup begin.
        beside.shown();
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
        if let Some(event) = events(wait)? {
            let size = terminal.size().map_err(backend)?;
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
