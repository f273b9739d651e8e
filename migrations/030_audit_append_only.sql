-- The audit trail is append-only (ASVS v5.0.0-16.4.2): while an event is kept (one year,
-- audit_retention()) no role can change or delete it, and the table cannot be truncated; past that,
-- purge_audit_events() deletes it (the app calls it at start and daily). The one change let through
-- is the foreign key clearing user_ref when a user row is deleted: the event stays, unattributed.
CREATE FUNCTION audit_retention() RETURNS interval LANGUAGE sql IMMUTABLE AS $$ SELECT interval '365 days' $$;

CREATE FUNCTION audit_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.at < now() - audit_retention() THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.user_ref IS NOT NULL AND NEW.user_ref IS NULL
     AND (NEW.id, NEW.at, NEW.kind, NEW.outcome, NEW.ip, NEW.detail)
         IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.kind, OLD.outcome, OLD.ip, OLD.detail) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_guard();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_guard();

CREATE FUNCTION purge_audit_events() RETURNS bigint LANGUAGE sql AS $$
  WITH gone AS (DELETE FROM audit_events WHERE at < now() - audit_retention() RETURNING 1)
  SELECT count(*) FROM gone
$$;

-- Each event also goes to the log stream (ASVS v5.0.0-16.4.3), from the process that wrote it and
-- only once committed (a NOTIFY is delivered at commit, never for a rolled-back transaction): the
-- payload names the inserting connection, which each process knows as one of its own
-- (src/db/audit.ts).
CREATE FUNCTION audit_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('audit_events', json_build_object(
    'pid', pg_backend_pid(), 'id', NEW.id, 'at', NEW.at, 'kind', NEW.kind, 'outcome', NEW.outcome,
    'userRef', NEW.user_ref::text, 'ip', host(NEW.ip), 'detail', NEW.detail)::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER audit_events_to_log AFTER INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_notify();
