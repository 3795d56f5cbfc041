-- Schema 2: the client's check-ins (every report kept, corrections as later rows) and the server's secret.
CREATE TABLE checkins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token TEXT NOT NULL REFERENCES feeds (token),
    session_id TEXT NOT NULL,
    log_json TEXT NOT NULL,
    red_flags TEXT NOT NULL DEFAULT '',
    received INTEGER NOT NULL
);
CREATE INDEX checkins_token ON checkins (token, id);
CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;
