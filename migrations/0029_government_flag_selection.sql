-- The council's choice of Government-flag nominees (Công văn 5007/BNV-TĐKT, 2023): among the
-- units voted to lead their cluster or bloc, at most the share (20%) of them. A row is one
-- chosen unit with the cluster year it leads, so the council's list can name that cluster; a
-- cluster year is led by one unit, so it is chosen at most once.
CREATE TABLE government_flag_selections (
    tenant_id        bigint NOT NULL,
    year             integer NOT NULL CHECK (year BETWEEN 1945 AND 2100),
    cluster_year_id  bigint NOT NULL,
    unit_id          bigint NOT NULL,
    position         integer NOT NULL CHECK (position >= 1),
    selected_by      bigint,
    selected_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, year, cluster_year_id),
    UNIQUE (tenant_id, year, unit_id),
    FOREIGN KEY (tenant_id, cluster_year_id) REFERENCES cluster_years (tenant_id, id),
    FOREIGN KEY (tenant_id, unit_id) REFERENCES units (tenant_id, id),
    FOREIGN KEY (tenant_id, selected_by) REFERENCES users (tenant_id, id)
);

ALTER TABLE government_flag_selections ENABLE ROW LEVEL SECURITY;
ALTER TABLE government_flag_selections FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON government_flag_selections TO thidua_app
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- A new selection replaces the year's whole list in one transaction.
GRANT SELECT, INSERT, DELETE ON government_flag_selections TO thidua_app;
