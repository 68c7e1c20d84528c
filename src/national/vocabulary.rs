// Fixed vocabulary.

/// The 63 provinces and centrally-run cities (before the 2025 mergers): (name, is a city).
pub(super) const PROVINCES: [(&str, bool); 63] = [
    ("An Giang", false),
    ("Bà Rịa - Vũng Tàu", false),
    ("Bắc Giang", false),
    ("Bắc Kạn", false),
    ("Bạc Liêu", false),
    ("Bắc Ninh", false),
    ("Bến Tre", false),
    ("Bình Định", false),
    ("Bình Dương", false),
    ("Bình Phước", false),
    ("Bình Thuận", false),
    ("Cà Mau", false),
    ("Cần Thơ", true),
    ("Cao Bằng", false),
    ("Đà Nẵng", true),
    ("Đắk Lắk", false),
    ("Đắk Nông", false),
    ("Điện Biên", false),
    ("Đồng Nai", false),
    ("Đồng Tháp", false),
    ("Gia Lai", false),
    ("Hà Giang", false),
    ("Hà Nam", false),
    ("Hà Nội", true),
    ("Hà Tĩnh", false),
    ("Hải Dương", false),
    ("Hải Phòng", true),
    ("Hậu Giang", false),
    ("Hòa Bình", false),
    ("Hưng Yên", false),
    ("Khánh Hòa", false),
    ("Kiên Giang", false),
    ("Kon Tum", false),
    ("Lai Châu", false),
    ("Lâm Đồng", false),
    ("Lạng Sơn", false),
    ("Lào Cai", false),
    ("Long An", false),
    ("Nam Định", false),
    ("Nghệ An", false),
    ("Ninh Bình", false),
    ("Ninh Thuận", false),
    ("Phú Thọ", false),
    ("Phú Yên", false),
    ("Quảng Bình", false),
    ("Quảng Nam", false),
    ("Quảng Ngãi", false),
    ("Quảng Ninh", false),
    ("Quảng Trị", false),
    ("Sóc Trăng", false),
    ("Sơn La", false),
    ("Tây Ninh", false),
    ("Thái Bình", false),
    ("Thái Nguyên", false),
    ("Thanh Hóa", false),
    ("Thừa Thiên Huế", false),
    ("Tiền Giang", false),
    ("Hồ Chí Minh", true),
    ("Trà Vinh", false),
    ("Tuyên Quang", false),
    ("Vĩnh Long", false),
    ("Vĩnh Phúc", false),
    ("Yên Bái", false),
];

pub(super) fn province_full(i: usize) -> String {
    let (name, city) = PROVINCES[i % PROVINCES.len()];
    if city {
        format!("thành phố {name}")
    } else {
        format!("tỉnh {name}")
    }
}

/// Kinds of member unit: (name before the place, kind, short name, head's title).
pub(super) const UNIT_KINDS: [(&str, &str, &str, &str); 14] = [
    ("Tòa án nhân dân", "Tòa án", "TAND", "Chánh án"),
    (
        "Viện kiểm sát nhân dân",
        "Viện kiểm sát",
        "VKSND",
        "Viện trưởng",
    ),
    ("Công an", "Công an", "CA", "Giám đốc"),
    (
        "Cục Thi hành án dân sự",
        "Thi hành án dân sự",
        "Cục THADS",
        "Cục trưởng",
    ),
    ("Bộ Chỉ huy Quân sự", "Quân sự", "Bộ CHQS", "Chỉ huy trưởng"),
    ("Sở Tư pháp", "Sở, ngành", "Sở TP", "Giám đốc"),
    ("Sở Nội vụ", "Sở, ngành", "Sở NV", "Giám đốc"),
    ("Sở Tài chính", "Sở, ngành", "Sở TC", "Giám đốc"),
    ("Sở Y tế", "Sở, ngành", "Sở YT", "Giám đốc"),
    (
        "Sở Giáo dục và Đào tạo",
        "Sở, ngành",
        "Sở GD&ĐT",
        "Giám đốc",
    ),
    ("Kho bạc Nhà nước", "Kho bạc", "KBNN", "Giám đốc"),
    ("Cục Thuế", "Thuế", "Cục Thuế", "Cục trưởng"),
    ("Bảo hiểm xã hội", "Bảo hiểm xã hội", "BHXH", "Giám đốc"),
    (
        "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân",
        "Văn phòng",
        "VP ĐĐBQH&HĐND",
        "Chánh Văn phòng",
    ),
];

pub(super) const SURNAMES: [&str; 16] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
pub(super) const MIDDLES: [&str; 10] = [
    "Văn", "Thị", "Đức", "Minh", "Thanh", "Quốc", "Hữu", "Ngọc", "Thu", "Xuân",
];
pub(super) const GIVENS: [&str; 28] = [
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương", "Khánh",
    "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo",
    "Trang", "Tuấn", "Việt", "Yến",
];

