//! The dossier's documents as a person sees them: printed to PDF by Chromium from the print
//! views, and the .docx downloads converted to PDF by LibreOffice; A4, the official layout's
//! lines, every nominee and the vote's figures, in Vietnamese.

use crate::browser::{browser, is_a4, print_document};
use crate::harness::TestApp;
use crate::office::docx_to_pdf_text;

/// Text with every run of whitespace made one space, so that wrapped and justified lines read
/// as the sentence they are.
fn normal(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Doc {
    path: String,
    name: &'static str,
    pages: usize,
    says: Vec<&'static str>,
}

/// The demo's Cụm VI 2019 dossier (with the council) and the paths of its four documents.
async fn documents(app: &TestApp) -> (i64, Vec<Doc>) {
    let p: i64 = sqlx::query_scalar(
        "SELECT p.id FROM proposals p JOIN cluster_years y ON y.id = p.cluster_year_id
           JOIN clusters c ON c.id = y.cluster_id WHERE c.name = 'Cụm thi đua số VI' AND y.year = 2019",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    let tccb = app
        .scalar_i64("SELECT id FROM units WHERE code = 'tccb'")
        .await;
    let common = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ];
    let with = |v: Vec<&'static str>| common.iter().copied().chain(v).collect::<Vec<_>>();
    let docs = vec![
        Doc {
            path: format!("/proposals/{p}/print/to-trinh"),
            name: "to-trinh",
            pages: 2,
            says: with(vec![
                // The cluster's managing agency above it, never the council addressed.
                "TÒA ÁN NHÂN DÂN TỐI CAO",
                "CỤM THI ĐUA SỐ VI",
                "Số: 25/TTr-CTĐVI",
                "Hà Nội, ngày 23 tháng 12 năm 2019",
                "TỜ TRÌNH",
                "Về việc đề nghị khen thưởng năm 2019",
                "với 12/12 đơn vị thành viên tham gia bỏ phiếu",
                // The courts' own flag; no Government flag: the council chooses it (issue 11).
                "1. Đề nghị tặng Cờ thi đua của Tòa án nhân dân:",
                "- Vụ Tổ chức - Cán bộ (đạt 100% số phiếu đồng ý: 12/12 đơn vị thành viên).",
                "- Văn phòng Tòa án nhân dân tối cao (đạt 100% số phiếu đồng ý: 12/12",
                "- Học viện Tòa án (đạt 83,33%",
                "- Vụ Pháp chế và Quản lý khoa học (đạt 91,67%",
                "Nơi nhận:",
                "TM. CỤM THI ĐUA SỐ VI",
            ]),
        },
        Doc {
            path: format!("/proposals/{p}/print/bien-ban"),
            name: "bien-ban",
            // The counts, the online committee, each line's denominator and the leading unit
            // (issue 11, item 4) take the minutes onto a third page.
            pages: 3,
            says: with(vec![
                "BIÊN BẢN",
                "Họp bình xét thi đua năm 2019 của Cụm thi đua số VI",
                "Hà Nội, ngày 20 tháng 12 năm 2019",
                "Vào hồi 08 giờ 30, ngày 20 tháng 12 năm 2019",
                "- Chủ trì: Tưởng Quốc Chiến",
                "- Tham gia bỏ phiếu: 12/12 đơn vị.",
                "Số phiếu phát ra: 12; số phiếu thu về: 12; số phiếu hợp lệ: 12; số phiếu không hợp lệ: 0",
                "Đơn vị được bầu làm cụm trưởng năm 2020: Học viện Tòa án.",
                "Đơn vị được bầu làm cụm phó năm 2020: Ban Thanh tra.",
                "Tính trên",
                "THƯ KÝ",
                "CHỦ TRÌ",
                "Nguyễn Thu Trang",
            ]),
        },
        Doc {
            path: format!("/proposals/{p}/print/danh-sach"),
            name: "danh-sach",
            pages: 1,
            says: with(vec![
                "DANH SÁCH",
                "(Kèm theo Tờ trình số 25/TTr-CTĐVI ngày 23 tháng 12 năm 2019)",
                "Vụ Tổ chức - Cán bộ",
                "Vụ Pháp chế và",
                "101,5",
                "91,67%",
                "(11/12)",
                "83,33%",
                "(10/12)",
                "(12/12)",
            ]),
        },
        Doc {
            path: format!("/proposals/{p}/reports/{tccb}/print"),
            name: "bao-cao-thanh-tich",
            pages: 2,
            says: with(vec![
                "VỤ TỔ CHỨC - CÁN BỘ",
                "Hà Nội, ngày 22 tháng 12 năm 2019",
                "BÁO CÁO THÀNH TÍCH",
                "Tên tập thể đề nghị: Vụ Tổ chức - Cán bộ",
                "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH",
                "II. THÀNH TÍCH ĐẠT ĐƯỢC",
                "III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN",
                // Part III: the titles' table, number and date in their own columns.
                // (A narrow column wraps the title and the number on the printed page.)
                "1. Danh hiệu thi đua",
                "Tập thể lao động xuất",
                "89/QĐ-",
                "18/01/2019",
                "2. Hình thức khen thưởng",
                "VỤ TRƯỞNG",
            ]),
        },
    ];
    (p, docs)
}

fn check(what: &str, d: &Doc, text: &str) {
    let t = normal(text);
    for s in &d.says {
        assert!(
            t.contains(&normal(s)),
            "{what} {}: lacks {s:?}:\n{text}",
            d.name
        );
    }
    // The council the dossier goes to is not the issuer's managing agency: never above it.
    assert!(
        !t.contains("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG TÒA ÁN"),
        "{what} {}",
        d.name
    );
    // Nothing of the app's chrome.
    assert!(
        !t.contains("Quay lại") && !t.contains("Đăng xuất"),
        "{what} {}",
        d.name
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_the_dossiers_documents_print_on_a4_in_the_official_layout() {
    let app = TestApp::start().await;
    let (_, docs) = documents(&app).await;
    let Some((b, _driver)) = browser().await else {
        return;
    };
    for d in &docs {
        let p = print_document(&b, &app.base, "quantri.toaan", &d.path, d.name).await;
        assert!(is_a4(p.size_mm), "{}: A4, got {:?}", d.name, p.size_mm);
        assert!(p.size_mm.0 < p.size_mm.1, "{}: portrait", d.name);
        assert_eq!(p.pages, d.pages, "{}: pages\n{}", d.name, p.text);
        check("printed", d, &p.text);
    }
    b.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_the_dossiers_docx_files_convert_to_the_same_text() {
    let app = TestApp::start().await;
    let (_, docs) = documents(&app).await;
    let c = app.login("quantri.toaan").await;
    for d in &docs {
        let path = if d.path.ends_with("/print") {
            d.path.replace("/print", "/docx")
        } else {
            d.path.replace("/print/", "/docx/")
        };
        let (status, headers, bytes) = c.get_bytes(&path).await;
        assert_eq!(status, 200, "{path}");
        // Named by its Vietnamese title, the cluster and the year; never an internal id.
        let disposition = headers[reqwest::header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap();
        assert!(
            disposition.contains("filename*=UTF-8''")
                && disposition.contains(
                    "%20-%20C%E1%BB%A5m%20thi%20%C4%91ua%20s%E1%BB%91%20VI%20-%202019.docx"
                ),
            "{path}: {disposition}"
        );
        let Some((pages, size, text)) = docx_to_pdf_text(&bytes).await else {
            return;
        };
        assert!(
            (size.0 - 595.0).abs() < 2.0 && (size.1 - 842.0).abs() < 2.0,
            "{}: A4, {size:?}",
            d.name
        );
        assert!(pages >= 1, "{}", d.name);
        check("docx", d, &text);
    }
}
