/// One documented column of a file layout.
#[derive(Debug)]
pub struct Column {
    /// The field it fills (the form field name).
    pub field: &'static str,
    /// The header in the template, in Vietnamese.
    pub header: &'static str,
    /// The header must be present in the file.
    pub required: bool,
    /// Other headers accepted for it (compared without diacritics, case or spaces).
    pub aliases: &'static [&'static str],
    /// What it must hold, for the import page and the template's notes.
    pub hint: &'static str,
    /// The template's example row.
    pub example: &'static str,
    /// Width in the template (Excel character units).
    pub width: f64,
}

pub const UNIT_COLUMNS: [Column; 10] = [
    Column {
        field: "code",
        header: "Mã đơn vị",
        required: true,
        aliases: &["mã", "code", "unit_code"],
        hint: "Bắt buộc, không trùng nhau. Chữ a-z không dấu, số, dấu chấm hoặc gạch ngang, tối đa 40 ký tự. \
               Mã đã có thì thông tin của đơn vị đó được cập nhật theo tệp.",
        example: "vi-du",
        width: 16.0,
    },
    Column {
        field: "name",
        header: "Tên đơn vị",
        required: true,
        aliases: &["tên", "name"],
        hint: "Bắt buộc, từ 2 đến 300 ký tự.",
        example: "VÍ DỤ - dòng mẫu, hãy ghi đè hoặc xóa (không được nhập)",
        width: 42.0,
    },
    Column {
        field: "short_name",
        header: "Tên viết tắt",
        required: false,
        aliases: &["short_name"],
        hint: "Tối đa 100 ký tự.",
        example: "VÍ DỤ",
        width: 22.0,
    },
    Column {
        field: "kind",
        header: "Loại đơn vị",
        required: false,
        aliases: &["loại", "kind"],
        hint: "Nhóm đơn vị do Hội đồng tự đặt, ví dụ: Sở, ban, ngành; Quận, huyện; Doanh nghiệp. Tối đa 100 ký tự.",
        example: "Sở, ban, ngành",
        width: 22.0,
    },
    Column {
        field: "head_name",
        header: "Họ tên thủ trưởng",
        required: false,
        aliases: &["thủ trưởng", "head_name"],
        hint: "Tối đa 200 ký tự.",
        example: "Nguyễn Văn A",
        width: 24.0,
    },
    Column {
        field: "head_title",
        header: "Chức vụ thủ trưởng",
        required: false,
        aliases: &["chức vụ", "head_title"],
        hint: "Ví dụ: Chánh Văn phòng. Tối đa 200 ký tự.",
        example: "Chánh Văn phòng",
        width: 22.0,
    },
    Column {
        field: "place_name",
        header: "Địa danh",
        required: false,
        aliases: &["place_name"],
        hint: "Ghi ở dòng “…, ngày … tháng … năm …” của văn bản. Tối đa 100 ký tự.",
        example: "Tên tỉnh, thành phố",
        width: 14.0,
    },
    Column {
        field: "address",
        header: "Địa chỉ",
        required: false,
        aliases: &["address"],
        hint: "Tối đa 300 ký tự.",
        example: "Số nhà, đường, phường (xã), tỉnh (thành phố)",
        width: 36.0,
    },
    Column {
        field: "phone",
        header: "Điện thoại",
        required: false,
        aliases: &["số điện thoại", "phone"],
        hint: "Tối đa 50 ký tự. Trong Excel nên để ô dạng văn bản để giữ số 0 ở đầu.",
        example: "024 3825 0000",
        width: 16.0,
    },
    Column {
        field: "email",
        header: "Thư điện tử",
        required: false,
        aliases: &["email", "e-mail", "địa chỉ thư điện tử"],
        hint: "Một địa chỉ thư điện tử hợp lệ.",
        example: "vanphong@coquan.gov.vn",
        width: 26.0,
    },
];

pub const USER_COLUMNS: [Column; 5] = [
    Column {
        field: "username",
        header: "Tên đăng nhập",
        required: true,
        aliases: &["username", "tài khoản"],
        hint: "Bắt buộc, không trùng nhau. 3–64 ký tự a-z không dấu, số, dấu chấm, gạch dưới \
               hoặc gạch ngang, bắt đầu bằng chữ hoặc số; ví dụ nguyen.van.a.",
        example: "vi-du.nguyen.van.a",
        width: 22.0,
    },
    Column {
        field: "full_name",
        header: "Họ và tên",
        required: true,
        aliases: &["họ tên", "full_name"],
        hint: "Bắt buộc, từ 2 đến 200 ký tự.",
        example: "Nguyễn Văn A (VÍ DỤ)",
        width: 28.0,
    },
    Column {
        field: "role",
        header: "Vai trò",
        required: true,
        aliases: &["role"],
        hint: "Bắt buộc: “Thủ trưởng đơn vị”, “Cán bộ thi đua” hoặc “Cán bộ Hội đồng TĐKT (quản trị)” \
               (cũng nhận “Quản trị”, unit_head, unit_officer, tenant_admin).",
        example: "Cán bộ thi đua",
        width: 32.0,
    },
    Column {
        field: "unit_code",
        header: "Mã đơn vị",
        required: false,
        aliases: &["mã", "unit_code", "unit"],
        hint: "Bắt buộc với thủ trưởng và cán bộ thi đua: mã của một đơn vị đang hoạt động đã có \
               trong danh sách đơn vị. Để trống với cán bộ Hội đồng TĐKT.",
        example: "vi-du",
        width: 16.0,
    },
    Column {
        field: "email",
        header: "Thư điện tử",
        required: false,
        aliases: &["email", "e-mail", "địa chỉ thư điện tử"],
        hint: "Không bắt buộc: địa chỉ nhận thông báo qua thư. Người dùng tự chọn nhận ngay, \
               tổng hợp mỗi ngày hay không nhận.",
        example: "vi-du.nguyen.van.a@coquan.gov.vn",
        width: 30.0,
    },
];

/// The example rows of templates handed out before issue 17 (a court's unit): still in files
/// people filled, and just as much not to be imported. (code or username, name.)
pub const OLD_UNIT_EXAMPLE: (&str, &str, &str) = (
    "vanphong",
    "Văn phòng Tòa án nhân dân tối cao",
    "Nguyễn Văn An",
);
pub const OLD_USER_EXAMPLE: (&str, &str, &str) = ("nguyen.van.an", "Nguyễn Văn An", "vanphong");
