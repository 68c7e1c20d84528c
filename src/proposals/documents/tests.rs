use super::super::templates::defaults;
use super::*;

fn nominee(unit: &str, award: &str, votes: i32) -> Nominee {
    Nominee {
        award_type_id: 1,
        award_name: award.into(),
        unit_id: 1,
        unit_name: unit.into(),
        votes_for: votes,
        votes_against: 7 - votes,
        ballots: 7,
        members: 7,
        percent: crate::voting::model::percent(votes as u32, 7),
        score: Some(Decimal::new(9650, 2)),
        rank: Some(1),
    }
}

fn dossier() -> Dossier {
    let d = defaults();
    let members: Vec<String> = (1..=7).map(|i| format!("Đơn vị {i}")).collect();
    Dossier {
        id: 9,
        citation: "Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định số 98/2023/NĐ-CP".into(),
        tenant_name: "Ủy ban nhân dân tỉnh Lạng Sơn".into(),
        superior: "UBND tỉnh Lạng Sơn".into(),
        place: "Lạng Sơn".into(),
        cluster: "Cụm thi đua các cơ quan Nội chính tỉnh".into(),
        year: 2023,
        leader_unit: "Tòa án nhân dân tỉnh Lạng Sơn".into(),
        leader_head_title: "Chánh án".into(),
        leader_head_name: "Nguyễn Văn An".into(),
        number: "05/TTr-CTĐ".into(),
        letter_date: NaiveDate::from_ymd_opt(2023, 12, 20),
        meeting_date: NaiveDate::from_ymd_opt(2023, 12, 15),
        meeting_time: "08 giờ 00".into(),
        meeting_place: "Hội trường Tòa án nhân dân tỉnh".into(),
        chair: "Nguyễn Văn An".into(),
        secretary: "Lê Thị Bình".into(),
        cover_text: Map::new(),
        minutes_text: Map::new(),
        nominees: vec![
            nominee("Đơn vị 1", "Cờ thi đua của Bộ, ban, ngành, tỉnh", 7),
            nominee("Đơn vị 2", "Bằng khen của Bộ, ban, ngành, tỉnh", 6),
        ],
        voted_online: members[..6].to_vec(),
        voted_written: vec![members[6].clone()],
        members,
        paper: false,
        counting_committee: String::new(),
        committee: vec![
            "Nguyễn Văn A (Đơn vị 1)".into(),
            "Trần Thị B (Đơn vị 2)".into(),
        ],
        leading_unit: Some((
            "Đơn vị 1".into(),
            "Cờ thi đua của Bộ, ban, ngành, tỉnh".into(),
        )),
        ballots: 7,
        received: 7,
        invalid: 0,
        lines: vec![VoteLine {
            unit_name: "Đơn vị 1".into(),
            award: "Cờ thi đua của Bộ, ban, ngành, tỉnh".into(),
            votes_for: 7,
            votes_against: 0,
            percent: Decimal::from(100),
            outcome: "Đạt".into(),
            denominator: 7,
            of_all_members: true,
        }],
        earlier_rounds: Vec::new(),
        withdrawn: Vec::new(),
        election: None,
        cover: d[0].sections.clone(),
        minutes: d[1].sections.clone(),
        list: d[3].sections.clone(),
    }
}

#[test]
fn the_cover_letter_carries_the_vote_and_the_fields() {
    let t = dossier().cover_letter().plain_text();
    assert!(t.contains("TỜ TRÌNH"));
    assert!(t.contains("Về việc đề nghị khen thưởng năm 2023"));
    assert!(t.contains("Lạng Sơn, ngày 20 tháng 12 năm 2023"));
    assert!(t.contains("Số: 05/TTr-CTĐ"));
    assert!(t.contains("với 7/7 đơn vị thành viên tham gia bỏ phiếu"));
    // The legal basis is the rule set's of the dossier's date, not a fixed decree.
    assert!(
        t.contains("Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định số 98/2023/NĐ-CP;")
    );
    assert!(t.contains("1. Đề nghị tặng Cờ thi đua của Bộ, ban, ngành, tỉnh:"));
    assert!(t.contains("- Đơn vị 2 (đạt 85,71% số phiếu đồng ý: 6/7 đơn vị thành viên)."));
    assert!(!t.contains('{'), "every field is filled: {t}");
    // The cluster's managing agency above it, not the council; the leader's head signs for
    // the cluster, a collective body, in their own title.
    assert!(t.starts_with("UBND TỈNH LẠNG SƠN\nCỤM THI ĐUA CÁC CƠ QUAN NỘI CHÍNH TỈNH"));
    assert!(t.contains("TM. CỤM THI ĐUA CÁC CƠ QUAN NỘI CHÍNH TỈNH\nCHÁNH ÁN\nNguyễn Văn An"));
    assert!(!t.contains("TM. ĐƠN VỊ"));
}

