//! The form that records a pledge signature made on paper: the unit, the date on the page and
//! the scanned page, checked by content like evidence (src/web/upload.rs).

use axum::body::Bytes;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use chrono::NaiveDate;

use crate::web::forms::{self, Errors};

pub const MAX_BYTES: usize = crate::web::upload::FILE_MAX;

#[derive(Default)]
pub struct PaperForm {
    pub unit_id: String,
    pub signed_on: String,
    pub file: Option<(String, Bytes)>,
    /// The body broke off or passed the route's limit while being read.
    pub too_big: bool,
}

/// What is stored: the unit, the date, the file's clean name, its bytes and its real type.
pub struct PaperScan {
    pub unit_id: i64,
    pub signed_on: Option<NaiveDate>,
    pub filename: String,
    pub data: Bytes,
    pub content_type: &'static str,
}

impl PaperForm {
    pub async fn read(multipart: Result<Multipart, MultipartRejection>) -> PaperForm {
        let mut f = PaperForm::default();
        let Ok(mut multipart) = multipart else {
            return f;
        };
        loop {
            match multipart.next_field().await {
                Ok(Some(field)) => match field.name() {
                    Some("unit_id") => f.unit_id = field.text().await.unwrap_or_default(),
                    Some("signed_on") => f.signed_on = field.text().await.unwrap_or_default(),
                    Some("file") => {
                        let name = field.file_name().unwrap_or("").to_string();
                        match crate::web::upload::read_file(field, MAX_BYTES).await {
                            Ok(b) if !name.is_empty() || !b.is_empty() => {
                                f.file = Some((name, b.into()))
                            }
                            Ok(_) => {}
                            Err(_) => f.too_big = true,
                        }
                    }
                    _ => {}
                },
                Ok(None) => break,
                Err(_) => {
                    f.too_big = true;
                    break;
                }
            }
        }
        f
    }

    /// The checked scan, or the messages beside the fields.
    pub fn check(&self) -> Result<PaperScan, Errors> {
        let mut errors = Errors::default();
        let unit_id = self.unit_id.trim().parse::<i64>().ok();
        if unit_id.is_none() {
            errors.add("paper_unit", "Hãy chọn đơn vị đã ký trên giấy.");
        }
        let signed_on = forms::optional_date(&mut errors, "paper_date", &self.signed_on);
        let scan = match &self.file {
            _ if self.too_big => Err(
                "Tệp lớn quá 10 MB; hãy quét với độ phân giải thấp hơn hoặc nén tệp.".to_string(),
            ),
            None => Err("Hãy chọn tệp bản chụp (bản quét) trang ký của đơn vị.".to_string()),
            Some((_, data)) if data.is_empty() => Err("Tệp rỗng.".to_string()),
            Some((_, data)) if data.len() > MAX_BYTES => Err(
                "Tệp lớn quá 10 MB; hãy quét với độ phân giải thấp hơn hoặc nén tệp.".to_string(),
            ),
            Some((name, data)) => crate::web::upload::sniff(data, name)
                .map(|kind| (name, data, kind))
                .map_err(str::to_string),
        };
        let scan = match scan {
            Ok(s) => Some(s),
            Err(msg) => {
                errors.add("paper_file", msg);
                None
            }
        };
        match (unit_id, scan) {
            (Some(unit_id), Some((name, data, (content_type, ext)))) if errors.is_empty() => {
                Ok(PaperScan {
                    unit_id,
                    signed_on,
                    filename: crate::web::upload::stored_name(name, ext),
                    data: data.clone(),
                    content_type,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(unit: &str, date: &str, file: Option<(&str, &'static [u8])>) -> PaperForm {
        PaperForm {
            unit_id: unit.into(),
            signed_on: date.into(),
            file: file.map(|(n, d)| (n.to_string(), Bytes::from_static(d))),
            too_big: false,
        }
    }

    #[test]
    fn a_scan_is_judged_by_its_content_and_every_fault_is_named_beside_its_field() {
        let ok = form("7", "15/01/2026", Some(("trang ky.PDF", b"%PDF-1.7 x")))
            .check()
            .unwrap_or_else(|_| panic!("a good scan"));
        assert_eq!((ok.unit_id, ok.filename.as_str()), (7, "trang ky.pdf"));
        assert_eq!(ok.signed_on, NaiveDate::from_ymd_opt(2026, 1, 15));
        let e = form("", "31/02/2026", Some(("a.exe", b"MZ\x90")))
            .check()
            .err()
            .unwrap();
        assert!(e.has("paper_unit") && e.has("paper_date"));
        assert_eq!(
            e.get("paper_file").map(String::as_str),
            Some(crate::web::upload::NOT_ACCEPTED)
        );
        let e = form("7", "", None).check().err().unwrap();
        assert!(e.get("paper_file").unwrap().contains("Hãy chọn tệp"));
        let e = form("7", "", Some(("a.pdf", b""))).check().err().unwrap();
        assert_eq!(e.get("paper_file").map(String::as_str), Some("Tệp rỗng."));
    }
}
