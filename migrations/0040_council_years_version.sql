-- The council's pages open with the tenant's years and, for each, whether it has work and
-- dossiers waiting (proposals::store::council_years): 13 ms at 10,000 cluster years. The app
-- keeps that list under the newest council_version of the tenant's cluster years (0038) and its
-- catalog version: a new year, a dossier, a sheet or a vote changes one of them. Votes did not
-- count for the dashboard and now do; removing a cluster year raises the catalog version, as
-- the newest version may not change when an older year goes.
CREATE INDEX cluster_years_by_council_version ON cluster_years (tenant_id, council_version);

CREATE OR REPLACE FUNCTION council_version_by_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ys bigint[] := '{}';
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF TG_TABLE_NAME IN ('proposals', 'government_flag_selections', 'votes') THEN
            ys := ys || ARRAY(SELECT cluster_year_id FROM new_rows);
        ELSIF TG_TABLE_NAME IN ('proposal_nominees', 'award_decisions') THEN
            ys := ys || ARRAY(SELECT p.cluster_year_id FROM new_rows r
                                JOIN proposals p ON p.tenant_id = r.tenant_id AND p.id = r.proposal_id);
        ELSIF TG_TABLE_NAME = 'unit_awards' THEN
            ys := ys || ARRAY(SELECT p.cluster_year_id FROM new_rows r
                                JOIN award_decisions d ON d.tenant_id = r.tenant_id AND d.id = r.decision_id
                                JOIN proposals p ON p.tenant_id = d.tenant_id AND p.id = d.proposal_id);
        END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF TG_TABLE_NAME IN ('proposals', 'government_flag_selections', 'votes') THEN
            ys := ys || ARRAY(SELECT cluster_year_id FROM old_rows);
        ELSIF TG_TABLE_NAME IN ('proposal_nominees', 'award_decisions') THEN
            ys := ys || ARRAY(SELECT p.cluster_year_id FROM old_rows r
                                JOIN proposals p ON p.tenant_id = r.tenant_id AND p.id = r.proposal_id);
        ELSIF TG_TABLE_NAME = 'unit_awards' THEN
            ys := ys || ARRAY(SELECT p.cluster_year_id FROM old_rows r
                                JOIN award_decisions d ON d.tenant_id = r.tenant_id AND d.id = r.decision_id
                                JOIN proposals p ON p.tenant_id = d.tenant_id AND p.id = d.proposal_id);
        END IF;
    END IF;
    IF cardinality(ys) > 0 THEN
        UPDATE cluster_years SET council_version = nextval('results_version_seq')
         WHERE id IN (SELECT DISTINCT unnest(ys));
    END IF;
    RETURN NULL;
END $$;

-- Only a vote's coming and going changes the list; its ballots and closing do not, so casting
-- a ballot does not wait on the cluster year's row.
CREATE TRIGGER council_version_ins AFTER INSERT ON votes
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION council_version_by_rows();
CREATE TRIGGER council_version_del AFTER DELETE ON votes
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION council_version_by_rows();

CREATE TRIGGER catalog_version_del AFTER DELETE ON cluster_years
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_version_by_rows();
