-- Schema 1: feeds (one row per token) and every published revision with its rendered files.
CREATE TABLE feeds (
    token TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL,
    client TEXT NOT NULL,
    language TEXT NOT NULL,
    timezone TEXT NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    base_url TEXT NOT NULL,
    revision INTEGER NOT NULL,
    last_modified INTEGER NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
    FOREIGN KEY (token, revision) REFERENCES revisions (token, revision) DEFERRABLE INITIALLY DEFERRED
) WITHOUT ROWID;
CREATE UNIQUE INDEX feeds_live_plan ON feeds (plan_id) WHERE revoked = 0;
CREATE TABLE revisions (
    token TEXT NOT NULL REFERENCES feeds (token) DEFERRABLE INITIALLY DEFERRED,
    revision INTEGER NOT NULL CHECK (revision >= 1),
    plan_json TEXT NOT NULL,
    ics BLOB NOT NULL,
    ics_etag TEXT NOT NULL,
    pdf BLOB,
    pdf_etag TEXT,
    last_modified INTEGER NOT NULL,
    PRIMARY KEY (token, revision)
);
