//! The S3-compatible backend: requests signed by rusty-s3 (AWS Signature V4 in the query
//! string, valid one minute) and sent by hyper's client over rustls, checking the server's
//! certificate against the system's trust store and the CA file the settings name, if any.

use std::time::Duration;

use axum::body::Bytes;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use rusty_s3::actions::ListObjectsV2;
use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};

use super::FileError;

type Http = Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>;

/// A whole request may take this long; below the request timeout (30 s by default), so the
/// user gets the store's message rather than the timeout's.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// How long a signed request stays valid: only as long as it takes to send it.
const SIGNED_FOR: Duration = Duration::from_secs(60);

/// What `thidua` needs to reach the store (from `config::EvidenceStoreArgs`).
#[derive(Debug, Clone)]
pub struct S3Settings {
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// `https://host/bucket/key` (MinIO, Ceph, Garage…) rather than `https://bucket.host/key`.
    pub path_style: bool,
    /// Trusted beside the system's roots: PEM, one or more certificates.
    pub ca_file: Option<std::path::PathBuf>,
}

/// An object as ListObjectsV2 names it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub key: String,
    pub size: u64,
    /// None when the store gave no date thidua can read.
    pub last_modified: Option<chrono::DateTime<chrono::Utc>>,
}

pub struct S3Store {
    bucket: Bucket,
    credentials: Credentials,
    http: Http,
}

impl S3Store {
    pub fn new(s: &S3Settings) -> anyhow::Result<S3Store> {
        let endpoint: url::Url = s
            .endpoint
            .parse()
            .map_err(|e| anyhow::anyhow!("địa chỉ kho S3 '{}' không đúng dạng: {e}", s.endpoint))?;
        let endpoint_is_https = endpoint.scheme() == "https";
        let style = if s.path_style {
            UrlStyle::Path
        } else {
            UrlStyle::VirtualHost
        };
        let bucket = Bucket::new(endpoint, style, s.bucket.clone(), s.region.clone())
            .map_err(|e| anyhow::anyhow!("không dùng được kho S3 '{}': {e:?}", s.endpoint))?;
        let mut tcp = HttpConnector::new();
        tcp.set_connect_timeout(Some(Duration::from_secs(5)));
        tcp.enforce_http(false);
        let https = tls(endpoint_is_https, s.ca_file.as_deref())?
            .https_or_http()
            .enable_http1()
            .wrap_connector(tcp);
        let http = Client::builder(TokioExecutor::new()).build(https);
        Ok(S3Store {
            bucket,
            credentials: Credentials::new(s.access_key_id.clone(), s.secret_access_key.clone()),
            http,
        })
    }

