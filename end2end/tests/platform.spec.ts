import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { credentials, fillSignIn, hydrated, signIn, signOut, totp } from './helpers';

// One story, in order: the audit test at the end looks for the events the earlier tests caused.
test.describe.configure({ mode: 'serial' });

const nav = (page) => page.getByRole('navigation', { name: 'Main' });

test('each role signs in and sees its own navigation', async ({ page }) => {
  await signIn(page, 'admin');
  await expect(page.getByRole('heading', { name: /Welcome, Meera Joshi/ })).toBeVisible();
  for (const item of ['Home', 'Users', 'Agencies', 'Audit trail', 'Profile']) {
    await expect(nav(page).getByRole('link', { name: item })).toBeVisible();
  }
  await expect(page.locator('.who')).toContainText('Admin · PS · Canada');
  await signOut(page);

  await signIn(page, 'in.supervisor');
  await expect(nav(page).getByRole('link', { name: 'Audit trail' })).toBeVisible();
  await expect(nav(page).getByRole('link', { name: 'Users' })).toHaveCount(0);
  await expect(nav(page).getByRole('link', { name: 'Cases' })).toBeVisible();
  await expect(page.locator('.who')).toContainText('Supervisor · NCB · India');
  await signOut(page);

  await signIn(page, 'rcmp.officer');
  await expect(nav(page).getByRole('link', { name: 'Inbox' })).toBeVisible();
  await expect(nav(page).getByRole('link', { name: 'Audit trail' })).toHaveCount(0);
  await expect(nav(page).getByRole('link', { name: 'Users' })).toHaveCount(0);
  await expect(page.locator('.who')).toContainText('Liaison officer · RCMP · Canada');
  await signOut(page);
});

test('a wrong password gets one generic message and keeps the username', async ({ page }) => {
  await fillSignIn(page, 'ncb.officer', 'not-the-password-at-all');
  await expect(page.getByRole('alert')).toContainText('Sign-in failed. Check your username and password.');
  await expect(page.getByLabel('Username')).toHaveValue('ncb.officer');
  // An unknown user gets exactly the same message.
  await fillSignIn(page, 'nobody.here', 'not-the-password-at-all');
  await expect(page.getByRole('alert')).toContainText('Sign-in failed. Check your username and password.');
});

test('five failures lock the account; an admin unlocks it', async ({ page, browser }) => {
  const password = credentials()['cccs.officer'];
  for (let i = 0; i < 5; i++) {
    await fillSignIn(page, 'cccs.officer', `wrong-password-${i}-xyz`);
    await expect(page.getByRole('alert')).toContainText('Sign-in failed');
  }
  // Locked: even the right password is refused now.
  await fillSignIn(page, 'cccs.officer', password);
  await expect(page.getByRole('alert')).toContainText('Sign-in failed');

  const adminPage = await (await browser.newContext()).newPage();
  await signIn(adminPage, 'admin');
  await nav(adminPage).getByRole('link', { name: 'Users' }).click();
  await expect(adminPage.getByRole('row', { name: /Marc Gagnon/ })).toContainText('Locked');
  await adminPage.getByRole('link', { name: 'Marc Gagnon' }).click();
  await hydrated(adminPage);
  await adminPage.getByRole('button', { name: 'Unlock account' }).click();
  await expect(adminPage.getByRole('button', { name: 'Unlock account' })).toHaveCount(0);
  await expect(adminPage.locator('.facts')).toContainText('Locked');
  await expect(adminPage.locator('.facts dd').nth(2)).toHaveText('No');

  await signIn(page, 'cccs.officer', password);
  await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
  await expect(page.locator('.who')).toContainText('Marc Gagnon');
});

