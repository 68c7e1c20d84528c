-- Diacritic-blind substring search over thousands of units and tens of thousands of users:
-- trigram indexes on the same search_key() expressions the queries use.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX units_search ON units
    USING gin (search_key(name || ' ' || short_name || ' ' || code || ' ' || kind) gin_trgm_ops);
CREATE INDEX users_search ON users
    USING gin (search_key(full_name || ' ' || username) gin_trgm_ops);
