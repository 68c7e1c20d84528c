//! The forms' rows and columns, as found in a public copy (see the README, "What the statistics
//! follow"): which cells thidua counts, which the council types, which stay empty, and which
//! are totals. The numbers and wording follow that copy; nothing here is checked against the
//! circular itself.

/// A column: a total of other columns when `parts` is not empty.
pub struct ColDef {
    pub code: &'static str,
    pub label: &'static str,
    pub parts: &'static [&'static str],
}

pub enum RowKind {
    /// A group's title ("1. Chia theo …"): no figures.
    Heading,
    /// The sum of these data rows, column by column.
    Sum(&'static [&'static str]),
    /// Figures: the listed columns are counted by thidua, the other listed ones typed, the rest
    /// left empty because the form has nothing there.
    Data {
        computed: &'static [&'static str],
        typed: &'static [&'static str],
    },
}

pub struct RowDef {
    pub code: &'static str,
    pub label: &'static str,
    /// Đơn vị tính of the row, where the form has such a column.
    pub unit: &'static str,
    pub kind: RowKind,
}

pub struct FormDef {
    /// "0601": the key under which typed cells are kept.
    pub code: &'static str,
    /// "0601.N/BNV-TĐKT"
    pub number: &'static str,
    pub title: &'static str,
    /// Đơn vị tính for the whole form, when its rows have none of their own.
    pub unit_of_count: &'static str,
    pub cols: &'static [ColDef],
    pub rows: &'static [RowDef],
    /// (column, the column it may not exceed) in every data row: "Trong đó: Nữ" is part of
    /// "Tổng số", so a typed figure above it is refused beside its box.
    pub within: &'static [(&'static str, &'static str)],
    /// Further breakdowns of a total row ("Chia theo …"): each group's rows should add up to
    /// that total, which the first breakdown makes. A group that does not is pointed out on
    /// the page, not refused: a form is often filled over several sittings.
    pub breakdowns: &'static [Breakdown],
    /// The council's own figures (its staff): shown and typed only for the whole tenant, not
    /// for one cluster's scope.
    pub whole_tenant: bool,
}

/// A group of rows that breaks down a total row a second way.
pub struct Breakdown {
    /// The group's heading, as the form prints it.
    pub label: &'static str,
    pub total: &'static str,
    pub rows: &'static [&'static str],
}

impl FormDef {
    pub fn has_unit_column(&self) -> bool {
        self.rows.iter().any(|r| !r.unit.is_empty())
    }
}

mod staff;

pub use staff::{F0604, F0605};

const fn data(
    code: &'static str,
    label: &'static str,
    unit: &'static str,
    computed: &'static [&'static str],
    typed: &'static [&'static str],
) -> RowDef {
    RowDef {
        code,
        label,
        unit,
        kind: RowKind::Data { computed, typed },
    }
}

const fn heading(label: &'static str) -> RowDef {
    RowDef {
        code: "",
        label,
        unit: "",
        kind: RowKind::Heading,
    }
}

const fn col(code: &'static str, label: &'static str) -> ColDef {
    ColDef {
        code,
        label,
        parts: &[],
    }
}

// ---- 0601.N: movements ------------------------------------------------------------------------

/// Column 3 counts the movements the council launched, column 4 those a cluster's leader unit
/// launched; the central level (column 2) is not thidua's to know.
const LAUNCHED: &[&str] = &["3", "4"];

