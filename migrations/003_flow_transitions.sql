-- Every page-to-page move of every session, for the analysts' traffic overlay. No personal data:
-- the session is a short one-way hash, states and events are names from the machine.
CREATE TABLE flow_transitions (
  at        timestamptz NOT NULL,
  session   text        NOT NULL,
  from_state text       NOT NULL,
  event     text        NOT NULL,
  to_state  text        NOT NULL
);
CREATE INDEX flow_transitions_at_idx ON flow_transitions (at);
