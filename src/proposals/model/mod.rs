//! The pure rules of award proposal dossiers: their states, what must be in place before a
//! dossier is sent, the Government-flag share across clusters, deadlines, and filling a
//! template's text from what the system knows.

use chrono::NaiveDate;
use rust_decimal::Decimal;

#[cfg(test)]
mod tests;
mod text;

pub use text::*;

/// A dossier's state, stored as its snake_case name. Writes bind `as_str()`, so that no
/// statement is spent looking up the type by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type, serde::Serialize, serde::Deserialize)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum ProposalState {
    Draft,
    Sent,
    Received,
    Returned,
    Decided,
}

impl ProposalState {
    pub fn parse(s: &str) -> Option<ProposalState> {
        Some(match s {
            "draft" => ProposalState::Draft,
            "sent" => ProposalState::Sent,
            "received" => ProposalState::Received,
            "returned" => ProposalState::Returned,
            "decided" => ProposalState::Decided,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ProposalState::Draft => "draft",
            ProposalState::Sent => "sent",
            ProposalState::Received => "received",
            ProposalState::Returned => "returned",
            ProposalState::Decided => "decided",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProposalState::Draft => "Dự thảo",
            ProposalState::Sent => "Đã gửi",
            ProposalState::Received => "Đã tiếp nhận",
            ProposalState::Returned => "Bị trả lại",
            ProposalState::Decided => "Đã quyết định",
        }
    }

    pub fn is_draft(self) -> bool {
        self == ProposalState::Draft
    }

    pub fn is_sent(self) -> bool {
        self == ProposalState::Sent
    }

    pub fn is_received(self) -> bool {
        self == ProposalState::Received
    }

    pub fn is_returned(self) -> bool {
        self == ProposalState::Returned
    }

    pub fn is_decided(self) -> bool {
        self == ProposalState::Decided
    }

    /// The leader and the nominees may change the dossier only before it leaves, or once it
    /// comes back.
    pub fn editable(self) -> bool {
        matches!(self, ProposalState::Draft | ProposalState::Returned)
    }
}

/// Where a nominee's achievement report stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportStatus {
    Unwritten,
    Writing,
    Submitted,
}

impl ReportStatus {
    /// `report`: None when nothing is saved yet, else whether its head has submitted it.
    pub fn of(report: Option<bool>) -> ReportStatus {
        match report {
            None => ReportStatus::Unwritten,
            Some(false) => ReportStatus::Writing,
            Some(true) => ReportStatus::Submitted,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportStatus::Unwritten => "Chưa viết",
            ReportStatus::Writing => "Đang viết",
            ReportStatus::Submitted => "Thủ trưởng đã trình",
        }
    }
}

impl std::fmt::Display for ReportStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// One step of a dossier, by whom it may be taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The leader sends (or sends again after a return).
    Send,
    /// The council acknowledges receipt.
    Receive,
    /// The council returns it with reasons.
    Return,
    /// The council records its decision.
    Decide,
}

/// The state a step leads to, or why it cannot be taken now.
pub fn transition(from: ProposalState, step: Step) -> Result<ProposalState, &'static str> {
    use ProposalState::*;
    match (from, step) {
        (Draft | Returned, Step::Send) => Ok(Sent),
        (Sent, Step::Receive) => Ok(Received),
        (Sent | Received, Step::Return) => Ok(Returned),
        (Received, Step::Decide) => Ok(Decided),
        (Sent | Received | Decided, Step::Send) => Err("Hồ sơ đã được gửi Hội đồng."),
        (Draft | Returned, _) => Err("Hồ sơ chưa được gửi Hội đồng."),
        (Received | Decided, Step::Receive) => Err("Hồ sơ đã được tiếp nhận."),
        (Sent, Step::Decide) => Err("Hãy tiếp nhận hồ sơ trước khi ghi quyết định."),
        (Decided, _) => Err("Hồ sơ đã có quyết định khen thưởng."),
    }
}

/// What the leader must settle before the dossier leaves: the list is shown as it is.
pub struct SendCheck<'a> {
    pub nominees: usize,
    pub letter_date: Option<NaiveDate>,
    pub meeting_date: Option<NaiveDate>,
    pub chair: &'a str,
    pub secretary: &'a str,
    /// Nominee units whose achievement report is not yet submitted by their head.
    pub reports_missing: Vec<String>,
}

pub fn check_send(c: &SendCheck) -> Vec<String> {
    let mut out = Vec::new();
    if c.nominees == 0 {
        out.push("Hồ sơ chưa có đơn vị nào được đề nghị.".to_string());
    }
    if c.letter_date.is_none() {
        out.push("Chưa nhập ngày của tờ trình.".to_string());
    }
    if c.meeting_date.is_none() {
        out.push("Chưa nhập ngày họp bình xét (biên bản).".to_string());
    }
    if c.chair.trim().is_empty() {
        out.push("Chưa nhập người chủ trì cuộc họp (biên bản).".to_string());
    }
    if c.secretary.trim().is_empty() {
        out.push("Chưa nhập thư ký cuộc họp (biên bản).".to_string());
    }
    for u in &c.reports_missing {
        out.push(format!("{u} chưa trình báo cáo thành tích."));
    }
    out
}

