import { test, expect, request as http } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { credentials, hydrated, noAxeViolations, signIn, signOut } from './helpers';

const SUBJECT = 'Ownership of vessel IMO 9387421 (asked by API)';

/**
 * An integrator's path: Canada's officer makes a token on the profile page, a script uses it to open a case
 * and send a request to the NCB; India's officer answers it on the pages; the script reads the answer.
 */
test('a request made by API as Canada is answered on the pages as India', async ({ page, baseURL }) => {
  await signIn(page, 'rcmp.officer');
  await page.goto('/profile');
  await hydrated(page);
  const tokens = page.locator('#api-tokens');
  await expect(tokens.getByText('You have no tokens.')).toBeVisible();
  await tokens.getByLabel('Name', { exact: true }).fill('RCMP case system');
  await tokens.getByLabel('Create and change cases, requests and responses').check();
  await tokens.getByLabel('Your password').fill(credentials()['rcmp.officer']);
  await tokens.getByRole('button', { name: 'Create token' }).click();
  await expect(tokens.getByText('Copy it now: it is shown only this once.')).toBeVisible();
  const secret = (await tokens.getByTestId('token-secret').innerText()).trim();
  expect(secret).toMatch(/^ldt_[0-9a-f]{64}$/);
  await noAxeViolations(page, 'the profile with a new token');

  const api = await http.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${secret}` } });
  const me = await (await api.get('/api/v1/me')).json();
  expect(me.username).toBe('rcmp.officer');
  const created = await api.post('/api/v1/cases', {
    data: { title: 'Vessel ownership check', summary: 'Opened by the RCMP case system', category: 'organised_crime',
            priority: 'low', tlp: 'amber', lead: String(me.id), parties: '', links: '' },
  });
  expect(created.status()).toBe(201);
  const caseId = (await created.json()).id;
  const sent = await api.post(`/api/v1/cases/${caseId}/requests`, {
    headers: { 'Idempotency-Key': 'e2e-vessel-1' },
    data: { kind: 'information', subject: SUBJECT, body: 'Who owns this vessel since 2024?', priority: 'low', tlp: 'amber', to_agency: 'NCB', legal_basis: 'police' },
  });
  expect(sent.status()).toBe(201);
  const requestId = (await sent.json()).id;

  // The token list says it was used; the token never opens a page.
  await page.reload();
  await expect(page.getByTestId('tokens')).toContainText('RCMP case system');
  await expect(page.getByTestId('tokens')).toContainText('last used');
  const anonymous = await http.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${secret}` } });
  await anonymous.get('/inbox', { maxRedirects: 0 }).then(r => expect(r.status()).not.toBe(200));
  await signOut(page);

  await signIn(page, 'ncb.officer');
  await page.getByRole('table', { name: 'Incoming requests' }).getByRole('link', { name: SUBJECT }).click();
  await hydrated(page);
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(page.locator('.case-header .rstatus')).toHaveText('Acknowledged');
  await page.getByLabel('Kind of response').selectOption('final_answer');
  await page.getByLabel('Response', { exact: true }).fill('Registered to Sagar Shipping Pvt Ltd, Mumbai, since March 2024.');
  await page.getByLabel('Source reliability').selectOption('B');
  await page.getByLabel('Information', { exact: true }).selectOption('2');
  await page.getByRole('button', { name: 'Send response' }).click();
  await expect(page.locator('.case-header .rstatus')).toHaveText('Answered');

  const thread = await (await api.get(`/api/v1/requests/${requestId}/responses`)).json();
  expect(thread[0].body).toBe('Registered to Sagar Shipping Pvt Ltd, Mumbai, since March 2024.');
  expect([thread[0].source_grade, thread[0].info_grade]).toEqual(['B', '2']);
  const status = await (await api.get(`/api/v1/requests/${requestId}`)).json();
  expect(status.summary.status).toBe('answered');
  // The script closes the request and the case: done on both sides.
  expect((await api.post(`/api/v1/requests/${requestId}/close`)).status()).toBe(204);
  expect((await api.post(`/api/v1/cases/${caseId}/status`, { data: { status: 'closed' } })).status()).toBe(204);
  expect((await (await api.get(`/api/v1/cases/${caseId}`)).json()).status).toBe('closed');
  await api.dispose();
  await anonymous.dispose();
});

