//! The demo library table: the shape of the table in force in Cần Thơ in 2025 — 100 points
//! (10 + 90), bonus up to 3, penalty up to 3, ratings at 95, 85 and 75 provided no criterion
//! scored 0.

use rust_decimal::Decimal;
use serde_json::json;

use crate::audit::Actor;
use crate::db::TenantTx;
use crate::scoring::model::SectionKind;

use super::model::{Draft, DraftBand, DraftCriterion, DraftSection};
use super::store;

pub const NAME: &str = "Bảng tiêu chí chấm điểm, xếp loại thi đua năm 2025 (mẫu Cần Thơ)";

fn d(s: &str) -> Decimal {
    s.parse().expect("a figure written in this file")
}

fn c(
    code: &str,
    text: &str,
    max: &str,
    step: &str,
    evidence: bool,
    guidance: &str,
) -> DraftCriterion {
    DraftCriterion {
        code: code.into(),
        text: text.into(),
        max_points: d(max),
        step: d(step),
        guidance: guidance.into(),
        evidence_required: evidence,
    }
}

pub fn can_tho_2025() -> Draft {
    Draft {
        name: NAME.into(),
        description: "Theo cách chấm điểm, xếp loại thi đua của các cụm, khối thi đua thành phố Cần Thơ năm 2025: \
                      thang điểm 100 (phần I: 10 điểm, phần II: 90 điểm), điểm thưởng tối đa 3, điểm trừ tối đa 3; \
                      xếp loại Xuất sắc, Tốt, Khá khi không có tiêu chí nào bị 0 điểm."
            .into(),
        bonus_cap: d("3"),
        penalty_cap: d("3"),
        tie_break_codes: vec!["II".into(), "I".into()],
        sections: vec![
            DraftSection {
                code: "I".into(),
                title: "Công tác chỉ đạo, tổ chức phong trào thi đua".into(),
                kind: SectionKind::Standard,
                criteria: vec![
                    c(
                        "1.1",
                        "Ban hành kế hoạch, hướng dẫn tổ chức phong trào thi đua năm; tổ chức phát động, ký kết giao ước thi đua",
                        "3",
                        "0.5",
                        true,
                        "Ban hành kế hoạch và phát động trước ngày 31/3: 3 điểm; ban hành chậm: 2 điểm; không ban hành: 0 điểm.",
                    ),
                    c(
                        "1.2",
                        "Kiện toàn Hội đồng Thi đua - Khen thưởng; bố trí cán bộ làm công tác thi đua, khen thưởng",
                        "2",
                        "0.5",
                        false,
                        "Có quyết định kiện toàn và phân công cán bộ: 2 điểm; chưa kiện toàn kịp thời: 1 điểm.",
                    ),
                    c(
                        "1.3",
                        "Tổ chức sơ kết, tổng kết phong trào thi đua; phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến",
                        "3",
                        "0.5",
                        true,
                        "Có báo cáo sơ kết 6 tháng, tổng kết năm và ít nhất một điển hình được giới thiệu, nhân rộng: 3 điểm; \
                         thiếu mỗi nội dung trừ 1 điểm.",
                    ),
                    c(
                        "1.4",
                        "Thực hiện chế độ thông tin, báo cáo về công tác thi đua, khen thưởng đúng thời hạn",
                        "2",
                        "0.5",
                        false,
                        "Đủ và đúng hạn: 2 điểm; mỗi báo cáo chậm trừ 0,5 điểm.",
                    ),
                ],
            },
            DraftSection {
                code: "II".into(),
                title: "Kết quả thực hiện nhiệm vụ chính trị, chuyên môn".into(),
                kind: SectionKind::Standard,
                criteria: vec![
                    c(
                        "2.1",
                        "Hoàn thành các chỉ tiêu, nhiệm vụ chuyên môn được giao trong năm",
                        "40",
                        "0.5",
                        true,
                        "Hoàn thành 100% chỉ tiêu trở lên: 40 điểm; mỗi chỉ tiêu không hoàn thành trừ 5 điểm; \
                         không hoàn thành quá một nửa số chỉ tiêu: 0 điểm.",
                    ),
                    c(
                        "2.2",
                        "Thực hiện cải cách hành chính, chuyển đổi số, ứng dụng công nghệ thông tin",
                        "10",
                        "0.5",
                        false,
                        "Theo kết quả đánh giá chỉ số cải cách hành chính của cơ quan có thẩm quyền trong năm.",
                    ),
                    c(
                        "2.3",
                        "Công tác xây dựng Đảng, đoàn thể; thực hành tiết kiệm, chống lãng phí; phòng, chống tham nhũng, tiêu cực",
                        "10",
                        "0.5",
                        false,
                        "Tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên và không có vi phạm: 10 điểm.",
                    ),
                    c(
                        "2.4",
                        "Công tác tổ chức cán bộ, đào tạo, bồi dưỡng; chấp hành kỷ luật, kỷ cương hành chính",
                        "10",
                        "0.5",
                        false,
                        "Không có cán bộ vi phạm kỷ luật, đạt kế hoạch đào tạo, bồi dưỡng: 10 điểm.",
                    ),
                    c(
                        "2.5",
                        "Quản lý tài chính, tài sản công; thực hiện quy chế dân chủ ở cơ sở",
                        "10",
                        "0.5",
                        false,
                        "Không có sai phạm qua kiểm tra, kiểm toán; tổ chức hội nghị cán bộ, công chức đúng quy định: 10 điểm.",
                    ),
                    c(
                        "2.6",
                        "Tham gia các hoạt động chung của cụm thi đua; thực hiện nội dung giao ước thi đua",
                        "10",
                        "0.5",
                        true,
                        "Tham gia đầy đủ các hoạt động do cụm tổ chức và thực hiện đủ nội dung giao ước: 10 điểm; \
                         vắng mỗi hoạt động không có lý do trừ 2 điểm.",
                    ),
                ],
            },
            DraftSection {
                code: "III".into(),
                title: "Điểm thưởng".into(),
                kind: SectionKind::Bonus,
                criteria: vec![
                    c(
                        "3.1",
                        "Có sáng kiến, mô hình mới, cách làm hay được cấp có thẩm quyền công nhận",
                        "1",
                        "0.5",
                        true,
                        "Mỗi sáng kiến, mô hình được công nhận: 0,5 điểm, tối đa 1 điểm.",
                    ),
                    c(
                        "3.2",
                        "Được cấp trên khen thưởng đột xuất hoặc theo chuyên đề trong năm",
                        "1",
                        "0.5",
                        true,
                        "Mỗi hình thức khen thưởng: 0,5 điểm, tối đa 1 điểm.",
                    ),
                    c(
                        "3.3",
                        "Đăng cai, tổ chức thành công hoạt động chung của cụm thi đua",
                        "1",
                        "1",
                        false,
                        "",
                    ),
                ],
            },
            DraftSection {
                code: "IV".into(),
                title: "Điểm trừ".into(),
                kind: SectionKind::Penalty,
                criteria: vec![
                    c(
                        "4.1",
                        "Có cán bộ, công chức, người lao động bị xử lý kỷ luật từ khiển trách trở lên",
                        "2",
                        "1",
                        false,
                        "Mỗi trường hợp trừ 1 điểm.",
                    ),
                    c(
                        "4.2",
                        "Gửi báo cáo, hồ sơ thi đua, khen thưởng chậm so với thời hạn",
                        "1",
                        "0.5",
                        false,
                        "Mỗi lần chậm trừ 0,5 điểm.",
                    ),
                    c(
                        "4.3",
                        "Không tham gia hoạt động chung của cụm thi đua mà không có lý do chính đáng",
                        "1",
                        "0.5",
                        false,
                        "Mỗi lần trừ 0,5 điểm.",
                    ),
                ],
            },
        ],
        bands: vec![
            DraftBand { name: "Xuất sắc".into(), min_percent: d("95"), requires_no_zero: true },
            DraftBand { name: "Tốt".into(), min_percent: d("85"), requires_no_zero: true },
            DraftBand { name: "Khá".into(), min_percent: d("75"), requires_no_zero: true },
            DraftBand { name: "Hoàn thành nhiệm vụ".into(), min_percent: d("0"), requires_no_zero: false },
        ],
    }
}

