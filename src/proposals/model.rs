//! The pure rules of award proposal dossiers: their states, what must be in place before a
//! dossier is sent, the Government-flag share across clusters, deadlines, and filling a
//! template's text from what the system knows.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

    /// The leader and the nominees may change the dossier only before it leaves, or once it
    /// comes back.
    pub fn editable(self) -> bool {
        matches!(self, ProposalState::Draft | ProposalState::Returned)
    }
}

pub fn state_label(s: &str) -> &'static str {
    ProposalState::parse(s).map(|s| s.label()).unwrap_or("")
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

/// How many Government flags the council may propose: the tenant's share of the cluster
/// leaders, rounded down (at most 20% means never more than 20%).
pub fn government_flag_limit(share: Decimal, leaders: u32) -> u32 {
    (share * Decimal::from(leaders) / Decimal::from(100))
        .floor()
        .to_u32()
        .unwrap_or(0)
}

/// A decision that would take the year's Government flags past the share.
#[derive(Debug, PartialEq, Eq)]
pub struct FlagsOverShare {
    pub limit: i64,
    pub already: i64,
    pub adding: i64,
}

/// The Government-flag rule as the council applies it to a decision: the flags already
/// decided for the year plus this decision's may not pass the share of the year's cluster
/// years that have a leader. A decision adding none always passes, even over a share since
/// lowered, so that other awards are never blocked by it.
pub fn check_government_flags(
    share: Decimal,
    leaders: u32,
    already: i64,
    adding: i64,
) -> Result<(), FlagsOverShare> {
    let limit = government_flag_limit(share, leaders) as i64;
    if adding > 0 && already + adding > limit {
        Err(FlagsOverShare {
            limit,
            already,
            adding,
        })
    } else {
        Ok(())
    }
}

impl FlagsOverShare {
    pub fn message(&self, year: i32, share: Decimal, leaders: u32) -> String {
        format!(
            "Cờ thi đua của Chính phủ năm {year} không được quá {}% số cụm trưởng ({leaders} cụm): \
             tối đa {}, đã quyết định {}, quyết định này thêm {}.",
            crate::web::forms::decimal_vn(share),
            self.limit,
            self.already,
            self.adding
        )
    }
}

