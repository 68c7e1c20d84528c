-- One round trip opens a request: the session is looked up, ended when idle, too old or its
-- account disabled, touched at most once a minute, and the transaction is bound to its tenant.
-- It runs as the caller (thidua_app), so everything after the tenant lookup is under row-level
-- security; only auth_find_session looks across tenants. There is no SET clause on purpose: a
-- function with one would undo the transaction-local set_config when it returns.
CREATE FUNCTION app_open_session(p_token_hash bytea, p_idle_seconds bigint, p_max_seconds bigint)
    RETURNS TABLE (tenant_id bigint, user_id bigint, csrf_token text, username text,
                   full_name text, role text, unit_id bigint, unit_name text,
                   must_change_password boolean, tenant_name text)
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
    v_tenant bigint;
BEGIN
    SELECT f.tenant_id INTO v_tenant FROM public.auth_find_session(p_token_hash) f;
    IF v_tenant IS NULL THEN
        RETURN;
    END IF;
    PERFORM set_config('app.tenant_id', v_tenant::text, true);

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

    RETURN QUERY
        SELECT s.tenant_id, s.user_id, s.csrf_token, u.username, u.full_name, u.role,
               u.unit_id, un.name, u.must_change_password, t.name
          FROM public.sessions s
          JOIN public.users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
          JOIN public.tenants t ON t.id = s.tenant_id
          LEFT JOIN public.units un ON un.tenant_id = u.tenant_id AND un.id = u.unit_id
         WHERE s.tenant_id = v_tenant AND s.token_hash = p_token_hash;
END
$$;
REVOKE ALL ON FUNCTION app_open_session(bytea, bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_open_session(bytea, bigint, bigint) TO thidua_app;
