-- One achievement report per nominee per award form (issue 11, item 3): the form's footnote
-- asks a separate submission for each type of award, so a unit nominated for two awards writes
-- two reports, each naming its award.
ALTER TABLE achievement_reports DROP CONSTRAINT achievement_reports_pkey;
ALTER TABLE achievement_reports ADD COLUMN award_type_id bigint;

-- A report written before is kept: it becomes the report of each award its unit was nominated
-- for in that dossier, with its words and its submission.
INSERT INTO achievement_reports (tenant_id, proposal_id, unit_id, award_type_id, sections,
                                 submitted_at, updated_at)
SELECT r.tenant_id, r.proposal_id, r.unit_id, n.award_type_id, r.sections, r.submitted_at,
       r.updated_at
  FROM achievement_reports r
  JOIN proposal_nominees n ON n.tenant_id = r.tenant_id AND n.proposal_id = r.proposal_id
                          AND n.unit_id = r.unit_id
 WHERE r.award_type_id IS NULL;
-- What is left without an award belonged to no nominee: no page ever showed it.
DELETE FROM achievement_reports WHERE award_type_id IS NULL;

ALTER TABLE achievement_reports ALTER COLUMN award_type_id SET NOT NULL;
ALTER TABLE achievement_reports
    ADD PRIMARY KEY (tenant_id, proposal_id, unit_id, award_type_id);
ALTER TABLE achievement_reports ADD CONSTRAINT achievement_reports_award
    FOREIGN KEY (tenant_id, award_type_id) REFERENCES award_types (tenant_id, id);
