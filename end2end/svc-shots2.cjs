const { chromium } = require('@playwright/test');
const fs = require('fs');
const base = 'http://127.0.0.1:3200';
const creds = {};
for (const line of fs.readFileSync('/tmp/shots/cred.txt', 'utf8').split('\n')) {
  if (!line.trim() || line.startsWith('#')) continue;
  const p = line.trim().split(/\s+/); creds[p[0]] = p[3];
}
async function session(browser, user, lang, width) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  await context.addCookies([{ name: 'ld_lang', value: lang, url: base }]);
  const page = await context.newPage();
  await page.goto(base + '/login');
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', creds[user]);
  await page.click('main form button[type=submit]');
  await page.waitForSelector('.who', { timeout: 15000 });
  return page;
}
async function call(page, endpoint, form) {
  return page.evaluate(async ([endpoint, form]) => {
    const r = await fetch('/api/' + endpoint, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'application/json' }, body: new URLSearchParams(form).toString() });
    return [r.status, await r.text()];
  }, [endpoint, form]);
}
async function shot(page, name, full = true) {
  await page.evaluate(() => document.fonts.ready); await page.waitForTimeout(1500);
  await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: full });
}
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  for (const [lang, width] of [['fr-CA', 1280], ['fr-CA', 390], ['hi', 390]]) {
    const p = await session(browser, 'ca.supervisor', lang, width);
    await p.goto(base + '/cases/new');
    await p.waitForTimeout(1500);
    const box = p.locator('#f-links');
    await box.fill('port of');
    await p.waitForTimeout(1200);
    await p.locator('.lookup-result').first().click();
    await box.fill('ship');
    await p.waitForTimeout(1200);
    await box.scrollIntoViewIfNeeded();
    await shot(p, `links-${lang}-${width}`, false);
  }
  const admin = await session(browser, 'admin', 'en', 1280);
  const created = await call(admin, 'create_user', { username: 'rcmp.rms', display_name: 'RCMP records system', role: 'officer', agency: 'RCMP', time_zone: '', service: 'on' });
  const id = JSON.parse(created[1]).user.id;
  const sup = await session(browser, 'ca.supervisor', 'en', 390);
  const changes = JSON.parse((await call(sup, 'list_account_changes', {}))[1]);
  const ch = changes.find(c => c.user_id === id && !c.decision);
  await call(sup, 'decide_account_change', { id: ch.id, confirm: 'true', grounds: '' });
  console.log(await call(admin, 'ask_for_service_token', { user: id, name: 'Records system', read: 'on', days: '90', password: creds['admin'] }));
  await sup.goto(base + '/confirmations'); await shot(sup, 'conf-token-en-390');
  await browser.close();
})();
