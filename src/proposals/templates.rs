//! Document templates as data: each kind of document is a list of sections in order. A section
//! is the document's title line, text the leader or the unit writes (prefilled from the
//! template, with "{fields}" filled in when printed), or a block the system generates from its
//! own figures. The texts they cite are those of the rule set in force on the dossier's date
//! (settings::rules), filled into "{can_cu_phap_ly}"; a council writes new versions when the
//! forms change.

use serde::{Deserialize, Serialize};

pub const KINDS: &[&str] = &[
    "cover_letter",
    "minutes",
    "achievement_report",
    "nominee_list",
];

pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "cover_letter" => "Tờ trình đề nghị khen thưởng",
        "minutes" => "Biên bản họp bình xét thi đua",
        "achievement_report" => "Báo cáo thành tích (tập thể)",
        "nominee_list" => "Danh sách đề nghị khen thưởng",
        _ => "",
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Fill {
    /// The document type or subject line.
    Title,
    /// Text a person writes; the template's text is where they start.
    User,
    /// Generated from the vote, the scores or the history; nobody types over it.
    System,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Section {
    pub key: String,
    /// What the section is, for the editors' labels (e.g. "Căn cứ đề nghị").
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub heading: String,
    #[serde(default)]
    pub text: String,
    pub fill: Fill,
}

impl Section {
    pub fn is_user(&self) -> bool {
        self.fill == Fill::User
    }
    pub fn is_system(&self) -> bool {
        self.fill == Fill::System
    }
    pub fn is_title(&self) -> bool {
        self.fill == Fill::Title
    }
    /// What a system block holds, for the template editor.
    pub fn system_label(&self) -> &'static str {
        match self.key.as_str() {
            "nominees" => "Danh sách đơn vị được đề nghị, theo từng hình thức, với tỷ lệ phiếu",
            "attendance" => "Chủ trì, thư ký, đơn vị có mặt và vắng mặt (theo danh sách bỏ phiếu)",
            "counting" => "Ban kiểm phiếu, số phiếu phát ra và thu về",
            "results" => "Bảng kết quả bỏ phiếu từng đơn vị, từng hình thức",
            "election" => "Kết quả bầu cụm trưởng, cụm phó năm sau",
            "scores" => "Kết quả chấm điểm, xếp hạng, xếp loại năm thi đua",
            "past_awards" => "Bảng các hình thức khen thưởng đã nhận (5 năm trước)",
            "table" => "Bảng danh sách đơn vị, hình thức, điểm, xếp hạng, tỷ lệ phiếu",
            _ => "Nội dung do hệ thống lập",
        }
    }
}

/// The system blocks each kind of document must keep, whatever a new version changes.
pub fn required_system_keys(kind: &str) -> &'static [&'static str] {
    match kind {
        "cover_letter" => &["nominees"],
        "minutes" => &["attendance", "counting", "results", "election"],
        "achievement_report" => &["scores", "past_awards"],
        "nominee_list" => &["table"],
        _ => &[],
    }
}

fn title(key: &str, text: &str) -> Section {
    Section {
        key: key.into(),
        label: if key == "doc_type" {
            "Tên loại văn bản"
        } else {
            "Trích yếu"
        }
        .into(),
        heading: String::new(),
        text: text.into(),
        fill: Fill::Title,
    }
}

fn user(key: &str, label: &str, heading: &str, text: &str) -> Section {
    Section {
        key: key.into(),
        label: label.into(),
        heading: heading.into(),
        text: text.into(),
        fill: Fill::User,
    }
}

fn system(key: &str, heading: &str) -> Section {
    Section {
        key: key.into(),
        label: String::new(),
        heading: heading.into(),
        text: String::new(),
        fill: Fill::System,
    }
}

pub struct Default {
    pub kind: &'static str,
    pub name: &'static str,
    pub legal_basis: &'static str,
    pub sections: Vec<Section>,
}

