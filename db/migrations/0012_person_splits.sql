-- Splitting one record off a person: an automatic link (or a registration onto the wrong person)
-- undone by a reviewer. The record gets a person of its own; this row keeps where it came from,
-- so the person page can tell its history and an audit can follow it.
CREATE TABLE person_splits (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  record_id bigint NOT NULL REFERENCES beneficiary_records(id),
  from_person bigint NOT NULL REFERENCES persons(id),
  new_person bigint NOT NULL REFERENCES persons(id),
  split_by bigint REFERENCES users(id),
  split_at timestamptz NOT NULL DEFAULT now(),
  note text,
  CHECK (from_person <> new_person)
);
CREATE INDEX person_splits_from_idx ON person_splits (from_person);
CREATE INDEX person_splits_new_idx ON person_splits (new_person);
