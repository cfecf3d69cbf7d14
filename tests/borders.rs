//! No border cell is ever written over: every screen and pop-up, drawn on ratatui's TestBackend
//! with random Chinese and mixed text at random sizes, keeps the corners and edges of every box
//! it draws, with no wide character spilling into an edge and no title running into a corner.

#![allow(clippy::unwrap_used, reason = "a test that cannot go on has failed")]

use chrono::{DateTime, FixedOffset, NaiveDate};
use counsel_log::domain::intake::{decode, plan_advisors, plan_entries, read_entries};
use counsel_log::domain::{Lang, Period};
use counsel_log::store::{AuditAction, Stamp, Store};
use counsel_log::tui::{App, Settings, keymap, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

const ADVISORS: &str = include_str!("../assets/demo/advisors.csv");
const ENTRIES: &str = include_str!("../assets/demo/entries-2024.csv");

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2024-12-31T10:00:00+08:00").unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()
}

/// A small seeded generator (xorshift), so a failing case comes back the same every run.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % u64::try_from(n).unwrap()).unwrap()
    }

    /// Text of `min..max` characters: mostly Chinese, with Latin letters, digits, spaces and
    /// full-width punctuation mixed in.
    fn text(&mut self, min: usize, max: usize) -> String {
        const CJK: &[char] = &[
            '重', '大', '行', '政', '决', '策', '合', '法', '性', '审', '核', '基', '本', '满',
            '意', '综', '执', '局', '委', '会', '办', '公', '室', '顾', '问', '尹', '帆', '邱',
        ];
        const OTHER: &[char] = &[
            'a', 'Z', 'e', 'x', '1', '7', '0', ' ', '（', '）', '：', '·', '-',
        ];
        let len = min + self.below(max - min + 1);
        let mut out = String::new();
        for _ in 0..len {
            if self.below(4) == 0 {
                out.push(OTHER[self.below(OTHER.len())]);
            } else {
                out.push(CJK[self.below(CJK.len())]);
            }
        }
        let trimmed = out.trim().to_string();
        if trimmed.is_empty() {
            "某".into()
        } else {
            trimmed
        }
    }
}

struct Ledger {
    _dir: tempfile::TempDir,
    store: Store,
}

/// The demo ledger of 2024 with random advisors and items added in March.
fn ledger(dice: &mut Dice) -> Ledger {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store")).unwrap();
    let stamp = Stamp::new(now(), "test");
    let mut advisors = ADVISORS.to_string();
    for n in 0..6 {
        let name = dice.text(2, 10).replace(' ', "");
        let unit = dice.text(2, 16);
        advisors += &format!("B{n:03},{name},staff,{unit}\n");
    }
    let plan = plan_advisors(&advisors, &store.advisors().unwrap()).unwrap();
    store.apply_advisors(&plan, "demo", &stamp).unwrap();
    let mut entries = ENTRIES.to_string();
    for n in 0..12 {
        let day = 1 + dice.below(28);
        let advisor = if n % 2 == 0 {
            format!("B{:03}", dice.below(6))
        } else {
            "A001".to_string()
        };
        let title = dice.text(4, 48);
        let department = dice.text(2, 20);
        let note = dice.text(0, 70);
        entries += &format!(
            "2024-03-{day:02},{advisor},1.5,,{title},行政复议,legality-review,{department},满意,{note}\n"
        );
    }
    let rows = read_entries(&decode(entries.as_bytes()).unwrap()).unwrap();
    let plan = plan_entries(&rows, &store.view().unwrap(), today(), true).unwrap();
    store
        .apply_entries(plan, AuditAction::ImportEntries, "demo", &stamp)
        .unwrap();
    Ledger { _dir: dir, store }
}

fn app(ledger: &Ledger, lang: Lang) -> App<'_> {
    let settings = Settings {
        lang,
        today: today(),
        me: Some("A001".into()),
        who: "test".into(),
        increment: 6,
        targets: Default::default(),
        bundle_late_days: 7,
        rounding: Default::default(),
    };
    App::new(&ledger.store, settings, Period::parse("2024-03").unwrap()).unwrap()
}

fn press(app: &mut App, keys: &[KeyCode]) {
    for &code in keys {
        let event = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
        if let Some(action) = keymap::map(app.focus(), &event) {
            app.update(action, now());
        }
    }
}

/// What a border cell may hold where a title does not run: the line itself.
fn is(buffer: &Buffer, x: u16, y: u16, symbol: &str) -> bool {
    buffer[(x, y)].symbol() == symbol
}

