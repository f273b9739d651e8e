-- Bumped by every new password (change, reset) and by any other move that must end the user's
-- sessions. A signed-in session carries the epoch its password was verified at; one stored after
-- the epoch moved on is ended (a login in flight while the password changes cannot outlive it).
ALTER TABLE users ADD COLUMN credential_epoch integer NOT NULL DEFAULT 0;
