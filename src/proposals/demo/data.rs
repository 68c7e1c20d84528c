//! The demo's facts, from the seed articles: the years' ends, past awards, deadlines, and
//! the words of an achievement report.

use serde_json::{Map, Value};

/// Each council's own name for its flag (the catalogue's category renamed by the cycle's demo).
pub(super) const FLAG_TOAAN: &str = "Cờ thi đua của Tòa án nhân dân";
pub(super) const FLAG_LANGSON: &str = "Cờ thi đua của Ủy ban nhân dân tỉnh Lạng Sơn";
pub(super) const MERIT: &str = "Bằng khen của Bộ, ban, ngành, tỉnh";

pub(super) struct YearEnd {
    pub(super) tenant: &'static str,
    pub(super) cluster: &'static str,
    pub(super) year: i32,
    /// Award quotas per cluster this council allows beyond the legal defaults.
    pub(super) quotas: &'static [(&'static str, i32)],
    /// (unit, award, the units that vote against it)
    pub(super) nominees: &'static [(&'static str, &'static str, &'static [&'static str])],
    pub(super) leader: &'static str,
    pub(super) deputy: &'static str,
    /// Heads' titles and names the documents sign with.
    pub(super) heads: &'static [(&'static str, &'static str, &'static str)],
    pub(super) number: &'static str,
    pub(super) meeting: (i32, u32, u32),
    pub(super) meeting_time: &'static str,
    pub(super) meeting_place: &'static str,
    pub(super) chair: &'static str,
    pub(super) secretary: &'static str,
    pub(super) letter: (i32, u32, u32),
    /// The council's decision, or None: received, waiting.
    pub(super) decision: Option<(&'static str, (i32, u32, u32), &'static str)>,
}

pub(super) const YEARS: &[YearEnd] = &[
    YearEnd {
        tenant: "toaan",
        cluster: "Cụm thi đua số VI",
        year: 2019,
        // No Government flag: a cluster does not vote it; the council chooses among the
        // leading units of all clusters (Công văn 5007), and 20% of one leading unit is none.
        quotas: &[(FLAG_TOAAN, 4)],
        nominees: &[
            ("tccb", FLAG_TOAAN, &[]),
            ("vanphong", FLAG_TOAAN, &[]),
            ("phapche", FLAG_TOAAN, &["htqt"]),
            ("hocvien", FLAG_TOAAN, &["ctpn", "tonghop"]),
        ],
        leader: "hocvien",
        deputy: "thanhtra",
        heads: &[
            ("khtc", "Cục trưởng", ""),
            ("tccb", "Vụ trưởng", ""),
            ("vanphong", "Chánh Văn phòng", ""),
            ("phapche", "Vụ trưởng", ""),
            ("hocvien", "Giám đốc", ""),
        ],
        number: "25/TTr-CTĐVI",
        meeting: (2019, 12, 20),
        meeting_time: "08 giờ 30",
        meeting_place: "trụ sở Tòa án nhân dân tối cao, 48 Lý Thường Kiệt, Hà Nội",
        chair: "Tưởng Quốc Chiến",
        secretary: "Nguyễn Thu Trang",
        letter: (2019, 12, 23),
        decision: None,
    },
    YearEnd {
        tenant: "langson",
        cluster: "Cụm thi đua các cơ quan Nội chính tỉnh",
        year: 2023,
        quotas: &[],
        nominees: &[
            ("tand-ls", FLAG_LANGSON, &[]),
            ("qs-ls", MERIT, &["bp-ls"]),
            ("csd2", MERIT, &["vks-ls"]),
        ],
        leader: "thads-ls",
        deputy: "csd2",
        heads: &[
            ("tand-ls", "Chánh án", "Chu Lệ Hường"),
            ("qs-ls", "Chỉ huy trưởng", ""),
            ("csd2", "Tiểu đoàn trưởng", ""),
        ],
        number: "02/TTr-CNC",
        meeting: (2024, 1, 9),
        meeting_time: "14 giờ 00",
        meeting_place: "hội trường Tòa án nhân dân tỉnh Lạng Sơn",
        chair: "Chu Lệ Hường",
        secretary: "Hoàng Thị Mai",
        letter: (2024, 1, 11),
        decision: Some((
            "156/QĐ-UBND",
            (2024, 1, 26),
            "Chủ tịch Ủy ban nhân dân tỉnh Lạng Sơn",
        )),
    },
];

/// An award of the years before thidua, as a unit's paper record gives it.
pub(super) struct Past {
    pub(super) tenant: &'static str,
    pub(super) unit: &'static str,
    pub(super) year: i32,
    pub(super) award: &'static str,
    pub(super) number: &'static str,
    pub(super) signed: (i32, u32, u32),
    pub(super) issuer: &'static str,
}

pub(super) const PAST: &[Past] = &[
    Past {
        tenant: "toaan",
        unit: "tccb",
        year: 2018,
        award: "Tập thể lao động xuất sắc",
        number: "89/QĐ-TANDTC",
        signed: (2019, 1, 18),
        issuer: "Chánh án Tòa án nhân dân tối cao",
    },
    Past {
        tenant: "toaan",
        unit: "vanphong",
        year: 2018,
        award: "Cờ thi đua của Tòa án nhân dân",
        number: "90/QĐ-TANDTC",
        signed: (2019, 1, 18),
        issuer: "Chánh án Tòa án nhân dân tối cao",
    },
    Past {
        tenant: "langson",
        unit: "tand-ls",
        year: 2021,
        award: "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        number: "188/QĐ-UBND",
        signed: (2022, 1, 27),
        issuer: "Chủ tịch Ủy ban nhân dân tỉnh Lạng Sơn",
    },
    Past {
        tenant: "langson",
        unit: "tand-ls",
        year: 2022,
        award: "Tập thể lao động xuất sắc",
        number: "112/QĐ-TANDTC",
        signed: (2023, 1, 10),
        issuer: "Chánh án Tòa án nhân dân tối cao",
    },
];

/// The courts' council takes its clusters' dossiers until the end of December; the province
/// keeps the default 10 December (Lạng Sơn's 2023 dossier came in January: late).
pub(super) const DEADLINES: &[(&str, i16, i16)] = &[("toaan", 31, 12)];

/// A nominee's report, in the template's sections, as a unit would write it.
pub(super) fn report(year: i32) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(
        "name".into(),
        Value::String("Tên tập thể đề nghị: {don_vi}".into()),
    );
    m.insert(
        "situation".into(),
        Value::String(
            "1. Đặc điểm, tình hình: {don_vi} có trụ sở làm việc ổn định; tổ chức bộ máy gồm các \
             phòng, ban chuyên môn; có chi bộ Đảng, công đoàn và chi đoàn thanh niên hoạt động \
             thường xuyên.\n\
             2. Chức năng, nhiệm vụ: thực hiện các nhiệm vụ được giao theo quy định của pháp luật \
             và quy chế của cơ quan."
                .into(),
        ),
    );
    m.insert(
        "achievements".into(),
        Value::String(format!(
            "1. Năm {year}, đơn vị hoàn thành xuất sắc các chỉ tiêu, nhiệm vụ được giao; không có \
             cán bộ, công chức vi phạm kỷ luật.\n\
             2. Đơn vị có 02 sáng kiến được công nhận và áp dụng hiệu quả trong công tác chuyên \
             môn.\n\
             3. Tham gia đầy đủ các phong trào thi đua do Cụm và Hội đồng phát động; thực hiện \
             nghiêm các nội dung giao ước thi đua năm {year}."
        )),
    );
    m
}
