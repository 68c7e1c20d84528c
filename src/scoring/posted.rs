//! What the unit posts from its sheet in one action: the typed figures and, when the form is
//! sent as multipart (the sheet's own form is), the files chosen for its criteria (`file_7` for
//! criterion 7), so that "Tải lên" saves what was typed with the file and loses nothing
//! (issue 17, item 1). A plain urlencoded form (figures only) is read as well.

use axum::Form;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::response::{IntoResponse, Response};

use crate::web::forms::Errors;
use crate::web::input::clean;
use crate::web::upload::{FILE_MAX, FileFault};

/// A file chosen beside a criterion.
#[derive(Debug)]
pub struct ChosenFile {
    pub criterion_id: i64,
    pub name: String,
    pub data: Bytes,
}

/// The sheet's post: every text field in the order sent, and the files chosen.
#[derive(Default)]
pub struct SheetPost {
    pub fields: Vec<(String, String)>,
    pub files: Vec<ChosenFile>,
    /// The criterion whose file broke off or passed the limit while being read; what followed
    /// it in the body is lost, so the page says so instead of saving a part.
    pub broken: Option<i64>,
    /// The criteria whose file was larger than a file may be (read past and dropped).
    pub too_big: Vec<i64>,
}

impl<S: Send + Sync> FromRequest<S> for SheetPost {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !crate::web::upload::is_upload(req.headers()) {
            let Form(fields) = Form::<Vec<(String, String)>>::from_request(req, state)
                .await
                .map_err(IntoResponse::into_response)?;
            return Ok(SheetPost {
                fields,
                ..SheetPost::default()
            });
        }
        let multipart = Multipart::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(read(multipart).await)
    }
}

/// The criterion a file field belongs to: `file_7` is criterion 7.
fn file_criterion(name: &str) -> Option<i64> {
    name.strip_prefix("file_")?.parse().ok()
}

async fn read(mut multipart: Multipart) -> SheetPost {
    let mut post = SheetPost::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                post.broken.get_or_insert(0);
                break;
            }
        };
        let name = field.name().unwrap_or("").to_string();
        if let Some(criterion_id) = file_criterion(&name) {
            let file_name = field.file_name().unwrap_or("").to_string();
            match crate::web::upload::read_file(field, FILE_MAX).await {
                // A file input left empty is sent with no name and no content.
                Ok(data) if data.is_empty() && file_name.is_empty() => {}
                Ok(data) => post.files.push(ChosenFile {
                    criterion_id,
                    name: file_name,
                    data: Bytes::from(data),
                }),
                // Its content is dropped; the fields after it are still read.
                Err(FileFault::TooBig) => post.too_big.push(criterion_id),
                Err(FileFault::Broken(_)) => {
                    post.broken = Some(criterion_id);
                    break;
                }
            }
        } else if let Ok(text) = field.text().await {
            // The same cleaning the urlencoded forms get (see `web::input`).
            post.fields.push((clean(&name), clean(&text)));
        }
    }
    post
}

/// A file that passed its checks, with its real type (MIME type, extension).
#[derive(Debug)]
pub struct CheckedFile {
    pub file: ChosenFile,
    pub kind: (&'static str, &'static str),
}

pub const TOO_BIG: &str = "Tệp lớn quá 10 MB; hãy nén hoặc chia nhỏ tệp.";
pub const NO_FILE: &str = "Hãy chọn tệp minh chứng trước khi bấm “Tải lên”.";

impl SheetPost {
    /// The chosen files checked one by one (size, content, a criterion of `criteria`); each
    /// fault goes to `errors` beside its criterion's upload field (`e_7`). `upload`: the
    /// criterion whose "Tải lên" was pressed, which must have a file.
    pub fn checked_files(
        self,
        errors: &mut Errors,
        criteria: &[i64],
        upload: Option<i64>,
        max_bytes: usize,
    ) -> Vec<CheckedFile> {
        if let Some(c) = self.broken {
            errors.add(format!("e_{}", upload.unwrap_or(c)), TOO_BIG);
        }
        if let Some(c) = upload
            && !self.files.iter().any(|f| f.criterion_id == c)
            && !self.too_big.contains(&c)
            && self.broken.is_none()
        {
            errors.add(format!("e_{c}"), NO_FILE);
        }
        for c in &self.too_big {
            errors.add(format!("e_{c}"), TOO_BIG);
        }
        let mut ok = Vec::new();
        for file in self.files {
            let key = format!("e_{}", file.criterion_id);
            if !criteria.contains(&file.criterion_id) {
                errors.add(key, "Tiêu chí này không có trong bảng điểm.");
            } else if file.data.is_empty() {
                errors.add(key, "Tệp rỗng.");
            } else if file.data.len() > max_bytes {
                errors.add(key, TOO_BIG);
            } else {
                match crate::web::upload::sniff(&file.data, &file.name) {
                    Ok(kind) => ok.push(CheckedFile { file, kind }),
                    Err(msg) => errors.add(key, msg),
                }
            }
        }
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(c: i64, name: &str, data: &'static [u8]) -> ChosenFile {
        ChosenFile {
            criterion_id: c,
            name: name.into(),
            data: Bytes::from_static(data),
        }
    }

    fn check(post: SheetPost, upload: Option<i64>, max: usize) -> Result<Vec<CheckedFile>, Errors> {
        let mut errors = Errors::default();
        let ok = post.checked_files(&mut errors, &[7, 8], upload, max);
        if errors.is_empty() {
            Ok(ok)
        } else {
            Err(errors)
        }
    }

    #[test]
    fn each_chosen_file_is_checked_beside_its_criterion() {
        let post = |files| SheetPost {
            files,
            ..SheetPost::default()
        };
        let ok = check(post(vec![chosen(7, "a.pdf", b"%PDF-1.4 x")]), Some(7), 1024).unwrap();
        assert_eq!((ok.len(), ok[0].kind.1), (1, "pdf"));
        let three = post(vec![
            chosen(7, "a.exe", b"MZ\x90"),
            chosen(8, "b.pdf", b"%PDF-1.4 x"),
            chosen(9, "c.pdf", b"%PDF-1.4 x"),
        ]);
        let e = check(three, None, 1024).unwrap_err();
        assert!(e.has("e_7") && !e.has("e_8") && e.has("e_9"));
        let e = check(post(vec![chosen(7, "a.pdf", b"%PDF-1.4 x")]), Some(8), 4).unwrap_err();
        assert_eq!(e.get("e_7").map(String::as_str), Some(TOO_BIG));
        assert_eq!(e.get("e_8").map(String::as_str), Some(NO_FILE));
        let broken = SheetPost {
            broken: Some(7),
            ..SheetPost::default()
        };
        let e = check(broken, Some(7), 1024).unwrap_err();
        assert_eq!(e.get("e_7").map(String::as_str), Some(TOO_BIG));
        // Nothing chosen and no upload pressed: a plain save.
        assert!(check(post(vec![]), None, 1024).unwrap().is_empty());
    }

    #[test]
    fn file_fields_are_named_by_their_criterion() {
        assert_eq!(file_criterion("file_7"), Some(7));
        assert_eq!(file_criterion("file_"), None);
        assert_eq!(file_criterion("file"), None);
        assert_eq!(file_criterion("p_7"), None);
    }
}