    /// The endpoint and bucket, for logs (never the keys).
    pub fn describe(&self) -> String {
        self.bucket.base_url().to_string()
    }

    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), FileError> {
        let url = self
            .bucket
            .put_object(Some(&self.credentials), key)
            .sign(SIGNED_FOR);
        let (status, body) = self.send(Method::PUT, url, bytes).await?;
        if !status.is_success() {
            return Err(refused(status, &body));
        }
        Ok(())
    }

    /// The object's bytes, None when there is no such object. An object whose length is not
    /// `size` is not read at all: whatever it is, it is not the file.
    pub async fn get(&self, key: &str, size: u64) -> Result<Option<Vec<u8>>, FileError> {
        let url = self
            .bucket
            .get_object(Some(&self.credentials), key)
            .sign(SIGNED_FOR);
        let call = async {
            let r = self
                .http
                .request(request(Method::GET, url, Bytes::new())?)
                .await
                .map_err(unavailable)?;
            let status = r.status();
            let length = r
                .headers()
                .get(header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
            if status == StatusCode::NOT_FOUND {
                return Ok(None);
            }
            if status.is_success() && length.is_some_and(|l| l != size) {
                return Err(FileError::Tampered(key.to_string()));
            }
            let body = r.into_body().collect().await.map_err(unavailable)?;
            let body = body.to_bytes();
            if !status.is_success() {
                return Err(refused(status, &body));
            }
            Ok(Some(body.to_vec()))
        };
        timed(call).await
    }

    /// Whether the store answers and the bucket is there (checked at start).
    pub async fn check(&self) -> Result<(), FileError> {
        let url = self
            .bucket
            .head_bucket(Some(&self.credentials))
            .sign(SIGNED_FOR);
        let (status, body) = self.send(Method::HEAD, url, Bytes::new()).await?;
        if !status.is_success() {
            return Err(refused(status, &body));
        }
        Ok(())
    }

    /// One page of the objects whose keys start with `prefix`, and the token of the next page.
    pub async fn list_page(
        &self,
        prefix: &str,
        token: Option<&str>,
        max_keys: usize,
    ) -> Result<(Vec<Listed>, Option<String>), FileError> {
        let mut action = self.bucket.list_objects_v2(Some(&self.credentials));
        action.with_prefix(prefix);
        action.with_max_keys(max_keys);
        if let Some(token) = token {
            action.with_continuation_token(token);
        }
        let url = action.sign(SIGNED_FOR);
        let (status, body) = self.send(Method::GET, url, Bytes::new()).await?;
        if !status.is_success() {
            return Err(refused(status, &body));
        }
        let text = std::str::from_utf8(&body).map_err(unavailable)?;
        let page = ListObjectsV2::parse_response(text)
            .map_err(|e| FileError::Unavailable(format!("ListObjectsV2 answer: {e:?}")))?;
        let objects = page
            .contents
            .into_iter()
            .map(|o| Listed {
                last_modified: o.last_modified.as_deref().and_then(|t| {
                    chrono::DateTime::parse_from_rfc3339(t)
                        .ok()
                        .map(|t| t.to_utc())
                }),
                size: o.size.unwrap_or(0),
                key: o.key,
            })
            .collect();
        Ok((objects, page.next_continuation_token))
    }

    /// When the object was last written, None when there is no such object. An object without
    /// a readable date is said to be written now: whoever asks then leaves it alone.
    pub async fn last_modified(
        &self,
        key: &str,
    ) -> Result<Option<chrono::DateTime<chrono::Utc>>, FileError> {
        let url = self
            .bucket
            .head_object(Some(&self.credentials), key)
            .sign(SIGNED_FOR);
        timed(async {
            let r = self
                .http
                .request(request(Method::HEAD, url, Bytes::new())?)
                .await
                .map_err(unavailable)?;
            if r.status() == StatusCode::NOT_FOUND {
                return Ok(None);
            }
            if !r.status().is_success() {
                return Err(refused(r.status(), b""));
            }
            let written = r
                .headers()
                .get(header::LAST_MODIFIED)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok())
                .map_or_else(chrono::Utc::now, |t| t.to_utc());
            Ok(Some(written))
        })
        .await
    }

    /// Deletes the object; one that is already gone is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), FileError> {
        let url = self
            .bucket
            .delete_object(Some(&self.credentials), key)
            .sign(SIGNED_FOR);
        let (status, body) = self.send(Method::DELETE, url, Bytes::new()).await?;
        if !status.is_success() && status != StatusCode::NOT_FOUND {
            return Err(refused(status, &body));
        }
        Ok(())
    }

    async fn send(
        &self,
        method: Method,
        url: url::Url,
        body: Bytes,
    ) -> Result<(StatusCode, Bytes), FileError> {
        timed(async {
            let r = self
                .http
                .request(request(method, url, body)?)
                .await
                .map_err(unavailable)?;
            let status = r.status();
            let body = r.into_body().collect().await.map_err(unavailable)?;
            Ok((status, body.to_bytes()))
        })
        .await
    }
}

