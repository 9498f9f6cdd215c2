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
