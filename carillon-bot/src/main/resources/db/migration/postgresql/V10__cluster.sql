-- PostgreSQL variant of sqlite/V10__cluster.sql.
-- Carillon as a cluster (issue 13): which process plays a run. A process writes its cluster id
-- (cluster.ShardOwnership#processId, new at every start) as the owner of the runs it claims, and writes
-- progress and the end of a run only while it is still the owner. A process that takes over a guild's
-- shard adopts the RUNNING runs of that guild (owner set to itself, once, compared with the old owner),
-- so a run left by a dead process is resumed by exactly one new owner, and a late write of the old one
-- changes nothing. Runs from before this migration have no owner: the first recovery adopts them.
ALTER TABLE run ADD COLUMN owner TEXT;
