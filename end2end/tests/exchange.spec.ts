import { test, expect, Page } from '@playwright/test';
import { join } from 'path';
import { hydrated, signIn, signOut } from './helpers';

// The exchange story of the acceptance list, in order: NCB asks RCMP, RCMP answers, NCB closes, CBSA sees
// nothing, and the case history shows every change and, apart from them, the latest views.
test.describe.configure({ mode: 'serial' });

const title = 'Precursor shipment via Nhava Sheva to Montreal';
let caseUrl = '';
let requestUrl = '';

async function openCaseFromList(page: Page) {
  await page.goto('/cases');
  await hydrated(page);
  await page.getByRole('link', { name: /^LD-\d{4}-\d{6}$/ }).first().waitFor();
}

test('an NCB officer opens a drug-precursor case and sends an urgent request to RCMP', async ({ page }) => {
  await signIn(page, 'ncb.officer');
  await page.getByRole('link', { name: 'New case' }).click();
  await hydrated(page);
  // A bad submission keeps the text and explains per field.
  await page.getByLabel('Title').fill('ab');
  await page.getByLabel('Summary').fill('Two containers of 4-AP declared as solvent.');
  await page.getByRole('button', { name: 'Open case' }).click();
  await expect(page.locator('#f-title-error')).toContainText('title of 3 to 200');
  // Focus moves to the list of problems, so keyboard users start there.
  await expect(page.locator('.error-summary')).toBeFocused();
  await expect(page.locator('#f-category-error')).toContainText('Choose a category');
  await expect(page.getByLabel('Summary')).toHaveValue('Two containers of 4-AP declared as solvent.');

  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Category').selectOption('drug_precursors');
  await page.getByLabel('Priority').selectOption('urgent');
  await page.getByRole('button', { name: 'Open case' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.locator('.case-header')).toContainText(/LD-\d{4}-\d{6}/);
  await expect(page.locator('.case-header .tlp')).toHaveText('TLP:AMBER');
  caseUrl = new URL(page.url()).pathname;
  await hydrated(page);

  await page.getByText('New request').click();
  const form = page.locator('details.new-request');
  await form.getByLabel('Type').selectOption('information');
  await form.getByLabel('To agency').selectOption('RCMP');
  await form.getByLabel('Subject').fill('Consignee of container TGHU 8812345');
  await form.getByLabel('Request', { exact: true }).fill('Who are the directors of the consignee, and where is its warehouse?');
  await form.getByLabel('Priority').selectOption('urgent');
  await form.getByLabel('Legal basis', { exact: true }).selectOption('police');
  await form.getByLabel(/directly available/).check();
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Consignee of container TGHU 8812345' })).toBeVisible();
  await expect(page.locator('.case-header .rstatus')).toHaveText('Sent');
  await expect(page.locator('.case-header .deadline')).toContainText('IST');
  requestUrl = new URL(page.url()).pathname;
});

test('the RCMP officer sees it at the top of the inbox in Toronto time, acknowledges and answers with a file and a B2 grading', async ({ page }) => {
  await signIn(page, 'rcmp.officer');
  const incoming = page.getByRole('table', { name: 'Incoming requests' });
  const first = incoming.getByRole('row').nth(1);
  await expect(first).toContainText('Consignee of container TGHU 8812345');
  await expect(first).toContainText('EST');
  await expect(first).toContainText('Urgent');
  // Urgent and directly available: due 8 hours after sending. However slow this run, the time left is
  // shown in hours and minutes, less than 8 hours and not much less.
  const left = (await first.locator('.deadline').innerText()).match(/in (\d+) h (\d+) min/);
  expect(left, 'time left shown as “in H h M min”').not.toBeNull();
  const minutes = Number(left![1]) * 60 + Number(left![2]);
  expect(minutes).toBeLessThanOrEqual(8 * 60);
  expect(minutes).toBeGreaterThan(7 * 60);

  await first.getByRole('link', { name: 'Consignee of container TGHU 8812345' }).click();
  await hydrated(page);
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(page.locator('.case-header .rstatus')).toHaveText('Acknowledged');
  await expect(page.locator('.case-header')).toContainText('by Daniel Tremblay');

  // An answer without grading is refused, and the text stays.
  await page.getByLabel('Kind of response').selectOption('final_answer');
  await page.getByLabel('Response', { exact: true }).fill('The consignee is Northern Chem Supply Ltd; registration attached.');
  await page.getByRole('button', { name: 'Send response' }).click();
  await expect(page.locator('#f-source_grade-error')).toContainText('Grade the source');
  await expect(page.getByLabel('Response', { exact: true })).toHaveValue('The consignee is Northern Chem Supply Ltd; registration attached.');

  await page.getByLabel('Attach a file to this response').setInputFiles(join(__dirname, '..', 'fixtures', 'consignee-registration.txt'));
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByText('Files to send with this response:')).toBeVisible();
  await page.getByLabel('Source reliability').selectOption('B');
  await page.getByLabel('Information', { exact: true }).selectOption('2');
  await page.getByRole('button', { name: 'Send response' }).click();
  await expect(page.locator('.case-header .rstatus')).toHaveText('Answered');
  const response = page.locator('.response').first();
  await expect(response).toContainText('Final answer');
  await expect(response).toContainText('Grading B2');
  await expect(response.getByRole('link', { name: 'consignee-registration.txt' })).toBeVisible();
});

