//! Secret-ballot peer votes and leader elections.

use thidua::voting::crypto::{GroupRule, Spec};

use crate::harness::{Client, Resp, TestApp};

pub async fn id(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.owner).await.unwrap()
}

pub async fn unit_id(app: &TestApp, code: &str) -> i64 {
    id(app, &format!("SELECT id FROM units WHERE code = '{code}'")).await
}

pub async fn year_id(app: &TestApp, cluster: &str, year: i32) -> i64 {
    id(
        app,
        &format!(
            "SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
              WHERE c.name = '{cluster}' AND y.year = {year}"
        ),
    )
    .await
}

pub async fn award_id(app: &TestApp, tenant: &str, name: &str) -> i64 {
    id(
        app,
        &format!(
            "SELECT a.id FROM award_types a JOIN tenants t ON t.id = a.tenant_id
              WHERE t.code = '{tenant}' AND a.name = '{name}'"
        ),
    )
    .await
}

pub async fn candidate(app: &TestApp, vote: i64, unit: &str, what: &str) -> i64 {
    let u = unit_id(app, unit).await;
    id(
        app,
        &format!(
            "SELECT c.id FROM vote_candidates c LEFT JOIN award_types a ON a.id = c.award_type_id
              WHERE c.vote_id = {vote} AND c.unit_id = {u} AND (c.role = '{what}' OR a.name = '{what}')"
        ),
    )
    .await
}

async fn ballots(app: &TestApp, vote: i64) -> i64 {
    app.scalar_i64(&format!(
        "SELECT count(*) FROM encrypted_ballots WHERE vote_id = {vote}"
    ))
    .await
}

/// The passphrase committee members choose in the tests.
pub const PASS: &str = "cụm mật khẩu thử nghiệm";

/// The leader names `members` (usernames) the vote's counting committee with `threshold`; each
/// member sets the passphrase. Returns the members' clients, in seat order.
pub async fn committee(
    app: &TestApp,
    leader: &Client,
    vote: i64,
    members: &[&str],
    threshold: u32,
) -> Vec<Client> {
    let page = format!("/votes/{vote}");
    let mut fields: Vec<(String, String)> = Vec::new();
    for m in members {
        let uid = id(app, &format!("SELECT id FROM users WHERE username = '{m}'")).await;
        fields.push(("user_id".into(), uid.to_string()));
    }
    fields.push(("threshold".into(), threshold.to_string()));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let r = leader
        .submit(&page, &format!("{page}/committee"), &refs)
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut out = Vec::new();
    for m in members {
        let c = app.login(m).await;
        let r = c
            .submit(
                &page,
                &format!("{page}/committee/passphrase"),
                &[("passphrase", PASS), ("confirm", PASS)],
            )
            .await;
        assert_eq!(r.status, 303, "{m}: {}", r.body);
        out.push(c);
    }
    out
}

