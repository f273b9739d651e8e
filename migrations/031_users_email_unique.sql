-- One email address, one account (README: an address already registered gets a notice instead of a
-- second account): registrations handled at once by two workers, or a user changing to another
-- account's address, must not make two. Addresses compare without case, as everywhere else.
DO $$
DECLARE
  shared bigint;
BEGIN
  SELECT count(*) INTO shared FROM (SELECT 1 FROM users GROUP BY lower(email) HAVING count(*) > 1) d;
  IF shared > 0 THEN
    RAISE EXCEPTION '% email address(es) belong to more than one account; give each account its own address, then migrate again', shared;
  END IF;
END
$$;
DROP INDEX users_email_idx;
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
