//! The entry form: fields in a fixed order, pickers that filter as you type, and validation
//! that names the problem beside the field. Nothing is saved until every field is valid.

mod advisor;
mod check;
mod fields;

pub use advisor::{AdvisorField, AdvisorForm, AdvisorProblem, AdvisorSave};
pub use check::FieldProblem;
pub use fields::{Choice, Field, PerField};

use chrono::NaiveDate;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::data::PeriodData;
use crate::domain::intake::shown_number;
use crate::domain::{Entry, Item, Lang};

/// What the form asks of the app once it has handled a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormReply {
    /// Keep editing.
    Stay,
    /// Close without saving.
    Cancel,
    /// Check the fields and save.
    Submit,
}

/// The form's state.
pub struct Form {
    /// The entry being edited, or `None` for a new one.
    pub editing: Option<Entry>,
    pub inputs: PerField<Input>,
    pub focus: Field,
    /// The highlighted choice in the focused field's list.
    pub highlighted: usize,
    /// Each field's problem, if it has one.
    pub field_problems: PerField<Option<FieldProblem>>,
    /// Why the save was refused, when it is no single field's fault (the day's total, an item
    /// conflict, the store).
    pub save_problem: Option<String>,
    /// The focused field has not been typed in since it got focus: typing replaces its value,
    /// so a default (today's date, the item's title) is overwritten, not appended to.
    fresh: bool,
    /// The user typed in, or moved through, the focused field's list: Tab may take a choice.
    picked: bool,
    /// Today, for checking dates as fields are left.
    today: NaiveDate,
    /// The values the form opened with: Esc on a changed form asks once before discarding.
    initial: PerField<String>,
    /// Esc was pressed once on a changed form; a second Esc discards it.
    pub discard_armed: bool,
    /// The question asked before an edit changes the item for its other entries: Enter
    /// agrees, any other key goes back to the form.
    pub item_question: Option<String>,
    /// The user agreed to change the item for all its entries.
    pub item_confirmed: bool,
    /// The language problems are explained in.
    lang: Lang,
    /// The existing item whose title, topic, service and department were filled in: when the
    /// item field no longer names it, they are cleared again.
    filled_from: Option<String>,
}

impl Form {
    /// Midnight passed while the form was open: dates are checked against the new today, and
    /// a new entry still on the old day's default moves to the new day.
    pub fn new_day(&mut self, before: NaiveDate, today: NaiveDate) {
        self.today = today;
        if self.editing.is_none() && self.value(Field::Date) == before.to_string() {
            self.inputs[Field::Date] = Input::new(today.to_string());
        }
    }

    /// A blank form: today, the configured advisor, a new item.
    pub fn new(today: NaiveDate, me: Option<&str>, lang: Lang) -> Form {
        let mut inputs: PerField<Input> = PerField::default();
        inputs[Field::Date] = Input::new(today.to_string());
        inputs[Field::Advisor] = Input::new(me.unwrap_or_default().to_string());
        Form {
            editing: None,
            inputs,
            focus: Field::Date,
            highlighted: 0,
            field_problems: PerField::default(),
            save_problem: None,
            fresh: true,
            picked: false,
            today,
            initial: PerField::default(),
            discard_armed: false,
            item_question: None,
            item_confirmed: false,
            lang,
            filled_from: None,
        }
        .opened()
    }

    /// A form holding an entry and its item, for editing.
    pub fn edit(entry: &Entry, item: &Item, lang: Lang, data: &PeriodData) -> Form {
        let mut form = Form::new(entry.date, None, lang);
        form.inputs = PerField::from_fn(|field| {
            Input::new(match field {
                Field::Date => entry.date.to_string(),
                Field::Advisor => entry.advisor.clone(),
                Field::Item => shown_number(&item.number),
                Field::Title => item.title.clone(),
                Field::Topic => data.topics.label(&item.topic, lang).to_string(),
                Field::Service => data.services.label(&item.service, lang).to_string(),
                Field::Department => item.department.clone(),
                // Minutes that are no whole tenth of an hour are shown as minutes, exactly.
                Field::Hours if !entry.minutes.0.is_multiple_of(6) => {
                    format!("{}m", entry.minutes.0)
                }
                Field::Hours => entry.minutes.hours(),
                Field::Note => entry.note.clone(),
            })
        });
        form.editing = Some(entry.clone());
        form.focus = Field::Hours;
        form.opened()
    }

    /// Remembers the current values as the ones the form opened with.
    fn opened(mut self) -> Form {
        self.initial = PerField::from_fn(|field| self.value(field).to_string());
        self
    }

    /// True when any field differs from what the form opened with.
    pub fn changed(&self) -> bool {
        self.inputs
            .values()
            .map(Input::value)
            .ne(self.initial.values().map(String::as_str))
    }

    pub fn value(&self, field: Field) -> &str {
        self.inputs[field].value()
    }

    fn set(&mut self, field: Field, value: impl Into<String>) {
        self.inputs[field] = Input::new(value.into());
    }