/// Names the usual counting committee (three officers of Lạng Sơn units, two needed), opens
/// the vote and downloads the members' key files.
pub async fn open_with_committee(
    app: &TestApp,
    leader: &Client,
    vote: i64,
) -> Vec<(Client, String)> {
    let members = committee(
        app,
        leader,
        vote,
        &["canbo.qs-ls", "canbo.vks-ls", "canbo.bp-ls"],
        2,
    )
    .await;
    let page = format!("/votes/{vote}");
    let r = leader.submit(&page, &format!("{page}/open"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut out = Vec::new();
    for m in members {
        let f = download(&m, vote).await;
        out.push((m, f));
    }
    out
}

/// Closes the vote and has two of its committee's members count it.
pub async fn close_and_count(leader: &Client, vote: i64, seats: &[(Client, String)]) {
    let page = format!("/votes/{vote}");
    let r = leader.submit(&page, &format!("{page}/close"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    for (c, f) in seats.iter().take(2) {
        let r = give(c, vote, f, PASS).await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
}

/// A committee member downloads their share file (once).
pub async fn download(c: &Client, vote: i64) -> String {
    let page = format!("/votes/{vote}");
    let r = c
        .submit(&page, &format!("{page}/committee/share"), &[])
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("thidua-key-share/1"), "{}", r.body);
    r.body
}

/// A committee member records a unit's written opinion (election), with its scan.
async fn written_opinion(
    c: &Client,
    vote: i64,
    unit: String,
    leader: &str,
    deputy: &str,
    scan: &[u8],
) -> Resp {
    let page = format!("/votes/{vote}");
    let token = c.get(&page).await.csrf();
    c.upload(
        &format!("{page}/written?csrf={token}"),
        &[("unit_id", &unit), ("leader", leader), ("deputy", deputy)],
        "file",
        "y-kien.pdf",
        scan.to_vec(),
    )
    .await
}

/// A committee member gives their share back after the close.
pub async fn give(c: &Client, vote: i64, file: &str, passphrase: &str) -> Resp {
    let page = format!("/votes/{vote}");
    let token = c.get(&page).await.csrf();
    c.upload(
        &format!("{page}/committee/decrypt?csrf={token}"),
        &[("passphrase", passphrase)],
        "file",
        "khoa.json",
        file.as_bytes().to_vec(),
    )
    .await
}

async fn participation(app: &TestApp, vote: i64) -> i64 {
    app.scalar_i64(&format!(
        "SELECT count(*) FROM vote_participation WHERE vote_id = {vote}"
    ))
    .await
}

pub fn receipt(r: &Resp) -> String {
    let at = r
        .body
        .find("Mã phiếu: <strong><code>")
        .unwrap_or_else(|| panic!("no receipt: {}", r.body));
    r.body[at + "Mã phiếu: <strong><code>".len()..][..64].to_string()
}

pub const NOI_CHINH: &str = "Cụm thi đua các cơ quan Nội chính tỉnh";
pub const LS_UNITS: [&str; 7] = [
    "tand-ls", "thads-ls", "qs-ls", "bp-ls", "ca-ls", "vks-ls", "csd2",
];
/// Each demo council's own name for the ministry's or province's flag (the law's category
/// "Cờ thi đua của Bộ, ban, ngành, tỉnh" renamed, as documents must print it): Lạng Sơn's.
pub const FLAG: &str = "Cờ thi đua của Ủy ban nhân dân tỉnh Lạng Sơn";
/// The courts' flag.
pub const TOAAN_FLAG: &str = "Cờ thi đua của Tòa án nhân dân";
pub const TTLDXS: &str = "Tập thể lao động xuất sắc";

/// The 2024 leader (thads-ls) creates a vote; returns the vote id.
pub async fn create_vote(app: &TestApp, leader: &Client, y: i64, kind: &str, mode: &str) -> i64 {
    let r = leader
        .submit(
            &format!("/years/{y}/votes"),
            &format!("/years/{y}/votes"),
            &[("kind", kind), ("title", ""), ("mode", mode)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let vote: i64 = r.location().trim_start_matches("/votes/").parse().unwrap();
    assert!(
        id(
            app,
            &format!("SELECT count(*) FROM votes WHERE id = {vote}")
        )
        .await
            == 1,
        "vote row"
    );
    vote
}

#[tokio::test]
async fn seven_heads_vote_in_secret_and_the_flag_passes_with_eighty_percent_of_all_members() {
    let app = TestApp::start().await;
    let y = year_id(&app, NOI_CHINH, 2024).await;
    let leader = app.login("canbo.thads-ls").await;
    let vote = create_vote(&app, &leader, y, "award", "online").await;
    let page = format!("/votes/{vote}");
    // Start from no candidates (2024 is not scored in the demo) and add them among members.
    sqlx::query(&format!(
        "DELETE FROM vote_candidates WHERE vote_id = {vote}"
    ))
    .execute(&app.owner)
    .await
    .unwrap();
    let flag = award_id(&app, "langson", FLAG).await.to_string();
    let ttldxs = award_id(&app, "langson", TTLDXS).await.to_string();
    for (award, unit) in [(&flag, "tand-ls"), (&ttldxs, "ca-ls"), (&ttldxs, "bp-ls")] {
        let u = unit_id(&app, unit).await.to_string();
        let r = leader
            .submit(
                &page,
                &format!("{page}/candidates"),
                &[("award_type_id", award), ("unit_id", &u)],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    // A unit outside the cluster is refused as a candidate.
    let outsider = unit_id(&app, "hocvien").await.to_string();
    let r = leader
        .submit(
            &page,
            &format!("{page}/candidates"),
            &[("award_type_id", &flag), ("unit_id", &outsider)],
        )
        .await;
    assert_eq!(r.status, 422);
    let bp = candidate(&app, vote, "bp-ls", TTLDXS).await;
    let r = leader
        .submit(&page, &format!("{page}/candidates/{bp}/remove"), &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // Heads cannot vote on a draft.
    let early = app.login("thutruong.qs-ls").await;
    let r = early.submit(&page, &format!("{page}/ballot"), &[]).await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("chưa mở"), "{}", r.body);

    // An online vote does not open without its counting committee, nor before every member
    // has set a passphrase.
    let r = leader.submit(&page, &format!("{page}/open"), &[]).await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("ban kiểm phiếu"), "{}", r.body);
    let r = leader
        .submit(&page, &format!("{page}/committee"), &[("threshold", "2")])
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let members = committee(
        &app,
        &leader,
        vote,
        &["canbo.qs-ls", "canbo.vks-ls", "canbo.bp-ls"],
        2,
    )
    .await;
    // A passphrase too short, or typed differently twice, is refused beside the field.
    let r = members[0]
        .submit(
            &page,
            &format!("{page}/committee/passphrase"),
            &[("passphrase", "ngắn"), ("confirm", "ngắn")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("từ 10 đến 200 ký tự"), "{}", r.body);
    // Only the members hold seats.
    let r = leader
        .submit(
            &page,
            &format!("{page}/committee/passphrase"),
            &[("passphrase", PASS), ("confirm", PASS)],
        )
        .await;
    assert_eq!(r.status, 403);

    let r = leader.submit(&page, &format!("{page}/open"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let (c_flag, c_x) = (
        candidate(&app, vote, "tand-ls", FLAG).await,
        candidate(&app, vote, "ca-ls", TTLDXS).await,
    );
    // Each member downloads their share once; the server keeps no copy after.
    let mut files = Vec::new();
    for m in &members {
        files.push(download(m, vote).await);
        let r = m
            .submit(&page, &format!("{page}/committee/share"), &[])
            .await;
        assert_eq!(r.status, 409, "a second download");
    }
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT count(*) FROM vote_committee WHERE vote_id = {vote} AND sealed_share IS NOT NULL"
        ))
        .await,
        0
    );

    // An officer may not vote; a head of another tenant, or of another cluster, finds nothing.
    let officer = app.login("canbo.qs-ls").await;
    let fields_for = |f: &str, x: &str| {
        vec![
            (format!("c{c_flag}"), f.to_string()),
            (format!("c{c_x}"), x.to_string()),
        ]
    };
    let yes = fields_for("for", "for");
    let yes_refs: Vec<(&str, &str)> = yes.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let r = officer
        .submit(&page, &format!("{page}/ballot"), &yes_refs)
        .await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("Chỉ thủ trưởng"), "{}", r.body);
    let foreign = app.login("thutruong.hocvien").await;
    assert_eq!(foreign.get(&page).await.status, 404);
    let r = foreign
        .submit("/", &format!("{page}/ballot"), &yes_refs)
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(ballots(&app, vote).await, 0);
    assert_eq!(participation(&app, vote).await, 0);

    // Seven heads vote in their own sessions: the flag 6 for, 1 against; TTLĐXS 5 for, 2 against.
    let mut receipts = Vec::new();
    for (i, code) in LS_UNITS.iter().enumerate() {
        let head = app.login(&format!("thutruong.{code}")).await;
        let p = head.get(&page).await;
        assert!(p.body.contains("Gửi phiếu"), "{}", p.body);
        let f = fields_for(
            if i == 0 { "against" } else { "for" },
            if i < 2 { "against" } else { "for" },
        );
        let refs: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let r = head.submit(&page, &format!("{page}/ballot"), &refs).await;
        assert_eq!(r.status, 200, "{}", r.body);
        receipts.push((code.to_string(), receipt(&r)));
        // A second ballot from the same unit is refused and changes nothing.
        let r = head.submit(&page, &format!("{page}/ballot"), &refs).await;
        assert_eq!(r.status, 409);
        assert!(r.body.contains("đã bỏ phiếu"), "{}", r.body);
        assert_eq!(ballots(&app, vote).await, i as i64 + 1);
    }
    assert_eq!(participation(&app, vote).await, 7);

    // Before the results nobody sees results or receipts; who has voted is public.
    let p = app.login("thutruong.vks-ls").await.get(&page).await;
    assert!(p.body.contains("7/7 đơn vị"), "{}", p.body);
    assert!(!p.body.contains(&receipts[0].1));

    let r = leader.submit(&page, &format!("{page}/close"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let late = app.login("thutruong.csd2").await;
    let r = late
        .submit(&page, &format!("{page}/ballot"), &yes_refs)
        .await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("đã kết thúc"), "{}", r.body);
    assert_eq!(ballots(&app, vote).await, 7);

    // No result before the committee counts: nothing to release.
    let r = leader.submit(&page, &format!("{page}/release"), &[]).await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("chưa góp đủ khóa"), "{}", r.body);
    // A wrong passphrase, or another seat's file, is refused and counts nothing.
    let r = give(&members[0], vote, &files[0], "không phải cụm mật khẩu").await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Cụm mật khẩu không đúng"), "{}", r.body);
    let r = give(&members[0], vote, &files[1], PASS).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("không phải của bạn"), "{}", r.body);
    // One share of three is not enough; a second one counts.
    let r = give(&members[2], vote, &files[2], PASS).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT count(*) FROM vote_totals WHERE vote_id = {vote}"
        ))
        .await,
        0
    );
    let r = leader.submit(&page, &format!("{page}/release"), &[]).await;
    assert_eq!(r.status, 409);
    let r = give(&members[0], vote, &files[0], PASS).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = give(&members[0], vote, &files[0], PASS).await;
    assert_eq!(r.status, 409, "a seat gives its share once");
    // The leader sees the count before releasing it; members do not, nor the receipts.
    assert!(leader.get(&page).await.body.contains("85,71%"));
    let p = late.get(&page).await;
    assert!(!p.body.contains("85,71%"), "results before release");
    assert!(!p.body.contains(&receipts[0].1), "receipts before release");
    assert_eq!(late.get(&format!("{page}/record.json")).await.status, 404);

    let r = leader.submit(&page, &format!("{page}/release"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let p = late.get(&page).await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("85,71%"), "{}", p.body);
    assert!(p.body.contains("71,43%"), "{}", p.body);
    assert!(p.body.contains("Đạt, được đề nghị"), "{}", p.body);
    assert!(p.body.contains("Không đạt tỷ lệ"), "{}", p.body);
    for (code, rc) in &receipts {
        let head = app.login(&format!("thutruong.{code}")).await;
        assert!(head.get(&page).await.body.contains(rc), "{code} finds {rc}");
    }
    // The admin may view the results.
    let admin = app.login("quantri.langson").await;
    let p = admin.get(&page).await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("85,71%"));

    // The public record: every receipt in it, its proofs hold and its totals are the announced.
    let rec = late.get(&format!("{page}/record.json")).await;
    assert_eq!(rec.status, 200);
    let record: thidua::voting::record::Record = serde_json::from_str(&rec.body).unwrap();
    for (_, rc) in &receipts {
        assert!(
            record.ballots.iter().any(|b| &b.receipt == rc),
            "{rc} in the record"
        );
    }
    let verdict = thidua::voting::record::verify(&record);
    assert!(verdict.is_ok(), "{verdict:?}");
    let flag_total = record
        .result
        .totals
        .iter()
        .find(|t| t.candidate_id == c_flag)
        .unwrap();
    assert_eq!((flag_total.votes_for, flag_total.votes_against), (6, 1));

    // Nothing readable links a unit to a choice: ballots are ciphertexts without unit, user or
    // time; participation has no choice, time or ballot.
    let cols: Vec<String> = sqlx::query_scalar(
        "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'encrypted_ballots' ORDER BY 1",
    )
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert_eq!(cols, ["ballot", "receipt", "tenant_id", "vote_id"]);
    let cols: Vec<String> = sqlx::query_scalar(
        "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'vote_participation' ORDER BY 1",
    )
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert_eq!(cols, ["how", "tenant_id", "unit_id", "vote_id"]);
    let keys: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT DISTINCT jsonb_object_keys(ballot) FROM encrypted_ballots WHERE vote_id = {vote} ORDER BY 1"
    ))
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert_eq!(keys, ["bit_proofs", "choices", "group_proofs"]);
    let leaks = app
        .scalar_i64(&format!(
            "SELECT count(*) FROM audit_log WHERE entity = 'vote' AND entity_id = '{vote}'
               AND (coalesce(after::text, '') LIKE '%choices%' OR coalesce(after::text, '') LIKE '%against%')"
        ))
        .await;
    assert_eq!(leaks, 0);
    let actions: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT action, count(*) FROM audit_log WHERE entity = 'vote' AND entity_id = '{vote}'
          AND action <> 'candidate_added' GROUP BY action ORDER BY action"
    ))
    .fetch_all(&app.owner)
    .await
    .unwrap();
    let expected: Vec<(String, i64)> = [
        ("candidate_removed", 1),
        ("closed", 1),
        ("committee_passphrase_set", 3),
        ("committee_set", 1),
        ("committee_share_downloaded", 3),
        ("created", 1),
        ("decryption_share_given", 2),
        ("opened", 1),
        ("participation_recorded", 7),
        ("results_released", 1),
        ("totals_decrypted", 1),
    ]
    .iter()
    .map(|(a, n)| (a.to_string(), *n))
    .collect();
    assert_eq!(actions, expected);
}

