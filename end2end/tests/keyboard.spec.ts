import { test, expect, Page } from '@playwright/test';
import { caseLink, credentials, FENTANYL_CASE, hydrated } from './helpers';

// Everything works by keyboard alone: these tests never click; they press Tab, Enter and type, as
// someone who cannot use a mouse would, and check that focus is always visible where it lands.

test.describe.configure({ mode: 'serial' });

/** What a screen reader would announce for the focused element, near enough: its label or its text. */
async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    if (!e || e === document.body) return '';
    const labels = (e as HTMLInputElement).labels;
    return (e.getAttribute('aria-label') || (labels && labels.length ? labels[0].innerText : '') || e.innerText || '').trim();
  });
}

/** Presses Tab (or `key`) until the focused element is called `name`, and checks that focus can be seen there. */
async function tabTo(page: Page, name: RegExp, key = 'Tab', most = 80) {
  for (let i = 0; i < most; i++) {
    await page.keyboard.press(key);
    if (name.test(await focusedName(page))) {
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
      expect(outline, `focus on ${name} is not visible`).not.toBe('none');
      return;
    }
  }
  throw new Error(`${name} cannot be reached with Tab`);
}

async function signInByKeyboard(page: Page, username: string) {
  await page.goto('/login');
  await hydrated(page);
  await tabTo(page, /^Username/);
  await page.keyboard.type(username);
  await tabTo(page, /^Password/);
  await page.keyboard.type(credentials()[username]);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await hydrated(page);
}

test('by keyboard alone, a supervisor skips to the content, follows "overdue" from the dashboard and opens a request', async ({ page }) => {
  await signInByKeyboard(page, 'ca.supervisor');
  // The first Tab on a page offers the skip link, shown on screen, and Enter moves focus past the header.
  await page.goto('/');
  await hydrated(page);
  await page.keyboard.press('Tab');
  expect(await focusedName(page)).toBe('Skip to content');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeInViewport();
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

  await page.goto('/');
  await hydrated(page);
  await tabTo(page, /^Dashboard$/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Dashboard · Canada' })).toBeVisible();
  await hydrated(page);
  await tabTo(page, /Overdue, received by us/);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/requests\?direction=incoming&overdue=1/);
  await hydrated(page);
  await tabTo(page, /Import records/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: /Import records of the consignee/ })).toBeVisible();
});

test('by keyboard alone, an officer adds an indicator, is told what is missing, and keeps what was typed', async ({ page }) => {
  await signInByKeyboard(page, 'ncb.officer');
  await page.goto(await caseLink(page, FENTANYL_CASE));
  await hydrated(page);
  const indicators = page.getByRole('region', { name: 'Indicators' });
  await tabTo(page, /^Add an indicator$/);
  await page.keyboard.press('Enter');
  await tabTo(page, /^Indicator type/);
  await page.keyboard.type('Domain');
  await expect(indicators.getByLabel('Indicator type')).toHaveValue('domain');
  await tabTo(page, /^Note/);
  await page.keyboard.type('Typed without a mouse');
  // Enter in a text field submits its form; the value is still missing.
  await page.keyboard.press('Enter');
  await expect(indicators.getByRole('alert')).toBeVisible();
  await expect(indicators.getByLabel('Note')).toHaveValue('Typed without a mouse');
  await expect(indicators.getByLabel('Indicator type')).toHaveValue('domain');
  await tabTo(page, /^Value/, 'Shift+Tab');
  await page.keyboard.type('keyboard-only.example');
  await page.keyboard.press('Enter');
  await expect(page.locator('.flash')).toHaveText('Indicator added.');
  await expect(indicators.getByRole('table')).toContainText('keyboard-only.example');
});
