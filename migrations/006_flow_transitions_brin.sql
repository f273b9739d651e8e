-- flow_transitions is appended to in time order and read by time ranges: a BRIN index on `at`
-- answers those reads as well and costs next to nothing per insert, where the B-tree's upkeep
-- for a row per move competed with the page views for CPU under load.
DROP INDEX flow_transitions_at_idx;
CREATE INDEX flow_transitions_at_brin ON flow_transitions USING brin (at);
