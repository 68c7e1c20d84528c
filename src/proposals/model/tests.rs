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
        state: ProposalState::parse(state).unwrap(),
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
fn a_decision_gives_the_government_flag_only_to_the_councils_choice_within_the_share() {
    let share = Decimal::from(20);
    // 11 leading units: 20% is 2 (rounded down). The council chose units 7 (cluster year 1)
    // and 8 (cluster year 2).
    let chosen = [(1, 7), (2, 8)];
    assert_eq!(
        check_government_flags(share, 11, &chosen, 1, &[(7, "A")]),
        Ok(())
    );
    assert_eq!(
        check_government_flags(share, 11, &chosen, 2, &[(8, "B")]),
        Ok(())
    );
    // Not chosen, or chosen for another cluster than the dossier's.
    let not_chosen = |unit: &str| {
        Err(FlagsRefused::NotChosen {
            unit: unit.to_string(),
        })
    };
    assert_eq!(
        check_government_flags(share, 11, &chosen, 1, &[(9, "C")]),
        not_chosen("C")
    );
    assert_eq!(
        check_government_flags(share, 11, &chosen, 1, &[(8, "B")]),
        not_chosen("B")
    );
    // A choice made under a higher share is over today's: 4 leading units allow none.
    let e = check_government_flags(share, 4, &chosen, 1, &[(7, "A")]).unwrap_err();
    assert_eq!(
        e,
        FlagsRefused::OverShare {
            limit: 0,
            leading: 4,
            chosen: 2
        }
    );
    assert_eq!(
        e.message(2024, share),
        "Cờ thi đua của Chính phủ năm 2024 không được quá 20% số tập thể được bình xét dẫn đầu \
         các cụm, khối thi đua (4 tập thể): tối đa 0, Hội đồng đã chọn 2."
    );
    assert!(
        not_chosen("C")
            .unwrap_err()
            .message(2024, share)
            .starts_with(
                "C không có trong lựa chọn Cờ thi đua của Chính phủ năm 2024 của Hội đồng"
            )
    );
    // A decision without flags passes whatever was chosen.
    assert_eq!(check_government_flags(share, 4, &chosen, 1, &[]), Ok(()));
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

#[test]
fn the_council_opens_on_the_year_with_dossiers_waiting_then_with_work_then_the_newest() {
    let y = |year, waiting, worked| CouncilYear {
        year,
        waiting,
        worked,
    };
    // December: the election has created 2025 empty while 2024's dossiers wait.
    let years = [
        y(2025, false, false),
        y(2024, true, true),
        y(2023, false, true),
    ];
    assert_eq!(year_with_work(&years), Some(2024));
    let years = [
        y(2025, false, false),
        y(2024, false, true),
        y(2023, true, true),
    ];
    assert_eq!(year_with_work(&years), Some(2023));
    let years = [y(2025, false, false), y(2024, false, true)];
    assert_eq!(year_with_work(&years), Some(2024));
    assert_eq!(year_with_work(&[y(2025, false, false)]), Some(2025));
    assert_eq!(year_with_work(&[]), None);
}
