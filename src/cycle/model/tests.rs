use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn thresholds_are_percentages_above_half() {
    assert!(threshold_ok(Decimal::from(80)));
    assert!(threshold_ok(Decimal::from(90)));
    assert!(threshold_ok(Decimal::from(100)));
    assert!(threshold_ok(Decimal::new(505, 1)));
    assert!(!threshold_ok(Decimal::from(120)));
    assert!(!threshold_ok(Decimal::from(0)));
    assert!(!threshold_ok(Decimal::from(49)));
}

#[test]
fn prerequisites_do_not_loop() {
    // 1 (Government flag) needs 2 (ministry flag); 2 needs nothing.
    let chain: BTreeMap<i64, Option<i64>> = [(1, Some(2)), (2, None), (3, None)].into();
    assert!(!prerequisite_loops(Some(3), 1, &chain));
    assert!(prerequisite_loops(Some(2), 1, &chain));
    assert!(prerequisite_loops(Some(2), 2, &chain));
    assert!(!prerequisite_loops(None, 1, &chain));
}

#[test]
fn labels_exist_for_every_code() {
    assert_eq!(target_label("collective"), "Tập thể");
    assert_eq!(level_label("grassroots"), "Cơ sở");
    assert_eq!(level_label("Cấp huyện"), "Cấp huyện");
    assert_eq!(denominator_label("present"), "Số đơn vị có mặt");
    assert_eq!(movement_kind_label("chuyen_de"), "Theo chuyên đề");
    assert!(is_movement_kind("theo_dot") && !is_movement_kind("x"));
}

#[test]
fn movement_periods() {
    assert_eq!(
        check_period("theo_dot", Some(d(2024, 1, 1)), None)
            .unwrap()
            .0,
        "ends_on"
    );
    assert!(check_period("thuong_xuyen", Some(d(2024, 1, 1)), None).is_none());
    assert_eq!(
        check_period("chuyen_de", Some(d(2024, 5, 1)), Some(d(2024, 4, 1)))
            .unwrap()
            .0,
        "ends_on"
    );
    assert_eq!(
        check_period("chuyen_de", None, None).unwrap().0,
        "starts_on"
    );
    assert_eq!(
        movement_years(d(2023, 6, 1), Some(d(2025, 1, 1))),
        (2023, Some(2025))
    );
}

#[test]
fn a_pledge_is_written_as_a_draft_then_opened_then_locked() {
    assert!(check_pledge_editable(None).is_ok());
    assert!(check_pledge_editable(Some(PledgeState::Draft)).is_ok());
    assert!(check_pledge_editable(Some(PledgeState::Open)).is_err());
    assert!(check_pledge_editable(Some(PledgeState::Locked)).is_err());
    assert!(check_open(Some(PledgeState::Draft), 0, 7).is_err());
    assert!(check_open(Some(PledgeState::Draft), 8, 0).is_err());
    assert!(check_open(Some(PledgeState::Draft), 8, 7).is_ok());
    assert!(check_open(Some(PledgeState::Open), 8, 7).is_err());
    for s in ["draft", "open", "locked"] {
        assert_eq!(PledgeState::parse(s).unwrap().as_str(), s);
    }
}

#[test]
fn members_sign_an_open_pledge_once() {
    assert!(check_sign(Some(PledgeState::Open), true, false).is_ok());
    assert!(check_sign(Some(PledgeState::Open), true, true).is_err());
    assert!(check_sign(Some(PledgeState::Open), false, false).is_err());
    assert!(check_sign(Some(PledgeState::Draft), true, false).is_err());
    assert!(check_sign(None, true, false).is_err());
    assert!(check_sign(Some(PledgeState::Locked), true, false).is_err());
}

#[test]
fn the_pledge_locks_when_every_member_has_signed() {
    let members = [1, 2, 3];
    assert!(!all_signed(&members, &[1, 3]));
    assert_eq!(unsigned(&members, &[1, 3]), vec![2]);
    assert!(all_signed(&members, &[3, 2, 1]));
    // A unit no longer a member does not count either way.
    assert!(all_signed(&members, &[1, 2, 3, 9]));
    assert!(!all_signed(&[], &[]));
}

