//! Uploaded files: what they really are (by content, and for Office files by a look inside
//! the container), and the names they are kept under (issue 12, item 8).

pub const WORD: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const EXCEL: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub const NOT_ACCEPTED: &str = "Chỉ nhận tệp PDF, ảnh (JPG, PNG), Word (.docx, .doc) hoặc Excel \
    (.xlsx, .xls); nội dung tệp này không thuộc các loại đó.";
pub const BROKEN_OFFICE: &str = "Tệp Word hoặc Excel này bị hỏng hoặc không đúng cấu trúc \
    (.docx, .xlsx phải là tệp nén hợp lệ có đủ các phần của văn bản); hãy lưu lại tệp bằng \
    Word hoặc Excel rồi tải lên lại.";
pub const OFFICE_MACROS: &str = "Tệp Word hoặc Excel có macro không được nhận; hãy lưu thành \
    .docx hoặc .xlsx thường rồi tải lên lại.";

/// Bounds the uploads read at once, so that many large files sent together cannot take the
/// process's memory (each is held in memory while it is checked and stored). One gate per
/// application; an upload beyond it gets a fast "busy" page instead of waiting.
#[derive(Clone, Debug)]
pub struct UploadGate {
    permits: std::sync::Arc<tokio::sync::Semaphore>,
}

impl UploadGate {
    pub fn new(at_once: usize) -> UploadGate {
        UploadGate {
            permits: std::sync::Arc::new(tokio::sync::Semaphore::new(at_once.max(1))),
        }
    }

    /// A place for one more upload, held until the answer is made; None when all are taken.
    pub fn try_enter(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        self.permits.clone().try_acquire_owned().ok()
    }
}

/// Whether a request carries files (a multipart form).
pub fn is_upload(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/")
        })
}

/// The answer to an upload beyond the gate: a Vietnamese page, 503 with Retry-After.
pub fn busy() -> axum::response::Response {
    let mut resp = crate::error::error_page(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "Hệ thống đang bận nhận tệp",
        "Đang có nhiều tệp được tải lên cùng lúc. Hãy đợi vài giây rồi bấm tải lên lại.",
    );
    resp.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        axum::http::HeaderValue::from_static("5"),
    );
    resp
}

/// One file of an upload form may hold at most this (evidence, paper signatures, scans).
pub const FILE_MAX: usize = 10 * 1024 * 1024;

/// Reads a request body into one buffer, allocated once from the length the request states
/// (never above `limit`), so that a 10 MB upload takes 10 MB here and not the pieces it arrived
/// in plus their joined copy. A body sent chunked grows the buffer as it comes. None when the
/// body breaks off or passes `limit`.
pub async fn read_body(
    mut body: axum::body::Body,
    stated: Option<usize>,
    limit: usize,
) -> Option<axum::body::Bytes> {
    use axum::body::HttpBody;
    let mut buf: Vec<u8> = Vec::with_capacity(stated.unwrap_or(0).min(limit));
    loop {
        let frame = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await;
        let Some(frame) = frame else { break };
        if let Ok(data) = frame.ok()?.into_data() {
            if buf.len() + data.len() > limit {
                return None;
            }
            buf.extend_from_slice(&data);
        }
    }
    Some(axum::body::Bytes::from(buf))
}

/// A body already in memory, handed on in slices of 64 KiB (no copy: each slice shares the
/// buffer) with a pause before each, so that a multipart reader takes it a slice at a time.
/// Given the whole body at once (or slices always ready), `multer` copies all of it into its
/// own buffer before the first field is read: one more full copy of every upload.
pub fn trickle(body: axum::body::Bytes) -> axum::body::Body {
    axum::body::Body::new(Trickle {
        rest: body,
        paused: false,
    })
}

struct Trickle {
    rest: axum::body::Bytes,
    paused: bool,
}

impl axum::body::HttpBody for Trickle {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        use std::task::Poll;
        if !self.paused {
            // Ready again at once: the pause only lets the reader work on what it has. The end
            // is paused before too: multer takes data and the end arriving in one poll for a
            // body cut short.
            self.paused = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        self.paused = false;
        if self.rest.is_empty() {
            return Poll::Ready(None);
        }
        let n = self.rest.len().min(64 * 1024);
        let slice = self.rest.split_to(n);
        Poll::Ready(Some(Ok(hyper::body::Frame::data(slice))))
    }

