//! The secret ballot as an attacker with the database would try it (issue 13), and the public
//! record as anyone would check it.

use std::path::{Path, PathBuf};

use crate::harness::TestApp;
use crate::voting::{
    FLAG, LS_UNITS, NOI_CHINH, PASS, TTLDXS, award_id, candidate, committee, create_vote, download,
    give, receipt, unit_id, year_id,
};

/// A unit's ballot as the test cast it: (unit id, receipt, choices as (candidate, yes)).
type Cast = (i64, String, Vec<(i64, bool)>);

struct FullVote {
    vote: i64,
    cast: Vec<Cast>,
    /// The committee's share files, as downloaded.
    files: Vec<String>,
    record: String,
}

/// A whole award vote of the Lạng Sơn cluster: committee of three (threshold 2), open, every
/// member votes (each unit its own pattern), close, two shares count, release.
async fn full_vote(app: &TestApp) -> FullVote {
    let y = year_id(app, NOI_CHINH, 2024).await;
    let leader = app.login("canbo.thads-ls").await;
    let vote = create_vote(app, &leader, y, "award", "online").await;
    let page = format!("/votes/{vote}");
    sqlx::query(&format!(
        "DELETE FROM vote_candidates WHERE vote_id = {vote}"
    ))
    .execute(&app.owner)
    .await
    .unwrap();
    let flag = award_id(app, "langson", FLAG).await.to_string();
    let ttldxs = award_id(app, "langson", TTLDXS).await.to_string();
    for (award, unit) in [(&flag, "tand-ls"), (&ttldxs, "ca-ls"), (&ttldxs, "bp-ls")] {
        let u = unit_id(app, unit).await.to_string();
        let r = leader
            .submit(
                &page,
                &format!("{page}/candidates"),
                &[("award_type_id", award), ("unit_id", &u)],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let members = committee(
        app,
        &leader,
        vote,
        &["canbo.qs-ls", "canbo.vks-ls", "canbo.bp-ls"],
        2,
    )
    .await;
    let r = leader.submit(&page, &format!("{page}/open"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut files = Vec::new();
    for m in &members {
        files.push(download(m, vote).await);
    }
    let cands = [
        candidate(app, vote, "tand-ls", FLAG).await,
        candidate(app, vote, "ca-ls", TTLDXS).await,
        candidate(app, vote, "bp-ls", TTLDXS).await,
    ];
    let mut cast = Vec::new();
    for (i, code) in LS_UNITS.iter().enumerate() {
        let head = app.login(&format!("thutruong.{code}")).await;
        // Every unit a different pattern, so a pairing would show.
        let choices: Vec<(i64, bool)> = cands
            .iter()
            .enumerate()
            .map(|(k, c)| (*c, (i >> k) & 1 == 1))
            .collect();
        let fields: Vec<(String, String)> = choices
            .iter()
            .map(|(c, yes)| (format!("c{c}"), if *yes { "for" } else { "against" }.into()))
            .collect();
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let r = head.submit(&page, &format!("{page}/ballot"), &refs).await;
        assert_eq!(r.status, 200, "{}", r.body);
        cast.push((unit_id(app, code).await, receipt(&r), choices));
    }
    let r = leader.submit(&page, &format!("{page}/close"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    for i in [0, 2] {
        let r = give(&members[i], vote, &files[i], PASS).await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let r = leader.submit(&page, &format!("{page}/release"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let record = leader.get(&format!("{page}/record.json")).await;
    assert_eq!(record.status, 200);
    FullVote {
        vote,
        cast,
        files,
        record: record.body,
    }
}

fn find(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && memchr::memmem::find(hay, needle).is_some()
}

/// Every readable form a secret of 32 bytes could take.
fn forms(secret: &[u8]) -> Vec<Vec<u8>> {
    use base64::Engine;
    let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    vec![
        secret.to_vec(),
        hex.clone().into_bytes(),
        hex.to_uppercase().into_bytes(),
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(secret)
            .into_bytes(),
        base64::engine::general_purpose::STANDARD
            .encode(secret)
            .into_bytes(),
    ]
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                files_under(&p, out);
            } else {
                out.push(p);
            }
        }
    }
}

#[tokio::test]
async fn a_superuser_with_the_database_files_cannot_pair_a_units_choices() {
    let app = TestApp::start().await;
    // A replication slot keeps every WAL record from here on, as an archive would, so the
    // checkpoint below cannot hide the vote's WAL from the attacker.
    let slot = format!("thidua_secrecy_{}", std::process::id());
    let start_lsn: String =
        sqlx::query_scalar("SELECT lsn::text FROM pg_create_physical_replication_slot($1, true)")
            .bind(&slot)
            .fetch_one(&app.owner)
            .await
            .unwrap();
    let fv = full_vote(&app).await;
    let vote = fv.vote;
    sqlx::query("VACUUM").execute(&app.owner).await.unwrap();
    sqlx::query("CHECKPOINT").execute(&app.owner).await.unwrap();
    let end_lsn: String = sqlx::query_scalar("SELECT pg_current_wal_insert_lsn()::text")
        .fetch_one(&app.owner)
        .await
        .unwrap();

    // The key shares, as only their holders can open them (file + passphrase).
    let shares: Vec<Vec<u8>> = fv
        .files
        .iter()
        .map(|f| {
            let f: thidua::voting::seal::ShareFile = serde_json::from_str(f).unwrap();
            thidua::voting::seal::open(PASS, &f.salt, &f.sealed_share).unwrap()
        })
        .collect();

    // 1. The joins that paired ballots with units before: by transaction id, from the
    // participation rows and from the audit rows. They still pair rows...
    let by_xmin: Vec<(i64, serde_json::Value)> = sqlx::query_as(&format!(
        "SELECT p.unit_id, b.ballot FROM vote_participation p
           JOIN encrypted_ballots b ON b.vote_id = p.vote_id AND b.xmin::text = p.xmin::text
          WHERE p.vote_id = {vote}"
    ))
    .fetch_all(&app.owner)
    .await
    .unwrap();
    let by_audit: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT a.after ->> 'unit_id', b.receipt FROM audit_log a
           JOIN encrypted_ballots b ON b.vote_id = {vote} AND b.xmin::text = a.xmin::text
          WHERE a.entity = 'vote' AND a.entity_id = '{vote}' AND a.action = 'participation_recorded'"
    ))
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert_eq!(by_xmin.len(), 7, "the transaction ids still pair rows");
    assert_eq!(by_audit.len(), 7);
    // ...but what they pair a unit with is ciphertexts and proofs, nothing else.
    for (_, ballot) in &by_xmin {
        let keys: Vec<&String> = ballot.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["bit_proofs", "choices", "group_proofs"]);
        let text = ballot.to_string();
        assert!(!text.contains("true") && !text.contains("false"), "{text}");
    }
    // No column anywhere holds a unit's choices: the only ballot table is ciphertext.
    let mixed = app
        .scalar_i64(
            "SELECT count(*) FROM (SELECT table_name FROM information_schema.columns
               WHERE table_schema = 'public' GROUP BY table_name
              HAVING bool_or(column_name = 'unit_id') AND bool_or(column_name IN ('choices', 'ballot'))) t",
        )
        .await;
    assert_eq!(mixed, 0);
    // Only the sums were decrypted: one decryption share per candidate and seat, not per ballot.
    let per_seat: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT jsonb_array_length(shares)::bigint FROM vote_decryptions WHERE vote_id = {vote}"
    ))
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert_eq!(per_seat, [3, 3]);

    // 2. Opening a paired ciphertext needs the committee's key. No table row holds any share
    // (in any readable form), nor does any data file, WAL segment or the server's log.
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT format('%I', tablename) FROM pg_tables WHERE schemaname = 'public'",
    )
    .fetch_all(&app.owner)
    .await
    .unwrap();
    let mut dump = String::new();
    for t in &tables {
        let rows: Vec<String> =
            sqlx::query_scalar(&format!("SELECT row_to_json(x)::text FROM {t} x"))
                .fetch_all(&app.owner)
                .await
                .unwrap();
        dump.extend(rows);
    }
    for s in &shares {
        for f in forms(s) {
            assert!(!find(dump.as_bytes(), &f), "a key share is in a table");
        }
    }
    if std::env::var("DATABASE_URL").is_ok() {
        eprintln!("DATABASE_URL is set: the data files and WAL of that server are not read here");
        sqlx::query("SELECT pg_drop_replication_slot($1)")
            .bind(&slot)
            .execute(&app.owner)
            .await
            .unwrap();
        return;
    }
    let data_dir: String = sqlx::query_scalar("SHOW data_directory")
        .fetch_one(&app.owner)
        .await
        .unwrap();
    let db_oid: i64 = sqlx::query_scalar(
        "SELECT oid::bigint FROM pg_database WHERE datname = current_database()",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    let mut paths = Vec::new();
    files_under(
        &Path::new(&data_dir).join(format!("base/{db_oid}")),
        &mut paths,
    );
    // The WAL segments the vote was written to.
    let (first, last): (String, String) =
        sqlx::query_as("SELECT pg_walfile_name($1::pg_lsn), pg_walfile_name($2::pg_lsn)")
            .bind(&start_lsn)
            .bind(&end_lsn)
            .fetch_one(&app.owner)
            .await
            .unwrap();
    let mut wal = Vec::new();
    files_under(&Path::new(&data_dir).join("pg_wal"), &mut wal);
    paths.extend(wal.into_iter().filter(|p| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        name.len() == 24 && name >= first.as_str() && name <= last.as_str()
    }));
    paths.push(Path::new(&data_dir).join("thidua-server.log"));
    let mut scanned = 0usize;
    for p in &paths {
        let Ok(bytes) = std::fs::read(p) else {
            continue;
        };
        scanned += bytes.len();
        for s in &shares {
            for f in forms(s) {
                assert!(!find(&bytes, &f), "a key share is in {}", p.display());
            }
        }
    }
    assert!(
        scanned > 1_000_000,
        "read the database's files ({scanned} bytes)"
    );

    // 3. The WAL, read with pg_waldump: group the records by transaction id, as the attack
    // did. Each casting transaction wrote one ballot row and one participation row, and
    // nothing readable: the ballot rows are the ciphertexts checked above.
    let rel = |name: &'static str| {
        let owner = app.owner.clone();
        async move {
            sqlx::query_scalar::<_, i64>(&format!("SELECT pg_relation_filenode('{name}')::bigint"))
                .fetch_one(&owner)
                .await
                .unwrap()
        }
    };
    let (ballot_rel, part_rel) = (
        rel("encrypted_ballots").await,
        rel("vote_participation").await,
    );
    // The server's own version of pg_waldump (Debian keeps it beside the server), else PATH's.
    let major: i64 =
        sqlx::query_scalar("SELECT current_setting('server_version_num')::bigint / 10000")
            .fetch_one(&app.owner)
            .await
            .unwrap();
    let debian = format!("/usr/lib/postgresql/{major}/bin/pg_waldump");
    let waldump = if Path::new(&debian).exists() {
        debian
    } else {
        "pg_waldump".to_string()
    };
    let out = std::process::Command::new(&waldump)
        .args([
            "-p",
            &format!("{data_dir}/pg_wal"),
            "-s",
            &start_lsn,
            "-e",
            &end_lsn,
        ])
        .output()
        .expect("pg_waldump runs");
    sqlx::query("SELECT pg_drop_replication_slot($1)")
        .bind(&slot)
        .execute(&app.owner)
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines().count() > 100,
        "pg_waldump read the WAL: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let xids_of = |filenode: i64| -> std::collections::BTreeSet<String> {
        text.lines()
            .filter(|l| l.contains("desc: INSERT") && l.contains(&format!("/{db_oid}/{filenode} ")))
            .filter_map(|l| {
                let at = l.find("tx:")?;
                Some(l[at + 3..].split(',').next()?.trim().to_string())
            })
            .collect()
    };
    let (ballot_xids, part_xids) = (xids_of(ballot_rel), xids_of(part_rel));
    assert_eq!(ballot_xids.len(), 7, "one inserting transaction per ballot");
    assert_eq!(
        ballot_xids, part_xids,
        "the WAL pairs a ballot row with a participation row"
    );
    // Each unit's own choices (known to this test only) never appear in what was paired.
    for (unit, rc, choices) in &fv.cast {
        let ballot: serde_json::Value = sqlx::query_scalar(&format!(
            "SELECT ballot FROM encrypted_ballots WHERE vote_id = {vote} AND receipt = '{rc}'"
        ))
        .fetch_one(&app.owner)
        .await
        .unwrap();
        let paired = by_xmin.iter().find(|(_, b)| b == &ballot).map(|(u, _)| *u);
        assert_eq!(
            paired,
            Some(*unit),
            "the pairing finds the unit's ciphertext"
        );
        let text = ballot.to_string();
        for (c, _) in choices {
            assert!(
                !text.contains(&format!("\"{c}\"")),
                "candidate ids in a ballot"
            );
        }
    }
}

