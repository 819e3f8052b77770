-- 0009_profile_resolution: what a profile resolves to (OSCAL profile resolution, core/profile.c).
--
-- A profile is resolved once, when it is stored: its imports, merge and modify applied to the
-- catalogs (and profiles) it imports give one catalog, kept whole for GET .../resolved, and the
-- text of each of its controls as that catalog has it (parameters set, parts added or removed),
-- which is what an assessment on the profile shows. Catalogs and profiles never change once
-- stored (a new version is a new import), so what is kept here never goes stale.
ALTER TABLE profiles ADD COLUMN resolved_json TEXT;
ALTER TABLE profile_controls ADD COLUMN label TEXT;
ALTER TABLE profile_controls ADD COLUMN title TEXT;
ALTER TABLE profile_controls ADD COLUMN statement TEXT;
ALTER TABLE profile_controls ADD COLUMN guidance TEXT;
ALTER TABLE profile_controls ADD COLUMN objectives TEXT;

-- Profiles stored before this migration were resolved by selection only: their controls show
-- the catalog's text, as they did (their resolved catalog is made when it is asked for).
UPDATE profile_controls
   SET (label, title, statement, guidance, objectives) =
       (SELECT c.label, c.title, c.statement, c.guidance, c.objectives
          FROM profiles p JOIN controls c ON c.catalog_id = p.catalog_id
         WHERE p.id = profile_controls.profile_id AND c.idx = profile_controls.control_idx);
