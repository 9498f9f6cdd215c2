-- What a contract came from (issue 9 item 6): an achievement, a need, a
-- challenge, an event or an intention, named by kind and id. A link table,
-- not columns, so a later module adds its kind without a migration of
-- contracts; the referenced record is checked by the service (each kind's
-- module registers its check), not by a foreign key. The (kind, ref_id)
-- index serves the timelines and the chain figures.
CREATE TABLE contract_links (
  contract_id BIGINT NOT NULL REFERENCES contracts (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  ref_id BIGINT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (contract_id, kind, ref_id)
);
CREATE INDEX contract_links_ref ON contract_links (kind, ref_id);
-- The chain figures count a year's registered contracts: by registration
-- year first (the rollup serves the contract statistics, not these).
CREATE INDEX contracts_reg_year ON contracts (reg_year, status);