fn verify_vote(json: &str) -> (bool, String) {
    let dir = std::env::temp_dir().join(format!("thidua-record-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{:x}.json", {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        json.hash(&mut h);
        h.finish()
    }));
    std::fs::write(&path, json).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(["verify-vote", path.to_str().unwrap()])
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[tokio::test]
async fn verify_vote_checks_the_record_and_names_what_was_altered() {
    let app = TestApp::start().await;
    let fv = full_vote(&app).await;
    let (ok, out) = verify_vote(&fv.record);
    assert!(ok, "{out}");
    assert!(out.contains("every proof holds"), "{out}");
    // The totals from the record are the announced ones (and the page's).
    let record: serde_json::Value = serde_json::from_str(&fv.record).unwrap();
    let flag = record["candidates"][0]["id"].as_i64().unwrap();
    let yes = fv
        .cast
        .iter()
        .filter(|(_, _, ch)| ch.iter().any(|(c, y)| *c == flag && *y))
        .count() as i64;
    let t = record["result"]["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["candidate_id"].as_i64() == Some(flag))
        .unwrap();
    assert_eq!(t["votes_for"].as_i64(), Some(yes));

    let alter = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut r = record.clone();
        f(&mut r);
        verify_vote(&r.to_string())
    };
    // One ballot's ciphertext swapped for another ballot's: its receipt and proofs fail.
    let (ok, out) = alter(&|r| {
        let other = r["ballots"][1]["ballot"]["choices"][0].clone();
        r["ballots"][0]["ballot"]["choices"][0] = other;
    });
    assert!(!ok);
    assert!(out.contains("ballot 1 (receipt"), "{out}");
    assert!(out.contains("do not hash to its receipt"), "{out}");
    // One proof's response altered.
    let (ok, out) = alter(&|r| {
        let other = r["ballots"][2]["ballot"]["bit_proofs"][1]["s"][0].clone();
        r["ballots"][1]["ballot"]["bit_proofs"][1]["s"][0] = other;
    });
    assert!(!ok);
    assert!(
        out.contains("ballot 2 (receipt") && out.contains("choice 1"),
        "{out}"
    );
    // A quota proof altered.
    let (ok, out) = alter(&|r| {
        let other = r["ballots"][3]["ballot"]["group_proofs"][0]["c"][0].clone();
        r["ballots"][4]["ballot"]["group_proofs"][0]["c"][0] = other;
    });
    assert!(!ok);
    assert!(
        out.contains("ballot 5 (receipt") && out.contains("lie within"),
        "{out}"
    );
    // One decryption share altered.
    let (ok, out) = alter(&|r| {
        let other = r["decryptions"][1]["shares"][2]["share"].clone();
        r["decryptions"][1]["shares"][0]["share"] = other;
    });
    assert!(!ok);
    let seat = record["decryptions"][1]["seat"].as_i64().unwrap();
    assert!(
        out.contains(&format!(
            "seat {seat}: the decryption share of sum 0 does not verify"
        )),
        "{out}"
    );
    // The announced result altered.
    let (ok, out) = alter(&|r| {
        r["result"]["totals"][0]["votes_for"] = serde_json::json!(0);
    });
    assert!(!ok);
    assert!(
        out.contains("result:") && out.contains("is announced 0 for"),
        "{out}"
    );
    // A ballot removed: the count no longer matches.
    let (ok, out) = alter(&|r| {
        r["ballots"].as_array_mut().unwrap().remove(0);
    });
    assert!(!ok, "{out}");
}

#[tokio::test]
async fn a_paper_vote_record_says_its_figures_were_counted_on_paper() {
    let app = TestApp::start().await;
    let y = year_id(&app, NOI_CHINH, 2024).await;
    let leader = app.login("canbo.thads-ls").await;
    let vote = create_vote(&app, &leader, y, "award", "paper").await;
    let page = format!("/votes/{vote}");
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
    let cands: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM vote_candidates WHERE vote_id = {vote}"
    ))
    .fetch_all(&app.owner)
    .await
    .unwrap();
    let mut fields: Vec<(String, String)> = vec![("committee".into(), "Ông A, bà B, ông C".into())];
    for c in &cands {
        fields.push((format!("for{c}"), "6".into()));
        fields.push((format!("against{c}"), "1".into()));
    }
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let r = leader.submit(&page, &format!("{page}/paper"), &refs).await;
    assert_eq!(r.status, 303, "{}", r.body);
    for action in ["close", "release"] {
        let r = leader.submit(&page, &format!("{page}/{action}"), &[]).await;
        assert_eq!(r.status, 303, "{action}: {}", r.body);
    }
    let rec = leader.get(&format!("{page}/record.json")).await;
    assert_eq!(rec.status, 200);
    let (ok, out) = verify_vote(&rec.body);
    assert!(ok, "{out}");
    assert!(
        out.contains("paper") && out.contains("ban kiểm phiếu"),
        "{out}"
    );
}