    fn is_end_stream(&self) -> bool {
        self.rest.is_empty()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        hyper::body::SizeHint::with_exact(self.rest.len() as u64)
    }
}

/// Why a file field could not be read whole.
#[derive(Debug)]
pub enum FileFault {
    /// Larger than the form allows; the rest of the field was read and dropped, so the fields
    /// after it are still there.
    TooBig,
    /// The body broke off or passed the route's limit.
    Broken(axum::extract::multipart::MultipartError),
}

/// The content of one file field of an upload form, read chunk by chunk into one buffer
/// allocated once for `limit` bytes: the form's reader holds a file once, not once per copy.
/// Every upload form reads its files with this.
pub async fn read_file(
    mut field: axum::extract::multipart::Field<'_>,
    limit: usize,
) -> Result<Vec<u8>, FileFault> {
    let mut buf: Vec<u8> = Vec::new();
    let mut too_big = false;
    while let Some(chunk) = field.chunk().await.map_err(FileFault::Broken)? {
        if too_big || buf.len() + chunk.len() > limit {
            too_big = true;
            continue;
        }
        if buf.capacity() == 0 {
            buf.reserve_exact(limit);
        }
        buf.extend_from_slice(&chunk);
    }
    if too_big {
        return Err(FileFault::TooBig);
    }
    Ok(buf)
}

/// Unicode format characters (bidirectional overrides and isolates, zero-width characters,
/// the byte-order mark and the like): invisible, but they change how a text is displayed, so
/// `bao-cao\u{202e}fdp.exe` shows as "bao-caoexe.pdf".
pub fn is_format_char(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}'
        | '\u{E0001}' | '\u{E0020}'..='\u{E007F}')
}

/// The file's real type (MIME type, extension), judged by its first bytes and, for Office
/// files, by the parts their zip container holds; never by its name, except to tell an old
/// Word file from an old Excel file (they share one container format). The error is the
/// Vietnamese message to show.
pub fn sniff(data: &[u8], filename: &str) -> Result<(&'static str, &'static str), &'static str> {
    if data.starts_with(b"%PDF-") {
        Ok(("application/pdf", "pdf"))
    } else if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(("image/png", "png"))
    } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(("image/jpeg", "jpg"))
    } else if data.starts_with(b"PK\x03\x04") {
        let names = zip_entry_names(data).ok_or(BROKEN_OFFICE)?;
        let has = |n: &str| names.iter().any(|e| e == n);
        if names.iter().any(|e| e.ends_with("vbaProject.bin")) {
            return Err(OFFICE_MACROS);
        }
        if !has("[Content_Types].xml") {
            return Err(BROKEN_OFFICE);
        }
        if has("word/document.xml") {
            Ok((WORD, "docx"))
        } else if has("xl/workbook.xml") {
            Ok((EXCEL, "xlsx"))
        } else {
            Err(NOT_ACCEPTED)
        }
    } else if data.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        if filename.to_lowercase().ends_with(".xls") {
            Ok(("application/vnd.ms-excel", "xls"))
        } else {
            Ok(("application/msword", "doc"))
        }
    } else {
        Err(NOT_ACCEPTED)
    }
}

fn u16_at(d: &[u8], at: usize) -> Option<usize> {
    d.get(at..at + 2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]) as usize)
}

fn u32_at(d: &[u8], at: usize) -> Option<usize> {
    d.get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
}

