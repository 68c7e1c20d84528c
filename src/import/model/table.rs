use super::*;

/// A reason a file or a row cannot be imported.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The spreadsheet row (header = 1), when the problem is in a row.
    pub row: Option<u32>,
    /// The column's header, when the problem is in one cell.
    pub column: Option<&'static str>,
    pub message: String,
}

impl Problem {
    pub(super) fn file(message: impl Into<String>) -> Problem {
        Problem {
            row: None,
            column: None,
            message: message.into(),
        }
    }

    pub(super) fn row(
        row: u32,
        column: Option<&'static str>,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            row: Some(row),
            column,
            message: message.into(),
        }
    }

    /// "Dòng 5, cột “Tên đơn vị”: Hãy nhập tên đơn vị."
    pub fn text(&self) -> String {
        match (self.row, self.column) {
            (Some(r), Some(c)) => format!("Dòng {r}, cột “{c}”: {}", self.message),
            (Some(r), None) => format!("Dòng {r}: {}", self.message),
            (None, _) => self.message.clone(),
        }
    }
}

/// One data row, its values by column of the layout (`None`: the file has no such column).
#[derive(Debug, Clone)]
pub struct Record {
    pub row: u32,
    pub values: Vec<Option<String>>,
}

impl Record {
    pub(super) fn get(&self, columns: &[Column], field: &str) -> Option<&str> {
        let i = columns.iter().position(|c| c.field == field)?;
        self.values.get(i)?.as_deref()
    }

    pub(super) fn text(&self, columns: &[Column], field: &str) -> String {
        self.get(columns, field).unwrap_or("").to_string()
    }
}

/// The data rows of a file, read against a layout.
#[derive(Debug, Clone)]
pub struct Table {
    pub kind: Kind,
    pub records: Vec<Record>,
    /// Headers of columns that are not part of the layout; they are left out.
    pub ignored: Vec<String>,
    /// What was done to rows on the way in: the example row left out, phone numbers restored.
    pub notes: Vec<String>,
}

