-- A decision drafted from many dossiers names each one's letter in "Xét đề nghị": at 65
-- dossiers that passed the 4,000 characters 0042 allowed and drafting failed. 200,000 leaves
-- room for well over a thousand dossiers (a national council's clusters); beyond it the draft is
-- refused with a message (decisions::draft).
ALTER TABLE decisions DROP CONSTRAINT decisions_considering_check;
ALTER TABLE decisions ADD CONSTRAINT decisions_considering_check
    CHECK (length(considering) <= 200000);
