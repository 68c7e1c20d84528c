//! The templates' words: the fields a text may name in braces, filling them, the checks the
//! editors show, and dates and figures as documents write them.

use std::collections::BTreeMap;

use chrono::NaiveDate;

/// The values a template's text may name in braces, e.g. "{cum}" or "{nam}".
pub type Values = BTreeMap<&'static str, String>;

/// The fields every template may use, with what they mean (shown beside the editors).
pub const FIELDS: &[(&str, &str)] = &[
    ("nam", "năm thi đua"),
    ("nam_sau", "năm sau"),
    ("cum", "tên cụm, khối thi đua"),
    ("don_vi_to_chuc", "tên Hội đồng / đơn vị tổ chức"),
    ("cum_truong", "đơn vị cụm trưởng"),
    ("ngay_hop", "ngày họp bình xét"),
    ("gio_hop", "giờ họp"),
    ("dia_diem", "địa điểm họp"),
    ("chu_tri", "người chủ trì"),
    ("thu_ky", "thư ký"),
    ("so_thanh_vien", "số đơn vị thành viên"),
    ("so_phieu", "số phiếu thu về"),
    ("don_vi", "đơn vị viết báo cáo"),
    ("danh_hieu", "danh hiệu đề nghị cho đơn vị"),
    (
        "can_cu_phap_ly",
        "luật, nghị định, thông tư có hiệu lực vào ngày của hồ sơ",
    ),
];

/// Replaces every known "{field}" in `text` by its value; unknown braces stay as typed.
pub fn fill(text: &str, values: &Values) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if values.contains_key(&after[..close]) => {
                out.push_str(&values[&after[..close]]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The names in braces that no template field answers to: a typo the editor should point out.
pub fn unknown_fields(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !FIELDS.iter().any(|(f, _)| *f == name) && !out.iter().any(|o| o == name) {
            out.push(name.to_string());
        }
        rest = &after[close + 1..];
    }
    out
}

/// The message for a text that names fields no template has, if it does.
pub fn unknown_fields_message(text: &str) -> Option<String> {
    let unknown = unknown_fields(text);
    (!unknown.is_empty()).then(|| {
        format!(
            "Không có trường {}; các trường dùng được ở bảng bên dưới.",
            unknown
                .iter()
                .map(|u| format!("{{{u}}}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// What is wrong with a section's text as typed, if anything: empty, longer than `max`
/// characters, or naming a field no template has.
pub fn section_text_problem(text: &str, max: usize) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return Some("Hãy nhập nội dung phần này.".into());
    }
    if text.chars().count() > max {
        return Some(format!(
            "Nội dung dài quá {} ký tự.",
            crate::web::vn::integer(max as i64)
        ));
    }
    unknown_fields_message(text)
}

/// "ngày 15 tháng 12 năm 2019", the way minutes and letters write a date inside a sentence.
pub fn date_in_words(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "ngày {:02} tháng {:02} năm {}",
        d.day(),
        d.month(),
        d.year()
    )
}

pub use crate::web::vn::percent as percent_vn;
