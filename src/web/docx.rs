//! A `Document` as a Word file (.docx): the same content in the same layout as the print view
//! (templates/print/document.html, static/document.css), after Decree 30/2020/NĐ-CP.

use axum::response::Response;
use docx_rs::AlignmentType as A;
use docx_rs::{
    BorderType, Docx, FieldCharType, Header, InstrPAGE, InstrText, LineSpacing, LineSpacingType,
    PageMargin, PageOrientationType, Paragraph, ParagraphBorder, ParagraphBorderPosition,
    ParagraphBorders, Run, RunFonts, SpecialIndentType, Table, TableBorder, TableBorderPosition,
    TableBorders, TableCell, TableCellMargins, TableLayoutType, TableRow, WidthType,
};

use crate::web::document::{Align, Block, Cell, Document, Signature};

pub const MIME: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const FONT: &str = "Times New Roman";
/// A4 in twentieths of a point.
const A4: (u32, u32) = (11906, 16838);
/// How a run looks besides its size: flags.
const PLAIN: u8 = 0;
const BOLD: u8 = 1;
const ITALIC: u8 = 2;
/// 6 pt in millimetres: the least room between paragraphs.
const PT6: f64 = 6.0 * 25.4 / 72.0;

mod measure;

fn twips(mm: f64) -> i32 {
    (mm * 1440.0 / 25.4).round() as i32
}

/// One paragraph of one run (sizes in half-points), single-spaced, no room around it.
fn text(t: &str, size: usize, look: u8, align: A) -> Paragraph {
    let mut r = Run::new().add_text(t).size(size);
    if look & BOLD != 0 {
        r = r.bold();
    }
    if look & ITALIC != 0 {
        r = r.italic();
    }
    let p = Paragraph::new().align(align).size(size);
    spacing(if t.is_empty() { p } else { p.add_run(r) }, 0.0, 0.0, 240)
}

/// Room before and after (mm) and the line height (240 = single).
fn spacing(p: Paragraph, before: f64, after: f64, line: i32) -> Paragraph {
    // The rule is spelt out: LibreOffice does not take a missing one for "auto".
    let s = LineSpacing::new()
        .line_rule(LineSpacingType::Auto)
        .line(line);
    p.line_spacing(s.before(twips(before) as u32).after(twips(after) as u32))
}

/// Empty space of an exact height, with room after it (mm).
fn space_after(mm: f64, after: f64) -> Paragraph {
    let s = LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .before(0);
    let s = s.line(twips(mm).max(20)).after(twips(after) as u32);
    Paragraph::new().size(2).line_spacing(s)
}

fn space(mm: f64) -> Paragraph {
    space_after(mm, 0.0)
}

/// A centred rule `length` long (twips) in a column `width` wide: the bottom border of an
/// empty paragraph.
fn rule(width: i32, length: i32, after: f64) -> Paragraph {
    let side = ((width - length.min(width)) / 2).max(0);
    let mut p = space_after(2.0, after).indent(Some(side), None, Some(side), None);
    let line = ParagraphBorder::new(ParagraphBorderPosition::Bottom).val(BorderType::Single);
    let borders = ParagraphBorders::with_empty().set(line.size(6).space(0).color("000000"));
    p.property = p.property.set_borders(borders);
    p
}

/// A rule of 40% of a line of text (the Decree asks 1/3 to 1/2), the line being the text's
/// width or, if it wraps, the column's.
fn text_rule(width: i32, text: &str, size: f64, after: f64) -> Paragraph {
    let line = twips(measure::width_mm(text, size, true)).min(width);
    rule(width, line * 2 / 5, after)
}

fn cell(width: i32, paragraphs: Vec<Paragraph>) -> TableCell {
    let c = TableCell::new().width(width as usize, WidthType::Dxa);
    if paragraphs.is_empty() {
        // A cell holds at least one paragraph.
        return c.add_paragraph(space(0.0));
    }
    paragraphs.into_iter().fold(c, TableCell::add_paragraph)
}

