//! Where evidence bytes live (issue 16, item 5): in the evidence row itself (PostgreSQL, the
//! default, as before) or in an S3-compatible store, behind one interface. The row always keeps
//! the name, type, size and sha256; with S3 it names the object, whose key is made only from the
//! tenant's id and the hash (`t{tenant}/{sha256 hex}`), never from what a user sent: one tenant
//! cannot name another's object, and the same file uploaded twice is one object.
//!
//! Order of writes: the object is put first, then the row is inserted in the request's
//! transaction. A transaction that fails after the put leaves an object no row names (an
//! orphan); it holds the same bytes a later upload of the same file would put, and that upload
//! puts it again and names it. Nothing acknowledged is ever lost. Orphans, and objects whose
//! rows were deleted, are removed by `gc` (`thidua admin evidence-gc`) after a grace period.

pub mod bucket_copy;
pub mod gc;
pub mod moving;
pub mod s3;

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use sha2::{Digest, Sha256};

/// The configured store of evidence bytes.
#[derive(Clone, Default)]
pub enum FileStore {
    /// In the evidence row's `data` column.
    #[default]
    Database,
    S3(Arc<s3::S3Store>),
}

impl std::fmt::Debug for FileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileStore::Database => f.write_str("Database"),
            FileStore::S3(s) => write!(f, "S3({})", s.describe()),
        }
    }
}

/// Where a new file's bytes went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placed {
    /// They go into the row with its metadata, in the same insert.
    InRow,
    /// They are in the store under this key; the row keeps none.
    Object(String),
}

/// Where a stored row says its bytes are.
#[derive(Debug)]
pub enum Location {
    InRow(Vec<u8>),
    Object { key: String, size: u64 },
}

/// Why a file could not be stored or read back.
#[derive(Debug, PartialEq, Eq)]
pub enum FileError {
    /// The store did not answer or refused the request.
    Unavailable(String),
    /// The row names an object that is not in the store.
    Missing(String),
    /// The object's bytes are not the ones uploaded (size or sha256 differ).
    Tampered(String),
    /// The row names an object, but no S3 store is configured.
    NotConfigured,
}

/// The object key of a file: the tenant and the hash, nothing a user typed.
pub fn object_key(tenant_id: i64, sha256: &[u8]) -> String {
    let hex: String = sha256.iter().map(|b| format!("{b:02x}")).collect();
    format!("t{tenant_id}/{hex}")
}

/// The bytes, when they are what the row says they are.
pub fn checked(bytes: Vec<u8>, sha256: &[u8], size: u64, key: &str) -> Result<Vec<u8>, FileError> {
    if bytes.len() as u64 != size || Sha256::digest(&bytes).as_slice() != sha256 {
        return Err(FileError::Tampered(key.to_string()));
    }
    Ok(bytes)
}

/// The store the settings name, checked once at start: a store that does not answer is logged
/// (uploads then get their message) rather than keeping thidua from serving.
pub async fn start(args: &crate::config::EvidenceStoreArgs) -> anyhow::Result<FileStore> {
    let store = args.store()?;
    if let FileStore::S3(s3) = &store {
        match s3.check().await {
            Ok(()) => tracing::info!(store = s3.describe(), "evidence files in the S3 store"),
            Err(e) => tracing::error!(store = s3.describe(), error = ?e,
                "evidence files in the S3 store, which does not answer yet"),
        }
    }
    Ok(store)
}

impl FileStore {
    pub fn is_s3(&self) -> bool {
        matches!(self, FileStore::S3(_))
    }

    /// Stores the bytes of a new file of `tenant_id` with this sha256 and says where they went.
    /// With S3 the object is written now, before the caller inserts the row.
    pub async fn put(
        &self,
        tenant_id: i64,
        sha256: &[u8],
        bytes: &Bytes,
    ) -> Result<Placed, FileError> {
        match self {
            FileStore::Database => Ok(Placed::InRow),
            FileStore::S3(s3) => {
                let key = object_key(tenant_id, sha256);
                s3.put(&key, bytes.clone()).await.inspect_err(|e| {
                    tracing::error!(key, error = ?e, "evidence: the S3 store refused the upload");
                })?;
                Ok(Placed::Object(key))
            }
        }
    }

