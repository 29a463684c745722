-- Retention review (issue 20): personal data is kept only as long as each country's law allows. A closed
-- case comes up for review a number of years after it was closed (by country and category); its owning
-- country's supervisors keep it until a date, with a reason, or purge it. A purge removes the content and
-- keeps a skeleton (reference, dates, parties, counts) and the audit trail, which never held the content.

-- Years a closed case is kept before review: per country, '*' for any category without its own.
CREATE TABLE retention_periods (
    country   TEXT NOT NULL CHECK (country IN ('IN', 'CA')),
    category  TEXT NOT NULL CHECK (category IN ('*', 'cyber_incident', 'ransomware', 'drug_precursors',
                  'organised_crime', 'fraud', 'immigration', 'violent_extremism', 'other')),
    years     INTEGER NOT NULL CHECK (years BETWEEN 1 AND 100),
    PRIMARY KEY (country, category)
);
INSERT INTO retention_periods (country, category, years) VALUES
    ('IN', '*', 5), ('IN', 'violent_extremism', 10),
    ('CA', '*', 5), ('CA', 'violent_extremism', 10);

-- When the case was last closed, when it comes up for review, and its purge.
ALTER TABLE cases ADD COLUMN closed_at TEXT;
ALTER TABLE cases ADD COLUMN review_at TEXT;
ALTER TABLE cases ADD COLUMN purged_at TEXT;
ALTER TABLE cases ADD COLUMN purged_by INTEGER REFERENCES users(id);
ALTER TABLE cases ADD COLUMN purge_reason TEXT;
CREATE INDEX cases_review ON cases(review_at) WHERE review_at IS NOT NULL AND purged_at IS NULL;

-- Cases closed before this migration: closed when last changed, reviewed that many years on.
UPDATE cases SET closed_at = updated_at WHERE status IN ('closed', 'archived');
UPDATE cases SET review_at = strftime('%Y-%m-%dT%H:%M:%SZ', closed_at, '+' || COALESCE(
    (SELECT p.years FROM retention_periods p JOIN agencies a ON a.country = p.country
     WHERE a.id = cases.owner_agency_id AND p.category = cases.category),
    (SELECT p.years FROM retention_periods p JOIN agencies a ON a.country = p.country
     WHERE a.id = cases.owner_agency_id AND p.category = '*')) || ' years')
WHERE closed_at IS NOT NULL;

-- Every review's decision: keep until a date (with the reason), or purge (with the reason).
CREATE TABLE retention_decisions (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    decision    TEXT NOT NULL CHECK (decision IN ('keep', 'purge')),
    keep_until  TEXT,
    reason      TEXT NOT NULL CHECK (length(reason) BETWEEN 3 AND 2000),
    decided_by  INTEGER NOT NULL REFERENCES users(id),
    decided_at  TEXT NOT NULL,
    CHECK ((decision = 'keep') = (keep_until IS NOT NULL))
);
CREATE INDEX retention_decisions_case ON retention_decisions(case_id, id);

-- Responses stay append-only, except that a purge empties those of its case (marked purged first, in the
-- same transaction): their text and H3's words, nothing else.
DROP TRIGGER responses_no_update;
CREATE TRIGGER responses_no_update BEFORE UPDATE ON responses
WHEN (SELECT c.purged_at FROM requests q JOIN cases c ON c.id = q.case_id WHERE q.id = OLD.request_id) IS NULL
    OR NEW.body != '' OR NEW.request_id != OLD.request_id OR NEW.author_id != OLD.author_id OR NEW.kind != OLD.kind
    OR NEW.agency_id != OLD.agency_id OR NEW.tlp != OLD.tlp OR NEW.created_at != OLD.created_at
    OR NEW.source_grade IS NOT OLD.source_grade OR NEW.info_grade IS NOT OLD.info_grade
    OR NEW.h0 != OLD.h0 OR NEW.h1 != OLD.h1 OR NEW.h2 != OLD.h2
BEGIN
    SELECT RAISE(ABORT, 'responses are append-only');
END;
