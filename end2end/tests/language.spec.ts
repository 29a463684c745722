import { test, expect, Browser, Page } from '@playwright/test';
import { credentials, fillSignIn, hydrated, noAxeViolations, OBSERVATION_REQUEST, requestLink, signIn } from './helpers';

test.describe.configure({ mode: 'serial' });

/** The switch in the header: one button per language not shown now, each named in its own language. */
function languageButton(page: Page, name: string) {
  return page.locator('form.lang-switch').getByRole('button', { name, exact: true });
}

/** Puts the account back to English (its saved choice would otherwise follow it into the other tests). */
async function backToEnglish(browser: Browser, username: string) {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await fillSignIn(page, username, credentials()[username]);
  await expect(page.locator('.who')).toBeVisible();
  const english = languageButton(page, 'English');
  if (await english.count()) await english.click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await context.close();
}

/** `username` signed in from a browser that asks for English, on the (English) inbox, ready to switch. */
async function signedInInEnglish(browser: Browser, username: string) {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await fillSignIn(page, username, credentials()[username]);
  await expect(page.getByRole('heading', { name: 'Inbox', exact: true })).toBeVisible();
  await hydrated(page);
  return { context, page };
}

test('the sign-in page speaks the browser\'s language, and the switch changes it in place', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'hi-IN' });
  const page = await context.newPage();
  await page.goto('/login');
  await expect(page.locator('html')).toHaveAttribute('lang', 'hi');
  await expect(page.getByRole('heading', { name: 'साइन इन' })).toBeVisible();
  await expect(page.getByLabel('उपयोगकर्ता नाम')).toBeVisible();
  // The language the reader is in is shown, not offered; the others are named in themselves.
  await expect(page.locator('.lang-current')).toHaveText('हिन्दी');
  await expect(page.locator('.lang-current')).toHaveAttribute('lang', 'hi');
  await expect(languageButton(page, 'Français')).toHaveAttribute('lang', 'fr-CA');
  await noAxeViolations(page, 'sign-in in Hindi');

  await languageButton(page, 'Français').click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr-CA');
  await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  await expect(page.getByLabel("Nom d'utilisateur")).toBeVisible();
  await expect(page.getByLabel('Mot de passe')).toBeVisible();
  await noAxeViolations(page, 'sign-in in French');
  // The choice outlives the page: the browser's Hindi no longer decides.
  await page.goto('/login');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr-CA');
  await context.close();
});

