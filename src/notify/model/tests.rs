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
    let due: Vec<(u32, i32)> = (1..=20)
        .filter_map(|day| s.due(deadline, d(2025, 12, day)).map(|x| (day, x)))
        .collect();
    assert_eq!(due, vec![(3, 7), (7, 3), (9, 1), (11, -1)]);
    let none = Schedule {
        days_before: vec![],
        day_after: false,
    };
    assert_eq!(none.due(deadline, d(2025, 12, 9)), None);
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
    fn a_day_is_due_only_when_chosen(days in proptest::collection::vec(1i32..60, 0..6),
                                     after in any::<bool>(), offset in -90i64..90) {
        let s = Schedule { days_before: days.clone(), day_after: after };
        let deadline = d(2025, 6, 30);
        let today = deadline - chrono::Duration::days(offset);
        match s.due(deadline, today) {
            Some(x) => {
                prop_assert_eq!(x as i64, offset);
                prop_assert!(days.contains(&x) || (x == -1 && after));
            }
            None => prop_assert!(!(days.contains(&(offset as i32)) || (offset == -1 && after))),
        }
    }

    #[test]
    fn any_typed_days_parse_back_from_their_text(days in proptest::collection::vec(1i32..=60, 0..10)) {
        let s = Schedule { days_before: parse_days(&days.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ")).unwrap(), day_after: true };
        prop_assert_eq!(parse_days(&s.days_text()).unwrap(), s.days_before);
    }
}