/// A table of fixed column widths (twips), by default ruled.
fn table(widths: &[i32], rows: Vec<TableRow>, ruled: bool) -> Table {
    use TableBorderPosition::*;
    let t = if ruled {
        let borders = [Top, Left, Bottom, Right, InsideH, InsideV]
            .into_iter()
            .fold(TableBorders::new(), |b, p| {
                b.set(TableBorder::new(p).size(6).color("000000"))
            });
        Table::new(rows).set_borders(borders)
    } else {
        Table::without_borders(rows)
    };
    let (v, h) = if ruled { (57, 85) } else { (0, 57) };
    t.set_grid(widths.iter().map(|w| *w as usize).collect())
        .width(widths.iter().sum::<i32>() as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(v, h, v, h))
}

/// The page's text width (twips) and whether it lies on its side.
struct Page {
    landscape: bool,
    width: i32,
}

/// Issuing body on the left, national name and motto on the right; under them one row for
/// "Số:" and the place-date line, which so share a baseline (same size, same row, top-aligned).
fn head(doc: &Document, page: &Page) -> Table {
    let h = &doc.h;
    let (left, right) = (page.width * 2 / 5, page.width - page.width * 2 / 5);
    // A rule is drawn inside the cell's margins (57 twips each side, see `table`).
    let (left_in, right_in) = (left - 114, right - 114);
    let mut issuer = Vec::new();
    if !h.superior.trim().is_empty() {
        issuer.push(text(&h.superior.to_uppercase(), 25, PLAIN, A::Center));
    }
    let name = h.issuer.to_uppercase();
    issuer.push(text(&name, 25, BOLD, A::Center));
    issuer.push(text_rule(left_in, &name, 12.5, 0.0));
    const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";
    let nation = vec![
        text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 25, BOLD, A::Center),
        text(MOTTO, 27, BOLD, A::Center),
        // As long as the motto.
        rule(right_in, twips(measure::width_mm(MOTTO, 13.5, true)), 0.0),
    ];
    let number = Some(h.number.trim()).filter(|n| !n.is_empty());
    let number = format!("Số: {}", number.unwrap_or("……/……"));
    let number = spacing(text(&number, 27, PLAIN, A::Center), 2.0, 0.0, 240);
    let date = spacing(text(&h.place_date, 27, ITALIC, A::Center), 2.0, 0.0, 240);
    let rows = vec![
        TableRow::new(vec![cell(left, issuer), cell(right, nation)]),
        TableRow::new(vec![cell(left, vec![number]), cell(right, vec![date])]),
    ];
    table(&[left, right], rows, false)
}

/// A ruled table: `widths` in percent of the text width, the head row bold and centred. When
/// `closing`, its last row keeps with what follows (the signatures), as the print view's
/// `break-before: avoid` does.
fn grid(page: &Page, widths: &[u16], head: &[String], rows: &[Vec<Cell>], closing: bool) -> Table {
    let total = widths.iter().map(|w| i64::from(*w)).sum::<i64>().max(1);
    let cols = head.len().max(widths.len());
    let tw: Vec<i32> = (0..cols)
        .map(|i| {
            let w = widths.get(i).map(|w| i64::from(*w)).unwrap_or(0);
            (i64::from(page.width) * w / total) as i32
        })
        .collect();
    let size = if page.landscape { 22 } else { 24 };
    let head = head
        .iter()
        .zip(&tw)
        .map(|(t, w)| cell(*w, vec![text(t, size, BOLD, A::Center)]));
    let mut trs = vec![TableRow::new(head.collect())];
    for (k, r) in rows.iter().enumerate() {
        let keep = closing && k + 1 == rows.len();
        let cells = tw.iter().enumerate().map(|(i, w)| {
            let Some(c) = r.get(i) else {
                return cell(*w, vec![space(0.0).keep_next(keep)]);
            };
            let align = match c.align {
                Align::Left => A::Left,
                Align::Center => A::Center,
                Align::Right => A::Right,
            };
            let look = if c.bold { BOLD } else { PLAIN };
            cell(*w, vec![text(&c.text, size, look, align).keep_next(keep)])
        });
        trs.push(TableRow::new(cells.collect()).cant_split());
    }
    table(&tw, trs, true)
}

