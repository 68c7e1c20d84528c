-- Deadline reminders (issue 14, item 3): the days before a deadline on which the tenant wants
-- them, an optional signing deadline for the pledge, and the reminders already sent.

-- Days before a deadline on which units that have not acted are reminded (7, 3 and 1 by
-- default), and whether once more on the day after it.
ALTER TABLE tenant_settings
    ADD COLUMN reminder_days smallint[] NOT NULL DEFAULT '{7,3,1}'
        CHECK (cardinality(reminder_days) <= 10 AND 0 < ALL (reminder_days)
               AND 60 >= ALL (reminder_days)),
    ADD COLUMN reminder_day_after boolean NOT NULL DEFAULT true;

-- "Hạn ký giao ước": optional; without it no signing reminder is sent.
ALTER TABLE pledges ADD COLUMN signing_deadline date;

-- One row per reminder sent: the unique key is what keeps a reminder from going out twice for
-- the same deadline and day, even when two app instances run the pass at the same moment (the
-- second INSERT … ON CONFLICT DO NOTHING waits for the first and then inserts nothing).
CREATE TABLE reminders_sent (
    tenant_id        bigint NOT NULL REFERENCES tenants (id),
    deadline_kind    text NOT NULL CHECK (deadline_kind IN ('pledge', 'registration', 'scoring', 'dossier')),
    cluster_year_id  bigint NOT NULL,
    -- The unit reminded (its id), or 'summary' for the leader's list of who is late.
    target           text NOT NULL CHECK (target ~ '^([0-9]+|summary)$'),
    deadline         date NOT NULL,
    -- Days before the deadline (negative: after it).
    days_before      smallint NOT NULL,
    sent_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, deadline_kind, cluster_year_id, target, deadline, days_before),
    FOREIGN KEY (tenant_id, cluster_year_id) REFERENCES cluster_years (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE reminders_sent ENABLE ROW LEVEL SECURITY;
ALTER TABLE reminders_sent FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON reminders_sent TO thidua_app
    USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
GRANT SELECT, INSERT ON reminders_sent TO thidua_app;