#[tokio::test]
async fn with_the_per_ballot_limit_a_ballot_agrees_with_no_more_than_the_quota() {
    let app = TestApp::start().await;
    let y = year_id(&app, NOI_CHINH, 2024).await;
    let leader = app.login("canbo.thads-ls").await;
    let vote = create_vote(&app, &leader, y, "award", "online").await;
    let page = format!("/votes/{vote}");
    sqlx::query(&format!(
        "DELETE FROM vote_candidates WHERE vote_id = {vote}"
    ))
    .execute(&app.owner)
    .await
    .unwrap();
    let flag = award_id(&app, "langson", FLAG).await.to_string();
    for unit in ["tand-ls", "ca-ls"] {
        let u = unit_id(&app, unit).await.to_string();
        let r = leader
            .submit(
                &page,
                &format!("{page}/candidates"),
                &[("award_type_id", &flag), ("unit_id", &u)],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let uid = crate::voting::id(&app, "SELECT id FROM users WHERE username = 'canbo.qs-ls'")
        .await
        .to_string();
    let r = leader
        .submit(
            &page,
            &format!("{page}/committee"),
            &[
                ("user_id", &uid),
                ("threshold", "1"),
                ("quota_per_ballot", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let member = app.login("canbo.qs-ls").await;
    let r = member
        .submit(
            &page,
            &format!("{page}/committee/passphrase"),
            &[("passphrase", PASS), ("confirm", PASS)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = leader.submit(&page, &format!("{page}/open"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let (a, b) = (
        format!("c{}", candidate(&app, vote, "tand-ls", FLAG).await),
        format!("c{}", candidate(&app, vote, "ca-ls", FLAG).await),
    );
    let head = app.login("thutruong.vks-ls").await;
    // The provincial flag allows one per cluster: agreeing with both is refused, nothing kept.
    let r = head
        .submit(
            &page,
            &format!("{page}/ballot"),
            &[(&a, "for"), (&b, "for")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("tối đa 1 đơn vị"), "{}", r.body);
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT count(*) FROM vote_participation WHERE vote_id = {vote}"
        ))
        .await,
        0
    );
    let r = head
        .submit(
            &page,
            &format!("{page}/ballot"),
            &[(&a, "for"), (&b, "against")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // The stored spec says so, for anyone checking the record later.
    let max: i64 = sqlx::query_scalar(&format!(
        "SELECT (spec -> 'groups' -> 0 ->> 'max')::bigint FROM vote_keys WHERE vote_id = {vote}"
    ))
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert_eq!(max, 1);
}
