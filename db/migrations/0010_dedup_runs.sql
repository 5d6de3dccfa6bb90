-- Deduplication runs over the beneficiary registry (issue 4, items 3 and 9): a background job
-- (platform/jobs.ts) that blocks, compares, learns the model by EM without labels, scores and
-- writes its findings into the review queue in one transaction.
--
-- - A run is scoped to a region (province or regency) or national (region_code NULL).
-- - Its results go to duplicate_candidates; a pair already there (pending or decided) is left
--   alone (the unique (record_a, record_b)), so a decided pair is never asked again and a run
--   delivered twice adds nothing.
-- - Clear matches are not merged by a run: they are queued 'pending' with clear_match = true, so a
--   reviewer confirms them (quickly, they sort first) and every merge stays a human decision that
--   can be undone through the review service.
-- - `status` moves queued → running → done | failed; the results transaction locks the row and
--   writes only when it is not done yet.

CREATE TABLE dedup_runs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_code text REFERENCES regions(code),
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  job_id bigint,
  created_by bigint REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  -- { records, candidatePairs, clearMatches, greyZone, queued, alreadyQueued, clusters, refusedLinks, timings }
  counts jsonb,
  -- learned model: { lambda, iterations, converged, fields: [{ field, levels: [{ label, m, u, weight }] }] }
  parameters jsonb,
  error text
);
CREATE INDEX dedup_runs_created_idx ON dedup_runs (created_at DESC);
CREATE INDEX dedup_runs_active_idx ON dedup_runs (status) WHERE status IN ('queued', 'running');

ALTER TABLE duplicate_candidates
  ADD COLUMN dedup_run_id bigint REFERENCES dedup_runs(id),
  ADD COLUMN clear_match boolean NOT NULL DEFAULT false;
CREATE INDEX duplicate_candidates_run_idx ON duplicate_candidates (dedup_run_id) WHERE dedup_run_id IS NOT NULL;

-- CSV/XLSX import of beneficiary records (issue 4, item 3 "on import"): a batch is the uploaded
-- file; a job registers each row through the same rules as one registration (validation, linkage:
-- clear match linked, grey zone queued). Each row is registered as source ('import',
-- 'import-<batch>', 'row-<n>'), unique in beneficiary_records, so a job taken again after a
-- restart replays the rows it already registered instead of adding them twice.
CREATE TABLE beneficiary_import_batches (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  file_name text NOT NULL,
  file bytea,
  consent_purpose text NOT NULL,
  consent_text_version integer NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  job_id bigint,
  created_by bigint REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  -- { rows, new, linked, queued, invalid, replayed }
  counts jsonb,
  -- the first 100 rows that could not be registered: [{ row, line, errors: [{ path, code }] }]
  problems jsonb,
  error text
);
CREATE INDEX beneficiary_import_batches_created_by_idx ON beneficiary_import_batches (created_by, id DESC);
