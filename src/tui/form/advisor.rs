//! The advisor form of the Team screen (`n` a new advisor, `e` the selected one): the fields
//! of `advisor add` and `advisor set`, checked as they check them, so what the store is asked
//! to save is the same from either side.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use strum::VariantArray;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::FormReply;
use crate::domain::model::{AdvisorChange, FieldError, TextField, check_advisor_id, check_text};
use crate::domain::{Advisor, Category};

/// The advisor form's fields, in the order Tab visits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::VariantArray)]
pub enum AdvisorField {
    /// Only for a new advisor: the id never changes, entries refer to it.
    Id,
    Name,
    Category,
    Unit,
    /// Only for an advisor already in the ledger: deactivate, or reactivate.
    Active,
}

/// Why the form cannot be saved as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdvisorProblem {
    Field(FieldError),
    NameEmpty,
}

/// What the form asks the store to do once its fields are good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdvisorSave {
    Add(Advisor),
    Change {
        id: String,
        change: AdvisorChange,
    },
    /// An advisor opened and left as it was: nothing to save.
    Nothing,
}

/// The advisor form's state.
pub struct AdvisorForm {
    /// The advisor being changed, or `None` for a new one.
    pub editing: Option<Advisor>,
    pub id: Input,
    pub name: Input,
    pub unit: Input,
    pub category: Category,
    pub active: bool,
    pub focus: AdvisorField,
    /// Why the last save was refused (the store's words too), shown under the fields.
    pub problem: Option<String>,
    /// Esc was pressed once on a changed form; a second Esc discards it (as the entry form).
    pub discard_armed: bool,
}

impl AdvisorForm {
    /// A blank form for a new advisor, a staff advisor until another category is chosen.
    pub fn new() -> AdvisorForm {
        AdvisorForm {
            editing: None,
            id: Input::default(),
            name: Input::default(),
            unit: Input::default(),
            category: Category::Staff,
            active: true,
            focus: AdvisorField::Id,
            problem: None,
            discard_armed: false,
        }
    }

    /// The form on an advisor of the ledger.
    pub fn edit(advisor: &Advisor) -> AdvisorForm {
        AdvisorForm {
            editing: Some(advisor.clone()),
            id: Input::new(advisor.id.clone()),
            name: Input::new(advisor.name.clone()),
            unit: Input::new(advisor.unit.clone()),
            category: advisor.category,
            active: advisor.active,
            focus: AdvisorField::Name,
            problem: None,
            discard_armed: false,
        }
    }

    /// True when anything differs from what the form opened with.
    pub fn changed(&self) -> bool {
        let opened = match &self.editing {
            Some(advisor) => AdvisorForm::edit(advisor),
            None => AdvisorForm::new(),
        };
        self.id.value() != opened.id.value()
            || self.name.value() != opened.name.value()
            || self.unit.value() != opened.unit.value()
            || self.category != opened.category
            || self.active != opened.active
    }

    /// The fields this form shows: the id only for a new advisor, the active flag only for one
    /// already in the ledger.
    pub fn fields(&self) -> Vec<AdvisorField> {
        AdvisorField::VARIANTS
            .iter()
            .copied()
            .filter(|f| match f {
                AdvisorField::Id => self.editing.is_none(),
                AdvisorField::Active => self.editing.is_some(),
                _ => true,
            })
            .collect()
    }

