use super::*;

fn spec() -> Spec {
    Spec {
        candidates: vec![10, 11, 12, 13],
        groups: vec![
            GroupRule {
                label: "Cờ".into(),
                members: vec![0, 1],
                min: 0,
                max: 1,
            },
            GroupRule {
                label: "Bằng khen".into(),
                members: vec![2, 3],
                min: 0,
                max: 2,
            },
        ],
    }
}

#[test]
fn a_ballot_verifies_and_two_of_three_count_it_one_does_not() {
    let (ks, shares) = deal(3, 2);
    let ctx = context(7);
    let s = spec();
    let ballots: Vec<Ballot> = [
        [true, false, true, true],
        [false, true, false, true],
        [false, false, true, true],
    ]
    .iter()
    .map(|c| encrypt_ballot(ks.shared_key(), &ctx, &s, c).unwrap())
    .collect();
    for b in &ballots {
        verify_ballot(ks.shared_key(), &ctx, &s, b).unwrap();
    }
    // Bound to its vote: the same ballot does not verify for another.
    assert!(verify_ballot(ks.shared_key(), &context(8), &s, &ballots[0]).is_err());
    let sums = sums(4, &ballots);
    let d: Vec<Vec<DecShare>> = shares
        .iter()
        .enumerate()
        .map(|(i, sh)| decrypt_shares(&ks, i, sh.clone(), &sums).unwrap())
        .collect();
    for pair in [(0, 1), (0, 2), (1, 2)] {
        let got = combine(
            &ks,
            &sums,
            &[(pair.0, d[pair.0].clone()), (pair.1, d[pair.1].clone())],
            3,
        )
        .unwrap();
        assert_eq!(got, vec![1, 1, 2, 3]);
    }
    assert!(combine(&ks, &sums, &[(0, d[0].clone())], 3).is_err());
    // A share given to the wrong seat is refused.
    assert!(decrypt_shares(&ks, 1, shares[0].clone(), &sums).is_err());
    // A seat's shares claimed as another's do not verify.
    assert!(combine(&ks, &sums, &[(0, d[1].clone()), (1, d[1].clone())], 3).is_err());
}

#[test]
fn over_the_quota_is_refused_and_a_forged_ballot_fails_its_proofs() {
    let (ks, _) = deal(1, 1);
    let ctx = context(1);
    let s = spec();
    assert!(encrypt_ballot(ks.shared_key(), &ctx, &s, &[true, true, false, false]).is_err());
    // Forge: a ciphertext of 2 in place of a proven one.
    let mut b = encrypt_ballot(ks.shared_key(), &ctx, &s, &[true, false, false, false]).unwrap();
    b.choices[1] = b.choices[0] + b.choices[0];
    let e = verify_ballot(ks.shared_key(), &ctx, &s, &b).unwrap_err();
    assert!(e.contains("choice 1"), "{e}");
    // Two yes for the flag, each proven 0/1, but the group proof was for one.
    let b1 = encrypt_ballot(ks.shared_key(), &ctx, &s, &[true, false, false, false]).unwrap();
    let b2 = encrypt_ballot(ks.shared_key(), &ctx, &s, &[false, true, false, false]).unwrap();
    let mut mixed = b1.clone();
    mixed.choices[1] = b2.choices[1];
    mixed.bit_proofs[1] = b2.bit_proofs[1].clone();
    let e = verify_ballot(ks.shared_key(), &ctx, &s, &mixed).unwrap_err();
    assert!(e.contains("Cờ"), "{e}");
}
