//! Two slips of a filled template (issue 17, item 3): the template's example row left in the
//! file, and a phone number Excel stored as a number, its leading 0 lost.

use super::*;

/// The template's example row, as handed out now or before (a court's unit), is never
/// imported: it would become a real unit, and units are never deleted.
pub fn is_example_row(kind: Kind, r: &Record) -> bool {
    let cols = kind.columns();
    let get = |f: &str| r.get(cols, f).map(str::trim);
    let example = |f: &str| cols.iter().find(|c| c.field == f).map(|c| c.example);
    match kind {
        Kind::Units => {
            let (code, name) = (get("code"), get("name"));
            (code == example("code") && name == example("name"))
                || (code == Some(OLD_UNIT_EXAMPLE.0)
                    && name == Some(OLD_UNIT_EXAMPLE.1)
                    && get("head_name") == Some(OLD_UNIT_EXAMPLE.2))
        }
        Kind::Users => {
            let (user, name) = (get("username"), get("full_name"));
            (user == example("username") && name == example("full_name"))
                || (user == Some(OLD_USER_EXAMPLE.0)
                    && name == Some(OLD_USER_EXAMPLE.1)
                    && get("unit_code") == Some(OLD_USER_EXAMPLE.2))
        }
    }
}

/// A phone number typed as a number: Excel keeps "0912345678" as 912345678. Restored when it
/// can only be that: 9 digits (a mobile number) or 10 digits starting with 2 (a landline
/// with its area code, 02x). Anything else is left as typed.
pub fn restore_phone(raw: &str) -> Option<String> {
    let t = raw.trim();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) || t.starts_with('0') {
        return None;
    }
    match t.len() {
        9 => Some(format!("0{t}")),
        10 if t.starts_with('2') => Some(format!("0{t}")),
        _ => None,
    }
}

/// The records without the example row, with phone numbers restored, and a line for each
/// thing done, for the result page.
pub fn tidy(kind: Kind, records: Vec<Record>) -> (Vec<Record>, Vec<String>) {
    let mut notes = Vec::new();
    let mut kept = Vec::with_capacity(records.len());
    let phone = kind.columns().iter().position(|c| c.field == "phone");
    for mut r in records {
        if is_example_row(kind, &r) {
            notes.push(format!(
                "Dòng {}: là dòng ví dụ của mẫu nên được bỏ qua, không nhập.",
                r.row
            ));
            continue;
        }
        if let Some(i) = phone
            && let Some(Some(raw)) = r.values.get(i)
            && let Some(fixed) = restore_phone(raw)
        {
            notes.push(format!(
                "Dòng {}, cột “Điện thoại”: “{}” thiếu số 0 ở đầu (Excel bỏ số 0 khi ô lưu dạng số); \
                 đã ghi thành “{fixed}”.",
                r.row,
                raw.trim()
            ));
            r.values[i] = Some(fixed);
        }
        kept.push(r);
    }
    (kept, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit_row(row: u32, cells: &[&str]) -> Record {
        Record {
            row,
            values: UNIT_COLUMNS
                .iter()
                .enumerate()
                .map(|(i, _)| cells.get(i).map(|s| s.to_string()))
                .collect(),
        }
    }

    #[test]
    fn the_example_row_is_left_out_and_said() {
        let example: Vec<&str> = UNIT_COLUMNS.iter().map(|c| c.example).collect();
        let old = [
            "vanphong",
            "Văn phòng Tòa án nhân dân tối cao",
            "Văn phòng TANDTC",
            "",
            "Nguyễn Văn An",
        ];
        let real = ["sotp", "Sở Tư pháp thành phố Hải Phòng"];
        let (kept, notes) = tidy(
            Kind::Units,
            vec![unit_row(2, &example), unit_row(3, &old), unit_row(4, &real)],
        );
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].row, 4);
        assert_eq!(
            notes,
            [
                "Dòng 2: là dòng ví dụ của mẫu nên được bỏ qua, không nhập.",
                "Dòng 3: là dòng ví dụ của mẫu nên được bỏ qua, không nhập."
            ]
        );
        // A court's real Văn phòng, with its own head, is no example.
        let real_vp = [
            "vanphong",
            "Văn phòng Tòa án nhân dân tối cao",
            "",
            "",
            "Trần Văn B",
        ];
        assert!(!is_example_row(Kind::Units, &unit_row(5, &real_vp)));
    }

    #[test]
    fn a_phone_that_lost_its_leading_zero_is_restored_only_when_unambiguous() {
        assert_eq!(restore_phone("912345678").as_deref(), Some("0912345678"));
        assert_eq!(restore_phone("2253825000").as_deref(), Some("02253825000"));
        assert_eq!(restore_phone("0912345678"), None);
        assert_eq!(restore_phone("024 3825 0000"), None);
        assert_eq!(restore_phone("12345"), None);
        assert_eq!(
            restore_phone("9123456789"),
            None,
            "10 digits not starting with 2"
        );
        let mut cells = vec![""; UNIT_COLUMNS.len()];
        cells[0] = "sotp";
        cells[1] = "Sở Tư pháp";
        let i = UNIT_COLUMNS
            .iter()
            .position(|c| c.field == "phone")
            .unwrap();
        cells[i] = "912345678";
        let (kept, notes) = tidy(Kind::Units, vec![unit_row(7, &cells)]);
        assert_eq!(kept[0].values[i].as_deref(), Some("0912345678"));
        assert!(notes[0].starts_with("Dòng 7, cột “Điện thoại”: “912345678” thiếu số 0"));
    }
}
