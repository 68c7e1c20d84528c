-- The line above the issuer in the header of a printed document (Decree 30/2020, Appendix I):
-- the issuing unit's or cluster's direct managing agency (cơ quan chủ quản), e.g. "TÒA ÁN NHÂN
-- DÂN TỐI CAO". It is set per unit and per cluster because it is theirs, not the council's the
-- documents are addressed to; empty prints no line.
ALTER TABLE units
    ADD COLUMN superior text NOT NULL DEFAULT '' CHECK (length(superior) <= 300);
ALTER TABLE clusters
    ADD COLUMN superior text NOT NULL DEFAULT '' CHECK (length(superior) <= 300);
