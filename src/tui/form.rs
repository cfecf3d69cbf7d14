//! The entry form: fields in a fixed order, pickers that filter as you type, and validation
//! that names the problem beside the field. Nothing is saved until every field is valid.

use chrono::NaiveDate;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::data::Data;
use crate::domain::intake::{EntryInput, ItemFields};
use crate::domain::period::parse_date;
use crate::domain::{Entry, EntryId, Item, Lang, Minutes, Satisfaction};

/// The fields, in the order Tab visits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Date,
    Advisor,
    Item,
    Title,
    Topic,
    Service,
    Department,
    Hours,
    Note,
}

impl Field {
    pub const ALL: [Field; 9] = [
        Field::Date,
        Field::Advisor,
        Field::Item,
        Field::Title,
        Field::Topic,
        Field::Service,
        Field::Department,
        Field::Hours,
        Field::Note,
    ];

    /// Fields that offer a list of choices under them.
    pub fn picks(self) -> bool {
        matches!(
            self,
            Field::Advisor | Field::Item | Field::Topic | Field::Service | Field::Department
        )
    }
}

/// One offered value: what goes into the field, and how it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// What the form wants done when a key has been handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
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
    pub inputs: Vec<Input>,
    pub focus: usize,
    /// The highlighted choice in the focused field's list.
    pub highlighted: usize,
    /// A problem per field, in words.
    pub errors: Vec<Option<String>>,
    /// A problem that belongs to no single field (the day's total, an item conflict).
    pub problem: Option<String>,
    /// The focused field has not been typed in since it got focus: typing replaces its value,
    /// so a default (today's date, the item's title) is overwritten, not appended to.
    fresh: bool,
    /// The user typed in, or moved through, the focused field's list: Tab may take a choice.
    picked: bool,
    /// Today, for checking dates as fields are left.
    today: NaiveDate,
    /// The values the form opened with: Esc on a changed form asks once before discarding.
    initial: Vec<String>,
    /// Esc was pressed once on a changed form; a second Esc discards it.
    pub discard_armed: bool,
    /// The language problems are explained in.
    lang: Lang,
    /// The existing item whose title, topic, service and department were filled in: when the
    /// item field no longer names it, they are cleared again.
    filled_from: Option<String>,
}

impl Form {
    /// A blank form: today, the configured advisor, a new item.
    pub fn new(today: NaiveDate, me: Option<&str>, lang: Lang) -> Form {
        let mut inputs: Vec<Input> = Field::ALL.iter().map(|_| Input::default()).collect();
        inputs[0] = Input::new(today.to_string());
        inputs[1] = Input::new(me.unwrap_or_default().to_string());
        Form {
            editing: None,
            inputs,
            focus: 0,
            highlighted: 0,
            errors: vec![None; 9],
            problem: None,
            fresh: true,
            picked: false,
            today,
            initial: Vec::new(),
            discard_armed: false,
            lang,
            filled_from: None,
        }
        .opened()
    }

    /// A form holding an entry and its item, for editing.
    pub fn edit(entry: &Entry, item: &Item, lang: Lang, data: &Data) -> Form {
        let values = [
            entry.date.to_string(),
            entry.advisor.clone(),
            item.number.clone(),
            item.title.clone(),
            data.topics.label(&item.topic, lang).to_string(),
            data.services.label(&item.service, lang).to_string(),
            item.department.clone(),
            entry.minutes.hours(),
            entry.note.clone(),
        ];
        let mut form = Form::new(entry.date, None, lang);
        form.inputs = values.into_iter().map(Input::new).collect();
        if !entry.minutes.0.is_multiple_of(6) {
            form.inputs[7] = Input::new(format!("{}m", entry.minutes.0));
        }
        form.editing = Some(entry.clone());
        form.focus = 7;
        form.opened()
    }

    /// Remembers the current values as the ones the form opened with.
    fn opened(mut self) -> Form {
        self.initial = self.inputs.iter().map(|i| i.value().to_string()).collect();
        self
    }

    /// True when any field differs from what the form opened with.
    pub fn changed(&self) -> bool {
        self.inputs
            .iter()
            .map(|i| i.value())
            .ne(self.initial.iter().map(String::as_str))
    }

    pub fn field(&self) -> Field {
        Field::ALL[self.focus]
    }

    pub fn value(&self, field: Field) -> &str {
        self.inputs[field as usize].value()
    }

