//! A full scoring year for the demo: Cụm VI of the courts (2020) and the Lạng Sơn cluster
//! (2024) score against the Cần Thơ-shaped table, with sheets in every state and some scores
//! changed on verification, with reasons. Every year and date moves with the demo's shift
//! (issue 11, item 9), and each sheet is dated in the story: handed in before the deadline,
//! verified a few days later. Idempotent: a year that has a table is left alone.

use anyhow::Result;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;

use crate::audit::Actor;
use crate::cycle::demo::Shift;
use crate::db::TenantTx;
use crate::notify::By;
use crate::org::store as org_store;
use crate::scoring::model::{SectionKind, SheetStatus};
use crate::scoring::store::{self, Entry, NewEvidence};
use crate::scoring::tables;

/// A demo year: per unit, its sheet's state and how many half-point steps it loses against the
/// maximum (fewer is better), so the ranking comes out as the seed articles tell it.
struct DemoScoring {
    tenant: &'static str,
    cluster: &'static str,
    year: i32,
    deadline: (i32, u32, u32),
    /// Move the year to the scoring phase (a year still under way).
    scoring_phase: bool,
    units: &'static [(&'static str, SheetStatus, u32)],
}

use SheetStatus::{Draft, Finalised, Returned, Submitted};

const YEARS: &[DemoScoring] = &[
    // Seed 000: the 2019 conference proposed Vụ Tổ chức - Cán bộ and Văn phòng TANDTC for the
    // Government flag, and those two with Vụ Pháp chế và QLKH and Học viện Tòa án for the courts'.
    DemoScoring {
        tenant: "toaan",
        cluster: "Cụm thi đua số VI",
        year: 2019,
        deadline: (2019, 11, 30),
        scoring_phase: false,
        units: &[
            ("tccb", Finalised, 0),
            ("vanphong", Finalised, 1),
            ("phapche", Finalised, 2),
            ("hocvien", Finalised, 3),
            ("khtc", Finalised, 5),
            ("thanhtra", Finalised, 6),
            ("tonghop", Finalised, 7),
            ("tdkt", Finalised, 8),
            ("htqt", Finalised, 10),
            ("ctpn", Finalised, 11),
            ("baocongly", Finalised, 12),
            ("tapchi", Finalised, 14),
        ],
    },
    // Seed 003: in 2023 the provincial court led and was proposed for the provincial flag.
    DemoScoring {
        tenant: "langson",
        cluster: "Cụm thi đua các cơ quan Nội chính tỉnh",
        year: 2023,
        deadline: (2023, 12, 5),
        scoring_phase: false,
        units: &[
            ("tand-ls", Finalised, 0),
            ("ca-ls", Finalised, 2),
            ("vks-ls", Finalised, 3),
            ("thads-ls", Finalised, 4),
            ("qs-ls", Finalised, 6),
            ("bp-ls", Finalised, 7),
            ("csd2", Finalised, 9),
        ],
    },
    // 2024 under way: sheets in every state.
    DemoScoring {
        tenant: "langson",
        cluster: "Cụm thi đua các cơ quan Nội chính tỉnh",
        year: 2024,
        deadline: (2024, 12, 5),
        scoring_phase: true,
        units: &[
            ("tand-ls", Finalised, 1),
            ("qs-ls", Finalised, 5),
            ("ca-ls", Finalised, 3),
            ("thads-ls", Submitted, 2),
            ("vks-ls", Submitted, 4),
            ("bp-ls", Returned, 6),
            ("csd2", Draft, 8),
        ],
    },
];

const DEMO_PDF: &[u8] = b"%PDF-1.4\n% minh chung demo\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// A demo sheet's moments: the `n`-th unit hands in two weeks before the deadline plus `n`
/// days (so every one is on time), and the verifier closes it three days later.
fn moments(deadline: NaiveDate, n: usize) -> (DateTime<Utc>, DateTime<Utc>) {
    let day = deadline - Duration::days(14) + Duration::days(n as i64);
    let at = |d: NaiveDate, h: u32| {
        d.and_hms_opt(h, 30, 0)
            .expect("valid time")
            .and_local_timezone(crate::web::vn::vn_offset())
            .single()
            .expect("fixed offset")
            .with_timezone(&Utc)
    };
    (at(day, 9), at(day + Duration::days(3), 15))
}

