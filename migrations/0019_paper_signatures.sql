-- A member whose head has no account, or who signed at the ceremony, signs the pledge on paper;
-- the leader unit records that signature with the scanned page (issue 17, item 2). The row in
-- pledge_signatures stays the unit's signature (signed_by is then the person who recorded it);
-- the scan is kept beside it, in the database like evidence, and is never changed or deleted.
ALTER TABLE pledge_signatures
    ADD COLUMN on_paper boolean NOT NULL DEFAULT false,
    -- The date written on the paper page (the ceremony), when known.
    ADD COLUMN paper_signed_on date;

CREATE TABLE pledge_signature_scans (
    tenant_id        bigint NOT NULL,
    cluster_year_id  bigint NOT NULL,
    unit_id          bigint NOT NULL,
    filename         text NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
    content_type     text NOT NULL,
    size_bytes       integer NOT NULL CHECK (size_bytes > 0),
    sha256           bytea NOT NULL,
    data             bytea NOT NULL,
    uploaded_by      bigint NOT NULL,
    uploaded_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, cluster_year_id, unit_id),
    FOREIGN KEY (tenant_id, cluster_year_id, unit_id)
        REFERENCES pledge_signatures (tenant_id, cluster_year_id, unit_id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, uploaded_by) REFERENCES users (tenant_id, id)
);

-- A paper signature without its scan is no record: checked at commit, so the signature and its
-- scan are written in one transaction in either order.
CREATE FUNCTION pledge_paper_signature_has_scan() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.on_paper AND NOT EXISTS (
        SELECT 1 FROM pledge_signature_scans s
         WHERE s.tenant_id = NEW.tenant_id AND s.cluster_year_id = NEW.cluster_year_id
           AND s.unit_id = NEW.unit_id) THEN
        RAISE EXCEPTION 'a paper signature needs its scanned page' USING ERRCODE = '23514';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER pledge_paper_signature_has_scan AFTER INSERT OR UPDATE ON pledge_signatures
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pledge_paper_signature_has_scan();

ALTER TABLE pledge_signature_scans ENABLE ROW LEVEL SECURITY;
ALTER TABLE pledge_signature_scans FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON pledge_signature_scans TO thidua_app
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
GRANT SELECT, INSERT ON pledge_signature_scans TO thidua_app;
