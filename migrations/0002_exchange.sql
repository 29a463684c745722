-- Exchange: cases, the agencies party to them, requests between agencies, append-only responses,
-- attachments and indicators. Need-to-know is decided from case_parties.

CREATE TABLE reference_counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE cases (
    id              INTEGER PRIMARY KEY,
    reference       TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL CHECK (length(title) BETWEEN 3 AND 200),
    summary         TEXT NOT NULL DEFAULT '',
    category        TEXT NOT NULL CHECK (category IN ('cyber_incident', 'ransomware', 'drug_precursors',
                        'organised_crime', 'fraud', 'immigration', 'violent_extremism', 'other')),
    priority        TEXT NOT NULL CHECK (priority IN ('urgent', 'high', 'normal', 'low')),
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'active', 'closed', 'archived')),
    tlp             TEXT NOT NULL CHECK (tlp IN ('clear', 'green', 'amber', 'amber_strict', 'red')),
    owner_agency_id INTEGER NOT NULL REFERENCES agencies(id),
    lead_user_id    INTEGER NOT NULL REFERENCES users(id),
    version         INTEGER NOT NULL DEFAULT 1,
    created_by      INTEGER NOT NULL REFERENCES users(id),
    created_at      TEXT NOT NULL,
    updated_by      INTEGER NOT NULL REFERENCES users(id),
    updated_at      TEXT NOT NULL
);
CREATE INDEX cases_status ON cases(status, updated_at);
CREATE INDEX cases_owner ON cases(owner_agency_id);

CREATE TABLE case_parties (
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    added_at  TEXT NOT NULL,
    PRIMARY KEY (case_id, agency_id)
) WITHOUT ROWID;
CREATE INDEX case_parties_agency ON case_parties(agency_id, case_id);

-- Stored in both directions so either case lists the other.
CREATE TABLE case_links (
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    other_case_id INTEGER NOT NULL REFERENCES cases(id),
    created_at    TEXT NOT NULL,
    PRIMARY KEY (case_id, other_case_id),
    CHECK (case_id != other_case_id)
) WITHOUT ROWID;

CREATE TABLE requests (
    id               INTEGER PRIMARY KEY,
    case_id          INTEGER NOT NULL REFERENCES cases(id),
    kind             TEXT NOT NULL CHECK (kind IN ('information', 'assistance', 'evidence_preservation',
                         'intelligence_share', 'clarification')),
    subject          TEXT NOT NULL CHECK (length(subject) BETWEEN 3 AND 200),
    body             TEXT NOT NULL,
    priority         TEXT NOT NULL CHECK (priority IN ('urgent', 'high', 'normal', 'low')),
    directly_available INTEGER NOT NULL DEFAULT 0 CHECK (directly_available IN (0, 1)),
    tlp              TEXT NOT NULL CHECK (tlp IN ('clear', 'green', 'amber', 'amber_strict', 'red')),
    from_agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    to_agency_id     INTEGER NOT NULL REFERENCES agencies(id),
    status           TEXT NOT NULL CHECK (status IN ('draft', 'awaiting_approval', 'sent', 'acknowledged',
                         'in_progress', 'answered', 'closed', 'declined', 'withdrawn')),
    due_at           TEXT,
    sent_at          TEXT,
    acknowledged_at  TEXT,
    acknowledged_by  INTEGER REFERENCES users(id),
    answered_at      TEXT,
    closed_at        TEXT,
    decline_reason   TEXT,
    created_by       INTEGER NOT NULL REFERENCES users(id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK (from_agency_id != to_agency_id)
);
CREATE INDEX requests_case ON requests(case_id);
CREATE INDEX requests_incoming ON requests(to_agency_id, status, due_at);
CREATE INDEX requests_outgoing ON requests(from_agency_id, status, due_at);

CREATE TABLE responses (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES requests(id),
    author_id   INTEGER NOT NULL REFERENCES users(id),
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    kind        TEXT NOT NULL CHECK (kind IN ('partial_answer', 'final_answer', 'clarification_request',
                    'clarification', 'refusal')),
    body        TEXT NOT NULL,
    source_grade TEXT CHECK (source_grade IN ('A', 'B', 'C', 'X')),
    info_grade   TEXT CHECK (info_grade IN ('1', '2', '3', '4')),
    tlp         TEXT NOT NULL CHECK (tlp IN ('clear', 'green', 'amber', 'amber_strict', 'red')),
    created_at  TEXT NOT NULL
);
CREATE INDEX responses_request ON responses(request_id, id);

-- Responses are never edited after they are sent; a correction is a new response.
CREATE TRIGGER responses_no_update BEFORE UPDATE ON responses
BEGIN
    SELECT RAISE(ABORT, 'responses are append-only');
END;
CREATE TRIGGER responses_no_delete BEFORE DELETE ON responses
BEGIN
    SELECT RAISE(ABORT, 'responses are append-only');
END;

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    request_id   INTEGER REFERENCES requests(id),
    response_id  INTEGER REFERENCES responses(id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    uploaded_by  INTEGER NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL
);
CREATE INDEX attachments_case ON attachments(case_id);
CREATE INDEX attachments_request ON attachments(request_id);

CREATE TABLE indicators (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    kind        TEXT NOT NULL CHECK (kind IN ('ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256',
                    'email', 'crypto_wallet')),
    value       TEXT NOT NULL,
    tlp         TEXT NOT NULL CHECK (tlp IN ('clear', 'green', 'amber', 'amber_strict', 'red')),
    first_seen  TEXT,
    last_seen   TEXT,
    note        TEXT NOT NULL DEFAULT '',
    created_by  INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL,
    UNIQUE (case_id, kind, value)
);
CREATE INDEX indicators_value ON indicators(value);

-- Supervisors' setting: outgoing requests of this priority or higher need their approval.
ALTER TABLE agencies ADD COLUMN approval_min_priority TEXT
    CHECK (approval_min_priority IN ('urgent', 'high', 'normal', 'low'));

CREATE INDEX audit_events_object ON audit_events(object_type, object_id, id);

-- The case an event concerns (case, request, response, attachment or indicator), for the case's history.
ALTER TABLE audit_events ADD COLUMN case_id INTEGER;
CREATE INDEX audit_events_case ON audit_events(case_id, id);
