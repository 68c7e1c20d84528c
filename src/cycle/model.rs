//! The rules of award types, movements, pledges and registrations, as plain functions.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

// ---- award types ------------------------------------------------------------------------------

/// Whom an award type is for: a collective (tập thể) or a person (cá nhân).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Collective,
    Individual,
}

impl Target {
    pub fn parse(s: &str) -> Option<Target> {
        match s {
            "collective" => Some(Target::Collective),
            "individual" => Some(Target::Individual),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Target::Collective => "collective",
            Target::Individual => "individual",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Target::Collective => "Tập thể",
            Target::Individual => "Cá nhân",
        }
    }
}

pub fn target_label(s: &str) -> &'static str {
    Target::parse(s).map(Target::label).unwrap_or("")
}

/// The levels the law names; a council may also write its own.
pub const LEVELS: [(&str, &str); 3] = [
    ("government", "Chính phủ, Thủ tướng Chính phủ"),
    ("ministry_province", "Bộ, ban, ngành, tỉnh"),
    ("grassroots", "Cơ sở"),
];

pub fn level_label(level: &str) -> &str {
    LEVELS
        .iter()
        .find(|(k, _)| *k == level)
        .map(|(_, l)| *l)
        .unwrap_or(level)
}

pub const DENOMINATORS: [(&str, &str); 2] = [
    ("all_members", "Tổng số đơn vị thành viên"),
    ("present", "Số đơn vị có mặt"),
];

pub fn denominator_label(d: &str) -> &'static str {
    DENOMINATORS
        .iter()
        .find(|(k, _)| *k == d)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

/// A vote threshold is a percentage a cluster can meaningfully require: more than half, at
/// most all. (Decree 98/2023 asks 80% or 90%; cluster regulations may differ.)
pub fn threshold_ok(t: Decimal) -> bool {
    t >= Decimal::from(50) && t <= Decimal::from(100)
}

/// Would making `prerequisite` the prerequisite of `id` close a loop? `chain` maps each award
/// type to its current prerequisite.
pub fn prerequisite_loops(
    id: Option<i64>,
    prerequisite: i64,
    chain: &BTreeMap<i64, Option<i64>>,
) -> bool {
    let Some(id) = id else {
        // A new type has no dependants yet.
        return false;
    };
    let mut at = Some(prerequisite);
    let mut steps = 0;
    while let Some(p) = at {
        if p == id {
            return true;
        }
        steps += 1;
        if steps > chain.len() + 1 {
            return true;
        }
        at = chain.get(&p).copied().flatten();
    }
    false
}

// ---- movements --------------------------------------------------------------------------------

pub const MOVEMENT_KINDS: [(&str, &str); 3] = [
    ("thuong_xuyen", "Thường xuyên"),
    ("theo_dot", "Theo đợt"),
    ("chuyen_de", "Theo chuyên đề"),
];

pub fn movement_kind_label(k: &str) -> &'static str {
    MOVEMENT_KINDS
        .iter()
        .find(|(key, _)| *key == k)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

pub fn is_movement_kind(k: &str) -> bool {
    MOVEMENT_KINDS.iter().any(|(key, _)| *key == k)
}

/// The years a movement runs in: from its start year to its end year, or on with no end.
pub fn movement_years(starts_on: NaiveDate, ends_on: Option<NaiveDate>) -> (i32, Option<i32>) {
    (starts_on.year(), ends_on.map(|d| d.year()))
}

/// Only a regular (thường xuyên) movement may run with no end date.
pub fn check_period(
    kind: &str,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
) -> Option<(&'static str, &'static str)> {
    match (starts_on, ends_on) {
        (None, _) => Some(("starts_on", "Hãy nhập ngày bắt đầu.")),
        (Some(s), Some(e)) if e < s => Some(("ends_on", "Ngày kết thúc phải sau ngày bắt đầu.")),
        (Some(_), None) if kind != "thuong_xuyen" => Some((
            "ends_on",
            "Phong trào theo đợt hoặc theo chuyên đề cần có ngày kết thúc.",
        )),
        _ => None,
    }
}

