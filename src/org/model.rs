//! The rules of units, clusters and cluster years, as plain functions.

use std::collections::BTreeSet;

/// A cluster (cụm) groups units by area or level; a bloc (khối) by type of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClusterKind {
    Cum,
    Khoi,
}

impl ClusterKind {
    pub fn parse(s: &str) -> Option<ClusterKind> {
        match s {
            "cum" => Some(ClusterKind::Cum),
            "khoi" => Some(ClusterKind::Khoi),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ClusterKind::Cum => "cum",
            ClusterKind::Khoi => "khoi",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ClusterKind::Cum => "Cụm thi đua",
            ClusterKind::Khoi => "Khối thi đua",
        }
    }
}

pub fn kind_label(kind: &str) -> &'static str {
    ClusterKind::parse(kind)
        .map(ClusterKind::label)
        .unwrap_or("")
}

/// The phases of a cluster year, in order.
pub const PHASES: [(&str, &str); 7] = [
    ("setup", "Thiết lập"),
    ("pledging", "Ký giao ước"),
    ("under_way", "Đang thi đua"),
    ("scoring", "Chấm điểm, thẩm định"),
    ("voting", "Bình xét, suy tôn"),
    ("proposals", "Đề nghị khen thưởng"),
    ("closed", "Đã kết thúc"),
];

pub fn phase_label(phase: &str) -> &'static str {
    Phase::parse(phase).map(Phase::label).unwrap_or("")
}

/// Where a cluster year stands, as `cluster_years.phase` stores it (the keys of `PHASES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Setup,
    Pledging,
    UnderWay,
    Scoring,
    Voting,
    Proposals,
    Closed,
}

const ALL_PHASES: [Phase; 7] = [
    Phase::Setup,
    Phase::Pledging,
    Phase::UnderWay,
    Phase::Scoring,
    Phase::Voting,
    Phase::Proposals,
    Phase::Closed,
];

impl Phase {
    pub fn parse(s: &str) -> Option<Phase> {
        PHASES
            .iter()
            .position(|(k, _)| *k == s)
            .map(|i| ALL_PHASES[i])
    }

    pub fn as_str(self) -> &'static str {
        PHASES[self as usize].0
    }

    pub fn label(self) -> &'static str {
        PHASES[self as usize].1
    }

    /// A closed year asks nothing more of anyone.
    pub fn is_closed(self) -> bool {
        self == Phase::Closed
    }
}

impl TryFrom<String> for Phase {
    type Error = String;

    fn try_from(s: String) -> Result<Phase, String> {
        Phase::parse(&s).ok_or_else(|| format!("unknown phase {s:?}"))
    }
}

impl Phase {
    /// The phase after this one; None for a closed year.
    pub fn next(self) -> Option<Phase> {
        ALL_PHASES.get(self as usize + 1).copied()
    }
}

/// The steps of the year's work that move its phase (migration 0020 holds the same rule in
/// the database, so that every page taking a step moves it in the step's own transaction).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkStep {
    PledgeOpened,
    PledgeLocked,
    SheetSubmitted,
    VoteOpened,
    DossierSent,
    Decided,
}

impl WorkStep {
    pub fn phase(self) -> Phase {
        match self {
            WorkStep::PledgeOpened => Phase::Pledging,
            WorkStep::PledgeLocked => Phase::UnderWay,
            WorkStep::SheetSubmitted => Phase::Scoring,
            WorkStep::VoteOpened => Phase::Voting,
            WorkStep::DossierSent => Phase::Proposals,
            WorkStep::Decided => Phase::Closed,
        }
    }
}

/// Where a step of the work takes a year: forward to the step's phase, never back (a year the
/// council moved on, or corrected, keeps its phase until a step of a later phase happens).
pub fn phase_after(current: Phase, step: WorkStep) -> Option<Phase> {
    let to = step.phase();
    (to as usize > current as usize).then_some(to)
}

/// Who changes the phase by hand: the council sets any phase (a correction); the leader unit
/// only moves it one step on, and never closes the year (that is the council's decision).
pub fn check_phase_change(
    current: Phase,
    wanted: Phase,
    council: bool,
) -> Result<(), &'static str> {
    if council {
        return Ok(());
    }
    match current.next() {
        Some(next) if next == wanted && wanted != Phase::Closed => Ok(()),
        _ => Err(
            "Cụm trưởng chỉ chuyển được sang giai đoạn kế tiếp (trước khi kết thúc năm); Hội đồng TĐKT sửa được mọi giai đoạn.",
        ),
    }
}

/// What a user's unit is in a cluster year. Leader powers are not stored: they follow from the
/// unit the user works for and change when the year changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearRole {
    Leader,
    Deputy,
    Member,
}

pub fn year_role(
    unit_id: Option<i64>,
    leader: Option<i64>,
    deputy: Option<i64>,
    members: &[i64],
) -> Option<YearRole> {
    let unit = unit_id?;
    if leader == Some(unit) {
        Some(YearRole::Leader)
    } else if deputy == Some(unit) {
        Some(YearRole::Deputy)
    } else if members.contains(&unit) {
        Some(YearRole::Member)
    } else {
        None
    }
}

