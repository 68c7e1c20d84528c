-- A decision brought in from another thidua (`thidua admin import`, the exchange format) has
-- no dossier in this database: its awards belong in the units' histories as decided awards,
-- yet there is no proposal to point at. Such a decision keeps proposal_id NULL; every decision
-- made here still has its dossier. The table keeps its tenant key, row-level security and
-- policy (0007); UNIQUE (tenant_id, proposal_id) admits any number of NULLs.
ALTER TABLE award_decisions ALTER COLUMN proposal_id DROP NOT NULL;

-- The importer finds a decision by its natural key (number, date, issuer) in the target.
CREATE INDEX award_decisions_by_number ON award_decisions (tenant_id, number, signed_on);
