-- A lecturer's portrait (宣讲员照片): the file lives once under the data folder by its SHA-256,
-- like session photos; a file goes only when neither a photo nor a lecturer names it.
ALTER TABLE lecturers ADD COLUMN photo_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE lecturers ADD COLUMN photo_type TEXT NOT NULL DEFAULT '';
