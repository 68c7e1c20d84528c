use super::*;

#[test]
fn the_scored_criteria_are_worth_100_points() {
    for n in [4, 5, 12, 19, 20, 40, 100] {
        let l = layout(n);
        assert_eq!(l.len(), n as usize);
        let std: i32 = l.iter().filter(|c| c.std_index >= 0).map(|c| c.max).sum();
        assert_eq!(std, 100, "{n} criteria");
        assert!(l.iter().any(|c| c.evidence), "{n} criteria");
        let mut codes: Vec<&str> = l.iter().map(|c| c.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n as usize);
    }
}

#[test]
fn every_unit_and_cluster_has_one_tenant() {
    let mut p = Params::small("x");
    for (tenants, clusters, units) in [(1, 4, 40), (2, 4, 40), (63, 1000, 10_000), (3, 7, 50)] {
        p.tenants = tenants;
        p.clusters = clusters;
        p.units = units;
        let plan = plan(&p);
        assert_eq!(plan.len(), tenants as usize);
        assert_eq!(plan[0].clusters.0, 0);
        assert_eq!(plan[0].units.0, 0);
        assert_eq!(plan.last().unwrap().clusters.1, clusters);
        assert_eq!(plan.last().unwrap().units.1, units);
        for w in plan.windows(2) {
            assert_eq!(w[0].clusters.1, w[1].clusters.0);
            assert_eq!(w[0].units.1, w[1].units.0);
            assert!(w[0].clusters.1 > w[0].clusters.0);
        }
        // Every unit's cluster (i * c / u) lies in its tenant's clusters.
        for t in &plan {
            for i in t.units.0..t.units.1 {
                let c = (i as u64 * clusters as u64 / units as u64) as u32;
                assert!(c >= t.clusters.0 && c < t.clusters.1);
            }
        }
    }
    assert_eq!(PROVINCES.len(), 63);
}
