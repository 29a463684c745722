-- Search finds Indian-script words whole. The unicode61 tokenizer counts only letters and digits as parts of a
-- word, so it cut Devanagari (and the other Indic scripts) at every vowel sign and virama: "शर्मा" was indexed as
-- "शर" and "म", and a search for "श" found every word holding that letter. The combining marks (Unicode
-- categories Mn and Mc) of the Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada and
-- Malayalam blocks (U+0900 to U+0D7F) are made word characters; Latin accents are still folded away
-- (remove_diacritics 2: "societe" finds "Société").
--
-- An FTS5 table's tokenizer cannot be changed in place: the index is made again from the rows it indexes.
-- The triggers that keep it up to date (migrations 0011 and 0019) name it and go on working.

DROP TABLE search_index;

CREATE VIRTUAL TABLE search_index USING fts5(
    kind UNINDEXED,
    object_id UNINDEXED,
    case_id UNINDEXED,
    title,
    body,
    tokenize = "unicode61 remove_diacritics 2 tokenchars 'ऀँंःऺऻ़ािीुूृॄॅॆेैॉॊोौ्ॎॏ॒॑॓॔ॕॖॗॢॣঁংঃ়ািীুূৃৄেৈোৌ্ৗৢৣ৾ਁਂਃ਼ਾਿੀੁੂੇੈੋੌ੍ੑੰੱੵઁંઃ઼ાિીુૂૃૄૅેૈૉોૌ્ૢૣૺૻૼ૽૾૿ଁଂଃ଼ାିୀୁୂୃୄେୈୋୌ୍୕ୖୗୢୣஂாிீுூெேைொோௌ்ௗఀఁంఃఄ఼ాిీుూృౄెేైొోౌ్ౕౖౢౣಁಂಃ಼ಾಿೀುೂೃೄೆೇೈೊೋೌ್ೕೖೢೣഀഁംഃ഻഼ാിീുൂൃൄെേൈൊോൌ്ൗൢൣ'"
);

INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    SELECT (1 << 40) + id, 'case', id, id, reference || ' ' || title, summary FROM cases;
INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    SELECT (2 << 40) + id, 'request', id, case_id, subject, body FROM requests;
INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    SELECT (3 << 40) + r.id, 'response', r.id, q.case_id, '', r.body FROM responses r JOIN requests q ON q.id = r.request_id;
INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    SELECT (4 << 40) + id, 'indicator', id, case_id, value, note FROM indicators;
INSERT INTO search_index (rowid, kind, object_id, case_id, title, body)
    SELECT (5 << 40) + id, 'entity', id, case_id, name, identifier || ' ' || note FROM entities;
