-- The link in the notice to the former address after an email change: it puts that address back
-- and ends every session of the user (a change made with a stolen session is undone by the owner
-- of the old address). The link keeps the address it restores; only links of this purpose have one.
ALTER TABLE password_tokens DROP CONSTRAINT password_tokens_purpose_check;
ALTER TABLE password_tokens ADD CONSTRAINT password_tokens_purpose_check
  CHECK (purpose IN ('register', 'reset', 'restore-email'));
ALTER TABLE password_tokens ADD COLUMN restore_email text
  CHECK ((purpose = 'restore-email') = (restore_email IS NOT NULL) AND char_length(restore_email) <= 60);

-- The audit trail records the restore (and a restore refused because the address was taken).
ALTER TABLE audit_events DROP CONSTRAINT audit_events_kind_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_kind_check
  CHECK (kind IN ('login', 'lockout', 'registration', 'password_change', 'password_reset_request',
                  'password_set', 'user_info_change', 'email_change', 'email_restore'));
