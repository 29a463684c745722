import { expect, Page } from '@playwright/test';
import { readFileSync } from 'fs';
import { join } from 'path';

/** The demo accounts and their generated passwords, as the server wrote them at start. */
export function credentials(): Record<string, string> {
  const text = readFileSync(join(__dirname, '..', '.data', 'demo-credentials.txt'), 'utf8');
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const parts = line.trim().split(/\s+/);
    out[parts[0]] = parts[parts.length - 1];
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
