-- The session check of every page (migrations 0047, 0050), on a page's connection.
SELECT * FROM app_open_request('\x:HASH'::bytea, 28800, 43200, true);
