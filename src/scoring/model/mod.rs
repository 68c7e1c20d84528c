//! The rules of scoring, as plain functions: points a criterion accepts, a sheet's totals,
//! ranking with its tie-break chain, rating bands, and the sheet's state transitions.

mod lateness;
mod ranking;
pub mod sheet;
mod totals;

#[cfg(test)]
pub(crate) mod sheet_tests;
#[cfg(test)]
mod tests;

use rust_decimal::Decimal;

pub use lateness::{days_late, handed_in, sheet_days_late};
pub use ranking::{Entry, Ranked, compare, rank};
pub use sheet::{SheetStatus, submission_problems};
pub use totals::{Band, Line, Totals, rating, totals};

/// A state or kind the database holds that the code does not know: a row written by a newer
/// version, or by hand. Reading it fails rather than guessing.
#[derive(Debug)]
pub struct UnknownValue(pub String);

impl std::fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown value {:?}", self.0)
    }
}

impl std::error::Error for UnknownValue {}

/// What a section's points do to the total; stored as "standard", "bonus" or "penalty".
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    Standard,
    Bonus,
    Penalty,
}

impl SectionKind {
    pub fn parse(s: &str) -> Option<SectionKind> {
        match s {
            "standard" => Some(SectionKind::Standard),
            "bonus" => Some(SectionKind::Bonus),
            "penalty" => Some(SectionKind::Penalty),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Standard => "standard",
            SectionKind::Bonus => "bonus",
            SectionKind::Penalty => "penalty",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SectionKind::Standard => "Tiêu chí chấm điểm",
            SectionKind::Bonus => "Điểm thưởng",
            SectionKind::Penalty => "Điểm trừ",
        }
    }
}

impl TryFrom<String> for SectionKind {
    type Error = UnknownValue;

    fn try_from(s: String) -> Result<SectionKind, UnknownValue> {
        SectionKind::parse(&s).ok_or(UnknownValue(s))
    }
}

/// Why a claimed or verified figure is refused, in Vietnamese; None when it is acceptable.
pub fn check_points(points: Decimal, max: Decimal, step: Decimal) -> Option<String> {
    if points < Decimal::ZERO {
        return Some("Điểm không được âm.".into());
    }
    if points > max {
        return Some(format!("Điểm vượt quá mức tối đa {}.", fmt(max)));
    }
    if step > Decimal::ZERO && !(points / step).fract().is_zero() {
        return Some(format!(
            "Điểm phải chia hết cho bước {} (ví dụ {} hoặc {}).",
            fmt(step),
            fmt(max - step),
            fmt(max)
        ));
    }
    None
}

/// Reads a figure typed the Vietnamese way ("8,5") or the other ("8.5").
pub fn parse_points(s: &str) -> Result<Option<Decimal>, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.replace(',', ".")
        .parse::<Decimal>()
        .map(Some)
        .map_err(|_| "Hãy nhập một số, ví dụ 8 hoặc 8,5.".to_string())
}

/// A decimal as Vietnamese write it: "8,5", "100", "89,25".
pub fn fmt(d: Decimal) -> String {
    d.normalize().to_string().replace('.', ",")
}
