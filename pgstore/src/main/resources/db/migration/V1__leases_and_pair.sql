-- Leases: one row per address, the latest record, as the lease journal keeps after compaction.
-- seq orders the rows as they were written (store order), so a load rebuilds MAC -> latest address exactly.
CREATE SEQUENCE lease_seq;

CREATE TABLE lease (
    ip        inet        PRIMARY KEY,
    mac       macaddr     NOT NULL,
    client_id text        NOT NULL,
    hostname  text        NOT NULL,
    profile   text        NOT NULL,
    starts    timestamptz NOT NULL,
    expires   timestamptz NOT NULL,
    state     text        NOT NULL CHECK (state IN ('ACTIVE', 'RELEASED', 'DECLINED', 'EXPIRED')),
    seq       bigint      NOT NULL DEFAULT nextval('lease_seq'),
    written_by text       NOT NULL DEFAULT ''
);

-- The lease table in memory decides who gets which address (one active appliance writes at a time, fenced by
-- active_lock below), so the database keeps records exactly as written, as the journal does, and adds no rule of
-- its own that could refuse a lease the active appliance already decided.
CREATE INDEX lease_by_mac ON lease (mac);
CREATE INDEX lease_seq_order ON lease (seq);

-- The active/standby lock of a pair: the holder renews renewed_at (database time) every heartbeat; a standby takes
-- the row once renewed_at is older than its takeover time. epoch grows with every holder, so a write carrying an
-- older epoch (a deposed active) is refused.
CREATE TABLE active_lock (
    pair       text        PRIMARY KEY,
    holder     text,
    epoch      bigint      NOT NULL,
    renewed_at timestamptz NOT NULL,
    taken_at   timestamptz NOT NULL
);

-- Every appliance of a pair, active or standby, for `appliance status`.
CREATE TABLE appliance_node (
    pair         text        NOT NULL,
    node         text        NOT NULL,
    role         text        NOT NULL CHECK (role IN ('active', 'standby', 'stopped')),
    address      text        NOT NULL,
    version      text        NOT NULL,
    started_at   timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL,
    PRIMARY KEY (pair, node)
);
