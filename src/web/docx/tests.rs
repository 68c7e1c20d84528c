use std::io::Read;

use super::*;
use crate::web::print::DocHeader;
use axum::http::header;

fn sample(orientation: &'static str, signers: usize) -> Document {
    Document {
        h: DocHeader {
            superior: "Tòa án nhân dân tối cao".into(),
            issuer: "Cụm thi đua số VI".into(),
            number: "01/GƯTĐ-CTĐ".into(),
            place_date: "Hà Nội, ngày 09 tháng 01 năm 2024".into(),
            doc_type: "Giao ước thi đua".into(),
            subject: "Năm 2024".into(),
            title: String::new(),
            back: String::new(),
            orientation,
        },
        blocks: vec![
            Block::Heading("I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH".into()),
            Block::Paragraph("Đoạn thứ nhất & <đặc biệt>.\n\nĐoạn thứ hai.".into()),
            Block::Centered("Kính gửi: Hội đồng Thi đua - Khen thưởng".into()),
            Block::Table {
                widths: vec![10, 60, 30],
                head: vec!["STT".into(), "Đơn vị".into(), "Điểm".into()],
                rows: vec![vec![
                    Cell::center("1"),
                    Cell::left("Học viện Tòa án"),
                    Cell::right("92,5").bold(),
                ]],
            },
            Block::Note("Ghi chú: điểm đã thẩm định.".into()),
        ],
        recipients: vec!["- Như trên;".into(), "- Lưu: VT.".into()],
        signatures: (0..signers)
            .map(|i| Signature {
                titles: vec!["TM. Cụm thi đua".into(), format!("Cụm trưởng {i}")],
                note: "(Ký, ghi rõ họ tên, đóng dấu)".into(),
                name: format!("Nguyễn Văn Ấn {i}"),
            })
            .collect(),
    }
}

fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut s = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the package"))
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[test]
fn every_block_reaches_word_document_xml() {
    let doc = sample("portrait", 1);
    let bytes = render(&doc).unwrap();
    let xml = part(&bytes, "word/document.xml");
    // Every line and table cell of the document, escaped; header lines in capitals.
    let text = doc.plain_text();
    for t in text.lines().flat_map(|l| l.split(" | ")) {
        let t = t
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        let found = xml.contains(&t) || xml.contains(&t.to_uppercase());
        assert!(t.trim().is_empty() || found, "document.xml lacks {t:?}");
    }
    for t in [
        "Nơi nhận:",
        "(Ký, ghi rõ họ tên, đóng dấu)",
        "Đoạn thứ hai.",
    ] {
        assert!(xml.contains(t), "document.xml lacks {t:?}");
    }
    assert!(xml.contains(r#"w:w="11906" w:h="16838""#), "A4 portrait");
    assert!(xml.contains(r#"w:left="1701""#), "left margin 30 mm");
    assert!(xml.contains("w:titlePg"), "a first page without number");
    // The last paragraph (a note here) is kept with the signatures; 6 pt after paragraphs.
    assert!(xml.contains("<w:keepNext"), "keep with next");
    assert!(xml.contains(r#"w:after="120""#), "6 pt after a paragraph");
    // Two paragraphs for the two lines, the empty one dropped.
    assert_eq!(xml.matches("Đoạn thứ").count(), 2);
    let styles = part(&bytes, "word/styles.xml");
    assert!(styles.contains(r#"w:eastAsia="Times New Roman""#));
    assert!(styles.contains(r#"w:cs="Times New Roman""#));
    let headers = part(&bytes, "word/header1.xml") + &part(&bytes, "word/header2.xml");
    assert!(headers.contains("PAGE"), "page numbers: {headers}");
}

#[test]
fn landscape_turns_the_page_and_many_signers_go_two_to_a_row() {
    let doc = sample("landscape", 3);
    let xml = part(&render(&doc).unwrap(), "word/document.xml");
    assert!(xml.contains(r#"w:w="16838" w:h="11906""#), "A4 landscape");
    assert!(xml.contains(r#"w:orient="landscape""#));
    assert!(
        xml.contains(r#"w:left="1701""#),
        "left margin 30 mm, as on portrait pages"
    );
    for i in 0..3 {
        assert!(xml.contains(&format!("Nguyễn Văn Ấn {i}")));
    }
    // The recipients come after every signature.
    assert!(xml.find("Nơi nhận:").unwrap() > xml.find("Nguyễn Văn Ấn 2").unwrap());
}

#[test]
fn the_download_names_the_file_in_ascii_and_in_vietnamese() {
    let r = response("Giao ước thi đua năm 2024.docx", vec![1, 2]);
    let h = r.headers();
    assert_eq!(h[header::CONTENT_TYPE], MIME);
    assert_eq!(
        h[header::CONTENT_DISPOSITION].to_str().unwrap(),
        "attachment; filename=\"Giao-uoc-thi-dua-nam-2024.docx\"; \
         filename*=UTF-8''Giao%20%C6%B0%E1%BB%9Bc%20thi%20%C4%91ua%20n%C4%83m%202024.docx"
    );
}

#[test]
fn a_centred_bold_line_is_bold_and_a_centred_line_is_not() {
    let mut doc = sample("portrait", 1);
    doc.blocks = vec![
        Block::CenteredBold("QUYẾT ĐỊNH:".into()),
        Block::Centered("Kính gửi: Hội đồng".into()),
    ];
    let xml = part(&render(&doc).unwrap(), "word/document.xml");
    // The run properties just before each text.
    let props = |t: &str| {
        let at = xml.find(t).unwrap_or_else(|| panic!("{t} in the document"));
        let run = xml[..at].rfind("<w:r>").expect("its run");
        xml[run..at].to_string()
    };
    assert!(
        props("QUYẾT ĐỊNH:").contains("<w:b />"),
        "{}",
        props("QUYẾT ĐỊNH:")
    );
    assert!(!props("Kính gửi: Hội đồng").contains("<w:b />"));
}
