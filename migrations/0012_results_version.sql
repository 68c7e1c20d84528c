-- A cluster year's results (totals, ranks, ratings, days late) are derived from its members, its
-- sheets and their entries, its table and its deadline. The app keeps them in memory by this
-- version, which the database changes on every write that could change them; each request
-- reads the version with the year, so every app instance on this database sees a change made
-- through any other at once, without telling it.
--
-- The version comes from a sequence rather than a counter: a transaction that writes, reads its
-- own new version, caches results under it and then rolls back leaves a number that is never
-- handed out again, so no later state can meet that cached entry.
CREATE SEQUENCE results_version_seq;
GRANT USAGE ON SEQUENCE results_version_seq TO thidua_app;

ALTER TABLE cluster_years
    ADD COLUMN results_version bigint NOT NULL DEFAULT nextval('results_version_seq');

-- A year's own settings that feed its results.
CREATE FUNCTION results_version_on_year() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.criteria_table_id IS DISTINCT FROM OLD.criteria_table_id
       OR NEW.scoring_deadline IS DISTINCT FROM OLD.scoring_deadline THEN
        NEW.results_version := nextval('results_version_seq');
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER results_version_on_year BEFORE UPDATE ON cluster_years
    FOR EACH ROW EXECUTE FUNCTION results_version_on_year();

-- Rows that name their cluster year: members and sheets. Once per statement, so saving a sheet
-- of forty entries bumps its year once.
CREATE FUNCTION results_version_by_year_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE cluster_years y SET results_version = nextval('results_version_seq')
          FROM (SELECT DISTINCT tenant_id, cluster_year_id FROM new_rows) c
         WHERE y.tenant_id = c.tenant_id AND y.id = c.cluster_year_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE cluster_years y SET results_version = nextval('results_version_seq')
          FROM (SELECT DISTINCT tenant_id, cluster_year_id FROM old_rows) c
         WHERE y.tenant_id = c.tenant_id AND y.id = c.cluster_year_id;
    END IF;
    RETURN NULL;
END $$;

-- Entries name their sheet, which names the year.
CREATE FUNCTION results_version_by_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE cluster_years y SET results_version = nextval('results_version_seq')
          FROM (SELECT DISTINCT s.tenant_id, s.cluster_year_id
                  FROM new_rows e
                  JOIN scoresheets s ON s.tenant_id = e.tenant_id AND s.id = e.sheet_id) c
         WHERE y.tenant_id = c.tenant_id AND y.id = c.cluster_year_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE cluster_years y SET results_version = nextval('results_version_seq')
          FROM (SELECT DISTINCT s.tenant_id, s.cluster_year_id
                  FROM old_rows e
                  JOIN scoresheets s ON s.tenant_id = e.tenant_id AND s.id = e.sheet_id) c
         WHERE y.tenant_id = c.tenant_id AND y.id = c.cluster_year_id;
    END IF;
    RETURN NULL;
END $$;

-- PostgreSQL allows transition tables only on single-event triggers here, so one trigger per
-- event.
CREATE TRIGGER results_version_ins AFTER INSERT ON cluster_members
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION results_version_by_year_rows();
CREATE TRIGGER results_version_del AFTER DELETE ON cluster_members
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION results_version_by_year_rows();
CREATE TRIGGER results_version_upd AFTER UPDATE ON cluster_members
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION results_version_by_year_rows();

CREATE TRIGGER results_version_ins AFTER INSERT ON scoresheets
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION results_version_by_year_rows();
CREATE TRIGGER results_version_del AFTER DELETE ON scoresheets
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION results_version_by_year_rows();
CREATE TRIGGER results_version_upd AFTER UPDATE ON scoresheets
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION results_version_by_year_rows();

CREATE TRIGGER results_version_ins AFTER INSERT ON sheet_entries
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION results_version_by_entries();
CREATE TRIGGER results_version_del AFTER DELETE ON sheet_entries
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION results_version_by_entries();
CREATE TRIGGER results_version_upd AFTER UPDATE ON sheet_entries
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION results_version_by_entries();
