//! Issue 17, item 13: the cluster's year-end report, drafted from the year's data. The leader
//! writes the parts only people can write, a mistake loses nothing typed, and the report prints
//! on A4 in Chromium and opens in LibreOffice with the same figures.

use crate::browser::{is_a4, print_document};
use crate::harness::TestApp;
use crate::voting::year_id;
use crate::walk::Walk;

const STRENGTHS: &str =
    "Các đơn vị đã đổi mới cách tổ chức phong trào, bám sát nhiệm vụ chuyên môn.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_leader_drafts_the_year_end_report_from_the_years_data_and_prints_it() {
    let app = TestApp::start().await;
    let y = year_id(&app, "Cụm thi đua số VI", 2019).await;
    let Some(w) = Walk::start(&app).await else {
        return;
    };
    // Cục Kế hoạch - Tài chính led Cụm VI in 2019.
    w.login("canbo.khtc").await;
    w.goto(&format!("/years/{y}")).await;
    w.click("Báo cáo tổng kết công tác thi đua, khen thưởng")
        .await;
    assert_eq!(w.path().await, format!("/years/{y}/year-end"));
    let text = w.text().await;
    // The figures are there before anyone types: the members, the ranking, the vote.
    assert!(
        text.contains("Năm 2019, Cụm thi đua số VI gồm 12 đơn vị"),
        "{text}"
    );
    assert!(text.contains("Kết quả chấm điểm, xếp hạng"), "{text}");
    assert!(
        text.contains("Hội nghị đã bỏ phiếu kín bình xét, suy tôn"),
        "{text}"
    );
    assert!(
        text.contains("Hội nghị đã bầu Học viện Tòa án làm cụm trưởng"),
        "{text}"
    );

    // A wrong date is named beside its field, and what was typed stays.
    w.fill("II.3. Ưu điểm", STRENGTHS).await;
    w.fill("Ngày báo cáo", "31/02/2020").await;
    w.click("Lưu báo cáo").await;
    assert!(w.text().await.contains("Ngày không hợp lệ"));
    assert_eq!(w.value("II.3. Ưu điểm").await, STRENGTHS);
    w.fill("Ngày báo cáo", "20/12/2019").await;
    w.fill("Số văn bản", "07/BC-CTĐ").await;
    w.click("Lưu báo cáo").await;
    let text = w.text().await;
    assert!(text.contains("Đã lưu báo cáo tổng kết."), "{text}");
    // The refused save wrote nothing; the accepted one wrote its audit row.
    let audited = app
        .scalar_i64(&format!(
            "SELECT count(*) FROM audit_log WHERE entity = 'year_end_report' AND entity_id = '{y}'"
        ))
        .await;
    assert_eq!(audited, 1);
    assert_eq!(w.value("II.3. Ưu điểm").await, STRENGTHS);
    w.shot("year-end-report").await;

    // A member reads it but has nothing to write into.
    w.logout().await;
    w.login("canbo.tccb").await;
    w.goto(&format!("/years/{y}/year-end")).await;
    assert!(w.text().await.contains(STRENGTHS));
    assert!(!w.has_control("Lưu báo cáo").await);
    w.logout().await;

    let p = print_document(
        &w.b,
        &app.base,
        "canbo.khtc",
        &format!("/years/{y}/year-end/print"),
        "bao-cao-tong-ket",
    )
    .await;
    assert!(
        is_a4(p.size_mm) && p.size_mm.0 < p.size_mm.1,
        "{:?}",
        p.size_mm
    );
    let flat = p.text.split_whitespace().collect::<Vec<_>>().join(" ");
    for t in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 07/BC-CTĐ",
        "ngày 20 tháng 12 năm 2019",
        "BÁO CÁO",
        "Tổng kết công tác thi đua, khen thưởng năm 2019",
        "II. KẾT QUẢ CÔNG TÁC THI ĐUA, KHEN THƯỞNG NĂM 2019",
        "Điểm thẩm định",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2020",
        "TM. CỤM THI ĐUA SỐ VI",
    ] {
        assert!(flat.contains(t), "printed report lacks {t:?}:\n{}", p.text);
    }
    assert!(flat.contains(STRENGTHS), "{}", p.text);

    // The .docx says the same.
    let leader = app.login("canbo.khtc").await;
    let (status, _, bytes) = leader
        .get_bytes(&format!("/years/{y}/year-end/print.docx"))
        .await;
    assert_eq!(status, 200);
    if let Some((_, _, text)) = crate::office::docx_to_pdf_text(&bytes).await {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(STRENGTHS), "{text}");
        assert!(flat.contains("Số: 07/BC-CTĐ"), "{text}");
    }
}
