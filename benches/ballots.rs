//! The encrypted ballot's costs: encrypting and proving one ballot of 10 candidates (what a
//! head's request does), and verifying every proof of 1,000 such ballots, summing them and
//! decrypting the sums with 2 of 3 committee shares (what the count and `verify-vote` do; the
//! proofs are checked on every core). Targets (issue 13):
//! cast ≤ 20 ms, count of 1,000 ≤ 5 s. Run with `cargo bench --bench ballots`.

use std::time::Instant;

use thidua::voting::crypto::{self, GroupRule, Spec};

fn main() {
    // Two award types as in the tally bench: a flag (quota 1) over candidates 1–2, and a
    // certificate (quota 3) over candidates 3–10.
    let spec = Spec {
        candidates: (1..=10).collect(),
        groups: vec![
            GroupRule {
                label: "Cờ thi đua".into(),
                members: vec![0, 1],
                min: 0,
                max: 1,
            },
            GroupRule {
                label: "Bằng khen".into(),
                members: (2..10).collect(),
                min: 0,
                max: 3,
            },
        ],
    };
    let (key_set, shares) = crypto::deal(3, 2);
    let ctx = crypto::context(1);
    let choices = |b: usize| -> Vec<bool> {
        let mut yes = 0;
        (0..10)
            .map(|i| match i {
                0 => b.is_multiple_of(2),
                1 => !b.is_multiple_of(2) && b.is_multiple_of(3),
                _ => {
                    let v = (b + i).is_multiple_of(4) && yes < 3;
                    yes += v as usize;
                    v
                }
            })
            .collect()
    };

    let n = 1000;
    let t = Instant::now();
    let ballots: Vec<crypto::Ballot> = (0..n)
        .map(|b| crypto::encrypt_ballot(key_set.shared_key(), &ctx, &spec, &choices(b)).unwrap())
        .collect();
    let cast = t.elapsed() / n as u32;
    println!(
        "encrypt + prove one ballot of 10 candidates: {:.2} ms (mean of {n})",
        cast.as_secs_f64() * 1000.0
    );

    let t = Instant::now();
    let all: Vec<&crypto::Ballot> = ballots.iter().collect();
    for v in crypto::verify_ballots(key_set.shared_key(), &ctx, &spec, &all) {
        v.unwrap();
    }
    let verify = t.elapsed();
    let t = Instant::now();
    let sums = crypto::sums(10, &ballots);
    let given: Vec<(usize, Vec<crypto::DecShare>)> = [0usize, 2]
        .iter()
        .map(|&i| {
            (
                i,
                crypto::decrypt_shares(&key_set, i, shares[i].clone(), &sums).unwrap(),
            )
        })
        .collect();
    let totals = crypto::combine(&key_set, &sums, &given, n as u64).unwrap();
    let decrypt = t.elapsed();
    let expected: Vec<u64> = (0..10)
        .map(|i| (0..n).filter(|&b| choices(b)[i]).count() as u64)
        .collect();
    assert_eq!(totals, expected);
    println!(
        "count of {n} ballots: verify every proof {:.2} s, sum + 2-of-3 decryption {:.3} s, total {:.2} s",
        verify.as_secs_f64(),
        decrypt.as_secs_f64(),
        (verify + decrypt).as_secs_f64()
    );
}