test('an admin asks for a user; India\'s supervisor confirms it and hands over the temporary password, changed at first sign-in', async ({ page, browser }) => {
  await signIn(page, 'admin');
  await page.goto('/admin/users/new');
  await hydrated(page);
  // A bad submission keeps what was typed and says what is wrong, per field.
  await page.getByLabel('Username').fill('x');
  await page.getByLabel('Full name').fill('Anita Desai');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('alert')).toContainText('Please correct the marked fields.');
  await expect(page.locator('#f-username-error')).toContainText('Use 3 to 40 letters');
  await expect(page.getByLabel('Full name')).toHaveValue('Anita Desai');

  await page.getByLabel('Username').fill('anita.desai');
  await page.getByLabel('Agency', { exact: true }).selectOption('NIA');
  await page.getByRole('button', { name: 'Create user' }).click();
  // Four-eyes: the admin's word alone opens nothing, and the admin never sees the password; India's
  // supervisor confirms the new account and receives its temporary password.
  await expect(page.getByTestId('awaiting')).toHaveText('a supervisor in India');
  await expect(page.getByTestId('temporary-password')).toHaveCount(0);
  const supervisor = await (await browser.newContext()).newPage();
  await signIn(supervisor, 'in.supervisor');
  await supervisor.getByRole('link', { name: 'Confirmations' }).click();
  await hydrated(supervisor);
  const change = supervisor.getByTestId('account-change').filter({ hasText: 'anita.desai' });
  await expect(change).toContainText('New liaison officer account at NIA');
  await expect(change).toContainText('Asked by Meera Joshi (Admin)');
  await change.getByRole('button', { name: 'Confirm' }).click();
  const temporary = (await supervisor.getByTestId('temporary-password').textContent())!.trim();
  expect(temporary).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
  await supervisor.reload();
  await hydrated(supervisor);
  await expect(supervisor.getByTestId('account-change').filter({ hasText: 'anita.desai' })).toHaveCount(0);
  await expect(supervisor.locator('table.data')).toContainText('anita.desai');
  await expect(supervisor.getByTestId('temporary-password')).toHaveCount(0);

  const newPage = await (await browser.newContext()).newPage();
  await fillSignIn(newPage, 'anita.desai', temporary);
  await expect(newPage).toHaveURL(/\/profile$/);
  await hydrated(newPage);
  await expect(newPage.getByText('Your account has a temporary password')).toBeVisible();
  // Until the password is changed, other pages send the user back here.
  await newPage.goto('/');
  await expect(newPage).toHaveURL(/\/profile$/);
  await hydrated(newPage);

  await newPage.getByLabel('Current password').fill(temporary);
  await newPage.getByLabel('New password', { exact: true }).fill('qwerty123456');
  await newPage.getByLabel('New password again').fill('qwerty123456');
  await newPage.getByRole('button', { name: 'Change password' }).click();
  await expect(newPage.locator('#f-new_password-error')).toContainText('commonly used');

  await newPage.getByLabel('New password', { exact: true }).fill('saffron monsoon ledger 42');
  await newPage.getByLabel('New password again').fill('saffron monsoon ledger 42');
  await newPage.getByRole('button', { name: 'Change password' }).click();

  // Then a second factor, before anything else: an authenticator app, confirmed with its first code.
  await expect(newPage).toHaveURL(/\/profile$/);
  await hydrated(newPage);
  await expect(newPage.getByText('Your account needs a second factor')).toBeVisible();
  await newPage.goto('/cases');
  await expect(newPage).toHaveURL(/\/profile$/);
  await hydrated(newPage);
  // Both kinds are offered; this account takes the authenticator app (the passkey test below, the other).
  await expect(newPage.getByRole('button', { name: 'Add a passkey' })).toBeVisible();
  const app = newPage.locator('form', { has: newPage.getByRole('button', { name: 'Set up an authenticator app' }) });
  await app.getByLabel('Your password').fill('saffron monsoon ledger 42');
  await app.getByRole('button', { name: 'Set up an authenticator app' }).click();
  await expect(newPage.getByRole('img', { name: 'QR code for your authenticator app' }).locator('svg')).toBeVisible();
  const secret = (await newPage.getByTestId('totp-secret').textContent())!.trim();
  await newPage.getByLabel('Code from the app').fill('000000');
  await newPage.getByRole('button', { name: 'Confirm' }).click();
  await expect(newPage.locator('#f-code-error')).toContainText('not the one your app shows');
  const first = totp(secret, 0);
  await newPage.getByLabel('Code from the app').fill(first);
  await newPage.getByRole('button', { name: 'Confirm' }).click();
  await expect(newPage.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
  await newPage.getByRole('link', { name: 'Continue' }).click();
  await expect(newPage.getByRole('heading', { name: 'Inbox' })).toBeVisible();
  await expect(newPage.locator('.who')).toContainText('Anita Desai');
  await expect(newPage.locator('.who')).toContainText('Liaison officer · NIA · India');

  // Every sign-in now asks for a code after the password; a code already used is refused.
  await hydrated(newPage);
  await signOut(newPage);
  await fillSignIn(newPage, 'anita.desai', 'saffron monsoon ledger 42');
  await expect(newPage).toHaveURL(/\/login\/code$/);
  await hydrated(newPage);
  await newPage.getByLabel('Code').fill(first);
  await newPage.getByRole('button', { name: 'Continue' }).click();
  await expect(newPage.locator('#f-code-error')).toContainText('used already');
  await newPage.getByLabel('Code').fill(totp(secret, 1));
  await newPage.getByRole('button', { name: 'Continue' }).click();
  await expect(newPage.getByRole('heading', { name: 'Inbox' })).toBeVisible();
  await expect(newPage.locator('.who')).toContainText('Anita Desai');
});