    /// Fields that cannot be typed in: the item while editing (an entry stays with its item),
    /// and, once a new entry names an existing item, that item's own title, topic, service
    /// and department (they are the item's, shared by all its entries).
    pub fn locked(&self, field: Field) -> bool {
        match field {
            Field::Item => self.editing.is_some(),
            Field::Title | Field::Topic | Field::Service | Field::Department => {
                self.editing.is_none() && !self.value(Field::Item).trim().is_empty()
            }
            _ => false,
        }
    }

    /// Handles one key; returns what the app should do next.
    pub fn key(&mut self, key: KeyEvent, data: &PeriodData, lang: Lang) -> FormReply {
        if self.item_question.take().is_some() {
            self.save_problem = None;
            match key.code {
                KeyCode::Enter => {
                    self.item_confirmed = true;
                    return FormReply::Submit;
                }
                // Back to the form, nothing changed.
                KeyCode::Esc => return FormReply::Stay,
                _ => {}
            }
        }
        self.item_confirmed = false;
        let choices = self.choices(self.focus, data, lang);
        let armed = std::mem::take(&mut self.discard_armed);
        match key.code {
            KeyCode::Esc if armed || !self.changed() => return FormReply::Cancel,
            KeyCode::Esc => self.discard_armed = true,
            KeyCode::Enter => return FormReply::Submit,
            KeyCode::Tab => {
                // Tabbing past an untouched list keeps the field as it is: nothing is chosen
                // for the user.
                if self.picked
                    && let Some(choice) = choices.get(self.highlighted)
                {
                    self.accept(choice, data);
                }
                self.check_one(self.focus, data);
                self.move_focus(true);
            }
            KeyCode::BackTab => self.move_focus(false),
            KeyCode::Down if !choices.is_empty() => {
                self.highlighted = (self.highlighted + 1).min(choices.len() - 1);
                self.picked = true;
            }
            KeyCode::Up if !choices.is_empty() => {
                self.highlighted = self.highlighted.saturating_sub(1);
                self.picked = true;
            }
            KeyCode::Down => self.move_focus(true),
            KeyCode::Up => self.move_focus(false),
            _ if self.locked(self.focus) => {}
            _ if key.modifiers.contains(KeyModifiers::CONTROL)
                && key.code == KeyCode::Char('c') =>
            {
                return FormReply::Cancel;
            }
            _ => self.type_key(key),
        }
        FormReply::Stay
    }

    /// A key typed into the focused field.
    fn type_key(&mut self, key: KeyEvent) {
        let focus = self.focus;
        let typing = matches!(key.code, KeyCode::Char(_))
            && !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if std::mem::take(&mut self.fresh) && typing {
            self.inputs[focus] = Input::default();
        }
        if self.inputs[focus].handle_event(&Event::Key(key)).is_some() {
            self.highlighted = 0;
            self.field_problems[focus] = None;
            self.picked = !self.inputs[focus].value().is_empty();
            self.forget_item_fields();
        }
    }

    /// Pasted text goes into the focused field as text: line breaks become spaces, and a
    /// paste never submits the form.
    pub fn paste(&mut self, text: &str) {
        if self.locked(self.focus) {
            return;
        }
        let mut value = self.value(self.focus).to_string();
        value.push_str(&text.replace(['\r', '\n', '\t'], " "));
        self.set(self.focus, value);
        self.highlighted = 0;
        self.forget_item_fields();
    }

    /// Once the item field no longer names the item that filled the title, topic, service and
    /// department, those are emptied: they were that item's, not the new entry's.
    fn forget_item_fields(&mut self) {
        let Some(number) = &self.filled_from else {
            return;
        };
        if self.value(Field::Item).trim() != number {
            for field in check::ITEM_FIELDS {
                self.set(field, String::new());
            }
            self.filled_from = None;
        }
    }

    fn move_focus(&mut self, forward: bool) {
        // Locked fields are passed over; the date and hours never lock, so this ends.
        loop {
            self.focus = self.focus.step(forward);
            if !self.locked(self.focus) {
                break;
            }
        }
        self.highlighted = 0;
        self.fresh = true;
        self.picked = false;
    }

    /// Takes a choice; picking an existing item fills in its fields.
    fn accept(&mut self, choice: &Choice, data: &PeriodData) {
        let field = self.focus;
        self.set(field, choice.value.clone());
        self.field_problems[field] = None;
        if field == Field::Item
            && let Some(item) = data
                .recent_items
                .iter()
                .find(|i| shown_number(&i.number) == choice.value)
        {
            self.fill_from(item, data);
        }
    }

    /// A new entry on `item` (`a` on the Items screen): its number and fields filled in.
    #[must_use]
    pub fn on_item(mut self, item: &Item, data: &PeriodData) -> Form {
        self.set(Field::Item, shown_number(&item.number));
        self.fill_from(item, data);
        self.opened()
    }

    /// The item's title, topic, service and department, which its entries share.
    fn fill_from(&mut self, item: &Item, data: &PeriodData) {
        self.set(Field::Title, item.title.clone());
        let topic = data.topics.label(&item.topic, self.lang).to_string();
        self.set(Field::Topic, topic);
        let service = data.services.label(&item.service, self.lang).to_string();
        self.set(Field::Service, service);
        self.set(Field::Department, item.department.clone());
        self.filled_from = Some(shown_number(&item.number));
    }
}
