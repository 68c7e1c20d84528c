//! How many SQL statements each main page costs, session included, counted by PostgreSQL
//! itself (pg_stat_statements, top-level statements of the application role in this test's
//! database, BEGIN and COMMIT included). A page whose count grows past its budget fails here:
//! raise the budget only with a reason in the commit. No page counted here may write: a GET
//! that only reads runs without a transaction, where a write would stay whatever failed after.

use crate::harness::TestApp;

/// Statements of the application role in this database so far, by statement text.
async fn statements(app: &TestApp) -> std::collections::HashMap<String, i64> {
    sqlx::query_as::<_, (String, i64)>(
        "SELECT s.query, sum(s.calls)::bigint FROM pg_stat_statements s
           JOIN pg_roles r ON r.oid = s.userid
          WHERE r.rolname = 'thidua_app'
            AND s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
          GROUP BY s.query",
    )
    .fetch_all(&app.owner)
    .await
    .expect("pg_stat_statements: the test server loads it (db::embedded, ephemeral)")
    .into_iter()
    .collect()
}

/// Whether a statement writes: an INSERT, UPDATE, DELETE or MERGE anywhere in it (a CTE
/// included), or a sequence advanced. `FOR UPDATE` locks without writing, but a page that only
/// reads has nothing to lock either, so it counts. The session check's function writes (it
/// deletes an ended session, touches the live one) by design and is left out: its writes are
/// whole within its one statement.
fn writes(query: &str) -> bool {
    let q = query.to_uppercase();
    if q.contains("APP_OPEN_REQUEST(") {
        return false;
    }
    q.contains("NEXTVAL(")
        || q.contains("SETVAL(")
        || q.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .any(|w| matches!(w, "INSERT" | "UPDATE" | "DELETE" | "MERGE"))
}

/// The statements run between two snapshots, most frequent first: the failure message names
/// them, so whoever breaks a budget sees which query came in.
fn delta(
    before: &std::collections::HashMap<String, i64>,
    after: &std::collections::HashMap<String, i64>,
) -> (i64, Vec<String>) {
    let mut lines: Vec<(i64, String)> = after
        .iter()
        .filter_map(|(q, n)| {
            let d = n - before.get(q).copied().unwrap_or(0);
            let q: String = q.split_whitespace().collect::<Vec<_>>().join(" ");
            (d > 0).then(|| (d, q.chars().take(140).collect()))
        })
        .collect();
    lines.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let total = lines.iter().map(|(n, _)| n).sum();
    let text = lines
        .into_iter()
        .map(|(n, q)| format!("      {n} × {q}"))
        .collect();
    (total, text)
}

