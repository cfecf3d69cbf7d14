//! What a key press asks for. The keymap turns keys into actions; the app applies them.

use ratatui::crossterm::event::KeyEvent;
use strum::VariantArray;

/// One of the five screens, in the order of their tabs and number keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::VariantArray)]
pub enum Screen {
    Log,
    Items,
    Tallies,
    Team,
    Report,
}

impl Screen {
    /// The screen number key `n` shows (`1` is the Log).
    pub fn numbered(n: u32) -> Option<Screen> {
        let index = usize::try_from(n.checked_sub(1)?).ok()?;
        Screen::VARIANTS.get(index).copied()
    }

    /// Where the screen's tab stands, from 0.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The screen after this one; after the last, the first (Tab).
    #[must_use]
    pub fn next(self) -> Screen {
        Screen::VARIANTS[(self.index() + 1) % Screen::VARIANTS.len()]
    }

    /// The screen before this one; before the first, the last (Shift-Tab).
    #[must_use]
    pub fn previous(self) -> Screen {
        let count = Screen::VARIANTS.len();
        Screen::VARIANTS[(self.index() + count - 1) % count]
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
    /// Cycle the selected item's adoption: advice adopted, not adopted (asks why), none.
    Adoption,
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
    /// Show the audit records of the selected Log entry.
    History,
    /// A key for the open form, prompt or dialog.
    Key(KeyEvent),
    /// Text pasted into the terminal.
    Paste(String),
    /// The terminal changed size; redraw.
    Resize,
    /// Rank the Team screen's advisors the other way: by items or by hours.
    RankBy,
    /// Open the form for a new advisor (Team screen).
    NewAdvisor,
}
