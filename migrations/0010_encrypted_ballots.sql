-- Secret ballots that not even the database can open (issue 13).
--
-- Until now a ballot's choices were stored readable, beside the list of who voted. Whoever reads
-- the database files (a superuser, a backup, the WAL) could pair the two through transaction ids,
-- whatever the rows' order. From now on a ballot is stored only encrypted, under a key whose
-- shares only the counting committee holds; only per-candidate sums are ever decrypted. Pairing a
-- ciphertext with its unit then tells nothing.

-- The counting committee (ban kiểm phiếu) of an online vote: one seat per member. The member
-- registers a passphrase while the vote is a draft (only a salt and a public point derived from it
-- are kept); at the opening each seat receives its key share sealed to that point, until the
-- member downloads it once.
CREATE TABLE vote_committee (
    tenant_id     bigint NOT NULL,
    vote_id       bigint NOT NULL,
    seat          smallint NOT NULL CHECK (seat BETWEEN 1 AND 9),
    user_id       bigint NOT NULL,
    salt          text CHECK (length(salt) = 32),
    public_point  text CHECK (length(public_point) = 64),
    sealed_share  jsonb,
    downloaded    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, vote_id, seat),
    UNIQUE (tenant_id, vote_id, user_id),
    FOREIGN KEY (tenant_id, vote_id) REFERENCES votes (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    CHECK ((salt IS NULL) = (public_point IS NULL)),
    CHECK (NOT (downloaded AND sealed_share IS NOT NULL))
);

ALTER TABLE votes
    ADD COLUMN committee_threshold smallint NOT NULL DEFAULT 2 CHECK (committee_threshold BETWEEN 1 AND 9),
    -- Online votes: how many ballots the decrypted totals count (NULL until they are decrypted).
    ADD COLUMN counted_ballots integer CHECK (counted_ballots >= 0),
    -- Award votes: whether a ballot may agree with no more units of an award type than its
    -- quota (proved inside the encrypted ballot). Off by default: units agree or not with each
    -- candidate and the quota is filled in order of votes, as the vote rules always did.
    ADD COLUMN quota_per_ballot boolean NOT NULL DEFAULT false;

-- The election key (the committee's public key set) and what a ballot must satisfy, fixed at
-- the opening.
CREATE TABLE vote_keys (
    tenant_id  bigint NOT NULL,
    vote_id    bigint NOT NULL,
    key_set    jsonb NOT NULL,
    spec       jsonb NOT NULL,
    PRIMARY KEY (tenant_id, vote_id),
    FOREIGN KEY (tenant_id, vote_id) REFERENCES votes (tenant_id, id) ON DELETE CASCADE
);

-- An encrypted ballot: ciphertexts and proofs, nothing else. Its receipt is the SHA-256 of its
-- ciphertexts, which the voter is shown and finds in the published record.
CREATE TABLE encrypted_ballots (
    tenant_id  bigint NOT NULL,
    vote_id    bigint NOT NULL,
    receipt    text NOT NULL CHECK (length(receipt) = 64),
    ballot     jsonb NOT NULL,
    PRIMARY KEY (tenant_id, vote_id, receipt),
    FOREIGN KEY (tenant_id, vote_id) REFERENCES votes (tenant_id, id) ON DELETE CASCADE
);

-- A committee seat's decryption shares of the sums, each with its proof (published).
CREATE TABLE vote_decryptions (
    tenant_id  bigint NOT NULL,
    vote_id    bigint NOT NULL,
    seat       smallint NOT NULL,
    shares     jsonb NOT NULL,
    PRIMARY KEY (tenant_id, vote_id, seat),
    FOREIGN KEY (tenant_id, vote_id, seat) REFERENCES vote_committee (tenant_id, vote_id, seat)
);

-- The decrypted totals of an online vote, per candidate.
CREATE TABLE vote_totals (
    tenant_id      bigint NOT NULL,
    vote_id        bigint NOT NULL,
    candidate_id   bigint NOT NULL,
    votes_for      integer NOT NULL CHECK (votes_for >= 0),
    votes_against  integer NOT NULL CHECK (votes_against >= 0),
    PRIMARY KEY (tenant_id, vote_id, candidate_id),
    FOREIGN KEY (tenant_id, vote_id) REFERENCES votes (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, candidate_id) REFERENCES vote_candidates (tenant_id, id) ON DELETE CASCADE
);

-- The written opinion of a member absent from the conference, recorded by a member of the
-- counting committee with the scanned signed paper. Its choices are encrypted into a ballot like
-- any other; the paper itself is the unit's signed document and is kept as such.
CREATE TABLE written_opinions (
    tenant_id    bigint NOT NULL,
    vote_id      bigint NOT NULL,
    unit_id      bigint NOT NULL,
    recorded_by  bigint NOT NULL,
    file_name    text NOT NULL,
    content_type text NOT NULL,
    content      bytea NOT NULL,
    PRIMARY KEY (tenant_id, vote_id, unit_id),
    FOREIGN KEY (tenant_id, vote_id, unit_id) REFERENCES vote_participation (tenant_id, vote_id, unit_id),
    FOREIGN KEY (tenant_id, recorded_by) REFERENCES users (tenant_id, id)
);

-- Earlier online votes kept readable ballots: keep their counted figures, then drop the ballots.
INSERT INTO vote_totals (tenant_id, vote_id, candidate_id, votes_for, votes_against)
SELECT c.tenant_id, c.vote_id, c.id,
       count(*) FILTER (WHERE (b.choices ->> c.id::text)::boolean),
       count(*) FILTER (WHERE NOT (b.choices ->> c.id::text)::boolean)
  FROM vote_candidates c
  JOIN ballots b ON b.tenant_id = c.tenant_id AND b.vote_id = c.vote_id
 GROUP BY c.tenant_id, c.vote_id, c.id;
UPDATE votes v SET counted_ballots = n.n
  FROM (SELECT tenant_id, vote_id, count(*) AS n FROM ballots GROUP BY tenant_id, vote_id) n
 WHERE n.tenant_id = v.tenant_id AND n.vote_id = v.id;
DROP TABLE ballots;

-- Participation is never deleted now that nothing is reshuffled at the close.
REVOKE DELETE ON vote_participation FROM thidua_app;

ALTER TABLE vote_committee ENABLE ROW LEVEL SECURITY;
ALTER TABLE vote_committee FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON vote_committee TO thidua_app
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
ALTER TABLE vote_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE vote_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON vote_keys TO thidua_app
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
ALTER TABLE encrypted_ballots ENABLE ROW LEVEL SECURITY;
ALTER TABLE encrypted_ballots FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON encrypted_ballots TO thidua_app
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
ALTER TABLE vote_decryptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE vote_decryptions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON vote_decryptions TO thidua_app
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
ALTER TABLE vote_totals ENABLE ROW LEVEL SECURITY;
ALTER TABLE vote_totals FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON vote_totals TO thidua_app
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
ALTER TABLE written_opinions ENABLE ROW LEVEL SECURITY;
ALTER TABLE written_opinions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON written_opinions TO thidua_app
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());

-- The committee changes only while a draft (seats) and at the opening and download (sealed share).
GRANT SELECT, INSERT, UPDATE, DELETE ON vote_committee TO thidua_app;
-- A cast ballot, a key, a decryption and the totals are records: never changed or deleted.
GRANT SELECT, INSERT ON vote_keys, encrypted_ballots, vote_decryptions, vote_totals, written_opinions TO thidua_app;