/// The statements between two snapshots that write, by their text.
fn written(
    before: &std::collections::HashMap<String, i64>,
    after: &std::collections::HashMap<String, i64>,
) -> Vec<String> {
    after
        .iter()
        .filter(|(q, n)| **n > before.get(*q).copied().unwrap_or(0) && writes(q))
        .map(|(q, _)| q.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

pub(crate) async fn id(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.owner).await.unwrap()
}

/// The demo's Nội chính cluster year 2023 and its dossier: (year, proposal).
pub(crate) async fn noi_chinh_2023(app: &TestApp) -> (i64, i64) {
    let year = id(
        app,
        "SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
          WHERE c.name = 'Cụm thi đua các cơ quan Nội chính tỉnh' AND y.year = 2023",
    )
    .await;
    let proposal = id(
        app,
        &format!("SELECT id FROM proposals WHERE cluster_year_id = {year}"),
    )
    .await;
    (year, proposal)
}

/// (user, page, most statements it may cost)
type Budget = (&'static str, String, i64);

#[tokio::test]
async fn main_pages_stay_within_their_statement_budgets() {
    let app = TestApp::start().await;
    sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        .execute(&app.owner)
        .await
        .unwrap();
    let (year, proposal) = noi_chinh_2023(&app).await;
    let unit = id(&app, "SELECT id FROM units WHERE code = 'thads-ls'").await;
    let vote = id(
        &app,
        &format!("SELECT id FROM votes WHERE cluster_year_id = {year} AND kind = 'award' ORDER BY id LIMIT 1"),
    )
    .await;

    let nominee = id(
        &app,
        &format!(
            "SELECT unit_id FROM proposal_nominees WHERE proposal_id = {proposal}
              ORDER BY unit_id LIMIT 1"
        ),
    )
    .await;

    let leader = "canbo.thads-ls";
    let head = "thutruong.tand-ls";
    let council = "quantri.langson";
    let decision = id(
        &app,
        "SELECT id FROM decisions WHERE number = '156/QĐ-UBND'",
    )
    .await;
    let y = |p: &str| format!("/years/{year}{p}");
    let pr = |p: &str| format!("/proposals/{proposal}{p}");
    let pages: Vec<Budget> = vec![
        // The unit's years come with their members in one statement (org::year::of_unit).
        // Pages that only read run without BEGIN and COMMIT (CurrentUser::read): 2 fewer each.
        (leader, "/".into(), 4),
        (head, "/".into(), 4),
        (council, "/".into(), 2),
        (leader, y("/scoring"), 3),
        (leader, y(&format!("/sheets/{unit}")), 3),
        (leader, y("/pledge"), 3),
        (leader, y(&format!("/registrations/{unit}")), 4),
        // The vote with its rounds, candidates, counts, participation, committee and receipts in
        // one statement, then the year; award types and settings from memory (catalog version);
        // no BEGIN or COMMIT (`CurrentUser::read`): 12 → 3.
        (leader, format!("/votes/{vote}"), 3),
        // The dossier, the year, and its nominees, reports, steps, decision and outcome in one
        // statement; templates and settings from memory; no transaction: 10 → 4.
        (leader, pr(""), 4),
        (leader, y("/scoring/print"), 3),
        (leader, y("/scoring/export.xlsx"), 2),
        (leader, y("/scoring/print.docx"), 3),
        // The cycle's prints read without a transaction, the units, award types and the
        // council's place from memory: 8 → 5, 9 → 4.
        (leader, y("/pledge/print"), 3),
        (council, y("/registrations/print"), 4),
        // The dossier's documents: the dossier, the year, the vote and election with all they
        // show (one statement), the nominees; the tenant's names, the leading unit, award
        // types and settings from memory; no transaction. 13 → 5, the minutes 15 → 5.
        (leader, pr("/print/to-trinh"), 5),
        (leader, pr("/print/bien-ban"), 5),
        (leader, pr("/docx/bien-ban"), 5),
        (leader, pr("/print/danh-sach"), 5),
        (leader, pr("/docx/danh-sach"), 5),
        // A nominee's achievement report: the dossier, the year, its nominees with their
        // reports (one statement), the unit's awards; the year's results and the unit from
        // memory.
        (leader, pr(&format!("/reports/{nominee}/print")), 5),
        (leader, pr(&format!("/reports/{nominee}/docx")), 5),
        // The council's dashboard is kept by the version the database gives the year (0038):
        // the session, then the years and that version.
        (council, "/council".into(), 3),
        (leader, format!("/units/{unit}/history"), 4),
        // A search and its count in one statement (db::search_page).
        (council, "/units?q=lang".into(), 3),
        (council, "/users?q=canbo".into(), 4),
        // Issue 14: the session check (which counts the badge), the page of notifications.
        (leader, "/notifications".into(), 2),
        // The council's outbox page: its counts and its failed messages.
        (council, "/mail".into(), 3),
        // The council's choice of Government flags among the leading units: the settings, the
        // leading units with their votes, the tenant's names, the saved choice.
        (council, "/council/government-flag?year=2023".into(), 5),
        // Issue 15, the council's office.
        (council, "/council/decisions?year=2023".into(), 4),
        (council, format!("/council/decisions/{decision}"), 3),
        (council, format!("/council/decisions/{decision}/print"), 3),
        (
            council,
            format!("/council/decisions/{decision}/certificates"),
            5,
        ),
        (council, "/council/certificates".into(), 3),
        // The statistics and the export page read everything they show in one statement
        // (json_agg columns): the session, that statement.
        (council, "/council/statistics?year=2023".into(), 2),
        (council, "/council/exchange".into(), 2),
    ];

    let mut clients = std::collections::HashMap::new();
    for who in [leader, head, council] {
        clients.insert(who, app.login(who).await);
    }
    let mut report = Vec::new();
    let mut over = Vec::new();
    let mut writing = Vec::new();
    for (who, page, budget) in &pages {
        let c = &clients[who];
        // Once first, so that nothing a first visit does (a session touch) is counted.
        let r = c.get(page).await;
        assert_eq!(r.status, 200, "{who} {page}: {}", r.body);
        let before = statements(&app).await;
        let r = c.get(page).await;
        assert_eq!(r.status, 200, "{who} {page}");
        let after = statements(&app).await;
        let (used, queries) = delta(&before, &after);
        // A GET that reads runs without a transaction (`CurrentUser::read`): a write there would
        // stay written whatever failed after it. No page counted here writes.
        for q in written(&before, &after) {
            writing.push(format!("{page} ({who}): {q}"));
        }
        report.push(format!("{used:>3} / {budget:>3}  {who:<18} {page}"));
        if std::env::var_os("THIDUA_STATEMENTS").is_some() {
            report.extend(queries.iter().cloned());
        }
        if used > *budget {
            over.push(format!(
                "{page} ({who}): {used} statements, budget {budget}\n{}",
                queries.join("\n")
            ));
        }
    }
    println!("statements / budget, per page:\n{}", report.join("\n"));
    assert!(
        writing.is_empty(),
        "pages that write on a GET:\n{}",
        writing.join("\n")
    );
    assert!(
        over.is_empty(),
        "pages over their statement budget:\n{}",
        over.join("\n")
    );
}
