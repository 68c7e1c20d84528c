//! The law by date (issue 11, item 2): a dossier's documents cite the texts in force on its
//! date, and the settings page lists the rule sets, saying which points could not be checked.

use crate::harness::{Client, TestApp};
use crate::proposals::{award_vote, election, refs, texts};
use crate::voting::{NOI_CHINH, year_id};

/// A langson dossier for Nội chính 2024 assembled by its leader from a closed vote whose
/// nominees are `nominees` (unit, award): the leader's client and the dossier's page.
pub(crate) async fn dossier_2024(app: &TestApp, nominees: &[(&str, &str)]) -> (Client, String) {
    let y = year_id(app, NOI_CHINH, 2024).await;
    let leader = app.login("canbo.thads-ls").await;
    let vote = award_vote(app, &leader, y, nominees, "").await;
    let elect = election(app, &leader, y).await;
    let start = format!("/years/{y}/proposal");
    let (v, e) = (vote.to_string(), elect.to_string());
    let form = [("vote_id", v.as_str()), ("election_vote_id", e.as_str())];
    let r = leader.submit(&start, &start, &form).await;
    assert_eq!(r.status, 303, "{}", r.body);
    (leader, r.location().to_string())
}

fn demo_dossier(tenant: &str, year: i32) -> String {
    format!(
        "SELECT p.id FROM proposals p JOIN cluster_years y ON y.id = p.cluster_year_id
           JOIN tenants t ON t.id = y.tenant_id WHERE t.code = '{tenant}' AND y.year = {year}"
    )
}

const LAW_2013: &str = "Căn cứ Luật Thi đua, khen thưởng năm 2003, sửa đổi, bổ sung năm 2013; \
                        Nghị định số 91/2017/NĐ-CP;";
const LAW_2024: &str = "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15; \
                        Nghị định số 98/2023/NĐ-CP;";
const LAW_2025: &str = "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15; \
                        Nghị định số 152/2025/NĐ-CP; Thông tư số 15/2025/TT-BNV;";

#[tokio::test]
async fn each_dossier_cites_the_texts_in_force_on_its_date() {
    let app = TestApp::start().await;

    // The demo's 2019 dossier (letter of 23/12/2019) prints under Decree 91/2017.
    let p = app.scalar_i64(&demo_dossier("toaan", 2019)).await;
    let council = app.login("quantri.toaan").await;
    let t = council.get(&format!("/proposals/{p}/print/to-trinh")).await;
    assert_eq!(t.status, 200);
    assert!(t.body.contains(LAW_2013), "{}", t.body);
    assert!(!t.body.contains("152/2025") && !t.body.contains("98/2023"));
    let list = council
        .get(&format!("/proposals/{p}/print/danh-sach"))
        .await;
    assert!(
        list.body.contains("Nghị định số 91/2017/NĐ-CP"),
        "{}",
        list.body
    );

    // The 2023 year whose letter is dated 11/01/2024 follows the 2024 texts.
    let p = app.scalar_i64(&demo_dossier("langson", 2023)).await;
    let ls = app.login("quantri.langson").await;
    let t = ls.get(&format!("/proposals/{p}/print/to-trinh")).await;
    assert!(t.body.contains(LAW_2024), "{}", t.body);

    // A dossier of today's law: its letter signed after 01/07/2025 cites Decree 152/2025 and
    // Circular 15/2025; dated back within 2024, the same dossier cites Decree 98/2023.
    let (leader, page) = dossier_2024(&app, &[("tand-ls", crate::voting::FLAG)]).await;
    let recent = texts("15/01/2026", "16/12/2024");
    let r = leader.submit(&page, &page, &refs(&recent)).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let print = format!("{page}/print/to-trinh");
    let t = leader.get(&print).await;
    assert!(t.body.contains(LAW_2025), "{}", t.body);
    assert!(!t.body.contains("91/2017") && !t.body.contains("98/2023"));
    let docx = leader.get_bytes(&format!("{page}/docx/to-trinh")).await;
    assert_eq!(docx.0, 200);
    assert!(docx_text(&docx.2).contains("Nghị định số 152/2025/NĐ-CP"));
    let earlier = texts("30/06/2025", "16/12/2024");
    let r = leader.submit(&page, &page, &refs(&earlier)).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(leader.get(&print).await.body.contains(LAW_2024));
}

/// The words of a .docx's body, for a look at what it says.
pub(crate) fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    // Runs split words across tags: keep the text between them.
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[tokio::test]
async fn the_settings_page_lists_the_rule_sets_and_claims_nothing_unchecked() {
    let app = TestApp::start().await;
    let council = app.login("quantri.langson").await;
    let page = council.get("/council/settings").await;
    assert_eq!(page.status, 200);
    let b = &page.body;
    for set in [
        "Nghị định số 91/2017/NĐ-CP",
        "Nghị định số 98/2023/NĐ-CP (thi hành Luật Thi đua, khen thưởng số 06/2022/QH15)",
        "Nghị định số 152/2025/NĐ-CP và Thông tư số 15/2025/TT-BNV — đang áp dụng",
        "Hiệu lực: từ 01/01/2024 đến 30/06/2025.",
        "Hiệu lực: từ 01/07/2025.",
        "Ít nhất 90% tổng số thành viên Hội đồng Thi đua - Khen thưởng đồng ý",
        "Nghị định số 91/2017/NĐ-CP, Điều 45 khoản 8",
    ] {
        assert!(b.contains(set), "lacks {set:?}: {b}");
    }
    // What 152/2025 says on the 20% rule and on 80%/90% is marked, not claimed.
    let from_152 = &b[b.find("Nghị định số 152/2025/NĐ-CP và Thông tư").unwrap()..];
    let unchecked = "<strong class=\"unverified\">chưa kiểm chứng được văn bản</strong>";
    assert!(
        from_152.contains(&format!(
            "{unchecked}: Nghị định số 152/2025/NĐ-CP có giữ quy định 20% hay không"
        )),
        "{from_152}"
    );
    assert!(from_152.contains(&format!(
        "{unchecked}: Nghị định số 152/2025/NĐ-CP, Thông tư số 15/2025/TT-BNV"
    )));
    // Decree 98/2023 art. 30.7 is only ever shown as unchecked.
    let at = b.find("Điều 30 khoản 7").unwrap();
    assert!(b[..at].ends_with(&format!("{unchecked}: Nghị định số 98/2023/NĐ-CP, ")));
}