test('the API reference is served by the app and is accessible', async ({ page }) => {
  await page.goto('/api/v1/docs');
  await expect(page.getByRole('heading', { name: 'Liaison Desk API' })).toBeVisible();
  await expect(page.getByText('POST /api/v1/cases/{id}/requests')).toBeVisible();
  // A plain page (no islands): checked as it loads.
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map(v => `${v.id}: ${v.help}`)).toEqual([]);
});

/**
 * A service account for the CBSA's targeting system: the admin makes it and asks for its token on its page;
 * Canada's supervisor confirms both and alone sees the secret; the system reaches the API as the CBSA; the
 * admin revokes the token and it stops at once.
 */
test('a service token is asked for by an admin and handed over by the confirmer', async ({ page, browser, baseURL }) => {
  await signIn(page, 'admin');
  await page.goto('/admin/users/new');
  await hydrated(page);
  await page.getByLabel('Username').fill('cbsa.targeting');
  await page.getByLabel('Full name').fill('CBSA targeting system');
  await page.getByLabel('Agency', { exact: true }).selectOption('CBSA');
  await page.getByLabel('Service account').check();
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByTestId('awaiting')).toHaveText('a supervisor in Canada');

  const supervisor = await (await browser.newContext()).newPage();
  await signIn(supervisor, 'ca.supervisor');
  const confirm = async (what: string, password?: string) => {
    await supervisor.goto('/confirmations');
    await hydrated(supervisor);
    const change = supervisor.getByTestId('account-change').filter({ hasText: 'cbsa.targeting' });
    await expect(change).toContainText(what);
    if (password) await change.getByLabel('Your password').fill(password);
    await change.getByRole('button', { name: 'Confirm' }).click();
  };
  await confirm('New service account (acting as a liaison officer) at CBSA');
  // No password is handed over: the page reloads with the change decided.
  await expect(supervisor.getByTestId('account-change').filter({ hasText: 'cbsa.targeting' })).toHaveCount(0);
  await expect(supervisor.getByTestId('temporary-password')).toHaveCount(0);

  await page.getByRole('link', { name: 'Open the account' }).click();
  await hydrated(page);
  await expect(page.locator('.page-head')).toContainText('Service account');
  await expect(page.getByRole('button', { name: 'Reset password' })).toHaveCount(0);
  const tokens = page.locator('#service-tokens');
  await tokens.getByLabel('Name', { exact: true }).fill('Targeting system');
  await tokens.getByLabel('Add indicators').check();
  await tokens.getByLabel('Your password').fill(credentials()['admin']);
  await tokens.getByRole('button', { name: 'Ask for the token' }).click();
  await expect(page.getByText('waits for confirmation').first()).toBeVisible();
  await expect(page.getByTestId('token-secret')).toHaveCount(0);
  await noAxeViolations(page, 'a service account with a token waiting');

  await confirm('API token “Targeting system” (Read cases and requests, Add indicators), valid 90 days', credentials()['ca.supervisor']);
  const secret = (await supervisor.getByTestId('token-secret').innerText()).trim();
  expect(secret).toMatch(/^ldt_[0-9a-f]{64}$/);
  // Decided: the secret stays on screen (shown once), the refusal does not.
  const decided = supervisor.getByTestId('account-change').filter({ hasText: 'cbsa.targeting' });
  await expect(decided.getByRole('button', { name: 'Refuse' })).toBeHidden();

  const api = await http.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${secret}` } });
  const me = await api.get('/api/v1/me');
  expect(me.status()).toBe(200);
  expect((await me.json()).agency_code).toBe('CBSA');

  await page.reload();
  await hydrated(page);
  await expect(tokens.getByTestId('tokens')).toContainText('Targeting system');
  await tokens.getByText('Revoke a token').click();
  await tokens.getByRole('button', { name: 'Revoke' }).click();
  await expect(tokens.getByTestId('tokens')).toContainText('revoked');
  expect((await api.get('/api/v1/me')).status()).toBe(401);
});
