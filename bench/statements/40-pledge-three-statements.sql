-- The pledge page before session 27: the pledge, its items, its signatures (src/cycle/store/pledge.rs).
SELECT state, opened_at, locked_at FROM pledges WHERE tenant_id = :TENANT AND cluster_year_id = :YEAR;
SELECT id, position, text FROM pledge_items WHERE tenant_id = :TENANT AND cluster_year_id = :YEAR ORDER BY position;
SELECT s.unit_id, u.full_name AS signed_by_name, s.signed_at, s.on_paper, s.paper_signed_on FROM pledge_signatures s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.signed_by WHERE s.tenant_id = :TENANT AND s.cluster_year_id = :YEAR;
