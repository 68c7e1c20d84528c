//! The rating bands form: numbered rows read from the posted fields and checked as a set.
use rust_decimal::Decimal;

use crate::scoring::model::fmt;
use crate::scoring::tables::BandRow;
use crate::web::forms::Errors;

use super::super::model::{self, DraftBand, MAX_BANDS};

#[derive(Debug, Clone, Default)]
pub struct BandInput {
    pub name: String,
    pub min: String,
    pub no_zero: bool,
}

impl From<&BandRow> for BandInput {
    fn from(b: &BandRow) -> Self {
        BandInput {
            name: b.name.clone(),
            min: fmt(b.min_percent),
            no_zero: b.requires_no_zero,
        }
    }
}

/// Field names of the bands form, row by row (Errors keys are static).
pub const BAND_NAME: [&str; MAX_BANDS] = [
    "name_0", "name_1", "name_2", "name_3", "name_4", "name_5", "name_6", "name_7", "name_8",
    "name_9",
];
pub const BAND_MIN: [&str; MAX_BANDS] = [
    "min_0", "min_1", "min_2", "min_3", "min_4", "min_5", "min_6", "min_7", "min_8", "min_9",
];
pub const BAND_NO_ZERO: [&str; MAX_BANDS] = [
    "no_zero_0",
    "no_zero_1",
    "no_zero_2",
    "no_zero_3",
    "no_zero_4",
    "no_zero_5",
    "no_zero_6",
    "no_zero_7",
    "no_zero_8",
    "no_zero_9",
];

/// The rows of a posted bands form, in order (fields beyond `MAX_BANDS` rows are ignored).
pub fn band_inputs(fields: &[(String, String)]) -> Vec<BandInput> {
    let mut rows = vec![BandInput::default(); MAX_BANDS];
    for (k, v) in fields {
        for i in 0..MAX_BANDS {
            if k == BAND_NAME[i] {
                rows[i].name = v.clone();
            } else if k == BAND_MIN[i] {
                rows[i].min = v.clone();
            } else if k == BAND_NO_ZERO[i] {
                rows[i].no_zero = !v.is_empty();
            }
        }
    }
    rows
}

/// The bands of the filled rows (a row with neither name nor threshold is left out), or the
/// errors beside the fields.
pub fn validate_bands(rows: &[BandInput]) -> (Vec<DraftBand>, Errors) {
    let mut e = Errors::default();
    let mut bands = Vec::new();
    let mut index = Vec::new();
    for (i, r) in rows.iter().enumerate().take(MAX_BANDS) {
        if r.name.trim().is_empty() && r.min.trim().is_empty() {
            continue;
        }
        let name = model::check_band_name(&r.name).unwrap_or_else(|m| {
            e.add(BAND_NAME[i], m);
            String::new()
        });
        let min = model::check_band_min(&r.min).unwrap_or_else(|m| {
            e.add(BAND_MIN[i], m);
            Decimal::ZERO
        });
        bands.push(DraftBand {
            name,
            min_percent: min,
            requires_no_zero: r.no_zero,
        });
        index.push(i);
    }
    if e.is_empty() {
        for (b, field, m) in model::check_band_set(&bands) {
            let row = index.get(b).copied().unwrap_or(0);
            e.add(
                if field == "name" {
                    BAND_NAME[row]
                } else {
                    BAND_MIN[row]
                },
                m,
            );
        }
    }
    (bands, e)
}

/// The rows the bands form shows: the bands, then empty rows to add more (at least 4 rows).
pub fn band_rows(bands: &[BandRow]) -> Vec<BandInput> {
    let mut rows: Vec<BandInput> = bands.iter().map(BandInput::from).collect();
    let want = (rows.len() + 2).clamp(4, MAX_BANDS);
    while rows.len() < want {
        rows.push(BandInput {
            no_zero: true,
            ..Default::default()
        });
    }
    rows.truncate(MAX_BANDS);
    rows
}

/// Posted rows shown again after an error: as many as were filled, plus one, at least 4.
pub fn band_rows_again(mut rows: Vec<BandInput>) -> Vec<BandInput> {
    let last = rows
        .iter()
        .rposition(|r| !r.name.trim().is_empty() || !r.min.trim().is_empty());
    let want = last.map(|l| l + 2).unwrap_or(0).clamp(4, MAX_BANDS);
    rows.truncate(want);
    rows
}
