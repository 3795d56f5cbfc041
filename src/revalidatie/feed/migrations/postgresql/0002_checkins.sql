-- Schema 2: the client's check-ins (every report kept, corrections as later rows) and the server's secret.
CREATE TABLE checkins (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token text NOT NULL REFERENCES feeds (token),
    session_id text NOT NULL,
    log_json text NOT NULL,
    red_flags text NOT NULL DEFAULT '',
    received bigint NOT NULL
);
CREATE INDEX checkins_token ON checkins (token, id);
CREATE TABLE secrets (
    name text PRIMARY KEY,
    value bytea NOT NULL
);
