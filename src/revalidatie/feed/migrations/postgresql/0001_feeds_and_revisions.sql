-- Schema 1: feeds (one row per token) and every published revision with its rendered files.
CREATE TABLE feeds (
    token text PRIMARY KEY,
    plan_id text NOT NULL,
    client text NOT NULL,
    language text NOT NULL,
    timezone text NOT NULL,
    first_day date NOT NULL,
    last_day date NOT NULL,
    base_url text NOT NULL,
    revision integer NOT NULL,
    last_modified bigint NOT NULL,
    revoked boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX feeds_live_plan ON feeds (plan_id) WHERE NOT revoked;
CREATE TABLE revisions (
    token text NOT NULL REFERENCES feeds (token) DEFERRABLE INITIALLY DEFERRED,
    revision integer NOT NULL CHECK (revision >= 1),
    plan_json text NOT NULL,
    ics bytea NOT NULL,
    ics_etag text NOT NULL,
    pdf bytea,
    pdf_etag text,
    last_modified bigint NOT NULL,
    PRIMARY KEY (token, revision)
);
ALTER TABLE feeds ADD CONSTRAINT feeds_current_revision FOREIGN KEY (token, revision)
    REFERENCES revisions (token, revision) DEFERRABLE INITIALLY DEFERRED;
