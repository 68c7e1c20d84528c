-- The minutes of a vote count the ballots as the counting committee counted them (issue 11,
-- item 4): on paper, how many ballots came back and how many of them were invalid; the valid
-- ones are the rest, and each candidate's votes are counted among them. NULL received: a paper
-- count entered before this version, whose ballots are read from its figures as before. Online
-- ballots are checked by the server as they are cast, so an online vote has no invalid ballot.
ALTER TABLE votes
    ADD COLUMN ballots_received integer CHECK (ballots_received >= 0),
    ADD COLUMN ballots_invalid integer NOT NULL DEFAULT 0 CHECK (ballots_invalid >= 0),
    ADD CONSTRAINT votes_invalid_among_received
        CHECK (ballots_received IS NULL OR ballots_invalid <= ballots_received);
