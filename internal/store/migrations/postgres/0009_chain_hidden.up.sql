-- A chain can be hidden (retired): kept, with its name, for the contracts
-- and statistics that name it, and offered for no new filing. A chain no
-- contract names can be deleted instead.
ALTER TABLE chains ADD COLUMN hidden BOOLEAN NOT NULL DEFAULT FALSE;
