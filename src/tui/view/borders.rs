//! The bordered boxes of one draw: their titles cut to fit between the corners, their rects
//! kept so that a test can check every border cell, and the wide characters beside an edge
//! kept out of it (a terminal draws a wide character over the cell after it, so a border
//! cell holding the second half of one shows no border at all).

use std::cell::RefCell;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Block;
use unicode_width::UnicodeWidthStr;

use super::fit;

thread_local! {
    /// The boxes of the draw under way, in the order drawn.
    static BOXES: RefCell<Vec<Rect>> = const { RefCell::new(Vec::new()) };
}

/// A bordered block for `area` with `title` cut (with `…`) to the columns between its corners,
/// noted as drawn.
pub fn boxed<'a>(title: &str, area: Rect) -> Block<'a> {
    BOXES.with_borrow_mut(|boxes| boxes.push(area));
    Block::bordered().title(fit(title, room(area)))
}

/// The columns between a box's corners, for a title along its top or bottom edge.
pub fn room(area: Rect) -> usize {
    usize::from(area.width.saturating_sub(2))
}

/// The rects of the bordered boxes the last draw on this thread made, for the border test.
pub fn drawn() -> Vec<Rect> {
    BOXES.with_borrow(Clone::clone)
}

/// Forgets the boxes of the previous draw.
pub(super) fn begin() {
    BOXES.with_borrow_mut(Vec::clear);
}

/// Blanks every wide character whose second half would fall on a box's left or right edge:
/// one drawn under a pop-up just left of it, or one drawn inside a box in its last column.
pub(super) fn seal(buffer: &mut Buffer) {
    let boxes = drawn();
    let area = buffer.area;
    for rect in boxes.iter().filter(|r| r.width >= 2) {
        for y in rect.top()..rect.bottom().min(area.bottom()) {
            let columns = [rect.x.checked_sub(1), rect.right().checked_sub(2)];
            for x in columns.into_iter().flatten() {
                if x < area.left() || x >= area.right() {
                    continue;
                }
                let cell = &mut buffer[(x, y)];
                if cell.symbol().width() > 1 {
                    cell.set_symbol(" ");
                }
            }
        }
    }
}
