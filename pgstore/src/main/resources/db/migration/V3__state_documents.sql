-- The appliance's small state documents (profile assignments, the admin API's VM changes, the CloudStack password
-- ledger), one row each per pair (scope), so that whichever node is active reads what the other wrote.
CREATE TABLE state_document (
    scope      text        NOT NULL,
    name       text        NOT NULL,
    content    bytea       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    written_by text        NOT NULL,
    PRIMARY KEY (scope, name)
);
