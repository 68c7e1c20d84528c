//! The Government-flag share as Công văn 5007/BNV-TĐKT (2023) words it: proposals for the
//! Government's flag are at most the share (20%) of the units voted to lead their cluster or
//! bloc, and the council chooses among those units only. Plain functions, unit-tested.
//!
//! A cluster's leading unit is the unit its award vote passed for the cluster's top award: the
//! award type the Government flag names as its prerequisite (the ministry's or province's flag).
//! Where a council lets a cluster propose more than one of that flag, the first of them leads:
//! most votes for, then the better verified rank; a tie on both leaves the cluster without a
//! leading unit until the cluster settles it.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

/// A nominee of a cluster's dossier for the cluster's top award, with its vote's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Passed {
    pub cluster_year_id: i64,
    pub cluster_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub votes_for: i32,
    pub rank: Option<i32>,
}

/// The leading unit of each cluster, in the order given (one per cluster year), and the names of
/// the clusters whose first two tie on votes and rank.
pub fn leading_units(passed: &[Passed]) -> (Vec<Passed>, Vec<String>) {
    let mut by_cluster: BTreeMap<i64, Vec<&Passed>> = BTreeMap::new();
    let mut order = Vec::new();
    for p in passed {
        let e = by_cluster.entry(p.cluster_year_id).or_default();
        if e.is_empty() {
            order.push(p.cluster_year_id);
        }
        e.push(p);
    }
    let key = |p: &Passed| (-p.votes_for, p.rank.unwrap_or(i32::MAX));
    let mut leaders = Vec::new();
    let mut tied = Vec::new();
    for c in order {
        let mut ps = by_cluster.remove(&c).unwrap_or_default();
        ps.sort_by_key(|p| key(p));
        match ps.as_slice() {
            [a, b, ..] if key(a) == key(b) => tied.push(a.cluster_name.clone()),
            [a, ..] => leaders.push((*a).clone()),
            [] => {}
        }
    }
    (leaders, tied)
}

/// How many Government flags the council may propose: the tenant's share of the leading units,
/// by the settings' own rule.
pub fn limit(share: Decimal, leaders: usize) -> u32 {
    crate::settings::model::government_flag_limit(share, u32::try_from(leaders).unwrap_or(0))
}

/// The council's choice, as (cluster year, unit) pairs ticked on the page: refused, with the
/// reason in Vietnamese, when a cluster is chosen twice, a unit does not lead the cluster it is
/// chosen for, a unit is chosen twice, or there are more than `limit`.
pub fn check_selection(
    leaders: &[Passed],
    chosen: &[(i64, i64)],
    limit: u32,
    share: Decimal,
    year: i32,
) -> Result<(), String> {
    let cluster_name = |c: i64| {
        leaders
            .iter()
            .find(|l| l.cluster_year_id == c)
            .map(|l| l.cluster_name.clone())
            .unwrap_or_else(|| "một cụm, khối".into())
    };
    let mut clusters = BTreeSet::new();
    for (c, _) in chosen {
        if !clusters.insert(*c) {
            return Err(format!(
                "Hai đơn vị được chọn cùng dẫn đầu {}: mỗi cụm, khối chỉ có một đơn vị dẫn đầu.",
                cluster_name(*c)
            ));
        }
    }
    for (c, u) in chosen {
        if !leaders
            .iter()
            .any(|l| l.cluster_year_id == *c && l.unit_id == *u)
        {
            return Err(format!(
                "Đơn vị được chọn không phải đơn vị được bình xét dẫn đầu {} năm {year}; chỉ \
                 chọn trong danh sách các đơn vị dẫn đầu.",
                cluster_name(*c)
            ));
        }
    }
    let mut units = BTreeSet::new();
    for (_, u) in chosen {
        if !units.insert(*u) {
            let name = leaders
                .iter()
                .find(|l| l.unit_id == *u)
                .map(|l| l.unit_name.as_str())
                .unwrap_or("Một đơn vị");
            return Err(format!(
                "{name} dẫn đầu hai cụm, khối nhưng chỉ được đề nghị một Cờ thi đua của Chính phủ."
            ));
        }
    }
    if chosen.len() > limit as usize {
        return Err(format!(
            "Chỉ được đề nghị tối đa {limit} Cờ thi đua của Chính phủ năm {year} ({}% của {} đơn \
             vị được bình xét dẫn đầu các cụm, khối, làm tròn xuống); đã chọn {}.",
            crate::web::forms::decimal_vn(share),
            leaders.len(),
            chosen.len()
        ));
    }
    Ok(())
}

