import { test, expect } from '@playwright/test';
import { readFileSync } from 'fs';
import { execFileSync } from 'child_process';
import { caseLink, FENTANYL_CASE, hydrated, IMPORT_RECORDS_REQUEST, noAxeViolations, OBSERVATION_REQUEST, requestLink, signIn, signOut } from './helpers';

test.describe.configure({ mode: 'serial' });

test('a supervisor follows "overdue" from the dashboard to the list and opens a request', async ({ page }) => {
  await signIn(page, 'ca.supervisor');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard · Canada' })).toBeVisible();
  await hydrated(page);
  const overdue = page.getByRole('link', { name: /Overdue, received by us/ });
  await expect(overdue).toContainText('1');
  await overdue.click();
  await expect(page).toHaveURL(/\/requests\?direction=incoming&overdue=1/);
  await expect(page.getByRole('heading', { name: 'Requests received by us · overdue' })).toBeVisible();
  const rows = page.getByRole('table', { name: 'Requests' }).getByRole('row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('Overdue');
  // The list's own filters take over from there, keeping what the link chose until changed.
  await hydrated(page);
  await expect(page.getByLabel('Overdue only')).toBeChecked();
  await page.getByLabel('Overdue only').uncheck();
  await page.getByLabel('Status').selectOption('open');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByRole('heading', { name: 'Requests received by us · awaiting an answer' })).toBeVisible();
  await expect(page).toHaveURL(/status=open/);
  // The overdue request and the others still awaiting an answer.
  await expect(page.getByRole('table', { name: 'Requests' })).toContainText('Import records of the consignee');
  expect(await page.getByRole('table', { name: 'Requests' }).getByRole('row').count()).toBeGreaterThan(2);
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Requests received by us · overdue' })).toBeVisible();
  await rows.nth(1).getByRole('link', { name: /Import records/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Import records of the consignee/ })).toBeVisible();
  await expect(page.locator('.case-header .deadline')).toContainText('Overdue');
  // The workload figures lead to their lists too.
  await page.goto('/dashboard');
  await page.getByRole('link', { name: '1 open cases led by Daniel Tremblay' }).click();
  await expect(page).toHaveURL(/\/cases\?status=current&lead=\d+/);
  await expect(page.getByText('Led by Daniel Tremblay')).toBeVisible();
  await expect(page.getByLabel('Status')).toHaveValue('current');
  await expect(page.getByRole('table').getByRole('row')).toHaveCount(2);
});

