//! Certificate layouts: where each field of a certificate prints on the pre-printed blank, and
//! the pure rules about them (the paper's size, what fits on it, moving a layout to another
//! paper, the texts a certificate prints). Lengths are whole tenths of a millimetre and font
//! sizes whole tenths of a point, so a saved layout compares and prints exactly as typed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Points in a millimetre (a point is 1/72 inch).
pub const PT_PER_MM: f64 = 72.0 / 25.4;

pub fn mm_to_pt(mm: f64) -> f64 {
    mm * PT_PER_MM
}

pub fn pt_to_mm(pt: f64) -> f64 {
    pt / PT_PER_MM
}

/// Liberation Serif's ascent plus descent, in ems: the height of one line of text as a word
/// box measures it. A field's `y` is the top of that box.
pub const TEXT_HEIGHT_EM: f64 = (1825.0 + 443.0) / 2048.0;

/// The smallest and largest font sizes a field may take, in tenths of a point.
pub const MIN_SIZE: i32 = 60;
pub const MAX_SIZE: i32 = 720;
/// The narrowest a field may be, in tenths of a millimetre.
pub const MIN_WIDTH: i32 = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Paper {
    A4,
    A3,
}

impl Paper {
    pub fn code(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::A3 => "A3",
        }
    }

    pub fn parse(s: &str) -> Option<Paper> {
        match s.trim() {
            "A4" => Some(Paper::A4),
            "A3" => Some(Paper::A3),
            _ => None,
        }
    }

    /// Width × height upright, in tenths of a millimetre.
    fn upright(self) -> (i32, i32) {
        match self {
            Paper::A4 => (2100, 2970),
            Paper::A3 => (2970, 4200),
        }
    }
}

/// The paper and which way round it goes into the printer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sheet {
    pub paper: Paper,
    pub landscape: bool,
}

impl Sheet {
    /// Width × height as printed, in tenths of a millimetre.
    pub fn size(self) -> (i32, i32) {
        let (w, h) = self.paper.upright();
        if self.landscape { (h, w) } else { (w, h) }
    }

    /// "A4 ngang", "A3 dọc".
    pub fn name(self) -> String {
        let way = if self.landscape { "ngang" } else { "dọc" };
        format!("{} {way}", self.paper.code())
    }
}

/// The fields a certificate prints, in the order the page lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Recipient,
    Award,
    Reason,
    Decision,
    PlaceDate,
    SignerTitle,
    SignerName,
}

pub const FIELDS: [Field; 7] = [
    Field::Award,
    Field::Recipient,
    Field::Reason,
    Field::Decision,
    Field::PlaceDate,
    Field::SignerTitle,
    Field::SignerName,
];

impl Field {
    /// The field's name in forms and CSS classes.
    pub fn key(self) -> &'static str {
        match self {
            Field::Recipient => "recipient",
            Field::Award => "award",
            Field::Reason => "reason",
            Field::Decision => "decision",
            Field::PlaceDate => "place_date",
            Field::SignerTitle => "signer_title",
            Field::SignerName => "signer_name",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::Recipient => "Tên tập thể được khen thưởng",
            Field::Award => "Hình thức khen thưởng",
            Field::Reason => "Dòng thành tích",
            Field::Decision => "Số, ngày quyết định",
            Field::PlaceDate => "Địa danh, ngày tháng",
            Field::SignerTitle => "Chức vụ người ký",
            Field::SignerName => "Họ tên người ký",
        }
    }
}

/// One field's box: the top-left of its text from the paper's top-left and its width (tenths of
/// a millimetre), its font size (tenths of a point) and style.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldBox {
    pub field: Field,
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub size: i32,
    pub bold: bool,
    pub italic: bool,
    pub centred: bool,
    pub shown: bool,
}

impl FieldBox {
    /// The height of one line of the field's text, in tenths of a millimetre (rounded up).
    pub fn line_height(&self) -> i32 {
        (pt_to_mm(self.size as f64 / 10.0) * TEXT_HEIGHT_EM * 10.0).ceil() as i32
    }
}

/// A certificate kind's layout: the paper, the layout's own texts, and every field's box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    pub sheet: Sheet,
    /// The reason line; `{năm}` stands for the award's year.
    pub reason: String,
    pub place: String,
    pub signer_title: String,
    pub signer_name: String,
    /// One box per field, in the order of `FIELDS`.
    pub boxes: Vec<FieldBox>,
}

/// The reason line of a layout nobody has saved yet.
pub const DEFAULT_REASON: &str = "Đã có thành tích xuất sắc trong phong trào thi đua năm {năm}";

fn default_box(f: Field) -> FieldBox {
    // A landscape A4 bằng khen: the blank prints the emblem, the national title and the
    // award's heading above; the texts go in the middle band and the signature on the right.
    let (x, y, width, size, bold, italic, centred) = match f {
        Field::Award => (400, 760, 2170, 160, true, false, true),
        Field::Recipient => (400, 900, 2170, 180, true, false, true),
        Field::Reason => (400, 1050, 2170, 140, false, true, true),
        Field::Decision => (300, 1800, 1100, 120, false, false, false),
        Field::PlaceDate => (1600, 1400, 1200, 130, false, true, true),
        Field::SignerTitle => (1600, 1480, 1200, 130, true, false, true),
        Field::SignerName => (1600, 1780, 1200, 140, true, false, true),
    };
    FieldBox {
        field: f,
        x,
        y,
        width,
        size,
        bold,
        italic,
        centred,
        shown: true,
    }
}

