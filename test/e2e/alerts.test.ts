import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { start, type RunningServer } from '../../src/server/index.js';
import { describeViolations, launchChromium, requireChromium, screenshot, seriousA11yViolations, type Browser } from './browser.js';
import { ask, WAIT } from './chatPage.js';

/**
 * What a patient sees when the advice is urgent, in the real chat page in headless Chromium: its own coloured card
 * with the word, the advice first, and buttons that call (tel:) and book.
 */

/** Records what the page asks the browser to open (Web Chat opens card links with window.open) instead of opening it. */
async function recordOpened(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const opened: string[] = [];
    (window as unknown as { __opened: string[] }).__opened = opened;
    window.open = (url?: string | URL) => {
      opened.push(String(url));
      return null;
    };
  });
}

const opened = (page: Page) => page.evaluate(() => (window as unknown as { __opened: string[] }).__opened.slice());

describe('browser: urgent and emergency advice (real app, headless Chromium)', function () {
  this.timeout(120_000);

  let browser: Browser;
  let app: RunningServer;
  let dataDir: string;

  before(async function () {
    const executable = requireChromium(this);
    dataDir = mkdtempSync(join(tmpdir(), 'e2e-alerts-'));
    app = await start({
      env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', DB_FILE: join(dataDir, 'db.json') },
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

  for (const theme of ['light', 'dark'] as const) {
    it(`${theme} theme: an emergency and an urgent reply are distinct cards, the advice first, with working call and booking buttons, and pass axe`, async () => {
      const page = await browser.context.newPage();
      await recordOpened(page);
      await page.goto(`${app.url}/embed?theme=${theme}`);
      await page.getByText('automated eczema information assistant').first().waitFor(WAIT);

      const emergency = await ask(page, page, "my lips and throat are swelling and I can't breathe");
      expect(emergency).to.match(/\u26A0 Emergency\s+Call 911 now, or go to the nearest emergency department\./);
      const emergencyCard = page.locator('.ac-adaptiveCard').filter({ hasText: 'Emergency' }).last();
      // Its own colour: the container's background is not the ordinary bubble's.
      const colours = await emergencyCard.evaluate((card) => {
        const box = card.querySelector('.ac-container') as HTMLElement;
        return { box: getComputedStyle(box).backgroundColor, text: getComputedStyle(box.querySelector('.ac-textBlock')!).color };
      });
      expect(colours.box).to.equal('rgb(255, 197, 178)');
      await emergencyCard.getByRole('button', { name: 'Call 911' }).click();
      await page.waitForFunction(() => (window as unknown as { __opened: string[] }).__opened.length >= 1, undefined, WAIT);
      expect(await opened(page)).to.deep.equal(['tel:911']);

      const urgent = await ask(page, page, 'my eczema is oozing yellow pus and I have a fever');
      expect(urgent).to.match(/\u26A0 Urgent\s+Please get medical care today: call Demo Dermatology Clinic on \+1 555 010 0199/);
      const urgentCard = page.locator('.ac-adaptiveCard').filter({ hasText: 'Urgent' }).last();
      expect(await urgentCard.evaluate((card) => getComputedStyle(card.querySelector('.ac-container') as HTMLElement).backgroundColor)).to.equal('rgb(255, 226, 178)');
      await urgentCard.getByRole('button', { name: 'Call Demo Dermatology Clinic (+1 555 010 0199)' }).click();
      await urgentCard.getByRole('button', { name: 'Book a visit' }).click();
      await page.waitForFunction(() => (window as unknown as { __opened: string[] }).__opened.length >= 3, undefined, WAIT);
      expect((await opened(page)).slice(1)).to.deep.equal(['tel:+15550100199', 'https://clinic.example.org/book']);

      // A question about a danger topic carries the same-day advice: it is an urgent card too.
      const topic = await ask(page, page, 'what does infected eczema look like');
      expect(topic).to.match(/\u26A0 Urgent\s+If you notice any of these/);

      await urgentCard.scrollIntoViewIfNeeded();
      await screenshot(page, `alert-${theme}.png`);
      const violations = await seriousA11yViolations(page);
      expect(violations, describeViolations(violations)).to.deep.equal([]);
      await page.close();
    });
  }
});