    fn set(&mut self, field: Field, value: impl Into<String>) {
        self.inputs[field as usize] = Input::new(value.into());
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

    /// The choices the focused field offers, filtered by what has been typed.
    pub fn choices(&self, field: Field, data: &Data, lang: Lang) -> Vec<Choice> {
        if !field.picks() || self.locked(field) {
            return Vec::new();
        }
        let typed = self.value(field).trim().to_lowercase();
        let all: Vec<Choice> = match field {
            Field::Advisor => {
                let mut list: Vec<&crate::domain::Advisor> =
                    data.advisors.values().filter(|a| a.active).collect();
                list.sort_by(|a, b| a.id.cmp(&b.id));
                list.into_iter()
                    .map(|a| Choice {
                        value: a.id.clone(),
                        label: format!("{} {} ({})", a.id, a.name, a.category.short(lang)),
                    })
                    .collect()
            }
            Field::Item => std::iter::once(Choice {
                value: String::new(),
                label: super::strings::strings(lang).new_item.to_string(),
            })
            .chain(data.recent_items.iter().map(|i| Choice {
                value: i.number.clone(),
                label: format!("{} {}", i.number, i.title),
            }))
            .collect(),
            Field::Topic | Field::Service => {
                let catalog = if field == Field::Topic {
                    &data.topics
                } else {
                    &data.services
                };
                catalog
                    .entries
                    .iter()
                    .map(|e| Choice {
                        value: e.label(lang).to_string(),
                        label: format!("{} {}", e.label(lang), e.code),
                    })
                    .collect()
            }
            Field::Department => data
                .departments
                .iter()
                .map(|d| Choice {
                    value: d.clone(),
                    label: d.clone(),
                })
                .collect(),
            _ => Vec::new(),
        };
        if typed.is_empty() {
            return all;
        }
        let matches = |c: &Choice| {
            c.label.to_lowercase().contains(&typed) || c.value.to_lowercase().contains(&typed) || {
                // Topics and services also answer to the other language and their aliases.
                let catalog = match field {
                    Field::Topic => Some(&data.topics),
                    Field::Service => Some(&data.services),
                    _ => None,
                };
                catalog
                    .and_then(|cat| cat.resolve(&c.value).ok())
                    .is_some_and(|e| {
                        e.zh.contains(&typed)
                            || e.en.to_lowercase().contains(&typed)
                            || e.aliases.iter().any(|a| a.to_lowercase().contains(&typed))
                    })
            }
        };
        // The department list only completes: once the text is a whole entry, it stays quiet.
        all.into_iter()
            .filter(|c| {
                matches(c) && !(field == Field::Department && c.value.to_lowercase() == typed)
            })
            .collect()
    }

    /// Handles one key; returns what the app should do next.
    pub fn key(&mut self, key: KeyEvent, data: &Data, lang: Lang) -> Outcome {
        let choices = self.choices(self.field(), data, lang);
        let armed = std::mem::take(&mut self.discard_armed);
        match key.code {
            KeyCode::Esc if armed || !self.changed() => return Outcome::Cancel,
            KeyCode::Esc => self.discard_armed = true,
            KeyCode::Enter => return Outcome::Submit,
            KeyCode::Tab => {
                // Tabbing past an untouched list keeps the field as it is: nothing is chosen
                // for the user.
                if self.picked
                    && let Some(choice) = choices.get(self.highlighted)
                {
                    self.accept(choice.clone(), data);
                }
                self.check_one(self.field(), data);
                self.move_focus(1);
            }
            KeyCode::BackTab => self.move_focus(-1),
            KeyCode::Down if !choices.is_empty() => {
                self.highlighted = (self.highlighted + 1).min(choices.len() - 1);
                self.picked = true;
            }
            KeyCode::Up if !choices.is_empty() => {
                self.highlighted = self.highlighted.saturating_sub(1);
                self.picked = true;
            }
            KeyCode::Down => self.move_focus(1),
            KeyCode::Up => self.move_focus(-1),
            _ if self.locked(self.field()) => {}
            _ => {
                if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
                    return Outcome::Cancel;
                }
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
                    self.errors[focus] = None;
                    self.picked = !self.inputs[focus].value().is_empty();
                    self.forget_item_fields();
                }
            }
        }
        Outcome::Stay
    }

    /// Pasted text goes into the focused field as text: line breaks become spaces, and a
    /// paste never submits the form.
    pub fn paste(&mut self, text: &str) {
        if self.locked(self.field()) {
            return;
        }
        let focus = self.focus;
        let mut value = self.inputs[focus].value().to_string();
        value.push_str(&text.replace(['\r', '\n', '\t'], " "));
        self.inputs[focus] = Input::new(value);
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
            for field in [
                Field::Title,
                Field::Topic,
                Field::Service,
                Field::Department,
            ] {
                self.set(field, String::new());
            }
            self.filled_from = None;
        }
    }

    fn move_focus(&mut self, by: isize) {
        let n = Field::ALL.len() as isize;
        // Locked fields are passed over; the date and hours never lock, so this ends.
        loop {
            self.focus = ((self.focus as isize + by).rem_euclid(n)) as usize;
            if !self.locked(self.field()) {
                break;
            }
        }
        self.highlighted = 0;
        self.fresh = true;
        self.picked = false;
    }

    /// Takes a choice; picking an existing item fills in its fields.
    fn accept(&mut self, choice: Choice, data: &Data) {
        let field = self.field();
        self.set(field, choice.value.clone());
        self.errors[self.focus] = None;
        if field == Field::Item
            && let Some(item) = data.recent_items.iter().find(|i| i.number == choice.value)
        {
            self.set(Field::Title, item.title.clone());
            let topic = data.topics.label(&item.topic, self.lang).to_string();
            self.set(Field::Topic, topic);
            let service = data.services.label(&item.service, self.lang).to_string();
            self.set(Field::Service, service);
            self.set(Field::Department, item.department.clone());
            self.filled_from = Some(item.number.clone());
        }
    }

    /// Checks one field as the user leaves it, so a mistake shows at once. The item reference
    /// is checked on saving, against the store.
    fn check_one(&mut self, field: Field, data: &Data) {
        if self.value(field).trim().is_empty() || field == Field::Item {
            return;
        }
        let errors = self.problems(data, self.today, |_| true);
        self.errors[field as usize] = errors[field as usize].clone();
    }

    /// Checks each field on its own; returns true when all are valid.
    pub fn check_fields(
        &mut self,
        data: &Data,
        today: NaiveDate,
        item_exists: impl Fn(&str) -> bool,
    ) -> bool {
        self.errors = self.problems(data, today, item_exists);
        self.problem = None;
        self.errors.iter().all(Option::is_none)
    }

    /// The problem of each field, in field order.
    fn problems(
        &self,
        data: &Data,
        today: NaiveDate,
        item_exists: impl Fn(&str) -> bool,
    ) -> Vec<Option<String>> {
        let new_item = self.editing.is_none() && self.value(Field::Item).trim().is_empty();
        let mut errors: Vec<Option<String>> = vec![None; 9];
        let lang = self.lang;
        if let Err(e) = parse_date(self.value(Field::Date), today) {
            errors[Field::Date as usize] = Some(e.message(lang));
        }
        let advisor = self.value(Field::Advisor).trim();
        if advisor.is_empty() {
            errors[Field::Advisor as usize] = Some("required".into());
        } else if data.advisor(advisor).is_none() {
            errors[Field::Advisor as usize] = Some(match lang {
                Lang::Zh => format!("没有顾问“{advisor}”：请从列表中选择"),
                Lang::En => format!("unknown advisor \"{advisor}\": pick one from the list"),
            });
        }
        let item = self.value(Field::Item).trim();
        if !item.is_empty() && self.editing.is_none() && !item_exists(item) {
            errors[Field::Item as usize] = Some(match lang {
                Lang::Zh => format!("没有事项“{item}”：请从列表中选择，或留空新建事项"),
                Lang::En => format!(
                    "no item \"{item}\": pick one from the list, or leave empty for a new item"
                ),
            });
        }
        if let Err(e) = Minutes::parse(self.value(Field::Hours)) {
            errors[Field::Hours as usize] = Some(e.message(lang));
        }
        for (field, catalog) in [
            (Field::Topic, &data.topics),
            (Field::Service, &data.services),
        ] {
            let v = self.value(field).trim();
            if !v.is_empty()
                && let Err(e) = catalog.resolve(v)
            {
                errors[field as usize] = Some(e.message(lang));
            }
        }
        let needed = new_item || self.editing.is_some();
        for field in [
            Field::Title,
            Field::Topic,
            Field::Service,
            Field::Department,
        ] {
            if needed && self.value(field).trim().is_empty() {
                errors[field as usize] = Some("required".into());
            }
        }
        for field in [Field::Title, Field::Department, Field::Note] {
            if let Err(e) = crate::domain::model::check_text("text", self.value(field)) {
                errors[field as usize] = Some(e.message(lang));
            }
        }
        errors
    }

    /// The form as an entry input (for a new entry).
    pub fn input(&self) -> EntryInput {
        EntryInput {
            date: self.value(Field::Date).to_string(),
            advisor: self.value(Field::Advisor).trim().to_string(),
            hours: self.value(Field::Hours).to_string(),
            item: self.value(Field::Item).trim().to_string(),
            title: self.value(Field::Title).to_string(),
            topic: self.value(Field::Topic).to_string(),
            service: self.value(Field::Service).to_string(),
            department: self.value(Field::Department).to_string(),
            satisfaction: String::new(),
            note: self.value(Field::Note).to_string(),
        }
    }

    /// The item fields as codes (after [`Form::check_fields`] passed).
    pub fn item_fields(&self, data: &Data, satisfaction: Option<Satisfaction>) -> ItemFields {
        let code = |cat: &crate::domain::Catalog, v: &str| {
            cat.resolve(v).map(|e| e.code.clone()).unwrap_or_default()
        };
        ItemFields {
            title: self.value(Field::Title).trim().to_string(),
            topic: code(&data.topics, self.value(Field::Topic)),
            service: code(&data.services, self.value(Field::Service)),
            department: self.value(Field::Department).trim().to_string(),
            satisfaction,
        }
    }

    pub fn editing_id(&self) -> Option<EntryId> {
        self.editing.as_ref().map(|e| e.id)
    }
}
