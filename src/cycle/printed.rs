//! The cycle's printed documents as plain data, built from what the stores read; the print
//! view and the .docx both render them.

use chrono::NaiveDate;

use crate::cycle::store::pledge::{Item, Signature as Signed};
use crate::org::store::{ClusterYear, MemberRow};
use crate::web::document::{Block, Document, Signature, superior_line};
use crate::web::print::{DocHeader, caps};
use crate::web::vn;

/// What the pledge's text is made of.
pub struct PledgeText<'a> {
    pub y: &'a ClusterYear,
    pub members: &'a [MemberRow],
    pub items: &'a [Item],
    pub signatures: &'a [Signed],
    pub place: &'a str,
    pub dated: NaiveDate,
}

/// A signature block per member: its head signs for the unit, a party to the pledge, with "TM."
/// before the unit's name; a signature made in thidua is noted under the block.
fn signature_blocks(t: &PledgeText) -> Vec<Signature> {
    t.members
        .iter()
        .map(|m| {
            let note = t
                .signatures
                .iter()
                .find(|s| s.unit_id == m.unit_id)
                .map(|s| {
                    format!(
                        "(Đã ký trên thidua: {}, {})",
                        s.signed_by_name,
                        vn::datetime(s.signed_at)
                    )
                })
                .unwrap_or_default();
            Signature::for_body(&m.name, &m.head_title, &note, &m.head_name)
        })
        .collect()
}

pub fn pledge(t: PledgeText) -> Document {
    let (cluster, year) = (&t.y.cluster_name, t.y.year);
    let mut blocks = vec![Block::Paragraph(format!(
        "Thực hiện Luật Thi đua, khen thưởng năm 2022 và các văn bản hướng dẫn thi hành; căn cứ \
         quy chế hoạt động của {cluster}, các đơn vị thành viên thống nhất ký kết giao ước thi \
         đua năm {year} với những nội dung sau:"
    ))];
    blocks.extend(
        t.items
            .iter()
            .enumerate()
            .map(|(i, item)| Block::Paragraph(format!("{}. {}", i + 1, item.text.trim()))),
    );
    blocks.push(Block::Paragraph(
        "Các đơn vị thành viên cam kết tổ chức thực hiện nghiêm túc các nội dung giao ước; cuối \
         năm, cụm tổ chức tổng kết, đánh giá, chấm điểm và bình xét thi đua trên cơ sở kết quả \
         thực hiện giao ước này."
            .into(),
    ));
    Document {
        h: DocHeader {
            superior: superior_line(&t.y.cluster_superior),
            issuer: caps(cluster),
            number: String::new(),
            place_date: DocHeader::place_date(t.place, t.dated),
            doc_type: "GIAO ƯỚC THI ĐUA".into(),
            subject: format!("Năm {year}"),
            title: format!("Giao ước thi đua năm {year} — {cluster}"),
            back: format!("/years/{}/pledge", t.y.id),
            orientation: "portrait",
        },
        blocks,
        recipients: Vec::new(),
        signatures: signature_blocks(&t),
    }
}

/// The page a print of a year without a pledge answers: there is nothing to sign or print, and
/// a pledge dated today would be a document that never was.
#[derive(askama::Template)]
#[template(path = "print/missing.html")]
pub struct NoPledge {
    pub title: String,
    pub message: String,
    pub back: String,
}

impl NoPledge {
    pub fn new(y: &ClusterYear) -> NoPledge {
        NoPledge {
            title: "Chưa có giao ước thi đua".into(),
            message: format!(
                "{} năm {} chưa có giao ước thi đua: chưa có văn bản để in.",
                y.cluster_name, y.year
            ),
            back: format!("/years/{}/pledge", y.id),
        }
    }
}
