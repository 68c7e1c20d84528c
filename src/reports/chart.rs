//! The SVG chart of a unit's history: its verified percentage (top) and its rank in the
//! cluster (bottom, first place at the top) over the years. Drawn on the server so it prints;
//! every point carries its figure as text, and the title and description say it in words.

use rust_decimal::prelude::ToPrimitive;

use crate::reports::model::YearOutcome;
use crate::scoring::model::fmt;

/// The drawing's own units. The page scales the drawing to its width, so this width keeps the
/// 12-unit text neither too large in a desktop window nor too small on an A4 page.
pub const WIDTH: f64 = 720.0;
pub const HEIGHT: f64 = 372.0;
/// The plot area, left to right.
pub const LEFT: f64 = 64.0;
pub const RIGHT: f64 = 696.0;
/// The percentage panel and the rank panel, top to bottom.
pub const PCT: (f64, f64) = (44.0, 164.0);
pub const RANK: (f64, f64) = (226.0, 326.0);
pub const X_LABELS: f64 = 354.0;
/// Where the panels' titles stand.
pub const PCT_TITLE: f64 = 18.0;
pub const RANK_TITLE: f64 = 200.0;

/// The fixed geometry, for the template.
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    /// Right edge of the axis labels.
    pub tick_x: f64,
    pub pct_title: f64,
    pub rank_title: f64,
    pub x_labels: f64,
}

pub const FRAME: Frame = Frame {
    width: WIDTH,
    height: HEIGHT,
    left: LEFT,
    right: RIGHT,
    tick_x: LEFT - 6.0,
    pct_title: PCT_TITLE,
    rank_title: RANK_TITLE,
    x_labels: X_LABELS,
};

pub struct Tick {
    pub y: String,
    pub text: String,
}

pub struct Dot {
    pub x: String,
    pub y: String,
    /// Where the figure goes, just above the dot.
    pub label_y: String,
    pub label: String,
}

pub struct XLabel {
    pub x: String,
    pub text: String,
}

pub struct Chart {
    pub frame: &'static Frame,
    pub title: String,
    pub desc: String,
    pub pct_ticks: Vec<Tick>,
    pub rank_ticks: Vec<Tick>,
    pub pct: Vec<Dot>,
    pub rank: Vec<Dot>,
    /// `points` of the polylines joining the dots.
    pub pct_line: String,
    pub rank_line: String,
    pub x_labels: Vec<XLabel>,
}

fn px(v: f64) -> String {
    format!("{:.1}", v)
}

fn dot(x: f64, y: f64, label: String) -> Dot {
    Dot {
        x: px(x),
        y: px(y),
        label_y: px(y - 9.0),
        label,
    }
}