test('an officer switches to French in the header; the account keeps it and it follows them to another browser', async ({ browser }) => {
  const user = 'rcmp.officer';
  try {
    const { context: first, page } = await signedInInEnglish(browser, user);
    await languageButton(page, 'Français').click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr-CA');
    await expect(page.getByRole('heading', { name: 'Boîte de réception' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Demandes reçues' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
    // Statuses and priorities are words of the catalogue too; the subjects officers wrote stay as written.
    await expect(page.locator('#inbox-lists')).not.toContainText('Acknowledged');
    await noAxeViolations(page, 'inbox in French');
    await first.close();

    // Another browser that asks for English: the account's choice wins once signed in.
    const second = await browser.newContext({ locale: 'en-US' });
    const again = await second.newPage();
    await fillSignIn(again, user, credentials()[user]);
    await expect(again.getByRole('heading', { name: 'Boîte de réception' })).toBeVisible();
    await expect(again.locator('html')).toHaveAttribute('lang', 'fr-CA');
    await second.close();
  } finally {
    await backToEnglish(browser, user);
  }
});

test('an Indian officer reads the inbox in Hindi, with deadlines in Hindi words', async ({ browser }) => {
  const user = 'ncb.officer';
  try {
    const { context, page } = await signedInInEnglish(browser, user);
    await languageButton(page, 'हिन्दी').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'hi');
    await expect(page.getByRole('heading', { name: 'इनबॉक्स' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'आने वाले अनुरोध' })).toBeVisible();
    // "in 5 h 20 min" / "overdue by 2 d 3 h" read in Hindi: no English time words left in the lists.
    await expect(page.locator('#inbox-lists .remaining').first()).toBeVisible();
    await expect(page.locator('#inbox-lists')).not.toContainText(/overdue by|\bin \d+ (h|min|d)\b/);
    await noAxeViolations(page, 'inbox in Hindi');
    await context.close();
  } finally {
    await backToEnglish(browser, user);
  }
});

/** Visible text the catalogues did not give: runs of plain ASCII with letters, outside what users wrote or
 * codes (marked translate="no", the HTML attribute that says "not to be translated"). In the pseudo-locale
 * every catalogue word is accented, so any such text is a word that escaped the catalogue. */
async function wordsOutsideTheCatalogue(page: Page): Promise<string[]> {
  await hydrated(page);
  return page.evaluate(() => {
    document.querySelectorAll('details').forEach(d => { d.open = true; });
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = (node.textContent || '').trim();
      // Words only: a node with digits is a number, a date or a time (its format is another matter).
      if (!/[A-Za-z]{2}/.test(text) || /\d/.test(text) || !/^[\x20-\x7e\u00a0\u00b7\u2013\u2014\u2019\u2026\u2190\u2192]*$/.test(text)) continue;
      const el = node.parentElement;
      if (!el || el.closest('[translate="no"], [aria-hidden="true"], script, style, noscript, template, option')) continue;
      if (!el.checkVisibility()) continue;
      found.push(text);
    }
    return found;
  });
}

test('pseudo-locale: every word on the translated pages comes from the catalogue', async ({ browser }) => {
  const context = await browser.newContext();
  await context.addCookies([{ name: 'ld_lang', value: 'en-XA', url: 'http://127.0.0.1:3100' }]);
  const page = await context.newPage();
  const seen: Record<string, string[]> = {};
  const sweep = async (name: string) => {
    const words = await wordsOutsideTheCatalogue(page);
    if (words.length) seen[name] = words;
  };
  await page.goto('/login');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en-XA');
  await sweep('sign-in');
  await page.locator('input[name=username]').fill('rcmp.officer');
  await page.locator('input[name=password]').fill(credentials()['rcmp.officer']);
  await page.locator('main form button[type=submit]').first().click();
  await expect(page.locator('.who')).toBeVisible();
  // The account's saved language (English, put back by the tests above) came back at sign-in: choose the
  // pseudo-locale again for this browser.
  await context.addCookies([{ name: 'ld_lang', value: 'en-XA', url: 'http://127.0.0.1:3100' }]);
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en-XA');
  await sweep('inbox');
  for (const path of ['/cases', '/cases/new', '/requests?direction=both', '/requests?direction=incoming&overdue=1', '/notifications', '/profile', '/search?q=container', '/search?q=zzzqqq']) {
    await page.goto(path);
    await sweep(path);
  }
  // A request received (the recipient's view: cross-check, respond, decline), then its case and history.
  await page.goto('/');
  await page.getByRole('link', { name: OBSERVATION_REQUEST }).first().click();
  await expect(page.locator('h1')).toHaveText(OBSERVATION_REQUEST);
  await sweep('request page');
  await page.locator('main p[translate="no"] a').first().click();
  await expect(page.locator('.case-header')).toBeVisible();
  await sweep('case page');
  const history = page.locator('a[href$="/history"]');
  if (await history.count()) {
    await history.first().click();
    await sweep('case history');
  }
  // An answer given under conditions, with consent granted and consent awaited (the provider's view).
  await page.goto(await requestLink(page, 'Voyage history of MV Pacific Meridian'));
  await sweep('request page with consents');
  expect(seen, 'English words outside the catalogue, by page').toEqual({});
  await context.close();
});

test('pseudo-locale: the supervisor\'s and the admin\'s pages, and a form the server refused, come from the catalogue', async ({ browser }) => {
  const seen: Record<string, string[]> = {};
  const pages: [string, string[]][] = [
    ['ca.supervisor', ['/dashboard', '/retention', '/requests?direction=both&status=overdue']],
    ['admin', ['/admin/users', '/admin/users/new', '/admin/agencies', '/confirmations', '/audit']],
    ['rcmp.officer', []],
  ];
  for (const [user, paths] of pages) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, user);
    await context.addCookies([{ name: 'ld_lang', value: 'en-XA', url: 'http://127.0.0.1:3100' }]);
    for (const path of paths) {
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('lang', 'en-XA');
      const words = await wordsOutsideTheCatalogue(page);
      if (words.length) seen[`${user} ${path}`] = words;
    }
    if (user === 'admin') {
      await page.goto('/admin/users');
      await page.locator('main table a[href^="/admin/users/"]').first().click();
      await expect(page).toHaveURL(/\/admin\/users\/\d+$/);
      const words = await wordsOutsideTheCatalogue(page);
      if (words.length) seen['admin account page'] = words;
    }
    if (user === 'rcmp.officer') {
      // What the server says about bad input is in the reader's language too.
      await page.goto('/cases/new');
      await hydrated(page);
      await page.locator('input[name=title]').fill('x');
      await page.locator('main form button[type=submit]').first().click();
      await expect(page.locator('.error-headline')).toBeVisible();
      await expect(page.locator('main')).toContainText('[');
      const words = await wordsOutsideTheCatalogue(page);
      if (words.length) seen['case form refused'] = words;
      await expect(page.locator('input[name=title]')).toHaveValue('x');
    }
    await context.close();
  }
  expect(seen, 'English words outside the catalogue, by page').toEqual({});
});