/// The pairs ticked on the page, "cluster year-unit"; anything else is refused.
pub fn parse_choices(values: &[&str]) -> Result<Vec<(i64, i64)>, String> {
    values
        .iter()
        .map(|v| {
            v.split_once('-')
                .and_then(|(c, u)| Some((c.trim().parse().ok()?, u.trim().parse().ok()?)))
                .ok_or_else(|| "Lựa chọn không hợp lệ; hãy tải lại trang và chọn lại.".to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(cluster: i64, unit: i64, votes_for: i32, rank: Option<i32>) -> Passed {
        Passed {
            cluster_year_id: cluster,
            cluster_name: format!("Cụm thi đua số {cluster}"),
            unit_id: unit,
            unit_name: format!("Đơn vị {unit}"),
            votes_for,
            rank,
        }
    }

    #[test]
    fn each_cluster_is_led_by_its_first_by_votes_then_rank() {
        let passed = [
            p(1, 10, 7, Some(2)),
            p(1, 11, 8, Some(3)),
            p(2, 20, 6, Some(2)),
            p(2, 21, 6, Some(1)),
            p(3, 30, 5, None),
            p(3, 31, 5, None),
        ];
        let (leaders, tied) = leading_units(&passed);
        let units: Vec<i64> = leaders.iter().map(|l| l.unit_id).collect();
        assert_eq!(units, [11, 21]);
        assert_eq!(tied, ["Cụm thi đua số 3"]);
    }

    #[test]
    fn five_leading_units_allow_one_flag_and_refuse_two() {
        let twenty = Decimal::from(20);
        let leaders: Vec<Passed> = (1..=5).map(|c| p(c, c * 10, 9, Some(1))).collect();
        let n = limit(twenty, leaders.len());
        assert_eq!(n, 1);
        assert_eq!(
            check_selection(&leaders, &[(1, 10)], n, twenty, 2024),
            Ok(())
        );
        let e = check_selection(&leaders, &[(1, 10), (2, 20)], n, twenty, 2024).unwrap_err();
        assert!(e.contains("tối đa 1 Cờ thi đua"), "{e}");
        assert!(e.contains("20% của 5 đơn vị"), "{e}");
        assert_eq!(limit(twenty, 4), 0);
        assert_eq!(limit(twenty, 10), 2);
    }

    #[test]
    fn two_leading_the_same_cluster_and_units_that_do_not_lead_are_refused() {
        let twenty = Decimal::from(20);
        let leaders: Vec<Passed> = (1..=10).map(|c| p(c, c * 10, 9, Some(1))).collect();
        let e = check_selection(&leaders, &[(1, 10), (1, 11)], 2, twenty, 2024).unwrap_err();
        assert!(e.contains("cùng dẫn đầu Cụm thi đua số 1"), "{e}");
        let e = check_selection(&leaders, &[(2, 10)], 2, twenty, 2024).unwrap_err();
        assert!(e.contains("không phải đơn vị được bình xét dẫn đầu"), "{e}");
        let mut twice = leaders.clone();
        twice[1].unit_id = 10;
        let e = check_selection(&twice, &[(1, 10), (2, 10)], 2, twenty, 2024).unwrap_err();
        assert!(e.contains("dẫn đầu hai cụm, khối"), "{e}");
    }

    #[test]
    fn choices_are_pairs_of_numbers() {
        assert_eq!(parse_choices(&["3-40", "5-6"]), Ok(vec![(3, 40), (5, 6)]));
        assert!(parse_choices(&["3"]).is_err());
        assert!(parse_choices(&["a-b"]).is_err());
    }
}