/// The texts are those in force on each dossier's date (the rule sets, settings page), printed
/// where a section names {can_cu_phap_ly}; the layout follows Decree 30/2020 throughout.
const BASIS: &str = "Luật, nghị định, thông tư có hiệu lực vào ngày của hồ sơ (trang Quy định \
                     về hồ sơ đề nghị); Nghị định số 30/2020/NĐ-CP về công tác văn thư";

/// The shipped version 1 of every kind.
pub fn defaults() -> Vec<Default> {
    vec![
        Default {
            kind: "cover_letter",
            name: "Tờ trình đề nghị khen thưởng (Mẫu số 01)",
            legal_basis: BASIS,
            sections: vec![
                title("doc_type", "TỜ TRÌNH"),
                title("subject", "Về việc đề nghị khen thưởng năm {nam}"),
                user("to", "Kính gửi", "", "Kính gửi: {don_vi_to_chuc}"),
                user(
                    "basis",
                    "Căn cứ",
                    "",
                    "Căn cứ {can_cu_phap_ly};\n\
                     Căn cứ Quy chế hoạt động của {cum};\n\
                     Căn cứ kết quả chấm điểm, xếp hạng thi đua năm {nam} và kết quả bình xét, \
                     suy tôn tại cuộc họp {ngay_hop} của {cum}, với {so_phieu}/{so_thanh_vien} \
                     đơn vị thành viên tham gia bỏ phiếu,",
                ),
                user(
                    "request",
                    "Lời đề nghị",
                    "",
                    "{cum_truong}, đơn vị Cụm trưởng {cum} năm {nam}, kính trình Hội đồng Thi \
                     đua - Khen thưởng xem xét, đề nghị khen thưởng cho các tập thể sau:",
                ),
                system("nominees", ""),
                user(
                    "closing",
                    "Phần kết",
                    "",
                    "(Có biên bản họp bình xét, danh sách đề nghị và báo cáo thành tích của các \
                     tập thể kèm theo.)\n\
                     Kính trình Hội đồng Thi đua - Khen thưởng xem xét, quyết định./.",
                ),
            ],
        },
        Default {
            kind: "minutes",
            name: "Biên bản họp bình xét thi đua",
            legal_basis: BASIS,
            sections: vec![
                title("doc_type", "BIÊN BẢN"),
                title("subject", "Họp bình xét thi đua năm {nam} của {cum}"),
                user(
                    "opening",
                    "Thời gian, địa điểm",
                    "",
                    "Vào hồi {gio_hop}, {ngay_hop}, tại {dia_diem}, {cum} tổ chức họp tổng kết \
                     và bình xét thi đua năm {nam}.",
                ),
                system("attendance", "I. THÀNH PHẦN"),
                user(
                    "discussion",
                    "Nội dung cuộc họp",
                    "II. NỘI DUNG",
                    "Hội nghị đã nghe {cum_truong} trình bày báo cáo tổng kết công tác thi đua, \
                     khen thưởng năm {nam} của {cum} và kết quả chấm điểm, xếp hạng thi đua của \
                     các đơn vị thành viên. Các đại biểu đã thảo luận, thống nhất với báo cáo và \
                     tiến hành bình xét, suy tôn bằng hình thức bỏ phiếu kín.",
                ),
                system("counting", "III. KIỂM PHIẾU"),
                system("results", "IV. KẾT QUẢ BỎ PHIẾU BÌNH XÉT, SUY TÔN"),
                system("election", "V. BẦU CỤM TRƯỞNG, CỤM PHÓ NĂM {nam_sau}"),
                user(
                    "closing",
                    "Phần kết",
                    "",
                    "Biên bản đã được thông qua tại cuộc họp, các đại biểu dự họp nhất trí. Cuộc \
                     họp kết thúc cùng ngày.",
                ),
            ],
        },
        Default {
            kind: "achievement_report",
            name: "Báo cáo thành tích đề nghị khen thưởng (tập thể)",
            legal_basis: BASIS,
            sections: vec![
                title("doc_type", "BÁO CÁO THÀNH TÍCH"),
                title("subject", "Đề nghị tặng {danh_hieu} năm {nam}"),
                user("name", "Tên tập thể", "", "Tên tập thể đề nghị: {don_vi}"),
                user(
                    "situation",
                    "Sơ lược đặc điểm, tình hình",
                    "I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH",
                    "1. Đặc điểm, tình hình: (địa điểm trụ sở, quá trình thành lập, tổ chức bộ \
                     máy, tổ chức Đảng, đoàn thể)\n\
                     2. Chức năng, nhiệm vụ: ",
                ),
                user(
                    "achievements",
                    "Thành tích đạt được",
                    "II. THÀNH TÍCH ĐẠT ĐƯỢC",
                    "1. Kết quả thực hiện các chỉ tiêu, nhiệm vụ được giao năm {nam}: \n\
                     2. Các giải pháp, sáng kiến, đề tài đã áp dụng: \n\
                     3. Việc thực hiện các phong trào thi đua và giao ước thi đua: ",
                ),
                system(
                    "scores",
                    "Kết quả chấm điểm, xếp hạng thi đua trong {cum} năm {nam}:",
                ),
                system(
                    "past_awards",
                    "III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN",
                ),
            ],
        },
        Default {
            kind: "nominee_list",
            name: "Danh sách đề nghị khen thưởng",
            legal_basis: BASIS,
            sections: vec![
                title("doc_type", "DANH SÁCH"),
                title("subject", "Tập thể đề nghị khen thưởng năm {nam} của {cum}"),
                system("table", ""),
                user(
                    "note",
                    "Ghi chú",
                    "",
                    "Danh sách gồm các tập thể đạt tỷ lệ phiếu đồng ý theo quy định khi bình xét, \
                     suy tôn tại cuộc họp {ngay_hop}; căn cứ {can_cu_phap_ly}.",
                ),
            ],
        },
    ]
}