pub const F0601: FormDef = FormDef {
    code: "0601",
    number: "0601.N/BNV-TĐKT",
    title: "SỐ PHONG TRÀO THI ĐUA",
    unit_of_count: "Phong trào",
    cols: &[
        ColDef {
            code: "1",
            label: "Tổng số",
            parts: &["2", "3", "4"],
        },
        col(
            "2",
            "Cấp Trung ương (Hội đồng Thi đua - Khen thưởng Trung ương)",
        ),
        col(
            "3",
            "Cấp bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương",
        ),
        col("4", "Cơ quan, tổ chức, đơn vị"),
    ],
    within: &[],
    breakdowns: &[],
    whole_tenant: false,
    rows: &[
        RowDef {
            code: "01",
            label: "Tổng số",
            unit: "",
            kind: RowKind::Sum(&["02", "03", "04", "05"]),
        },
        heading("1. Chia theo phạm vi tổ chức thi đua"),
        data("02", "- Toàn quốc", "", &[], &["2"]),
        data(
            "03",
            "- Bộ, ban, ngành, đoàn thể, địa phương",
            "",
            &["3"],
            &[],
        ),
        data(
            "04",
            "- Cụm, khối thi đua do Hội đồng Thi đua - Khen thưởng các cấp tổ chức",
            "",
            &["4"],
            &[],
        ),
        data("05", "- Cơ quan, tổ chức, đơn vị", "", &[], &["4"]),
        heading("2. Chia theo thời hạn thi đua"),
        data("06", "- Dưới 1 năm", "", LAUNCHED, &["2"]),
        data("07", "- 1 năm", "", LAUNCHED, &["2"]),
        data("08", "- Từ 1 năm đến dưới 3 năm", "", LAUNCHED, &["2"]),
        data("09", "- Từ 3 năm đến dưới 5 năm", "", LAUNCHED, &["2"]),
        data("10", "- Từ 5 năm trở lên", "", LAUNCHED, &["2"]),
        heading("3. Chia theo phương thức tổ chức phong trào thi đua"),
        data("11", "- Thi đua theo chuyên đề", "", LAUNCHED, &["2"]),
        data(
            "12",
            "- Thi đua thường xuyên hàng năm",
            "",
            LAUNCHED,
            &["2"],
        ),
    ],
};

// ---- 0602.N: awards of the State level ----------------------------------------------------------

const ALL_0602: &[&str] = &["2", "3", "4", "5", "6", "7", "8"];

pub const F0602: FormDef = FormDef {
    code: "0602",
    number: "0602.N/BNV-TĐKT",
    title: "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC",
    unit_of_count: "",
    cols: &[
        ColDef {
            code: "1",
            label: "Tổng số",
            parts: &["2", "3", "4", "5", "6", "7", "8"],
        },
        col("2", "Các loại huân chương, huy chương"),
        col("3", "Giải thưởng Hồ Chí Minh, Giải thưởng Nhà nước"),
        col("4", "Danh hiệu vinh dự nhà nước"),
        col("5", "Cờ thi đua của Chính phủ"),
        col("6", "Bằng khen của Thủ tướng Chính phủ"),
        col("7", "Danh hiệu “Chiến sĩ thi đua toàn quốc”"),
        col("8", "Các hình thức khen thưởng khác"),
    ],
    within: &[],
    breakdowns: &[],
    whole_tenant: false,
    rows: &[
        RowDef {
            code: "01",
            label: "Tổng số",
            unit: "",
            kind: RowKind::Sum(&["06", "08", "09"]),
        },
        heading("1. Chia theo đơn vị ban hành tờ trình Thủ tướng Chính phủ về khen thưởng"),
        data(
            "02",
            "- Bộ, ban, ngành, đoàn thể Trung ương",
            "Bộ, ngành",
            &[],
            ALL_0602,
        ),
        data(
            "03",
            "- Tỉnh, thành phố trực thuộc Trung ương",
            "Tỉnh, TP",
            &[],
            ALL_0602,
        ),
        heading("2. Chia theo đối tượng khen thưởng"),
        data(
            "06",
            "- Tập thể",
            "Tập thể",
            &["5", "6"],
            &["2", "3", "4", "8"],
        ),
        data(
            "07",
            "Trong đó: Doanh nghiệp",
            "Doanh nghiệp",
            &[],
            &["2", "3", "4", "5", "6", "8"],
        ),
        data("08", "- Hộ gia đình", "Hộ", &[], &["2", "4", "8"]),
        data(
            "09",
            "- Cá nhân",
            "Người",
            &["6", "7"],
            &["2", "3", "4", "8"],
        ),
        data(
            "10",
            "+ Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên",
            "Người",
            &[],
            &["2", "3", "4", "6", "7", "8"],
        ),
        data(
            "11",
            "+ Lãnh đạo cấp vụ, sở, ngành và tương đương",
            "Người",
            &[],
            &["2", "3", "4", "6", "7", "8"],
        ),
        data(
            "12",
            "+ Doanh nhân",
            "Người",
            &[],
            &["2", "3", "4", "6", "7", "8"],
        ),
        data(
            "13",
            "+ Các cấp lãnh đạo khác từ phó phòng trở lên",
            "Người",
            &[],
            &["2", "3", "4", "6", "7", "8"],
        ),
        data(
            "14",
            "+ Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu",
            "Người",
            &[],
            &["2", "3", "4", "6", "7", "8"],
        ),
        heading("3. Chia theo phương thức khen thưởng"),
        data("15", "- Thường xuyên", "", &[], ALL_0602),
        data("16", "- Chuyên đề", "", &[], ALL_0602),
        data("17", "- Đột xuất", "", &[], ALL_0602),
        data("18", "- Đối ngoại", "", &[], ALL_0602),
        data("19", "- Cống hiến", "", &[], ALL_0602),
        data("20", "- Niên hạn", "", &[], ALL_0602),
        data("21", "- Kháng chiến", "", &[], ALL_0602),
    ],
};

