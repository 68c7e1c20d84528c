//! Forms 0604 and 0605: the organisations and the civil servants doing emulation and
//! commendation work. thidua keeps no staffing data, so every figure is typed; the totals add
//! up the first breakdown ("Chia theo …": the form breaks the total down by it). Rows and
//! columns as in a public copy (`Mau0604.blade.php`, `Mau0605.blade.php` of
//! lifephongphanmem/thiduakhenthuong_php8), not checked against the circular.

use super::{Breakdown, FormDef, RowDef, RowKind, col, data, heading};

// ---- 0604.N: organisations ----------------------------------------------------------------------

const COUNT: &[&str] = &["1"];

pub const F0604: FormDef = FormDef {
    code: "0604",
    number: "0604.N/BNV-TĐKT",
    title: "SỐ LƯỢNG TỔ CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG CỦA BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG, TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG",
    unit_of_count: "",
    cols: &[col("1", "Số lượng")],
    within: &[],
    breakdowns: &[],
    whole_tenant: true,
    rows: &[
        RowDef {
            code: "01",
            label: "Tổng số",
            unit: "Tổ chức",
            kind: RowKind::Sum(&["02", "03", "04", "05"]),
        },
        heading("Chia theo cơ cấu tổ chức bộ máy"),
        data(
            "02",
            "- Cấp Vụ thuộc bộ, ban, ngành, đoàn thể Trung ương",
            "Vụ",
            &[],
            COUNT,
        ),
        data(
            "03",
            "- Cấp phòng, ban hoặc bộ phận thuộc Vụ",
            "Phòng",
            &[],
            COUNT,
        ),
        data("04", "- Cấp ban thuộc Sở Nội vụ", "Ban", &[], COUNT),
        data("05", "- Cấp phòng thuộc Sở Nội vụ", "Phòng", &[], COUNT),
    ],
};

// ---- 0605.N: civil servants ---------------------------------------------------------------------

/// Both columns typed: how many people, and how many of them women.
const PEOPLE: &[&str] = &["1", "2"];

pub const F0605: FormDef = FormDef {
    code: "0605",
    number: "0605.N/BNV-TĐKT",
    title: "SỐ LƯỢNG CÔNG CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG CỦA BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG, TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG",
    unit_of_count: "Người",
    // "Trong đó: Nữ" is a part of the row's people, not a column the total adds.
    cols: &[col("1", "Tổng số"), col("2", "Trong đó: Nữ")],
    within: &[("2", "1")],
    whole_tenant: true,
    breakdowns: &[
        Breakdown {
            label: "2. Chia theo trình độ đào tạo",
            total: "01",
            rows: &["08", "09", "10", "11", "12"],
        },
        Breakdown {
            label: "3. Chia theo thâm niên công tác trong lĩnh vực thi đua, khen thưởng",
            total: "01",
            rows: &["13", "14", "15"],
        },
    ],
    rows: &[
        RowDef {
            code: "01",
            label: "Tổng số",
            unit: "",
            kind: RowKind::Sum(&["02", "03", "04", "05", "06", "07"]),
        },
        heading("1. Chia theo độ tuổi"),
        data("02", "- Từ 30 trở xuống", "", &[], PEOPLE),
        data("03", "- Từ 31 đến 40", "", &[], PEOPLE),
        data("04", "- Từ 41 đến 50", "", &[], PEOPLE),
        data("05", "- Từ 51 đến 55", "", &[], PEOPLE),
        data("06", "- Từ 56 đến 60", "", &[], PEOPLE),
        data("07", "- Trên 60 tuổi", "", &[], PEOPLE),
        heading("2. Chia theo trình độ đào tạo"),
        data("08", "- Sơ cấp", "", &[], PEOPLE),
        data("09", "- Trung cấp", "", &[], PEOPLE),
        data("10", "- Cao đẳng", "", &[], PEOPLE),
        data("11", "- Đại học", "", &[], PEOPLE),
        data("12", "- Trên đại học", "", &[], PEOPLE),
        heading("3. Chia theo thâm niên công tác trong lĩnh vực thi đua, khen thưởng"),
        data("13", "- Dưới 5 năm", "", &[], PEOPLE),
        data("14", "- Từ 5 đến 10 năm", "", &[], PEOPLE),
        // The copy numbers this row 14 a second time; as the next row it is 15 here.
        data("15", "- Từ 10 năm trở lên", "", &[], PEOPLE),
    ],
};
