-- The fleet timeline (every VM's boot events, as `appliance fleet` shows them), one JSON line per row per pair,
-- appended in order; a compaction replaces a pair's rows by a snapshot of what is live.
CREATE TABLE fleet_line (
    scope text   NOT NULL,
    id    bigserial,
    line  text   NOT NULL,
    PRIMARY KEY (scope, id)
);
