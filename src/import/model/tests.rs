use super::*;

fn sheet(rows: &[&[&str]]) -> Sheet {
    Sheet {
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, cells)| SheetRow {
                number: i as u32 + 1,
                cells: cells.iter().map(|c| c.to_string()).collect(),
            })
            .collect(),
        truncated: false,
    }
}

#[test]
fn column_letters() {
    assert_eq!(column_letter(0), "A");
    assert_eq!(column_letter(25), "Z");
    assert_eq!(column_letter(26), "AA");
    assert_eq!(column_letter(27), "AB");
    assert_eq!(column_letter(702), "AAA");
}

#[test]
fn headers_are_matched_loosely_and_extra_columns_ignored() {
    let s = sheet(&[
        &["STT", "ma don vi", "TÊN ĐƠN VỊ", "Ghi chú", "Điện  thoại"],
        &[
            "1",
            "tand-ls",
            "Tòa án nhân dân tỉnh Lạng Sơn",
            "x",
            "0205 3870 000",
        ],
    ]);
    let t = read_table(&s, Kind::Units).unwrap();
    assert_eq!(t.ignored, vec!["STT", "Ghi chú"]);
    assert_eq!(t.records.len(), 1);
    let r = &t.records[0];
    assert_eq!(r.row, 2);
    assert_eq!(r.get(&UNIT_COLUMNS, "code"), Some("tand-ls"));
    assert_eq!(r.get(&UNIT_COLUMNS, "phone"), Some("0205 3870 000"));
    assert_eq!(r.get(&UNIT_COLUMNS, "email"), None, "no such column");
}

#[test]
fn a_title_above_the_header_is_skipped() {
    let s = sheet(&[
        &["DANH SÁCH ĐƠN VỊ CỤM THI ĐUA SỐ VI"],
        &["(kèm theo Quyết định số 247/QĐ-TANDTC)"],
        &["STT", "Mã đơn vị (bắt buộc)", "Tên đơn vị *"],
        &["1", "vanphong", "Văn phòng"],
    ]);
    let t = read_table(&s, Kind::Units).unwrap();
    assert_eq!(t.records.len(), 1);
    assert_eq!(t.records[0].row, 4);
    assert_eq!(t.records[0].get(&UNIT_COLUMNS, "code"), Some("vanphong"));
    assert_eq!(t.records[0].get(&UNIT_COLUMNS, "name"), Some("Văn phòng"));
}

#[test]
fn a_missing_or_doubled_header_is_reported() {
    let s = sheet(&[&["Mã đơn vị", "Địa chỉ"], &["a", "b"]]);
    let p = read_table(&s, Kind::Units).unwrap_err();
    assert_eq!(p.len(), 1);
    assert!(p[0].text().contains("thiếu cột “Tên đơn vị”"), "{p:?}");
    let s = sheet(&[&["Mã đơn vị", "Tên đơn vị", "Mã"], &["a", "b", "c"]]);
    let p = read_table(&s, Kind::Units).unwrap_err();
    assert!(p[0].message.contains("cột A và cột C"), "{p:?}");
}

#[test]
fn a_users_file_offered_as_units_is_recognised() {
    let s = sheet(&[&["Tên đăng nhập", "Họ và tên", "Vai trò"], &["a", "b", "c"]]);
    let p = read_table(&s, Kind::Units).unwrap_err();
    assert!(p[0].message.contains("danh sách người dùng"), "{p:?}");
}

#[test]
fn a_file_with_only_a_header_or_too_many_rows_is_refused() {
    let s = sheet(&[&["Mã đơn vị", "Tên đơn vị"]]);
    assert!(
        read_table(&s, Kind::Units).unwrap_err()[0]
            .message
            .contains("chưa có dòng dữ liệu")
    );
    let mut s = sheet(&[&["Mã đơn vị", "Tên đơn vị"]]);
    for i in 0..=MAX_ROWS {
        s.rows.push(SheetRow {
            number: i as u32 + 2,
            cells: vec![format!("u{i}"), "Đơn vị".into()],
        });
    }
    let p = read_table(&s, Kind::Units).unwrap_err();
    assert!(p[0].message.contains("tối đa 5.000 dòng"), "{p:?}");
}

