//! The council's dashboard as an .xlsx workbook: the same rows as the page, from the same
//! computation (`model::council`).

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use crate::reports::model::Dashboard;

fn names(v: &Option<(i64, String)>) -> String {
    v.as_ref().map(|(_, n)| n.clone()).unwrap_or_default()
}

pub fn council(d: &Dashboard) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top)
        .set_text_wrap();
    let num = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top);

    // Sheet 1: every cluster's year.
    let ws = wb.add_worksheet();
    ws.set_name("Tổng hợp")?;
    ws.write_with_format(
        0,
        0,
        format!("BẢNG THEO DÕI CÁC CỤM, KHỐI THI ĐUA NĂM {}", d.year),
        &bold,
    )?;
    if let Some(dl) = d.deadline {
        ws.write(
            1,
            0,
            format!(
                "Hạn gửi hồ sơ đề nghị khen thưởng: {}",
                dl.format("%d/%m/%Y")
            ),
        )?;
    }
    let headers = [
        "STT",
        "Cụm, khối thi đua",
        "Cụm trưởng",
        "Cụm phó",
        "Giai đoạn",
        "Số đơn vị",
        "Đã nộp bảng điểm",
        "Đã thẩm định",
        "Trễ hạn chấm điểm",
        "Hồ sơ đề nghị",
        "Hồ sơ trễ hạn (ngày)",
    ];
    for (i, h) in headers.iter().enumerate() {
        ws.write_with_format(3, i as u16, *h, &head)?;
    }
    let mut row = 4u32;
    for (i, r) in d.rows.iter().enumerate() {
        ws.write_with_format(row, 0, (i + 1) as u32, &num)?;
        ws.write_with_format(row, 1, &r.cluster, &cell)?;
        ws.write_with_format(row, 2, names(&r.leader), &cell)?;
        ws.write_with_format(row, 3, names(&r.deputy), &cell)?;
        ws.write_with_format(row, 4, r.phase, &cell)?;
        match &r.scoring {
            Some(s) => {
                ws.write_with_format(row, 5, s.members as u32, &num)?;
                ws.write_with_format(row, 6, s.submitted as u32, &num)?;
                ws.write_with_format(row, 7, s.verified as u32, &num)?;
                let late: Vec<String> = s
                    .late
                    .iter()
                    .map(|l| format!("{} ({} ngày)", l.name, l.days))
                    .collect();
                ws.write_with_format(row, 8, late.join("; "), &cell)?;
            }
            None => {
                ws.write_with_format(row, 5, "", &num)?;
                ws.write_with_format(row, 6, "Chưa có bảng tiêu chí", &cell)?;
                ws.write_with_format(row, 7, "", &num)?;
                ws.write_with_format(row, 8, "", &cell)?;
            }
        }
        ws.write_with_format(row, 9, r.dossier.label(), &cell)?;
        if r.dossier_days_late > 0 {
            ws.write_with_format(row, 10, r.dossier_days_late as u32, &num)?;
        } else {
            ws.write_with_format(row, 10, "", &num)?;
        }
        row += 1;
    }
    row += 1;
    ws.write_with_format(row, 1, "Hồ sơ theo trạng thái", &bold)?;
    row += 1;
    for (s, n) in &d.states {
        ws.write_with_format(row, 1, s.label(), &cell)?;
        ws.write_with_format(row, 2, *n as u32, &num)?;
        row += 1;
    }
    row += 1;
    let f = &d.flag;
    ws.write_with_format(row, 1, "Cờ thi đua của Chính phủ", &bold)?;
    row += 1;
    let lines = [
        (
            "Tập thể được bình xét dẫn đầu các cụm, khối".to_string(),
            f.leaders.to_string(),
        ),
        (
            format!("Được đề nghị tối đa ({}%)", f.share),
            f.allowed.to_string(),
        ),
        ("Hội đồng đã chọn".to_string(), f.nominees.len().to_string()),
        ("Kết quả".to_string(), f.verdict().to_string()),
    ];
    for (k, v) in lines {
        ws.write_with_format(row, 1, k, &cell)?;
        ws.write_with_format(row, 2, v, &cell)?;
        row += 1;
    }
    for n in &f.nominees {
        ws.write_with_format(row, 1, format!("{} (dẫn đầu {})", n.unit, n.cluster), &cell)?;
        row += 1;
    }
    ws.set_column_width(0, 5)?;
    ws.set_column_width(1, 40)?;
    ws.set_column_width(2, 30)?;
    ws.set_column_width(3, 30)?;
    ws.set_column_width(4, 18)?;
    for c in 5..=7 {
        ws.set_column_width(c, 11)?;
    }
    ws.set_column_width(8, 36)?;
    ws.set_column_width(9, 15)?;
    ws.set_column_width(10, 12)?;

    // Sheet 2: nominees and awards by award type and cluster.
    let ws = wb.add_worksheet();
    ws.set_name("Đề nghị, khen thưởng")?;
    ws.write_with_format(
        0,
        0,
        format!("SỐ ĐƠN VỊ ĐƯỢC ĐỀ NGHỊ / ĐƯỢC KHEN THƯỞNG NĂM {}", d.year),
        &bold,
    )?;
    let a = &d.awards;
    ws.write_with_format(2, 0, "Cụm, khối thi đua", &head)?;
    let mut col = 1u16;
    for c in &a.columns {
        ws.merge_range(2, col, 2, col + 1, c, &head)?;
        ws.write_with_format(3, col, "Đề nghị", &head)?;
        ws.write_with_format(3, col + 1, "Khen thưởng", &head)?;
        col += 2;
    }
    ws.merge_range(2, col, 2, col + 1, "Cộng", &head)?;
    ws.write_with_format(3, col, "Đề nghị", &head)?;
    ws.write_with_format(3, col + 1, "Khen thưởng", &head)?;
    ws.write_with_format(3, 0, "", &head)?;
    let mut row = 4u32;
    let write_counts = |ws: &mut rust_xlsxwriter::Worksheet,
                        row: u32,
                        label: &str,
                        cells: &[crate::reports::model::Count],
                        total: crate::reports::model::Count|
     -> Result<(), XlsxError> {
        ws.write_with_format(row, 0, label, &cell)?;
        let mut col = 1u16;
        for c in cells.iter().chain(std::iter::once(&total)) {
            ws.write_with_format(row, col, c.nominees as u32, &num)?;
            ws.write_with_format(row, col + 1, c.awards as u32, &num)?;
            col += 2;
        }
        Ok(())
    };
    for r in &a.rows {
        write_counts(ws, row, &r.cluster, &r.cells, r.total)?;
        row += 1;
    }
    write_counts(ws, row, "Cộng", &a.totals, a.total)?;
    ws.set_column_width(0, 40)?;
    for c in 1..=(a.columns.len() as u16 + 1) * 2 {
        ws.set_column_width(c, 12)?;
    }
    wb.save_to_buffer()
}
