//! What a notification says: the Vietnamese wording of each event, and the reminder schedule.
//! Pure: the store picks the recipients, the features say what happened.

use chrono::NaiveDate;

mod schedule;
pub use schedule::{CATCH_UP_DAYS, Due, Schedule, parse_days};

/// Where an event happened: the cluster and year, and the unit it is about (if one).
#[derive(Debug, Clone, Default)]
pub struct Place {
    pub cluster: String,
    pub year: i32,
    pub unit: String,
}

impl Place {
    fn of_year(&self) -> String {
        format!("{} năm {}", self.cluster, self.year)
    }
}

/// One notification's words, before it is written for each recipient.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub kind: &'static str,
    pub title: String,
    pub body: String,
}

/// The deadlines reminders are sent for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    Pledge,
    Registration,
    Scoring,
    Dossier,
}

impl Deadline {
    pub const ALL: [Deadline; 4] = [
        Deadline::Pledge,
        Deadline::Registration,
        Deadline::Scoring,
        Deadline::Dossier,
    ];

    /// The key kept in `reminders_sent`.
    pub fn key(self) -> &'static str {
        match self {
            Deadline::Pledge => "pledge",
            Deadline::Registration => "registration",
            Deadline::Scoring => "scoring",
            Deadline::Dossier => "dossier",
        }
    }

    /// What the unit must do by the deadline.
    fn task(self) -> &'static str {
        match self {
            Deadline::Pledge => "ký giao ước thi đua",
            Deadline::Registration => "gửi đăng ký thi đua",
            Deadline::Scoring => "gửi bảng tự chấm điểm",
            Deadline::Dossier => "gửi hồ sơ đề nghị khen thưởng",
        }
    }
}

/// Everything that creates a notification.
#[derive(Debug, Clone)]
pub enum Event<'a> {
    PledgeOpened {
        deadline: Option<NaiveDate>,
    },
    PledgeSignedByAll,
    RegistrationSubmitted,
    RegistrationReturned {
        reason: &'a str,
    },
    SheetSubmitted,
    SheetReturned {
        reason: &'a str,
    },
    SheetVerified {
        changes: &'a [String],
    },
    SheetFinalised,
    DeadlineExtended {
        date: NaiveDate,
    },
    VoteOpened {
        vote: &'a str,
    },
    BallotRecorded {
        vote: &'a str,
        receipt: &'a str,
    },
    ResultsReleased {
        vote: &'a str,
    },
    ElectionResult {
        vote: &'a str,
    },
    ReportRequested,
    ReportSubmitted,
    DossierSent,
    DossierReturned {
        reason: &'a str,
    },
    DossierReceived,
    DossierDecided,
    AccountCreated {
        username: &'a str,
    },
    AccountReset {
        username: &'a str,
    },
    Reminder {
        deadline: Deadline,
        date: NaiveDate,
        days_before: i32,
    },
    LateSummary {
        deadline: Deadline,
        date: NaiveDate,
        days_before: i32,
        late: &'a [String],
    },
}

fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// "còn 3 ngày", "hôm nay là hạn", "đã quá hạn 1 ngày".
pub fn when(days_before: i32) -> String {
    match days_before {
        0 => "hôm nay là hạn".to_string(),
        d if d > 0 => format!("còn {d} ngày"),
        d => format!("đã quá hạn {} ngày", -d),
    }
}