/// Puts the demo table into the actor's tenant library unless a library table of that name is
/// there already; returns its id. The connection must be allowed to see the tenant's rows.
pub async fn load(conn: &mut TenantTx, actor: &Actor) -> anyhow::Result<i64> {
    if let Some(id) = store::library_table_named(conn, NAME, None).await? {
        return Ok(id);
    }
    let id = store::insert_draft(
        conn,
        actor,
        &can_tho_2025(),
        None,
        "created",
        json!({ "demo": true }),
    )
    .await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::criteria::model::{check_draft, usability_problems};

    #[test]
    fn the_demo_table_has_the_can_tho_shape_and_is_usable() {
        let t = can_tho_2025();
        assert!(check_draft(&t).is_empty(), "{:?}", check_draft(&t));
        assert!(
            usability_problems(&t).is_empty(),
            "{:?}",
            usability_problems(&t)
        );
        assert_eq!(t.sum_of(SectionKind::Standard), d("100"));
        let section = |code: &str| t.sections.iter().find(|s| s.code == code).unwrap();
        let sum = |code: &str| {
            section(code)
                .criteria
                .iter()
                .map(|c| c.max_points)
                .sum::<Decimal>()
        };
        assert_eq!(sum("I"), d("10"));
        assert_eq!(sum("II"), d("90"));
        assert!(t.sum_of(SectionKind::Bonus) >= t.bonus_cap);
        assert!(t.sum_of(SectionKind::Penalty) >= t.penalty_cap);
        assert!(
            t.sections
                .iter()
                .flat_map(|s| &s.criteria)
                .any(|c| c.evidence_required)
        );
    }
}
