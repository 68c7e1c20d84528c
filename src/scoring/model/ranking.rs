//! Ranking units by percentage, with the tie-break chain of named sections.

use std::cmp::Ordering;

use rust_decimal::Decimal;

/// One unit's place in the ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    pub unit_id: i64,
    /// 1-based; units that stay tied after every tie-break share a rank.
    pub rank: usize,
    /// Tied after the whole chain: the vote (or the leader) decides.
    pub tied: bool,
}

/// What ranking compares for one unit.
#[derive(Debug, Clone)]
pub struct Entry {
    pub unit_id: i64,
    pub percent: Decimal,
    pub total: Decimal,
    pub by_section: Vec<Decimal>,
}

/// Compares two units by the tie-break chain: percentage, then the named sections in order
/// (higher first). Equal means tied.
pub fn compare(a: &Entry, b: &Entry, tie_sections: &[usize]) -> Ordering {
    b.percent.cmp(&a.percent).then_with(|| {
        for &s in tie_sections {
            let (x, y) = (a.by_section.get(s), b.by_section.get(s));
            match y.cmp(&x) {
                Ordering::Equal => continue,
                other => return other,
            }
        }
        Ordering::Equal
    })
}

/// Ranks units: a total order by the chain, then by unit id only to make the listing stable;
/// units equal under the chain share the rank of the first of them and are flagged.
pub fn rank(entries: &[Entry], tie_sections: &[usize]) -> Vec<Ranked> {
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by(|a, b| compare(a, b, tie_sections).then(a.unit_id.cmp(&b.unit_id)));
    let mut out: Vec<Ranked> = Vec::with_capacity(sorted.len());
    for (i, e) in sorted.iter().enumerate() {
        let tied_with_prev = i > 0 && compare(sorted[i - 1], e, tie_sections) == Ordering::Equal;
        let rank = if tied_with_prev {
            out[i - 1].rank
        } else {
            i + 1
        };
        if tied_with_prev {
            out[i - 1].tied = true;
        }
        out.push(Ranked {
            unit_id: e.unit_id,
            rank,
            tied: tied_with_prev,
        });
    }
    out
}
