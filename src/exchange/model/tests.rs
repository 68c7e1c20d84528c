use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use super::*;

fn unit(code: &str) -> Unit {
    Unit {
        code: code.into(),
        name: format!("Đơn vị {code}"),
        short_name: String::new(),
        kind: "Công an".into(),
        superior: String::new(),
        head_name: "Nguyễn Văn An".into(),
        head_title: "Giám đốc".into(),
        place: "Lạng Sơn".into(),
        address: String::new(),
        phone: String::new(),
        email: String::new(),
        active: true,
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn sample() -> Document {
    let decision = Decision {
        number: "15/QĐ-UBND".into(),
        date: d(2024, 1, 9),
        issuer: "UBND tỉnh Lạng Sơn".into(),
    };
    Document {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: Utc.with_ymd_and_hms(2026, 12, 2, 3, 0, 0).unwrap(),
        tenant: Tenant {
            code: "langson".into(),
            name: "Hội đồng Thi đua - Khen thưởng tỉnh Lạng Sơn".into(),
            place: "Lạng Sơn".into(),
        },
        units: vec![unit("ca-ls"), unit("tand-ls")],
        clusters: vec![Cluster {
            name: "Cụm Nội chính".into(),
            kind: "cum".into(),
            decision_number: String::new(),
            decision_date: None,
            decision_issuer: String::new(),
            description: String::new(),
            superior: String::new(),
            archived: false,
        }],
        cluster_years: vec![ClusterYear {
            cluster: "Cụm Nội chính".into(),
            year: 2023,
            phase: "closed".into(),
            members: vec!["ca-ls".into(), "tand-ls".into()],
            leader: Some("ca-ls".into()),
            deputy: Some("tand-ls".into()),
        }],
        award_types: vec![AwardType {
            name: "Cờ thi đua của UBND tỉnh".into(),
            target: "collective".into(),
            level: "ministry_province".into(),
            quota_per_cluster: Some(1),
            vote_threshold: "80.00".into(),
            vote_denominator: "all_members".into(),
            prerequisite: None,
            position: 20,
            active: true,
        }],
        decisions: vec![decision.clone()],
        awards: vec![Award {
            unit: "ca-ls".into(),
            year: 2023,
            award: "Cờ thi đua của UBND tỉnh".into(),
            award_type: Some("Cờ thi đua của UBND tỉnh".into()),
            decision_number: decision.number,
            decision_date: Some(decision.date),
            issuer: decision.issuer,
            from_decision: true,
        }],
    }
}

fn messages(d: &Document) -> Vec<String> {
    check(d).iter().map(|p| p.to_string()).collect()
}

#[test]
fn the_sample_is_clean_and_reads_back_equal() {
    let d = sample();
    assert!(check(&d).is_empty(), "{:?}", check(&d));
    assert_eq!(parse(&to_text(&d)).unwrap(), d);
}

#[test]
fn another_format_a_newer_version_and_not_json_are_refused_by_name() {
    let text = to_text(&sample());
    let not_json = parse("{ \"format\": ").unwrap_err().to_string();
    assert!(not_json.contains("không phải JSON hợp lệ"), "{not_json}");
    let other = parse(&text.replace("thidua-exchange", "other"))
        .unwrap_err()
        .to_string();
    assert!(
        other.contains("không theo định dạng “thidua-exchange”"),
        "{other}"
    );
    let newer = parse(&text.replace("\"version\": 1", "\"version\": 2"))
        .unwrap_err()
        .to_string();
    assert!(
        newer.contains("phiên bản 2") && newer.contains("mới hơn"),
        "{newer}"
    );
    let extra = parse(&text.replace("\"active\": true", "\"active\": true, \"extra\": 1"))
        .unwrap_err()
        .to_string();
    assert!(extra.contains("extra") && extra.contains("dòng"), "{extra}");
}

#[test]
fn a_bad_unit_code_and_broken_references_are_named_by_element() {
    let mut d = sample();
    d.units[1].code = "TAND LS".into();
    d.awards[0].unit = "khong-co".into();
    d.cluster_years[0].deputy = Some("ca-ls".into());
    d.awards[0].decision_number = "16/QĐ-UBND".into();
    let m = messages(&d);
    assert!(
        m.iter()
            .any(|l| l.starts_with("Lỗi: units[1] (mã “TAND LS”): code: Mã đơn vị chỉ gồm")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|l| l.contains("awards[0]") && l.contains("không có đơn vị mã “khong-co”")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|l| l.contains("cụm trưởng và cụm phó phải là hai đơn vị khác nhau")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|l| l.contains("from_decision: không có quyết định")),
        "{m:?}"
    );
    // The members list names TAND LS's old code, which the file no longer has.
    assert!(
        m.iter()
            .any(|l| l.contains("members: không có đơn vị mã “tand-ls”")),
        "{m:?}"
    );
}

#[test]
fn a_unit_in_two_clusters_of_a_kind_in_one_year_is_refused() {
    let mut d = sample();
    let mut other = d.clusters[0].clone();
    other.name = "Cụm khác".into();
    d.clusters.push(other);
    let mut y = d.cluster_years[0].clone();
    y.cluster = "Cụm khác".into();
    y.leader = None;
    y.deputy = None;
    d.cluster_years.push(y);
    let m = messages(&d);
    assert!(
        m.iter()
            .any(|l| l.contains("đã thuộc “Cụm Nội chính” năm 2023")),
        "{m:?}"
    );
}

#[test]
fn the_plan_creates_what_is_missing_and_reports_what_differs() {
    let file = sample();
    let mut target = sample();
    target.units.remove(1);
    target.units[0].phone = "0205 3870 000".into();
    target.awards.clear();
    let p = plan(&file, &target);
    assert_eq!(
        p.units.line(),
        "Đơn vị: 1 tạo mới, 0 đã có, 1 khác (giữ nguyên)"
    );
    assert_eq!(p.units.changes[0].1, Change::Differs(vec!["phone".into()]));
    assert_eq!(p.awards.created(), 1);
    assert_eq!(p.created(), 2);
    let report = p.report(true);
    assert!(report.contains(&"Khác (giữ nguyên bản đang có): units “ca-ls”: phone".to_string()));
    assert_eq!(report.last().unwrap(), "Đã nhập 2 phần tử mới.");
    let again = plan(&file, &file).report(true);
    assert_eq!(
        again.last().unwrap(),
        "Không có gì thay đổi: mọi phần tử của tệp đều đã có."
    );
}

prop_compose! {
    fn any_text()(s in "[a-zA-Z0-9 àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễđ/-]{2,30}") -> String {
        s.trim().to_string() + "x"
    }
}

prop_compose! {
    /// A valid document: units with distinct codes, each in the one cluster's year, awards by
    /// hand or from the decisions listed.
    fn any_document()(
        codes in proptest::collection::btree_set("[a-z0-9][a-z0-9.-]{0,12}", 1..8),
        cluster in any_text(),
        year in 2000i32..2100,
        numbers in proptest::collection::btree_set("[0-9]{1,4}/QĐ-[A-Z]{2,6}", 0..4),
        award_names in proptest::collection::btree_set(any_text(), 1..4),
        days in 0i64..20000,
        decided in any::<bool>(),
    ) -> Document {
        let mut d = sample();
        d.units = codes.iter().map(|c| unit(c)).collect();
        d.clusters[0].name = cluster.clone();
        let members: Vec<String> = codes.iter().cloned().collect();
        d.cluster_years = vec![ClusterYear {
            cluster,
            year,
            phase: "under_way".into(),
            leader: members.first().cloned(),
            deputy: members.get(1).cloned(),
            members: members.clone(),
        }];
        let date = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + chrono::Duration::days(days);
        d.decisions = numbers.iter().map(|n| Decision {
            number: n.clone(),
            date,
            issuer: "UBND tỉnh Lạng Sơn".into(),
        }).collect();
        d.awards = Vec::new();
        for (i, code) in members.iter().enumerate() {
            for name in &award_names {
                let from = decided && !d.decisions.is_empty();
                let x = &d.decisions.get(i % d.decisions.len().max(1));
                d.awards.push(Award {
                    unit: code.clone(),
                    year,
                    award: name.clone(),
                    award_type: None,
                    decision_number: x.map(|x| x.number.clone()).unwrap_or_default(),
                    decision_date: x.map(|x| x.date),
                    issuer: x.map(|x| x.issuer.clone()).unwrap_or_default(),
                    from_decision: from,
                });
            }
        }
        d.normalise();
        d
    }
}

proptest! {
    #[test]
    fn any_valid_document_passes_reads_back_equal_and_imports_onto_itself_as_nothing(d in any_document()) {
        prop_assert!(check(&d).is_empty(), "{:?}", check(&d));
        prop_assert_eq!(&parse(&to_text(&d)).unwrap(), &d);
        let same = plan(&d, &d);
        prop_assert_eq!(same.created(), 0);
        prop_assert!(same.sections().iter().all(|s| s.changes.iter().all(|(_, c)| *c == Change::Same)));
        let mut empty = d.clone();
        empty.units.clear();
        empty.clusters.clear();
        empty.cluster_years.clear();
        empty.award_types.clear();
        empty.decisions.clear();
        empty.awards.clear();
        let all = plan(&d, &empty);
        let total = d.units.len() + d.clusters.len() + d.cluster_years.len()
            + d.award_types.len() + d.decisions.len() + d.awards.len();
        prop_assert_eq!(all.created(), total);
    }
}
