//! What `thidua admin backup` tells the operator when evidence lives in an S3 store: the
//! database backup holds the rows, not the objects, so it names the command that copies the
//! bucket beside the backup file.
//!
//! Why a command rather than thidua copying: a national store grows by 100–500 GB a year, and
//! its objects never change (a key is a council and a hash), so an incremental sync that copies
//! only new objects fits, where a full copy into every daily backup would not. The AWS CLI's
//! `s3 sync` does that against any S3-compatible store and never deletes at the destination
//! without `--delete`.

use std::path::Path;

use crate::config::EvidenceStoreArgs;

/// Quoted for a POSIX shell.
fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The folder the objects go to: beside the backup file, named after the bucket, shared by
/// every backup there (the sync adds what is new).
pub fn copy_folder(args: &EvidenceStoreArgs, backup_file: &Path) -> std::path::PathBuf {
    let dir = backup_file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    dir.join(&args.bucket)
}

/// `aws s3 sync FROM TO` with the store's endpoint, region and CA, the keys taken from the same
/// environment thidua reads (never printed).
fn sync(args: &EvidenceStoreArgs, endpoint: &str, from: &str, to: &str) -> String {
    let mut cmd = format!(
        "AWS_ACCESS_KEY_ID=\"$THIDUA_EVIDENCE_S3_ACCESS_KEY_ID\" \
         AWS_SECRET_ACCESS_KEY=\"$THIDUA_EVIDENCE_S3_SECRET_ACCESS_KEY\" \
         aws s3 sync {} {} --endpoint-url {} --region {}",
        quoted(from),
        quoted(to),
        quoted(endpoint),
        quoted(&args.region)
    );
    if let Some(ca) = &args.ca_file {
        cmd.push_str(&format!(" --ca-bundle {}", quoted(&ca.to_string_lossy())));
    }
    cmd
}

/// The note printed after a backup, None when evidence is kept in PostgreSQL (then the backup
/// file holds it all).
pub fn backup_note(args: &EvidenceStoreArgs, backup_file: &Path) -> Option<String> {
    let endpoint = args.endpoint.as_deref()?;
    let bucket = format!("s3://{}", args.bucket);
    let folder = copy_folder(args, backup_file).to_string_lossy().to_string();
    Some(format!(
        "Tệp minh chứng trong kho S3 ({endpoint}, bucket {}) không nằm trong bản sao lưu này. \
         Ngay sau bản sao lưu (không chạy evidence-gc xen giữa), chép chúng vào {folder} \
         bằng AWS CLI (gói awscli; chỉ chép tệp mới, không xóa gì ở thư mục đích), với các biến \
         THIDUA_EVIDENCE_S3_* như khi chạy thidua:\n  {}\nKhôi phục kho từ thư mục đó:\n  {}",
        args.bucket,
        sync(args, endpoint, &bucket, &folder),
        sync(args, endpoint, &folder, &bucket),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> EvidenceStoreArgs {
        EvidenceStoreArgs {
            endpoint: Some("https://s3.noibo.example.vn".into()),
            bucket: "minh-chung".into(),
            region: "us-east-1".into(),
            access_key_id: Some("AKIA-BI-MAT".into()),
            secret_access_key: Some("khoa-bi-mat".into()),
            virtual_hosted: false,
            ca_file: None,
        }
    }

    #[test]
    fn without_a_store_there_is_nothing_to_say() {
        let db_only = EvidenceStoreArgs {
            endpoint: None,
            ..args()
        };
        assert_eq!(backup_note(&db_only, Path::new("/b/x.backup")), None);
    }

    #[test]
    fn the_command_names_the_store_and_the_folder_but_never_the_keys() {
        let mut a = args();
        a.ca_file = Some("/etc/thidua/ca noi bo.crt".into());
        let note = backup_note(&a, Path::new("/var/backups/thidua/t.backup")).unwrap();
        assert!(
            note.contains(
                "aws s3 sync 's3://minh-chung' '/var/backups/thidua/minh-chung' \
                 --endpoint-url 'https://s3.noibo.example.vn' --region 'us-east-1' \
                 --ca-bundle '/etc/thidua/ca noi bo.crt'"
            ),
            "{note}"
        );
        assert!(note.contains("sync '/var/backups/thidua/minh-chung' 's3://minh-chung'"));
        assert!(!note.contains("AKIA-BI-MAT") && !note.contains("khoa-bi-mat"));
        let here = copy_folder(&a, Path::new("t.backup"));
        assert_eq!(here, Path::new("./minh-chung"));
    }

    #[test]
    fn a_quote_in_a_path_stays_inside_its_word() {
        assert_eq!(quoted("it's"), r"'it'\''s'");
    }
}
