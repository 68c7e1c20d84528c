-- The cluster's year-end report (báo cáo tổng kết công tác thi đua, khen thưởng): the figures
-- are drawn from the year's data each time it is printed; only what the leader writes is kept.
CREATE TABLE year_end_reports (
    tenant_id        bigint NOT NULL,
    cluster_year_id  bigint NOT NULL,
    number           text NOT NULL DEFAULT '' CHECK (length(number) <= 60),
    dated            date,
    situation        text NOT NULL DEFAULT '' CHECK (length(situation) <= 20000),
    strengths        text NOT NULL DEFAULT '' CHECK (length(strengths) <= 20000),
    shortcomings     text NOT NULL DEFAULT '' CHECK (length(shortcomings) <= 20000),
    direction        text NOT NULL DEFAULT '' CHECK (length(direction) <= 20000),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    updated_by       bigint NOT NULL,
    PRIMARY KEY (tenant_id, cluster_year_id),
    FOREIGN KEY (tenant_id, cluster_year_id) REFERENCES cluster_years (tenant_id, id),
    FOREIGN KEY (tenant_id, updated_by) REFERENCES users (tenant_id, id)
);

ALTER TABLE year_end_reports ENABLE ROW LEVEL SECURITY;
ALTER TABLE year_end_reports FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON year_end_reports TO thidua_app
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

GRANT SELECT, INSERT, UPDATE ON year_end_reports TO thidua_app;