/// Checks a new version's sections: the title lines, every required block, no typos in the
/// fields, no empty user sections. Messages keyed by the form's field names.
pub fn validate(kind: &str, sections: &[Section]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, s) in sections.iter().enumerate() {
        let field = format!("text_{i}");
        let problem = if s.fill == Fill::System {
            super::model::unknown_fields_message(&s.heading)
        } else {
            super::model::section_text_problem(&s.text, 5000)
                .or_else(|| super::model::unknown_fields_message(&s.heading))
        };
        if let Some(m) = problem {
            out.push((field.clone(), m));
        }
        if s.heading.chars().count() > 300 {
            out.push((field, "Đề mục dài quá 300 ký tự.".to_string()));
        }
    }
    for key in required_system_keys(kind)
        .iter()
        .copied()
        .chain(["doc_type", "subject"])
    {
        if !sections.iter().any(|s| s.key == key) {
            out.push(("sections".into(), format!("Mẫu phải giữ phần “{key}”.")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_is_valid_and_keeps_its_blocks() {
        let d = defaults();
        assert_eq!(d.len(), KINDS.len());
        for t in &d {
            assert!(KINDS.contains(&t.kind));
            assert!(!kind_label(t.kind).is_empty());
            assert!(validate(t.kind, &t.sections).is_empty(), "{}", t.kind);
        }
    }

    #[test]
    fn a_new_version_cannot_drop_the_vote_figures_or_misname_a_field() {
        let mut minutes = defaults().remove(1).sections;
        minutes.retain(|s| s.key != "results");
        minutes[2].text = "Vào hồi {gio} ngày {ngay_hop}".into();
        let errors = validate("minutes", &minutes);
        assert!(
            errors
                .iter()
                .any(|(f, m)| f == "sections" && m.contains("results"))
        );
        assert!(
            errors
                .iter()
                .any(|(f, m)| f == "text_2" && m.contains("{gio}"))
        );
    }

    #[test]
    fn sections_round_trip_through_json() {
        let s = &defaults()[0].sections;
        let json = serde_json::to_value(s).unwrap();
        assert_eq!(json[0]["fill"], "title");
        let back: Vec<Section> = serde_json::from_value(json).unwrap();
        assert_eq!(back.len(), s.len());
        assert_eq!(back[5].fill, Fill::System);
    }
}
