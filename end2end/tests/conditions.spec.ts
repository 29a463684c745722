import { test, expect } from '@playwright/test';
import { caseLink, FENTANYL_CASE, hydrated, noAxeViolations, requestLink, signIn, signOut } from './helpers';

const SUBJECT = 'Bank records of the consignee, for the trial';
const GRANT = 'Granted for the trial of the importers only; cite the bank as the source.';

test.describe.configure({ mode: 'serial' });

/**
 * Conditions of use on the pages: NCB asks RCMP under the MLA treaty for evidence meant for court; RCMP
 * answers under H1 and H2; NCB asks consent to use it in court; RCMP grants it with a condition; NCB sees the
 * condition lifted and the grant. H2 then holds NCB's case report back until RCMP consents to its export.
 */
test('NCB asks for evidence for court, stating the legal basis', async ({ page }) => {
  await signIn(page, 'ncb.officer');
  await page.goto(await caseLink(page, FENTANYL_CASE));
  await hydrated(page);
  await page.getByText('New request').click();
  const form = page.locator('details.new-request');
  await form.getByLabel('To agency').selectOption('RCMP');
  await form.getByLabel('Subject').fill(SUBJECT);
  await form.getByLabel('Request', { exact: true }).fill('Please provide the account statements of the consignee for 2026.');
  // Without a legal basis the request is refused, and what was typed stays.
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(form.locator('[data-field="legal_basis"] .field-error')).toContainText('legal basis');
  await expect(form.getByLabel('Subject')).toHaveValue(SUBJECT);
  await form.getByLabel('Legal basis', { exact: true }).selectOption('mla_treaty');
  await form.getByLabel(/meant as evidence in court/).check();
  await form.getByLabel('Mutual legal assistance request reference').fill('MLA/2026/114');
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByRole('heading', { level: 1, name: SUBJECT })).toBeVisible();
  const facts = page.locator('dl.legal-basis');
  await expect(facts).toContainText('Treaty on Mutual Legal Assistance in Criminal Matters');
  await expect(facts).toContainText('Needs a formal mutual legal assistance request.');
  await expect(facts).toContainText('MLA/2026/114');
});

test('RCMP reads the legal basis before answering, and answers under H1 and H2', async ({ page }) => {
  await signIn(page, 'rcmp.officer');
  await page.goto(await requestLink(page, SUBJECT));
  await hydrated(page);
  await expect(page.locator('dl.legal-basis')).toContainText('Formal mutual legal assistance');
  await page.getByLabel('Kind of response').selectOption('final_answer');
  await page.getByLabel('Response', { exact: true }).fill('Statements for 2026 show 14 transfers to Mumbai; copies follow by the formal channel.');
  await page.getByLabel('Source reliability').selectOption('A');
  await page.getByLabel('Information', { exact: true }).selectOption('1');
  await page.getByLabel(/^H1: not to be disclosed in judicial proceedings/).check();
  await page.getByLabel(/^H2: not to be passed on/).check();
  await page.getByRole('button', { name: 'Send response' }).click();
  const response = page.locator('.response').first();
  await expect(response.locator('abbr.cond-badge', { hasText: 'H1' })).toBeVisible();
  // The provider is not offered to ask itself for consent.
  await expect(response.getByText('Ask the provider for consent')).toHaveCount(0);
});

test('NCB asks RCMP for consent to use the answer in court', async ({ page }) => {
  await signIn(page, 'ncb.officer');
  await page.goto(await requestLink(page, SUBJECT));
  await hydrated(page);
  const response = page.locator('.response').first();
  await response.getByText('Ask the provider for consent').click();
  await expect(response.getByLabel('Consent to')).toHaveValue('judicial');
  await response.getByLabel('Why you ask').fill('The Mumbai prosecutor will file the statements against the importers.');
  await response.getByRole('button', { name: 'Ask for consent' }).click();
  await expect(response.locator('li.consent')).toContainText("Awaiting the provider's answer");
  await expect(response.locator('li.consent')).toContainText('Answer due');
});

