-- A random identity of this database, made once when it is migrated. Copies kept outside it (the
-- profiles cached in Redis) carry it in their keys, so two databases sharing one Redis prefix —
-- two deployments, or one database recreated while Redis kept its keys — never read each other's.
CREATE TABLE database_identity (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  id text NOT NULL DEFAULT gen_random_uuid()::text
);
INSERT INTO database_identity DEFAULT VALUES;
