-- Consent may now be asked to export a response's information outside Liaison Desk (the case's PDF report):
-- H2 holds it back from exports by the side it was given to until its provider grants purpose 'export'.
-- SQLite changes a CHECK only by making the table again, with its rows and indexes. `passed_on` refers to
-- it (consent_id): dropping the table counts each such row as a broken reference until a consent of that id
-- exists again, so the rows are kept aside, the table is made again under its own name and the rows go back
-- into it (which mends those references), all before the check at the end of the migration.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE consents_kept AS SELECT * FROM consents;
DROP TABLE consents;
CREATE TABLE consents (
    id                INTEGER PRIMARY KEY,
    response_id       INTEGER NOT NULL REFERENCES responses(id),
    request_id        INTEGER NOT NULL REFERENCES requests(id),
    case_id           INTEGER NOT NULL REFERENCES cases(id),
    from_agency_id    INTEGER NOT NULL REFERENCES agencies(id),
    to_agency_id      INTEGER NOT NULL REFERENCES agencies(id),
    purpose           TEXT NOT NULL CHECK (purpose IN ('judicial', 'pass_on', 'export', 'other')),
    pass_to_agency_id INTEGER REFERENCES agencies(id),
    reason            TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 5000),
    asked_by          INTEGER NOT NULL REFERENCES users(id),
    asked_at          TEXT NOT NULL,
    due_at            TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'asked'
                      CHECK (status IN ('asked', 'granted', 'partly_granted', 'refused', 'withdrawn')),
    answer            TEXT NOT NULL DEFAULT '' CHECK (length(answer) <= 5000),
    answered_by       INTEGER REFERENCES users(id),
    answered_at       TEXT,
    CHECK ((purpose = 'pass_on') = (pass_to_agency_id IS NOT NULL)),
    CHECK (from_agency_id != to_agency_id)
);
INSERT INTO consents SELECT id, response_id, request_id, case_id, from_agency_id, to_agency_id, purpose, pass_to_agency_id,
    reason, asked_by, asked_at, due_at, status, answer, answered_by, answered_at FROM consents_kept;
DROP TABLE consents_kept;
CREATE INDEX consents_by_response ON consents(response_id);
CREATE INDEX consents_asked_of ON consents(to_agency_id, status, due_at);
CREATE INDEX consents_asked_by ON consents(from_agency_id, status, due_at);
