//! `thidua admin evidence-gc`: an object whose evidence was removed on the sheet goes once it is
//! older than the grace period; one a row still names stays, and so does a young orphan (an
//! upload may be in flight) unless `--older-than 0`; `--dry-run` deletes nothing; again, 0.

use super::{BUCKET, S3Server, pdf, sha_hex};
use crate::exchange::{admin, stderr, stdout};
use crate::harness::{Template, TestApp};
use crate::scoring::{setup, upload};

/// Dates the object back, as s3s-fs reports its file's modification time as LastModified.
fn age(s3: &S3Server, key: &str, hours: u32) {
    let path = s3.dir.join("root").join(BUCKET).join(key);
    let ok = std::process::Command::new("touch")
        .args(["-m", "-d", &format!("{hours} hours ago")])
        .arg(&path)
        .status()
        .unwrap();
    assert!(ok.success(), "touch {}", path.display());
}

#[tokio::test]
async fn the_collector_deletes_only_old_objects_no_evidence_names() {
    let Some(mut s3) = S3Server::start("gc") else {
        return;
    };
    let app = TestApp::start_with(Template::Demo, s3.web().await).await;
    let y = setup(&app, "31/12/2099").await;
    let officer = app.login("canbo.ca-ls").await;
    let sheet = format!("/years/{}/sheets/{}", y.id, y.ca);
    let (removed, kept, fresh) = (pdf(40_000, 11), pdf(50_000, 12), pdf(60_000, 13));
    let mut ids = Vec::new();
    for (code, name, data) in [
        ("2.1", "bi-go.pdf", &removed),
        ("2.2", "giu-lai.pdf", &kept),
        ("2.1", "moi-go.pdf", &fresh),
    ] {
        let r = upload(&officer, &y, y.ca, code, name, data.clone()).await;
        assert!(!r.location().contains("evidence_error"), "{}", r.location());
        ids.push(app.scalar_i64("SELECT max(id) FROM evidence").await);
    }
    let tenant = app
        .scalar_i64(&format!(
            "SELECT tenant_id FROM evidence WHERE id = {}",
            ids[0]
        ))
        .await;
    let key = |data: &[u8]| format!("t{tenant}/{}", sha_hex(data));
    // The unit removes two of its files on the sheet, as a user does.
    for id in [ids[0], ids[2]] {
        let r = officer
            .submit(&sheet, &format!("/evidence/{id}/delete"), &[])
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    // Someone else's object under the same prefix is not thidua's to delete.
    let api = s3.api();
    let foreign = format!("t{tenant}/ghi-chu.txt");
    api.put(&foreign, b"khong phai minh chung".to_vec().into())
        .await
        .unwrap();
    for k in [key(&removed), key(&kept), foreign.clone()] {
        age(&s3, &k, 3);
    }
    let all = s3.objects(&format!("t{tenant}"));
    assert_eq!(all.len(), 4, "{all:?}");

    let flags = s3.flags();
    let gc = |extra: &[&'static str]| {
        let mut args = vec!["evidence-gc"];
        args.extend_from_slice(extra);
        args.extend(flags.iter().map(String::as_str));
        let options = app.options.clone();
        async move {
            let out = admin(&options, &args).await;
            assert!(out.status.success(), "{}", stderr(&out));
            stdout(&out)
        }
    };

    // Dry: it names the old orphan only, and deletes nothing.
    let said = gc(&["--dry-run", "--older-than", "1"]).await;
    assert!(
        said.contains(&format!("Sẽ xóa {} (40000 byte)", key(&removed))),
        "{said}"
    );
    assert!(said.contains("Sẽ xóa 1 đối tượng"), "{said}");
    assert!(
        !said.contains(&key(&kept)) && !said.contains(&key(&fresh)),
        "{said}"
    );
    assert_eq!(
        s3.objects(&format!("t{tenant}")),
        all,
        "a dry run deletes nothing"
    );

    // The same verdict when the listing comes one key a page (ListObjectsV2's continuation).
    let pool = thidua::db::app_pool(crate::harness::app_options(&app.options), 2)
        .await
        .unwrap();
    let grace = chrono::Duration::hours(1);
    let c = thidua::files::gc::collect(&pool, &api, grace, true, 1)
        .await
        .unwrap();
    assert_eq!(c.orphans, vec![(key(&removed), 40_000)]);
    assert_eq!((c.named, c.young, c.not_ours), (1, 1, 1));

    let said = gc(&["--older-than", "1"]).await;
    assert!(
        said.contains(&format!("Đã xóa {} (40000 byte)", key(&removed))),
        "{said}"
    );
    assert!(
        said.contains("Đã xóa 1 đối tượng không còn minh chứng nào dùng (40000 byte)"),
        "{said}"
    );
    let left = s3.objects(&format!("t{tenant}"));
    assert!(
        !left.contains(&sha_hex(&removed)),
        "the removed file's object is gone"
    );
    for kept_one in [sha_hex(&kept), sha_hex(&fresh), "ghi-chu.txt".to_string()] {
        assert!(left.contains(&kept_one), "{kept_one} stays: {left:?}");
    }
    // The file still on the sheet downloads as uploaded.
    let (status, _, body) = officer.get_bytes(&format!("/evidence/{}", ids[1])).await;
    assert_eq!(status, 200);
    assert!(body == kept);

    // Again: nothing left to delete.
    let said = gc(&["--older-than", "1"]).await;
    assert!(said.contains("Đã xóa 0 đối tượng"), "{said}");

    // Without a grace period the young orphan goes too, and still nothing a row names.
    let said = gc(&["--older-than", "0"]).await;
    assert!(
        said.contains(&format!("Đã xóa {} (60000 byte)", key(&fresh))),
        "{said}"
    );
    let left = s3.objects(&format!("t{tenant}"));
    assert_eq!(left, vec![sha_hex(&kept), "ghi-chu.txt".to_string()]);
    let (status, _, body) = officer.get_bytes(&format!("/evidence/{}", ids[1])).await;
    assert_eq!(status, 200);
    assert!(body == kept);

    // An old orphan uploaded again after the listing (its row not yet read): the second look
    // at its date keeps it.
    let again = pdf(30_000, 14);
    let r = upload(&officer, &y, y.ca, "2.1", "lai.pdf", again.clone()).await;
    assert!(!r.location().contains("evidence_error"), "{}", r.location());
    let id = app.scalar_i64("SELECT max(id) FROM evidence").await;
    let r = officer
        .submit(&sheet, &format!("/evidence/{id}/delete"), &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    age(&s3, &key(&again), 3);
    let listed = thidua::files::gc::list_all(&api, 1000).await.unwrap();
    api.put(&key(&again), again.clone().into()).await.unwrap();
    let cutoff = chrono::Utc::now() - grace;
    let named = [key(&kept)].into();
    let c = thidua::files::gc::sweep(&api, listed, &named, cutoff, false)
        .await
        .unwrap();
    assert!(c.orphans.is_empty(), "{:?}", c.orphans);
    assert_eq!(
        (c.named, c.young),
        (1, 1),
        "the object written again is left"
    );
    assert!(s3.objects(&format!("t{tenant}")).contains(&sha_hex(&again)));

    // The store stops answering mid-way: the collector stops, saying where and how far it got.
    age(&s3, &key(&again), 3);
    let listed = thidua::files::gc::list_all(&api, 1000).await.unwrap();
    s3.stop();
    let err = thidua::files::gc::sweep(&api, listed, &named, cutoff, false)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!(
            "{} nên dừng lại, sau khi đã xóa 0 đối tượng",
            key(&again)
        )),
        "{err}"
    );
    pool.close().await;
}
