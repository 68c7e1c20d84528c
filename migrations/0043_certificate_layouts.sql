-- Certificates (bằng khen, giấy khen, the flag's certificate) are printed on pre-printed blanks:
-- thidua prints only the fields, each at its place. One layout per tenant and award type: the
-- paper, its orientation, the texts of the layout (reason line, place, signer) and each field's
-- box in tenths of a millimetre from the paper's top-left, its font size in tenths of a point.
-- The fields are one JSON array because they are read and written only as a whole; the model
-- (certificates::model) checks every value before a write.
CREATE TABLE certificate_layouts (
    tenant_id      bigint NOT NULL,
    award_type_id  bigint NOT NULL,
    paper          text NOT NULL CHECK (paper IN ('A4', 'A3')),
    landscape      boolean NOT NULL,
    reason         text NOT NULL DEFAULT '' CHECK (length(reason) <= 300),
    place          text NOT NULL DEFAULT '' CHECK (length(place) <= 100),
    signer_title   text NOT NULL DEFAULT '' CHECK (length(signer_title) <= 200),
    signer_name    text NOT NULL DEFAULT '' CHECK (length(signer_name) <= 100),
    fields         jsonb NOT NULL CHECK (jsonb_typeof(fields) = 'array'),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    updated_by     bigint NOT NULL,
    PRIMARY KEY (tenant_id, award_type_id),
    FOREIGN KEY (tenant_id, award_type_id) REFERENCES award_types (tenant_id, id),
    FOREIGN KEY (tenant_id, updated_by) REFERENCES users (tenant_id, id)
);

ALTER TABLE certificate_layouts ENABLE ROW LEVEL SECURITY;
ALTER TABLE certificate_layouts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON certificate_layouts TO thidua_app
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

GRANT SELECT, INSERT, UPDATE ON certificate_layouts TO thidua_app;
