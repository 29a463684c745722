-- The language an account chose in the header's switch (issue 17). NULL: not chosen, so the browser's
-- Accept-Language decides. At sign-in a saved choice becomes the language cookie, so it follows the officer
-- to another browser.
ALTER TABLE users ADD COLUMN locale TEXT CHECK (locale IS NULL OR locale IN ('en', 'fr-CA', 'hi', 'en-XA'));
