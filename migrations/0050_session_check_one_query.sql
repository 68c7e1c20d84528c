-- The session check runs on every page, so its cost is every page's (issue 9). Measured with
-- pgbench on the demo (one client, the same server): the check took 84–90 µs against 13–18 µs
-- for a statement that reads nothing, and 54–62 µs with both changes below.
--
-- * auth_find_session in PL/pgSQL: a LANGUAGE sql function that cannot be inlined (this one is
--   SECURITY DEFINER) is parsed and planned again on every call; PL/pgSQL keeps its plan for
--   the connection. Same signature, result and owner.
-- * On a page's read-only connection, the session's row and whether it needs a write (ended,
--   disabled, or due its once-a-minute touch) come from one query instead of two; the binding
--   is still cleared first and again when the session is not usable as it is, so a connection
--   never keeps a tenant past this call unless the page may use it.

CREATE OR REPLACE FUNCTION auth_find_session(p_token_hash bytea)
    RETURNS TABLE (tenant_id bigint, user_id bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public
    AS $$
BEGIN
    RETURN QUERY SELECT s.tenant_id, s.user_id FROM public.sessions s
                  WHERE s.token_hash = p_token_hash;
END
$$;

CREATE OR REPLACE FUNCTION app_open_request(p_token_hash bytea, p_idle_seconds bigint,
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

    IF p_whole_connection THEN
        -- app_request_row's columns and the test for a needed write, read in one query into
        -- this function's OUT columns, checked, and only then returned.
        SELECT s.tenant_id, s.user_id, s.csrf_token, u.username, u.full_name, u.role,
               u.unit_id, un.name, u.must_change_password, t.name,
               (SELECT count(*) FROM public.notifications n
                 WHERE n.tenant_id = s.tenant_id AND n.user_id = s.user_id
                   AND n.read_at IS NULL),
               COALESCE((SELECT c.version FROM public.catalog_versions c
                          WHERE c.tenant_id = s.tenant_id), 0),
               (u.disabled
                OR s.last_seen_at < now() - make_interval(secs => p_idle_seconds)
                OR s.created_at < now() - make_interval(secs => p_max_seconds)
                OR s.last_seen_at < now() - interval '60 seconds')
          INTO tenant_id, user_id, csrf_token, username, full_name, role, unit_id, unit_name,
               must_change_password, tenant_name, unread_notifications, catalog_version,
               needs_write
          FROM public.sessions s
          JOIN public.users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
          JOIN public.tenants t ON t.id = s.tenant_id
          LEFT JOIN public.units un ON un.tenant_id = u.tenant_id AND un.id = u.unit_id
         WHERE s.tenant_id = v_tenant AND s.token_hash = p_token_hash;
        IF NOT FOUND THEN
            PERFORM set_config('app.tenant_id', '', false);
            RETURN;
        END IF;
        IF needs_write THEN
            PERFORM set_config('app.tenant_id', '', false);
        END IF;
        RETURN NEXT;
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
