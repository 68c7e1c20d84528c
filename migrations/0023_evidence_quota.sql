-- How much evidence one scoring sheet may hold, in MB (issue 12, item 5): each council sets it;
-- 0 means no quota. Checked when a file is saved, with the sheet's row locked, so two uploads at
-- once cannot both squeeze under it.
ALTER TABLE tenant_settings ADD COLUMN evidence_quota_mb integer NOT NULL DEFAULT 50
    CHECK (evidence_quota_mb BETWEEN 0 AND 100000);