/// A signer's block: titles, note, room to sign, name.
fn signature(s: &Signature, page: &Page) -> Vec<Paragraph> {
    let titles = s.titles.iter();
    let mut out: Vec<Paragraph> = titles
        .map(|t| text(&t.to_uppercase(), 26, BOLD, A::Center))
        .collect();
    if !s.note.is_empty() {
        out.push(text(&s.note, 28, ITALIC, A::Center));
    }
    out.push(space(if page.landscape { 12.0 } else { 22.0 }));
    out.push(spacing(text(&s.name, 28, BOLD, A::Center), 0.0, 3.0, 240));
    out
}

fn recipients(list: &[String]) -> Vec<Paragraph> {
    if list.is_empty() {
        return Vec::new();
    }
    let mut out = vec![text("Nơi nhận:", 24, BOLD | ITALIC, A::Left)];
    out.extend(list.iter().map(|r| text(r, 22, PLAIN, A::Left)));
    out
}

/// With one signer, "Nơi nhận:" on the left and the signature on the right; with more, the
/// signatures two to a row (and "Nơi nhận:" under them, see `render`).
fn signatures(doc: &Document, page: &Page) -> Table {
    let half = page.width / 2;
    let widths = [half, page.width - half];
    let rows: Vec<Vec<TableCell>> = if doc.signatures.len() <= 1 {
        let right = doc.signatures.first().map(|s| signature(s, page));
        let right = cell(widths[1], right.unwrap_or_default());
        vec![vec![cell(half, recipients(&doc.recipients)), right]]
    } else {
        let pairs = doc.signature_rows().into_iter();
        pairs
            .map(|pair| {
                let block = |i: usize| pair.get(i).map(|s| signature(s, page));
                let cells = widths.iter().enumerate();
                cells
                    .map(|(i, w)| cell(*w, block(i).unwrap_or_default()))
                    .collect()
            })
            .collect()
    };
    let rows = rows.into_iter().map(|c| TableRow::new(c).cant_split());
    table(&widths, rows.collect(), false)
}

/// The page number, centred at the top.
fn page_number() -> Header {
    let num = Run::new()
        .size(26)
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("2")
        .add_field_char(FieldCharType::End, false);
    Header::new().add_paragraph(Paragraph::new().align(A::Center).add_run(num))
}

/// The document as the bytes of a .docx file.
pub fn render(doc: &Document) -> anyhow::Result<Vec<u8>> {
    render_all(std::slice::from_ref(doc))
}

/// Several documents in one .docx, each from a new page (a decision and its annexed list):
/// the page set up by the first.
pub fn render_all(docs: &[Document]) -> anyhow::Result<Vec<u8>> {
    let Some(first) = docs.first() else {
        anyhow::bail!("docx: no document");
    };
    let landscape = first.landscape();
    let (w, h, orient) = if landscape {
        (A4.1, A4.0, PageOrientationType::Landscape)
    } else {
        (A4.0, A4.1, PageOrientationType::Portrait)
    };
    // Decree 30: the left margin is 30-35 mm on landscape pages too.
    let left_mm = 30.0;
    let width = w as i32 - twips(left_mm) - twips(15.0);
    let page = Page { landscape, width };
    let fonts = RunFonts::new().ascii(FONT).hi_ansi(FONT);
    let fonts = fonts.east_asia(FONT).cs(FONT);
    let margins = PageMargin::new()
        .top(twips(20.0))
        .bottom(twips(20.0))
        .left(twips(left_mm))
        .right(twips(15.0))
        .header(twips(10.0))
        .footer(twips(10.0))
        .gutter(0);
    let mut d = Docx::new()
        .page_size(w, h)
        .page_orient(orient)
        .page_margin(margins)
        .default_fonts(fonts)
        .default_size(28)
        // Page numbers from page 2: the first page has a header of its own, empty.
        .header(page_number())
        .first_header(Header::new().add_paragraph(Paragraph::new()));
    for (i, doc) in docs.iter().enumerate() {
        if i > 0 {
            d = d.add_paragraph(space(0.0).page_break_before(true));
        }
        d = add_document(d, doc, &page);
    }
    let mut out = std::io::Cursor::new(Vec::new());
    d.pack(&mut out).map_err(|e| anyhow::anyhow!("docx: {e}"))?;
    Ok(out.into_inner())
}

