use proptest::prelude::*;

use super::*;

fn sheet(paper: Paper, landscape: bool) -> Sheet {
    Sheet { paper, landscape }
}

fn sheets() -> impl Strategy<Value = Sheet> {
    (prop_oneof![Just(Paper::A4), Just(Paper::A3)], any::<bool>()).prop_map(|(p, l)| sheet(p, l))
}

/// A box that fits on `s`: any size, any width, any position that keeps its line on the paper.
fn box_on(s: Sheet) -> impl Strategy<Value = FieldBox> {
    let (w, h) = s.size();
    (MIN_SIZE..=MAX_SIZE, MIN_WIDTH..=w).prop_flat_map(move |(size, width)| {
        let b = FieldBox {
            field: Field::Recipient,
            x: 0,
            y: 0,
            width,
            size,
            bold: false,
            italic: false,
            centred: true,
            shown: true,
        };
        let room = h - b.line_height();
        // The edges themselves half the time: a box touching the paper's edge is where a move
        // to another paper goes wrong first.
        let edge = |hi: i32| prop_oneof![Just(hi), 0..=hi];
        (edge(w - width), edge(room.max(0))).prop_map(move |(x, y)| FieldBox { x, y, ..b })
    })
}

proptest! {
    #[test]
    fn a_field_inside_the_paper_stays_inside_on_any_other_paper(
        (from, b) in sheets().prop_flat_map(|s| (Just(s), box_on(s))),
        to in sheets(),
    ) {
        prop_assert!(overflow(&b, from).is_none());
        let mut l = Layout::standard("Lạng Sơn");
        l.sheet = from;
        l.boxes = vec![b];
        let moved = l.rescaled(to);
        prop_assert_eq!(moved.sheet, to);
        let m = moved.boxes[0];
        prop_assert!(overflow(&m, to).is_none(), "{:?} on {:?} became {:?}", b, to, m);
        prop_assert!(m.x >= 0 && m.y >= 0);
        prop_assert_eq!(m.size, b.size);
    }

    #[test]
    fn millimetres_to_points_and_back_is_the_same_length(mm in 0.0f64..1000.0) {
        prop_assert!((pt_to_mm(mm_to_pt(mm)) - mm).abs() < 1e-9);
    }

    #[test]
    fn tenths_print_back_as_typed(t in 0i32..100_000) {
        let vn = tenths_vn(t);
        let back: f64 = vn.replace(',', ".").parse().unwrap();
        prop_assert_eq!((back * 10.0).round() as i32, t);
        prop_assert_eq!(tenths_css(t).replace('.', ","), format!("{},{}", t / 10, t % 10));
    }
}

#[test]
fn the_same_sheet_keeps_every_box_where_it_was() {
    let l = Layout::standard("Lạng Sơn");
    assert_eq!(l.rescaled(l.sheet), l);
}

#[test]
fn papers_and_points_have_their_sizes() {
    assert_eq!(sheet(Paper::A4, true).size(), (2970, 2100));
    assert_eq!(sheet(Paper::A3, false).size(), (2970, 4200));
    assert_eq!(sheet(Paper::A3, true).name(), "A3 ngang");
    assert!((mm_to_pt(25.4) - 72.0).abs() < 1e-12);
    assert!((pt_to_mm(14.0) - 4.938_888).abs() < 1e-5);
}

#[test]
fn the_standard_layout_fits_a_landscape_a4() {
    let l = Layout::standard("Lạng Sơn");
    assert_eq!(l.sheet.name(), "A4 ngang");
    assert_eq!(l.boxes.len(), FIELDS.len());
    for b in &l.boxes {
        assert!(overflow(b, l.sheet).is_none(), "{b:?}");
    }
}

#[test]
fn a_box_past_the_edge_is_named_by_what_crosses_it() {
    let s = sheet(Paper::A4, true);
    let mut b = *Layout::standard("").boxed(Field::Recipient);
    b.x = 2000;
    b.width = 1000;
    let (field, msg) = overflow(&b, s).unwrap();
    assert_eq!(field, "width");
    assert!(msg.contains("rộng 297 mm"), "{msg}");
    b.x = 0;
    b.y = 2080;
    let (field, msg) = overflow(&b, s).unwrap();
    assert_eq!(field, "y");
    assert!(msg.contains("cao 210 mm"), "{msg}");
}

#[test]
fn a_certificate_prints_the_award_the_decision_and_the_year_in_the_reason() {
    let mut l = Layout::standard("Lạng Sơn");
    l.signer_title = "CHỦ TỊCH".into();
    l.boxes
        .iter_mut()
        .find(|b| b.field == Field::SignerName)
        .unwrap()
        .shown = false;
    let a = AwardFacts {
        recipient: "Tòa án nhân dân tỉnh Lạng Sơn".into(),
        award: "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh".into(),
        year: 2023,
        decision_number: "15/QĐ-UBND".into(),
        decision_date: NaiveDate::from_ymd_opt(2024, 1, 26),
    };
    let t = texts(&l, &a);
    let get = |f: Field| {
        t.iter()
            .find(|(b, _)| b.field == f)
            .map(|(_, s)| s.as_str())
    };
    assert_eq!(
        get(Field::Reason),
        Some("Đã có thành tích xuất sắc trong phong trào thi đua năm 2023")
    );
    assert_eq!(
        get(Field::PlaceDate),
        Some("Lạng Sơn, ngày 26 tháng 01 năm 2024")
    );
    assert_eq!(
        get(Field::Decision),
        Some("Quyết định số 15/QĐ-UBND ngày 26/01/2024")
    );
    assert_eq!(get(Field::SignerTitle), Some("CHỦ TỊCH"));
    assert_eq!(
        get(Field::SignerName),
        None,
        "a hidden field prints nothing"
    );
    let paper = AwardFacts {
        decision_number: String::new(),
        decision_date: None,
        ..a
    };
    let t = texts(&l, &paper);
    let get = |f: Field| t.iter().find(|(b, _)| b.field == f).map(|(_, s)| s.clone());
    assert_eq!(get(Field::Decision).as_deref(), Some(""));
    assert_eq!(
        get(Field::PlaceDate).as_deref(),
        Some("Lạng Sơn, ngày …… tháng …… năm ……")
    );
}
