-- A user can see their sessions and end one (issue 12, item 12): each session gets an id to
-- name it in a form (its token hash must never reach a page) and the browser it came from.
ALTER TABLE sessions
    ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY,
    ADD COLUMN user_agent text NOT NULL DEFAULT '' CHECK (length(user_agent) <= 300);
CREATE UNIQUE INDEX sessions_tenant_id ON sessions (tenant_id, id);
GRANT USAGE, SELECT ON SEQUENCE sessions_id_seq TO thidua_app;
