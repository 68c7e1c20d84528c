//! The tally and the decision for 1,000 ballots over 10 candidates of two award types — the
//! pure count that closing a vote runs. Run with `cargo bench --bench tally`.

use std::time::Instant;

use rust_decimal::Decimal;
use thidua::voting::model::{self, AwardCandidate, AwardRule, Choices};

fn main() {
    let candidates: Vec<i64> = (1..=10).collect();
    // Deterministic ballots: candidate c is supported by roughly (100 - 7c)% of voters.
    let ballots: Vec<Choices> = (0..1000u64)
        .map(|b| {
            candidates
                .iter()
                .map(|&c| (c, (b * 31 + c as u64 * 17) % 100 >= 7 * c as u64))
                .collect()
        })
        .collect();
    let award = |c: i64| AwardCandidate {
        candidate_id: c,
        award_type_id: if c <= 2 { 1 } else { 2 },
        unit_id: c,
    };
    let cands: Vec<AwardCandidate> = candidates.iter().map(|&c| award(c)).collect();
    let rules = vec![
        AwardRule {
            award_type_id: 1,
            quota: Some(1),
            threshold: Decimal::from(80),
            of_all_members: true,
            prerequisite: None,
        },
        AwardRule {
            award_type_id: 2,
            quota: Some(3),
            threshold: Decimal::from(80),
            of_all_members: true,
            prerequisite: None,
        },
    ];
    let rounds = 200;
    let t = Instant::now();
    let mut passed = 0;
    for _ in 0..rounds {
        let counts = model::tally(&candidates, &ballots);
        let results = model::decide(&cands, &counts, &rules, 1000, 1000);
        passed = results
            .iter()
            .filter(|r| r.outcome == model::Outcome::Passed)
            .count();
    }
    let per = t.elapsed() / rounds;
    println!(
        "tally + decision of 1,000 ballots × 10 candidates: {:.3} ms per vote ({passed} passed)",
        per.as_secs_f64() * 1000.0
    );
}
