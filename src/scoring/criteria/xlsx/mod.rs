//! A criteria table as an Excel workbook, laid out the way agencies already keep them, both
//! ways: `write` (export and the template) and `read` (import). `write` produces exactly what
//! `read` takes back.
//!
//! The layout:
//! * sheet "Tiêu chí" (or the first sheet): a header row (the first row holding the headers;
//!   title rows above it are skipped), then one row per section or criterion, in order. Columns
//!   "Mã", "Nội dung", "Điểm tối đa" (required), "Bước điểm", "Minh chứng bắt buộc",
//!   "Hướng dẫn chấm", "Loại" (optional), in any order; other columns are ignored. A row whose
//!   "Điểm tối đa" is empty is a section row ("Loại": blank or "Chấm điểm", "Điểm thưởng",
//!   "Điểm trừ"); the criteria rows under it belong to it.
//! * sheet "Xếp loại" (optional): "Xếp loại", "Từ (%)", "Không có tiêu chí 0 điểm" ("x" = yes).
//! * sheet "Thông tin" (optional): item names in column A, values in column B: "Tên bảng",
//!   "Mô tả", "Điểm thưởng tối đa", "Điểm trừ tối đa", "Phân định khi bằng điểm" ("II, I").

mod read;
mod sheets;
mod write;

#[cfg(test)]
mod tests;

pub use read::read;
pub use write::{example, template, write};

pub const CRITERIA_SHEET: &str = "Tiêu chí";
pub const BANDS_SHEET: &str = "Xếp loại";
pub const INFO_SHEET: &str = "Thông tin";

/// Rows of sections and criteria a file may have.
pub const MAX_ROWS: usize = 1_000;
/// An .xlsx may unpack to at most this much (a guard against "zip bombs").
const MAX_UNPACKED: u64 = 64 * 1024 * 1024;

/// A documented column: its header, the other headers read as it (folded), and help.
pub struct Column {
    pub header: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
    pub hint: &'static str,
    pub example: &'static str,
    pub width: f64,
}

pub const COLUMNS: [Column; 7] = [
    Column {
        header: "Mã",
        aliases: &["ma", "maso", "matieuchi", "stt"],
        required: true,
        hint: "Dòng phần: mã phần (I, II, A…). Dòng tiêu chí: mã tiêu chí (1.1, 2.3…). Mỗi mã chỉ dùng một lần trong bảng; tối đa 20 ký tự, không có dấu phẩy.",
        example: "1.1",
        width: 9.0,
    },
    Column {
        header: "Nội dung",
        aliases: &["noidung", "tieuchi", "noidungtieuchi", "tenphan"],
        required: true,
        hint: "Dòng phần: tên phần. Dòng tiêu chí: nội dung tiêu chí.",
        example: "Ban hành kế hoạch, tổ chức phát động phong trào thi đua",
        width: 60.0,
    },
    Column {
        header: "Điểm tối đa",
        aliases: &["diemtoida", "diemchuan", "toida", "diem", "thangdiem"],
        required: true,
        hint: "Chỉ ghi ở dòng tiêu chí: số lớn hơn 0, viết 2,5 hay 2.5 đều được. Dòng để trống ô này là dòng phần.",
        example: "3",
        width: 11.0,
    },
    Column {
        header: "Bước điểm",
        aliases: &["buocdiem", "buoc"],
        required: false,
        hint: "Điểm chấm tăng từng bước này (0,5 → 0; 0,5; 1…). Để trống là 0,5. Điểm tối đa phải chia hết cho bước điểm.",
        example: "0,5",
        width: 10.0,
    },
    Column {
        header: "Minh chứng bắt buộc",
        aliases: &[
            "minhchungbatbuoc",
            "minhchung",
            "batbuocminhchung",
            "yeucauminhchung",
        ],
        required: false,
        hint: "Ghi “x” hoặc “có” nếu đơn vị phải nộp minh chứng cho tiêu chí; để trống là không bắt buộc.",
        example: "x",
        width: 12.0,
    },
    Column {
        header: "Hướng dẫn chấm",
        aliases: &["huongdancham", "huongdan", "cachcham", "huongdanchamdiem"],
        required: false,
        hint: "Cách chấm tiêu chí, ví dụ: Ban hành trước ngày 31/3: 3 điểm; chậm: 2 điểm; không ban hành: 0 điểm.",
        example: "Ban hành trước ngày 31/3: 3 điểm; ban hành chậm: 2 điểm; không ban hành: 0 điểm.",
        width: 50.0,
    },
    Column {
        header: "Loại",
        aliases: &["loai", "loaiphan"],
        required: false,
        hint: "Chỉ ghi ở dòng phần: để trống hoặc “Chấm điểm” (tiêu chí chấm điểm), “Điểm thưởng”, “Điểm trừ”.",
        example: "",
        width: 14.0,
    },
];

const CODE: usize = 0;
const TEXT: usize = 1;
const MAX: usize = 2;
const STEP: usize = 3;
const EVIDENCE: usize = 4;
const GUIDANCE: usize = 5;
const KIND: usize = 6;

pub const BAND_COLUMNS: [Column; 3] = [
    Column {
        header: "Xếp loại",
        aliases: &["xeploai", "muc", "mucxeploai", "ten", "tenmuc"],
        required: true,
        hint: "Tên mức xếp loại, ví dụ Xuất sắc. Mỗi tên một lần.",
        example: "Xuất sắc",
        width: 28.0,
    },
    Column {
        header: "Từ (%)",
        aliases: &["tu", "tuphantram", "nguong", "nguongphantram", "tudiem"],
        required: true,
        hint: "Tỷ lệ điểm đạt được (tổng điểm / điểm tối đa × 100) từ mức này trở lên, từ 0 đến 100, ví dụ 95.",
        example: "95",
        width: 10.0,
    },
    Column {
        header: "Không có tiêu chí 0 điểm",
        aliases: &[
            "khongcotieuchi0diem",
            "khongcotieuchinao0diem",
            "dieukien",
            "khongcotieuchinaobi0diem",
        ],
        required: false,
        hint: "“x” nếu mức này chỉ dành cho đơn vị không có tiêu chí nào bị 0 điểm.",
        example: "x",
        width: 16.0,
    },
];

/// The items of the "Thông tin" sheet: (label, help).
pub const INFO_ITEMS: [(&str, &str); 5] = [
    (
        "Tên bảng",
        "Tên bảng tiêu chí trong thư viện; để trống thì lấy tên tệp. Trùng tên bảng đã có thì thêm số (2), (3)…",
    ),
    ("Mô tả", "Không bắt buộc: căn cứ, phạm vi áp dụng."),
    (
        "Điểm thưởng tối đa",
        "Tổng điểm thưởng được cộng không vượt quá số này; để trống là 0.",
    ),
    (
        "Điểm trừ tối đa",
        "Tổng điểm trừ không vượt quá số này; để trống là 0.",
    ),
    (
        "Phân định khi bằng điểm",
        "Mã các phần, cách nhau bằng dấu phẩy, theo thứ tự so sánh khi hai đơn vị bằng tỷ lệ điểm, ví dụ: II, I.",
    ),
];
