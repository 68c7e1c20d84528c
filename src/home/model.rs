//! What the home page asks of a unit beyond its own sheet and registration: the leader's
//! setting-up of the year, and the votes waiting for the unit's ballot. Pure: the facts come in,
//! the task lines go out.

use chrono::NaiveDate;

use super::store::YearProgress;
use crate::scoring::tasks::Task;

/// One open year of the unit, as the home page sees it.
pub struct YearFacts<'a> {
    pub id: i64,
    /// "Cụm … năm 2026".
    pub label: String,
    /// The unit leads the year (cụm trưởng).
    pub leads: bool,
    /// The user is the unit's head: the one who casts its ballot.
    pub head: bool,
    pub criteria_table: bool,
    pub scoring_deadline: Option<NaiveDate>,
    pub registration_deadline: Option<NaiveDate>,
    pub progress: &'a YearProgress,
}

fn task(text: String, href: String, urgent: bool) -> Task {
    Task { text, href, urgent }
}

/// The leader's steps of the year, in the order the year takes them, while they are not done:
/// the pledge, the registration deadline, the criteria table and the scoring deadline, and the
/// vote once every sheet is final.
pub fn leader_tasks(f: &YearFacts) -> Vec<Task> {
    if !f.leads {
        return Vec::new();
    }
    let (p, id, label) = (f.progress, f.id, &f.label);
    let mut out = Vec::new();
    let pledge = format!("/years/{id}/pledge");
    match p.pledge_state.as_deref() {
        None | Some("draft") if p.pledge_items == 0 => out.push(task(
            format!("Soạn nội dung giao ước thi đua (hoặc sao chép từ năm trước) — {label}"),
            pledge,
            false,
        )),
        None | Some("draft") => out.push(task(
            format!(
                "Mở ký giao ước thi đua ({} nội dung đã soạn) — {label}",
                p.pledge_items
            ),
            pledge,
            false,
        )),
        Some("open") if p.signed < p.members => out.push(task(
            format!(
                "Giao ước thi đua đang ký: {}/{} đơn vị đã ký — {label}",
                p.signed, p.members
            ),
            pledge,
            false,
        )),
        _ => {}
    }
    if f.registration_deadline.is_none() {
        out.push(task(
            format!("Đặt hạn đăng ký thi đua cho các đơn vị thành viên — {label}"),
            format!("/years/{id}/registrations"),
            false,
        ));
    }
    let scoring = format!("/years/{id}/scoring");
    if !f.criteria_table {
        out.push(task(
            format!("Chọn bảng tiêu chí chấm điểm của năm — {label}"),
            scoring.clone(),
            false,
        ));
    }
    if f.scoring_deadline.is_none() {
        out.push(task(
            format!("Đặt hạn nộp bảng tự chấm điểm — {label}"),
            scoring,
            false,
        ));
    }
    if p.members > 0 && p.finalised == p.members && p.award_votes == 0 {
        out.push(task(
            format!(
                "Mọi bảng điểm đã thẩm định xong: tổ chức bình xét, biểu quyết đề nghị khen \
                 thưởng — {label}"
            ),
            format!("/years/{id}/votes"),
            true,
        ));
    }
    out
}