test('the request and case lists download as CSV', async ({ page }) => {
  await signIn(page, 'ca.supervisor');
  await page.goto('/requests?direction=incoming&overdue=1');
  await hydrated(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download these requests as CSV' }).click()]);
  expect(download.suggestedFilename()).toBe('requests.csv');
  const text = readFileSync(await download.path(), 'utf8');
  expect(text.split('\r\n')[0]).toBe('Case,Subject,Type,Priority,Status,TLP,From,To,Due,Overdue,Legal basis,Conditions');
  expect(text).toContain('Import records of the consignee');
  await page.goto('/cases?category=ransomware');
  await hydrated(page);
  const [cases] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download these cases as CSV' }).click()]);
  const csv = readFileSync(await cases.path(), 'utf8');
  expect(csv).toContain('Ransomware attack on a hospital network in Pune');
  expect(csv.split('\r\n').filter(l => l).length).toBe(2);
});

test('the case report downloads as a PDF marked with its handling code', async ({ page }) => {
  await signIn(page, 'ncb.officer');
  await page.goto(await caseLink(page, FENTANYL_CASE));
  await hydrated(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download PDF report' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^LD-\d{4}-\d{6}-report\.pdf$/);
  const pdf = readFileSync(await download.path());
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  // As a reader copies it out (poppler's pdftotext): the marking heads the first page, the title is there.
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', await download.path(), '-']).toString('utf8');
  expect(text.trimStart().startsWith('TLP:AMBER')).toBe(true);
  expect(text).toContain('Fentanyl precursor shipment traced through');
});

test('one search box finds cases, requests and indicators the officer may see', async ({ page }) => {
  await signIn(page, 'certin.officer');
  await page.getByRole('searchbox', { name: 'Search' }).fill('hospital');
  await page.getByRole('searchbox', { name: 'Search' }).press('Enter');
  await expect(page).toHaveURL(/\/search\?q=hospital/);
  await expect(page.getByRole('region', { name: 'Cases' })).toContainText('Ransomware attack on a hospital network in Pune');
  await expect(page.getByRole('region', { name: 'Indicators' })).toContainText('hospital-billing-update.example');
  await expect(page.locator('mark').first()).toHaveText(/hospital/i);
  await signOut(page);
  await signIn(page, 'cbi.officer');
  await page.goto('/search?q=hospital');
  await expect(page.getByText(/Nothing found for “hospital”/)).toBeVisible();
  await signOut(page);
  await signIn(page, 'rcmp.officer');
  await page.goto('/search?q=hawala');
  await expect(page.getByText('1 result for “hawala”', { exact: true })).toBeVisible();
});

test('an officer receives a new request live while the inbox is open (no reload)', async ({ page, browser }) => {
  await signIn(page, 'rcmp.officer');
  await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
  await expect(page.getByRole('link', { name: /^Notifications/ })).toBeVisible();
  // Survives only if the page is never reloaded.
  await page.evaluate(() => { (window as any).__sameDocument = true; });
  // A filter being chosen (not yet applied) when the news arrives stays as chosen.
  await hydrated(page);
  await page.getByLabel('Category').selectOption('drug_precursors');

  const ncb = await (await browser.newContext()).newPage();
  await signIn(ncb, 'ncb.officer');
  await ncb.goto(await caseLink(ncb, FENTANYL_CASE));
  await hydrated(ncb);
  await ncb.getByText('New request').click();
  const form = ncb.locator('details.new-request');
  await form.getByLabel('To agency').selectOption('RCMP');
  await form.getByLabel('Subject').fill('Live: vessel manifest for MSC Aurora');
  await form.getByLabel('Request', { exact: true }).fill('Please share the manifest.');
  await form.getByLabel('Priority').selectOption('urgent');
  await form.getByLabel('Legal basis', { exact: true }).selectOption('police');
  await ncb.getByRole('button', { name: 'Send request' }).click();
  await expect(ncb.getByRole('heading', { level: 1, name: 'Live: vessel manifest for MSC Aurora' })).toBeVisible();

  await expect(page.getByRole('table', { name: 'Incoming requests' })).toContainText('Live: vessel manifest for MSC Aurora');
  await expect(page.getByRole('link', { name: /Notifications, \d+ unread/ })).toBeVisible();
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  await expect(page.getByLabel('Category')).toHaveValue('drug_precursors');
  // A page loaded now has the count from its first byte (before its event stream connects).
  const html = await (await page.request.get('/')).text();
  expect(html).toMatch(/aria-label="Notifications, \d+ unread"/);

  await page.getByRole('link', { name: /Notifications, \d+ unread/ }).click();
  await expect(page.getByRole('link', { name: 'New request from NCB (urgent): Live: vessel manifest for MSC Aurora' })).toBeVisible();
});

test('an officer opening an incoming request sees what their own records already hold, and adds a vessel', async ({ page }) => {
  await signIn(page, 'rcmp.officer');
  const observation = await requestLink(page, OBSERVATION_REQUEST);
  await page.goto(observation);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: /Discreet observation/ })).toBeVisible();
  const panel = page.getByRole('region', { name: 'Cross-check against your records' });
  // NCB wrote the consignee one way; RCMP's closed hawala case holds it another way.
  await expect(panel).toContainText('Company: Coastal Chemical Distributors Ltd.');
  await panel.getByRole('link', { name: /Hawala network/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Hawala network/ })).toBeVisible();
  await hydrated(page);
  const entities = page.getByRole('region', { name: 'Persons, companies and vessels' });
  await expect(entities).toContainText('COASTAL CHEMICAL DISTRIBUTORS LIMITED');
  await entities.getByText('Add a person, company or vessel').click();
  await entities.getByLabel('Kind').selectOption('vessel');
  await entities.getByLabel('Identifier').fill('IMO 9321483');
  await entities.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(entities.getByRole('alert')).toContainText('Enter the name.');
  await expect(entities.getByLabel('Identifier')).toHaveValue('IMO 9321483');
  await entities.getByLabel('Name').fill('Pacific Meridian');
  await entities.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(entities.getByRole('table')).toContainText('Pacific Meridian');
  // The page reloaded to show it, and says what was done where the user is looking.
  await expect(page.locator('.flash')).toHaveText('Added.');
  // The vessel (same IMO number, "MV" dropped) now links the two cases in the cross-check too.
  await page.goto(observation);
  await expect(page.getByRole('region', { name: 'Cross-check against your records' })).toContainText('Vessel: MV Pacific Meridian');
});

test('pasted indicators get a per-line report, and the refused line stays to be corrected', async ({ page }) => {
  await signIn(page, 'ncb.officer');
  await page.goto(await caseLink(page, FENTANYL_CASE));
  await hydrated(page);
  const indicators = page.getByRole('region', { name: 'Indicators' });
  await indicators.getByText('Paste many').click();
  await indicators.getByLabel('Indicators, one per line').fill('203.0.113.77\nnot an indicator at all');
  await indicators.getByRole('button', { name: 'Add all' }).click();
  const report = indicators.locator('.bulk-report');
  await expect(report).toContainText('1 of 2 lines added.');
  await expect(report.locator('li.refused')).toContainText('not an indicator at all');
  await expect(indicators.getByLabel('Indicators, one per line')).toHaveValue('203.0.113.77\nnot an indicator at all');
  // The table shows the new one without a reload (the report stays).
  await expect(indicators.getByRole('table')).toContainText('203.0.113.77');
  await expect(report).toContainText('1 of 2 lines added.');
});