/// Reads the header row and the data rows under it.
pub fn read_table(sheet: &Sheet, kind: Kind) -> Result<Table, Vec<Problem>> {
    let columns = kind.columns();
    if sheet.rows.is_empty() {
        return Err(vec![Problem::file(
            "Tệp không có dữ liệu: không có dòng tiêu đề nào.",
        )]);
    }
    // Lists often start with a title ("DANH SÁCH ĐƠN VỊ …") above the header: the header is
    // the first of the first few rows naming a required column (of either layout).
    let at = sheet
        .rows
        .iter()
        .take(HEADER_SEARCH)
        .position(|r| {
            [kind, kind.other()].iter().any(|k| {
                let (p, _, _) = map_header(r, k.columns());
                k.columns()
                    .iter()
                    .zip(&p)
                    .any(|(c, p)| c.required && p.is_some())
            })
        })
        .unwrap_or(0);
    let header = &sheet.rows[at];
    let data = &sheet.rows[at + 1..];
    let (positions, ignored, mut problems) = map_header(header, columns);
    let missing: Vec<&Column> = columns
        .iter()
        .zip(&positions)
        .filter(|(c, p)| c.required && p.is_none())
        .map(|(c, _)| c)
        .collect();
    // A file of the other layout, offered here by mistake, is named for what it is.
    let other = kind.other();
    let (other_positions, _, _) = map_header(header, other.columns());
    let looks_like_other = !missing.is_empty()
        && other
            .columns()
            .iter()
            .zip(&other_positions)
            .all(|(c, p)| !c.required || p.is_some());
    if looks_like_other {
        return Err(vec![Problem::row(
            header.number,
            None,
            format!(
                "Tệp này có vẻ là {} (dòng tiêu đề có các cột của mẫu đó); hãy tải lên ở mục \
                 tương ứng của trang Nhập từ Excel.",
                other.label()
            ),
        )]);
    }
    if positions.iter().all(Option::is_none) {
        return Err(vec![Problem::row(
            header.number,
            None,
            format!(
                "Không nhận ra dòng tiêu đề. Dòng có dữ liệu đầu tiên của tệp phải là tiêu đề \
                 các cột theo mẫu: {}.",
                columns
                    .iter()
                    .map(|c| format!("“{}”", c.header))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )]);
    }
    for c in missing {
        problems.push(Problem::row(
            header.number,
            None,
            format!("Dòng tiêu đề thiếu cột “{}”.", c.header),
        ));
    }
    if data.is_empty() {
        problems.push(Problem::file(
            "Tệp chỉ có dòng tiêu đề, chưa có dòng dữ liệu nào.",
        ));
    }
    if data.len() > MAX_ROWS || sheet.truncated {
        problems.push(Problem::file(format!(
            "Tệp có {}{} dòng dữ liệu; mỗi lần chỉ nhập được tối đa {} dòng. Hãy chia thành nhiều tệp.",
            if sheet.truncated { "hơn " } else { "" },
            crate::web::vn::integer(data.len() as i64),
            crate::web::vn::integer(MAX_ROWS as i64),
        )));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let records: Vec<Record> = data
        .iter()
        .map(|r| Record {
            row: r.number,
            values: positions
                .iter()
                .map(|p| p.map(|i| r.cells.get(i).cloned().unwrap_or_default()))
                .collect(),
        })
        .collect();
    let (records, notes) = tidy(kind, records);
    if records.is_empty() {
        return Err(vec![Problem::file(
            "Tệp chỉ có dòng ví dụ của mẫu; hãy ghi đè dòng ví dụ bằng thông tin thật (hoặc xóa \
             nó) rồi tải lên lại.",
        )]);
    }
    Ok(Table {
        kind,
        records,
        ignored,
        notes,
    })
}

/// Which cell of the header row holds each column of the layout.
fn map_header(
    header: &SheetRow,
    columns: &[Column],
) -> (Vec<Option<usize>>, Vec<String>, Vec<Problem>) {
    let mut positions: Vec<Option<usize>> = vec![None; columns.len()];
    let mut ignored = Vec::new();
    let mut problems = Vec::new();
    for (i, cell) in header.cells.iter().enumerate() {
        // "Mã đơn vị (bắt buộc)" and "Mã đơn vị *" name the same column.
        let key = match fold(cell.split('(').next().unwrap_or("")) {
            k if k.is_empty() => fold(cell),
            k => k,
        };
        if key.is_empty() {
            continue;
        }
        let found = columns.iter().position(|c| {
            fold(c.header) == key
                || fold(c.field) == key
                || c.aliases.iter().any(|a| fold(a) == key)
        });
        match found {
            Some(k) => match positions[k] {
                None => positions[k] = Some(i),
                Some(first) => problems.push(Problem::row(
                    header.number,
                    None,
                    format!(
                        "Cột “{}” xuất hiện hai lần (cột {} và cột {}).",
                        columns[k].header,
                        column_letter(first),
                        column_letter(i)
                    ),
                )),
            },
            None => ignored.push(cell.trim().to_string()),
        }
    }
    (positions, ignored, problems)
}

/// Excel's name of a column: 0 → A, 26 → AA.
pub fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

pub(super) fn header_of(columns: &[Column], field: &str) -> Option<&'static str> {
    columns.iter().find(|c| c.field == field).map(|c| c.header)
}

/// The outcome of checking a file: what would happen to each good row, and every bad row.
#[derive(Debug)]
pub struct Plan<S> {
    pub steps: Vec<S>,
    pub problems: Vec<Problem>,
}

impl<S> Plan<S> {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Reports a value that appears in two rows: the later row names the earlier one.
pub(super) fn first_seen(
    seen: &mut HashMap<String, u32>,
    key: &str,
    row: u32,
    column: &'static str,
    what: &str,
) -> Option<Problem> {
    match seen.get(key) {
        Some(first) => Some(Problem::row(
            row,
            Some(column),
            format!("{what} “{key}” trùng với dòng {first}."),
        )),
        None => {
            seen.insert(key.to_string(), row);
            None
        }
    }
}
