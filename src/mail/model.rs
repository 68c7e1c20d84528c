//! Pure rules of e-mail: what a message says (plain text and HTML, in Vietnamese, with the
//! absolute link), when a failed one is tried again, and what an SMTP setting means.

use askama::Template;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Deserialize;

/// A user's choice of mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Immediate,
    Digest,
    None,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Immediate, Mode::Digest, Mode::None];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Immediate => "immediate",
            Mode::Digest => "digest",
            Mode::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Mode::Immediate => "Gửi ngay từng thông báo",
            Mode::Digest => "Gửi một thư tổng hợp mỗi ngày",
            Mode::None => "Không gửi thư",
        }
    }
}

/// One notification as the outbox keeps it.
#[derive(Debug, Clone, Deserialize)]
pub struct Item {
    pub title: String,
    #[serde(default)]
    pub body: String,
    pub link: String,
    #[serde(default)]
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// What the worker needs to write one message.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub tenant_name: String,
    pub to_name: String,
    pub subject: String,
    pub digest_day: Option<NaiveDate>,
    pub items: Vec<Item>,
    pub item_total: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The address of a page of thidua from outside: the public base and the path inside.
pub fn absolute(base: &str, link: &str) -> String {
    format!("{}{}", base.trim_end_matches('/'), link)
}

struct ItemView {
    title: String,
    body: String,
    actor: String,
    at: String,
    url: String,
}

#[derive(Template)]
#[template(path = "mail/letter.html")]
struct LetterHtml<'a> {
    subject: &'a str,
    to_name: &'a str,
    tenant_name: &'a str,
    intro: String,
    items: Vec<ItemView>,
    more: i32,
    settings_url: String,
}

/// The message for one outbox row.
pub fn render(m: &Outgoing, base: &str) -> Letter {
    let subject = format!("[thidua] {}", one_line(&m.subject));
    let intro = match m.digest_day {
        Some(d) => format!(
            "Các thông báo mới của anh/chị trên thidua đến ngày {}:",
            d.format("%d/%m/%Y")
        ),
        None => "Anh/chị có một thông báo mới trên thidua:".to_string(),
    };
    let items: Vec<ItemView> = m
        .items
        .iter()
        .map(|i| ItemView {
            title: one_line(&i.title),
            body: i.body.clone(),
            actor: i.actor.clone(),
            at: crate::web::vn::datetime(i.at),
            url: absolute(base, &i.link),
        })
        .collect();
    let more = (m.item_total - items.len() as i32).max(0);
    let settings_url = absolute(base, "/account/notifications");
    let mut text = format!("Kính gửi {},\n\n{intro}\n", m.to_name);
    for i in &items {
        text.push_str(&format!("\n* {}\n", i.title));
        if !i.body.is_empty() {
            text.push_str(&format!("  {}\n", i.body.replace('\n', "\n  ")));
        }
        if !i.actor.is_empty() {
            text.push_str(&format!("  Người thực hiện: {}\n", i.actor));
        }
        text.push_str(&format!("  Lúc: {}\n  Xem: {}\n", i.at, i.url));
    }
    if more > 0 {
        text.push_str(&format!(
            "\n… và {more} thông báo khác: {}\n",
            absolute(base, "/notifications")
        ));
    }
    text.push_str(&format!(
        "\n-- \nthidua · {}\nThư gửi tự động, xin đừng trả lời. Chọn cách nhận thư: {settings_url}\n",
        m.tenant_name
    ));
    let html = LetterHtml {
        subject: &subject,
        to_name: &m.to_name,
        tenant_name: &m.tenant_name,
        intro,
        items,
        more,
        settings_url,
    }
    .render()
    .unwrap_or_default();
    Letter {
        subject,
        text,
        html,
    }
}

/// A header line may not break: a title's line ends become spaces.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The waits after the 1st, 2nd, … failed attempt; after the last one the message is "failed".
pub const BACKOFF_MINUTES: [i64; 5] = [1, 5, 30, 120, 720];

/// When to try again after `attempts` attempts have failed, or None: give up.
pub fn next_attempt(attempts: i32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let i = usize::try_from(attempts).ok()?.checked_sub(1)?;
    BACKOFF_MINUTES.get(i).map(|m| now + Duration::minutes(*m))
}

/// An SMTP relay as `--smtp-url` names it: `smtp://host[:port]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpTarget {
    pub host: String,
    pub port: u16,
}

/// Only plain SMTP to a relay the operator runs (on the machine or its private network): thidua
/// carries no TLS stack, the relay does TLS and authentication onward.
pub fn parse_smtp_url(url: &str) -> Result<SmtpTarget, String> {
    let rest = url
        .strip_prefix("smtp://")
        .ok_or_else(|| format!("'{url}': chỉ hỗ trợ dạng smtp://máy[:cổng]"))?;
    let rest = rest.trim_end_matches('/');
    if rest.contains('@') || rest.contains('/') || rest.is_empty() {
        return Err(format!(
            "'{url}': chỉ hỗ trợ dạng smtp://máy[:cổng], không kèm tài khoản hay đường dẫn"
        ));
    }
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => (
            h,
            p.parse::<u16>()
                .map_err(|_| format!("'{url}': cổng không hợp lệ"))?,
        ),
        _ => (rest, 25),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() || port == 0 {
        return Err(format!("'{url}': thiếu tên máy hoặc cổng"));
    }
    Ok(SmtpTarget {
        host: host.to_string(),
        port,
    })
}