/// The notification's kind, title and body for an event at a place.
pub fn note(e: &Event, p: &Place) -> Note {
    let y = p.of_year();
    let u = &p.unit;
    let (kind, title, body) = match e {
        Event::PledgeOpened { deadline } => (
            "pledge_opened",
            format!("Giao ước thi đua {y} đã mở để ký"),
            match deadline {
                Some(d) => format!("Thủ trưởng đơn vị ký giao ước trước ngày {}.", date(*d)),
                None => "Thủ trưởng đơn vị ký giao ước trên trang giao ước.".to_string(),
            },
        ),
        Event::PledgeSignedByAll => (
            "pledge_signed_by_all",
            format!("Tất cả đơn vị đã ký giao ước thi đua {y}"),
            "100% đơn vị thành viên đã ký; cụm trưởng có thể khóa giao ước.".to_string(),
        ),
        Event::RegistrationSubmitted => (
            "registration_submitted",
            format!("{u} đã gửi đăng ký thi đua {y}"),
            "Xem đăng ký và trả lại nếu cần sửa.".to_string(),
        ),
        Event::RegistrationReturned { reason } => (
            "registration_returned",
            format!("Đăng ký thi đua {y} của {u} bị trả lại"),
            format!("Lý do: {reason}"),
        ),
        Event::SheetSubmitted => (
            "sheet_submitted",
            format!("{u} đã gửi bảng tự chấm điểm {y}"),
            "Bảng điểm đang chờ thẩm định.".to_string(),
        ),
        Event::SheetReturned { reason } => (
            "sheet_returned",
            format!("Bảng điểm {y} của {u} bị trả lại"),
            format!("Lý do: {reason}"),
        ),
        Event::SheetVerified { changes } => (
            "sheet_verified",
            format!("Bảng điểm {y} của {u} đã được thẩm định"),
            if changes.is_empty() {
                "Không có điểm nào được điều chỉnh.".to_string()
            } else {
                format!("Điểm được điều chỉnh: {}.", changes.join("; "))
            },
        ),
        Event::SheetFinalised => (
            "sheet_finalised",
            format!("Bảng điểm {y} của {u} đã được chốt"),
            "Kết quả thẩm định đã có trên bảng điểm.".to_string(),
        ),
        Event::DeadlineExtended { date: d } => (
            "deadline_extended",
            format!("Hạn chấm điểm {y} của {u} được gia hạn"),
            format!("Hạn mới: {}.", date(*d)),
        ),
        Event::VoteOpened { vote } => (
            "vote_opened",
            format!("Đã mở bỏ phiếu: {vote}"),
            format!("{y}. Thủ trưởng đơn vị bỏ phiếu trên trang bỏ phiếu."),
        ),
        Event::BallotRecorded { vote, receipt } => (
            "ballot_recorded",
            format!("Phiếu của đơn vị đã được ghi nhận: {vote}"),
            format!("Mã biên nhận: {receipt}. Giữ mã này để đối chiếu khi công bố kết quả."),
        ),
        Event::ResultsReleased { vote } => (
            "results_released",
            format!("Đã công bố kết quả: {vote}"),
            format!("{y}."),
        ),
        Event::ElectionResult { vote } => (
            "election_result",
            format!("Kết quả bầu cụm trưởng, cụm phó: {vote}"),
            format!("{y}."),
        ),
        Event::ReportRequested => (
            "report_requested",
            format!("Cụm trưởng đề nghị {u} lập báo cáo thành tích"),
            format!(
                "Hồ sơ đề nghị khen thưởng {y} đã được lập; đơn vị lập và trình báo cáo thành tích của mình."
            ),
        ),
        Event::ReportSubmitted => (
            "report_submitted",
            format!("{u} đã trình báo cáo thành tích {y}"),
            "Báo cáo đã sẵn sàng cho hồ sơ đề nghị khen thưởng.".to_string(),
        ),
        Event::DossierSent => (
            "dossier_sent",
            format!("Hồ sơ đề nghị khen thưởng {y} đã được gửi"),
            "Hồ sơ chờ Hội đồng tiếp nhận.".to_string(),
        ),
        Event::DossierReturned { reason } => (
            "dossier_returned",
            format!("Hồ sơ đề nghị khen thưởng {y} bị trả lại"),
            format!("Lý do: {reason}"),
        ),
        Event::DossierReceived => (
            "dossier_received",
            format!("Hội đồng đã tiếp nhận hồ sơ đề nghị khen thưởng {y}"),
            "Hồ sơ đang được xem xét.".to_string(),
        ),
        Event::DossierDecided => (
            "dossier_decided",
            format!("Đã có quyết định khen thưởng {y}"),
            "Xem quyết định trên trang hồ sơ.".to_string(),
        ),
        Event::AccountCreated { username } => (
            "account_created",
            format!("Đã tạo tài khoản {username}"),
            "Mật khẩu một lần đã hiển thị cho bạn; hãy trao cho người dùng.".to_string(),
        ),
        Event::AccountReset { username } => (
            "account_reset",
            format!("Đã đặt lại mật khẩu tài khoản {username}"),
            "Mật khẩu một lần đã hiển thị cho bạn; hãy trao cho người dùng.".to_string(),
        ),
        Event::Reminder {
            deadline,
            date: d,
            days_before,
        } => (
            reminder_kind(*deadline),
            format!("Nhắc hạn: {} {y} ({})", deadline.task(), when(*days_before)),
            format!("Hạn: {}. Đơn vị {u} chưa {}.", date(*d), deadline.task()),
        ),
        Event::LateSummary {
            deadline,
            date: d,
            days_before,
            late,
        } => (
            "reminder_summary",
            format!(
                "{} đơn vị chưa {} {y} ({})",
                late.len(),
                deadline.task(),
                when(*days_before)
            ),
            format!("Hạn: {}. Chưa thực hiện: {}.", date(*d), late.join(", ")),
        ),
    };
    Note {
        kind,
        title: clip(title, 300),
        body: clip(body, 4000),
    }
}

fn reminder_kind(d: Deadline) -> &'static str {
    match d {
        Deadline::Pledge => "reminder_pledge",
        Deadline::Registration => "reminder_registration",
        Deadline::Scoring => "reminder_scoring",
        Deadline::Dossier => "reminder_dossier",
    }
}

/// At most `n` characters (the table's limits), cut on a character, never inside one.
fn clip(s: String, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => {
            let mut t = s[..i].to_string();
            t.pop();
            t.push('…');
            t
        }
        None => s,
    }
}

#[cfg(test)]
mod tests;
