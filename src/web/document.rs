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
                Block::Heading(t) | Block::Paragraph(t) | Block::Centered(t) | Block::Note(t) => {
                    out.push(t.clone())
                }
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
