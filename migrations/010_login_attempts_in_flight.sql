-- Password guesses being verified right now (a login, or the current password on the Password
-- Input page): a guess is reserved before its verification and released after it, and the lockout
-- counts failures plus reservations, so a burst of parallel guesses cannot verify more than the
-- limit. A reservation whose release never comes (its process died) stops counting once
-- attempts_until passes; every new reservation moves it on.
ALTER TABLE users
  ADD COLUMN attempts_in_flight integer NOT NULL DEFAULT 0 CHECK (attempts_in_flight >= 0),
  ADD COLUMN attempts_until timestamptz;