fn existing_unit(id: i64, code: &str, name: &str) -> (String, ExistingUnit) {
    (
        code.to_string(),
        ExistingUnit {
            id,
            active: true,
            fields: UnitFields {
                code: code.into(),
                name: name.into(),
                short_name: "TT".into(),
                ..Default::default()
            },
        },
    )
}

#[test]
fn units_are_created_updated_or_left_alone() {
    let s = sheet(&[
        &["Mã đơn vị", "Tên đơn vị"],
        &["moi", "Đơn vị mới"],
        &["ThanhTra", "Ban Thanh tra"],
        &["tccb", "Vụ Tổ chức cán bộ"],
    ]);
    let t = read_table(&s, Kind::Units).unwrap();
    let existing = HashMap::from([
        existing_unit(1, "thanhtra", "Ban Thanh tra"),
        existing_unit(2, "tccb", "Vụ Tổ chức - Cán bộ"),
    ]);
    let plan = plan_units(&t, &existing);
    assert!(plan.is_ok(), "{:?}", plan.problems);
    assert_eq!(plan.steps[0].change, UnitChange::Create);
    // The code is read case-insensitively; the short name (no column) is kept.
    assert_eq!(plan.steps[1].change, UnitChange::Unchanged);
    assert_eq!(plan.steps[1].fields.short_name, "TT");
    assert_eq!(
        plan.steps[2].change,
        UnitChange::Update {
            id: 2,
            changed: vec!["Tên đơn vị"]
        }
    );
}

#[test]
fn bad_unit_rows_are_named_with_the_reason() {
    let s = sheet(&[
        &["Mã đơn vị", "Tên đơn vị", "Thư điện tử"],
        &["a1", "Đơn vị A", ""],
        &["a2", "", ""],
        &["a1", "Đơn vị A lần hai", ""],
        &["Học viện", "Học viện", "không-phải-thư"],
    ]);
    let t = read_table(&s, Kind::Units).unwrap();
    let plan = plan_units(&t, &HashMap::new());
    let texts: Vec<String> = plan.problems.iter().map(Problem::text).collect();
    assert_eq!(
        texts,
        vec![
            "Dòng 3, cột “Tên đơn vị”: Hãy nhập tên đơn vị.",
            "Dòng 4, cột “Mã đơn vị”: Mã đơn vị “a1” trùng với dòng 2.",
            "Dòng 5, cột “Mã đơn vị”: Mã đơn vị chỉ gồm chữ a-z không dấu, số, dấu chấm hoặc gạch ngang (tối đa 40 ký tự).",
            "Dòng 5, cột “Thư điện tử”: Địa chỉ thư điện tử không hợp lệ.",
        ]
    );
}

#[test]
fn roles_are_read_from_labels_and_codes() {
    assert_eq!(parse_role("Thủ trưởng đơn vị"), Some(Role::UnitHead));
    assert_eq!(parse_role("thu truong don vi"), Some(Role::UnitHead));
    assert_eq!(parse_role("Cán bộ thi đua"), Some(Role::UnitOfficer));
    assert_eq!(parse_role("unit_officer"), Some(Role::UnitOfficer));
    assert_eq!(
        parse_role("Cán bộ Hội đồng TĐKT (quản trị)"),
        Some(Role::TenantAdmin)
    );
    assert_eq!(parse_role("Quản trị"), Some(Role::TenantAdmin));
    assert_eq!(parse_role("tenant_admin"), Some(Role::TenantAdmin));
    assert_eq!(parse_role("operator"), Some(Role::Operator));
    assert_eq!(parse_role("Giám đốc"), None);
}

