-- The council's home counts the tenant's active units and enabled accounts (100,000 at
-- national scale, tens of milliseconds to count). It keeps the counts under the tenant's
-- catalog version (0038), which accounts now raise too: when one is created or removed, or
-- disabled or enabled. Other changes of an account (its last login, its password) do not,
-- so a login does not make every other request wait on the tenant's row.
DO $$
BEGIN
    EXECUTE 'CREATE TRIGGER catalog_version_ins AFTER INSERT ON users
               REFERENCING NEW TABLE AS new_rows
               FOR EACH STATEMENT EXECUTE FUNCTION catalog_version_by_rows()';
    EXECUTE 'CREATE TRIGGER catalog_version_del AFTER DELETE ON users
               REFERENCING OLD TABLE AS old_rows
               FOR EACH STATEMENT EXECUTE FUNCTION catalog_version_by_rows()';
END $$;

CREATE FUNCTION catalog_version_by_account() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO catalog_versions (tenant_id, version)
    VALUES (NEW.tenant_id, nextval('results_version_seq'))
    ON CONFLICT (tenant_id) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END $$;
CREATE TRIGGER catalog_version_upd AFTER UPDATE OF disabled, tenant_id ON users
    FOR EACH ROW WHEN (OLD.disabled IS DISTINCT FROM NEW.disabled
                       OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id)
    EXECUTE FUNCTION catalog_version_by_account();