test('RCMP finds the consent request in its inbox and grants it with a condition', async ({ page }) => {
  await signIn(page, 'rcmp.officer');
  const asked = page.getByRole('table', { name: 'Consent asked of your side' });
  await expect(asked).toContainText('Use in judicial proceedings (H1)');
  await asked.getByRole('link', { name: 'Use in judicial proceedings (H1)' }).first().click();
  await hydrated(page);
  const consent = page.locator('li.consent').filter({ hasText: 'The Mumbai prosecutor will file the statements' });
  await consent.getByText('Answer the consent request').click();
  // A refusal needs its grounds: refused without them, nothing lost.
  await consent.getByLabel('Decision').selectOption('refused');
  await consent.getByRole('button', { name: 'Send the answer' }).click();
  await expect(consent.locator('[data-field="answer"] .field-error')).toContainText('grounds');
  await consent.getByLabel('Decision').selectOption('granted');
  await consent.getByLabel('Conditions of the grant, or grounds of the refusal').fill(GRANT);
  await consent.getByRole('button', { name: 'Send the answer' }).click();
  await expect(page.locator('li.consent').filter({ hasText: GRANT })).toContainText('Granted');
});

test('NCB sees H1 lifted by the grant, with its condition', async ({ page }) => {
  await signIn(page, 'ncb.officer');
  await page.goto(await requestLink(page, SUBJECT));
  await hydrated(page);
  const response = page.locator('.response').first();
  await expect(response.locator('.cond-lifted')).toHaveText("Lifted by the provider's consent: H1");
  const consent = response.locator('li.consent');
  await expect(consent).toContainText('Granted');
  await expect(consent).toContainText(GRANT);
  await expect(consent).toContainText('Answered by Daniel Tremblay');
  await noAxeViolations(page, 'a response with a consent granted');
});

test("H2 holds NCB's case report back; NCB asks RCMP's consent to export it from the answer", async ({ page }) => {
  await signIn(page, 'ncb.officer');
  await page.goto(await caseLink(page, FENTANYL_CASE));
  await hydrated(page);
  const held = page.locator('.export-held');
  await expect(held).toContainText('PDF report held back');
  await expect(page.getByRole('link', { name: 'Download PDF report' })).toHaveCount(0);
  await held.getByRole('link', { name: /\(RCMP\)$/ }).click();
  await hydrated(page);
  const response = page.locator('.response').filter({ hasText: 'Statements for 2026 show 14 transfers' });
  await response.getByText('Ask the provider for consent').click();
  await response.getByLabel('Consent to').selectOption('export');
  await response.getByLabel('Why you ask').fill('The case report goes to the prosecutor.');
  await response.getByRole('button', { name: 'Ask for consent' }).click();
  await expect(response.locator('li.consent').filter({ hasText: 'Export outside Liaison Desk (H2)' })).toContainText("Awaiting the provider's answer");
});

test('RCMP grants the export; NCB downloads the report', async ({ page }) => {
  await signIn(page, 'rcmp.officer');
  await page.goto(await requestLink(page, SUBJECT));
  await hydrated(page);
  const consent = page.locator('li.consent').filter({ hasText: 'The case report goes to the prosecutor.' });
  await consent.getByText('Answer the consent request').click();
  await consent.getByLabel('Decision').selectOption('granted');
  await consent.getByRole('button', { name: 'Send the answer' }).click();
  await expect(page.locator('li.consent').filter({ hasText: 'The case report goes to the prosecutor.' })).toContainText('Granted');
  await signOut(page);

  await signIn(page, 'ncb.officer');
  await page.goto(await caseLink(page, FENTANYL_CASE));
  await hydrated(page);
  await expect(page.locator('.export-held')).toHaveCount(0);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download PDF report' }).click()]);
  expect(download.suggestedFilename()).toMatch(/-report\.pdf$/);
});

