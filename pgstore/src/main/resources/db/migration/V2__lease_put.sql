-- Writes a group of lease records in order, in the caller's transaction: one call per group commit, so a group
-- costs one round trip and one COMMIT whatever its size. Arrays are text and cast here so the driver needs no array
-- types. A record replaces the row of its address; seq takes the next value, so rows load in store order.
--
-- fence_pair/fence_node/fence_epoch, when fence_pair is not null: the write goes through only while that node holds
-- the pair's active lock at that epoch. The lock row is read FOR SHARE, so a standby taking the lock waits for this
-- transaction to end, and a transaction that starts after the takeover fails with SQLSTATE AP001, writing nothing.
CREATE FUNCTION lease_put(ips text[], macs text[], client_ids text[], hostnames text[], profiles text[],
                          starts_at text[], expires_at text[], states text[], writer text,
                          fence_pair text, fence_node text, fence_epoch bigint)
    RETURNS integer
    LANGUAGE plpgsql AS
$$
DECLARE
    n integer := coalesce(array_length(ips, 1), 0);
BEGIN
    IF fence_pair IS NOT NULL THEN
        PERFORM 1 FROM active_lock
         WHERE pair = fence_pair AND holder = fence_node AND epoch = fence_epoch FOR SHARE;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'appliance % no longer holds the active lock of pair % at epoch %: another appliance took over',
                fence_node, fence_pair, fence_epoch USING ERRCODE = 'AP001';
        END IF;
    END IF;
    FOR i IN 1 .. n LOOP
        INSERT INTO lease AS l (ip, mac, client_id, hostname, profile, starts, expires, state, written_by)
        VALUES (ips[i]::inet, macs[i]::macaddr, client_ids[i], hostnames[i], profiles[i], starts_at[i]::timestamptz,
                expires_at[i]::timestamptz, states[i], writer)
        ON CONFLICT (ip) DO UPDATE
            SET mac = excluded.mac, client_id = excluded.client_id, hostname = excluded.hostname,
                profile = excluded.profile, starts = excluded.starts, expires = excluded.expires,
                state = excluded.state, seq = nextval('lease_seq'), written_by = excluded.written_by;
    END LOOP;
    RETURN n;
END
$$;
