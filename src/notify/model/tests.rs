//! The wording and the reminder schedule, by example and by property.

use super::*;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn place() -> Place {
    Place {
        cluster: "Cụm thi đua các cơ quan Nội chính tỉnh".into(),
        year: 2025,
        unit: "Công an tỉnh Lạng Sơn".into(),
    }
}

#[test]
fn a_returned_sheet_names_the_unit_the_year_and_the_reason() {
    let n = note(
        &Event::SheetReturned {
            reason: "Thiếu minh chứng mục 2.1",
        },
        &place(),
    );
    assert_eq!(n.kind, "sheet_returned");
    assert_eq!(
        n.title,
        "Bảng điểm Cụm thi đua các cơ quan Nội chính tỉnh năm 2025 của Công an tỉnh Lạng Sơn bị trả lại"
    );
    assert_eq!(n.body, "Lý do: Thiếu minh chứng mục 2.1");
}

#[test]
fn a_ballot_receipt_carries_its_code_and_an_account_note_never_a_password() {
    let n = note(
        &Event::BallotRecorded {
            vote: "Bình xét Cờ thi đua",
            receipt: "AB12-CD34",
        },
        &place(),
    );
    assert!(n.body.contains("AB12-CD34"));
    let n = note(
        &Event::AccountCreated {
            username: "canbo.x",
        },
        &place(),
    );
    assert_eq!(n.title, "Đã tạo tài khoản canbo.x");
    assert!(n.body.contains("Mật khẩu một lần đã hiển thị cho bạn"));
}

#[test]
fn verified_figures_are_listed_or_said_to_be_unchanged() {
    let none: Vec<String> = vec![];
    assert_eq!(
        note(&Event::SheetVerified { changes: &none }, &place()).body,
        "Không có điểm nào được điều chỉnh."
    );
    let some = vec!["2.1: 48 → 45 (thiếu minh chứng)".to_string()];
    assert!(
        note(&Event::SheetVerified { changes: &some }, &place())
            .body
            .contains("2.1: 48 → 45")
    );
}

#[test]
fn reminders_say_how_long_is_left() {
    assert_eq!(when(3), "còn 3 ngày");
    assert_eq!(when(0), "hôm nay là hạn");
    assert_eq!(when(-1), "đã quá hạn 1 ngày");
    let late = vec!["A".to_string(), "B".to_string()];
    let n = note(
        &Event::LateSummary {
            deadline: Deadline::Scoring,
            date: d(2025, 11, 30),
            days_before: -1,
            late: &late,
        },
        &place(),
    );
    assert!(n.title.starts_with("2 đơn vị chưa gửi bảng tự chấm điểm"));
    assert!(n.body.contains("30/11/2025") && n.body.contains("A, B"));
}

#[test]
fn the_default_schedule_is_seven_three_one_days_before_and_the_day_after() {
    let s = Schedule::default();
    let deadline = d(2025, 12, 10);
    // On each day, the chosen day whose reminder is due (claimed once) and the days left.
    let due: Vec<(u32, i32, i32)> = (1..=20)
        .filter_map(|day| {
            s.due(deadline, d(2025, 12, day))
                .map(|x| (day, x.day, x.left))
        })
        .collect();
    assert_eq!(
        due,
        vec![
            (3, 7, 7),
            (4, 7, 6),
            (5, 7, 5),
            (6, 7, 4),
            (7, 3, 3),
            (8, 3, 2),
            (9, 1, 1),
            (10, 1, 0),
            (11, -1, -1),
            (12, -1, -2),
            (13, -1, -3),
            (14, -1, -4),
            (15, -1, -5),
            (16, -1, -6),
            (17, -1, -7),
            (18, -1, -8),
        ]
    );
    let none = Schedule {
        days_before: vec![],
        day_after: false,
    };
    assert_eq!(none.due(deadline, d(2025, 12, 9)), None);
}

#[test]
fn a_missed_day_is_caught_up_as_the_latest_chosen_day_only() {
    let s = Schedule::default();
    let deadline = d(2025, 12, 10);
    // Down on the 7th: the 8th sends the three-day reminder, two days before.
    assert_eq!(
        s.due(deadline, d(2025, 12, 8)),
        Some(Due { day: 3, left: 2 })
    );
    // Down from the 3rd to the 9th: the 10th sends the one-day reminder, not the 7 and 3.
    assert_eq!(
        s.due(deadline, d(2025, 12, 10)),
        Some(Due { day: 1, left: 0 })
    );
    // A week and a day after the day after, it is too late to remind.
    assert_eq!(s.due(deadline, d(2025, 12, 19)), None);
}

#[test]
fn typed_days_are_read_or_refused_with_a_message() {
    assert_eq!(parse_days("7, 3, 1"), Ok(vec![7, 3, 1]));
    assert_eq!(parse_days("1;14 7 7"), Ok(vec![14, 7, 1]));
    assert_eq!(parse_days(""), Ok(vec![]));
    assert!(parse_days("7, ba").unwrap_err().contains("“ba”"));
    assert!(parse_days("0").is_err());
    assert!(parse_days("61").is_err());
}

#[test]
fn long_reasons_are_cut_to_the_table_limits() {
    let reason = "ạ".repeat(5000);
    let n = note(&Event::SheetReturned { reason: &reason }, &place());
    assert_eq!(n.body.chars().count(), 4000);
    assert!(n.body.ends_with('…'));
}

proptest! {
    #[test]
    fn the_due_day_is_the_latest_chosen_day_that_has_come(
        days in proptest::collection::vec(1i32..60, 0..6),
        after in any::<bool>(),
        offset in -90i64..90,
    ) {
        let s = Schedule { days_before: days.clone(), day_after: after };
        let chosen = |x: i32| days.contains(&x) || (x == -1 && after);
        let deadline = d(2025, 6, 30);
        let today = deadline - chrono::Duration::days(offset);
        let left = offset as i32;
        match s.due(deadline, today) {
            Some(x) => {
                prop_assert_eq!(x.left, left);
                prop_assert!(chosen(x.day));
                prop_assert!(x.day >= left && x.day - left <= CATCH_UP_DAYS);
                // No chosen day between it and today: it is the latest.
                prop_assert!(!(left..x.day).any(chosen));
            }
            None => prop_assert!(!(left..=left + CATCH_UP_DAYS).any(chosen)),
        }
    }

    #[test]
    fn any_typed_days_parse_back_from_their_text(days in proptest::collection::vec(1i32..=60, 0..10)) {
        let s = Schedule { days_before: parse_days(&days.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ")).unwrap(), day_after: true };
        prop_assert_eq!(parse_days(&s.days_text()).unwrap(), s.days_before);
    }
}
