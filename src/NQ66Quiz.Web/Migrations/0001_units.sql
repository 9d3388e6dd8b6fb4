-- Đơn vị (units): Hanoi's communes/wards and city agencies, loaded from content/units/hanoi-units.csv.
-- A later issue grows this into a directory with sub-units (parent_id) and headcounts.
CREATE TABLE units (
    id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code             text NOT NULL UNIQUE,             -- stable slug, e.g. 'phuong-hoan-kiem'
    kind             text NOT NULL CHECK (kind IN ('commune', 'agency')),
    name             text NOT NULL UNIQUE,             -- NFC, as people see it: 'Phường Hoàn Kiếm'
    type             text NOT NULL,                    -- phường, xã, sở, ...
    former_districts text,
    population       integer CHECK (population >= 0),
    headcount        integer CHECK (headcount >= 0),   -- people expected to take part; rate = participants / headcount
    search_key       text NOT NULL,                    -- accent-folded, lower-case: 'phuong hoan kiem'
    source           text,
    parent_id        integer REFERENCES units (id)
);
CREATE INDEX units_search_key ON units (search_key text_pattern_ops);
