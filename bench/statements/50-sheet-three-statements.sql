-- The sheet page before session 27: the sheet, its lines, its evidence with the quota
-- (src/scoring/store/mod.rs and evidence.rs).
SELECT id, cluster_year_id, unit_id, status, version, deadline_override, submitted_at, returned_reason, finalised_at FROM scoresheets WHERE tenant_id = :TENANT AND cluster_year_id = :YEAR AND unit_id = :UNIT;
SELECT criterion_id, self_points, explanation, not_applicable, na_reason, verified_points, verify_reason FROM sheet_entries WHERE tenant_id = :TENANT AND sheet_id = :SHEET;
SELECT COALESCE((SELECT evidence_quota_mb FROM tenant_settings WHERE tenant_id = :TENANT), 50) AS quota_mb, e.id, e.criterion_id, e.filename, e.size_bytes, e.uploaded_at FROM (SELECT 1) one LEFT JOIN evidence e ON e.tenant_id = :TENANT AND e.sheet_id = :SHEET ORDER BY e.uploaded_at, e.id;
