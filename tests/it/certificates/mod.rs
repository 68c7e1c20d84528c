//! Certificates on the pre-printed blank: Chromium prints the print views to PDF and each
//! field's words (`pdftotext -bbox`) must stand within a millimetre of where the layout puts
//! them; the paper's size is the layout's; the layout form keeps what was typed and names what
//! is wrong; another tenant's rows are not found.

use crate::browser::{browser, print_document, screenshot_dir};
use crate::decree30::Pdf;
use crate::harness::{Client, TestApp};

mod calibration;
mod forms;

pub(super) const MM: f64 = 72.0 / 25.4;

/// The demo's decided Lạng Sơn 2023 dossier: its decision, number and date, and its awards'
/// types, in the order the print view takes them.
pub(super) async fn decision(app: &TestApp) -> (i64, String, String) {
    let (id, number, date): (i64, String, chrono::NaiveDate) = sqlx::query_as(
        "SELECT d.id, d.number, d.signed_on FROM award_decisions d
           JOIN proposals p ON p.id = d.proposal_id
           JOIN cluster_years y ON y.id = p.cluster_year_id
           JOIN clusters c ON c.id = y.cluster_id
          WHERE c.name = 'Cụm thi đua các cơ quan Nội chính tỉnh' AND y.year = 2023",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    (id, number, date.format("%d/%m/%Y").to_string())
}

/// A field as the test sets it: form values in mm/pt and where its text must land.
pub(super) struct Set {
    key: &'static str,
    x: f64,
    y: f64,
    width: f64,
    size: f64,
    centred: bool,
}

impl Set {
    fn form(&self) -> Vec<(String, String)> {
        let k = |p: &str| format!("{}_{p}", self.key);
        let vn = |v: f64| v.to_string().replace('.', ",");
        let mut f = vec![
            (k("x"), vn(self.x)),
            (k("y"), vn(self.y)),
            (k("width"), vn(self.width)),
            (k("size"), vn(self.size)),
            (
                k("align"),
                if self.centred { "center" } else { "left" }.into(),
            ),
            (k("shown"), "1".into()),
        ];
        if self.key == "recipient" {
            f.push((k("bold"), "1".into()));
        }
        f
    }
}

/// Saves a layout through the form, as a person would.
pub(super) async fn save_layout(c: &Client, type_id: i64, sheet: (&str, &str), sets: &[Set]) {
    let path = format!("/council/certificates/{type_id}");
    let mut fields: Vec<(String, String)> = vec![
        ("paper".into(), sheet.0.into()),
        ("orientation".into(), sheet.1.into()),
        ("place".into(), "Lạng Sơn".into()),
        ("reason".into(), "Có thành tích xuất sắc năm {năm}".into()),
        ("signer_title".into(), "CHỦ TỊCH".into()),
        ("signer_name".into(), "Hồ Tiến Thiệu".into()),
    ];
    for s in sets {
        fields.extend(s.form());
    }
    let form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let r = c.submit(&path, &path, &form).await;
    assert_eq!(r.status, 303, "{}", r.body);
}

/// Each field's text is found on `page` and stands within 1 mm of its setting: its top, and its
/// left edge (left-aligned) or its centre (centred).
pub(super) fn check_page(
    pdf: &Pdf,
    page: usize,
    placed: &[(&Set, String)],
    failures: &mut Vec<String>,
) {
    for (s, text) in placed {
        let Some(line) = pdf.line_with(page, text) else {
            failures.push(format!("page {page}: «{text}» not found"));
            continue;
        };
        let top = line.y0 / MM;
        let at = if s.centred {
            (line.x0 + line.x1) / 2.0 / MM - (s.x + s.width / 2.0)
        } else {
            line.x0 / MM - s.x
        };
        if (top - s.y).abs() > 1.0 || at.abs() > 1.0 {
            failures.push(format!(
                "page {page}: «{text}» ({}) off by {at:.2} mm across, {:.2} mm down",
                s.key,
                top - s.y
            ));
        }
    }
}

fn sets_a4_portrait() -> Vec<Set> {
    // Unusual places: near the left and bottom edges, left-aligned and narrow, odd tenths.
    vec![
        Set {
            key: "award",
            x: 12.5,
            y: 41.3,
            width: 185.0,
            size: 15.0,
            centred: true,
        },
        Set {
            key: "recipient",
            x: 17.9,
            y: 120.7,
            width: 190.0,
            size: 12.5,
            centred: false,
        },
        Set {
            key: "reason",
            x: 22.2,
            y: 150.0,
            width: 170.0,
            size: 13.0,
            centred: true,
        },
        Set {
            key: "decision",
            x: 8.0,
            y: 281.0,
            width: 120.0,
            size: 11.0,
            centred: false,
        },
        Set {
            key: "place_date",
            x: 101.1,
            y: 200.4,
            width: 100.0,
            size: 12.5,
            centred: true,
        },
        Set {
            key: "signer_title",
            x: 111.0,
            y: 210.0,
            width: 80.0,
            size: 13.0,
            centred: true,
        },
        Set {
            key: "signer_name",
            x: 150.0,
            y: 268.8,
            width: 55.0,
            size: 14.0,
            centred: false,
        },
    ]
}

pub(super) fn sets_a3_landscape() -> Vec<Set> {
    vec![
        Set {
            key: "award",
            x: 60.0,
            y: 95.0,
            width: 300.0,
            size: 22.0,
            centred: true,
        },
        Set {
            key: "recipient",
            x: 60.0,
            y: 125.5,
            width: 300.0,
            size: 26.0,
            centred: true,
        },
        Set {
            key: "reason",
            x: 60.0,
            y: 150.0,
            width: 300.0,
            size: 18.0,
            centred: true,
        },
        Set {
            key: "decision",
            x: 30.0,
            y: 262.0,
            width: 150.0,
            size: 14.0,
            centred: false,
        },
        Set {
            key: "place_date",
            x: 230.0,
            y: 200.0,
            width: 170.0,
            size: 16.0,
            centred: true,
        },
        Set {
            key: "signer_title",
            x: 230.0,
            y: 212.0,
            width: 170.0,
            size: 16.0,
            centred: true,
        },
        Set {
            key: "signer_name",
            x: 230.0,
            y: 255.0,
            width: 170.0,
            size: 18.0,
            centred: true,
        },
    ]
}

/// What each field prints for one award.
fn texts<'a>(
    sets: &'a [Set],
    recipient: &str,
    award: &str,
    number: &str,
    date: &str,
) -> Vec<(&'a Set, String)> {
    let (d, m, y) = (&date[0..2], &date[3..5], &date[6..]);
    sets.iter()
        .map(|s| {
            let t = match s.key {
                "award" => award.to_string(),
                "recipient" => recipient.to_string(),
                "reason" => "Có thành tích xuất sắc năm 2023".to_string(),
                "decision" => format!("Quyết định số {number} ngày {date}"),
                "place_date" => format!("Lạng Sơn, ngày {d} tháng {m} năm {y}"),
                "signer_title" => "CHỦ TỊCH".to_string(),
                _ => "Hồ Tiến Thiệu".to_string(),
            };
            (s, t)
        })
        .collect()
}