// ---- 0603.N: awards of the ministry and province level ---------------------------------------------

const ALL_0603: &[&str] = &["2", "3", "4", "5"];
const PEOPLE_0603: &[&str] = &["2", "3", "5"];

pub const F0603: FormDef = FormDef {
    code: "0603",
    number: "0603.N/BNV-TĐKT",
    title: "SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG VÀ TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG",
    unit_of_count: "",
    cols: &[
        ColDef {
            code: "1",
            label: "Tổng số",
            parts: &["2", "3", "4", "5"],
        },
        col("2", "Bằng khen"),
        col("3", "Chiến sĩ thi đua cấp bộ, cấp tỉnh"),
        col(
            "4",
            "Cờ thi đua của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương",
        ),
        col(
            "5",
            "Huy hiệu (kỷ niệm chương) của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương",
        ),
    ],
    within: &[],
    breakdowns: &[],
    whole_tenant: false,
    rows: &[
        RowDef {
            code: "01",
            label: "Tổng số",
            unit: "",
            kind: RowKind::Sum(&["02", "04", "05"]),
        },
        heading("1. Chia theo đối tượng khen thưởng"),
        data("02", "- Tập thể", "Tập thể", &["2", "4"], &["5"]),
        data(
            "03",
            "Trong đó: Doanh nghiệp",
            "Doanh nghiệp",
            &[],
            &["2", "4", "5"],
        ),
        data("04", "- Hộ gia đình", "Hộ", &[], &["2", "5"]),
        data("05", "- Cá nhân", "Người", &["2", "3"], &["5"]),
        data(
            "06",
            "+ Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên",
            "Người",
            &[],
            PEOPLE_0603,
        ),
        data(
            "07",
            "+ Lãnh đạo cấp vụ, sở, ngành và tương đương",
            "Người",
            &[],
            PEOPLE_0603,
        ),
        data("08", "+ Doanh nhân", "Người", &[], PEOPLE_0603),
        data(
            "09",
            "+ Các cấp lãnh đạo khác từ phó phòng trở lên",
            "Người",
            &[],
            PEOPLE_0603,
        ),
        data(
            "10",
            "+ Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu",
            "Người",
            &[],
            PEOPLE_0603,
        ),
        heading("2. Chia theo phương thức khen thưởng"),
        data("11", "- Thường xuyên", "", &[], ALL_0603),
        data("12", "- Chuyên đề", "", &[], ALL_0603),
        data("13", "- Đột xuất", "", &[], ALL_0603),
        data("14", "- Đối ngoại", "", &[], ALL_0603),
        data("15", "- Cống hiến", "", &[], ALL_0603),
        data("16", "- Niên hạn", "", &[], ALL_0603),
        data("17", "- Kháng chiến", "", &[], ALL_0603),
    ],
};

/// The forms thidua fills, in the order they print.
pub const FORMS: &[&FormDef] = &[&F0601, &F0602, &F0603, &F0604, &F0605];

/// The forms of a scope, in print order; `whole`: the whole tenant's.
pub fn in_scope(whole: bool) -> impl Iterator<Item = &'static FormDef> {
    FORMS
        .iter()
        .copied()
        .filter(move |f| whole || !f.whole_tenant)
}

pub fn form(code: &str) -> Option<&'static FormDef> {
    FORMS.iter().copied().find(|f| f.code == code)
}