#[test]
fn last_years_text_moves_to_this_year() {
    assert_eq!(
        carry_text(
            "Hoàn thành các chỉ tiêu năm 2024 theo Nghị quyết số 33/2021/QH15",
            2024,
            2025
        ),
        "Hoàn thành các chỉ tiêu năm 2025 theo Nghị quyết số 33/2021/QH15"
    );
    assert_eq!(
        carry_text("Kế hoạch số 12/2024/KH", 2024, 2025),
        "Kế hoạch số 12/2024/KH"
    );
}

#[test]
fn items_move_one_place_at_a_time() {
    assert_eq!(moved(&[1, 2, 3], 2, true), Some(vec![2, 1, 3]));
    assert_eq!(moved(&[1, 2, 3], 2, false), Some(vec![1, 3, 2]));
    assert_eq!(moved(&[1, 2, 3], 1, true), None);
    assert_eq!(moved(&[1, 2, 3], 3, false), None);
    assert_eq!(moved(&[1, 2, 3], 9, false), None);
}

#[test]
fn registrations_go_draft_submitted_returned_submitted() {
    use RegistrationState::*;
    let today = d(2024, 1, 20);
    assert!(check_submit(None, None, today, true).is_ok());
    assert!(check_submit(Some(Draft), Some(d(2024, 1, 20)), today, true).is_ok());
    assert!(check_submit(Some(Returned), None, today, true).is_ok());
    assert_eq!(
        check_submit(Some(Submitted), None, today, true)
            .unwrap_err()
            .0,
        "submit"
    );
    assert_eq!(
        check_submit(Some(Draft), None, today, false).unwrap_err().0,
        "award_type_id"
    );
    let late = check_submit(Some(Draft), Some(d(2024, 1, 19)), today, true).unwrap_err();
    assert_eq!(late.0, "submit");
    assert!(late.1.contains("19/01/2024"));

    assert!(check_return(Some(Submitted), "Bổ sung sáng kiến").is_ok());
    assert!(check_return(Some(Submitted), "   ").is_err());
    assert!(check_return(Some(Draft), "x").is_err());
    assert!(check_return(Some(Returned), "x").is_err());

    assert!(check_registration_editable(None).is_ok());
    assert!(check_registration_editable(Some(Draft)).is_ok());
    assert!(check_registration_editable(Some(Returned)).is_ok());
    assert!(check_registration_editable(Some(Submitted)).is_err());
    assert_eq!(registration_label(None), "Chưa lập");
    for s in ["draft", "submitted", "returned"] {
        assert_eq!(RegistrationState::parse(s).unwrap().as_str(), s);
    }
}

#[test]
fn deadlines_include_their_day() {
    assert!(!deadline_passed(None, d(2030, 1, 1)));
    assert!(!deadline_passed(Some(d(2024, 1, 31)), d(2024, 1, 31)));
    assert!(deadline_passed(Some(d(2024, 1, 31)), d(2024, 2, 1)));
}

#[test]
fn paper_signatures_are_recorded_only_for_unsigned_members_of_an_open_pledge() {
    let open = Some(PledgeState::Open);
    assert!(check_paper_sign(open, true, false).is_ok());
    assert_eq!(
        check_paper_sign(open, true, true),
        Err("Đơn vị này đã ký giao ước.")
    );
    assert_eq!(
        check_paper_sign(open, false, false),
        Err("Hãy chọn một đơn vị thành viên chưa ký.")
    );
    assert!(check_paper_sign(Some(PledgeState::Draft), true, false).is_err());
    assert!(check_paper_sign(Some(PledgeState::Locked), true, false).is_err());
    assert!(check_paper_sign(None, true, false).is_err());
}

#[test]
fn titles_and_forms_of_commendation_are_told_apart() {
    assert!(is_commendation("Bằng khen của Thủ tướng Chính phủ"));
    assert!(is_commendation("Giấy khen"));
    assert!(is_commendation("Huân chương Lao động hạng Ba"));
    assert!(!is_commendation("Cờ thi đua của Chính phủ"));
    assert!(!is_commendation("Tập thể lao động xuất sắc"));
}
