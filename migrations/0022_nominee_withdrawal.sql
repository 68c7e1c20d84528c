-- A nominee the leader withdraws from a dossier (the council asked for a change of nominees):
-- the row stays, with the vote's figures as they were, so the minutes keep the vote and record
-- the withdrawal; the letter, the list and the council's counts leave it out.
ALTER TABLE proposal_nominees ADD COLUMN withdrawn_at timestamptz;
ALTER TABLE proposal_nominees ADD COLUMN withdrawn_reason text NOT NULL DEFAULT ''
    CHECK (length(withdrawn_reason) <= 2000);
ALTER TABLE proposal_nominees ADD CONSTRAINT proposal_nominees_withdrawn_reason
    CHECK ((withdrawn_at IS NULL) = (withdrawn_reason = ''));

-- Only the withdrawal may change: the vote's figures on the row stay as the vote left them.
GRANT UPDATE (withdrawn_at, withdrawn_reason) ON proposal_nominees TO thidua_app;
