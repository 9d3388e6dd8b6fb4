-- The unit directory (issue 12, item 1): city → departments and communes/wards → sub-units (schools, offices,
-- residential groups, ...), each pointing at its parent, with headcounts per contest.

-- Sub-units may share a name under different parents ("Tổ dân phố số 1"), so names are unique per parent only; the
-- code stays unique across the whole tree.
ALTER TABLE units DROP CONSTRAINT units_kind_check;
ALTER TABLE units ADD CONSTRAINT units_kind_check
    CHECK (kind IN ('city', 'commune', 'agency', 'school', 'office', 'residential', 'enterprise', 'other'));
ALTER TABLE units DROP CONSTRAINT units_name_key;
ALTER TABLE units ADD CONSTRAINT units_parent_name_key UNIQUE NULLS NOT DISTINCT (parent_id, name);
ALTER TABLE units ADD CONSTRAINT units_code_format CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(code) <= 120);
ALTER TABLE units ADD CONSTRAINT units_not_own_parent CHECK (parent_id IS NULL OR parent_id <> id);
ALTER TABLE units ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
-- One city root: the unit of kind 'city' (Thành phố Hà Nội). City-wide contests are owned by it.
CREATE UNIQUE INDEX units_one_city ON units ((true)) WHERE kind = 'city';
CREATE INDEX units_parent ON units (parent_id);

-- THE subtree rule: the unit itself and every unit below it. Every query scoped to an organizer's unit uses this
-- (through OrganizerScope.SqlFilter), so "what a unit organizer may see" is written once. UNION (not UNION ALL) makes
-- a cycle, should one ever be stored, end instead of looping.
CREATE FUNCTION unit_subtree(root integer) RETURNS SETOF integer LANGUAGE sql STABLE AS $$
    WITH RECURSIVE tree (id) AS (
        SELECT id FROM units WHERE id = root
        UNION
        SELECT u.id FROM units u JOIN tree t ON u.parent_id = t.id
    )
    SELECT id FROM tree
$$;

-- The unit itself and every unit above it, up to the city: what a figure for a unit rolls up into.
CREATE FUNCTION unit_ancestors(unit integer) RETURNS SETOF integer LANGUAGE sql STABLE AS $$
    WITH RECURSIVE up (id, parent_id) AS (
        SELECT id, parent_id FROM units WHERE id = unit
        UNION
        SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent_id
    )
    SELECT id FROM up
$$;

-- A unit may not be moved below itself (that would cut its subtree off the city).
CREATE FUNCTION units_no_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.parent_id IS NOT NULL AND NEW.parent_id IN (SELECT unit_subtree(NEW.id)) THEN
        RAISE EXCEPTION 'unit % cannot be placed below its own sub-unit %', NEW.id, NEW.parent_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'units_no_cycle';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER units_no_cycle BEFORE UPDATE OF parent_id ON units FOR EACH ROW EXECUTE FUNCTION units_no_cycle();

-- The city root, and the shipped communes/wards and agencies below it. (Test runs empty the tables; the app
-- re-creates the root on demand, see UnitDirectory.CityRootAsync.)
INSERT INTO units (code, kind, name, type, search_key, source)
VALUES ('thanh-pho-ha-noi', 'city', 'Thành phố Hà Nội', 'thành phố', 'thanh pho ha noi',
        'Thành phố trực thuộc trung ương; chính quyền địa phương hai cấp từ 01/7/2025 (NQ 1656/NQ-UBTVQH15)');
UPDATE units SET parent_id = (SELECT id FROM units WHERE kind = 'city') WHERE parent_id IS NULL AND kind <> 'city';

-- Eligible people per unit and contest (đối tượng thuộc diện tham gia): participation rate = participants / headcount.
-- A contest without a row for a unit uses the directory's units.headcount (see contest_headcount).
CREATE TABLE unit_headcounts (
    contest_id bigint NOT NULL REFERENCES contests (id),
    unit_id    integer NOT NULL REFERENCES units (id),
    headcount  integer NOT NULL CHECK (headcount BETWEEN 0 AND 100000000),
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (contest_id, unit_id)
);
CREATE INDEX unit_headcounts_unit ON unit_headcounts (unit_id);

-- The headcount that counts for a unit in a contest: the contest's own figure, else the directory default (NULL: unknown).
CREATE FUNCTION contest_headcount(contest bigint, unit integer) RETURNS integer LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT h.headcount FROM unit_headcounts h WHERE h.contest_id = contest AND h.unit_id = unit),
        (SELECT u.headcount FROM units u WHERE u.id = unit))
$$;