test('a supervisor hands ticked cases to another lead and is told which could not be', async ({ page }) => {
  await signIn(page, 'in.supervisor');
  await page.goto('/cases');
  await hydrated(page);
  const bulk = page.getByRole('region', { name: 'Change many cases at once' });
  const cases = page.getByRole('table', { name: 'Cases' });
  await cases.getByRole('row', { name: /Fentanyl precursor shipment/ }).getByRole('checkbox').check();
  await cases.getByRole('row', { name: /Investment-fraud call centre/ }).getByRole('checkbox').check();
  // Closing needs a reason: refused in place, the ticks kept.
  await bulk.getByRole('button', { name: 'Close cases' }).click();
  await expect(bulk.getByRole('alert')).toContainText('Say why these cases are closed');
  await expect(cases.getByRole('row', { name: /Fentanyl precursor shipment/ }).getByRole('checkbox')).toBeChecked();
  // The NCB's open case goes to its supervisor; the CBI's cannot be led by an NCB officer.
  await bulk.getByLabel('Hand to').selectOption({ label: 'Rajesh Kumar (NCB)' });
  await bulk.getByRole('button', { name: 'Reassign lead' }).click();
  const report = bulk.getByRole('status');
  await expect(report).toContainText('1 changed, 1 not changed.');
  await expect(report).toContainText('The lead must be an active officer of the owning agency.');
  await page.reload();
  await expect(page.getByRole('table', { name: 'Cases' }).getByRole('row', { name: /Fentanyl precursor shipment/ })).toContainText('Rajesh Kumar');
  // And back, as the demo had it.
  await hydrated(page);
  await page.getByRole('table', { name: 'Cases' }).getByRole('row', { name: /Fentanyl precursor shipment/ }).getByRole('checkbox').check();
  await bulk.getByLabel('Hand to').selectOption({ label: 'Priya Sharma (NCB)' });
  await bulk.getByRole('button', { name: 'Reassign lead' }).click();
  await expect(report).toContainText('1 changed, 0 not changed.');
  await signOut(page);
});

test('pages fit a phone screen without sideways scrolling (wide tables scroll inside their frame)', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'ncb.officer');
  const [fentanyl, importRecords] = [await caseLink(page, FENTANYL_CASE), await requestLink(page, IMPORT_RECORDS_REQUEST)];
  for (const path of ['/', '/cases', fentanyl, '/cases/new', importRecords, '/search?q=container', '/notifications', '/profile']) {
    await page.goto(path);
    await hydrated(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${path} is wider than the screen`).toBeLessThanOrEqual(0);
  }
});

// One test per role: each page's axe run takes seconds, and one test for all of them
// ran close to the test timeout on a slower machine.
test('axe finds no accessibility violations on the sign-in page and an officer\'s case pages', async ({ page }) => {
  await page.goto('/login');
  await noAxeViolations(page, 'sign-in');
  await signIn(page, 'rcmp.officer');
  await noAxeViolations(page, 'inbox');
  await page.goto('/cases');
  await noAxeViolations(page, 'cases');
  const fentanyl = await caseLink(page, FENTANYL_CASE);
  await page.goto(fentanyl);
  await noAxeViolations(page, 'case');
  await page.goto(fentanyl + '/history');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Changes to');
  await noAxeViolations(page, 'case history');
  await signOut(page);
});

test('axe finds no accessibility violations on an officer\'s request, search, profile and notifications', async ({ page }) => {
  await signIn(page, 'rcmp.officer');
  await page.goto(await requestLink(page, OBSERVATION_REQUEST));
  await noAxeViolations(page, 'request');
  await page.goto('/search?q=container');
  await noAxeViolations(page, 'search');
  await page.goto('/profile');
  await noAxeViolations(page, 'profile');
  await page.goto('/notifications');
  await noAxeViolations(page, 'notifications');
  await signOut(page);
});

test('axe finds no accessibility violations on a supervisor\'s pages', async ({ page }) => {
  await signIn(page, 'ca.supervisor');
  await page.goto('/dashboard');
  await noAxeViolations(page, 'dashboard');
  await page.goto('/cases');
  await noAxeViolations(page, 'cases, with the bulk panel');
  await page.goto('/audit');
  await noAxeViolations(page, 'audit');
  await page.goto('/requests?direction=both&status=open');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Requests sent and received');
  await noAxeViolations(page, 'request list');
  await signOut(page);
});

test('axe finds no accessibility violations on an admin\'s pages', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/admin/users');
  await noAxeViolations(page, 'admin users');
  await page.goto('/admin/users/new');
  await noAxeViolations(page, 'new user');
  await page.goto('/admin/agencies');
  await noAxeViolations(page, 'agencies');
});