/// TLS with the system's trust store and, when given, the council's own CA from `ca_file`.
/// A machine without system roots can still reach a store over plain HTTP (a private network,
/// or the tests' loopback), or over HTTPS with its CA file; otherwise it is told what is missing.
fn tls(
    https: bool,
    ca_file: Option<&std::path::Path>,
) -> anyhow::Result<hyper_rustls::HttpsConnectorBuilder<hyper_rustls::builderstates::WantsSchemes>>
{
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;

    let mut roots = rustls::RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    let (system, _) = roots.add_parsable_certificates(native.certs);
    if let Some(path) = ca_file {
        let certs: Vec<CertificateDer> = CertificateDer::pem_file_iter(path)
            .and_then(|certs| certs.collect())
            .map_err(|e| {
                anyhow::anyhow!(
                    "không đọc được tệp chứng chỉ CA của kho S3 {} (THIDUA_EVIDENCE_S3_CA_FILE): {e}",
                    path.display()
                )
            })?;
        if certs.is_empty() {
            anyhow::bail!(
                "tệp {} (THIDUA_EVIDENCE_S3_CA_FILE) không có chứng chỉ nào dạng PEM \
                 (-----BEGIN CERTIFICATE-----)",
                path.display()
            );
        }
        for cert in certs {
            roots.add(cert).map_err(|e| {
                anyhow::anyhow!(
                    "chứng chỉ trong tệp {} (THIDUA_EVIDENCE_S3_CA_FILE) không dùng được: {e}",
                    path.display()
                )
            })?;
        }
    } else if https && system == 0 {
        anyhow::bail!(
            "không đọc được chứng chỉ gốc của hệ thống để kết nối kho S3 qua HTTPS (cài gói \
             ca-certificates, hoặc đặt THIDUA_EVIDENCE_S3_CA_FILE): {:?}",
            native.errors
        );
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    Ok(hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(
        rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_no_client_auth(),
    ))
}

fn request(method: Method, url: url::Url, body: Bytes) -> Result<Request<Full<Bytes>>, FileError> {
    Request::builder()
        .method(method)
        .uri(url.as_str())
        // An empty body would otherwise go without a length (rusty-s3's note on PutObject).
        .header(header::CONTENT_LENGTH, body.len())
        .body(Full::new(body))
        .map_err(unavailable)
}

async fn timed<T>(
    call: impl std::future::Future<Output = Result<T, FileError>>,
) -> Result<T, FileError> {
    tokio::time::timeout(REQUEST_TIMEOUT, call)
        .await
        .unwrap_or_else(|_| Err(FileError::Unavailable("no answer within 20 s".into())))
}

/// The error and its causes: hyper's says only "client error (Connect)", its source says why
/// (e.g. "invalid peer certificate: UnknownIssuer"), which is what the operator needs.
fn unavailable(e: impl std::error::Error) -> FileError {
    let mut said = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        said.push_str(&format!(": {c}"));
        cause = c.source();
    }
    FileError::Unavailable(said)
}

fn refused(status: StatusCode, body: &[u8]) -> FileError {
    let body: String = String::from_utf8_lossy(body).chars().take(300).collect();
    FileError::Unavailable(format!("{status}: {body}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(ca_file: &std::path::Path) -> S3Settings {
        S3Settings {
            endpoint: "https://127.0.0.1:9/".into(),
            bucket: "b".into(),
            region: "us-east-1".into(),
            access_key_id: "k".into(),
            secret_access_key: "s".into(),
            path_style: true,
            ca_file: Some(ca_file.to_path_buf()),
        }
    }

    #[test]
    fn a_ca_file_that_cannot_be_used_stops_the_start_with_its_name() {
        let dir = std::env::temp_dir().join(format!("thidua-ca-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let missing = dir.join("khong-co.pem");
        let err = S3Store::new(&settings(&missing)).err().unwrap().to_string();
        assert!(err.contains("không đọc được tệp chứng chỉ CA"), "{err}");
        assert!(err.contains("khong-co.pem"), "{err}");
        let empty = dir.join("rong.pem");
        std::fs::write(&empty, "không phải chứng chỉ\n").unwrap();
        let err = S3Store::new(&settings(&empty)).err().unwrap().to_string();
        assert!(err.contains("không có chứng chỉ nào dạng PEM"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
