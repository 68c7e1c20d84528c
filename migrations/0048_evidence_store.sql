-- Evidence bytes may live in an S3-compatible store instead of the row (issue 16, item 5). The
-- row always keeps the name, type, size and sha256, and says where the bytes are: 'db' (in
-- `data`, as before) or 's3' (under `object_key`, `data` empty). The key is the tenant's id and
-- the file's hash, checked here, so a row can only ever name an object of its own tenant, and
-- the same file uploaded twice is one object.
--
-- Compatible with the previous release for one step: its inserts leave `stored_in` at 'db' with
-- the bytes in `data`; it cannot read a moved ('s3') row, so move files only after upgrading
-- every instance.
ALTER TABLE evidence
    ALTER COLUMN data DROP NOT NULL,
    ADD COLUMN stored_in text NOT NULL DEFAULT 'db' CHECK (stored_in IN ('db', 's3')),
    ADD COLUMN object_key text;

ALTER TABLE evidence ADD CONSTRAINT evidence_bytes_where CHECK (
    (stored_in = 'db' AND data IS NOT NULL AND object_key IS NULL)
    OR (stored_in = 's3' AND data IS NULL
        AND object_key = 't' || tenant_id || '/' || encode(sha256, 'hex'))
);

