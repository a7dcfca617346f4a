import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { start, type RunningServer } from '../../src/server/index.js';
import { describeViolations, launchChromium, requireChromium, seriousA11yViolations, watch, type Browser } from './browser.js';

/** The privacy and terms pages as a patient (or a Teams user, from the app's details) opens them, in headless Chromium. */
describe('browser: privacy and terms pages (real app, headless Chromium)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let app: RunningServer;
  let dataDir: string;

  before(async function () {
    const executable = requireChromium(this);
    dataDir = mkdtempSync(join(tmpdir(), 'e2e-legal-'));
    app = await start({
      env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', DB_FILE: join(dataDir, 'db.json'), CLINIC_EMAIL: 'eczema@clinic.example.org', RETENTION_DAYS: '60' },
      config: { PORT: 0 },
      web: { DIRECT_LINE_SECRET: undefined },
    });
    browser = await launchChromium(executable);
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  for (const [path, heading] of [['/privacy', 'Privacy'], ['/terms', 'Terms of use']] as const) {
    it(`${path}: styled, readable, no CSP error and no serious or critical axe violation`, async () => {
      const page = await browser.context.newPage();
      const seen = watch(page);
      await page.goto(`${app.url}${path}`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal(heading);
      // The site's style sheet applied (the demo page's header colour), under the CSP that forbids inline styles.
      expect(await page.locator('.site-header').evaluate((el) => getComputedStyle(el).backgroundColor)).to.equal('rgb(33, 68, 59)');
      expect(await page.getByRole('link', { name: 'eczema@clinic.example.org' }).getAttribute('href')).to.equal('mailto:eczema@clinic.example.org');
      const violations = await seriousA11yViolations(page);
      expect(violations, describeViolations(violations)).to.deep.equal([]);
      expect(seen.csp).to.deep.equal([]);
      expect(seen.errors).to.deep.equal([]);
      await page.close();
    });
  }
});
