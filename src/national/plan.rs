use super::*;

// The plan: which clusters and units each tenant gets.

pub(super) struct TenantPlan {
    pub(super) index: u32,
    pub(super) code: String,
    pub(super) name: String,
    pub(super) place: String,
    /// Province of every unit (per-province tenants), else None: by cluster.
    pub(super) province: Option<usize>,
    /// Global cluster numbers [from, to) and unit numbers [from, to), 0-based.
    pub(super) clusters: (u32, u32),
    pub(super) units: (u32, u32),
}

pub(super) fn plan(p: &Params) -> Vec<TenantPlan> {
    let (n, c, u) = (p.tenants as u64, p.clusters as u64, p.units as u64);
    // Cluster k belongs to tenant k*n/c; unit i to cluster i*c/u.
    let first_cluster = |t: u64| (t * c).div_ceil(n);
    let first_unit = |k: u64| (k * u).div_ceil(c);
    (0..n)
        .map(|t| {
            let (ca, cb) = (first_cluster(t), first_cluster(t + 1));
            let one = p.tenants == 1;
            let province = (!one).then_some(t as usize % PROVINCES.len());
            let (name, place) = match province {
                None => (
                    "Hội đồng Thi đua - Khen thưởng Trung ương".to_string(),
                    "Hà Nội".to_string(),
                ),
                Some(i) => {
                    let round = t as usize / PROVINCES.len();
                    let suffix = if round == 0 {
                        String::new()
                    } else {
                        format!(" ({})", round + 1)
                    };
                    (
                        format!(
                            "Hội đồng Thi đua - Khen thưởng {}{suffix}",
                            province_full(i)
                        ),
                        PROVINCES[i].0.to_string(),
                    )
                }
            };
            TenantPlan {
                index: t as u32,
                code: format!("{}-{:02}", p.prefix, t + 1),
                name,
                place,
                province,
                clusters: (ca as u32, cb as u32),
                units: (first_unit(ca) as u32, first_unit(cb) as u32),
            }
        })
        .collect()
}