/// Dates the sheet's hand-in and verification as the story tells them, instead of the moment
/// the demo was loaded (the days late of a submitted sheet count up to its hand-in).
async fn date_sheet(
    conn: &mut PgConnection,
    tenant_id: i64,
    sheet_id: i64,
    (submitted, finalised): (DateTime<Utc>, DateTime<Utc>),
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE scoresheets SET submitted_at = $3,
                finalised_at = CASE WHEN finalised_at IS NULL THEN NULL ELSE $4 END,
                updated_at = CASE WHEN finalised_at IS NULL THEN $3 ELSE $4 END
          WHERE tenant_id = $1 AND id = $2 AND submitted_at IS NOT NULL",
    )
    .bind(tenant_id)
    .bind(sheet_id)
    .bind(submitted)
    .bind(finalised)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn load(
    conn: &mut TenantTx,
    actor: &Actor,
    tenant_code: &str,
    shift: Shift,
) -> Result<()> {
    let library = crate::scoring::criteria::demo::load(conn, actor).await?;
    for d in YEARS.iter().filter(|d| d.tenant == tenant_code) {
        let Some(cluster) = org_store::cluster_by_name(conn, d.cluster).await? else {
            continue;
        };
        let year_no = shift.year(d.year);
        let Some(year) = org_store::year_of_cluster(conn, cluster.id, year_no).await? else {
            continue;
        };
        if tables::year_table(conn, year.id).await?.is_some() {
            continue;
        }
        let table_id = tables::copy_to_year(conn, actor, library, year.id).await?;
        let (dy, dm, dd) = shift.ymd(d.deadline);
        let deadline = NaiveDate::from_ymd_opt(dy, dm, dd).expect("a real demo deadline");
        store::set_scoring_deadline(conn, actor, year.id, Some(deadline)).await?;
        let table = tables::load_full(conn, table_id)
            .await?
            .expect("just copied");
        for (n, (code, state, lose)) in d.units.iter().enumerate() {
            let Some(unit) = org_store::unit_by_code(conn, code).await? else {
                continue;
            };
            let sheet = store::sheet_or_new(conn, year.id, unit.id, table_id).await?;
            let mut left = *lose;
            for (i, c) in table.criteria.iter().enumerate() {
                let claimed = match table.section(c.section_id).map(|s| s.kind()) {
                    // The strongest units earn bonus points; the weakest have a penalty.
                    Some(SectionKind::Bonus) => {
                        if *lose <= 2 && i % 2 == 0 {
                            c.max_points.min(Decimal::ONE)
                        } else {
                            Decimal::ZERO
                        }
                    }
                    Some(SectionKind::Penalty) => {
                        if *lose >= 10 && (n + i) % 2 == 0 {
                            c.step
                        } else {
                            Decimal::ZERO
                        }
                    }
                    _ if left > 0 && i % 2 == 1 => {
                        left -= 1;
                        c.max_points - c.step
                    }
                    _ => c.max_points,
                };
                let e = Entry {
                    criterion_id: c.id,
                    self_points: Some(claimed),
                    explanation: format!(
                        "Đơn vị đã thực hiện theo kế hoạch năm {}; số liệu theo báo cáo tổng kết.",
                        year_no
                    ),
                    ..Default::default()
                };
                store::save_self(conn, sheet.id, &e).await?;
                if c.evidence_required && *state != Draft {
                    let sha = <sha2::Sha256 as sha2::Digest>::digest(DEMO_PDF);
                    let ev = NewEvidence {
                        criterion_id: c.id,
                        filename: &format!("Bao-cao-{}-{}.pdf", c.code, code),
                        content_type: "application/pdf",
                        data: DEMO_PDF,
                        sha256: &sha,
                        // The demo keeps its files in the database; the move command moves them.
                        placed: &crate::files::Placed::InRow,
                    };
                    store::insert_evidence(conn, actor, sheet.id, &ev).await?;
                }
            }
            if *state == Draft {
                continue;
            }
            store::set_status(conn, actor, &sheet, Submitted, "").await?;
            let sheet = store::sheet_by_id(conn, sheet.id).await?.expect("exists");
            match state {
                Returned => {
                    let reason = "Tiêu chí 2.3 chưa có số liệu so sánh với năm trước; đề nghị bổ sung và nộp lại.";
                    store::set_status(conn, actor, &sheet, Returned, reason).await?;
                    let (y, u) = (sheet.cluster_year_id, sheet.unit_id);
                    crate::notify::sheet_returned(conn, By::system(), y, u, reason).await?;
                }
                Finalised => {
                    let entries = store::entries(conn, sheet.id).await?;
                    for (i, e) in entries.iter().enumerate() {
                        let c = table
                            .criteria
                            .iter()
                            .find(|c| c.id == e.criterion_id)
                            .expect("criterion");
                        // Some units have two criteria lowered on verification, with the reason.
                        let lowered = *lose >= 5
                            && n % 2 == 1
                            && (i == 2 || i == 4)
                            && e.self_points.unwrap_or_default() >= c.step;
                        let (points, reason) = if lowered {
                            (
                                e.self_points.map(|p| p - c.step),
                                "Minh chứng chưa thể hiện đủ kết quả như đơn vị tự chấm."
                                    .to_string(),
                            )
                        } else {
                            (e.self_points, String::new())
                        };
                        let v = Entry {
                            verified_points: points,
                            verify_reason: reason,
                            ..e.clone()
                        };
                        store::save_verified(conn, sheet.id, &v).await?;
                    }
                    store::set_status(conn, actor, &sheet, Finalised, "").await?;
                }
                // Still waiting: the verifier has it in their notifications (issue 14, item 6).
                _ => {
                    let (y, u) = (sheet.cluster_year_id, sheet.unit_id);
                    crate::notify::sheet_submitted(conn, By::system(), y, u).await?;
                }
            }
            date_sheet(conn, actor.tenant_id, sheet.id, moments(deadline, n)).await?;
        }
        if d.scoring_phase {
            org_store::set_phase(conn, actor, &year, crate::org::model::Phase::Scoring).await?;
        }
        tables::freeze(conn, table_id).await?;
    }
    Ok(())
}