/// The chart of the years that have a verified result, oldest first; None when there is none.
pub fn chart(unit_name: &str, outcomes: &[YearOutcome]) -> Option<Chart> {
    let mut points: Vec<&YearOutcome> = outcomes.iter().filter(|o| o.result.is_some()).collect();
    if points.is_empty() {
        return None;
    }
    points.sort_by(|a, b| (a.year, &a.cluster).cmp(&(b.year, &b.cluster)));
    let n = points.len();
    let x_of = |i: usize| -> f64 {
        if n == 1 {
            (LEFT + RIGHT) / 2.0
        } else {
            LEFT + 40.0 + (RIGHT - LEFT - 80.0) * i as f64 / (n - 1) as f64
        }
    };
    let pct_of = |o: &YearOutcome| -> f64 {
        o.result
            .as_ref()
            .and_then(|r| r.percent.to_f64())
            .unwrap_or(0.0)
    };
    // The percentage axis runs from a round figure below the lowest result to 100 (or above,
    // with bonus points), so that small differences between years stay visible.
    let lowest = points.iter().map(|o| pct_of(o)).fold(f64::MAX, f64::min);
    let highest = points.iter().map(|o| pct_of(o)).fold(f64::MIN, f64::max);
    let lo = (((lowest - 5.0) / 5.0).floor() * 5.0).clamp(0.0, 95.0);
    let hi = ((highest / 5.0).ceil() * 5.0).max(100.0);
    let y_pct = |v: f64| PCT.1 - (v - lo) / (hi - lo) * (PCT.1 - PCT.0);
    let mut pct_ticks = vec![lo, hi];
    if hi - lo >= 10.0 {
        pct_ticks.insert(1, ((lo + hi) / 2.0 / 5.0).round() * 5.0);
    }
    let of = points
        .iter()
        .filter_map(|o| o.result.as_ref().map(|r| r.of))
        .max()
        .unwrap_or(2)
        .max(2);
    let y_rank =
        |k: usize| RANK.0 + (k.saturating_sub(1)) as f64 / (of - 1) as f64 * (RANK.1 - RANK.0);
    let mut rank_ticks = vec![1, of];
    if of > 2 {
        rank_ticks.insert(1, of.div_ceil(2));
        rank_ticks.dedup();
    }
    let mut pct = Vec::new();
    let mut rank = Vec::new();
    let mut x_labels = Vec::new();
    let mut words = Vec::new();
    for (i, o) in points.iter().enumerate() {
        let r = o.result.as_ref().expect("filtered");
        let x = x_of(i);
        pct.push(dot(x, y_pct(pct_of(o)), format!("{}%", fmt(r.percent))));
        let mut said = format!("năm {}: {}%", o.year, fmt(r.percent));
        if let Some(k) = r.rank {
            rank.push(dot(x, y_rank(k), format!("{k}/{}", r.of)));
            said.push_str(&format!(", hạng {k}/{}", r.of));
        }
        words.push(said);
        x_labels.push(XLabel {
            x: px(x),
            text: o.year.to_string(),
        });
    }
    let line = |dots: &[Dot]| {
        dots.iter()
            .map(|d| format!("{},{}", d.x, d.y))
            .collect::<Vec<_>>()
            .join(" ")
    };
    Some(Chart {
        frame: &FRAME,
        // Screen readers join the two ("aria-labelledby"): each ends where the other starts.
        title: format!("Tỷ lệ điểm thẩm định và xếp hạng của {unit_name} qua các năm."),
        desc: format!("Theo từng năm: {}.", words.join("; ")),
        pct_ticks: pct_ticks
            .into_iter()
            .map(|v| Tick {
                y: px(y_pct(v)),
                text: format!("{v:.0}%"),
            })
            .collect(),
        rank_ticks: rank_ticks
            .into_iter()
            .map(|k| Tick {
                y: px(y_rank(k)),
                text: format!("Hạng {k}"),
            })
            .collect(),
        pct_line: line(&pct),
        rank_line: line(&rank),
        pct,
        rank,
        x_labels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::model::Outcome;

    fn year(year: i32, percent: &str, rank: Option<usize>, of: usize) -> YearOutcome {
        YearOutcome {
            year,
            year_id: year as i64,
            cluster: "Cụm thi đua các cơ quan Nội chính tỉnh".into(),
            result: Some(Outcome {
                total: percent.parse().unwrap(),
                percent: percent.parse().unwrap(),
                rank,
                tied: false,
                of,
                rating: None,
            }),
        }
    }

    fn f(s: &str) -> f64 {
        s.parse().unwrap()
    }

    #[test]
    fn no_result_no_chart() {
        let pending = YearOutcome {
            result: None,
            ..year(2024, "90", None, 7)
        };
        assert!(chart("Công an tỉnh", &[pending]).is_none());
    }

    #[test]
    fn points_stay_in_their_panels_and_first_place_is_on_top() {
        let years = [
            year(2024, "92.5", Some(3), 7),
            year(2022, "100", Some(1), 7),
            year(2023, "96.75", Some(2), 7),
        ];
        let c = chart("Công an tỉnh", &years).unwrap();
        // Oldest first, left to right.
        let xs: Vec<&str> = c.x_labels.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(xs, ["2022", "2023", "2024"]);
        assert!(f(&c.pct[0].x) < f(&c.pct[1].x) && f(&c.pct[1].x) < f(&c.pct[2].x));
        for d in &c.pct {
            assert!((PCT.0..=PCT.1).contains(&f(&d.y)), "{}", d.y);
            assert!((LEFT..=RIGHT).contains(&f(&d.x)));
        }
        for d in &c.rank {
            assert!((RANK.0..=RANK.1).contains(&f(&d.y)), "{}", d.y);
        }
        // 100% is the top of its panel; rank 1 the top of its own; rank 3 below rank 2.
        assert_eq!(f(&c.pct[0].y), PCT.0);
        assert_eq!(f(&c.rank[0].y), RANK.0);
        assert!(f(&c.rank[2].y) > f(&c.rank[1].y));
        assert_eq!(c.pct[2].label, "92,5%");
        assert_eq!(c.rank[2].label, "3/7");
        assert!(c.desc.contains("năm 2023: 96,75%, hạng 2/7"), "{}", c.desc);
        // Read together, as the page's accessible name, no "năm năm".
        let name = format!("{} {}", c.title, c.desc);
        assert!(!name.contains("năm năm"), "{name}");
        assert!(c.title.contains("Công an tỉnh"));
        assert_eq!(c.pct_line.split(' ').count(), 3);
    }

    #[test]
    fn one_year_is_centred_and_ranks_need_no_division_by_zero() {
        let c = chart("Ban Thanh tra", &[year(2019, "85", Some(1), 1)]).unwrap();
        assert_eq!(f(&c.pct[0].x), (LEFT + RIGHT) / 2.0);
        assert_eq!(f(&c.rank[0].y), RANK.0);
        assert!(c.rank_ticks.iter().all(|t| f(&t.y).is_finite()));
    }

    #[test]
    fn bonus_points_above_100_raise_the_axis() {
        let c = chart(
            "X",
            &[year(2020, "102", Some(1), 5), year(2021, "40", None, 5)],
        )
        .unwrap();
        assert_eq!(c.pct_ticks.last().unwrap().text, "105%");
        assert_eq!(c.pct_ticks.first().unwrap().text, "35%");
        assert!(c.pct.iter().all(|d| (PCT.0..=PCT.1).contains(&f(&d.y))));
        // A year without a rank has no rank dot but keeps its percentage.
        assert_eq!(c.rank.len(), 1);
    }
}
