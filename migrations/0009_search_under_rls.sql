-- Unit and user search that an index answers with row-level security in force.
--
-- 0004's trigram indexes were never used by the application. Requests run as thidua_app, so the
-- policy's qual (tenant_id = app_tenant()) comes first, and the planner may make a search qual an
-- index condition ahead of it only if every function that qual applies to a column is LEAKPROOF.
-- None of the search's is (pg_proc.proleakproof): not LIKE (textlike), || (textcat), lower() or
-- unaccent(); nor are ILIKE, pg_trgm's % and <%, or the array operators && and @> (arrayoverlap,
-- arraycontains) that might stand in for them. So each search read every row of the tenant and
-- folded it with unaccent() (about 160 ms at 20,000 users). Only a superuser may mark a function
-- LEAKPROOF or add an operator to an operator class, and an external database's owner need not
-- be one.
--
-- Instead every unit and user keeps its search terms in a table of its own: each suffix of its
-- folded search text, prefixed by its tenant ("12/lang son", "12/ang son", ...). The text
-- contains q exactly when one of its terms starts with the folded q, so a search asks for terms
-- with the prefix search_prefix(tenant, q). starts_with (^@) is LEAKPROOF, and SP-GiST's text_ops
-- answers it from the index whether q is a constant or a parameter (btree derives a range from
-- ^@ only for a constant, which a cached generic plan does not have). The term tables are sealed
-- like every tenant table: forced row-level security, the same policy, and a CHECK that ties each
-- term's prefix to the row's tenant.
--
-- The price is space and write time: a text of n characters has n terms, about 120 bytes each
-- with their indexes (2.6 kB for a user whose name and username make 22 characters: 260 MB for
-- 100,000 users, whose own table takes 21 MB), and a new unit or user writes them all. Terms are kept whole, so the match is exact (and % or _
-- in q are plain characters, as a reader expects); the forms cap the texts, a unit's at about
-- 550 characters.

