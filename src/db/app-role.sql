-- The role the web and worker processes connect as when the migrations run apart
-- (MIGRATE_ON_START=false; ASVS v5.0.0-13.2.2): it reads and writes the application's rows and
-- nothing more. It owns no table, cannot create, alter, drop or truncate one, cannot change the
-- migration record, and meets the append-only audit trail like anyone else (migration 030). It owns
-- the job queue's own schema, `pgboss`, where pg-boss creates and maintains its tables itself.
--
-- Run it as the owner of the tables (the role the migrations ran as), after migrating and before
-- the first start, on a database whose `pgboss` schema does not exist yet:
--
--   DATABASE_URL=<owner URL> npm exec -- node src/db/migrate.ts
--   psql <owner URL> -v ON_ERROR_STOP=1 -v app_role=zairyu_app -v app_password='…' -f src/db/app-role.sql
--   DATABASE_URL=postgres://zairyu_app:…@host/db MIGRATE_ON_START=false npm start
--
-- A migration that adds a table is followed by the GRANT below for it (or run this file's GRANTs again).
CREATE ROLE :"app_role" LOGIN PASSWORD :'app_password';
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), :'app_role') \gexec
GRANT USAGE ON SCHEMA public TO :"app_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
CREATE SCHEMA pgboss AUTHORIZATION :"app_role";
