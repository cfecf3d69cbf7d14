//! The daily backup never delays the interface: it begins once the first frame is on screen,
//! runs on a thread of its own while the interface draws and answers, and its outcome shows on
//! the status line when it ends. Driven through the interface's own loop on ratatui's test
//! backend, with the holder `main` hands it.

#![cfg(unix)]
#![allow(
    clippy::unwrap_used,
    reason = "a test that cannot go on has failed, and one story reads best as one function"
)]

mod common;

use std::cell::RefCell;
use std::convert::Infallible;
use std::path::Path;
use std::time::Duration;

use common::Env;
use counsel_log::cli::Context;
use counsel_log::domain::{Lang, Period};
use counsel_log::store::Stamp;
use counsel_log::tui::{App, Settings};
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent};
use ratatui::layout::{Position, Size};

/// The test backend, telling `frame` what each finished frame shows.
struct Recorder<F: FnMut(&Buffer)> {
    inner: TestBackend,
    frame: F,
}

impl<F: FnMut(&Buffer)> Backend for Recorder<F> {
    type Error = Infallible;

    fn draw<'a, I: Iterator<Item = (u16, u16, &'a Cell)>>(
        &mut self,
        content: I,
    ) -> Result<(), Infallible> {
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), Infallible> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Infallible> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Infallible> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Infallible> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), Infallible> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Infallible> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> Result<Size, Infallible> {
        self.inner.size()
    }
    fn window_size(&mut self) -> Result<WindowSize, Infallible> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> Result<(), Infallible> {
        self.inner.flush()?;
        (self.frame)(self.inner.buffer());
        Ok(())
    }
}

/// What a frame shows, row after row.
fn text(buffer: &Buffer) -> String {
    let width = usize::from(buffer.area.width);
    buffer
        .content
        .chunks(width)
        .map(|row| row.iter().map(Cell::symbol).collect::<String>() + "\n")
        .collect()
}

/// The finished backups in `dir`.
fn finished(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |read| {
        read.filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".jsonl"))
        })
        .count()
    })
}

#[test]
fn the_first_frame_is_drawn_before_the_daily_backup_begins_and_its_outcome_follows() {
    let env = Env::new();
    env.import_demo();
    let dir = env.path("daily");
    let now = chrono::Local::now();
    let ctx = Context {
        lang: Lang::En,
        today: now.date_naive(),
        stamp: Stamp::new(now.fixed_offset(), "test"),
        config: counsel_log::config::Config {
            backup_dir: Some(dir.clone()),
            ..Default::default()
        },
    };
    let settings = Settings {
        lang: Lang::En,
        today: ctx.today,
        me: None,
        who: "test".into(),
        increment: 6,
        targets: Default::default(),
        bundle_late_days: 7,
        rounding: Default::default(),
    };
    let store = common::open_store(&env.store);
    // Each frame as it reached the screen, with the backups finished at that moment.
    let frames: RefCell<Vec<(String, usize)>> = RefCell::new(Vec::new());
    std::thread::scope(|scope| {
        let mut held = counsel_log::serve::Held::start(&store, &ctx, scope);
        let backend = Recorder {
            inner: TestBackend::new(160, 30),
            frame: |buffer: &Buffer| frames.borrow_mut().push((text(buffer), finished(&dir))),
        };
        let mut terminal = Terminal::new(backend).unwrap();
        let period = Period::current_month(ctx.today);
        let mut app = App::new(&store, settings, period).unwrap();
        // No key is pressed until the backup's outcome shows (a generous bound, never reached
        // by a backup that works, stops a test that would otherwise wait for ever).
        let mut turns = 0;
        let mut events = |wait: Duration| {
            turns += 1;
            let shown = frames
                .borrow()
                .last()
                .is_some_and(|(text, _)| text.contains("Today's backup is written"));
            if shown || turns > 30_000 {
                return Ok(Some(Event::Key(KeyEvent::from(KeyCode::Char('q')))));
            }
            std::thread::sleep(wait.min(Duration::from_millis(10)));
            Ok(None)
        };
        counsel_log::tui::run_on(&mut terminal, &mut app, &store, &mut held, &mut events).unwrap();
    });
    let frames = frames.into_inner();
    let (first, made) = &frames[0];
    assert_eq!(*made, 0, "a backup was finished before the first frame");
    assert!(first.contains("Log"), "{first}");
    assert!(!first.contains("Today's backup"), "{first}");
    let (last, made) = frames.last().unwrap();
    assert!(
        last.contains("Today's backup is written and verified"),
        "{last}"
    );
    assert_eq!(*made, 1);
    common::release(store, &env.store);
}
