-- The audit chain is keyed (HMAC-SHA-256 with a key kept outside the
-- database) from the row after the current head on: rows written before
-- this migration keep their plain SHA-256 hashes and still verify.
-- keyed_from is the first keyed sequence number; it is also written into
-- every anchor outside the database, so moving it is caught.
ALTER TABLE audit_head ADD COLUMN keyed_from BIGINT NOT NULL DEFAULT 1;
UPDATE audit_head SET keyed_from = seq + 1 WHERE id = 1;
