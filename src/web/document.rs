//! A printed document as data. The print view (HTML) and the .docx download both render a
//! `Document`, so the two cannot say different things.

use askama::Template;

use crate::web::print::DocHeader;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

impl Align {
    pub fn class(self) -> &'static str {
        match self {
            Align::Left => "",
            Align::Center => "center",
            Align::Right => "num",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Cell {
    pub text: String,
    pub align: Align,
    pub bold: bool,
}

impl Cell {
    pub fn left(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            align: Align::Left,
            bold: false,
        }
    }
    pub fn center(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            align: Align::Center,
            bold: false,
        }
    }
    pub fn right(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            align: Align::Right,
            bold: false,
        }
    }
    pub fn bold(mut self) -> Cell {
        self.bold = true;
        self
    }
}

#[derive(Clone, Debug)]
pub enum Block {
    /// A bold line, e.g. "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH".
    Heading(String),
    /// Body text: justified, first line indented. Each line of the string is a paragraph.
    Paragraph(String),
    /// A centred line, e.g. "Kính gửi: Hội đồng Thi đua - Khen thưởng …".
    Centered(String),
    /// A centred bold line: in a decision, who decides and "QUYẾT ĐỊNH:".
    CenteredBold(String),
    /// A ruled table. `widths` are percentages of the text width, one per column.
    Table {
        widths: Vec<u16>,
        head: Vec<String>,
        rows: Vec<Vec<Cell>>,
    },
    /// A small italic note under a table.
    Note(String),
}

impl Block {
    /// Paragraph text split into its lines, blank lines dropped.
    pub fn lines(text: &str) -> Vec<&str> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    }
}

/// A signature block: capitalised lines (e.g. "TM. CỤM THI ĐUA", "CỤM TRƯỞNG"), an italic note
/// (e.g. "(Ký, ghi rõ họ tên, đóng dấu)"), room to sign, and the signer's name.
#[derive(Clone, Debug, Default)]
pub struct Signature {
    pub titles: Vec<String>,
    pub note: String,
    pub name: String,
}

/// Under a printed table whose percentage passes 100%: the verified score includes bonus
/// points, and a reader should not take the figure for a mistake.
pub const BONUS_NOTE: &str = "Tỷ lệ trên 100% là do có điểm thưởng.";

/// The title a head signs under when none is recorded: the achievement-report forms' wording.
pub const HEAD: &str = "THỦ TRƯỞNG ĐƠN VỊ";

impl Signature {
    /// Signing for a collective body (Decree 30/2020, Appendix I): "TM." before the body's name,
    /// never before a role ("TM. CỤM THI ĐUA SỐ VI", not "TM. ĐƠN VỊ CỤM TRƯỞNG"), then the
    /// signer's own title.
    pub fn for_body(body: &str, title: &str, note: &str, name: &str) -> Signature {
        let mut titles = Vec::new();
        if !body.trim().is_empty() {
            titles.push(format!("TM. {}", body.trim().to_uppercase()));
        }
        titles.push(own_title(title));
        Signature {
            titles,
            note: note.into(),
            name: name.trim().into(),
        }
    }

    /// Signing in one's own title (a head of a unit run by one head, a meeting's chair).
    pub fn own(title: &str, note: &str, name: &str) -> Signature {
        Signature {
            titles: vec![own_title(title)],
            note: note.into(),
            name: name.trim().into(),
        }
    }
}

/// A signer's title in capitals; a head without a recorded title signs as the unit's head.
pub fn own_title(title: &str) -> String {
    let t = title.trim();
    if t.is_empty() {
        HEAD.into()
    } else {
        t.to_uppercase()
    }
}

/// The managing agency's line above the issuer: in capitals, or nothing when none is set (the
/// council the document goes to is not the issuer's managing agency, so it is never put there).
pub fn superior_line(superior: &str) -> String {
    superior.trim().to_uppercase()
}

#[derive(Clone, Debug)]
pub struct Document {
    pub h: DocHeader,
    pub blocks: Vec<Block>,
    /// "Nơi nhận:" and its list; empty leaves the block out.
    pub recipients: Vec<String>,
    /// One signature sits on the right beside "Nơi nhận:"; two or more go two to a row.
    pub signatures: Vec<Signature>,
}

impl Document {
    pub fn landscape(&self) -> bool {
        self.h.orientation == "landscape"
    }