fn add_document(mut d: Docx, doc: &Document, page: &Page) -> Docx {
    let landscape = page.landscape;
    let title = text(&doc.h.doc_type.to_uppercase(), 28, BOLD, A::Center);
    d = d.add_table(head(doc, page)).add_paragraph(spacing(
        title,
        if landscape { 7.0 } else { 10.0 },
        1.0,
        240,
    ));
    if !doc.h.subject.is_empty() {
        let subject = text(&doc.h.subject, 28, BOLD, A::Center);
        d = d
            .add_paragraph(spacing(subject, 0.0, 0.0, 240))
            .add_paragraph(text_rule(page.width, &doc.h.subject, 14.0, 4.0));
    }
    // Body text: 1.15 lines, as the print view's line height of 1.35 em comes out; 6 pt
    // between paragraphs, the Decree's least.
    let indent = Some(SpecialIndentType::FirstLine(twips(10.0)));
    let keep = doc.keeps_closing();
    let last = doc.blocks.len().saturating_sub(1);
    for (i, b) in doc.blocks.iter().enumerate() {
        // The last paragraph stays on the page of the signatures (keep with next).
        let closing = keep && i == last;
        d = match b {
            Block::Heading(t) => {
                let p = spacing(text(t, 28, BOLD, A::Left), PT6, PT6, 276);
                d.add_paragraph(p.keep_next(true))
            }
            Block::Paragraph(t) => {
                let lines = Block::lines(t);
                let n = lines.len();
                lines.into_iter().enumerate().fold(d, |d, (k, line)| {
                    let p = spacing(text(line, 28, PLAIN, A::Both), 0.0, PT6, 276);
                    let p = p.indent(None, indent, None, None);
                    let p = if closing && k + 1 == n {
                        p.keep_next(true).keep_lines(true)
                    } else {
                        p
                    };
                    d.add_paragraph(p)
                })
            }
            Block::Centered(t) => {
                let p = spacing(text(t, 28, PLAIN, A::Center), 0.0, 3.0, 276);
                d.add_paragraph(p.keep_next(closing))
            }
            Block::CenteredBold(t) => {
                let p = spacing(text(t, 28, BOLD, A::Center), 0.0, 3.0, 276);
                d.add_paragraph(p.keep_next(closing))
            }
            Block::Note(t) => {
                let p = spacing(text(t, 21, ITALIC, A::Both), 1.0, PT6, 240);
                d.add_paragraph(p.indent(None, indent, None, None).keep_next(closing))
            }
            Block::Table { widths, head, rows } => {
                d.add_paragraph(space(3.0))
                    .add_table(grid(page, widths, head, rows, i == last))
            }
        };
    }
    let below = doc.signatures.len() > 1 && !doc.recipients.is_empty();
    d = d
        .add_paragraph(space(if landscape { 3.0 } else { 6.0 }).keep_next(true))
        .add_table(signatures(doc, page))
        // The body does not end on a table.
        .add_paragraph(space(if below { 3.0 } else { 0.0 }));
    if below {
        d = recipients(&doc.recipients)
            .into_iter()
            .fold(d, Docx::add_paragraph);
    }
    d
}

/// The .docx as a download named `filename` (Vietnamese allowed).
pub fn response(filename: &str, bytes: Vec<u8>) -> Response {
    crate::web::download::attachment(filename, MIME, bytes)
}

#[cfg(test)]
mod tests;