// ---- the pledge -------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PledgeState {
    Draft,
    Open,
    Locked,
}

impl PledgeState {
    pub fn parse(s: &str) -> Option<PledgeState> {
        match s {
            "draft" => Some(PledgeState::Draft),
            "open" => Some(PledgeState::Open),
            "locked" => Some(PledgeState::Locked),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PledgeState::Draft => "draft",
            PledgeState::Open => "open",
            PledgeState::Locked => "locked",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PledgeState::Draft => "Dự thảo",
            PledgeState::Open => "Đang ký kết",
            PledgeState::Locked => "Đã ký kết đủ, đã khóa",
        }
    }
}

/// The text may change only while it is a draft: what heads sign must not move under them.
/// A pledge not yet begun (None) is a draft.
pub fn check_pledge_editable(state: Option<PledgeState>) -> Result<(), &'static str> {
    match state {
        None | Some(PledgeState::Draft) => Ok(()),
        Some(PledgeState::Open) => Err(
            "Giao ước đã mở để ký; không sửa nội dung được nữa để các đơn vị ký cùng một văn bản.",
        ),
        Some(PledgeState::Locked) => {
            Err("Giao ước đã được các đơn vị ký đủ và đã khóa; không thay đổi được nữa.")
        }
    }
}

pub fn check_open(
    state: Option<PledgeState>,
    items: usize,
    members: usize,
) -> Result<(), &'static str> {
    check_pledge_editable(state)?;
    if items == 0 {
        return Err("Giao ước chưa có cam kết nào; hãy soạn nội dung trước khi mở ký.");
    }
    if members == 0 {
        return Err("Năm thi đua chưa có đơn vị thành viên để ký giao ước.");
    }
    Ok(())
}

pub fn check_sign(
    state: Option<PledgeState>,
    is_member: bool,
    already_signed: bool,
) -> Result<(), &'static str> {
    match state {
        None | Some(PledgeState::Draft) => {
            Err("Giao ước đang được cụm trưởng soạn thảo, chưa mở để ký.")
        }
        Some(PledgeState::Locked) => Err("Giao ước đã được ký đủ và đã khóa."),
        Some(PledgeState::Open) if !is_member => {
            Err("Chỉ đơn vị thành viên của năm thi đua này ký giao ước.")
        }
        Some(PledgeState::Open) if already_signed => Err("Đơn vị của bạn đã ký giao ước này."),
        Some(PledgeState::Open) => Ok(()),
    }
}

/// The leader records a signature made on paper for a member that has not signed (issue 17,
/// item 2); the same states as signing online.
pub fn check_paper_sign(
    state: Option<PledgeState>,
    is_member: bool,
    signed: bool,
) -> Result<(), &'static str> {
    match check_sign(state, is_member, false) {
        Ok(()) if signed => Err("Đơn vị này đã ký giao ước."),
        Err(_) if !is_member && state == Some(PledgeState::Open) => {
            Err("Hãy chọn một đơn vị thành viên chưa ký.")
        }
        other => other,
    }
}

/// Members that have not signed, in the members' order.
pub fn unsigned(members: &[i64], signed: &[i64]) -> Vec<i64> {
    members
        .iter()
        .copied()
        .filter(|m| !signed.contains(m))
        .collect()
}

/// The pledge locks when every member has signed ("100% đơn vị đã ký").
pub fn all_signed(members: &[i64], signed: &[i64]) -> bool {
    !members.is_empty() && unsigned(members, signed).is_empty()
}

/// Last year's commitment, carried into this year: "năm 2024" becomes "năm 2025". Other
/// numbers (decrees, plans) are left as they are.
pub fn carry_text(text: &str, from_year: i32, to_year: i32) -> String {
    text.replace(&format!("năm {from_year}"), &format!("năm {to_year}"))
}

