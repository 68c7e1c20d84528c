-- The council's dashboard of a year (issue 9) is derived from every cluster year of that year:
-- their leaders, phases, members and sheets, dossiers, nominees, decisions and the council's
-- Government-flag selection, and from the tenant's names (units, clusters, award types) and
-- settings. At national scale (1,000 cluster years, 10,000 units) deriving it takes seconds,
-- so the app keeps it in memory under a version that the database changes on every write that
-- could change it; each request reads that version in its own transaction, so every app
-- instance on this database sees a write made through any other at once.
--
-- Two parts make the version:
-- * cluster_years.council_version, changed by any change of the row (results_version included,
--   so everything that changes a year's results changes it too) and by writes to the rows that
--   hang below the year;
-- * catalog_versions.version, one per tenant, changed by writes to its units, clusters, award
--   types and settings, which the dashboard names but which are not below any one year.
-- Numbers come from results_version_seq, so a rolled-back write never hands one out twice.
-- The law's rule sets change only by migration and are not counted.

ALTER TABLE cluster_years
    ADD COLUMN council_version bigint NOT NULL DEFAULT nextval('results_version_seq');

CREATE FUNCTION council_version_on_year() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW IS DISTINCT FROM OLD THEN
        NEW.council_version := nextval('results_version_seq');
    END IF;
    RETURN NEW;
END $$;
-- BEFORE triggers run in name order: this one runs after results_version_on_year has set the
-- new results version, whose change it then sees.
CREATE TRIGGER zz_council_version_on_year BEFORE UPDATE ON cluster_years
    FOR EACH ROW EXECUTE FUNCTION council_version_on_year();

-- Rows below a year, whatever way they name it. Once per statement, like results_version.
CREATE FUNCTION council_version_by_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ys bigint[] := '{}';
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF TG_TABLE_NAME IN ('proposals', 'government_flag_selections') THEN
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
        IF TG_TABLE_NAME IN ('proposals', 'government_flag_selections') THEN
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

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['proposals', 'proposal_nominees', 'award_decisions', 'unit_awards',
                             'government_flag_selections'] LOOP
        EXECUTE format('CREATE TRIGGER council_version_ins AFTER INSERT ON %I
                          REFERENCING NEW TABLE AS new_rows
                          FOR EACH STATEMENT EXECUTE FUNCTION council_version_by_rows()', t);
        EXECUTE format('CREATE TRIGGER council_version_del AFTER DELETE ON %I
                          REFERENCING OLD TABLE AS old_rows
                          FOR EACH STATEMENT EXECUTE FUNCTION council_version_by_rows()', t);
        EXECUTE format('CREATE TRIGGER council_version_upd AFTER UPDATE ON %I
                          REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                          FOR EACH STATEMENT EXECUTE FUNCTION council_version_by_rows()', t);
    END LOOP;
END $$;

-- The tenant-wide part. Its rows are written only by the trigger below, which runs as this
-- table's owner so that every role that may write a unit (the app, the command line creating a
-- tenant) bumps it; the app only reads its own tenant's row.
CREATE TABLE catalog_versions (
    tenant_id bigint PRIMARY KEY REFERENCES tenants (id),
    version   bigint NOT NULL
);
ALTER TABLE catalog_versions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON catalog_versions FOR SELECT TO thidua_app
    USING (tenant_id = app_tenant());
GRANT SELECT ON catalog_versions TO thidua_app;

CREATE FUNCTION catalog_version_by_rows() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    ts bigint[] := '{}';
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        ts := ts || ARRAY(SELECT tenant_id FROM new_rows);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        ts := ts || ARRAY(SELECT tenant_id FROM old_rows);
    END IF;
    INSERT INTO catalog_versions (tenant_id, version)
    SELECT t, nextval('results_version_seq') FROM (SELECT DISTINCT unnest(ts) AS t) d
    ON CONFLICT (tenant_id) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END $$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['units', 'clusters', 'award_types', 'tenant_settings'] LOOP
        EXECUTE format('CREATE TRIGGER catalog_version_ins AFTER INSERT ON %I
                          REFERENCING NEW TABLE AS new_rows
                          FOR EACH STATEMENT EXECUTE FUNCTION catalog_version_by_rows()', t);
        EXECUTE format('CREATE TRIGGER catalog_version_del AFTER DELETE ON %I
                          REFERENCING OLD TABLE AS old_rows
                          FOR EACH STATEMENT EXECUTE FUNCTION catalog_version_by_rows()', t);
        EXECUTE format('CREATE TRIGGER catalog_version_upd AFTER UPDATE ON %I
                          REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                          FOR EACH STATEMENT EXECUTE FUNCTION catalog_version_by_rows()', t);
    END LOOP;
END $$;

INSERT INTO catalog_versions (tenant_id, version)
SELECT id, nextval('results_version_seq') FROM tenants;
