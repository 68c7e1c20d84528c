use super::*;

/// The eight common commitments, after the pattern of seed 002, for year `y`.
pub(super) fn commitments(y: i32) -> Vec<String> {
    vec![
        format!("Kịp thời phổ biến, quán triệt đầy đủ chủ trương của Đảng, chính sách, pháp luật của Nhà nước và các văn bản chỉ đạo, hướng dẫn của cấp trên về công tác thi đua, khen thưởng năm {y} đến toàn thể cán bộ, công chức, người lao động của đơn vị."),
        "Đẩy mạnh giáo dục chính trị, tư tưởng, quán triệt sâu sắc tư tưởng “Thi đua ái quốc” của Chủ tịch Hồ Chí Minh; nâng cao tinh thần trách nhiệm, đạo đức công vụ và ý thức kỷ luật của đội ngũ cán bộ, công chức, người lao động.".to_string(),
        format!("Mỗi đơn vị chủ động xây dựng kế hoạch, phát động phong trào thi đua năm {y} phù hợp với chức năng, nhiệm vụ và tình hình thực tế, gắn với nhiệm vụ chính trị trọng tâm và các ngày lễ lớn của đất nước, của ngành."),
        "Tổ chức cho tập thể, cá nhân đăng ký danh hiệu thi đua, đề tài, sáng kiến ngay từ đầu năm; kịp thời phát hiện, bồi dưỡng và nhân rộng các mô hình mới, cách làm hay, gương điển hình tiên tiến.".to_string(),
        "Tích cực nghiên cứu, tham gia góp ý xây dựng văn bản quy phạm pháp luật và văn bản hướng dẫn về thi đua, khen thưởng; củng cố, kiện toàn bộ phận, cán bộ làm công tác thi đua, khen thưởng theo hướng tinh gọn, chuyên nghiệp.".to_string(),
        "Nâng cao chất lượng chỉ đạo, tổ chức, kiểm tra, giám sát phong trào thi đua; tăng cường giao lưu, trao đổi kinh nghiệm giữa các đơn vị trong cụm; đổi mới cách tổ chức hội nghị sơ kết, tổng kết thi đua.".to_string(),
        "Đổi mới nội dung, hình thức tuyên truyền về thi đua yêu nước; biểu dương, khen thưởng kịp thời, đúng người, đúng việc các tập thể, cá nhân có thành tích xuất sắc, tạo sức lan tỏa trong và ngoài đơn vị.".to_string(),
        format!("Đẩy mạnh ứng dụng công nghệ thông tin, chuyển đổi số trong công tác thi đua, khen thưởng; khuyến khích sáng kiến trong tổ chức phong trào, góp phần hoàn thành xuất sắc nhiệm vụ chuyên môn năm {y}."),
    ]
}

/// A moment in Viet Nam time.
pub(super) fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    vn::vn_offset()
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("valid demo time")
        .with_timezone(&Utc)
}

/// (year, month, day)
pub(super) type Ymd = (i32, u32, u32);

pub(super) struct DemoMovement {
    pub(super) tenant: &'static str,
    pub(super) name: &'static str,
    pub(super) kind: &'static str,
    pub(super) period: (Ymd, Option<Ymd>),
    pub(super) content: &'static str,
    pub(super) clusters: &'static [&'static str],
    /// The leader unit that launched it; None: the council.
    pub(super) launched_by: Option<&'static str>,
}

