-- The year's phase follows the work (issue 17, item 5). Each step that belongs to a later phase
-- moves the year there, in the transaction of the step itself, whatever page took it: the
-- leader opens the pledge (pledging), the last member signs (under way), a unit submits its
-- self-scoring sheet (scoring), a vote opens (voting), the leader sends the dossier
-- (proposals), the council decides (closed). The phase never moves back by itself. The council
-- may correct it (and the leader may move it one step on); a correction holds until a later
-- step of the work happens, since only the moment a step is taken moves the phase, never a
-- state that was already there.
ALTER TABLE cluster_years
    -- What last moved the phase, in words for the year page ("the leader opened the pledge",
    -- "corrected by the council"), and when.
    ADD COLUMN phase_note text NOT NULL DEFAULT '' CHECK (length(phase_note) <= 200),
    ADD COLUMN phase_changed_at timestamptz;

CREATE FUNCTION phase_rank(p text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
    SELECT array_position(ARRAY['setup', 'pledging', 'under_way', 'scoring', 'voting',
                                'proposals', 'closed'], p)
$$;

-- Moves the year forward to `p_phase` when it is behind it, with an audit row; never back.
CREATE FUNCTION advance_phase(p_tenant bigint, p_year bigint, p_phase text, p_why text)
    RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    v_before text;
BEGIN
    SELECT phase INTO v_before FROM cluster_years
     WHERE tenant_id = p_tenant AND id = p_year FOR UPDATE;
    IF v_before IS NULL OR phase_rank(v_before) >= phase_rank(p_phase) THEN
        RETURN;
    END IF;
    UPDATE cluster_years SET phase = p_phase, phase_note = p_why, phase_changed_at = now()
     WHERE tenant_id = p_tenant AND id = p_year;
    INSERT INTO audit_log (tenant_id, actor_id, actor, entity, entity_id, action, before, after)
    VALUES (p_tenant, NULL, 'thidua (theo công việc)', 'cluster_year', p_year::text, 'phase_set',
            jsonb_build_object('phase', v_before), jsonb_build_object('phase', p_phase));
END $$;

-- True when this row has just entered `state` (inserted in it, or changed into it).
CREATE FUNCTION entered(op text, old_state text, new_state text, state text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$
    SELECT new_state = state AND (op = 'INSERT' OR old_state IS DISTINCT FROM new_state)
$$;

CREATE FUNCTION phase_on_pledge() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_old text := CASE WHEN TG_OP = 'UPDATE' THEN OLD.state END;
BEGIN
    IF entered(TG_OP, v_old, NEW.state, 'open') THEN
        PERFORM advance_phase(NEW.tenant_id, NEW.cluster_year_id, 'pledging',
                              'cụm trưởng mở ký giao ước');
    ELSIF entered(TG_OP, v_old, NEW.state, 'locked') THEN
        PERFORM advance_phase(NEW.tenant_id, NEW.cluster_year_id, 'under_way',
                              'các đơn vị thành viên ký đủ giao ước');
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER phase_on_pledge AFTER INSERT OR UPDATE OF state ON pledges
    FOR EACH ROW EXECUTE FUNCTION phase_on_pledge();

CREATE FUNCTION phase_on_sheet() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_old text := CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END;
BEGIN
    IF entered(TG_OP, v_old, NEW.status, 'submitted') THEN
        PERFORM advance_phase(NEW.tenant_id, NEW.cluster_year_id, 'scoring',
                              'đơn vị nộp bảng tự chấm điểm');
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER phase_on_sheet AFTER INSERT OR UPDATE OF status ON scoresheets
    FOR EACH ROW EXECUTE FUNCTION phase_on_sheet();

CREATE FUNCTION phase_on_vote() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_old text := CASE WHEN TG_OP = 'UPDATE' THEN OLD.state END;
BEGIN
    IF entered(TG_OP, v_old, NEW.state, 'open') THEN
        PERFORM advance_phase(NEW.tenant_id, NEW.cluster_year_id, 'voting',
                              'mở bình xét, suy tôn');
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER phase_on_vote AFTER INSERT OR UPDATE OF state ON votes
    FOR EACH ROW EXECUTE FUNCTION phase_on_vote();

CREATE FUNCTION phase_on_proposal() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_old text := CASE WHEN TG_OP = 'UPDATE' THEN OLD.state END;
BEGIN
    IF entered(TG_OP, v_old, NEW.state, 'sent') THEN
        PERFORM advance_phase(NEW.tenant_id, NEW.cluster_year_id, 'proposals',
                              'cụm trưởng gửi hồ sơ đề nghị khen thưởng');
    ELSIF entered(TG_OP, v_old, NEW.state, 'decided') THEN
        PERFORM advance_phase(NEW.tenant_id, NEW.cluster_year_id, 'closed',
                              'Hội đồng TĐKT quyết định khen thưởng');
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER phase_on_proposal AFTER INSERT OR UPDATE OF state ON proposals
    FOR EACH ROW EXECUTE FUNCTION phase_on_proposal();

-- Years already under way when this arrives: moved to the furthest phase their work shows.
ALTER TABLE cluster_years NO FORCE ROW LEVEL SECURITY;
ALTER TABLE pledges NO FORCE ROW LEVEL SECURITY;
ALTER TABLE scoresheets NO FORCE ROW LEVEL SECURITY;
ALTER TABLE votes NO FORCE ROW LEVEL SECURITY;
ALTER TABLE proposals NO FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_log NO FORCE ROW LEVEL SECURITY;
WITH work AS (
    SELECT y.tenant_id, y.id, y.phase,
           (SELECT max(r) FROM unnest(ARRAY[
                (SELECT max(CASE p.state WHEN 'open' THEN 2 WHEN 'locked' THEN 3 END) FROM pledges p
                  WHERE p.tenant_id = y.tenant_id AND p.cluster_year_id = y.id),
                (SELECT 4 FROM scoresheets s WHERE s.tenant_id = y.tenant_id
                    AND s.cluster_year_id = y.id AND s.status <> 'draft' LIMIT 1),
                (SELECT 5 FROM votes v WHERE v.tenant_id = y.tenant_id
                    AND v.cluster_year_id = y.id AND v.state <> 'draft' LIMIT 1),
                (SELECT max(CASE WHEN d.state = 'decided' THEN 7 WHEN d.state <> 'draft' THEN 6 END)
                   FROM proposals d WHERE d.tenant_id = y.tenant_id AND d.cluster_year_id = y.id)
            ]) AS r) AS work_rank
      FROM cluster_years y
)
SELECT advance_phase(w.tenant_id, w.id,
                     (ARRAY['setup', 'pledging', 'under_way', 'scoring', 'voting', 'proposals', 'closed'])[w.work_rank],
                     'theo công việc đã làm của năm')
  FROM work w
 WHERE w.work_rank IS NOT NULL AND w.work_rank > phase_rank(w.phase);
ALTER TABLE cluster_years FORCE ROW LEVEL SECURITY;
ALTER TABLE pledges FORCE ROW LEVEL SECURITY;
ALTER TABLE scoresheets FORCE ROW LEVEL SECURITY;
ALTER TABLE votes FORCE ROW LEVEL SECURITY;
ALTER TABLE proposals FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