test('an officer opening an admin page gets the 403 page', async ({ page }) => {
  await signIn(page, 'ncb.officer');
  const response = await page.goto('/admin/users');
  expect(response!.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Access denied' })).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
  const audit = await page.goto('/audit');
  expect(audit!.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Access denied' })).toBeVisible();
});

test('after sign-out the back button shows no private data', async ({ page }) => {
  await signIn(page, 'admin');
  await nav(page).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('cell', { name: 'Priya Sharma' })).toBeVisible();
  await signOut(page);
  await page.goBack();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByText('Priya Sharma')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('the audit page lists these events', async ({ page }) => {
  await signIn(page, 'admin');
  await nav(page).getByRole('link', { name: 'Audit trail' }).click();
  await hydrated(page);
  const table = page.getByRole('table');
  // Each event said as a sentence, its code beneath it for searching by.
  for (const [action, said] of [['sign_in', 'signed in'], ['account.locked', 'was locked after failed sign-ins'],
                                ['user.unlock', 'unlocked the account no.'], ['user.create', 'created the account no.'],
                                ['password.change', 'changed their password'], ['sign_out', 'signed out']]) {
    await expect(table).toContainText(said);
    await expect(table.locator('span[translate="no"]', { hasText: new RegExp(`^${action.replace('.', '\\.')}( |$)`) }).first()).toBeVisible();
  }
  // Details read as labelled fields, not JSON.
  await expect(table.locator('dl.fields dt').first()).toBeVisible();
  // Filter by user and action.
  await page.getByLabel('Username').fill('cccs.officer');
  await page.getByLabel('Action').selectOption('account.locked');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/user=cccs\.officer/);
  await expect(table.getByRole('row')).toHaveCount(2); // header + the one lockout
  await expect(table).toContainText('Refused: The account of');

  // A supervisor sees only their own country's events.
  await signOut(page);
  await signIn(page, 'ca.supervisor');
  await page.goto('/audit?user=ncb.officer');
  await hydrated(page);
  await expect(page.getByText('No event matches these filters.')).toBeVisible();
  await page.goto('/audit?user=cccs.officer');
  await expect(page.getByRole('table')).toContainText('was locked after failed sign-ins');
});

test('four-eyes: a role change waits; India\'s supervisor refuses it with grounds and nothing changes', async ({ page, browser }) => {
  await signIn(page, 'admin');
  await page.goto('/admin/users?q=cbi.officer');
  await hydrated(page);
  await page.getByRole('link', { name: 'Arjun Mehta' }).click();
  await hydrated(page);
  await page.getByLabel('Role').selectOption('supervisor');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator('.flash')).toContainText('waits for confirmation');
  const waiting = page.getByTestId('account-change');
  await expect(waiting).toContainText('Role: Liaison officer → Supervisor');
  await expect(waiting).toContainText('to be confirmed by a supervisor in India');
  await expect(page.getByLabel('Role')).toHaveValue('officer');

  const supervisor = await (await browser.newContext()).newPage();
  await signIn(supervisor, 'in.supervisor');
  await supervisor.goto('/confirmations');
  await hydrated(supervisor);
  const change = supervisor.getByTestId('account-change').filter({ hasText: 'cbi.officer' });
  await change.getByRole('button', { name: 'Refuse' }).click();
  await expect(change.locator('.field-error')).toContainText('Say why');
  await change.getByLabel('Grounds for refusing').fill('Arjun is not in a supervisor post.');
  await change.getByRole('button', { name: 'Refuse' }).click();
  await expect(supervisor.locator('.flash')).toContainText('Refused');
  await expect(supervisor.locator('table.data')).toContainText('Arjun is not in a supervisor post.');

  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('account-change')).toHaveCount(0);
  await expect(page.getByLabel('Role')).toHaveValue('officer');
});