-- What a unit and a user are found by; the application's searches fold the same texts.
CREATE FUNCTION unit_search_text(name text, short_name text, code text, kind text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT name || ' ' || short_name || ' ' || code || ' ' || kind $$;

CREATE FUNCTION user_search_text(full_name text, username text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT full_name || ' ' || username $$;

-- The terms of a text: every suffix of its folded form, after the tenant's id and a slash.
CREATE FUNCTION search_terms(tenant_id bigint, t text) RETURNS SETOF text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
        SELECT tenant_id::text || '/' || substr(k, i)
          FROM search_key(t) k, generate_series(1, length(k)) i
    $$;

-- The prefix that the terms of a text containing q start with (the search is "term ^@ this").
CREATE FUNCTION search_prefix(tenant_id bigint, q text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT tenant_id::text || '/' || search_key(q) $$;

CREATE TABLE unit_search_terms (
    tenant_id bigint NOT NULL,
    unit_id   bigint NOT NULL,
    term      text NOT NULL CHECK (term ^@ (tenant_id::text || '/'))
);

CREATE TABLE user_search_terms (
    tenant_id bigint NOT NULL,
    user_id   bigint NOT NULL,
    term      text NOT NULL CHECK (term ^@ (tenant_id::text || '/'))
);

-- Terms follow their unit or user: written on insert, rewritten when the searched text changes,
-- removed on delete. Triggers rather than a foreign key: a unit has dozens of terms, and checking
-- the key for each made writing them several times slower. The functions run as the caller, so
-- the policies below hold for them too.
CREATE FUNCTION unit_search_terms_sync() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM unit_search_terms WHERE tenant_id = OLD.tenant_id AND unit_id = OLD.id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN NULL;
    END IF;
    INSERT INTO unit_search_terms (tenant_id, unit_id, term)
        SELECT NEW.tenant_id, NEW.id, t
          FROM search_terms(NEW.tenant_id,
                            unit_search_text(NEW.name, NEW.short_name, NEW.code, NEW.kind)) t;
    RETURN NULL;
END
$$;

CREATE FUNCTION user_search_terms_sync() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM user_search_terms WHERE tenant_id = OLD.tenant_id AND user_id = OLD.id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN NULL;
    END IF;
    INSERT INTO user_search_terms (tenant_id, user_id, term)
        SELECT NEW.tenant_id, NEW.id, t
          FROM search_terms(NEW.tenant_id, user_search_text(NEW.full_name, NEW.username)) t;
    RETURN NULL;
END
$$;

CREATE TRIGGER units_search_terms_insert AFTER INSERT ON units
    FOR EACH ROW EXECUTE FUNCTION unit_search_terms_sync();
CREATE TRIGGER units_search_terms_update
    AFTER UPDATE OF tenant_id, id, name, short_name, code, kind ON units
    FOR EACH ROW
    WHEN ((OLD.tenant_id, OLD.id, OLD.name, OLD.short_name, OLD.code, OLD.kind)
          IS DISTINCT FROM (NEW.tenant_id, NEW.id, NEW.name, NEW.short_name, NEW.code, NEW.kind))
    EXECUTE FUNCTION unit_search_terms_sync();
CREATE TRIGGER units_search_terms_delete AFTER DELETE ON units
    FOR EACH ROW EXECUTE FUNCTION unit_search_terms_sync();

CREATE TRIGGER users_search_terms_insert AFTER INSERT ON users
    FOR EACH ROW EXECUTE FUNCTION user_search_terms_sync();
CREATE TRIGGER users_search_terms_update
    AFTER UPDATE OF tenant_id, id, full_name, username ON users
    FOR EACH ROW
    WHEN ((OLD.tenant_id, OLD.id, OLD.full_name, OLD.username)
          IS DISTINCT FROM (NEW.tenant_id, NEW.id, NEW.full_name, NEW.username))
    EXECUTE FUNCTION user_search_terms_sync();
CREATE TRIGGER users_search_terms_delete AFTER DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION user_search_terms_sync();

-- The terms of the rows there already. FORCE binds the owner running this migration to the
-- policies, which show it no tenant's rows unless it is a superuser; lifting FORCE for the
-- length of this transaction lets an owner that is not one read them all. Nobody else sees the
-- change: ALTER TABLE holds its lock until the commit, when FORCE is back.
ALTER TABLE units NO FORCE ROW LEVEL SECURITY;
ALTER TABLE users NO FORCE ROW LEVEL SECURITY;
INSERT INTO unit_search_terms (tenant_id, unit_id, term)
    SELECT u.tenant_id, u.id, t
      FROM units u, search_terms(u.tenant_id, unit_search_text(u.name, u.short_name, u.code, u.kind)) t;
INSERT INTO user_search_terms (tenant_id, user_id, term)
    SELECT u.tenant_id, u.id, t
      FROM users u, search_terms(u.tenant_id, user_search_text(u.full_name, u.username)) t;
ALTER TABLE units FORCE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;

-- The search's index, and the one that finds a unit's or user's terms to replace or delete.
-- The search's index includes the ids, so that a search reads them from the index alone (an
-- index-only scan) rather than from a table page for each term: three times faster when 40,000
-- of 100,000 users match.
CREATE INDEX unit_search_terms_term ON unit_search_terms USING spgist (term)
    INCLUDE (tenant_id, unit_id);
CREATE INDEX unit_search_terms_unit ON unit_search_terms (tenant_id, unit_id);
CREATE INDEX user_search_terms_term ON user_search_terms USING spgist (term)
    INCLUDE (tenant_id, user_id);
CREATE INDEX user_search_terms_user ON user_search_terms (tenant_id, user_id);

ALTER TABLE unit_search_terms ENABLE ROW LEVEL SECURITY;
ALTER TABLE unit_search_terms FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON unit_search_terms TO thidua_app
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

ALTER TABLE user_search_terms ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_search_terms FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_search_terms TO thidua_app
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

GRANT SELECT, INSERT, DELETE ON unit_search_terms, user_search_terms TO thidua_app;

-- Unused under row-level security (see above), and every write paid for them.
DROP INDEX units_search;
DROP INDEX users_search;
