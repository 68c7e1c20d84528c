-- Logging in ends the session the browser brought, whichever tenant it belongs to (issue 12,
-- item 11). The login's transaction is bound to the new user's tenant, where row-level security
-- hides a session of another tenant, so a plain DELETE left it alive. Knowing the hash means
-- holding the cookie, so this ends nobody's session but the caller's own.
CREATE FUNCTION auth_end_session(p_token_hash bytea) RETURNS void
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public
    AS $$ DELETE FROM sessions WHERE token_hash = p_token_hash $$;

ALTER FUNCTION auth_end_session(bytea) OWNER TO thidua_auth;
REVOKE ALL ON FUNCTION auth_end_session(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_end_session(bytea) TO thidua_app;