/// The eight common commitments of a pledge; `{nam}` is the year.
pub(super) const COMMITMENTS: [&str; 8] = [
    "Kịp thời phổ biến, quán triệt chủ trương của Đảng, chính sách, pháp luật của Nhà nước và các văn bản hướng dẫn về công tác thi đua, khen thưởng năm {nam} đến toàn thể cán bộ, công chức, người lao động của đơn vị.",
    "Đẩy mạnh giáo dục chính trị, tư tưởng, quán triệt tư tưởng “Thi đua ái quốc” của Chủ tịch Hồ Chí Minh; nâng cao tinh thần trách nhiệm, đạo đức công vụ và ý thức kỷ luật.",
    "Mỗi đơn vị xây dựng kế hoạch, phát động phong trào thi đua năm {nam} phù hợp với chức năng, nhiệm vụ, gắn với nhiệm vụ chính trị trọng tâm.",
    "Tổ chức cho tập thể, cá nhân đăng ký danh hiệu thi đua, đề tài, sáng kiến ngay từ đầu năm; phát hiện, bồi dưỡng và nhân rộng điển hình tiên tiến.",
    "Tham gia góp ý xây dựng văn bản quy phạm pháp luật về thi đua, khen thưởng; kiện toàn bộ phận làm công tác thi đua, khen thưởng.",
    "Nâng cao chất lượng kiểm tra, giám sát phong trào thi đua; tăng cường giao lưu, trao đổi kinh nghiệm giữa các đơn vị trong cụm.",
    "Đổi mới nội dung, hình thức tuyên truyền về thi đua yêu nước; khen thưởng kịp thời, đúng người, đúng việc.",
    "Đẩy mạnh ứng dụng công nghệ thông tin, chuyển đổi số trong công tác thi đua, khen thưởng, góp phần hoàn thành xuất sắc nhiệm vụ năm {nam}.",
];

pub(super) const TEXTS_I: [&str; 5] = [
    "Ban hành kế hoạch tổ chức phong trào thi đua năm và các đợt thi đua theo chuyên đề",
    "Tổ chức ký kết giao ước thi đua, đăng ký danh hiệu thi đua đúng thời hạn",
    "Sơ kết, tổng kết phong trào thi đua; phát hiện, nhân rộng điển hình tiên tiến",
    "Thực hiện chế độ thông tin, báo cáo về công tác thi đua, khen thưởng",
    "Tuyên truyền về thi đua yêu nước và gương người tốt, việc tốt",
];
pub(super) const TEXTS_II: [&str; 8] = [
    "Hoàn thành các chỉ tiêu nhiệm vụ chuyên môn được giao trong năm",
    "Chất lượng giải quyết công việc, thủ tục hành chính đúng hạn",
    "Cải cách hành chính, ứng dụng công nghệ thông tin, chuyển đổi số",
    "Công tác tổ chức cán bộ, đào tạo, bồi dưỡng",
    "Quản lý tài chính, tài sản công đúng quy định; thực hành tiết kiệm, chống lãng phí",
    "Công tác phòng, chống tham nhũng, tiêu cực",
    "Xây dựng tổ chức Đảng, đoàn thể trong sạch, vững mạnh",
    "Thực hiện quy chế dân chủ ở cơ sở",
];
pub(super) const TEXTS_BONUS: [&str; 2] = [
    "Có sáng kiến, mô hình mới được cấp có thẩm quyền công nhận",
    "Được cấp trên khen thưởng đột xuất",
];
pub(super) const TEXTS_PENALTY: [&str; 2] = [
    "Chậm gửi báo cáo, hồ sơ theo yêu cầu của Cụm",
    "Có cán bộ, công chức bị xử lý kỷ luật",
];

pub(super) const FLAG: &str = "Cờ thi đua của Bộ, ban, ngành, tỉnh";
pub(super) const GOV_FLAG: &str = "Cờ thi đua của Chính phủ";
pub(super) const MERIT: &str = "Bằng khen của Bộ, ban, ngành, tỉnh";
pub(super) const LDXS: &str = "Tập thể lao động xuất sắc";
pub(super) const LDTT: &str = "Tập thể lao động tiên tiến";
pub(super) const CSTD_CS: &str = "Chiến sĩ thi đua cơ sở";
pub(super) const LDTT_CN: &str = "Lao động tiên tiến";

/// The evidence file every generated sheet carries: a tiny PDF.
pub(super) const EVIDENCE_PDF: &[u8] = b"%PDF-1.4\n% minh chung (du lieu sinh)\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// `ARRAY['a', 'b']::text[]` from constants (never from input).
pub(super) fn sql_array<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|s| format!("'{}'", s.as_ref().replace('\'', "''")))
        .collect();
    format!("ARRAY[{}]::text[]", quoted.join(", "))
}

/// A moment in Viet Nam time; `y` is an SQL expression for the year.
pub(super) fn ts(y: &str, m: u32, d: &str, h: &str, min: u32) -> String {
    format!("make_timestamptz({y}, {m}, {d}, {h}, {min}, 0, 'Asia/Ho_Chi_Minh')")
}

/// A person's name for number `j` (an SQL expression).
pub(super) fn person(j: &str) -> String {
    format!(
        "({s})[1 + ({j}) % {ns}] || ' ' || ({m})[1 + (({j}) / {ns}) % {nm}] || ' ' || ({g})[1 + (({j}) * 7 + ({j}) / {nsm}) % {ng}]",
        s = sql_array(&SURNAMES),
        m = sql_array(&MIDDLES),
        g = sql_array(&GIVENS),
        ns = SURNAMES.len(),
        nm = MIDDLES.len(),
        nsm = SURNAMES.len() * MIDDLES.len(),
        ng = GIVENS.len(),
    )
}
