//! How a sheet adds up: its lines, totals with capped bonus and penalty, and rating bands.

use rust_decimal::Decimal;

use super::SectionKind;

/// One criterion's figures on a sheet, as far as totals are concerned.
#[derive(Debug, Clone)]
pub struct Line {
    pub section: usize,
    pub kind: SectionKind,
    pub max: Decimal,
    pub points: Option<Decimal>,
    pub not_applicable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub standard: Decimal,
    pub bonus: Decimal,
    pub penalty: Decimal,
    pub total: Decimal,
    /// The maximum of the criteria that apply to this unit.
    pub applicable_max: Decimal,
    /// total / applicable_max × 100, rounded to 2 places.
    pub percent: Decimal,
    /// Points per section (standard sections; bonus and penalty as they count).
    pub by_section: Vec<Decimal>,
    /// Some applicable standard criterion scored 0.
    pub has_zero: bool,
}

/// Sum of standard criteria + bonus (capped) − penalty (capped); criteria marked not
/// applicable are left out of both the points and the maximum.
pub fn totals(lines: &[Line], sections: usize, bonus_cap: Decimal, penalty_cap: Decimal) -> Totals {
    let mut t = Totals {
        standard: Decimal::ZERO,
        bonus: Decimal::ZERO,
        penalty: Decimal::ZERO,
        total: Decimal::ZERO,
        applicable_max: Decimal::ZERO,
        percent: Decimal::ZERO,
        by_section: vec![Decimal::ZERO; sections],
        has_zero: false,
    };
    for l in lines.iter().filter(|l| !l.not_applicable) {
        let p = l.points.unwrap_or(Decimal::ZERO);
        match l.kind {
            SectionKind::Standard => {
                t.standard += p;
                t.applicable_max += l.max;
                if p.is_zero() {
                    t.has_zero = true;
                }
            }
            SectionKind::Bonus => t.bonus += p,
            SectionKind::Penalty => t.penalty += p,
        }
        if let Some(s) = t.by_section.get_mut(l.section) {
            *s += p;
        }
    }
    t.bonus = t.bonus.min(bonus_cap);
    t.penalty = t.penalty.min(penalty_cap);
    t.total = t.standard + t.bonus - t.penalty;
    if !t.applicable_max.is_zero() {
        t.percent = (t.total * Decimal::ONE_HUNDRED / t.applicable_max).round_dp(2);
    }
    t
}

/// A rating band: the first band (highest first) whose minimum the percentage reaches wins,
/// skipping bands that require no criterion at 0 when the unit has one.
#[derive(Debug, Clone)]
pub struct Band {
    pub name: String,
    pub min_percent: Decimal,
    pub requires_no_zero: bool,
}

pub fn rating(percent: Decimal, has_zero: bool, bands: &[Band]) -> Option<&str> {
    let mut sorted: Vec<&Band> = bands.iter().collect();
    sorted.sort_by_key(|b| std::cmp::Reverse(b.min_percent));
    sorted
        .into_iter()
        .find(|b| percent >= b.min_percent && !(b.requires_no_zero && has_zero))
        .map(|b| b.name.as_str())
}