test('the NCB officer sees the answer, downloads the file and closes the request', async ({ page }) => {
  await signIn(page, 'ncb.officer');
  await page.getByRole('table', { name: 'Outgoing requests' }).getByRole('link', { name: 'Consignee of container TGHU 8812345' }).click();
  await hydrated(page);
  const response = page.locator('.response').first();
  await expect(response).toContainText('Northern Chem Supply Ltd');
  await expect(response).toContainText('Grading B2');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    response.getByRole('link', { name: 'consignee-registration.txt' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('consignee-registration.txt');
  await page.getByRole('button', { name: 'Close request' }).click();
  await expect(page.locator('.case-header .rstatus')).toHaveText('Closed');
});

test('a CBSA officer cannot find the case by list, search or URL', async ({ page }) => {
  await signIn(page, 'cbsa.officer');
  await page.goto('/cases?q=Nhava');
  await hydrated(page);
  await expect(page.getByText('No case matches.')).toBeVisible();
  await page.goto('/cases');
  await expect(page.getByText(title)).toHaveCount(0);
  const byUrl = await page.goto(caseUrl);
  expect(byUrl!.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await expect(page.getByText(title)).toHaveCount(0);
  const request = await page.goto(requestUrl);
  expect(request!.status()).toBe(404);
  await expect(page.getByText('TGHU 8812345')).toHaveCount(0);
});

test('the case history lists each change, and apart from them the latest views', async ({ page }) => {
  await signIn(page, 'ncb.officer');
  await page.goto(caseUrl);
  await hydrated(page);
  const changes = page.getByRole('table', { name: 'Changes to this case' });
  // Each change said as a sentence: who (display name, agency), what, on which request or case by its title.
  const consignee = '“Consignee of container TGHU 8812345”';
  for (const said of [`Priya Sharma (NCB) opened the case “${title}”`, `Priya Sharma (NCB) wrote the request ${consignee}`,
                      `Priya Sharma (NCB) sent the request ${consignee}`, `Daniel Tremblay (RCMP) acknowledged the request ${consignee}`,
                      'Daniel Tremblay (RCMP) uploaded the file no.', `Daniel Tremblay (RCMP) answered the request ${consignee}`,
                      `Priya Sharma (NCB) closed the request ${consignee}`]) {
    await expect(changes).toContainText(said);
  }
  // Never the sign-in name; views are apart from changes.
  await expect(changes).not.toContainText('rcmp.officer');
  await expect(changes.locator('[data-action="case.read"]')).toHaveCount(0);
  // Opening the page was itself a read of the case: the newest of the views once the page is opened again
  // (only the latest views are listed, and reads of files are among them).
  await page.reload();
  await hydrated(page);
  const views = page.getByRole('table', { name: 'Recent views of this case' });
  await expect(views).toContainText(`read the case “${title}”`);
  await expect(views).toContainText(`read the request ${consignee}`);
  await expect(views).toContainText('Daniel Tremblay (RCMP)');
  // Downloading a file only looks at it: among the views.
  await expect(views).toContainText('Priya Sharma (NCB) downloaded the file no.');
  await expect(changes).not.toContainText('downloaded the file');
  await expect(page.getByRole('table', { name: 'Requests of this case' })).toContainText('Closed');
});
