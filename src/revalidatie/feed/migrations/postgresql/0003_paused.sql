-- Schema 3: whether the current revision's plan is paused after red-flag signs, so a list of feeds shows it
-- without reading every plan back. Plans published before schema 3 cannot be paused.
ALTER TABLE feeds ADD COLUMN paused boolean NOT NULL DEFAULT false;
