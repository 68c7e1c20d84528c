-- Every table with a tenant_id has forced row-level security (tests/it/tenancy.rs), the
-- catalog versions of 0038 too. They are written only by the triggers' functions, which run as
-- the role that owns them (the one running migrations): that role gets its own policy, the app
-- keeps reading only its tenant's row.
ALTER TABLE catalog_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY catalog_writer ON catalog_versions TO CURRENT_USER
    USING (true) WITH CHECK (true);
