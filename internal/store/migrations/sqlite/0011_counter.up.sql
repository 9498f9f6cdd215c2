-- The counter's fixes (walkthrough 2026-12).
--
-- Duplicate filings are found by 合同编号 and the parties (service
-- Contracts.duplicates): the number is the selective part.
CREATE INDEX contracts_contract_no ON contracts (contract_no);

-- Names sorted by pinyin on both databases (SQLite has no zh collation):
-- sort keys the service computes (textnorm.SortKey) beside the names, and
-- fills for the rows that predate them (Service.Migrate).
ALTER TABLE contracts ADD COLUMN title_key TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN seller_key TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN buyer_key TEXT NOT NULL DEFAULT '';

-- A step's changes of figures (field, old, new) as JSON, so the timeline
-- shows the registrar's edits of an applicant's filing as a diff.
ALTER TABLE entity_events ADD COLUMN changes TEXT NOT NULL DEFAULT '';
