//! Turning audit rows into readable Vietnamese: labels, and before → after per field.

use std::collections::BTreeMap;

use serde_json::Value;

pub const ENTITIES: [(&str, &str); 25] = [
    ("unit", "Đơn vị"),
    ("cluster", "Cụm, khối thi đua"),
    ("cluster_year", "Năm thi đua"),
    ("award_type", "Danh hiệu, hình thức khen thưởng"),
    ("movement", "Phong trào thi đua"),
    ("pledge", "Giao ước thi đua"),
    ("registration", "Đăng ký thi đua"),
    ("criteria_table", "Bảng tiêu chí"),
    ("vote", "Bình xét, bầu chọn"),
    ("scoresheet", "Bảng điểm"),
    ("evidence", "Minh chứng"),
    ("user", "Người dùng"),
    ("tenant", "Đơn vị tổ chức"),
    ("proposal", "Hồ sơ đề nghị khen thưởng"),
    ("achievement_report", "Báo cáo thành tích"),
    ("award_decision", "Quyết định khen thưởng"),
    ("decision", "Quyết định khen thưởng (dự thảo, ban hành)"),
    ("proposal_outcome", "Kết quả khen thưởng của hồ sơ"),
    ("decision_settings", "Thiết lập quyết định khen thưởng"),
    ("unit_award", "Khen thưởng của đơn vị"),
    ("document_template", "Mẫu văn bản"),
    ("tenant_settings", "Quy định về hồ sơ đề nghị"),
    ("year_end_report", "Báo cáo tổng kết"),
    ("mail", "Thư điện tử"),
    (
        "government_flag_selection",
        "Đề nghị Cờ thi đua của Chính phủ",
    ),
];

pub fn entity_label(e: &str) -> &str {
    ENTITIES
        .iter()
        .find(|(k, _)| *k == e)
        .map(|(_, l)| *l)
        .unwrap_or(e)
}

pub fn action_label(a: &str) -> &str {
    match a {
        "created" => "Tạo mới",
        "updated" => "Sửa",
        "deactivated" => "Ngừng hoạt động",
        "reactivated" => "Cho hoạt động lại",
        "archived" => "Lưu trữ",
        "unarchived" => "Bỏ lưu trữ",
        "member_added" => "Thêm đơn vị thành viên",
        "member_removed" => "Bỏ đơn vị thành viên",
        "roles_set" => "Chọn cụm trưởng, cụm phó",
        "phase_set" => "Chuyển giai đoạn",
        "password_changed" => "Đổi mật khẩu",
        "password_reset" => "Cấp lại mật khẩu",
        "disabled" => "Khóa tài khoản",
        "enabled" => "Mở khóa tài khoản",
        "item_added" => "Thêm cam kết",
        "item_updated" => "Sửa cam kết",
        "item_removed" => "Bỏ cam kết",
        "items_copied" => "Chép giao ước năm trước",
        "items_reordered" => "Đổi thứ tự cam kết",
        "opened" => "Mở ký giao ước",
        "signed" => "Ký giao ước",
        "signed_on_paper" => "Ghi nhận chữ ký trên giấy",
        "signing_deadline" => "Đặt hạn ký giao ước",
        "mail_settings" => "Đổi cách nhận thư",
        "resend" => "Gửi lại thư",
        "nominee_withdrawn" => "Rút đề nghị",
        "committee_set" => "Chọn ban kiểm phiếu",
        "locked" => "Khóa giao ước",
        "submitted" => "Nộp",
        "returned" => "Trả lại",
        "registration_deadline_set" => "Đặt hạn đăng ký",
        "candidate_added" => "Thêm người được đề cử",
        "candidate_removed" => "Bỏ người được đề cử",
        "participation_recorded" => "Ghi nhận đơn vị đã bỏ phiếu",
        "paper_counts_entered" => "Nhập kết quả kiểm phiếu giấy",
        "results_released" => "Công bố kết quả",
        "sent" => "Gửi Hội đồng",
        "received" => "Tiếp nhận hồ sơ",
        "decided" => "Ghi quyết định khen thưởng",
        "section_added" => "Thêm mục",
        "section_updated" => "Sửa mục",
        "section_deleted" => "Xóa mục",
        "criterion_added" => "Thêm tiêu chí",
        "criterion_updated" => "Sửa tiêu chí",
        "criterion_deleted" => "Xóa tiêu chí",
        "bands_set" => "Đặt mức xếp loại",
        "criteria_table_set" => "Chọn bảng tiêu chí",
        "scoring_deadline_set" => "Đặt hạn nộp bảng điểm",
        "self_scored" => "Tự chấm điểm",
        "verified" => "Thẩm định điểm",
        "status_changed" => "Chuyển trạng thái bảng điểm",
        "deadline_extended" => "Gia hạn nộp",
        "uploaded" => "Tải lên minh chứng",
        "deleted" => "Xóa",
        "issued" => "Ban hành quyết định",
        "revoked" => "Thu hồi quyết định",
        "government_flags_selected" => "Chọn đơn vị dẫn đầu đề nghị Cờ thi đua của Chính phủ",
        other => other,
    }
}

