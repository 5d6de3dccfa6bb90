-- Finished jobs are deleted after a while (housekeeping); a batch keeps its history without them.
ALTER TABLE import_batches DROP CONSTRAINT import_batches_job_id_fkey;
ALTER TABLE import_batches ADD CONSTRAINT import_batches_job_id_fkey FOREIGN KEY (job_id) REFERENCES jobs(id) ON DELETE SET NULL;
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE status IN ('done', 'failed');
CREATE INDEX import_batches_stale_idx ON import_batches (updated_at) WHERE status IN ('preview', 'failed');
