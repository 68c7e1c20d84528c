-- The versions that say whether the year kept in memory still holds (src/org/year.rs).
SELECT y.council_version, COALESCE((SELECT c.version FROM catalog_versions c WHERE c.tenant_id = :TENANT), 0) AS catalog_version FROM cluster_years y WHERE y.tenant_id = :TENANT AND y.id = :YEAR;
