//! What a key press asks for. The keymap turns keys into actions; the app applies them.

use ratatui::crossterm::event::KeyEvent;

/// One of the five screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Log,
    Items,
    Tallies,
    Team,
    Report,
}

impl Screen {
    pub const ALL: [Screen; 5] = [
        Screen::Log,
        Screen::Items,
        Screen::Tallies,
        Screen::Team,
        Screen::Report,
    ];

    pub fn index(self) -> usize {
        Screen::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// Everything the interface can be asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Leave the program.
    Quit,
    /// Show this screen.
    Show(Screen),
    /// Show the next screen (Tab).
    NextScreen,
    /// Show the previous screen (Shift-Tab).
    PrevScreen,
    /// Move the selection by this many rows (negative is up).
    Move(isize),
    /// Move the selection to the first row.
    Top,
    /// Move the selection to the last row.
    Bottom,
    /// Open the form for a new entry.
    Add,
    /// Open the form on the selected entry.
    Edit,
    /// Ask to delete the selected entry.
    Delete,
    /// Undo the last change.
    Undo,
    /// Start the timer on the selected item, or stop the running one.
    Timer,
    /// Type a text filter.
    Filter,
    /// Type a period.
    Period,
    /// Step to the previous (`false`) or next (`true`) period.
    StepPeriod(bool),
    /// Cycle the selected item's rating: unrated, satisfied, basic, unsatisfied (Items screen).
    Rate,
    /// Mark the selected item closed, or open again (Items screen).
    Close,
    /// Cycle the selected item's outcome: advice adopted, not adopted (asks why), none.
    Outcome,
    /// Cycle the grouping of the tallies.
    CycleGroup,
    /// Show the entries behind the selected row.
    Drill,
    /// Leave a drill-down or clear the filter.
    Back,
    /// Write what the screen shows to a file: the tally as CSV (Tallies), the report as
    /// Markdown (Report).
    Export,
    /// Show every key.
    Help,
    /// A key for the open form, prompt or dialog.
    Key(KeyEvent),
    /// Text pasted into the terminal.
    Paste(String),
    /// The terminal changed size; redraw.
    Resize,
}