fn users_fixture() -> (
    HashMap<String, ExistingUser>,
    HashMap<String, UnitRef>,
    HashSet<String>,
) {
    let existing = HashMap::from([(
        "canbo.ca-ls".to_string(),
        ExistingUser {
            full_name: "Cán bộ thi đua Công an tỉnh".into(),
            role: "unit_officer".into(),
            unit_code: Some("ca-ls".into()),
        },
    )]);
    let units = HashMap::from([
        (
            "ca-ls".to_string(),
            UnitRef {
                id: 7,
                name: "Công an tỉnh".into(),
                active: true,
            },
        ),
        (
            "cu".to_string(),
            UnitRef {
                id: 8,
                name: "Đơn vị cũ".into(),
                active: false,
            },
        ),
    ]);
    let taken = HashSet::from(["quantri.toaan".to_string()]);
    (existing, units, taken)
}

#[test]
fn users_are_created_or_found_unchanged() {
    let s = sheet(&[
        &["Tên đăng nhập", "Họ và tên", "Vai trò", "Mã đơn vị"],
        &["Nguyen.Van.An", "Nguyễn Văn An", "Cán bộ thi đua", "CA-LS"],
        &["tran.thi.binh", "Trần Thị Bình", "Quản trị", ""],
        &[
            "canbo.ca-ls",
            "Cán bộ thi đua Công an tỉnh",
            "unit_officer",
            "ca-ls",
        ],
    ]);
    let t = read_table(&s, Kind::Users).unwrap();
    let (existing, units, taken) = users_fixture();
    let plan = plan_users(&t, &existing, &units, &taken);
    assert!(plan.is_ok(), "{:?}", plan.problems);
    let s0 = &plan.steps[0];
    assert_eq!(
        (s0.username.as_str(), s0.role, s0.unit_id, s0.create),
        ("nguyen.van.an", Role::UnitOfficer, Some(7), true)
    );
    assert_eq!(
        (plan.steps[1].role, plan.steps[1].unit_id),
        (Role::TenantAdmin, None)
    );
    assert!(!plan.steps[2].create, "the same account is left alone");
}

#[test]
fn bad_user_rows_are_named_with_the_reason() {
    let s = sheet(&[
        &["Tên đăng nhập", "Họ và tên", "Vai trò", "Mã đơn vị"],
        &["a.b", "Nguyễn A", "Cán bộ thi đua", "khong-co"],
        &["c.d", "Trần C", "Thủ trưởng đơn vị", ""],
        &["a.b", "Nguyễn A", "Cán bộ thi đua", "ca-ls"],
        &["quantri.toaan", "Người khác", "Quản trị", ""],
        &["canbo.ca-ls", "Tên khác", "unit_officer", "ca-ls"],
        &["e.f", "Lê E", "Giám đốc", ""],
        &["g.h", "Phạm G", "operator", ""],
        &["i.k", "Vũ I", "Quản trị", "ca-ls"],
        &["l.m", "Đỗ L", "Cán bộ thi đua", "cu"],
    ]);
    let t = read_table(&s, Kind::Users).unwrap();
    let (existing, units, taken) = users_fixture();
    let plan = plan_users(&t, &existing, &units, &taken);
    let rows: Vec<u32> = plan.problems.iter().filter_map(|p| p.row).collect();
    assert_eq!(
        rows,
        vec![2, 3, 4, 5, 6, 7, 8, 9, 10],
        "{:#?}",
        plan.problems
    );
    let text = |i: usize| plan.problems[i].text();
    assert!(text(0).contains("Không có đơn vị mã “khong-co”"));
    assert!(text(1).contains("phải thuộc một đơn vị"));
    assert!(text(2).contains("trùng với dòng 2"));
    assert!(text(3).contains("đã được dùng"));
    assert!(text(4).contains("với thông tin khác"));
    assert!(text(5).contains("Không rõ vai trò “Giám đốc”"));
    assert!(text(6).contains("vận hành hệ thống"));
    assert!(text(7).contains("để trống mã đơn vị"));
    assert!(text(8).contains("ngừng hoạt động"));
    assert!(plan.steps.is_empty());
    assert_eq!(
        usernames(&t),
        vec![
            "a.b",
            "c.d",
            "canbo.ca-ls",
            "e.f",
            "g.h",
            "i.k",
            "l.m",
            "quantri.toaan"
        ]
    );
}
