-- The login throttle as counters behind a secret hash (issue 12, items 9 and 13).
--
-- login_attempts kept a row per attempt, readable by the application role: every tenant's
-- usernames and addresses were one SELECT away, and a locked-out flood wrote a row per request.
-- Now there is one counter row per (account, address) pair, per account and per address, keyed
-- by SHA-256 over a secret only thidua_auth can read, so a dictionary of usernames cannot be
-- matched against the keys. The application role cannot read the table at all: it asks
-- SECURITY DEFINER functions about the one username and address it is handling.
-- Who tried what stays in the log (the "login attempt" line), not in the database.
DROP TABLE login_attempts;

CREATE TABLE auth_secret (
    id     boolean PRIMARY KEY DEFAULT true CHECK (id),
    secret bytea NOT NULL
);
-- gen_random_uuid() is the built-in source of strong randomness (122 bits each).
INSERT INTO auth_secret (secret)
VALUES (sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text
                          || gen_random_uuid()::text, 'UTF8')));

CREATE TABLE login_throttle (
    kind          text NOT NULL CHECK (kind IN ('pair', 'account', 'address')),
    key           bytea NOT NULL,
    failures      integer NOT NULL DEFAULT 0,
    last_failure  timestamptz,
    last_success  timestamptz,
    touched_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, key)
);
CREATE INDEX login_throttle_touched ON login_throttle (touched_at);

REVOKE ALL ON auth_secret, login_throttle FROM PUBLIC;
GRANT SELECT ON auth_secret TO thidua_auth;
GRANT SELECT, INSERT, UPDATE, DELETE ON login_throttle TO thidua_auth;

CREATE FUNCTION auth_throttle_key(p_kind text, p_value text) RETURNS bytea
    LANGUAGE sql STABLE SET search_path = public
    AS $$ SELECT sha256(s.secret || convert_to(p_kind || ':' || p_value, 'UTF8')) FROM auth_secret s $$;

-- What the throttle knows about one username and one address, and nothing else. A counter
-- whose failures are older than its window reads as zero.
CREATE FUNCTION auth_throttle_state(p_username text, p_ip text)
    RETURNS TABLE (pair_failures integer, pair_last_failure timestamptz, pair_known boolean,
                   account_failures integer, account_last_failure timestamptz,
                   address_failures integer, address_last_failure timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
    AS $$
        SELECT coalesce(p.failures, 0), p.last_failure,
               coalesce(p.last_success > now() - interval '30 days', false),
               coalesce(a.failures, 0), a.last_failure,
               coalesce(d.failures, 0), d.last_failure
          FROM (SELECT 1) one
          LEFT JOIN login_throttle p
            ON p.kind = 'pair' AND p.key = auth_throttle_key('pair', p_username || E'\n' || p_ip)
          LEFT JOIN login_throttle a
            ON a.kind = 'account' AND a.key = auth_throttle_key('account', p_username)
           AND a.last_failure > now() - interval '1 day'
          LEFT JOIN login_throttle d
            ON d.kind = 'address' AND d.key = auth_throttle_key('address', p_ip)
           AND d.last_failure > now() - interval '15 minutes'
    $$;

-- A checked attempt: a failure counts against the pair, the account and the address (each
-- restarting when its last failure is older than its window); a success clears the pair and the
-- account and marks the address as one the owner uses.
CREATE FUNCTION auth_throttle_record(p_username text, p_ip text, p_success boolean) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public
    AS $$
DECLARE
    v_pair bytea := auth_throttle_key('pair', p_username || E'\n' || p_ip);
    v_account bytea := auth_throttle_key('account', p_username);
    v_address bytea := auth_throttle_key('address', p_ip);
BEGIN
    IF p_success THEN
        INSERT INTO login_throttle AS t (kind, key, last_success) VALUES ('pair', v_pair, now())
            ON CONFLICT (kind, key) DO UPDATE
            SET failures = 0, last_success = now(), touched_at = now();
        UPDATE login_throttle SET failures = 0, touched_at = now()
         WHERE kind = 'account' AND key = v_account;
        RETURN;
    END IF;
    INSERT INTO login_throttle AS t (kind, key, failures, last_failure)
    VALUES ('pair', v_pair, 1, now()), ('account', v_account, 1, now()),
           ('address', v_address, 1, now())
        ON CONFLICT (kind, key) DO UPDATE
        SET failures = CASE
                WHEN t.last_failure IS NULL
                  OR t.last_failure < now() - CASE t.kind WHEN 'address' THEN interval '15 minutes'
                                                          ELSE interval '1 day' END
                THEN 1 ELSE t.failures + 1 END,
            last_failure = now(), touched_at = now();
END
$$;

-- Housekeeping, bounded so one call never holds locks for long: counters idle for a day (and
-- without a success in 30 days), and sessions past their idle or absolute limit, in any tenant.
CREATE FUNCTION auth_prune(p_idle_seconds bigint, p_max_seconds bigint, p_limit integer)
    RETURNS TABLE (counters bigint, sessions bigint)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public
    AS $$
DECLARE
    v_counters bigint;
    v_sessions bigint;
BEGIN
    DELETE FROM login_throttle WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM login_throttle
         WHERE touched_at < now() - interval '1 day'
           AND (last_success IS NULL OR last_success < now() - interval '30 days')
         LIMIT p_limit));
    GET DIAGNOSTICS v_counters = ROW_COUNT;
    DELETE FROM sessions WHERE token_hash = ANY(ARRAY(
        SELECT token_hash FROM sessions
         WHERE last_seen_at < now() - make_interval(secs => p_idle_seconds)
            OR created_at < now() - make_interval(secs => p_max_seconds)
         LIMIT p_limit));
    GET DIAGNOSTICS v_sessions = ROW_COUNT;
    RETURN QUERY SELECT v_counters, v_sessions;
END
$$;

-- Pruning reaches expired sessions of every tenant.
GRANT DELETE ON sessions TO thidua_auth;
CREATE POLICY auth_delete ON sessions FOR DELETE TO thidua_auth USING (true);

ALTER FUNCTION auth_throttle_key(text, text) OWNER TO thidua_auth;
ALTER FUNCTION auth_throttle_state(text, text) OWNER TO thidua_auth;
ALTER FUNCTION auth_throttle_record(text, text, boolean) OWNER TO thidua_auth;
ALTER FUNCTION auth_prune(bigint, bigint, integer) OWNER TO thidua_auth;
REVOKE ALL ON FUNCTION auth_throttle_key(text, text), auth_throttle_state(text, text),
    auth_throttle_record(text, text, boolean), auth_prune(bigint, bigint, integer)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_throttle_state(text, text),
    auth_throttle_record(text, text, boolean), auth_prune(bigint, bigint, integer)
    TO thidua_app;
