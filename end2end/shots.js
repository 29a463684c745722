const { chromium } = require('@playwright/test');
const fs = require('fs');
const cred = {};
for (const line of fs.readFileSync('/tmp/shots/cred.txt', 'utf8').split('\n')) {
  if (!line.trim() || line.startsWith('#')) continue;
  const p = line.trim().split(/\s+/); cred[p[0]] = p[3];
}
const BASE = 'http://127.0.0.1:3200';
async function session(browser, user, lang, width) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 } });
  await ctx.addCookies([{ name: 'ld_lang', value: lang, url: BASE }]);
  const page = await ctx.newPage();
  await page.goto(BASE + '/login');
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', cred[user]);
  await page.click('main form button[type=submit]');
  await page.waitForSelector('.who');
  await ctx.addCookies([{ name: 'ld_lang', value: lang, url: BASE }]);
  return { ctx, page };
}
async function requestHref(page, subject) {
  await page.goto(BASE + '/requests?direction=both');
  return await page.getByRole('link', { name: subject, exact: true }).first().getAttribute('href');
}
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  const shots = process.argv.slice(2);
  for (const [user, lang, width, what] of [
    ['rcmp.officer', 'en', 1280, 'voyage'], ['ncb.officer', 'fr-CA', 390, 'voyage'], ['ncb.officer', 'en', 1280, 'voyage'],
    ['rcmp.officer', 'en', 1280, 'inbox'], ['rcmp.officer', 'hi', 390, 'inbox'],
    ['in.supervisor', 'en', 1280, 'retention'], ['in.supervisor', 'fr-CA', 390, 'retention'],
    ['admin', 'en', 1280, 'agencies'], ['ncb.officer', 'en', 1280, 'newrequest'], ['ca.supervisor', 'en', 1280, 'dashboard'],
  ]) {
    const { ctx, page } = await session(browser, user, lang, width);
    if (what === 'voyage') { await page.goto(BASE + await requestHref(page, 'Voyage history of MV Pacific Meridian')); }
    if (what === 'inbox') { await page.goto(BASE + '/'); }
    if (what === 'retention') { await page.goto(BASE + '/retention?name=Joshi+Vikram'); }
    if (what === 'agencies') { await page.goto(BASE + '/admin/agencies'); }
    if (what === 'dashboard') { await page.goto(BASE + '/dashboard'); }
    if (what === 'newrequest') {
      await page.goto(BASE + '/cases?q=Fentanyl');
      const href = await page.getByRole('row').filter({ hasText: 'Fentanyl' }).getByRole('link').first().getAttribute('href');
      await page.goto(BASE + href);
      await page.evaluate(() => document.querySelectorAll('details.new-request').forEach(d => d.open = true));
    }
    await page.waitForTimeout(500);
    await page.screenshot({ path: `/tmp/shots/${what}-${user}-${lang}-${width}.png`, fullPage: true });
    await ctx.close();
  }
  await browser.close();
})();