/// The order after moving `id` one place up or down; None when it cannot move.
pub fn moved(order: &[i64], id: i64, up: bool) -> Option<Vec<i64>> {
    let i = order.iter().position(|x| *x == id)?;
    let j = if up { i.checked_sub(1)? } else { i + 1 };
    if j >= order.len() {
        return None;
    }
    let mut out = order.to_vec();
    out.swap(i, j);
    Some(out)
}

// ---- registrations ----------------------------------------------------------------------------

/// A form of commendation (Law 06/2022 art. 72: orders, medals, certificates of merit), as
/// opposed to an emulation title: a unit registers one of each (issue 17, item 11).
pub fn is_commendation(name: &str) -> bool {
    let n = name.trim().to_lowercase();
    ["bằng khen", "giấy khen", "huân chương", "huy chương"]
        .iter()
        .any(|p| n.starts_with(p))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationState {
    Draft,
    Submitted,
    Returned,
}

impl RegistrationState {
    pub fn parse(s: &str) -> Option<RegistrationState> {
        match s {
            "draft" => Some(RegistrationState::Draft),
            "submitted" => Some(RegistrationState::Submitted),
            "returned" => Some(RegistrationState::Returned),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationState::Draft => "draft",
            RegistrationState::Submitted => "submitted",
            RegistrationState::Returned => "returned",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RegistrationState::Draft => "Đang soạn",
            RegistrationState::Submitted => "Đã nộp",
            RegistrationState::Returned => "Bị trả lại",
        }
    }
}

/// The label of a registration that may not exist yet.
pub fn registration_label(state: Option<RegistrationState>) -> &'static str {
    state.map(RegistrationState::label).unwrap_or("Chưa lập")
}

/// The unit's staff edit a draft, or a registration the leader returned; a submitted one waits
/// for the leader.
pub fn check_registration_editable(state: Option<RegistrationState>) -> Result<(), &'static str> {
    match state {
        Some(RegistrationState::Submitted) => {
            Err("Đăng ký đã nộp cho cụm trưởng; chỉ sửa được khi cụm trưởng trả lại để bổ sung.")
        }
        _ => Ok(()),
    }
}

/// Past the deadline's day (in Viet Nam) nothing more is submitted.
pub fn deadline_passed(deadline: Option<NaiveDate>, today: NaiveDate) -> bool {
    deadline.is_some_and(|d| today > d)
}

/// Why a submission is refused: (field, message).
pub fn check_submit(
    state: Option<RegistrationState>,
    deadline: Option<NaiveDate>,
    today: NaiveDate,
    aims_for_a_title: bool,
) -> Result<(), (&'static str, String)> {
    if state == Some(RegistrationState::Submitted) {
        return Err(("submit", "Đăng ký này đã được nộp.".to_string()));
    }
    if let Some(d) = deadline
        && deadline_passed(deadline, today)
    {
        return Err((
            "submit",
            format!(
                "Đã quá hạn đăng ký thi đua (ngày {}); không nộp được nữa. Nếu cần, hãy đề nghị cụm trưởng gia hạn.",
                d.format("%d/%m/%Y")
            ),
        ));
    }
    if !aims_for_a_title {
        return Err((
            "award_type_id",
            "Hãy chọn danh hiệu thi đua hoặc hình thức khen thưởng tập thể mà đơn vị đăng ký trước khi nộp."
                .to_string(),
        ));
    }
    Ok(())
}

/// Only a submitted registration is returned, and always with a reason.
pub fn check_return(
    state: Option<RegistrationState>,
    reason: &str,
) -> Result<(), (&'static str, &'static str)> {
    if state != Some(RegistrationState::Submitted) {
        return Err((
            "reason",
            "Chỉ trả lại được đăng ký đã nộp và chưa bị trả lại.",
        ));
    }
    let n = reason.trim().chars().count();
    if n == 0 {
        return Err((
            "reason",
            "Hãy ghi lý do trả lại để đơn vị biết cần bổ sung, sửa chữa gì.",
        ));
    }
    if n > 2000 {
        return Err(("reason", "Lý do trả lại dài quá 2000 ký tự."));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