/// How many of the awarded types are the Government flag; none when no type is configured.
pub fn government_flags_among(
    award_types: impl IntoIterator<Item = i64>,
    flag: Option<i64>,
) -> i64 {
    match flag {
        Some(g) => award_types.into_iter().filter(|t| *t == g).count() as i64,
        None => 0,
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

/// The values a template's text may name in braces, e.g. "{cum}" or "{nam}".
pub type Values = BTreeMap<&'static str, String>;

/// The fields every template may use, with what they mean (shown beside the editors).
pub const FIELDS: &[(&str, &str)] = &[
    ("nam", "năm thi đua"),
    ("nam_sau", "năm sau"),
    ("cum", "tên cụm, khối thi đua"),
    ("don_vi_to_chuc", "tên Hội đồng / đơn vị tổ chức"),
    ("cum_truong", "đơn vị cụm trưởng"),
    ("ngay_hop", "ngày họp bình xét"),
    ("gio_hop", "giờ họp"),
    ("dia_diem", "địa điểm họp"),
    ("chu_tri", "người chủ trì"),
    ("thu_ky", "thư ký"),
    ("so_thanh_vien", "số đơn vị thành viên"),
    ("so_phieu", "số phiếu thu về"),
    ("don_vi", "đơn vị viết báo cáo"),
    ("danh_hieu", "danh hiệu đề nghị cho đơn vị"),
];

/// Replaces every known "{field}" in `text` by its value; unknown braces stay as typed.
pub fn fill(text: &str, values: &Values) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if values.contains_key(&after[..close]) => {
                out.push_str(&values[&after[..close]]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The names in braces that no template field answers to: a typo the editor should point out.
pub fn unknown_fields(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !FIELDS.iter().any(|(f, _)| *f == name) && !out.iter().any(|o| o == name) {
            out.push(name.to_string());
        }
        rest = &after[close + 1..];
    }
    out
}

/// The message for a text that names fields no template has, if it does.
pub fn unknown_fields_message(text: &str) -> Option<String> {
    let unknown = unknown_fields(text);
    (!unknown.is_empty()).then(|| {
        format!(
            "Không có trường {}; các trường dùng được ở bảng bên dưới.",
            unknown
                .iter()
                .map(|u| format!("{{{u}}}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// What is wrong with a section's text as typed, if anything: empty, longer than `max`
/// characters, or naming a field no template has.
pub fn section_text_problem(text: &str, max: usize) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return Some("Hãy nhập nội dung phần này.".into());
    }
    if text.chars().count() > max {
        return Some(format!(
            "Nội dung dài quá {} ký tự.",
            crate::web::vn::integer(max as i64)
        ));
    }
    unknown_fields_message(text)
}

/// "ngày 15 tháng 12 năm 2019", the way minutes and letters write a date inside a sentence.
pub fn date_in_words(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "ngày {:02} tháng {:02} năm {}",
        d.day(),
        d.month(),
        d.year()
    )
}

pub use crate::web::vn::percent as percent_vn;

/// What the dossiers still with the cluster ask of a unit, for its home page: its report while
/// it is a nominee and has not submitted, and for the leader, sending (again, once returned).
pub fn tasks(
    unit_id: i64,
    dossiers: &[super::store::UnitDossier],
) -> Vec<crate::scoring::tasks::Task> {
    let mut out = Vec::new();
    for d in dossiers {
        let returned = d.state == "returned";
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

#[cfg(test)]
mod tests {
    use super::*;
    use ProposalState::*;

    #[test]
    fn a_dossier_moves_only_along_its_steps() {
        assert_eq!(transition(Draft, Step::Send), Ok(Sent));
        assert_eq!(transition(Sent, Step::Receive), Ok(Received));
        assert_eq!(transition(Received, Step::Return), Ok(Returned));
        assert_eq!(transition(Sent, Step::Return), Ok(Returned));
        assert_eq!(transition(Returned, Step::Send), Ok(Sent));
        assert_eq!(transition(Received, Step::Decide), Ok(Decided));
        for s in [Draft, Sent, Received, Returned, Decided] {
            for st in [Step::Send, Step::Receive, Step::Return, Step::Decide] {
                if let Ok(to) = transition(s, st) {
                    assert_ne!(to, s, "a step always changes the state");
                    assert_ne!(s, Decided, "nothing follows a decision");
                }
            }
        }
        assert!(transition(Draft, Step::Decide).is_err());
        assert!(transition(Sent, Step::Decide).is_err());
        assert!(transition(Decided, Step::Return).is_err());
        assert!(transition(Sent, Step::Send).is_err());
        assert!(Draft.editable() && Returned.editable());
        assert!(!Sent.editable() && !Received.editable() && !Decided.editable());
        for s in [Draft, Sent, Received, Returned, Decided] {
            assert_eq!(ProposalState::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn home_tasks_follow_the_dossier() {
        let d = |state: &str, leads, nominee, submitted| super::super::store::UnitDossier {
            proposal_id: 4,
            year: 2024,
            cluster_name: "Cụm Nội chính".into(),
            state: state.into(),
            leads,
            nominee,
            submitted,
        };
        let t = tasks(7, &[d("draft", false, true, false)]);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].href, "/proposals/4/reports/7");
        assert!(!t[0].urgent);
        assert!(tasks(7, &[d("draft", false, true, true)]).is_empty());
        assert!(tasks(7, &[d("draft", false, false, false)]).is_empty());
        let t = tasks(7, &[d("returned", true, true, true)]);
        assert_eq!(t.len(), 1);
        assert!(t[0].urgent && t[0].text.starts_with("Hội đồng đã trả lại"));
    }

    #[test]
    fn sending_lists_everything_missing() {
        let d = NaiveDate::from_ymd_opt(2019, 12, 20);
        let ok = SendCheck {
            nominees: 2,
            letter_date: d,
            meeting_date: d,
            chair: "Nguyễn Văn A",
            secretary: "Trần Thị B",
            reports_missing: vec![],
        };
        assert!(check_send(&ok).is_empty());
        let bad = SendCheck {
            nominees: 0,
            letter_date: None,
            meeting_date: None,
            chair: " ",
            secretary: "",
            reports_missing: vec!["Văn phòng".into()],
        };
        let m = check_send(&bad);
        assert_eq!(m.len(), 6);
        assert!(m.contains(&"Văn phòng chưa trình báo cáo thành tích.".to_string()));
    }

    #[test]
    fn government_flags_stay_within_the_share_of_leaders() {
        let twenty = Decimal::from(20);
        assert_eq!(government_flag_limit(twenty, 2), 0);
        assert_eq!(government_flag_limit(twenty, 5), 1);
        assert_eq!(government_flag_limit(twenty, 14), 2);
        assert_eq!(government_flag_limit(twenty, 15), 3);
        assert_eq!(government_flag_limit(Decimal::from(100), 7), 7);
        for leaders in 0..200u32 {
            let l = government_flag_limit(twenty, leaders);
            assert!(l * 5 <= leaders && (l + 1) * 5 > leaders);
        }
    }

    #[test]
    fn a_decision_keeps_the_government_flags_within_the_share() {
        let share = Decimal::from(20);
        // 20% of 11 leaders is 2 flags (rounded down).
        assert_eq!(check_government_flags(share, 11, 0, 2), Ok(()));
        assert_eq!(check_government_flags(share, 11, 1, 1), Ok(()));
        assert_eq!(
            check_government_flags(share, 11, 1, 2),
            Err(FlagsOverShare {
                limit: 2,
                already: 1,
                adding: 2
            })
        );
        // A decision without flags passes whatever was decided before.
        assert_eq!(check_government_flags(share, 4, 3, 0), Ok(()));
        assert_eq!(check_government_flags(share, 4, 0, 1).unwrap_err().limit, 0);
        let e = check_government_flags(share, 11, 2, 1).unwrap_err();
        assert_eq!(
            e.message(2024, share, 11),
            "Cờ thi đua của Chính phủ năm 2024 không được quá 20% số cụm trưởng (11 cụm): \
             tối đa 2, đã quyết định 2, quyết định này thêm 1."
        );
    }

    #[test]
    fn only_the_configured_type_counts_as_a_government_flag() {
        assert_eq!(government_flags_among([1, 2, 2, 3], Some(2)), 2);
        assert_eq!(government_flags_among([1, 2, 3], None), 0);
        assert_eq!(government_flags_among([], Some(2)), 0);
    }

    #[test]
    fn a_dossier_is_late_when_sent_after_its_deadline() {
        let d = NaiveDate::from_ymd_opt(2023, 12, 10);
        let day = |n| NaiveDate::from_ymd_opt(2023, 12, n).unwrap();
        assert!(!is_late(d, Some(day(10)), day(20)));
        assert!(is_late(d, Some(day(11)), day(20)));
        assert!(!is_late(d, None, day(10)));
        assert!(is_late(d, None, day(11)));
        assert!(!is_late(None, None, day(11)));
    }

    #[test]
    fn templates_fill_known_fields_and_keep_the_rest() {
        let mut v = Values::new();
        v.insert("cum", "Cụm thi đua số VI".into());
        v.insert("nam", "2019".into());
        assert_eq!(
            fill("{cum} tổng kết năm {nam}; {khac} {", &v),
            "Cụm thi đua số VI tổng kết năm 2019; {khac} {"
        );
        assert_eq!(fill("", &v), "");
        assert_eq!(unknown_fields("{cum} {nam} {cumm} {cumm} {"), vec!["cumm"]);
        assert!(unknown_fields("Năm {nam_sau}, {don_vi}").is_empty());
        assert_eq!(
            unknown_fields_message("{cumm} {gio}").as_deref(),
            Some("Không có trường {cumm}, {gio}; các trường dùng được ở bảng bên dưới.")
        );
        assert_eq!(unknown_fields_message("{cum}"), None);
        assert_eq!(
            section_text_problem("  ", 10).as_deref(),
            Some("Hãy nhập nội dung phần này.")
        );
        assert_eq!(
            section_text_problem(&"a".repeat(20001), 20000).as_deref(),
            Some("Nội dung dài quá 20.000 ký tự.")
        );
        assert!(
            section_text_problem("{cumm}", 10)
                .unwrap()
                .contains("{cumm}")
        );
        assert_eq!(section_text_problem("Năm {nam}", 5000), None);
    }

    #[test]
    fn dates_and_percentages_read_the_vietnamese_way() {
        let d = NaiveDate::from_ymd_opt(2019, 1, 9).unwrap();
        assert_eq!(date_in_words(d), "ngày 09 tháng 01 năm 2019");
    }
}
