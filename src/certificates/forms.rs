//! The layout form: every field's box typed in millimetres and points, kept as typed for a page
//! that shows an error, and its validation with a Vietnamese message beside each value.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::model::{
    FIELDS, Field, FieldBox, Layout, MAX_SIZE, MIN_SIZE, MIN_WIDTH, Paper, Sheet, overflow,
    tenths_vn,
};
use crate::web::forms::{Errors, Pairs, first, optional_text, parse_decimal};

/// One field's row as typed.
#[derive(Clone, Debug)]
pub struct RowForm {
    pub field: Field,
    pub x: String,
    pub y: String,
    pub width: String,
    pub size: String,
    pub bold: bool,
    pub italic: bool,
    pub centred: bool,
    pub shown: bool,
}

impl RowForm {
    /// The form name of one of the row's values, e.g. "recipient_x".
    pub fn name(&self, part: &str) -> String {
        format!("{}_{part}", self.field.key())
    }

    /// The row's typed lengths for the form: part, value, what it is.
    pub fn cells(&self) -> [(&'static str, &str, &'static str); 4] {
        [
            ("x", &self.x, "cách mép trái (mm)"),
            ("y", &self.y, "cách mép trên (mm)"),
            ("width", &self.width, "chiều rộng (mm)"),
            ("size", &self.size, "cỡ chữ (pt)"),
        ]
    }
}

#[derive(Clone, Debug)]
pub struct LayoutForm {
    pub paper: String,
    pub landscape: bool,
    pub reason: String,
    pub place: String,
    pub signer_title: String,
    pub signer_name: String,
    /// Move the boxes in proportion from the saved paper to the one chosen.
    pub rescale: bool,
    pub rows: Vec<RowForm>,
}

impl LayoutForm {
    pub fn of(l: &Layout) -> LayoutForm {
        LayoutForm {
            paper: l.sheet.paper.code().to_string(),
            landscape: l.sheet.landscape,
            reason: l.reason.clone(),
            place: l.place.clone(),
            signer_title: l.signer_title.clone(),
            signer_name: l.signer_name.clone(),
            rescale: false,
            rows: l
                .boxes
                .iter()
                .map(|b| RowForm {
                    field: b.field,
                    x: tenths_vn(b.x),
                    y: tenths_vn(b.y),
                    width: tenths_vn(b.width),
                    size: tenths_vn(b.size),
                    bold: b.bold,
                    italic: b.italic,
                    centred: b.centred,
                    shown: b.shown,
                })
                .collect(),
        }
    }

    pub fn from_pairs(p: &Pairs) -> LayoutForm {
        let on = |k: &str| !first(p, k).is_empty();
        LayoutForm {
            paper: first(p, "paper").to_string(),
            landscape: first(p, "orientation") != "portrait",
            reason: first(p, "reason").to_string(),
            place: first(p, "place").to_string(),
            signer_title: first(p, "signer_title").to_string(),
            signer_name: first(p, "signer_name").to_string(),
            rescale: on("rescale"),
            rows: FIELDS
                .iter()
                .map(|f| {
                    let k = |part: &str| format!("{}_{part}", f.key());
                    RowForm {
                        field: *f,
                        x: first(p, &k("x")).to_string(),
                        y: first(p, &k("y")).to_string(),
                        width: first(p, &k("width")).to_string(),
                        size: first(p, &k("size")).to_string(),
                        bold: on(&k("bold")),
                        italic: on(&k("italic")),
                        centred: first(p, &k("align")) != "left",
                        shown: on(&k("shown")),
                    }
                })
                .collect(),
        }
    }

    /// The layout, or a message beside each value that is wrong. `saved` is the sheet the
    /// positions were typed for when "move in proportion" is ticked.
    pub fn check(&self, saved: Sheet) -> Result<Layout, Errors> {
        let mut e = Errors::default();
        let paper = Paper::parse(&self.paper);
        if paper.is_none() {
            e.add("paper", "Hãy chọn khổ giấy A4 hoặc A3.");
        }
        let chosen = Sheet {
            paper: paper.unwrap_or(Paper::A4),
            landscape: self.landscape,
        };
        // Positions are checked on the paper they were typed for.
        let typed_for = if self.rescale { saved } else { chosen };
        let (w, h) = typed_for.size();
        let mut boxes = Vec::new();
        for r in &self.rows {
            let x = length(&mut e, &r.name("x"), &r.x, w, "chiều ngang", typed_for);
            let y = length(&mut e, &r.name("y"), &r.y, h, "chiều dọc", typed_for);
            let width = length(
                &mut e,
                &r.name("width"),
                &r.width,
                w,
                "chiều ngang",
                typed_for,
            );
            let width = width.filter(|v| {
                let ok = *v >= MIN_WIDTH;
                if !ok {
                    e.add(r.name("width"), "Chiều rộng phải từ 5 mm trở lên.");
                }
                ok
            });
            let size = parse_tenths(&r.size).filter(|s| (MIN_SIZE..=MAX_SIZE).contains(s));
            if size.is_none() {
                e.add(r.name("size"), "Cỡ chữ phải là số từ 6 đến 72 (pt).");
            }
            if let (Some(x), Some(y), Some(width), Some(size)) = (x, y, width, size) {
                let b = FieldBox {
                    field: r.field,
                    x,
                    y,
                    width,
                    size,
                    bold: r.bold,
                    italic: r.italic,
                    centred: r.centred,
                    shown: r.shown,
                };
                if let Some((part, msg)) = overflow(&b, typed_for) {
                    e.add(r.name(part), msg);
                }
                boxes.push(b);
            }
        }
        let reason = optional_text(&mut e, "reason", &self.reason, "Dòng thành tích", 300);
        let place = optional_text(&mut e, "place", &self.place, "Địa danh", 100);
        let signer_title = optional_text(
            &mut e,
            "signer_title",
            &self.signer_title,
            "Chức vụ người ký",
            200,
        );
        let signer_name = optional_text(
            &mut e,
            "signer_name",
            &self.signer_name,
            "Họ tên người ký",
            100,
        );
        if !e.is_empty() {
            return Err(e);
        }
        let l = Layout {
            sheet: typed_for,
            reason,
            place,
            signer_title,
            signer_name,
            boxes,
        };
        Ok(if self.rescale { l.rescaled(chosen) } else { l })
    }
}

