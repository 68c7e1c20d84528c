//! HTTPS to a council's own store: HAProxy terminates TLS with a certificate signed by a CA
//! made here (as a council's IT would make theirs), in front of s3s-fs. `thidua serve` given the
//! CA's file (THIDUA_EVIDENCE_S3_CA_FILE) stores and serves the file byte for byte; without it
//! the upload is refused beside its field, nothing is written, and the log names the
//! certificate.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sqlx::ConnectOptions;

use super::upload::{last_row, refused_with_nothing_saved, sheet_upload};
use super::{BUCKET, S3Server, did_not_run, pdf, sha_hex};
use crate::harness::{Client, DEMO_PASSWORD, Template, TestApp, app_options};
use crate::instances::{Balancer, Instance};
use crate::scoring::setup;

/// A CA, and the store's certificate it signs for 127.0.0.1 (with the key, as HAProxy reads
/// it). Returns the CA's PEM file and HAProxy's. None when openssl is missing.
fn certificates(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    std::fs::create_dir_all(dir).unwrap();
    let openssl = |args: &[&str]| {
        Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !openssl(&["version"]) {
        return None;
    }
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut ca = vec![
        "req",
        "-x509",
        "-days",
        "2",
        "-subj",
        "/CN=CA noi bo thu nghiem",
    ];
    ca.extend(ec);
    ca.extend(["-keyout", "ca.key", "-out", "ca.crt"]);
    ca.extend(["-addext", "basicConstraints=critical,CA:TRUE"]);
    ca.extend(["-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
    assert!(openssl(&ca), "openssl: the CA");
    let mut csr = vec!["req", "-subj", "/CN=127.0.0.1"];
    csr.extend(ec);
    csr.extend(["-keyout", "store.key", "-out", "store.csr"]);
    assert!(openssl(&csr), "openssl: the store's request");
    std::fs::write(
        dir.join("store.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
         keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    let sign = [
        "x509",
        "-req",
        "-in",
        "store.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "store.ext",
        "-out",
        "store.crt",
    ];
    assert!(openssl(&sign), "openssl: signing the store's certificate");
    let mut pem = std::fs::read(dir.join("store.crt")).unwrap();
    pem.extend(std::fs::read(dir.join("store.key")).unwrap());
    std::fs::write(dir.join("store.pem"), pem).unwrap();
    Some((dir.join("ca.crt"), dir.join("store.pem")))
}

#[tokio::test]
async fn a_store_over_https_with_its_own_ca_is_trusted_through_the_ca_file_only() {
    let Some(s3) = S3Server::start("tls") else {
        return;
    };
    let Some((ca, pem)) = certificates(&s3.dir.join("tls")) else {
        did_not_run("install openssl (Debian package openssl)");
        return;
    };
    let port = crate::smtp::free_port();
    let cfg = format!(
        "global\n    maxconn 100\n\ndefaults\n    mode http\n    timeout connect 2s\n    \
         timeout client 30s\n    timeout server 30s\n\nfrontend s3\n    \
         bind 127.0.0.1:{port} ssl crt {}\n    default_backend s3\n\nbackend s3\n    \
         server s3 {}\n",
        pem.display(),
        s3.endpoint.trim_start_matches("http://"),
    );
    let Some(_tls) = Balancer::start_config(&cfg, port, "haproxy-s3-tls") else {
        did_not_run("install the Debian package haproxy");
        return;
    };
    let https = format!("https://127.0.0.1:{port}");

    let app = TestApp::start_with(Template::Demo, Default::default()).await;
    let y = setup(&app, "31/12/2099").await;
    let (owner_url, app_url) = (
        app.options.to_url_lossy().to_string(),
        app_options(&app.options).to_url_lossy().to_string(),
    );
    let mut flags = s3.flags_via(&https);
    flags.extend([
        "--evidence-s3-ca-file".to_string(),
        ca.display().to_string(),
    ]);
    let trusted = Instance::start_urls_with(&owner_url, &app_url, &flags);
    let started = trusted.lines_with("evidence files in the S3 store");
    assert!(
        started.iter().all(|l| !l.contains("does not answer")),
        "{started:?}"
    );

    let officer = Client::new(&trusted.base);
    let r = officer.login("canbo.ca-ls", DEMO_PASSWORD).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let file = pdf(200_000, 21);
    let r = sheet_upload(&officer, &y, "2.1", "8", file.clone()).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let row = last_row(&app).await;
    let key = format!("t{}/{}", row.tenant_id, sha_hex(&file));
    assert_eq!(row.object_key.as_deref(), Some(key.as_str()));
    let stored = std::fs::read(s3.dir.join("root").join(BUCKET).join(&key)).unwrap();
    assert!(stored == file, "the object holds the file, put over HTTPS");
    let (status, _, body) = officer.get_bytes(&format!("/evidence/{}", row.id)).await;
    assert_eq!(status, 200);
    assert!(body == file, "the download over HTTPS is byte-identical");

    // The same store without the CA file: its certificate is not trusted.
    let untrusted = Instance::start_urls_with(&owner_url, &app_url, &s3.flags_via(&https));
    let officer = Client::new(&untrusted.base);
    let r = officer.login("canbo.ca-ls", DEMO_PASSWORD).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let before = app.scalar_i64("SELECT count(*) FROM evidence").await;
    let r = sheet_upload(&officer, &y, "2.2", "6,5", pdf(50_000, 22)).await;
    refused_with_nothing_saved(&app, &y, &r, "2.2", "6,5", before).await;
    let refused = untrusted.lines_with("the S3 store refused the upload");
    assert!(
        refused
            .iter()
            .any(|l| l.contains("invalid peer certificate: UnknownIssuer")),
        "the log names the certificate: {refused:?}"
    );
}
