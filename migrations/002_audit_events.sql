-- Security audit trail: who did what, from where, with which outcome. Never a password or token.
CREATE TABLE audit_events (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  kind      text        NOT NULL CHECK (kind IN ('login', 'lockout', 'registration', 'password_change',
                                                  'password_reset_request', 'password_set', 'user_info_change',
                                                  'email_change')),
  outcome   text        NOT NULL CHECK (outcome IN ('success', 'failure')),
  user_ref  bigint      REFERENCES users (id) ON DELETE SET NULL,
  ip        inet,
  detail    jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_at_idx ON audit_events (at);
CREATE INDEX audit_events_user_idx ON audit_events (user_ref, at);