/// Every problem with the borders of `boxes` as the terminal shows `buffer`; a box's cells
/// under a later box (a pop-up over a screen) are not its own any more.
fn border_faults(buffer: &Buffer, boxes: &[Rect]) -> Vec<String> {
    let mut faults = Vec::new();
    for (i, rect) in boxes.iter().enumerate() {
        let covered = |x: u16, y: u16| {
            boxes[i + 1..]
                .iter()
                .any(|later| later.contains(ratatui::layout::Position { x, y }))
        };
        let (left, right) = (rect.x, rect.right() - 1);
        let (top, bottom) = (rect.y, rect.bottom() - 1);
        let mut expect = |x: u16, y: u16, symbols: &[&str]| {
            if !covered(x, y) && !symbols.iter().any(|s| is(buffer, x, y, s)) {
                faults.push(format!(
                    "box {rect:?}: ({x},{y}) holds {:?}, not {symbols:?}",
                    buffer[(x, y)].symbol()
                ));
            }
        };
        expect(left, top, &["┌"]);
        expect(right, top, &["┐"]);
        expect(left, bottom, &["└"]);
        expect(right, bottom, &["┘"]);
        for y in top + 1..bottom {
            expect(left, y, &["│"]);
            expect(right, y, &["│"]);
        }
        // A title ends in a space, or is cut with `…`: it never runs into the corner.
        if rect.width > 2 {
            for y in [top, bottom] {
                expect(right - 1, y, &["─", " ", "…"]);
            }
        }
        // A wide character just left of the box, or in its last column, would be drawn over
        // the edge.
        for y in top..=bottom {
            for x in [left.checked_sub(1), right.checked_sub(1)]
                .into_iter()
                .flatten()
            {
                if !covered(x, y) && buffer[(x, y)].symbol().width() > 1 {
                    faults.push(format!(
                        "box {rect:?}: wide {:?} at ({x},{y}) spills into the edge",
                        buffer[(x, y)].symbol()
                    ));
                }
            }
        }
    }
    faults
}

/// Draws the app and returns the border faults, with the screen when there are any.
fn draw_and_check(app: &App, width: u16, height: u16, case: &str) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view::draw(f, app, now())).unwrap();
    let boxes = view::borders::drawn();
    assert!(!boxes.is_empty(), "{case}: no box drawn");
    let faults = border_faults(terminal.backend().buffer(), &boxes);
    if faults.is_empty() {
        return faults;
    }
    vec![format!(
        "{case}\n{}\n{:?}",
        faults.join("\n"),
        terminal.backend()
    )]
}

/// The screens and pop-ups, each reached by its keys from the Log.
const VIEWS: &[(&str, &[KeyCode])] = &[
    ("log", &[KeyCode::Char('1')]),
    ("items", &[KeyCode::Char('2')]),
    ("tallies", &[KeyCode::Char('3')]),
    (
        "tallies by department",
        &[
            KeyCode::Char('3'),
            KeyCode::Char('g'),
            KeyCode::Char('g'),
            KeyCode::Char('g'),
        ],
    ),
    ("team", &[KeyCode::Char('4')]),
    ("report", &[KeyCode::Char('5')]),
    ("help", &[KeyCode::Char('?')]),
    ("form", &[KeyCode::Char('a')]),
    ("edit form", &[KeyCode::Char('e')]),
    ("prompt", &[KeyCode::Char('/')]),
    ("confirm", &[KeyCode::Char('d')]),
    ("history", &[KeyCode::Char('h')]),
    ("advisor form", &[KeyCode::Char('4'), KeyCode::Char('n')]),
    ("advisor edit", &[KeyCode::Char('4'), KeyCode::Char('e')]),
    ("form over items", &[KeyCode::Char('2'), KeyCode::Char('a')]),
];

#[test]
fn no_border_cell_is_ever_written_over() {
    let mut dice = Dice(0x5eed_1234_abcd_0042);
    let mut faults = Vec::new();
    for round in 0..3 {
        let ledger = ledger(&mut dice);
        for (name, keys) in VIEWS {
            for _ in 0..3 {
                let lang = if dice.below(2) == 0 {
                    Lang::Zh
                } else {
                    Lang::En
                };
                let mut app = app(&ledger, lang);
                // Somewhere down the list, so a random entry is the selected one.
                press(&mut app, &vec![KeyCode::Down; dice.below(12)]);
                press(&mut app, keys);
                let width = u16::try_from(60 + dice.below(141)).unwrap();
                let height = u16::try_from(16 + dice.below(35)).unwrap();
                let case = format!("round {round}, {name}, {lang:?}, {width}x{height}");
                faults.extend(draw_and_check(&app, width, height, &case));
            }
        }
    }
    assert!(
        faults.is_empty(),
        "{} faults:\n{}",
        faults.len(),
        faults.join("\n\n")
    );
}

#[test]
fn every_width_from_60_to_200_keeps_the_borders_of_every_screen() {
    let mut dice = Dice(7);
    let ledger = ledger(&mut dice);
    let mut faults = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        for (name, keys) in VIEWS {
            let mut app = app(&ledger, lang);
            press(&mut app, keys);
            for width in (60..=200).step_by(7) {
                let case = format!("{name}, {lang:?}, {width}x24");
                faults.extend(draw_and_check(&app, width, 24, &case));
            }
        }
    }
    assert!(
        faults.is_empty(),
        "{} faults:\n{}",
        faults.len(),
        faults.join("\n\n")
    );
}