pub(super) const MOVEMENTS: &[DemoMovement] = &[
    DemoMovement {
        tenant: "toaan",
        name: "Phong trào thi đua “Vì công lý”",
        kind: "thuong_xuyen",
        period: ((2020, 1, 1), None),
        content: "Phong trào thi đua thường xuyên của Tòa án nhân dân các cấp.\nMục tiêu: đẩy nhanh tiến độ, nâng cao chất lượng giải quyết, xét xử các loại vụ án; hạn chế thấp nhất các bản án, quyết định bị hủy, sửa do lỗi chủ quan; đẩy mạnh hòa giải, đối thoại tại Tòa án; tổ chức phiên tòa rút kinh nghiệm và phiên tòa trực tuyến.\nCác đơn vị gắn phong trào với nhiệm vụ cải cách tư pháp và xây dựng Tòa án điện tử.",
        clusters: &["Cụm thi đua số VI", "Cụm thi đua số II"],
        launched_by: None,
    },
    DemoMovement {
        tenant: "toaan",
        name: "Đợt thi đua cao điểm chào mừng kỷ niệm {75} năm Ngày truyền thống Tòa án nhân dân (13/9/1945 – 13/9/{2020})",
        kind: "theo_dot",
        period: ((2020, 6, 1), Some((2020, 9, 13))),
        content: "Thi đua hoàn thành vượt mức các chỉ tiêu công tác 9 tháng đầu năm {2020}; tổ chức các hoạt động tuyên truyền về lịch sử, truyền thống Tòa án nhân dân; biểu dương các tập thể, cá nhân tiêu biểu.",
        clusters: &["Cụm thi đua số VI"],
        launched_by: Some("hocvien"),
    },
    DemoMovement {
        tenant: "langson",
        name: "Phong trào “Thi đua ái quốc”",
        kind: "thuong_xuyen",
        period: ((2023, 1, 1), None),
        content: "Thực hiện Lời kêu gọi thi đua ái quốc của Chủ tịch Hồ Chí Minh; các cơ quan nội chính tỉnh thi đua hoàn thành xuất sắc nhiệm vụ bảo đảm quốc phòng, an ninh, trật tự an toàn xã hội và thực thi pháp luật trên địa bàn tỉnh.",
        clusters: &["Cụm thi đua các cơ quan Nội chính tỉnh"],
        launched_by: None,
    },
    DemoMovement {
        tenant: "langson",
        name: "Phong trào thi đua “Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau”",
        kind: "chuyen_de",
        period: ((2024, 1, 1), Some((2025, 12, 31))),
        content: "Các đơn vị trong cụm hỗ trợ xây dựng nhà ở cho hộ nghèo, hộ có hoàn cảnh khó khăn tại các xã biên giới; vận động cán bộ, chiến sĩ, công chức đóng góp Quỹ “Vì người nghèo”.",
        clusters: &["Cụm thi đua các cơ quan Nội chính tỉnh"],
        launched_by: Some("thads-ls"),
    },
];

/// (tenant, cluster, year, day in January the pledge was signed)
pub(super) const PLEDGES: &[(&str, &str, i32, u32)] = &[
    ("toaan", "Cụm thi đua số VI", 2020, 10),
    (
        "langson",
        "Cụm thi đua các cơ quan Nội chính tỉnh",
        2023,
        12,
    ),
    ("langson", "Cụm thi đua các cơ quan Nội chính tỉnh", 2024, 9),
];

/// A member's registration: (unit, aim, [(individual title, people)], initiatives, state).
pub(super) type DemoRegistration = (
    &'static str,
    &'static str,
    &'static [(&'static str, i32)],
    &'static [(&'static str, &'static str, &'static str)],
    RegistrationState,
);

/// The law's category of the ministry's or province's flag, as the catalogue is seeded.
pub(super) const FLAG_CATEGORY: &str = "Cờ thi đua của Bộ, ban, ngành, tỉnh";
/// Each demo council's own name for that flag, as its decisions and documents print it.
pub(super) const FLAG_TOAAN: &str = "Cờ thi đua của Tòa án nhân dân";
pub(super) const FLAG_LANGSON: &str = "Cờ thi đua của Ủy ban nhân dân tỉnh Lạng Sơn";
pub(super) const OWN_FLAGS: &[(&str, &str)] = &[("toaan", FLAG_TOAAN), ("langson", FLAG_LANGSON)];
pub(super) const LDXS: &str = "Tập thể lao động xuất sắc";
pub(super) const LDTT: &str = "Tập thể lao động tiên tiến";
pub(super) const CSTD_CS: &str = "Chiến sĩ thi đua cơ sở";
pub(super) const CSTD_BO: &str = "Chiến sĩ thi đua Bộ, ngành, tỉnh";
pub(super) const LDTT_CN: &str = "Lao động tiên tiến";
pub(super) const RETURN_REASON: &str = "Đề nghị đơn vị bổ sung tên tác giả của sáng kiến đã đăng ký và rà soát lại số cá nhân đăng ký danh hiệu Chiến sĩ thi đua cơ sở cho phù hợp với tỷ lệ quy định.";

/// (tenant, cluster, year, deadline (month, day), registrations)
pub(super) type DemoYearRegistrations = (
    &'static str,
    &'static str,
    i32,
    (u32, u32),
    &'static [DemoRegistration],
);

