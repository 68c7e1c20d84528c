//! The pure rules of a decision: its states, the number's uniqueness, the awards grouped by
//! award form with their amounts, and the words the draft is filled with.

use crate::web::vn;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Draft,
    Issued,
    Revoked,
}

impl State {
    pub fn parse(s: &str) -> State {
        match s {
            "issued" => State::Issued,
            "revoked" => State::Revoked,
            _ => State::Draft,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            State::Draft => "Dự thảo",
            State::Issued => "Đã ban hành",
            State::Revoked => "Đã thu hồi",
        }
    }

    pub fn is_draft(self) -> bool {
        self == State::Draft
    }

    pub fn is_issued(self) -> bool {
        self == State::Issued
    }

    pub fn is_revoked(self) -> bool {
        self == State::Revoked
    }
}

/// Why a step cannot be taken in the decision's state.
pub fn check_step(state: State, step: Step) -> Result<(), &'static str> {
    match (state, step) {
        (State::Draft, Step::Edit | Step::Issue | Step::Delete) => Ok(()),
        (State::Issued, Step::Revoke) => Ok(()),
        (State::Draft, Step::Revoke) => Err("Quyết định chưa ban hành nên không thể thu hồi."),
        (State::Issued, _) => Err("Quyết định đã ban hành: không thể sửa, ban hành lại hay xóa."),
        (State::Revoked, _) => Err("Quyết định đã bị thu hồi."),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Edit,
    Issue,
    Delete,
    Revoke,
}

/// A number as it is stored: trimmed, inner runs of spaces made one.
pub fn tidy_number(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What two numbers are compared by: "156/QĐ-UBND" and " 156/qđ-ubnd" are the same number
/// (the unique index compares `lower(btrim(number))` the same way).
pub fn number_key(s: &str) -> String {
    tidy_number(s).to_lowercase()
}

/// Whether `number` signed in `year` is already used by one of `used` (year of signing,
/// number), issued or revoked: a revoked number is not given again.
pub fn number_taken(used: &[(i32, String)], year: i32, number: &str) -> bool {
    let key = number_key(number);
    used.iter().any(|(y, n)| *y == year && number_key(n) == key)
}

/// One award of a decision.
#[derive(Clone, Debug, PartialEq)]
pub struct Award {
    pub award_type_id: i64,
    pub award_name: String,
    pub unit_name: String,
    pub reason: String,
    pub amount: Option<i64>,
}

/// The awards of one award form, in the order the decision lists them.
#[derive(Clone, Debug, PartialEq)]
pub struct Group<'a> {
    pub award_name: String,
    pub awards: Vec<&'a Award>,
}

impl Group<'_> {
    /// The sum of the amounts, None when no award of the group carries one.
    pub fn total(&self) -> Option<i64> {
        total(self.awards.iter().copied())
    }
}

/// The awards grouped by award form, each group where its first award stands; within a group,
/// the awards keep their order.
pub fn groups(awards: &[Award]) -> Vec<Group<'_>> {
    let mut out: Vec<(i64, Group)> = Vec::new();
    for a in awards {
        match out.iter_mut().find(|(id, _)| *id == a.award_type_id) {
            Some((_, g)) => g.awards.push(a),
            None => out.push((
                a.award_type_id,
                Group {
                    award_name: a.award_name.clone(),
                    awards: vec![a],
                },
            )),
        }
    }
    out.into_iter().map(|(_, g)| g).collect()
}

pub fn total<'a>(awards: impl IntoIterator<Item = &'a Award>) -> Option<i64> {
    sum(awards.into_iter().map(|a| a.amount))
}

/// The sum of the amounts given, None when none is.
pub fn sum(amounts: impl IntoIterator<Item = Option<i64>>) -> Option<i64> {
    amounts
        .into_iter()
        .flatten()
        .fold(None, |s, x| Some(s.unwrap_or(0).saturating_add(x)))
}

/// "1.500.000 đồng"
pub fn money(n: i64) -> String {
    format!("{} đồng", vn::integer(n))
}

/// "02" for counts under ten, as decisions write them.
pub fn count(n: usize) -> String {
    format!("{n:02}")
}

/// The articles that give the awards: one per award form, then the bonuses if any.
pub fn award_articles(year: i32, groups: &[Group]) -> Vec<String> {
    let many = groups.len() > 1;
    groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let part = if many {
                format!(" (Mục {})", roman(i + 1))
            } else {
                String::new()
            };
            let mut t = format!(
                "Điều {}. Tặng {} cho {} tập thể có tên trong danh sách kèm theo{part}, đã có \
                 thành tích xuất sắc trong phong trào thi đua năm {year}.",
                i + 1,
                g.award_name,
                count(g.awards.len())
            );
            if let Some(sum) = g.total() {
                t.push_str(&format!(
                    " Tiền thưởng kèm theo theo danh sách, tổng cộng {}.",
                    money(sum)
                ));
            }
            t
        })
        .collect()
}

/// The closing articles numbered after the award articles: each line of `text` is one.
pub fn closing_articles(first: usize, text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, l)| format!("Điều {}. {l}", first + i))
        .collect()
}

/// The "Căn cứ …" lines from a rule set's citation ("Luật …; Nghị định …").
pub fn legal_bases(citation: &str) -> String {
    citation
        .split(';')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| format!("Căn cứ {c};"))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn roman(n: usize) -> String {
    const R: [(usize, &str); 9] = [
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (v, s) in R {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// The issuer a unit's history shows: the signer's authority, e.g. "Chủ tịch Ủy ban nhân dân
/// tỉnh Lạng Sơn" (the title before the body it heads).
pub fn issuer(signer_title: &str, authority: &str) -> String {
    let t = signer_title.trim();
    if t.is_empty() {
        authority.trim().to_string()
    } else {
        format!("{t} {}", authority.trim())
    }
}

#[cfg(test)]
mod tests;