/// The domain of the sender's address, for Message-IDs.
pub fn domain_of(address: &str) -> &str {
    address
        .rsplit_once('@')
        .map(|(_, d)| d.trim_end_matches('>'))
        .filter(|d| !d.is_empty())
        .unwrap_or("thidua.local")
}

/// The same for every attempt at one outbox row, so a receiver can tell a repeat.
pub fn message_id(row_id: i64, domain: &str) -> String {
    format!("<thidua.outbox.{row_id}@{domain}>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn t(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, h, 0, 0).unwrap()
    }

    fn one(title: &str, link: &str) -> Outgoing {
        Outgoing {
            tenant_name: "Tòa án nhân dân tối cao".into(),
            to_name: "Nguyễn Văn An".into(),
            subject: title.into(),
            digest_day: None,
            items: vec![Item {
                title: title.into(),
                body: "Lý do: thiếu minh chứng <b>tiêu chí 2</b>.".into(),
                link: link.into(),
                actor: "Trần Thị Bình — Học viện Tòa án".into(),
                at: t(3),
            }],
            item_total: 1,
        }
    }

    #[test]
    fn a_letter_has_the_absolute_link_in_both_parts_and_escapes_html() {
        let l = render(
            &one("Bảng điểm bị trả lại", "/years/7/scores"),
            "https://thidua.example.vn/",
        );
        assert_eq!(l.subject, "[thidua] Bảng điểm bị trả lại");
        assert!(l.text.contains("https://thidua.example.vn/years/7/scores"));
        assert!(l.text.contains("Kính gửi Nguyễn Văn An"));
        assert!(l.text.contains("Lúc: 01/12/2026 10:00"), "{}", l.text);
        assert!(
            l.html
                .contains(r#"href="https://thidua.example.vn/years/7/scores""#)
        );
        assert!(l.html.contains("tiêu chí 2"));
        assert!(!l.html.contains("<b>tiêu chí"), "escaped: {}", l.html);
    }

    #[test]
    fn a_digest_says_its_day_and_how_many_more_there_are() {
        let mut m = one("Tổng hợp 60 thông báo ngày 01/12/2026", "/x");
        m.digest_day = NaiveDate::from_ymd_opt(2026, 12, 1);
        m.item_total = 60;
        let l = render(&m, "http://h:8080");
        assert!(l.text.contains("đến ngày 01/12/2026"));
        assert!(
            l.text
                .contains("… và 59 thông báo khác: http://h:8080/notifications")
        );
        assert!(l.html.contains("59 thông báo khác"));
    }

    #[test]
    fn backoff_grows_then_gives_up() {
        assert_eq!(next_attempt(0, t(0)), None);
        assert_eq!(next_attempt(1, t(0)), Some(t(0) + Duration::minutes(1)));
        assert_eq!(next_attempt(5, t(0)), Some(t(12)));
        assert_eq!(next_attempt(6, t(0)), None);
    }

    #[test]
    fn smtp_urls() {
        let ok = |u: &str| parse_smtp_url(u).unwrap();
        assert_eq!(ok("smtp://localhost").port, 25);
        assert_eq!(
            ok("smtp://127.0.0.1:2525/"),
            SmtpTarget {
                host: "127.0.0.1".into(),
                port: 2525
            }
        );
        assert_eq!(ok("smtp://[::1]:26").host, "::1");
        for bad in [
            "smtps://h",
            "smtp://u:p@h",
            "smtp://h:x",
            "smtp://",
            "h:25",
            "smtp://h:0",
        ] {
            assert!(parse_smtp_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn message_ids_are_stable_and_use_the_sender_domain() {
        assert_eq!(
            message_id(42, domain_of("thidua <no-reply@toaan.gov.vn>")),
            "<thidua.outbox.42@toaan.gov.vn>"
        );
        assert_eq!(domain_of("bad"), "thidua.local");
    }

    proptest! {
        #[test]
        fn retries_are_later_and_later_and_end(attempts in 1i32..20) {
            match (next_attempt(attempts, t(0)), next_attempt(attempts + 1, t(0))) {
                (Some(a), Some(b)) => prop_assert!(t(0) < a && a < b),
                (Some(_), None) | (None, None) => {}
                (None, Some(_)) => prop_assert!(false, "gave up, then retried"),
            }
        }

        #[test]
        fn a_subject_is_one_line_whatever_the_title(title in "\\PC{1,40}(\n\\PC{1,40})?") {
            let l = render(&one(&title, "/a"), "http://h");
            prop_assert!(!l.subject.contains('\n') && !l.subject.contains('\r'));
            prop_assert!(l.text.contains("http://h/a"));
        }
    }
}