/** Canada's supervisor signed in on a French page, the language chosen by cookie only (so the account's saved
 * choice stays untouched). */
async function inFrench(browser: Browser, viewport?: { width: number; height: number }) {
  const context = await browser.newContext(viewport ? { viewport } : {});
  await context.addCookies([{ name: 'ld_lang', value: 'fr-CA', url: 'http://127.0.0.1:3100' }]);
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel("Nom d'utilisateur").fill('ca.supervisor');
  await page.getByLabel('Mot de passe').fill(credentials()['ca.supervisor']);
  await page.locator('main form button[type=submit]').first().click();
  await expect(page.getByRole('heading', { name: 'Boîte de réception' })).toBeVisible();
  return { context, page };
}

test('on a phone the French inbox and case page fit the screen: each request and case a card, nothing cut off', async ({ browser }) => {
  const { context, page } = await inFrench(browser, { width: 390, height: 844 });
  await page.goto('/cases');
  const caseHref = await page.locator('main table a[href^="/cases/"]').first().getAttribute('href');
  for (const path of ['/', '/cases', caseHref!]) {
    await page.goto(path);
    await hydrated(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${path} is wider than the screen`).toBeLessThanOrEqual(0);
    // Every status and priority badge of the lists is on the screen, not in a column scrolled out of it.
    const outside = await page.evaluate(() => [...document.querySelectorAll('table .rstatus, table .cstatus, table .priority')]
      .filter(b => b.getBoundingClientRect().right > window.innerWidth).map(b => b.textContent));
    expect(outside, `${path}: badges off the screen`).toEqual([]);
  }
  await context.close();
});

test('a refusal reads in the page\'s language, from an island rendered again in the browser', async ({ browser }) => {
  const { context, page } = await inFrench(browser);
  await page.goto('/cases/new');
  await hydrated(page);
  await page.getByLabel('Titre', { exact: true }).fill('x');
  // Agencies are brought in by ticking them, each country's under its name.
  await expect(page.getByRole('group', { name: 'Inde' })).toBeVisible();
  await page.getByLabel('CBSA').check();
  // A related case is found by words of its title and picked, not typed as a reference.
  await page.getByLabel('Dossiers liés', { exact: true }).fill('port of vanc');
  await expect(page.getByRole('status').filter({ hasText: 'trouvé' })).toHaveText('1 dossier trouvé.');
  await page.getByRole('button', { name: /Fentanyl precursor shipment/ }).click();
  const chips = page.getByRole('list', { name: 'Dossiers liés choisis' });
  await expect(chips).toContainText('Fentanyl precursor shipment');
  await expect(page.getByLabel('Dossiers liés', { exact: true })).toHaveValue('');
  await page.getByRole('button', { name: 'Ouvrir le dossier' }).click();
  await expect(page.locator('.error-headline')).toHaveText('Veuillez corriger les champs indiqués.');
  // The field's own message, written by the server, is French too.
  await expect(page.locator('main')).toContainText('Donnez au dossier un titre de 3 à 200 caractères.');
  // What was typed and ticked stays.
  await expect(page.getByLabel('Titre', { exact: true })).toHaveValue('x');
  await expect(page.getByLabel('CBSA')).toBeChecked();
  await expect(chips).toContainText('Fentanyl precursor shipment');
  // Removing it takes it out of what the form sends.
  await chips.getByRole('button', { name: /^Retirer LD-/ }).click();
  await expect(chips.getByRole('listitem')).toHaveCount(0);
  await expect(page.locator('input[name=links]')).toHaveValue('');
  await context.close();
});
