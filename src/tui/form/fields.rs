//! The form's fields: their order, a value per field, and the choices a picker field offers.

use std::ops::{Index, IndexMut};

use strum::{EnumCount, VariantArray};

use super::Form;
use crate::domain::Lang;
use crate::domain::intake::shown_number;
use crate::tui::data::PeriodData;
use crate::tui::strings::strings;

/// The fields, in the order Tab visits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumCount, VariantArray)]
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
    /// Fields that offer a list of choices under them.
    pub fn picks(self) -> bool {
        matches!(
            self,
            Field::Advisor | Field::Item | Field::Topic | Field::Service | Field::Department
        )
    }

    /// The field after this one (`forward`) or before it, round from the last to the first.
    #[must_use]
    pub fn step(self, forward: bool) -> Field {
        let count = Field::COUNT;
        let index = self as usize;
        let next = if forward {
            index + 1
        } else {
            index + count - 1
        };
        Field::VARIANTS[next % count]
    }
}

/// One value for each field: the inputs, the values the form opened with, the problems.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PerField<T>([T; Field::COUNT]);

impl<T> PerField<T> {
    /// A value for each field, from the field.
    pub fn from_fn(mut value: impl FnMut(Field) -> T) -> PerField<T> {
        PerField(std::array::from_fn(|index| value(Field::VARIANTS[index])))
    }

    /// The fields in order, each with its value.
    pub fn iter(&self) -> impl Iterator<Item = (Field, &T)> {
        Field::VARIANTS.iter().copied().zip(&self.0)
    }

    /// The values in field order.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.0.iter()
    }
}

impl<T> Index<Field> for PerField<T> {
    type Output = T;

    fn index(&self, field: Field) -> &T {
        &self.0[field as usize]
    }
}

impl<T> IndexMut<Field> for PerField<T> {
    fn index_mut(&mut self, field: Field) -> &mut T {
        &mut self.0[field as usize]
    }
}

/// One offered value: what goes into the field, and how it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
    /// Other words typing finds it by, not shown: an item's key, an advisor's name in pinyin.
    pub found_by: Vec<String>,
}

impl Form {
    /// The choices the focused field offers, filtered by what has been typed.
    pub fn choices(&self, field: Field, data: &PeriodData, lang: Lang) -> Vec<Choice> {
        if !field.picks() || self.locked(field) {
            return Vec::new();
        }
        let typed = self.value(field).trim().to_lowercase();
        let all = every_choice(field, data, lang);
        if typed.is_empty() {
            return all;
        }
        let matches = |c: &Choice| {
            c.label.to_lowercase().contains(&typed)
                || c.value.to_lowercase().contains(&typed)
                || c.found_by.iter().any(|w| w.contains(&typed))
                || {
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
}

/// Everything a picker field offers before anything is typed.
fn every_choice(field: Field, data: &PeriodData, lang: Lang) -> Vec<Choice> {
    match field {
        Field::Advisor => {
            let mut list: Vec<&crate::domain::Advisor> =
                data.advisors.values().filter(|a| a.active).collect();
            list.sort_by(|a, b| a.id.cmp(&b.id));
            list.into_iter()
                .map(|a| Choice {
                    value: a.id.clone(),
                    label: format!("{} {} ({})", a.id, a.name, a.category.short(lang)),
                    found_by: spoken(&a.name).into(),
                })
                .collect()
        }
        Field::Item => std::iter::once(Choice {
            value: String::new(),
            label: strings(lang).new_item.to_string(),
            found_by: Vec::new(),
        })
        .chain(data.recent_items.iter().map(|i| Choice {
            value: shown_number(&i.number),
            label: format!("{} {}", shown_number(&i.number), i.title),
            // The key the item was made with (`CG-01`), as `log --item` and the filter know it.
            found_by: i.key.iter().map(|k| k.to_lowercase()).collect(),
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
                    found_by: Vec::new(),
                })
                .collect()
        }
        Field::Department => data
            .departments
            .iter()
            .map(|d| Choice {
                value: d.clone(),
                label: d.clone(),
                found_by: Vec::new(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A Chinese name as typed on a pinyin keyboard, whole and by initials: 尹帆 → `yinfan`, `yf`.
/// Other letters and digits join the whole (lower-cased): 张三A → `zhangsana`, `zs`.
fn spoken(name: &str) -> [String; 2] {
    use pinyin::ToPinyin;
    let (mut whole, mut initials) = (String::new(), String::new());
    for (c, reading) in name.chars().zip(name.to_pinyin()) {
        match reading {
            Some(p) => {
                whole.push_str(p.plain());
                initials.push_str(p.first_letter());
            }
            None if c.is_alphanumeric() => whole.extend(c.to_lowercase()),
            None => {}
        }
    }
    [whole, initials]
}

#[cfg(test)]
mod tests {
    use super::spoken;

    #[test]
    fn names_are_spoken_in_pinyin_whole_and_by_initials() {
        assert_eq!(spoken("尹帆"), ["yinfan".to_string(), "yf".to_string()]);
        assert_eq!(
            spoken("欧阳 明"),
            ["ouyangming".to_string(), "oym".to_string()]
        );
        assert_eq!(spoken("张三A"), ["zhangsana".to_string(), "zs".to_string()]);
    }
}
