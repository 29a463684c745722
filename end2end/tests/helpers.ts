import { expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'fs';
import { Secret, TOTP } from 'otpauth';
import { join } from 'path';

/** The demo accounts and their generated passwords, as the server wrote them at start. */
export function credentials(): Record<string, string> {
  const text = readFileSync(join(__dirname, '..', '.data', 'demo-credentials.txt'), 'utf8');
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const parts = line.trim().split(/\s+/);
    // username, role, agency, password, then perhaps a note in brackets.
    out[parts[0]] = parts[3];
  }
  return out;
}

/** Waits until the page is interactive (hydrated), so clicks reach the app and not a dead page. */
export async function hydrated(page: Page) {
  await expect(page.locator('main[data-hydrated="true"]')).toBeAttached();
}

export async function fillSignIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signIn(page: Page, username: string, password?: string) {
  await fillSignIn(page, username, password ?? credentials()[username]);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await hydrated(page);
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await hydrated(page);
}

/** Demo cases and requests the tests read, by what a user sees (title, subject), never by database id. */
export const FENTANYL_CASE = 'Fentanyl precursor shipment traced through the Port of Vancouver';
export const OBSERVATION_REQUEST = "Discreet observation of the consignee's warehouse in Surrey";
export const IMPORT_RECORDS_REQUEST = 'Import records of the consignee of container MSCU 4471902';

/** The path of the case with this title, found as a user finds it: the case list's search. */
export async function caseLink(page: Page, title: string): Promise<string> {
  await page.goto('/cases?q=' + encodeURIComponent(title));
  const href = await page.getByRole('row').filter({ hasText: title }).getByRole('link').first().getAttribute('href');
  expect(href, `the case list finds “${title}”`).toMatch(/^\/cases\/\d+$/);
  return href!;
}

/** The path of the request with this subject, from the list of requests sent and received. */
export async function requestLink(page: Page, subject: string): Promise<string> {
  await page.goto('/requests?direction=both');
  const href = await page.getByRole('link', { name: subject, exact: true }).first().getAttribute('href');
  expect(href, `the request list finds “${subject}”`).toMatch(/^\/requests\/\d+$/);
  return href!;
}

/** The six-digit TOTP code (RFC 6238: SHA-1, 30 s) of a base32 secret, `stepsAhead` periods from now:
 *  what the user's authenticator app would show. */
export function totp(secret: string, stepsAhead = 0): string {
  const generator = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
  return generator.generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

/** axe-core finds no accessibility violation on the page as it stands (once hydrated). */
export async function noAxeViolations(page: Page, name: string) {
  await hydrated(page);
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')})`);
  expect(summary, `axe violations on ${name}`).toEqual([]);
}
