use super::*;

/// Votes: the award vote and the election, closed, released, with every member's ballot.
pub(super) async fn votes(run: &mut Run<'_>, tx: &mut PgConnection, cx: &Tenant<'_>) -> Result<()> {
    let tid = cx.id;
    exec!(
        run,
        tx,
        "votes",
        &format!(
            "INSERT INTO votes (tenant_id, id, cluster_year_id, kind, title, state, mode, opened_at,
                                closed_at, results_released, created_at)
             SELECT $1, vote_id, cy_id, 'award', 'Bình xét, suy tôn thi đua năm ' || year, 'closed',
                    'online', {o1}, {c1}, true, {o1} FROM gen_cy
             UNION ALL
             SELECT $1, election_id, cy_id, 'election', 'Bầu cụm trưởng, cụm phó năm ' || (year + 1),
                    'closed', 'online', {o2}, {c2}, true, {o2} FROM gen_cy",
            o1 = ts("year", 12, "3", "8", 30),
            c1 = ts("year", 12, "3", "10", 0),
            o2 = ts("year", 12, "3", "10", 15),
            c2 = ts("year", 12, "3", "11", 0)
        ),
        tid
    );
    // Candidates: the best unit for the flag, the next two for the certificate of merit; and
    // the best unit of one cluster in ten for the Government flag, never more than the council's
    // default share (20% of the clusters) allows.
    tx.execute(
        "CREATE TEMP TABLE gen_cand (cand_id bigint PRIMARY KEY, vote_id bigint NOT NULL,
             cy_id bigint NOT NULL, award_type_id bigint NOT NULL, unit_id bigint NOT NULL,
             upos int NOT NULL, q int NOT NULL, what text NOT NULL) ON COMMIT DROP",
    )
    .await?;
    exec!(
        run,
        tx,
        "gen_cand",
        "INSERT INTO gen_cand
         SELECT nextval(pg_get_serial_sequence('vote_candidates', 'id')), cy.vote_id, cy.cy_id, a.award,
                m.unit_id, m.pos, m.q, a.what
           FROM gen_cy cy
           JOIN gen_member m ON m.cy_id = cy.cy_id
           JOIN (VALUES ('flag', $1::bigint, 0), ('gov', $2::bigint, 0), ('merit', $3::bigint, 1),
                        ('merit', $3::bigint, 2)) AS a(what, award, q) ON a.q = m.q
          WHERE a.what <> 'gov' OR ((cy.c - $4) % 10 = 0 AND cy.c - $4 + 10 <= $5)",
        cx.award(FLAG)?,
        cx.award(GOV_FLAG)?,
        cx.award(MERIT)?,
        cx.plan.clusters.0 as i32,
        (cx.plan.clusters.1 - cx.plan.clusters.0) as i32
    );
    tx.execute("CREATE INDEX ON gen_cand (vote_id)").await?;
    tx.execute(
        "CREATE TEMP TABLE gen_ecand (cand_id bigint PRIMARY KEY, vote_id bigint NOT NULL,
             role text NOT NULL, unit_id bigint NOT NULL) ON COMMIT DROP",
    )
    .await?;
    exec!(
        run,
        tx,
        "gen_ecand",
        "INSERT INTO gen_ecand
         SELECT nextval(pg_get_serial_sequence('vote_candidates', 'id')), cy.election_id, r.role, m.unit_id
           FROM gen_cy cy JOIN gen_member m ON m.cy_id = cy.cy_id
           CROSS JOIN (VALUES ('leader'), ('deputy')) AS r(role)"
    );
    tx.execute("CREATE INDEX ON gen_ecand (vote_id, role, unit_id)")
        .await?;
    tx.execute("ANALYZE gen_cand").await?;
    tx.execute("ANALYZE gen_ecand").await?;
    exec!(
        run,
        tx,
        "vote_candidates",
        "INSERT INTO vote_candidates (tenant_id, id, vote_id, award_type_id, role, unit_id)
         SELECT $1, cand_id, vote_id, award_type_id, NULL, unit_id FROM gen_cand
         UNION ALL
         SELECT $1, cand_id, vote_id, NULL, role, unit_id FROM gen_ecand",
        tid
    );
    exec!(
        run,
        tx,
        "vote_participation",
        "INSERT INTO vote_participation (tenant_id, vote_id, unit_id, how)
         SELECT $1, cy.vote_id, m.unit_id, 'online' FROM gen_member m JOIN gen_cy cy ON cy.cy_id = m.cy_id
         UNION ALL
         SELECT $1, cy.election_id, m.unit_id, 'online' FROM gen_member m JOIN gen_cy cy ON cy.cy_id = m.cy_id",
        tid
    );
    // Ballots are never stored readable (migration 0010): the generated choices live in a
    // temporary table for the count, and the votes keep only their counted figures, as votes
    // held before ballots were encrypted do. Award ballots answer every candidate: for, except
    // about one member in five against a certificate of merit.
    tx.execute(
        "CREATE TEMP TABLE gen_ballot (vote_id bigint NOT NULL, choices jsonb NOT NULL) ON COMMIT DROP",
    )
    .await?;
    exec!(
        run,
        tx,
        "gen_ballot",
        "INSERT INTO gen_ballot (vote_id, choices)
         SELECT b.vote_id, b.choices
           FROM (SELECT k.vote_id, m.unit_id AS voter,
                        jsonb_object_agg(k.cand_id::text,
                            NOT (k.what = 'merit' AND m.unit_id <> k.unit_id
                                 AND (m.pos + k.upos + m.yi) % 5 = 0)) AS choices
                   FROM gen_cand k JOIN gen_member m ON m.cy_id = k.cy_id
                  GROUP BY k.vote_id, m.unit_id) b",
    );
    // Election ballots: every member votes next year's leader and deputy by the rotation.
    exec!(
        run,
        tx,
        "gen_ballot",
        "INSERT INTO gen_ballot (vote_id, choices)
         SELECT cy.election_id, jsonb_build_object(l.cand_id::text, true, d.cand_id::text, true)
           FROM gen_member m
           JOIN gen_cy cy ON cy.cy_id = m.cy_id
           JOIN gen_member nl ON nl.cy_id = cy.cy_id AND nl.pos = (cy.yi + 1) % cy.m
           JOIN gen_member nd ON nd.cy_id = cy.cy_id AND nd.pos = (cy.yi + 2) % cy.m
           JOIN gen_ecand l ON l.vote_id = cy.election_id AND l.role = 'leader' AND l.unit_id = nl.unit_id
           JOIN gen_ecand d ON d.vote_id = cy.election_id AND d.role = 'deputy' AND d.unit_id = nd.unit_id",
    );
    tx.execute("CREATE INDEX ON gen_ballot (vote_id)").await?;
    tx.execute("ANALYZE gen_ballot").await?;
    exec!(
        run,
        tx,
        "vote_totals",
        "INSERT INTO vote_totals (tenant_id, vote_id, candidate_id, votes_for, votes_against)
         SELECT $1, c.vote_id, c.id,
                count(*) FILTER (WHERE (b.choices ->> c.id::text)::boolean),
                count(*) FILTER (WHERE NOT (b.choices ->> c.id::text)::boolean)
           FROM vote_candidates c JOIN gen_ballot b ON b.vote_id = c.vote_id
          WHERE c.tenant_id = $1
          GROUP BY c.vote_id, c.id",
        tid
    );
    exec!(
        run,
        tx,
        "gen_counted_ballots",
        "UPDATE votes v SET counted_ballots = n.n
           FROM (SELECT vote_id, count(*) AS n FROM gen_ballot GROUP BY vote_id) n
          WHERE v.tenant_id = $1 AND v.id = n.vote_id",
        tid
    );
    Ok(())
}