    /// Whether the last block is text that is kept on one page with the signatures (Decree 30:
    /// a signature never stands alone on a page). A table last is not: it may be long, and
    /// its rows already keep together.
    pub fn keeps_closing(&self) -> bool {
        match self.blocks.last() {
            Some(Block::Paragraph(t)) => !Block::lines(t).is_empty(),
            Some(Block::Centered(_) | Block::CenteredBold(_) | Block::Note(_)) => true,
            _ => false,
        }
    }

    /// Signatures laid out in rows of two, as on paper.
    pub fn signature_rows(&self) -> Vec<Vec<&Signature>> {
        self.signatures
            .chunks(2)
            .map(|c| c.iter().collect())
            .collect()
    }

    /// Every word of the document in reading order, for tests and search.
    pub fn plain_text(&self) -> String {
        let mut out = vec![
            self.h.superior.clone(),
            self.h.issuer.clone(),
            format!("Số: {}", self.h.number),
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(),
            "Độc lập - Tự do - Hạnh phúc".into(),
            self.h.place_date.clone(),
            self.h.doc_type.clone(),
            self.h.subject.clone(),
        ];
        for b in &self.blocks {
            match b {
                Block::Heading(t)
                | Block::Paragraph(t)
                | Block::Centered(t)
                | Block::CenteredBold(t)
                | Block::Note(t) => out.push(t.clone()),
                Block::Table { head, rows, .. } => {
                    out.push(head.join(" | "));
                    for r in rows {
                        out.push(
                            r.iter()
                                .map(|c| c.text.as_str())
                                .collect::<Vec<_>>()
                                .join(" | "),
                        );
                    }
                }
            }
        }
        out.extend(self.recipients.iter().cloned());
        for s in &self.signatures {
            out.extend(s.titles.iter().cloned());
            out.push(s.name.clone());
        }
        out.join("\n")
    }
}

/// The print view of any `Document`.
#[derive(Template)]
#[template(path = "print/document.html")]
pub struct DocumentPage<'a> {
    pub h: &'a DocHeader,
    pub d: &'a Document,
}

pub fn render_html(d: &Document) -> Result<String, askama::Error> {
    DocumentPage { h: &d.h, d }.render()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(superior: &str, signatures: Vec<Signature>) -> Document {
        Document {
            h: DocHeader {
                superior: superior_line(superior),
                issuer: "CỤM THI ĐUA SỐ VI".into(),
                doc_type: "TỜ TRÌNH".into(),
                orientation: "portrait",
                ..DocHeader::default()
            },
            blocks: vec![Block::Paragraph("Nội dung.".into())],
            recipients: Vec::new(),
            signatures,
        }
    }

    #[test]
    fn tm_stands_only_before_a_collective_bodys_name() {
        let s = Signature::for_body("Cụm thi đua số VI", "Cục trưởng", "", "Nguyễn Văn A");
        assert_eq!(s.titles, ["TM. CỤM THI ĐUA SỐ VI", "CỤC TRƯỞNG"]);
        assert_eq!(s.name, "Nguyễn Văn A");
        // No title recorded: the head signs as the unit's head, still after the body's name.
        let s = Signature::for_body("Công an tỉnh Lạng Sơn", " ", "", "");
        assert_eq!(s.titles, ["TM. CÔNG AN TỈNH LẠNG SƠN", HEAD]);
        // A signer in their own title has no "TM." at all.
        let s = Signature::own("Chủ trì", "", "Tưởng Quốc Chiến");
        assert_eq!(s.titles, ["CHỦ TRÌ"]);
        for s in [
            Signature::own("Vụ trưởng", "", ""),
            Signature::for_body("Cụm thi đua số VI", "Viện trưởng", "", ""),
        ] {
            for t in &s.titles {
                // "TM." is followed by a body's name, never by a role.
                assert!(
                    !t.starts_with("TM. ĐƠN VỊ") && !t.starts_with("TM. THỦ TRƯỞNG"),
                    "{t}"
                );
            }
            assert!(s.titles.iter().filter(|t| t.starts_with("TM.")).count() <= 1);
        }
    }

    #[test]
    fn an_empty_managing_agency_prints_no_line() {
        let html = render_html(&doc("", vec![Signature::own("Vụ trưởng", "", "A")])).unwrap();
        assert!(!html.contains("class=\"superior\""), "{html}");
        let html = render_html(&doc("  Tòa án nhân dân tối cao ", vec![])).unwrap();
        assert!(
            html.contains("<div class=\"superior\">TÒA ÁN NHÂN DÂN TỐI CAO</div>"),
            "{html}"
        );
        assert_eq!(superior_line(" "), "");
    }
}
