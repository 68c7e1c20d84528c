//! The print view of certificates and of the calibration sheet. Pages may carry no inline
//! style (the content security policy forbids it), so every layout's positions are one style
//! sheet (`/council/certificates/layouts.css`), a class per layout; the calibration grid is SVG,
//! whose geometry is attributes, not style.

use std::fmt::Write;

use askama::Template;

use super::model::{Field, Layout, TEXT_HEIGHT_EM, tenths_css};

/// Lines of a field are this many ems apart; its `top` is moved up by the half of the extra
/// leading so that the first line's text starts at the field's `y`.
const LINE_HEIGHT_EM: f64 = 1.2;

/// The class of a layout in the style sheet: its award type's id, or 0 for the standard one.
pub fn class_of(award_type_id: Option<i64>) -> String {
    format!("c{}", award_type_id.unwrap_or(0))
}

const BASE_CSS: &str = r#"@page { margin: 0; }
html, body { margin: 0; padding: 0; }
body.certificates { background: #8a8a8a; color: #000; font-family: "Liberation Serif", "Times New Roman", Tinos, serif; }
.toolbar { font: 15px/1.5 "Liberation Sans", Arial, sans-serif; background: #fff; padding: 8px 16px; display: flex; gap: 16px; flex-wrap: wrap; }
.sheet { position: relative; overflow: hidden; background: #fff; margin: 8mm auto; }
.sheet + .sheet { break-before: page; }
.sheet .f { position: absolute; margin: 0; padding: 0; white-space: pre-wrap; overflow-wrap: break-word; }
.sheet .grid { position: absolute; left: 0; top: 0; }
.calibration .f { outline: 0.2mm dashed #c00; color: #b00; }
@media print {
  body.certificates { background: none; }
  .toolbar { display: none; }
  .sheet { margin: 0; }
}
"#;

/// The style sheet of every layout: each a named page of its paper, and each field's box.
pub fn css(layouts: &[(String, &Layout)]) -> String {
    let mut s = String::from(BASE_CSS);
    let lead = (LINE_HEIGHT_EM - TEXT_HEIGHT_EM) / 2.0;
    for (class, l) in layouts {
        let (w, h) = l.sheet.size();
        let (w, h) = (tenths_css(w), tenths_css(h));
        let _ = writeln!(s, "@page {class} {{ size: {w}mm {h}mm; margin: 0; }}");
        let _ = writeln!(
            s,
            ".sheet.{class} {{ page: {class}; width: {w}mm; height: {h}mm; }}"
        );
        for b in &l.boxes {
            let _ = writeln!(
                s,
                ".{class} .f-{} {{ left: {}mm; top: calc({}mm - {lead:.4}em); width: {}mm; \
                 font-size: {}pt; line-height: {LINE_HEIGHT_EM}; font-weight: {}; \
                 font-style: {}; text-align: {}; }}",
                b.field.key(),
                tenths_css(b.x),
                tenths_css(b.y),
                tenths_css(b.width),
                tenths_css(b.size),
                if b.bold { 700 } else { 400 },
                if b.italic { "italic" } else { "normal" },
                if b.centred { "center" } else { "left" },
            );
        }
    }
    s
}

/// A millimetre grid over the whole sheet: a fine line every millimetre, a stronger one every
/// 5 and a labelled one every 10, so staff read a field's offset on the blank to the millimetre.
pub fn grid(l: &Layout) -> String {
    let (w, h) = l.sheet.size();
    let (w, h) = (w / 10, h / 10);
    let mut s = format!(
        r#"<svg class="grid" xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}" aria-hidden="true">"#
    );
    let stroke = |i: i32| match (i % 10, i % 5) {
        (0, _) => (r##"#2a6fb0"##, "0.25"),
        (_, 0) => ("#7aa7d6", "0.12"),
        _ => ("#b9d3ee", "0.05"),
    };
    // Fine lines first, so that the stronger ones are drawn over them, never cut by them.
    for weight in [1, 5, 10] {
        let mine = |i: &i32| match weight {
            10 => i % 10 == 0,
            5 => i % 5 == 0 && i % 10 != 0,
            _ => i % 5 != 0,
        };
        for x in (0..=w).filter(mine) {
            let (c, sw) = stroke(x);
            let _ = write!(
                s,
                r#"<line x1="{x}" y1="0" x2="{x}" y2="{h}" stroke="{c}" stroke-width="{sw}"/>"#
            );
        }
        for y in (0..=h).filter(mine) {
            let (c, sw) = stroke(y);
            let _ = write!(
                s,
                r#"<line x1="0" y1="{y}" x2="{w}" y2="{y}" stroke="{c}" stroke-width="{sw}"/>"#
            );
        }
    }
    let label =
        r##"font-family="Liberation Sans, Arial, sans-serif" font-size="2.4" fill="#1d4f80""##;
    for x in (10..w).step_by(10) {
        let _ = write!(
            s,
            r#"<text x="{}" y="3" {label}>{x}</text>"#,
            x as f64 + 0.4
        );
    }
    for y in (10..h).step_by(10) {
        let _ = write!(
            s,
            r#"<text x="0.6" y="{}" {label}>{y}</text>"#,
            y as f64 - 0.5
        );
    }
    s.push_str("</svg>");
    s
}

/// One printed page: the layout's class, the grid (calibration only), the fields' texts.
pub struct SheetView {
    pub class: String,
    pub grid: String,
    pub fields: Vec<(Field, String)>,
}

#[derive(Template)]
#[template(path = "certificates/print.html")]
pub struct PrintPage {
    pub title: String,
    pub back: String,
    pub note: String,
    pub calibration: bool,
    pub sheets: Vec<SheetView>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificates::model::{Paper, Sheet};

    #[test]
    fn each_layout_is_a_named_page_of_its_paper_with_its_boxes_in_millimetres() {
        let mut l = Layout::standard("Lạng Sơn");
        l.sheet = Sheet {
            paper: Paper::A3,
            landscape: true,
        };
        let css = css(&[("c7".into(), &l)]);
        assert!(
            css.contains("@page c7 { size: 420.0mm 297.0mm; margin: 0; }"),
            "{css}"
        );
        assert!(
            css.contains(".c7 .f-recipient { left: 40.0mm; top: calc(90.0mm - "),
            "{css}"
        );
        assert!(css.contains("font-size: 18.0pt"), "{css}");
    }

    #[test]
    fn the_grid_has_a_line_every_millimetre_and_a_label_every_ten() {
        let g = grid(&Layout::standard(""));
        assert_eq!(g.matches("<line ").count(), 298 + 211);
        assert_eq!(g.matches("<text ").count(), 29 + 20);
        assert!(g.contains(r#"width="297mm" height="210mm""#));
    }
}