test('passkey: an officer adds one in Chromium\'s virtual authenticator and signs in with it, or with a recovery code', async ({ browser }) => {
  // Passkeys are bound to a host name: browsers refuse them for an IP address, so this test uses localhost.
  const context = await browser.newContext({ baseURL: 'http://localhost:3100' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', transport: 'internal', hasResidentKey: true,
      hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true,
    },
  });
  const password = credentials()['certin.officer'];
  await signIn(page, 'certin.officer', password);
  await page.goto('/profile');
  await hydrated(page);
  const add = page.locator('form.add-passkey');
  await add.getByLabel('Name of this passkey').fill('work laptop');
  await add.getByLabel('Your password').fill('not my password');
  await add.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(page.locator('#f-passkey-password-error')).toContainText('not right');
  await add.getByLabel('Your password').fill(password);
  await add.getByRole('button', { name: 'Add a passkey' }).click();
  // The account's first second factor: ten recovery codes, shown once.
  const codes = page.getByTestId('recovery-codes').locator('li');
  await expect(codes).toHaveCount(10);
  const recovery = (await codes.first().textContent())!.trim();
  const stored = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(stored.credentials).toHaveLength(1);
  await page.getByRole('link', { name: 'Continue' }).click();
  await hydrated(page);
  await page.goto('/profile');
  await expect(page.getByTestId('passkeys')).toContainText('work laptop');

  // The password alone no longer signs in: the second step offers the passkey, which does.
  await hydrated(page);
  await signOut(page);
  await fillSignIn(page, 'certin.officer', password);
  await expect(page).toHaveURL(/\/login\/code$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Use your passkey' })).toBeVisible();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map(v => v.id), 'axe violations on the passkey step').toEqual([]);
  await page.getByRole('button', { name: 'Use a passkey' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.locator('.who')).toContainText('Kavya Iyer');
  await page.goto('/profile');
  await expect(page.getByTestId('passkeys')).toContainText('last used');

  // Without the authenticator, a recovery code still signs in, once.
  await hydrated(page);
  await signOut(page);
  await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
  await fillSignIn(page, 'certin.officer', password);
  await expect(page).toHaveURL(/\/login\/code$/);
  await hydrated(page);
  await page.getByLabel('Code').fill(recovery);
  await page.getByRole('button', { name: 'Continue with the code' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await context.close();
});