/// "40", "40,5" or "40.5" millimetres (or points) as whole tenths; more decimals round.
fn parse_tenths(s: &str) -> Option<i32> {
    let d = parse_decimal(s)?;
    (d * Decimal::TEN).round().to_i32()
}

/// A length in millimetres from the paper's edge, at most `limit` tenths.
fn length(
    e: &mut Errors,
    name: &str,
    typed: &str,
    limit: i32,
    side: &str,
    sheet: Sheet,
) -> Option<i32> {
    if typed.trim().is_empty() {
        e.add(name, "Hãy nhập số mi-li-mét.");
        return None;
    }
    let Some(v) = parse_tenths(typed) else {
        e.add(
            name,
            "Không phải là số: hãy nhập số mi-li-mét, ví dụ 40 hoặc 40,5.",
        );
        return None;
    };
    if v < 0 {
        e.add(name, "Không được là số âm: khoảng cách tính từ mép giấy.");
        return None;
    }
    if v > limit {
        e.add(
            name,
            format!(
                "Vượt quá {side} của khổ giấy {} ({} mm).",
                sheet.name(),
                tenths_vn(limit)
            ),
        );
        return None;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed() -> LayoutForm {
        LayoutForm::of(&Layout::standard("Lạng Sơn"))
    }

    const A4_LANDSCAPE: Sheet = Sheet {
        paper: Paper::A4,
        landscape: true,
    };

    #[test]
    fn the_standard_layout_comes_back_as_it_was_typed() {
        assert_eq!(
            typed().check(A4_LANDSCAPE).unwrap(),
            Layout::standard("Lạng Sơn")
        );
    }

    #[test]
    fn letters_negatives_and_lengths_beyond_the_paper_are_named_beside_their_field() {
        let mut f = typed();
        f.rows[0].x = "bốn mươi".into();
        f.rows[1].y = "-3".into();
        f.rows[2].width = "400".into();
        f.rows[3].size = "2".into();
        f.rows[4].x = "250".into();
        f.reason = "Thành tích năm {năm}".into();
        let e = f.check(A4_LANDSCAPE).unwrap_err();
        assert!(e.get("award_x").unwrap().contains("Không phải là số"));
        assert!(e.get("recipient_y").unwrap().contains("số âm"));
        assert!(e.get("reason_width").unwrap().contains("A4 ngang (297 mm)"));
        assert!(e.get("decision_size").unwrap().contains("từ 6 đến 72"));
        // 250 + 120 mm wide crosses the right edge.
        assert!(e.get("place_date_width").unwrap().contains("rộng 297 mm"));
        assert_eq!(e.len(), 5);
    }

    #[test]
    fn decimals_with_a_comma_or_a_point_are_tenths() {
        assert_eq!(parse_tenths("40,5"), Some(405));
        assert_eq!(parse_tenths(" 40.55 "), Some(406));
        assert_eq!(parse_tenths("4O"), None);
    }

    #[test]
    fn moving_in_proportion_reads_positions_on_the_saved_paper() {
        let mut f = typed();
        f.paper = "A3".into();
        f.rescale = true;
        let l = f.check(A4_LANDSCAPE).unwrap();
        assert_eq!(l.sheet.name(), "A3 ngang");
        // The award's box, 40 mm from the left of 297, is 40 × 420/297 on A3.
        assert_eq!(l.boxes[0].x, 400 * 4200 / 2970);
        // Without the tick the same positions are taken as typed, on A3.
        f.rescale = false;
        assert_eq!(f.check(A4_LANDSCAPE).unwrap().boxes[0].x, 400);
    }
}
