//! Keys to actions: a pure function of the mode and the key, so it is tested on its own.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::{Action, Screen};

/// What has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The screens: single keys are commands.
    Screens,
    /// A form, prompt, dialog or help: keys go to it.
    Overlay,
}

/// The action a terminal event asks for, if any.
pub fn map(focus: Focus, event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => map_key(focus, *key),
        Event::Paste(text) => Some(Action::Paste(text.clone())),
        Event::Resize(..) => Some(Action::Resize),
        _ => None,
    }
}

fn map_key(focus: Focus, key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    if focus == Focus::Overlay {
        return Some(Action::Key(key));
    }
    Some(match key.code {
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char(c @ '1'..='5') => Action::Show(Screen::numbered(c.to_digit(10)?)?),
        KeyCode::Tab => Action::NextScreen,
        KeyCode::BackTab => Action::PrevScreen,
        KeyCode::Down | KeyCode::Char('j') => Action::Move(1),
        KeyCode::Up | KeyCode::Char('k') => Action::Move(-1),
        KeyCode::PageDown => Action::Move(10),
        KeyCode::PageUp => Action::Move(-10),
        KeyCode::Home => Action::Top,
        KeyCode::End => Action::Bottom,
        KeyCode::Char('a') => Action::Add,
        KeyCode::Char('e') => Action::Edit,
        KeyCode::Char('d') => Action::Delete,
        KeyCode::Char('u') => Action::Undo,
        KeyCode::Char('t') => Action::Timer,
        KeyCode::Char('/') => Action::Filter,
        KeyCode::Char('p') => Action::Period,
        KeyCode::Char('[') => Action::StepPeriod(false),
        KeyCode::Char(']') => Action::StepPeriod(true),
        KeyCode::Char('g') => Action::CycleGroup,
        KeyCode::Char('s') => Action::Rate,
        KeyCode::Char('c') => Action::Close,
        KeyCode::Char('o') => Action::Adoption,
        KeyCode::Enter => Action::Drill,
        KeyCode::Esc => Action::Back,
        KeyCode::Char('x') => Action::Export,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Char('h') => Action::History,
        KeyCode::Char('r') => Action::RankBy,
        KeyCode::Char('n') => Action::NewAdvisor,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn the_documented_keys_do_what_the_help_says() {
        let on = |c| map(Focus::Screens, &key(KeyCode::Char(c)));
        assert_eq!(on('a'), Some(Action::Add));
        assert_eq!(on('r'), Some(Action::RankBy));
        assert_eq!(on('n'), Some(Action::NewAdvisor));
        assert_eq!(on('e'), Some(Action::Edit));
        assert_eq!(on('d'), Some(Action::Delete));
        assert_eq!(on('u'), Some(Action::Undo));
        assert_eq!(on('t'), Some(Action::Timer));
        assert_eq!(on('/'), Some(Action::Filter));
        assert_eq!(on('p'), Some(Action::Period));
        assert_eq!(on('['), Some(Action::StepPeriod(false)));
        assert_eq!(on(']'), Some(Action::StepPeriod(true)));
        assert_eq!(on('g'), Some(Action::CycleGroup));
        assert_eq!(on('h'), Some(Action::History));
        assert_eq!(on('3'), Some(Action::Show(Screen::Tallies)));
        assert_eq!(on('j'), Some(Action::Move(1)));
        assert_eq!(on('k'), Some(Action::Move(-1)));
        assert_eq!(on('q'), Some(Action::Quit));
        assert_eq!(
            map(Focus::Screens, &key(KeyCode::Enter)),
            Some(Action::Drill)
        );
        assert_eq!(
            map(Focus::Screens, &key(KeyCode::BackTab)),
            Some(Action::PrevScreen)
        );
    }

    #[test]
    fn an_open_form_gets_every_key_but_ctrl_c_still_quits() {
        let q = key(KeyCode::Char('q'));
        assert!(matches!(map(Focus::Overlay, &q), Some(Action::Key(_))));
        let ctrl_c = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
        assert_eq!(map(Focus::Overlay, &ctrl_c), Some(Action::Quit));
    }

    #[test]
    fn a_paste_is_text_never_a_command() {
        assert_eq!(
            map(Focus::Screens, &Event::Paste("a\n".into())),
            Some(Action::Paste("a\n".into()))
        );
    }
}