fn size_mm(pdf: &Pdf, page: usize) -> (f64, f64) {
    let (w, h) = pdf.pages[page - 1];
    (w / MM, h / MM)
}

pub(super) fn about(a: (f64, f64), b: (f64, f64)) -> bool {
    (a.0 - b.0).abs() < 1.0 && (a.1 - b.1).abs() < 1.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_certificates_print_each_field_within_a_millimetre_one_page_per_award() {
    let app = TestApp::start().await;
    let (decision_id, number, date) = decision(&app).await;
    // The decision's awards: (award type, unit, award name), as the print view orders them.
    let awards: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT a.award_type_id, u.name, a.award_name FROM unit_awards a
           JOIN units u ON u.id = a.unit_id JOIN award_types t ON t.id = a.award_type_id
          WHERE a.decision_id = $1 ORDER BY t.position, a.award_name, u.name COLLATE \"vi-VN-x-icu\"",
    )
    .bind(decision_id)
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert_eq!(awards.len(), 3, "the demo decides three awards: {awards:?}");
    let flag = awards[0].0;
    let merit = awards[1].0;
    assert_ne!(flag, merit);
    let c = app.login("quantri.langson").await;
    save_layout(&c, merit, ("A4", "portrait"), &sets_a4_portrait()).await;
    save_layout(&c, flag, ("A3", "landscape"), &sets_a3_landscape()).await;

    let Some((b, _driver)) = browser().await else {
        return;
    };
    let base = &app.base;
    // All of the decision's certificates, from the decision issued in thidua (over every
    // dossier it decided; the demo's decided one).
    let issued: i64 = sqlx::query_scalar("SELECT decision_id FROM award_decisions WHERE id = $1")
        .bind(decision_id)
        .fetch_one(&app.owner)
        .await
        .unwrap();
    let printed = print_document(
        &b,
        base,
        "quantri.langson",
        &format!("/council/decisions/{issued}/certificates"),
        "certificates-decision",
    )
    .await;
    assert_eq!(printed.pages, 3, "one page per award:\n{}", printed.text);
    let pdf = Pdf::read(&screenshot_dir().join("certificates-decision.pdf"));
    let mut failures = Vec::new();
    let (a4p, a3l) = (sets_a4_portrait(), sets_a3_landscape());
    for (page, (t, unit, award)) in awards.iter().enumerate() {
        let page = page + 1;
        let (sets, size) = if *t == flag {
            (&a3l, (420.0, 297.0))
        } else {
            (&a4p, (210.0, 297.0))
        };
        if !about(size_mm(&pdf, page), size) {
            failures.push(format!(
                "page {page}: {:?}, want {size:?}",
                size_mm(&pdf, page)
            ));
        }
        check_page(
            &pdf,
            page,
            &texts(sets, unit, award, &number, &date),
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // One award alone, from its unit's history.
    let award_id: i64 = sqlx::query_scalar(
        "SELECT id FROM unit_awards WHERE decision_id = $1 AND award_type_id = $2 LIMIT 1",
    )
    .bind(decision_id)
    .bind(merit)
    .fetch_one(&app.owner)
    .await
    .unwrap();
    let one = print_document(
        &b,
        base,
        "quantri.langson",
        &format!("/council/certificates/award/{award_id}"),
        "certificate-one",
    )
    .await;
    assert_eq!(one.pages, 1);
    assert!(about(one.size_mm, (210.0, 297.0)), "{:?}", one.size_mm);
}
