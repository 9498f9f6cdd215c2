-- The national table of administrative divisions (GB/T 2260) in the regions
-- table: each division's level (1 province, 2 prefecture, 3 county), its
-- full name from the province down, and the edition of the table that no
-- longer lists it ('' while current: a withdrawn code keeps its name for
-- the records that name it, but nothing new may use it). The loaded
-- edition is the setting regions_edition (service.Meta.LoadRegions).
ALTER TABLE regions ADD COLUMN level INTEGER NOT NULL DEFAULT 0;
ALTER TABLE regions ADD COLUMN full_name TEXT NOT NULL DEFAULT '';
ALTER TABLE regions ADD COLUMN withdrawn TEXT NOT NULL DEFAULT '';
UPDATE regions SET full_name = name,
  level = CASE WHEN substr(code, 3) = '0000' THEN 1 WHEN substr(code, 5) = '00' THEN 2 ELSE 3 END;
-- A division's children (?parent_code=) and the name search (?q=).
CREATE INDEX regions_parent ON regions (parent_code, code);
CREATE INDEX regions_name ON regions (name);