pub(super) const REGISTRATIONS: &[DemoYearRegistrations] = &[
    (
        "toaan",
        "Cụm thi đua số VI",
        2020,
        (1, 31),
        &[
            (
                "hocvien",
                FLAG_TOAAN,
                &[(CSTD_BO, 1), (CSTD_CS, 4), (LDTT_CN, 62)],
                &[(
                    "de_tai",
                    "Nâng cao chất lượng đào tạo nghiệp vụ xét xử cho Thẩm phán mới được bổ nhiệm",
                    "TS. Nguyễn Văn Hùng",
                )],
                RegistrationState::Submitted,
            ),
            (
                "thanhtra",
                LDXS,
                &[(CSTD_CS, 2), (LDTT_CN, 18)],
                &[],
                RegistrationState::Submitted,
            ),
            (
                "vanphong",
                LDXS,
                &[(CSTD_CS, 5), (LDTT_CN, 85)],
                &[(
                    "sang_kien",
                    "Số hóa quy trình tiếp nhận, luân chuyển văn bản đến tại Văn phòng",
                    "Trần Thị Mai",
                )],
                RegistrationState::Submitted,
            ),
            (
                "tccb",
                LDXS,
                &[(CSTD_CS, 3), (LDTT_CN, 30)],
                &[],
                RegistrationState::Submitted,
            ),
            (
                "tonghop",
                LDTT,
                &[(CSTD_CS, 2), (LDTT_CN, 22)],
                &[],
                RegistrationState::Submitted,
            ),
            (
                "phapche",
                LDTT,
                &[(CSTD_CS, 2), (LDTT_CN, 20)],
                &[(
                    "de_tai",
                    "Hoàn thiện quy định về án lệ trong hệ thống Tòa án nhân dân",
                    "ThS. Lê Minh Tuấn",
                )],
                RegistrationState::Submitted,
            ),
            (
                "khtc",
                LDXS,
                &[(CSTD_CS, 3), (LDTT_CN, 28)],
                &[],
                RegistrationState::Submitted,
            ),
            (
                "tdkt",
                LDTT,
                &[(CSTD_CS, 1), (LDTT_CN, 14)],
                &[(
                    "sang_kien",
                    "Ứng dụng phần mềm quản lý hồ sơ khen thưởng",
                    "",
                )],
                RegistrationState::Submitted,
            ),
            (
                "htqt",
                LDTT,
                &[(CSTD_CS, 1), (LDTT_CN, 12)],
                &[],
                RegistrationState::Submitted,
            ),
            (
                "ctpn",
                LDTT,
                &[(CSTD_CS, 2), (LDTT_CN, 16)],
                &[],
                RegistrationState::Submitted,
            ),
            (
                "baocongly",
                LDTT,
                &[(CSTD_CS, 6), (LDTT_CN, 40)],
                &[(
                    "sang_kien",
                    "Xây dựng chuyên mục video pháp luật trên Báo Công lý điện tử",
                    "",
                )],
                RegistrationState::Returned,
            ),
            (
                "tapchi",
                LDTT,
                &[(LDTT_CN, 15)],
                &[],
                RegistrationState::Draft,
            ),
        ],
    ),
    (
        "langson",
        "Cụm thi đua các cơ quan Nội chính tỉnh",
        2024,
        (1, 31),
        &[
            (
                "thads-ls",
                FLAG_LANGSON,
                &[(CSTD_BO, 1), (CSTD_CS, 5), (LDTT_CN, 70)],
                &[(
                    "sang_kien",
                    "Giải pháp phân loại án tồn đọng để đẩy nhanh tiến độ thi hành án dân sự",
                    "Hoàng Văn Long",
                )],
                RegistrationState::Submitted,
            ),
            (
                "tand-ls",
                LDXS,
                &[(CSTD_BO, 1), (CSTD_CS, 6), (LDTT_CN, 95)],
                &[(
                    "sang_kien",
                    "Tổ chức phiên tòa trực tuyến tại điểm cầu các huyện biên giới",
                    "Nguyễn Thị Hạnh",
                )],
                RegistrationState::Submitted,
            ),
            (
                "vks-ls",
                LDXS,
                &[(CSTD_CS, 6), (LDTT_CN, 90)],
                &[],
                RegistrationState::Submitted,
            ),
            (
                "ca-ls",
                LDXS,
                &[(CSTD_BO, 2), (CSTD_CS, 40), (LDTT_CN, 600)],
                &[],
                RegistrationState::Submitted,
            ),
            (
                "bp-ls",
                LDXS,
                &[(CSTD_CS, 25), (LDTT_CN, 300)],
                &[],
                RegistrationState::Submitted,
            ),
            (
                "qs-ls",
                LDTT,
                &[(CSTD_CS, 30), (LDTT_CN, 250)],
                &[(
                    "sang_kien",
                    "Cải tiến quy trình huấn luyện dân quân tự vệ",
                    "",
                )],
                RegistrationState::Returned,
            ),
            (
                "csd2",
                LDTT,
                &[(CSTD_CS, 3), (LDTT_CN, 45)],
                &[],
                RegistrationState::Draft,
            ),
        ],
    ),
];
