-- The request's session check (issue 9), replacing app_open_session of 0024 for this release
-- (that one stays for the previous release during a rolling upgrade, and goes in the next).
--
-- Two changes:
-- * it also returns the tenant's catalog version (0038), so a page may keep the tenant's names
--   (units, award types, settings, the tenant's own row) in memory under that version without
--   a statement of its own to read it;
-- * a page that only reads (GET) runs without BEGIN and COMMIT, each statement on its own:
--   p_whole_connection binds the tenant for the connection instead of the transaction. The
--   binding is cleared first, in the same statement, so a connection never keeps the previous
--   request's tenant past this call, whatever its outcome. Only the session layer's own pool
--   for pages calls it so (db::AppDb::pages): every use of that pool's connections begins with
--   this call. Those connections are read-only (default_transaction_read_only), so this call
--   writes nothing then: a session that must be ended or touched comes back with needs_write,
--   unbound, and the app checks it again the writing way, in a READ WRITE transaction.

-- The tenant's own row (its name and place name, printed on documents) counts as catalog.
CREATE FUNCTION catalog_version_of_tenants() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO catalog_versions (tenant_id, version)
    SELECT DISTINCT n.id, nextval('results_version_seq') FROM new_rows n
    ON CONFLICT (tenant_id) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END $$;
CREATE TRIGGER catalog_version_upd AFTER UPDATE ON tenants
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_version_of_tenants();

-- The user's row of a live session, as the session check returns it.
CREATE FUNCTION app_request_row(p_tenant bigint, p_token_hash bytea, p_needs_write boolean)
    RETURNS TABLE (tenant_id bigint, user_id bigint, csrf_token text, username text,
                   full_name text, role text, unit_id bigint, unit_name text,
                   must_change_password boolean, tenant_name text, unread_notifications bigint,
                   catalog_version bigint, needs_write boolean)
    LANGUAGE sql STABLE
    AS $$
        SELECT s.tenant_id, s.user_id, s.csrf_token, u.username, u.full_name, u.role,
               u.unit_id, un.name, u.must_change_password, t.name,
               (SELECT count(*) FROM public.notifications n
                 WHERE n.tenant_id = s.tenant_id AND n.user_id = s.user_id
                   AND n.read_at IS NULL),
               COALESCE((SELECT c.version FROM public.catalog_versions c
                          WHERE c.tenant_id = s.tenant_id), 0),
               p_needs_write
          FROM public.sessions s
          JOIN public.users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
          JOIN public.tenants t ON t.id = s.tenant_id
          LEFT JOIN public.units un ON un.tenant_id = u.tenant_id AND un.id = u.unit_id
         WHERE s.tenant_id = p_tenant AND s.token_hash = p_token_hash
    $$;
REVOKE ALL ON FUNCTION app_request_row(bigint, bytea, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_request_row(bigint, bytea, boolean) TO thidua_app;

CREATE FUNCTION app_open_request(p_token_hash bytea, p_idle_seconds bigint,
                                 p_max_seconds bigint, p_whole_connection boolean)
    RETURNS TABLE (tenant_id bigint, user_id bigint, csrf_token text, username text,
                   full_name text, role text, unit_id bigint, unit_name text,
                   must_change_password boolean, tenant_name text, unread_notifications bigint,
                   catalog_version bigint, needs_write boolean)
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
    v_tenant bigint;
BEGIN
    IF p_whole_connection THEN
        PERFORM set_config('app.tenant_id', '', false);
    END IF;
    SELECT f.tenant_id INTO v_tenant FROM public.auth_find_session(p_token_hash) f;
    IF v_tenant IS NULL THEN
        RETURN;
    END IF;
    PERFORM set_config('app.tenant_id', v_tenant::text, NOT p_whole_connection);

    IF p_whole_connection AND EXISTS (
        SELECT 1 FROM public.sessions s
          JOIN public.users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
         WHERE s.tenant_id = v_tenant AND s.token_hash = p_token_hash
           AND (u.disabled
                OR s.last_seen_at < now() - make_interval(secs => p_idle_seconds)
                OR s.created_at < now() - make_interval(secs => p_max_seconds)
                OR s.last_seen_at < now() - interval '60 seconds')) THEN
        RETURN QUERY SELECT * FROM public.app_request_row(v_tenant, p_token_hash, true);
        PERFORM set_config('app.tenant_id', '', false);
        RETURN;
    END IF;
    IF p_whole_connection THEN
        RETURN QUERY SELECT * FROM public.app_request_row(v_tenant, p_token_hash, false);
        RETURN;
    END IF;

    DELETE FROM public.sessions s
     USING public.users u
     WHERE s.tenant_id = v_tenant AND s.token_hash = p_token_hash
       AND u.tenant_id = s.tenant_id AND u.id = s.user_id
       AND (u.disabled
            OR s.last_seen_at < now() - make_interval(secs => p_idle_seconds)
            OR s.created_at < now() - make_interval(secs => p_max_seconds));
    IF FOUND THEN
        RETURN;
    END IF;

    -- Writing on every request would make every page a write; a minute's precision is enough.
    UPDATE public.sessions s SET last_seen_at = now()
     WHERE s.tenant_id = v_tenant AND s.token_hash = p_token_hash
       AND s.last_seen_at < now() - interval '60 seconds';

    RETURN QUERY SELECT * FROM public.app_request_row(v_tenant, p_token_hash, false);
END
$$;
REVOKE ALL ON FUNCTION app_open_request(bytea, bigint, bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_open_request(bytea, bigint, bigint, boolean) TO thidua_app;
