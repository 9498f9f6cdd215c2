-- The statistics version: one row that every transaction changing what the
-- public statistics show (a registration, an import of registered records,
-- a rollup rebuild, a target) bumps just before it commits. Each serve
-- process keys its cache of assembled statistics by this number, so every
-- process on one database drops its cached answers at the same commit.
CREATE TABLE stats_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version BIGINT NOT NULL
);
INSERT INTO stats_version (id, version) VALUES (1, 0);

-- An organisation's list scope, one disjunct per column (store.
-- contractWhere): owner, seller, buyer (indexed since 0001) and broker, each
-- from its own index. A registry's scope is most of the table: there,
-- walking the rows in id order and stopping at the page or at the capped
-- count beats any index (contractWhere keeps it off the registry index).
CREATE INDEX contracts_broker ON contracts (broker_org_id);
-- The list's capped count reads the scope's columns from this index, not
-- from the wide rows (a third of the time on the demo city).
CREATE INDEX contracts_scope ON contracts (status, owner_org_id, registry_id);
