-- Indexes found missing by the national-scale page benchmark (issue 9: 10,000 units, 100,000
-- users, 1,000 clusters, 10 years in one tenant). Each one turns a per-row scan of a whole
-- tenant's table into an index lookup on a page that runs it for every request.

-- The council's inbox counts, per dossier, the Government flags its decision awarded: without
-- this, one scan of every award of the tenant per cluster year (13 s for 1,000 cluster years).
CREATE INDEX unit_awards_by_decision ON unit_awards (tenant_id, decision_id);

-- A vote's candidates (the vote page, the minutes, the dossier's documents): the two unique
-- indexes are partial (award or role), so a lookup by vote alone scanned the table.
CREATE INDEX vote_candidates_by_vote ON vote_candidates (tenant_id, vote_id);

-- The council's year list (which years have work, which have dossiers waiting) and the
-- counts on its home page.
CREATE INDEX cluster_years_by_year ON cluster_years (tenant_id, year);
CREATE INDEX proposals_by_state ON proposals (tenant_id, state);
CREATE INDEX users_enabled ON users (tenant_id) WHERE NOT disabled;
CREATE INDEX units_active ON units (tenant_id) WHERE active;