#[tokio::test]
async fn an_election_makes_next_years_leader_and_deputy() {
    let app = TestApp::start().await;
    let y = year_id(&app, NOI_CHINH, 2024).await;
    let leader = app.login("canbo.thads-ls").await;
    let vote = create_vote(&app, &leader, y, "election", "online").await;
    let page = format!("/votes/{vote}");
    // Every member is a candidate for both roles by default.
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT count(*) FROM vote_candidates WHERE vote_id = {vote}"
        ))
        .await,
        14
    );
    let members = committee(
        &app,
        &leader,
        vote,
        &["canbo.qs-ls", "canbo.vks-ls", "canbo.bp-ls"],
        2,
    )
    .await;
    let r = leader.submit(&page, &format!("{page}/open"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let (l_tand, l_ca) = (
        candidate(&app, vote, "tand-ls", "leader").await.to_string(),
        candidate(&app, vote, "ca-ls", "leader").await.to_string(),
    );
    let (d_tand, d_ca) = (
        candidate(&app, vote, "tand-ls", "deputy").await.to_string(),
        candidate(&app, vote, "ca-ls", "deputy").await.to_string(),
    );
    // The same unit for both roles is refused.
    let head = app.login("thutruong.tand-ls").await;
    let r = head
        .submit(
            &page,
            &format!("{page}/ballot"),
            &[("leader", &l_tand), ("deputy", &d_tand)],
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(ballots(&app, vote).await, 0);
    for (i, code) in LS_UNITS.iter().enumerate().take(6) {
        let head = app.login(&format!("thutruong.{code}")).await;
        let pick = if i < 4 {
            [("leader", l_tand.as_str()), ("deputy", d_ca.as_str())]
        } else {
            [("leader", l_ca.as_str()), ("deputy", d_tand.as_str())]
        };
        let r = head.submit(&page, &format!("{page}/ballot"), &pick).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    // The seventh unit's head gave a written opinion: a member of the counting committee
    // records it with the scanned paper; the leader's staff may not.
    let csd2 = unit_id(&app, "csd2").await.to_string();
    let scan = b"%PDF-1.4 y kien bang van ban".to_vec();
    let written = |c, unit: String| written_opinion(c, vote, unit, &l_tand, &d_ca, &scan);
    let r = written(&leader, csd2.clone()).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let qs = unit_id(&app, "qs-ls").await.to_string();
    let r = written(&members[0], qs).await;
    assert_eq!(r.status, 422, "not for the recorder's own unit");
    let tand = unit_id(&app, "tand-ls").await.to_string();
    let r = written(&members[0], tand).await;
    assert_eq!(
        r.status, 409,
        "a unit that voted online gets no written opinion"
    );
    let r = written(&members[0], csd2.clone()).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT count(*) FROM vote_participation WHERE vote_id = {vote} AND how = 'written'"
        ))
        .await,
        1
    );
    // The unit's head sees that it was recorded (and its scan), and can no longer vote online.
    let csd2_head = app.login("thutruong.csd2").await;
    let p = csd2_head.get(&page).await;
    assert!(p.body.contains("ban kiểm phiếu ghi nhận"), "{}", p.body);
    assert!(!p.body.contains("Gửi phiếu"), "{}", p.body);
    let (st, _, bytes) = csd2_head
        .get_bytes(&format!("{page}/written/{csd2}/scan"))
        .await;
    assert_eq!((st, bytes), (200, scan.clone()));
    let r = csd2_head
        .submit(
            &page,
            &format!("{page}/ballot"),
            &[("leader", &l_tand), ("deputy", &d_ca)],
        )
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(ballots(&app, vote).await, 7);
    let files: Vec<String> = {
        let mut f = Vec::new();
        for m in &members {
            f.push(download(m, vote).await);
        }
        f
    };
    let r = leader.submit(&page, &format!("{page}/close"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    // Any two of the three count: here the second and the third.
    for i in [1, 2] {
        let r = give(&members[i], vote, &files[i], PASS).await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let r = leader.submit(&page, &format!("{page}/release"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let y2025 = year_id(&app, NOI_CHINH, 2025).await;
    let (l, d): (Option<i64>, Option<i64>) = sqlx::query_as(&format!(
        "SELECT leader_unit_id, deputy_unit_id FROM cluster_years WHERE id = {y2025}"
    ))
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert_eq!(l, Some(unit_id(&app, "tand-ls").await));
    assert_eq!(d, Some(unit_id(&app, "ca-ls").await));
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT count(*) FROM cluster_members WHERE cluster_year_id = {y2025}"
        ))
        .await,
        7
    );
    let p = head.get(&page).await;
    assert!(p.body.contains("Trúng cử"), "{}", p.body);
    // An election counts votes for each role; it has no "against" column.
    assert!(p.body.contains("Số phiếu bầu"), "{}", p.body);
    assert!(!p.body.contains("<th>Không đồng ý</th>"), "{}", p.body);
}

#[tokio::test]
async fn paper_mode_takes_the_committees_counts() {
    let app = TestApp::start().await;
    let y = year_id(&app, NOI_CHINH, 2024).await;
    let leader = app.login("canbo.thads-ls").await;
    let vote = create_vote(&app, &leader, y, "award", "paper").await;
    let page = format!("/votes/{vote}");
    sqlx::query(&format!(
        "DELETE FROM vote_candidates WHERE vote_id = {vote}"
    ))
    .execute(&app.owner)
    .await
    .unwrap();
    let flag = award_id(&app, "langson", FLAG).await.to_string();
    let tand = unit_id(&app, "tand-ls").await.to_string();
    let r = leader
        .submit(
            &page,
            &format!("{page}/candidates"),
            &[("award_type_id", &flag), ("unit_id", &tand)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = leader.submit(&page, &format!("{page}/open"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let c = candidate(&app, vote, "tand-ls", FLAG).await;
    // No online ballots in paper mode.
    let r = app
        .login("thutruong.qs-ls")
        .await
        .submit(&page, &format!("{page}/ballot"), &[])
        .await;
    assert_eq!(r.status, 409);
    // More votes than members is refused.
    let (f, a) = (format!("for{c}"), format!("against{c}"));
    let r = leader
        .submit(
            &page,
            &format!("{page}/paper"),
            &[("committee", "Ông A, bà B, ông C"), (&f, "7"), (&a, "1")],
        )
        .await;
    assert_eq!(r.status, 422);
    let r = leader
        .submit(
            &page,
            &format!("{page}/paper"),
            &[("committee", "Ông A, bà B, ông C"), (&f, "6"), (&a, "1")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // Only the leader enters counts.
    let r = app
        .login("canbo.qs-ls")
        .await
        .submit(
            &page,
            &format!("{page}/paper"),
            &[("committee", "X Y"), (&f, "7"), (&a, "0")],
        )
        .await;
    assert_eq!(r.status, 403);
    for action in ["close", "release"] {
        let r = leader.submit(&page, &format!("{page}/{action}"), &[]).await;
        assert_eq!(r.status, 303, "{action}: {}", r.body);
    }
    let p = app.login("quantri.langson").await.get(&page).await;
    assert!(p.body.contains("Ông A, bà B, ông C"), "{}", p.body);
    assert!(p.body.contains("85,71%"), "{}", p.body);
    assert!(p.body.contains("Đạt, được đề nghị"), "{}", p.body);
}

#[tokio::test]
async fn award_candidates_default_to_the_best_verified_ranks_and_others_find_nothing() {
    let app = TestApp::start().await;
    let y = year_id(&app, "Cụm thi đua số VI", 2019).await;
    let leader = app.login("canbo.khtc").await;
    let vote = create_vote(&app, &leader, y, "award", "online").await;
    let page = format!("/votes/{vote}");
    // The courts allow Cụm VI four for their flag and two for the Government flag (the demo's
    // quotas), but a cluster no longer votes on the Government flag (Công văn 5007: the council
    // chooses among the clusters' leading units): the four best verified ranks for the courts'
    // flag only, and the page says so before anyone votes.
    let units: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT DISTINCT unit_id FROM vote_candidates WHERE vote_id = {vote}"
    ))
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT count(*) FROM vote_candidates WHERE vote_id = {vote}"
        ))
        .await,
        4
    );
    assert_eq!(units.len(), 4);
    let shown = leader.get(&page).await.body;
    assert!(
        shown.contains("Cờ thi đua của Chính phủ: không bình xét tại cụm, khối; Hội đồng lựa chọn trong các đơn vị được suy tôn dẫn đầu các cụm, khối."),
        "{shown}"
    );
    assert!(
        shown.contains(
            "đơn vị đạt nhiều phiếu đồng ý nhất được suy tôn là đơn vị dẫn đầu cụm, khối."
        ),
        "{shown}"
    );
    // Not offered, and refused beside the field if sent anyway.
    let gov = app
        .scalar_i64(
            "SELECT a.id FROM award_types a JOIN tenants t ON t.id = a.tenant_id
              WHERE t.code = 'toaan' AND a.name = 'Cờ thi đua của Chính phủ'",
        )
        .await;
    assert!(
        !shown.contains(&format!(
            "<option value=\"{gov}\">Cờ thi đua của Chính phủ</option>"
        )),
        "{shown}"
    );
    let tccb = app
        .scalar_i64("SELECT id FROM units WHERE code = 'tccb'")
        .await;
    let r = leader
        .submit(
            &page,
            &format!("{page}/candidates"),
            &[
                ("award_type_id", &gov.to_string()),
                ("unit_id", &tccb.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("Cờ thi đua của Chính phủ không bình xét tại cụm, khối"),
        "{}",
        r.body
    );
    // Another cluster's head and another tenant's head find nothing; officers and the admin
    // may look but not manage.
    assert_eq!(
        app.login("thutruong.laichau").await.get(&page).await.status,
        404
    );
    assert_eq!(
        app.login("thutruong.tand-ls").await.get(&page).await.status,
        404
    );
    assert_eq!(
        app.login("thutruong.laichau")
            .await
            .get(&format!("/years/{y}/votes"))
            .await
            .status,
        404
    );
    let admin = app.login("quantri.toaan").await;
    assert_eq!(admin.get(&page).await.status, 200);
    assert_eq!(
        admin
            .submit(&page, &format!("{page}/open"), &[])
            .await
            .status,
        403
    );
    let r = leader.get(&format!("/years/{y}/votes")).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains(&format!("/votes/{vote}")), "{}", r.body);
}

/// (method, path, form fields, expected per role)
type Line<'a> = (&'a str, String, Vec<(&'a str, &'a str)>, [u16; 5]);

/// The vote routes for Cụm VI 2020 (led by Học viện Tòa án): anonymous, operator, tenant admin,
/// head of hocvien, officer of hocvien. LOGIN (1) = redirect to the login page.
#[tokio::test]
async fn every_vote_route_answers_every_role_as_it_must() {
    const LOGIN: u16 = 1;
    let app = TestApp::start().await;
    thidua::admin::create_operator(&app.pool, "vanhanh", "Vận hành hệ thống")
        .await
        .unwrap();
    sqlx::query(
        "UPDATE users SET must_change_password = false,
                password_hash = (SELECT password_hash FROM users WHERE username = 'canbo.hocvien')
          WHERE username = 'vanhanh'",
    )
    .execute(&app.owner)
    .await
    .unwrap();
    let y = year_id(&app, "Cụm thi đua số VI", 2020).await;
    let tenant = id(&app, "SELECT id FROM tenants WHERE code = 'toaan'").await;
    let flag = award_id(&app, "toaan", TOAAN_FLAG).await;
    let (hocvien, thanhtra) = (
        unit_id(&app, "hocvien").await,
        unit_id(&app, "thanhtra").await,
    );
    // A vote in a given state with one candidate (Ban Thanh tra for the flag).
    let fixture = |state: &'static str, mode: &'static str| {
        let app = &app;
        async move {
            let (opened, closed) = match state {
                "draft" => ("NULL", "NULL"),
                "open" => ("now()", "NULL"),
                _ => ("now()", "now()"),
            };
            let state_sql = if state == "released" { "closed" } else { state };
            let v = id(
                app,
                &format!(
                    "INSERT INTO votes (tenant_id, cluster_year_id, kind, title, state, mode, opened_at, closed_at)
                     VALUES ({tenant}, {y}, 'award', 'Bình xét', '{state_sql}', '{mode}', {opened}, {closed}) RETURNING id"
                ),
            )
            .await;
            let c = id(
                app,
                &format!(
                    "INSERT INTO vote_candidates (tenant_id, vote_id, award_type_id, unit_id)
                     VALUES ({tenant}, {v}, {flag}, {thanhtra}) RETURNING id"
                ),
            )
            .await;
            if mode == "online" && state != "draft" {
                // As the opening leaves it: a key, and canbo.hocvien's seat with its sealed share.
                let (ks, shares) = thidua::voting::crypto::deal(1, 1);
                let spec = Spec {
                    candidates: vec![c],
                    groups: vec![GroupRule {
                        label: TOAAN_FLAG.into(),
                        members: vec![0],
                        min: 0,
                        max: 1,
                    }],
                };
                let (salt, point) = thidua::voting::seal::register(PASS);
                let sealed = thidua::voting::seal::seal(
                    &point,
                    &thidua::voting::crypto::share_to_bytes(&shares[0]),
                )
                .unwrap();
                sqlx::query(
                    "INSERT INTO vote_keys (tenant_id, vote_id, key_set, spec) VALUES ($1, $2, $3, $4)",
                )
                .bind(tenant)
                .bind(v)
                .bind(serde_json::to_value(&ks).unwrap())
                .bind(serde_json::to_value(&spec).unwrap())
                .execute(&app.owner)
                .await
                .unwrap();
                sqlx::query(
                    "INSERT INTO vote_committee (tenant_id, vote_id, seat, user_id, salt, public_point, sealed_share)
                     SELECT $1, $2, 1, id, $3, $4, $5 FROM users WHERE username = 'canbo.hocvien'",
                )
                .bind(tenant)
                .bind(v)
                .bind(&salt)
                .bind(&point)
                .bind(serde_json::to_value(&sealed).unwrap())
                .execute(&app.owner)
                .await
                .unwrap();
            }
            if state == "released" {
                sqlx::query(&format!(
                    "UPDATE votes SET results_released = true WHERE id = {v}"
                ))
                .execute(&app.owner)
                .await
                .unwrap();
            }
            (v, c)
        }
    };
    let roles = [
        "anonymous",
        "vanhanh",
        "quantri.toaan",
        "thutruong.hocvien",
        "canbo.hocvien",
    ];
    let mut failures = Vec::new();
    for (r, role) in roles.iter().enumerate() {
        let (d, dc) = fixture("draft", "online").await;
        let (o1, _) = fixture("open", "online").await;
        let (o2, oc) = fixture("open", "online").await;
        let (c, _) = fixture("closed", "online").await;
        let (c2, _) = fixture("closed", "online").await;
        let (p, pc) = fixture("open", "paper").await;
        let (pd, _) = fixture("draft", "paper").await;
        let (pcl, _) = fixture("closed", "paper").await;
        let (rel, _) = fixture("released", "paper").await;
        let seat_user = id(
            &app,
            "SELECT id FROM users WHERE username = 'canbo.hocvien'",
        )
        .await
        .to_string();
        let client = if *role == "anonymous" {
            app.client()
        } else {
            app.login(role).await
        };
        let token = if *role == "anonymous" {
            client.get("/login").await.csrf()
        } else {
            client.get("/password").await.csrf()
        };
        let (flag_s, hocvien_s, thanhtra_s) =
            (flag.to_string(), hocvien.to_string(), thanhtra.to_string());
        let (choice, pf, pa) = (format!("c{oc}"), format!("for{pc}"), format!("against{pc}"));
        let lines: Vec<Line> = vec![
            (
                "GET",
                format!("/years/{y}/votes"),
                vec![],
                [LOGIN, 404, 200, 200, 200],
            ),
            (
                "POST",
                format!("/years/{y}/votes"),
                vec![("kind", "award")],
                [403, 404, 403, 303, 303],
            ),
            (
                "GET",
                format!("/votes/{d}"),
                vec![],
                [LOGIN, 404, 200, 200, 200],
            ),
            (
                "POST",
                format!("/votes/{d}/candidates"),
                vec![("award_type_id", &flag_s), ("unit_id", &hocvien_s)],
                [403, 404, 403, 303, 303],
            ),
            (
                "POST",
                format!("/votes/{d}/candidates/{dc}/remove"),
                vec![],
                [403, 404, 403, 303, 303],
            ),
            (
                "POST",
                format!("/votes/{pd}/open"),
                vec![],
                [403, 404, 403, 303, 303],
            ),
            // An online vote opens only with its committee ready.
            (
                "POST",
                format!("/votes/{d}/open"),
                vec![],
                [403, 404, 403, 409, 409],
            ),
            (
                "POST",
                format!("/votes/{d}/committee"),
                vec![("user_id", &seat_user), ("threshold", "1")],
                [403, 404, 403, 303, 303],
            ),
            // Only a committee member (canbo.hocvien, just named) sets a passphrase.
            (
                "POST",
                format!("/votes/{d}/committee/passphrase"),
                vec![("passphrase", PASS), ("confirm", PASS)],
                [403, 404, 403, 403, 303],
            ),
            (
                "POST",
                format!("/votes/{o1}/committee/share"),
                vec![],
                [403, 404, 403, 403, 200],
            ),
            // Without the file: the form again.
            (
                "POST",
                format!("/votes/{c2}/committee/decrypt"),
                vec![],
                [403, 404, 403, 403, 422],
            ),
            (
                "GET",
                format!("/votes/{rel}/record.json"),
                vec![],
                [LOGIN, 404, 200, 200, 200],
            ),
            (
                "GET",
                format!("/votes/{c}/record.json"),
                vec![],
                [LOGIN, 404, 404, 404, 404],
            ),
            (
                "GET",
                format!("/votes/{o2}/written/{thanhtra_s}/scan"),
                vec![],
                [LOGIN, 404, 404, 404, 404],
            ),
            (
                "POST",
                format!("/votes/{o1}/close"),
                vec![],
                [403, 404, 403, 303, 303],
            ),
            (
                "POST",
                format!("/votes/{pcl}/release"),
                vec![],
                [403, 404, 403, 303, 303],
            ),
            // Not before the committee has decrypted the totals.
            (
                "POST",
                format!("/votes/{c}/release"),
                vec![],
                [403, 404, 403, 409, 409],
            ),
            (
                "POST",
                format!("/votes/{o2}/ballot"),
                vec![(&choice, "for")],
                [403, 404, 403, 200, 403],
            ),
            // Written opinions: the committee's member only (here without the scan: 422).
            (
                "POST",
                format!("/votes/{o2}/written"),
                vec![("unit_id", &thanhtra_s), (&choice, "for")],
                [403, 404, 403, 403, 422],
            ),
            (
                "POST",
                format!("/votes/{p}/paper"),
                vec![("committee", "Ông A, bà B"), (&pf, "9"), (&pa, "1")],
                [403, 404, 403, 303, 303],
            ),
        ];
        for (method, path, fields, expected) in &lines {
            let resp = if *method == "GET" {
                client.get(path).await
            } else {
                let mut form: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
                form.extend(fields.iter().copied());
                client.post(path, &form).await
            };
            let got = match resp.status {
                303 if resp.location().starts_with("/login") => LOGIN,
                s => s,
            };
            let ok =
                got == expected[r] || (*role == "anonymous" && *method == "POST" && got == LOGIN);
            if !ok {
                failures.push(format!(
                    "{role} {method} {path}: {got}, expected {}",
                    expected[r]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