/// Why a leader/deputy choice is refused, in Vietnamese; field name first.
pub fn check_roles(
    leader: Option<i64>,
    deputy: Option<i64>,
    members: &[i64],
) -> Vec<(&'static str, &'static str)> {
    let mut errors = Vec::new();
    if let Some(l) = leader
        && !members.contains(&l)
    {
        errors.push((
            "leader",
            "Cụm trưởng phải là đơn vị thành viên của năm thi đua này.",
        ));
    }
    if let Some(d) = deputy
        && !members.contains(&d)
    {
        errors.push((
            "deputy",
            "Cụm phó phải là đơn vị thành viên của năm thi đua này.",
        ));
    }
    if leader.is_some() && leader == deputy {
        errors.push((
            "deputy",
            "Cụm trưởng và cụm phó phải là hai đơn vị khác nhau.",
        ));
    }
    errors
}

/// The members of next year: this year's, without units that are no longer active.
pub fn next_year_members(members: &[i64], inactive: &BTreeSet<i64>) -> Vec<i64> {
    members
        .iter()
        .copied()
        .filter(|m| !inactive.contains(m))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leader_powers_follow_the_unit_in_that_year() {
        let members = [1, 2, 3];
        assert_eq!(
            year_role(Some(1), Some(1), Some(2), &members),
            Some(YearRole::Leader)
        );
        assert_eq!(
            year_role(Some(2), Some(1), Some(2), &members),
            Some(YearRole::Deputy)
        );
        assert_eq!(
            year_role(Some(3), Some(1), Some(2), &members),
            Some(YearRole::Member)
        );
        assert_eq!(year_role(Some(4), Some(1), Some(2), &members), None);
        assert_eq!(year_role(None, Some(1), Some(2), &members), None);
        // Next year another unit leads, and the old leader is a plain member.
        assert_eq!(
            year_role(Some(1), Some(2), Some(3), &members),
            Some(YearRole::Member)
        );
    }

    #[test]
    fn leader_and_deputy_must_be_members_and_differ() {
        let members = [1, 2, 3];
        assert!(check_roles(Some(1), Some(2), &members).is_empty());
        assert!(check_roles(None, None, &members).is_empty());
        assert_eq!(check_roles(Some(9), None, &members)[0].0, "leader");
        assert_eq!(check_roles(Some(1), Some(9), &members)[0].0, "deputy");
        assert_eq!(check_roles(Some(1), Some(1), &members)[0].0, "deputy");
    }

    #[test]
    fn next_year_keeps_the_active_members() {
        let inactive: BTreeSet<i64> = [2].into_iter().collect();
        assert_eq!(next_year_members(&[1, 2, 3], &inactive), vec![1, 3]);
    }

    #[test]
    fn the_phase_follows_the_work_forward_only() {
        use WorkStep::*;
        assert_eq!(
            phase_after(Phase::Setup, PledgeOpened),
            Some(Phase::Pledging)
        );
        assert_eq!(
            phase_after(Phase::Pledging, PledgeLocked),
            Some(Phase::UnderWay)
        );
        // A year nobody moved jumps straight to where its work is.
        assert_eq!(
            phase_after(Phase::Setup, SheetSubmitted),
            Some(Phase::Scoring)
        );
        assert_eq!(phase_after(Phase::Scoring, VoteOpened), Some(Phase::Voting));
        assert_eq!(
            phase_after(Phase::Voting, DossierSent),
            Some(Phase::Proposals)
        );
        assert_eq!(phase_after(Phase::Proposals, Decided), Some(Phase::Closed));
        // Never back: a late signature or a sheet resubmitted after the vote moves nothing,
        // and a council correction to Scoring stays until a later step (a vote) is taken.
        assert_eq!(phase_after(Phase::Voting, PledgeLocked), None);
        assert_eq!(phase_after(Phase::Scoring, SheetSubmitted), None);
        assert_eq!(phase_after(Phase::Closed, Decided), None);
    }

    #[test]
    fn the_leader_moves_one_step_on_and_the_council_corrects_anything() {
        assert!(check_phase_change(Phase::Setup, Phase::Pledging, false).is_ok());
        assert!(check_phase_change(Phase::Setup, Phase::UnderWay, false).is_err());
        assert!(check_phase_change(Phase::Scoring, Phase::UnderWay, false).is_err());
        assert!(check_phase_change(Phase::Proposals, Phase::Closed, false).is_err());
        assert!(check_phase_change(Phase::Voting, Phase::Setup, true).is_ok());
        assert_eq!(Phase::Closed.next(), None);
        assert_eq!(Phase::Setup.next(), Some(Phase::Pledging));
    }

    #[test]
    fn phases_have_labels() {
        for (k, l) in PHASES {
            assert!(Phase::parse(k).is_some());
            assert_eq!(phase_label(k), l);
        }
        assert!(Phase::parse("nonsense").is_none());
        for (k, _) in PHASES {
            assert_eq!(Phase::parse(k).unwrap().as_str(), k);
        }
        assert!(Phase::parse("closed").unwrap().is_closed());
        assert!(!Phase::parse("voting").unwrap().is_closed());
        assert_eq!(kind_label("khoi"), "Khối thi đua");
    }
}