    /// Handles one key; returns what the app should do next.
    pub fn key(&mut self, key: KeyEvent) -> FormReply {
        let armed = std::mem::take(&mut self.discard_armed);
        match key.code {
            KeyCode::Esc if armed || !self.changed() => return FormReply::Cancel,
            KeyCode::Esc => {
                self.discard_armed = true;
                return FormReply::Stay;
            }
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                return FormReply::Cancel;
            }
            KeyCode::Enter => return FormReply::Submit,
            KeyCode::Tab | KeyCode::Down => self.move_focus(true),
            KeyCode::BackTab | KeyCode::Up => self.move_focus(false),
            KeyCode::Left | KeyCode::Right | KeyCode::Char(' ')
                if self.focus == AdvisorField::Category =>
            {
                self.category = step_category(self.category, key.code != KeyCode::Left);
            }
            KeyCode::Left | KeyCode::Right | KeyCode::Char(' ')
                if self.focus == AdvisorField::Active =>
            {
                self.active = !self.active;
            }
            _ => {
                if let Some(input) = self.input_mut(self.focus) {
                    input.handle_event(&Event::Key(key));
                }
            }
        }
        self.problem = None;
        FormReply::Stay
    }

    /// Pasted text goes into the focused text field, on one line.
    pub fn paste(&mut self, text: &str) {
        if let Some(input) = self.input_mut(self.focus) {
            let value = format!("{}{}", input.value(), text.replace(['\r', '\n', '\t'], " "));
            *input = Input::new(value);
        }
    }

    /// The text input of a field, for those typed in.
    pub fn input(&self, field: AdvisorField) -> Option<&Input> {
        match field {
            AdvisorField::Id => Some(&self.id),
            AdvisorField::Name => Some(&self.name),
            AdvisorField::Unit => Some(&self.unit),
            AdvisorField::Category | AdvisorField::Active => None,
        }
    }

    fn input_mut(&mut self, field: AdvisorField) -> Option<&mut Input> {
        match field {
            AdvisorField::Id => Some(&mut self.id),
            AdvisorField::Name => Some(&mut self.name),
            AdvisorField::Unit => Some(&mut self.unit),
            AdvisorField::Category | AdvisorField::Active => None,
        }
    }

    fn move_focus(&mut self, forward: bool) {
        let fields = self.fields();
        let at = fields.iter().position(|f| *f == self.focus).unwrap_or(0);
        let next = if forward {
            (at + 1) % fields.len()
        } else {
            (at + fields.len() - 1) % fields.len()
        };
        self.focus = fields[next];
    }

    /// The fields checked as `advisor add` and `advisor set` check their flags; for an advisor
    /// of the ledger, only what changed.
    pub fn checked(&self) -> Result<AdvisorSave, AdvisorProblem> {
        let name = check_text(TextField::Name, self.name.value()).map_err(AdvisorProblem::Field)?;
        if name.is_empty() {
            return Err(AdvisorProblem::NameEmpty);
        }
        let unit = check_text(TextField::Unit, self.unit.value()).map_err(AdvisorProblem::Field)?;
        let Some(before) = &self.editing else {
            let id = check_advisor_id(self.id.value()).map_err(AdvisorProblem::Field)?;
            return Ok(AdvisorSave::Add(Advisor {
                id,
                name,
                category: self.category,
                unit,
                active: true,
            }));
        };
        let change = AdvisorChange {
            name: (name != before.name).then_some(name),
            category: (self.category != before.category).then_some(self.category),
            unit: (unit != before.unit).then_some(unit),
            active: (self.active != before.active).then_some(self.active),
        };
        Ok(if change.is_empty() {
            AdvisorSave::Nothing
        } else {
            AdvisorSave::Change {
                id: before.id.clone(),
                change,
            }
        })
    }
}

impl Default for AdvisorForm {
    fn default() -> Self {
        AdvisorForm::new()
    }
}

/// The next (or previous) of the four categories, round.
fn step_category(category: Category, forward: bool) -> Category {
    let all = Category::VARIANTS;
    let at = all.iter().position(|c| *c == category).unwrap_or(0);
    let next = if forward {
        (at + 1) % all.len()
    } else {
        (at + all.len() - 1) % all.len()
    };
    all[next]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn typed(form: &mut AdvisorForm, text: &str) {
        for c in text.chars() {
            form.key(key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn a_new_advisor_is_checked_as_advisor_add_checks_it() {
        let mut form = AdvisorForm::new();
        assert_eq!(form.checked(), Err(AdvisorProblem::NameEmpty));
        typed(&mut form, "A 1");
        form.key(key(KeyCode::Tab));
        typed(&mut form, "程艳");
        assert!(matches!(
            form.checked(),
            Err(AdvisorProblem::Field(FieldError::IdUnusable(_)))
        ));
        form.key(key(KeyCode::BackTab));
        form.key(key(KeyCode::Backspace));
        form.key(key(KeyCode::Backspace));
        typed(&mut form, "091");
        form.key(key(KeyCode::Tab));
        form.key(key(KeyCode::Tab));
        form.key(key(KeyCode::Right));
        let Ok(AdvisorSave::Add(a)) = form.checked() else {
            panic!("{:?}", form.checked());
        };
        assert_eq!((a.id.as_str(), a.name.as_str()), ("A091", "程艳"));
        assert_eq!(a.category, Category::PublicLawyer);
    }

    #[test]
    fn an_advisor_of_the_ledger_changes_only_what_was_changed() {
        let advisor = Advisor {
            id: "A001".into(),
            name: "尹帆".into(),
            category: Category::Staff,
            unit: "管委会".into(),
            active: true,
        };
        let mut form = AdvisorForm::edit(&advisor);
        assert_eq!(form.fields()[0], AdvisorField::Name);
        assert_eq!(form.checked(), Ok(AdvisorSave::Nothing));
        // Name, category, unit, active: Shift-Tab from the name goes round to active.
        form.key(key(KeyCode::BackTab));
        form.key(key(KeyCode::Char(' ')));
        let expected = AdvisorChange {
            active: Some(false),
            ..AdvisorChange::default()
        };
        assert_eq!(
            form.checked(),
            Ok(AdvisorSave::Change {
                id: "A001".into(),
                change: expected
            })
        );
    }
}