/// The names in a zip archive when its structure holds together: an end record, a central
/// directory inside the file, and for each entry a local header with the same name, stored or
/// deflated. None for anything else (a truncated or forged archive, ZIP64, more than 10,000
/// entries). Nothing is decompressed.
pub fn zip_entry_names(d: &[u8]) -> Option<Vec<String>> {
    const EOCD: &[u8] = b"PK\x05\x06";
    const CENTRAL: &[u8] = b"PK\x01\x02";
    const LOCAL: &[u8] = b"PK\x03\x04";
    if d.len() < 22 {
        return None;
    }
    let lowest = d.len().saturating_sub(22 + 65_535);
    let eocd = (lowest..=d.len() - 22)
        .rev()
        .find(|&i| &d[i..i + 4] == EOCD && i + 22 + u16_at(d, i + 20).unwrap_or(0) == d.len())?;
    let (count, cd_size, cd_start) = (
        u16_at(d, eocd + 10)?,
        u32_at(d, eocd + 12)?,
        u32_at(d, eocd + 16)?,
    );
    if count == 0xFFFF || count > 10_000 || cd_start.checked_add(cd_size)? > eocd {
        return None;
    }
    let mut names = Vec::with_capacity(count);
    let mut at = cd_start;
    for _ in 0..count {
        if d.get(at..at + 4)? != CENTRAL {
            return None;
        }
        let method = u16_at(d, at + 10)?;
        let (n, extra, comment) = (
            u16_at(d, at + 28)?,
            u16_at(d, at + 30)?,
            u16_at(d, at + 32)?,
        );
        let local = u32_at(d, at + 42)?;
        let name = d.get(at + 46..at + 46 + n)?;
        if !matches!(method, 0 | 8) || local.checked_add(30 + n)? > cd_start {
            return None;
        }
        if d.get(local..local + 4)? != LOCAL
            || u16_at(d, local + 26)? != n
            || d.get(local + 30..local + 30 + n)? != name
        {
            return None;
        }
        names.push(String::from_utf8_lossy(name).into_owned());
        at += 46 + n + extra + comment;
    }
    (at == cd_start + cd_size).then_some(names)
}