/// The year's open votes: the head casts the unit's ballot online; the officer sees that it is
/// waiting; the leader enters the count of a paper vote.
pub fn vote_tasks(f: &YearFacts) -> Vec<Task> {
    let p = f.progress;
    let mut out = Vec::new();
    for (i, id) in p.open_vote_ids.iter().enumerate() {
        let title = p.open_vote_titles.get(i).map(String::as_str).unwrap_or("");
        let online = p.open_vote_online.get(i).copied().unwrap_or(true);
        let voted = p.open_vote_voted.get(i).copied().unwrap_or(false);
        let href = format!("/votes/{id}");
        let label = &f.label;
        if !online {
            if f.leads {
                out.push(task(
                    format!("Nhập kết quả kiểm phiếu giấy: {title} — {label}"),
                    href,
                    true,
                ));
            }
        } else if voted {
            out.push(task(
                format!("Đơn vị đã bỏ phiếu: {title} — {label}"),
                href,
                false,
            ));
        } else if f.head {
            out.push(task(format!("Bỏ phiếu kín: {title} — {label}"), href, true));
        } else {
            out.push(task(
                format!("Chờ thủ trưởng đơn vị bỏ phiếu: {title} — {label}"),
                href,
                false,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(p: &YearProgress, leads: bool, head: bool) -> YearFacts<'_> {
        YearFacts {
            id: 7,
            label: "Cụm thi đua số I năm 2026".into(),
            leads,
            head,
            criteria_table: false,
            scoring_deadline: None,
            registration_deadline: None,
            progress: p,
        }
    }

    fn texts(t: &[Task]) -> Vec<&str> {
        t.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn a_new_year_asks_the_leader_for_the_pledge_the_deadlines_and_the_table() {
        let p = YearProgress {
            members: 6,
            ..Default::default()
        };
        let t = leader_tasks(&facts(&p, true, true));
        let t = texts(&t);
        assert_eq!(t.len(), 4, "{t:?}");
        assert!(t[0].starts_with("Soạn nội dung giao ước"));
        assert!(t[1].starts_with("Đặt hạn đăng ký thi đua"));
        assert!(t[2].starts_with("Chọn bảng tiêu chí"));
        assert!(t[3].starts_with("Đặt hạn nộp bảng tự chấm điểm"));
        // A member that does not lead sees none of it.
        assert!(leader_tasks(&facts(&p, false, true)).is_empty());
    }

    #[test]
    fn done_steps_leave_the_list_and_the_vote_follows_the_last_sheet() {
        let mut p = YearProgress {
            members: 6,
            pledge_state: Some("open".into()),
            pledge_items: 5,
            signed: 4,
            ..Default::default()
        };
        let set_up = |p: &YearProgress| {
            let mut f = facts(p, true, false);
            f.criteria_table = true;
            f.scoring_deadline = NaiveDate::from_ymd_opt(2026, 11, 30);
            f.registration_deadline = NaiveDate::from_ymd_opt(2026, 3, 31);
            leader_tasks(&f)
        };
        assert_eq!(
            texts(&set_up(&p)),
            ["Giao ước thi đua đang ký: 4/6 đơn vị đã ký — Cụm thi đua số I năm 2026"]
        );
        p.signed = 6;
        p.pledge_state = Some("locked".into());
        p.finalised = 6;
        let t = set_up(&p);
        assert_eq!(t.len(), 1);
        assert!(t[0].text.contains("tổ chức bình xét") && t[0].urgent);
        p.award_votes = 1;
        assert!(set_up(&p).is_empty());
    }

    #[test]
    fn an_open_vote_asks_the_head_for_the_ballot_and_tells_the_officer() {
        let p = YearProgress {
            open_vote_ids: vec![3, 4],
            open_vote_titles: vec!["Bình xét khen thưởng".into(), "Bầu cụm trưởng".into()],
            open_vote_online: vec![true, true],
            open_vote_voted: vec![false, true],
            ..Default::default()
        };
        let head = vote_tasks(&facts(&p, false, true));
        assert_eq!(head.len(), 2);
        assert!(head[0].text.starts_with("Bỏ phiếu kín: Bình xét") && head[0].urgent);
        assert_eq!(head[0].href, "/votes/3");
        assert!(head[1].text.starts_with("Đơn vị đã bỏ phiếu: Bầu") && !head[1].urgent);
        let officer = vote_tasks(&facts(&p, false, false));
        assert!(officer[0].text.starts_with("Chờ thủ trưởng") && !officer[0].urgent);
    }

    #[test]
    fn a_paper_vote_is_the_leaders_to_count() {
        let p = YearProgress {
            open_vote_ids: vec![3],
            open_vote_titles: vec!["Bình xét".into()],
            open_vote_online: vec![false],
            open_vote_voted: vec![false],
            ..Default::default()
        };
        assert!(vote_tasks(&facts(&p, false, true)).is_empty());
        assert!(
            vote_tasks(&facts(&p, true, true))[0]
                .text
                .contains("phiếu giấy")
        );
    }
}
