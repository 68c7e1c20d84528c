use rust_decimal::Decimal;

use super::*;
use crate::org::model::Phase;
use crate::scoring::model::{Ranked, Totals};

fn year() -> ClusterYear {
    ClusterYear {
        id: 9,
        cluster_id: 3,
        cluster_name: "Cụm thi đua số I".into(),
        cluster_superior: String::new(),
        kind: "cum".into(),
        year: 2026,
        phase: Phase::Scoring,
        leader_unit_id: Some(1),
        deputy_unit_id: Some(2),
        leader_name: Some("Sở Tư pháp".into()),
        deputy_name: Some("Sở Nội vụ".into()),
        criteria_table_id: Some(1),
        scoring_deadline: None,
        registration_deadline: None,
        results_version: 1,
        council_version: 0,
    }
}

fn member(id: i64, name: &str) -> MemberRow {
    MemberRow {
        unit_id: id,
        name: name.into(),
        short_name: String::new(),
        head_name: format!("Thủ trưởng {id}"),
        head_title: "Giám đốc Sở".into(),
        active: true,
    }
}

fn totals(total: i64, percent: i64) -> Totals {
    Totals {
        standard: Decimal::from(total),
        bonus: Decimal::ZERO,
        penalty: Decimal::ZERO,
        total: Decimal::from(total),
        applicable_max: Decimal::from(100),
        percent: Decimal::from(percent),
        by_section: Vec::new(),
        has_zero: false,
    }
}

fn result(id: i64, name: &str, verified: Option<i64>, rank: usize) -> UnitResult {
    UnitResult {
        unit_id: id,
        name: name.into(),
        short_name: String::new(),
        status: if verified.is_some() {
            SheetStatus::Finalised
        } else {
            SheetStatus::Submitted
        },
        sheet_id: Some(id),
        claimed: totals(96, 96),
        verified: verified.map(|v| totals(v, v)),
        rank: verified.map(|_| Ranked {
            unit_id: id,
            rank,
            tied: false,
        }),
        rating: verified.map(|_| "Xuất sắc".into()),
        deadline: None,
        days_late: 0,
    }
}

#[test]
fn the_report_tells_the_year_from_its_figures_in_rank_order() {
    let y = year();
    let members = [
        member(1, "Sở Tư pháp"),
        member(2, "Sở Nội vụ"),
        member(3, "Sở Tài chính"),
    ];
    let results = [
        result(1, "Sở Tư pháp", Some(90), 2),
        result(2, "Sở Nội vụ", Some(95), 1),
        result(3, "Sở Tài chính", None, 0),
    ];
    let registered = [("Tập thể lao động xuất sắc".to_string(), 2)];
    let nominees = [Nominee {
        award: "Cờ thi đua của Ủy ban nhân dân tỉnh".into(),
        unit: "Sở Nội vụ".into(),
        percent: Decimal::from(100),
    }];
    let written = Written {
        strengths: "Các đơn vị hoàn thành xuất sắc nhiệm vụ.".into(),
        ..Default::default()
    };
    let d = report(&Facts {
        body: "Hội đồng Thi đua - Khen thưởng thành phố Hải Phòng",
        y: &y,
        members: &members,
        pledge: Some(PledgeFacts {
            items: 5,
            signed: 3,
            on: NaiveDate::from_ymd_opt(2026, 1, 20),
        }),
        registered: &registered,
        results: Some(&results),
        nominees: &nominees,
        next: Some((Some("Sở Nội vụ".into()), None)),
        written: &written,
        place: "Hải Phòng",
        dated: NaiveDate::from_ymd_opt(2026, 12, 15).unwrap(),
    });
    let text = d.plain_text();
    assert!(
        text.contains("Năm 2026, Cụm thi đua số I gồm 3 đơn vị"),
        "{text}"
    );
    assert!(text.contains("Sở Tư pháp là cụm trưởng, Sở Nội vụ là cụm phó"));
    assert!(text.contains("gồm 5 nội dung; 3/3 đơn vị đã ký (ngày 20/01/2026)"));
    assert!(text.contains("2 đơn vị đăng ký danh hiệu “Tập thể lao động xuất sắc”"));
    assert!(text.contains("thẩm định bảng tự chấm điểm của 2/3 đơn vị"));
    // Rank 1 comes first, whatever order the results came in; the unverified unit is not ranked.
    let first = text
        .find("1 | Sở Nội vụ | 96 | 95 | 95% | 1 | Xuất sắc")
        .expect(&text);
    let second = text
        .find("2 | Sở Tư pháp | 96 | 90 | 90% | 2")
        .expect(&text);
    assert!(first < second);
    assert!(!text.contains("| Sở Tài chính |"));
    // No percentage above 100, so no note about bonus points.
    assert!(!text.contains("điểm thưởng"));
    assert!(text.contains("Các đơn vị hoàn thành xuất sắc nhiệm vụ."));
    // What the leader has not written leaves a line to write on.
    assert!(text.contains(BLANK));
    assert!(text.contains("1 | Sở Nội vụ | Cờ thi đua của Ủy ban nhân dân tỉnh | 100%"));
    assert!(text.contains("Hội nghị đã bầu Sở Nội vụ làm cụm trưởng Cụm thi đua số I năm 2027."));
    assert!(text.contains("PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027"));
    assert!(text.contains("- Hội đồng Thi đua - Khen thưởng thành phố Hải Phòng;"));
    assert_eq!(d.signatures[0].name, "Thủ trưởng 1");
    assert_eq!(d.signatures[0].titles[1], "GIÁM ĐỐC SỞ");
}

#[test]
fn a_year_without_figures_says_so_instead_of_printing_empty_tables() {
    let y = year();
    let members = [member(1, "Sở Tư pháp")];
    let written = Written::default();
    let d = report(&Facts {
        body: "Hội đồng Thi đua - Khen thưởng thành phố Hải Phòng",
        y: &y,
        members: &members,
        pledge: None,
        registered: &[],
        results: None,
        nominees: &[],
        next: None,
        written: &written,
        place: "",
        dated: NaiveDate::from_ymd_opt(2026, 12, 15).unwrap(),
    });
    let text = d.plain_text();
    assert!(text.contains("Cụm chưa ký kết giao ước thi đua năm 2026."));
    assert!(text.contains("Chưa có đơn vị nào nộp đăng ký thi đua."));
    assert!(text.contains("Năm thi đua chưa có bảng tiêu chí chấm điểm."));
    assert!(text.contains("Hội nghị chưa bình xét, suy tôn đề nghị khen thưởng."));
    assert!(!d.blocks.iter().any(|b| matches!(b, Block::Table { .. })));
}

#[test]
fn a_percentage_above_100_is_explained_by_the_bonus() {
    let y = year();
    let members = [member(1, "Sở Tư pháp")];
    let results = [result(1, "Sở Tư pháp", Some(102), 1)];
    let written = Written::default();
    let d = report(&Facts {
        body: "Hội đồng Thi đua - Khen thưởng thành phố Hải Phòng",
        y: &y,
        members: &members,
        pledge: None,
        registered: &[],
        results: Some(&results),
        nominees: &[],
        next: None,
        written: &written,
        place: "",
        dated: NaiveDate::from_ymd_opt(2026, 12, 15).unwrap(),
    });
    assert!(
        d.plain_text()
            .contains("Tỷ lệ trên 100% là do có điểm thưởng.")
    );
}
