-- The figures of the yearly statistical forms that thidua cannot count (awards decided outside
-- it, individuals, households, staffing): typed by the council's staff, one row per cell, with
-- who typed it and when. Computed cells are never stored: they are counted again on every view.
CREATE TABLE statistics_typed (
    tenant_id  bigint NOT NULL REFERENCES tenants (id),
    year       integer NOT NULL CHECK (year BETWEEN 1945 AND 2100),
    -- 'all' (the whole tenant) or 'c' and a cluster's id.
    scope      text NOT NULL CHECK (scope ~ '^(all|c[0-9]{1,18})$'),
    form       text NOT NULL CHECK (form ~ '^[0-9]{4}$'),
    row_code   text NOT NULL CHECK (row_code ~ '^[0-9]{2}$'),
    col_code   text NOT NULL CHECK (col_code ~ '^[0-9]{1,2}$'),
    value      bigint NOT NULL CHECK (value BETWEEN 0 AND 1000000000),
    typed_by   bigint NOT NULL,
    typed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, year, scope, form, row_code, col_code),
    FOREIGN KEY (tenant_id, typed_by) REFERENCES users (tenant_id, id)
);

ALTER TABLE statistics_typed ENABLE ROW LEVEL SECURITY;
ALTER TABLE statistics_typed FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON statistics_typed TO thidua_app
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

GRANT SELECT, INSERT, UPDATE, DELETE ON statistics_typed TO thidua_app;