    /// The bytes of a row of `tenant_id` with this sha256, from wherever they are. An object is
    /// checked against the row's size and hash before a byte of it is handed out.
    pub async fn get(
        &self,
        tenant_id: i64,
        sha256: &[u8],
        at: Location,
    ) -> Result<Vec<u8>, FileError> {
        let (key, size) = match at {
            Location::InRow(bytes) => return Ok(bytes),
            Location::Object { key, size } => (key, size),
        };
        let result = match self {
            // The key is rebuilt from the row read under the tenant's own transaction; a key
            // naming anything else is refused (the database's CHECK makes it impossible too).
            _ if key != object_key(tenant_id, sha256) => Err(FileError::Missing(key.clone())),
            FileStore::Database => Err(FileError::NotConfigured),
            FileStore::S3(s3) => match s3.get(&key, size).await {
                Ok(Some(bytes)) => checked(bytes, sha256, size, &key),
                Ok(None) => Err(FileError::Missing(key.clone())),
                Err(e) => Err(e),
            },
        };
        result.inspect_err(|e| tracing::error!(key, error = ?e, "evidence: cannot serve the file"))
    }
}

impl FileError {
    /// Said beside the upload field: nothing of that press was saved.
    pub fn upload_message(&self) -> String {
        "Chưa lưu được tệp vào kho lưu trữ minh chứng vì kho đang không trả lời. Chưa có gì \
         của lần bấm này được lưu; hãy thử tải lên lại sau ít phút. Nếu vẫn không được, hãy báo \
         cho cán bộ quản trị hệ thống."
            .to_string()
    }

    /// The page instead of the file: never the wrong bytes, never a bare 500.
    pub fn download_page(&self) -> Response {
        let (status, title, message) = match self {
            FileError::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Tạm thời không mở được tệp minh chứng",
                "Kho lưu trữ tệp minh chứng tạm thời không trả lời. Tệp vẫn được lưu giữ; hãy \
                 thử lại sau ít phút.",
            ),
            FileError::Tampered(_) => (
                StatusCode::BAD_GATEWAY,
                "Tệp minh chứng không còn nguyên vẹn",
                "Tệp trong kho lưu trữ không còn khớp với tệp đã tải lên (kích thước hoặc mã băm \
                 SHA-256 khác), nên thidua không trả tệp này. Hãy báo cho cán bộ quản trị hệ \
                 thống; đơn vị có thể tải tệp gốc lên lại.",
            ),
            FileError::Missing(_) => (
                StatusCode::BAD_GATEWAY,
                "Không tìm thấy tệp minh chứng trong kho lưu trữ",
                "Tệp này đã được ghi nhận nhưng không còn trong kho lưu trữ. Hãy báo cho cán bộ \
                 quản trị hệ thống; đơn vị có thể tải tệp gốc lên lại.",
            ),
            FileError::NotConfigured => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Chưa cấu hình kho lưu trữ tệp minh chứng",
                "Tệp này nằm trong kho lưu trữ S3 nhưng máy chủ thidua này chưa được cấu hình kho \
                 đó. Hãy báo cho cán bộ quản trị hệ thống.",
            ),
        };
        let mut message = message.to_string();
        if let Some(id) = crate::web::request_id::current().filter(|i| !i.is_empty()) {
            message.push_str(&format!(" Mã yêu cầu: {id}."));
        }
        let mut r = crate::error::error_page(status, title, &message);
        if status == StatusCode::SERVICE_UNAVAILABLE {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_the_tenant_and_the_hash_only() {
        let sha = Sha256::digest(b"minh chung");
        let key = object_key(42, &sha);
        assert!(key.starts_with("t42/"));
        assert_eq!(key.len(), "t42/".len() + 64);
        assert!(key[4..].chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(key, object_key(43, &sha), "another tenant, another object");
    }

    #[test]
    fn an_object_is_handed_out_only_when_size_and_hash_match() {
        let sha = Sha256::digest(b"abc");
        assert_eq!(checked(b"abc".to_vec(), &sha, 3, "k"), Ok(b"abc".to_vec()));
        assert_eq!(
            checked(b"abd".to_vec(), &sha, 3, "k"),
            Err(FileError::Tampered("k".into()))
        );
        assert_eq!(
            checked(b"abc".to_vec(), &sha, 4, "k"),
            Err(FileError::Tampered("k".into()))
        );
    }

    #[tokio::test]
    async fn a_key_that_is_not_the_rows_own_is_refused() {
        let sha = Sha256::digest(b"abc");
        let other = Location::Object {
            key: object_key(7, &sha),
            size: 3,
        };
        let got = FileStore::Database.get(8, &sha, other).await;
        assert_eq!(got, Err(FileError::Missing(object_key(7, &sha))));
        let in_row = Location::InRow(b"abc".to_vec());
        assert_eq!(
            FileStore::Database.get(8, &sha, in_row).await,
            Ok(b"abc".to_vec())
        );
    }
}
