-- Jejaring: spreadsheet imports. A batch keeps the validated rows between the preview and the
-- commit, so the commit can happen later, by id, exactly once.
CREATE TABLE import_batches (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('members', 'communities')),
  file_name text NOT NULL,
  created_by bigint NOT NULL REFERENCES users(id),
  status text NOT NULL DEFAULT 'preview' CHECK (status IN ('preview', 'committed')),
  total_rows integer NOT NULL,
  valid_rows integer NOT NULL,
  invalid_rows integer NOT NULL,
  duplicate_rows integer NOT NULL,
  -- { mapping, unmapped }
  summary jsonb NOT NULL,
  -- one entry per row: { row, line, errors, warnings, duplicateOf?, values? } (values: normalised, for the commit)
  rows jsonb NOT NULL,
  -- after the commit: { mode, inserted, skipped }
  result jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  committed_at timestamptz
);
CREATE INDEX import_batches_created_by_idx ON import_batches (created_by);