impl Layout {
    /// The layout used while none is saved: a landscape A4 bằng khen.
    pub fn standard(place: &str) -> Layout {
        Layout {
            sheet: Sheet {
                paper: Paper::A4,
                landscape: true,
            },
            reason: DEFAULT_REASON.to_string(),
            place: place.to_string(),
            signer_title: String::new(),
            signer_name: String::new(),
            boxes: FIELDS.iter().map(|f| default_box(*f)).collect(),
        }
    }

    /// Boxes as stored, one per field in the order of `FIELDS`; a field missing from the store
    /// (none today) takes its default box.
    pub fn boxes_from(stored: &[FieldBox]) -> Vec<FieldBox> {
        FIELDS
            .iter()
            .map(|f| {
                stored
                    .iter()
                    .find(|b| b.field == *f)
                    .copied()
                    .unwrap_or_else(|| default_box(*f))
            })
            .collect()
    }

    pub fn boxed(&self, f: Field) -> &FieldBox {
        self.boxes
            .iter()
            .find(|b| b.field == f)
            .expect("a layout has every field")
    }

    /// The same layout on another sheet: every box moves in proportion to the paper, then is
    /// pulled back inside where its text would cross an edge; font sizes stay.
    pub fn rescaled(&self, to: Sheet) -> Layout {
        let mut l = self.clone();
        let (w0, h0) = self.sheet.size();
        let (w1, h1) = to.size();
        for b in &mut l.boxes {
            let scale =
                |v: i32, from: i32, into: i32| (v as i64 * into as i64 / from as i64) as i32;
            b.width = scale(b.width, w0, w1).clamp(MIN_WIDTH, w1);
            b.x = scale(b.x, w0, w1).min(w1 - b.width).max(0);
            b.y = scale(b.y, h0, h1).min(h1 - b.line_height()).max(0);
        }
        l.sheet = to;
        l
    }
}

/// Why a box does not fit on the sheet, worded for the field's row on the form.
pub fn overflow(b: &FieldBox, sheet: Sheet) -> Option<(&'static str, String)> {
    let (w, h) = sheet.size();
    if b.x + b.width > w {
        return Some((
            "width",
            format!(
                "Lề trái cộng chiều rộng ({}) vượt khổ giấy {} (rộng {} mm).",
                mm_words(b.x + b.width),
                sheet.name(),
                mm_words(w)
            ),
        ));
    }
    if b.y + b.line_height() > h {
        return Some((
            "y",
            format!(
                "Dòng chữ ở vị trí này vượt mép dưới khổ giấy {} (cao {} mm).",
                sheet.name(),
                mm_words(h)
            ),
        ));
    }
    None
}

/// "12,5" for 125 tenths: a length as Vietnamese write it, without the unit.
pub fn tenths_vn(t: i32) -> String {
    if t % 10 == 0 {
        (t / 10).to_string()
    } else {
        format!(
            "{}{},{}",
            if t < 0 { "-" } else { "" },
            t.abs() / 10,
            t.abs() % 10
        )
    }
}

fn mm_words(t: i32) -> String {
    tenths_vn(t)
}

/// "12.5" for 125 tenths: a length for CSS and SVG.
pub fn tenths_css(t: i32) -> String {
    format!("{}.{}", t / 10, (t % 10).abs())
}

/// The reason line with `{năm}` replaced by the award's year; nothing else is substituted.
pub fn reason_line(reason: &str, year: i32) -> String {
    reason.replace("{năm}", &year.to_string())
}

/// What one certificate is about, as the award history records it.
#[derive(Clone, Debug)]
pub struct AwardFacts {
    pub recipient: String,
    pub award: String,
    pub year: i32,
    pub decision_number: String,
    pub decision_date: Option<NaiveDate>,
}

/// Each shown field with the text it prints.
pub fn texts(l: &Layout, a: &AwardFacts) -> Vec<(FieldBox, String)> {
    let decision = match (a.decision_number.trim(), a.decision_date) {
        ("", None) => String::new(),
        (n, Some(d)) if !n.is_empty() => {
            format!("Quyết định số {n} ngày {}", d.format("%d/%m/%Y"))
        }
        (n, None) => format!("Quyết định số {n}"),
        (_, Some(d)) => format!("Quyết định ngày {}", d.format("%d/%m/%Y")),
    };
    let place_date = match a.decision_date {
        Some(d) => crate::web::print::DocHeader::place_date(&l.place, d),
        None => format!("{}, ngày …… tháng …… năm ……", l.place.trim()),
    };
    l.boxes
        .iter()
        .filter(|b| b.shown)
        .map(|b| {
            let text = match b.field {
                Field::Recipient => a.recipient.clone(),
                Field::Award => a.award.clone(),
                Field::Reason => reason_line(&l.reason, a.year),
                Field::Decision => decision.clone(),
                Field::PlaceDate => place_date.clone(),
                Field::SignerTitle => l.signer_title.clone(),
                Field::SignerName => l.signer_name.clone(),
            };
            (*b, text)
        })
        .collect()
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