#[test]
fn the_leaders_words_replace_the_template_but_not_the_figures() {
    let mut d = dossier();
    d.cover_text.insert(
        "request".into(),
        Value::String("Chúng tôi đề nghị ({so_phieu} phiếu):".into()),
    );
    let t = d.cover_letter().plain_text();
    assert!(t.contains("Chúng tôi đề nghị (7 phiếu):"));
    assert!(t.contains("- Đơn vị 1 (đạt 100% số phiếu đồng ý: 7/7"));
}

#[test]
fn the_minutes_name_who_voted_how_many_and_the_result() {
    let t = dossier().minutes().plain_text();
    assert!(t.contains("BIÊN BẢN"));
    assert!(t.contains("Vào hồi 08 giờ 00, ngày 15 tháng 12 năm 2023, tại Hội trường"));
    assert!(t.contains("Tham gia bỏ phiếu: 7/7 đơn vị."));
    assert!(t.contains("có ý kiến bằng văn bản của thủ trưởng: Đơn vị 7."));
    assert!(t.contains(
        "1 | Đơn vị 1 | Cờ thi đua của Bộ, ban, ngành, tỉnh | 7 | 0 | 100% | 7 đơn vị thành viên | Đạt"
    ));
    assert!(t.contains("Cuộc họp không tiến hành bầu cụm trưởng, cụm phó."));
    // Issue 11, item 4: the counts, the committee online, and the result worded "dẫn đầu".
    assert!(t.contains(
        "Số phiếu phát ra: 7; số phiếu thu về: 7; số phiếu hợp lệ: 7; số phiếu không hợp lệ: 0"
    ));
    assert!(t.contains(
        "Ban kiểm phiếu (giữ khóa giải mã, cùng kiểm phiếu): Nguyễn Văn A (Đơn vị 1), Trần Thị B (Đơn vị 2)."
    ));
    assert!(t.contains(
        "Kết quả: Đơn vị 1 được suy tôn là đơn vị dẫn đầu Cụm thi đua các cơ quan Nội chính tỉnh năm 2023"
    ), "{t}");
    assert!(t.contains("V. BẦU CỤM TRƯỞNG, CỤM PHÓ NĂM 2024"));
    assert!(t.contains("Lê Thị Bình") && t.contains("CHỦ TRÌ"));
}

#[test]
fn the_list_has_a_row_per_nominee() {
    let t = dossier().nominee_list().plain_text();
    assert!(t.contains("(Kèm theo Tờ trình số 05/TTr-CTĐ ngày 20 tháng 12 năm 2023)"));
    assert!(
        t.contains("1 | Đơn vị 1 | Cờ thi đua của Bộ, ban, ngành, tỉnh | 96,5 | 1 | 100% (7/7)")
    );
    assert!(t.contains("2 | Đơn vị 2 |"));
}

#[test]
fn a_withdrawn_nominee_leaves_the_letter_and_the_list_and_the_minutes_record_it() {
    let mut d = dossier();
    let gone = d.nominees.remove(0);
    d.withdrawn.push(Withdrawn {
        award_type_id: gone.award_type_id,
        award_name: gone.award_name.clone(),
        unit_id: gone.unit_id,
        unit_name: gone.unit_name.clone(),
        reason: "Vượt tỷ lệ cờ của Hội đồng".into(),
    });
    let letter = d.cover_letter().plain_text();
    assert!(!letter.contains("Đơn vị 1"), "{letter}");
    assert!(letter.contains("Đơn vị 2"));
    let list = d.nominee_list().plain_text();
    assert!(!list.contains("Đơn vị 1"), "{list}");
    let minutes = d.minutes().plain_text();
    // The vote stays as it was voted; the withdrawal is noted under it.
    assert!(
        minutes.contains(
            "1 | Đơn vị 1 | Cờ thi đua của Bộ, ban, ngành, tỉnh | 7 | 0 | 100% | 7 đơn vị thành viên | Đạt"
        )
    );
    assert!(minutes.contains("Ghi chú bổ sung sau cuộc họp"));
    assert!(minutes.contains(
        "- Đơn vị 1 (Cờ thi đua của Bộ, ban, ngành, tỉnh); lý do: Vượt tỷ lệ cờ của Hội đồng"
    ));
}
