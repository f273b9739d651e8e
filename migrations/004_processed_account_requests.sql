-- Account requests (registration, password reset) handled by the worker: each job's id is stored
-- in the transaction of its effects, so a retried job never creates a second user or link.
CREATE TABLE processed_account_requests (
  job_id       text        PRIMARY KEY,
  processed_at timestamptz NOT NULL DEFAULT now()
);
