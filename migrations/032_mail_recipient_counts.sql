-- Emails that anonymous requests (registration, reset) send, counted per recipient and hour, so that
-- naming someone else's address many times cannot flood their mailbox. The address is kept only as
-- a SHA-256 hash, for a day.
CREATE TABLE mail_recipient_counts (
  recipient_hash bytea       NOT NULL,
  hour           timestamptz NOT NULL,
  sent           integer     NOT NULL,
  PRIMARY KEY (recipient_hash, hour)
);
CREATE INDEX mail_recipient_counts_hour_idx ON mail_recipient_counts (hour);