fn field_label(k: &str) -> &str {
    match k {
        "code" => "Mã",
        "name" => "Tên",
        "short_name" => "Tên viết tắt",
        "kind" => "Loại",
        "head_name" => "Thủ trưởng",
        "head_title" => "Chức vụ thủ trưởng",
        "place_name" => "Địa danh",
        "address" => "Địa chỉ",
        "phone" => "Điện thoại",
        "email" => "Thư điện tử",
        "superior" => "Cơ quan chủ quản",
        "mail_mode" => "Cách nhận thư",
        "reminder_days" => "Nhắc hạn trước (ngày)",
        "reminder_day_after" => "Nhắc thêm sau hạn",
        "evidence_quota_mb" => "Dung lượng minh chứng mỗi bảng (MB)",
        "active" => "Đang hoạt động",
        "archived" => "Lưu trữ",
        "decision_number" => "Số quyết định",
        "decision_date" => "Ngày quyết định",
        "decision_issuer" => "Cơ quan ban hành",
        "description" => "Mô tả",
        "year" => "Năm",
        "cluster_id" => "Cụm, khối",
        "unit_id" => "Đơn vị",
        "leader_unit_id" => "Cụm trưởng",
        "deputy_unit_id" => "Cụm phó",
        "phase" => "Giai đoạn",
        "username" => "Tên đăng nhập",
        "full_name" => "Họ và tên",
        "role" => "Vai trò",
        "disabled" => "Đã khóa",
        "status" => "Trạng thái",
        "state" => "Trạng thái",
        "return_reason" => "Lý do trả lại",
        "opened_at" => "Mở ký lúc",
        "locked_at" => "Khóa lúc",
        "registration_counts" => "Số người đăng ký danh hiệu",
        "registration_initiatives" => "Sáng kiến, đề tài",
        "reason" => "Lý do",
        "filename" => "Tệp",
        "scoring_deadline" => "Hạn nộp",
        "deadline_override" => "Hạn riêng",
        "criteria_table_id" => "Bảng tiêu chí",
        "bonus_cap" => "Điểm thưởng tối đa",
        "penalty_cap" => "Điểm trừ tối đa",
        "max_points" => "Điểm tối đa",
        "evidence_required" => "Bắt buộc minh chứng",
        "tie_break_codes" => "Mục phân định khi bằng điểm",
        other => other,
    }
}

/// One changed field: label, value before, value after ("" where there was none).
#[derive(Debug, PartialEq)]
pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// Names for ids that appear in audit values (units, clusters), so the page shows names.
#[derive(Default)]
pub struct Names {
    pub units: BTreeMap<i64, String>,
    pub clusters: BTreeMap<i64, String>,
}

fn show(key: &str, v: &Value, names: &Names) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(true) => "có".into(),
        Value::Bool(false) => "không".into(),
        Value::Number(n) => {
            let id = n.as_i64();
            let named = match key {
                "unit_id" | "leader_unit_id" | "deputy_unit_id" => {
                    id.and_then(|i| names.units.get(&i))
                }
                "cluster_id" => id.and_then(|i| names.clusters.get(&i)),
                _ => None,
            };
            named.cloned().unwrap_or_else(|| n.to_string())
        }
        Value::String(s) if key == "phase" => crate::org::model::phase_label(s).to_string(),
        Value::String(s) if key == "role" => crate::auth::Role::parse(s)
            .map(|r| r.label().to_string())
            .unwrap_or_else(|| s.clone()),
        Value::String(s) if key == "kind" && (s == "cum" || s == "khoi") => {
            crate::org::model::kind_label(s).to_string()
        }
        Value::String(s) if key == "decision_date" => {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_else(|_| s.clone())
        }
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The fields of an audit row, before → after, in a stable order.
pub fn changes(before: Option<&Value>, after: Option<&Value>, names: &Names) -> Vec<Change> {
    let empty = serde_json::Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .map(|k| Change {
            field: field_label(k).to_string(),
            before: b.get(k).map(|v| show(k, v, names)).unwrap_or_default(),
            after: a.get(k).map(|v| show(k, v, names)).unwrap_or_default(),
        })
        .filter(|c| c.before != c.after || before.is_none() || after.is_none())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changes_read_as_before_and_after_with_names() {
        let mut names = Names::default();
        names.units.insert(7, "Học viện Tòa án".into());
        names.units.insert(8, "Ban Thanh tra".into());
        let c = changes(
            Some(&json!({"leader_unit_id": null, "deputy_unit_id": 8})),
            Some(&json!({"leader_unit_id": 7, "deputy_unit_id": 8})),
            &names,
        );
        assert_eq!(
            c,
            vec![Change {
                field: "Cụm trưởng".into(),
                before: "".into(),
                after: "Học viện Tòa án".into()
            }]
        );
        let c = changes(
            None,
            Some(&json!({"phase": "scoring", "active": true})),
            &names,
        );
        assert_eq!(c[0].after, "có");
        assert_eq!(c[1].after, "Chấm điểm, thẩm định");
        assert_eq!(entity_label("cluster_year"), "Năm thi đua");
        assert_eq!(action_label("roles_set"), "Chọn cụm trưởng, cụm phó");
    }
}
