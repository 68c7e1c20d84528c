-- The request that wrote an audit row, so a user's report of an error page ("mã yêu cầu ...")
-- and the audit trail can be joined with the server's log. Null for rows written outside a
-- request (the command line, the demo) and for rows written before this column existed.
ALTER TABLE audit_log ADD COLUMN request_id text;