pub use crate::settings::model::government_flag_limit;

/// Why a decision may not record the Government flags it ticks.
#[derive(Debug, PartialEq, Eq)]
pub enum FlagsRefused {
    /// The unit is not the council's choice for the cluster whose dossier is decided.
    NotChosen { unit: String },
    /// The council's choice is over the year's share (chosen under a share since lowered).
    OverShare {
        limit: u32,
        leading: usize,
        chosen: usize,
    },
}

/// The Government-flag rule as the council applies it to a decision (Công văn 5007/BNV-TĐKT):
/// the flags a dossier's decision records are the council's choice among the year's leading
/// units, each for the cluster the choice says it leads, and that choice stays within the share
/// of the leading units. `chosen` is the year's choice as (cluster year, unit); `awarding` the
/// units the decision gives the flag, with their names. A decision giving none always passes,
/// so that other awards are never blocked by it.
pub fn check_government_flags(
    share: Decimal,
    leading: usize,
    chosen: &[(i64, i64)],
    cluster_year: i64,
    awarding: &[(i64, &str)],
) -> Result<(), FlagsRefused> {
    if awarding.is_empty() {
        return Ok(());
    }
    if let Some((_, unit)) = awarding
        .iter()
        .find(|(u, _)| !chosen.contains(&(cluster_year, *u)))
    {
        return Err(FlagsRefused::NotChosen {
            unit: unit.to_string(),
        });
    }
    let limit = government_flag_limit(share, u32::try_from(leading).unwrap_or(u32::MAX));
    if chosen.len() > limit as usize {
        return Err(FlagsRefused::OverShare {
            limit,
            leading,
            chosen: chosen.len(),
        });
    }
    Ok(())
}

impl FlagsRefused {
    pub fn message(&self, year: i32, share: Decimal) -> String {
        match self {
            FlagsRefused::NotChosen { unit } => format!(
                "{unit} không có trong lựa chọn Cờ thi đua của Chính phủ năm {year} của Hội đồng: \
                 Cờ thi đua của Chính phủ chỉ ghi cho đơn vị Hội đồng đã chọn trong các tập thể \
                 được bình xét dẫn đầu các cụm, khối thi đua."
            ),
            FlagsRefused::OverShare {
                limit,
                leading,
                chosen,
            } => format!(
                "Cờ thi đua của Chính phủ năm {year} không được quá {}% số tập thể được bình xét \
                 dẫn đầu các cụm, khối thi đua ({leading} tập thể): tối đa {limit}, Hội đồng đã \
                 chọn {chosen}.",
                crate::web::forms::decimal_vn(share)
            ),
        }
    }
}

/// A dossier is late when it was not sent by its deadline (or is still unsent after it).
pub fn is_late(deadline: Option<NaiveDate>, sent_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    match (deadline, sent_on) {
        (Some(d), Some(s)) => s > d,
        (Some(d), None) => today > d,
        _ => false,
    }
}

/// What the dossiers still with the cluster ask of a unit, for its home page: its report while
/// it is a nominee and has not submitted, and for the leader, sending (again, once returned).
pub fn tasks(
    unit_id: i64,
    dossiers: &[super::store::UnitDossier],
) -> Vec<crate::scoring::tasks::Task> {
    let mut out = Vec::new();
    for d in dossiers {
        let returned = d.state.is_returned();
        if d.nominee && !d.submitted {
            out.push(crate::scoring::tasks::Task {
                text: format!(
                    "Viết và trình báo cáo thành tích — {} năm {}",
                    d.cluster_name, d.year
                ),
                href: format!("/proposals/{}/reports/{unit_id}", d.proposal_id),
                urgent: returned,
            });
        }
        if d.leads {
            out.push(crate::scoring::tasks::Task {
                text: format!(
                    "{} hồ sơ đề nghị khen thưởng — {} năm {}",
                    if returned {
                        "Hội đồng đã trả lại: sửa và gửi lại"
                    } else {
                        "Hoàn thiện và gửi Hội đồng"
                    },
                    d.cluster_name,
                    d.year
                ),
                href: format!("/proposals/{}", d.proposal_id),
                urgent: returned,
            });
        }
    }
    out
}

/// A year as the council's pages choose among them.
#[derive(sqlx::FromRow, Debug, Clone, Copy, PartialEq, Eq)]
pub struct CouncilYear {
    pub year: i32,
    /// Dossiers of the year wait for the council (sent or received).
    pub waiting: bool,
    /// The year has a score sheet, a vote or a dossier.
    pub worked: bool,
}

/// The year the council's pages open on: the newest with dossiers waiting, else the newest with
/// any work, else the newest. The election creates next year empty, in December, just when
/// dossiers arrive. `years` are newest first.
pub fn year_with_work(years: &[CouncilYear]) -> Option<i32> {
    years
        .iter()
        .find(|y| y.waiting)
        .or_else(|| years.iter().find(|y| y.worked))
        .or(years.first())
        .map(|y| y.year)
}
