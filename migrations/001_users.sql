-- Users of the category "Applicant (at a counter) for electronic issuance of a certificate of
-- eligibility": everything the manual's User Information page shows (2.4.2), plus credentials.
CREATE TABLE users (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id           text        NOT NULL UNIQUE CHECK (user_id ~ '^[a-z0-9]{6,20}$'),
  name              text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 60),
  sex               text        NOT NULL CHECK (sex IN ('male', 'female')),
  birth_date        date        NOT NULL,
  municipality_code text        NOT NULL,
  street            text        NOT NULL CHECK (char_length(street) <= 80),
  phone             text        NOT NULL CHECK (phone ~ '^[0-9]{1,12}$'),
  email             text        NOT NULL CHECK (char_length(email) <= 60),
  lang              text        NOT NULL DEFAULT 'ja' CHECK (lang IN ('ja', 'en')),
  -- null until the password is set from the emailed registration link
  password_hash     text,
  password_changed_at timestamptz,
  last_login_at     timestamptz,
  failed_logins     integer     NOT NULL DEFAULT 0,
  locked_until      timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_email_idx ON users (lower(email));

-- Emailed links (password registration after sign-up, password reset): only a hash is stored.
CREATE TABLE password_tokens (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_ref    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash  bytea       NOT NULL UNIQUE,
  purpose     text        NOT NULL CHECK (purpose IN ('register', 'reset')),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_tokens_user_idx ON password_tokens (user_ref);

-- Homepage notices (manual 2.1.3 item 2), newest first.
CREATE TABLE notices (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  published_on date  NOT NULL,
  title_ja     text  NOT NULL,
  title_en     text  NOT NULL,
  body_ja      text  NOT NULL DEFAULT '',
  body_en      text  NOT NULL DEFAULT ''
);
CREATE INDEX notices_published_idx ON notices (published_on DESC);

INSERT INTO notices (published_on, title_ja, title_en) VALUES
  ('2019-07-25', '利用規約(2019年7月25日更新)', 'Terms of use (updated July 25, 2019)'),
  ('2019-07-25',
   '2019年7月25日から「入国管理局在留申請オンラインシステム」の運用を開始します。',
   'Start of the Immigration Bureau''s Residence application Online System from July 25, 2019');