/// The name an uploaded file is kept and sent back under: no folder, no control or format
/// characters, no quotes, at most 120 characters, and the extension of the type its content
/// has, whatever the name claimed (`bao-cao.html` holding a PDF is `bao-cao.pdf`).
pub fn stored_name(uploaded: &str, ext: &str) -> String {
    let base = uploaded.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| {
            !c.is_control()
                && !is_format_char(*c)
                && !matches!(c, '"' | '*' | '?' | '<' | '>' | '|' | ':')
        })
        .collect();
    let stem = match cleaned.rsplit_once('.') {
        Some((stem, _)) => stem,
        None => cleaned.as_str(),
    };
    let stem: String = stem
        .trim()
        .trim_matches('.')
        .trim()
        .chars()
        .take(120 - 1 - ext.len())
        .collect();
    let stem = stem.trim_end();
    if stem.is_empty() {
        format!("minh-chung.{ext}")
    } else {
        format!("{stem}.{ext}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_trickled_body_reads_as_the_whole_form() {
        let mut body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n"
            .to_vec();
        let file: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        body.extend_from_slice(&file);
        body.extend_from_slice(
            b"\r\n--XyZ\r\nContent-Disposition: form-data; name=\"after\"\r\n\r\nx\r\n--XyZ--\r\n",
        );
        let req = axum::http::Request::builder()
            .header("content-type", "multipart/form-data; boundary=XyZ")
            .body(trickle(axum::body::Bytes::from(body)))
            .unwrap();
        use axum::extract::FromRequest;
        let mut m = axum::extract::Multipart::from_request(req, &())
            .await
            .unwrap();
        let f = m.next_field().await.unwrap().unwrap();
        assert_eq!(f.text().await.unwrap(), "abc");
        let f = m.next_field().await.unwrap().unwrap();
        assert_eq!(read_file(f, 1 << 20).await.unwrap(), file);
        let f = m.next_field().await.unwrap().unwrap();
        assert_eq!(f.name(), Some("after"));
        assert!(matches!(read_file(f, 0).await, Err(FileFault::TooBig)));
        assert!(m.next_field().await.unwrap().is_none());
    }

    #[test]
    fn types_are_judged_by_content() {
        assert_eq!(sniff(b"%PDF-1.7 ...", "anh.png").unwrap().1, "pdf");
        assert!(sniff(b"PK\x03\x04....word/document.xml", "a.docx").is_err());
        assert!(sniff(b"<html><script>", "trang.pdf").is_err());
    }
    use std::io::Write;

    fn zip_of(entries: &[&str]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for e in entries {
            w.start_file(*e, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(b"<x/>").unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn office_files_are_judged_by_their_parts() {
        let docx = zip_of(&["[Content_Types].xml", "_rels/.rels", "word/document.xml"]);
        assert_eq!(sniff(&docx, "a.docx"), Ok((WORD, "docx")));
        assert_eq!(sniff(&docx, "a.pdf"), Ok((WORD, "docx")), "not by name");
        let xlsx = zip_of(&["[Content_Types].xml", "xl/workbook.xml"]);
        assert_eq!(sniff(&xlsx, "a.xlsx"), Ok((EXCEL, "xlsx")));
        // A zip that holds something else is no Office file.
        assert_eq!(sniff(&zip_of(&["evil.js"]), "a.docx"), Err(BROKEN_OFFICE));
        assert_eq!(
            sniff(&zip_of(&["[Content_Types].xml", "evil.js"]), "a.docx"),
            Err(NOT_ACCEPTED)
        );
        let macros = zip_of(&[
            "[Content_Types].xml",
            "word/document.xml",
            "word/vbaProject.bin",
        ]);
        assert_eq!(sniff(&macros, "a.docx"), Err(OFFICE_MACROS));
    }

    #[test]
    fn a_fake_or_broken_docx_is_refused() {
        // Starts like a zip and names the right part, but is no archive.
        assert_eq!(
            sniff(
                b"PK\x03\x04....[Content_Types].xml word/document.xml",
                "a.docx"
            ),
            Err(BROKEN_OFFICE)
        );
        let docx = zip_of(&["[Content_Types].xml", "word/document.xml"]);
        // Cut short: the central directory is gone.
        assert_eq!(
            sniff(&docx[..docx.len() - 30], "a.docx"),
            Err(BROKEN_OFFICE)
        );
        // A central directory that points at a local header with another name.
        let mut forged = docx.clone();
        let i = forged
            .windows(17)
            .position(|w| w == b"word/document.xml")
            .unwrap();
        forged[i] = b'X';
        assert_eq!(sniff(&forged, "a.docx"), Err(BROKEN_OFFICE));
        // Every prefix of a real file is refused or read, never a panic.
        for n in 0..docx.len() {
            let _ = sniff(&docx[..n], "a.docx");
        }
    }

    #[test]
    fn other_types_by_content() {
        assert_eq!(sniff(b"%PDF-1.7", "x.png"), Ok(("application/pdf", "pdf")));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nxx", "x").unwrap().1, "png");
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0], "x").unwrap().1, "jpg");
        assert_eq!(sniff(b"MZ\x90\x00", "virus.pdf"), Err(NOT_ACCEPTED));
        assert_eq!(sniff(b"<svg onload=x>", "anh.svg"), Err(NOT_ACCEPTED));
    }

    #[test]
    fn names_take_the_sniffed_extension_and_lose_format_characters() {
        assert_eq!(
            stored_name("bao-cao\u{202e}fdp.exe", "pdf"),
            "bao-caofdp.pdf"
        );
        assert_eq!(stored_name("trang.html", "pdf"), "trang.pdf");
        assert_eq!(stored_name("anh.svg", "png"), "anh.png");
        assert_eq!(stored_name("Báo cáo năm.PDF", "pdf"), "Báo cáo năm.pdf");
        assert_eq!(
            stored_name("C:\\Users\\a\\Báo cáo.docx", "docx"),
            "Báo cáo.docx"
        );
        assert_eq!(stored_name("../../etc/passwd", "pdf"), "passwd.pdf");
        assert_eq!(stored_name("a\"b\nc\u{200b}.pdf", "pdf"), "abc.pdf");
        assert_eq!(stored_name("", "pdf"), "minh-chung.pdf");
        assert_eq!(stored_name(".htaccess", "pdf"), "minh-chung.pdf");
        assert_eq!(stored_name("\u{202e}\u{2066}", "jpg"), "minh-chung.jpg");
        let long = stored_name(&"ạ".repeat(500), "docx");
        assert_eq!(long.chars().count(), 120);
        assert!(long.ends_with(".docx"));
    }
}
