-- Background jobs: a small queue in the application's own database, claimed with
-- FOR UPDATE SKIP LOCKED under a renewable lease (decision 0009). A job finishes in the same
-- transaction as the work it does, so a job that runs twice (after a crash) never applies twice.
CREATE TABLE jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 3 CHECK (max_attempts > 0),
  run_after timestamptz NOT NULL DEFAULT now(),
  locked_by text,
  locked_until timestamptz,
  -- { phase, done, total } as last reported by the worker (PostgreSQL; PGlite keeps it in memory)
  progress jsonb,
  last_error text,
  created_by bigint REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX jobs_waiting_idx ON jobs (kind, run_after) WHERE status IN ('queued', 'running');

-- Imports now run in the background for large files: the file stays in the batch until the commit
-- (so a restart can validate it again), and the batch records its phase.
ALTER TABLE import_batches DROP CONSTRAINT import_batches_status_check;
ALTER TABLE import_batches ADD CONSTRAINT import_batches_status_check
  CHECK (status IN ('validating', 'preview', 'committing', 'committed', 'failed'));
ALTER TABLE import_batches
  ADD COLUMN file bytea,
  ADD COLUMN headers jsonb NOT NULL DEFAULT '[]',
  -- the user's corrections of the detected mapping: { "<column index>": "<field key>" | null }
  ADD COLUMN mapping_override jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN background boolean NOT NULL DEFAULT false,
  ADD COLUMN job_id bigint REFERENCES jobs(id),
  ADD COLUMN error jsonb,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE import_batches ALTER COLUMN rows SET DEFAULT '[]';
