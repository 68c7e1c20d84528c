//! The decision as printed (Decree 30/2020 layout) and as a .docx: the decision itself, then
//! its annexed list (danh sách kèm theo) grouped by award form, from a new page. Both come from
//! the same two `Document`s, so the print view and the file say the same.

use super::model::{self, Award, State};
use super::store::{Decision, Line};
use crate::web::document::{Block, Cell, Document, Signature, render_html, superior_line};
use crate::web::print::{DocHeader, caps};

/// The words a draft carries in place of its number and date, and its mark.
pub const DRAFT_MARK: &str = "DỰ THẢO";

pub struct Printed<'a> {
    pub d: &'a Decision,
    pub lines: &'a [Line],
}

impl Printed<'_> {
    fn state(&self) -> State {
        State::parse(&self.d.state)
    }

    fn awards(&self) -> Vec<Award> {
        self.lines
            .iter()
            .map(|l| Award {
                award_type_id: l.award_type_id,
                award_name: l.award_name.clone(),
                unit_name: l.unit_name.clone(),
                reason: l.reason.clone(),
                amount: l.amount,
            })
            .collect()
    }

    fn number(&self) -> String {
        self.d.number.clone().unwrap_or_default()
    }

    fn place(&self) -> String {
        let p = self.d.place.trim();
        if p.is_empty() { "……………" } else { p }.to_string()
    }

    fn place_date(&self) -> String {
        match self.d.signed_on {
            Some(on) => DocHeader::place_date(&self.d.place, on),
            None => format!("{}, ngày …… tháng …… năm ……", self.place()),
        }
    }

    /// "số 156/QĐ-UBND ngày 26/01/2024 của Chủ tịch Ủy ban nhân dân tỉnh Lạng Sơn"
    pub fn reference(&self) -> String {
        let number = self.d.number.as_deref().unwrap_or("……/……");
        let date = self
            .d
            .signed_on
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_else(|| "…/…/……".into());
        let issuer = model::issuer(&self.d.signer_title, &self.d.authority);
        format!("số {number} ngày {date} của {issuer}")
    }

    fn header(&self, doc_type: &str, subject: String) -> DocHeader {
        DocHeader {
            superior: superior_line(&self.d.managing_agency),
            issuer: caps(&self.d.authority),
            number: self.number(),
            place_date: self.place_date(),
            doc_type: doc_type.into(),
            subject,
            title: format!("Quyết định khen thưởng năm {}", self.d.year),
            back: format!("/council/decisions/{}", self.d.id),
            orientation: "portrait",
        }
    }

    fn mark(&self, blocks: &mut Vec<Block>) {
        if self.state().is_draft() {
            blocks.push(Block::Centered(format!(
                "{DRAFT_MARK} — chưa có số, ngày ký; chưa có giá trị thi hành"
            )));
        }
    }

    /// The decision: who decides, the legal bases and "Xét đề nghị", then the articles.
    pub fn decision(&self) -> Document {
        let awards = self.awards();
        let groups = model::groups(&awards);
        let mut blocks = Vec::new();
        self.mark(&mut blocks);
        blocks.push(Block::CenteredBold(caps(&model::issuer(
            &self.d.signer_title,
            &self.d.authority,
        ))));
        blocks.push(Block::Paragraph(format!(
            "{}\n{}",
            self.d.legal_bases, self.d.considering
        )));
        blocks.push(Block::CenteredBold("QUYẾT ĐỊNH:".into()));
        let mut articles = model::award_articles(self.d.year, &groups);
        articles.extend(model::closing_articles(
            groups.len() + 1,
            &self.d.closing_articles,
        ));
        blocks.push(Block::Paragraph(articles.join("\n")));
        let recipients = self
            .d
            .recipients
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        Document {
            h: self.header("QUYẾT ĐỊNH", self.subject()),
            blocks,
            recipients,
            signatures: vec![Signature::own(
                &self.d.signer_title,
                "",
                &self.d.signer_name,
            )],
        }
    }

    fn subject(&self) -> String {
        // One line, so that its rule is measured against it (Decree 30: 1/3 to 1/2 of it).
        format!("Về việc khen thưởng các tập thể năm {}", self.d.year)
    }

    /// The annexed list: a part per award form, each award with its reason and amount.
    pub fn annex(&self) -> Document {
        let awards = self.awards();
        let groups = model::groups(&awards);
        let with_amounts = awards.iter().any(|a| a.amount.is_some());
        let mut blocks = Vec::new();
        self.mark(&mut blocks);
        for (i, g) in groups.iter().enumerate() {
            blocks.push(Block::Heading(format!(
                "{}. {} ({} tập thể)",
                model::roman(i + 1),
                caps(&g.award_name),
                model::count(g.awards.len())
            )));
            let mut rows: Vec<Vec<Cell>> = g
                .awards
                .iter()
                .enumerate()
                .map(|(k, a)| {
                    let mut r = vec![
                        Cell::center((k + 1).to_string()),
                        Cell::left(&a.unit_name),
                        Cell::left(&a.reason),
                    ];
                    if with_amounts {
                        r.push(Cell::right(
                            a.amount.map(crate::web::vn::integer).unwrap_or_default(),
                        ));
                    }
                    r
                })
                .collect();
            let (widths, mut head) = if with_amounts {
                (
                    vec![8, 35, 39, 18],
                    vec!["STT", "Tên tập thể", "Thành tích", "Tiền thưởng (đồng)"],
                )
            } else {
                (vec![8, 40, 52], vec!["STT", "Tên tập thể", "Thành tích"])
            };
            if let Some(sum) = g.total().filter(|_| with_amounts) {
                rows.push(vec![
                    Cell::center(""),
                    Cell::left("Cộng").bold(),
                    Cell::left(""),
                    Cell::right(crate::web::vn::integer(sum)).bold(),
                ]);
            }
            head.truncate(widths.len());
            blocks.push(Block::Table {
                widths,
                head: head.into_iter().map(String::from).collect(),
                rows,
            });
        }
        if let Some(sum) = model::total(&awards) {
            blocks.push(Block::Paragraph(format!(
                "Tổng số: {} tập thể; tổng tiền thưởng: {}.",
                model::count(awards.len()),
                model::money(sum)
            )));
        } else {
            blocks.push(Block::Paragraph(format!(
                "Tổng số: {} tập thể.",
                model::count(awards.len())
            )));
        }
        Document {
            h: self.header(
                "DANH SÁCH",
                format!(
                    "Các tập thể được khen thưởng năm {} (Kèm theo Quyết định {})",
                    self.d.year,
                    self.reference()
                ),
            ),
            blocks,
            recipients: Vec::new(),
            signatures: Vec::new(),
        }
    }

    /// The print view: the decision, then the annex from a new page, in one HTML page.
    pub fn html(&self) -> Result<String, askama::Error> {
        let main = render_html(&self.decision())?;
        let annex = render_html(&self.annex())?;
        Ok(join_pages(&main, &annex))
    }

    pub fn docx(&self) -> anyhow::Result<Vec<u8>> {
        crate::web::docx::render_all(&[self.decision(), self.annex()])
    }
}

/// The annex's page (its `<article>`) put after the decision's, starting a new printed page.
fn join_pages(main: &str, annex: &str) -> String {
    const OPEN: &str = "<article class=\"page\">";
    let page = annex
        .find(OPEN)
        .and_then(|s| annex[s..].find("</article>").map(|e| &annex[s..s + e + 10]))
        .unwrap_or("");
    let page = page.replacen(
        OPEN,
        // static/document.css breaks the page before it (the CSP refuses inline styles).
        "<article class=\"page annex\">",
        1,
    );
    match main.rfind("</article>") {
        Some(at) => format!("{}{}{}", &main[..at + 10], page, &main[at + 10..]),
        None => main.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_annex_follows_the_decision_on_a_page_of_its_own() {
        let main = "<body><article class=\"page\">A</article>\n</body>";
        let annex = "<body><article class=\"page\">B</article></body>";
        let j = join_pages(main, annex);
        assert!(
            j.contains("A</article><article class=\"page annex\""),
            "{j}"
        );
        assert!(j.ends_with("B</article>\n</body>"), "{j}");
    }
}
