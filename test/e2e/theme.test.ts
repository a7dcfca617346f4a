import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Frame, Page } from 'playwright-core';
import { start, type RunningServer } from '../../src/server/index.js';
import { describeViolations, launchChromium, requireChromium, screenshot, serveFramingPage, seriousA11yViolations, type Browser, type Site } from './browser.js';
import { ask, chatFrame, WAIT } from './chatPage.js';

/**
 * The widget follows the page's theme, in headless Chromium: the browser's prefers-color-scheme (emulated), a
 * data-theme on the page's <html> or <body>, or on the widget's own tag, which wins; and a page that switches theme
 * while the chat is open.
 */

const TITLE = 'Eczema questions';

/** WCAG contrast ratio of two computed colours ("rgb(r, g, b)"). */
function contrast(a: string, b: string): number {
  const lum = (css: string) => {
    const [r, g, bl] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number).map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

function isDark(css: string): boolean {
  return contrast(css, 'rgb(0, 0, 0)') < 3;
}

/** The widget header's and the chat's colours: header background and text, a bot bubble's background and text. */
async function colours(page: Page, frame: Frame) {
  const header = await page.locator('#eczema-faq-chat-panel > div').first().evaluate((el) => {
    const style = getComputedStyle(el);
    return { background: style.backgroundColor, text: style.color };
  });
  const bubble = await frame.locator('.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content').first().evaluate((el) => {
    const text = el.querySelector('.ac-textBlock') ?? el;
    return { background: getComputedStyle(el).backgroundColor, text: getComputedStyle(text).color };
  });
  const body = await frame.locator('body').getAttribute('class');
  return { header, bubble, body: body ?? '' };
}

async function openWidget(page: Page): Promise<Frame> {
  await page.locator('button[aria-controls="eczema-faq-chat-panel"]').click();
  await page.frameLocator(`iframe[title="${TITLE}"]`).getByText('automated eczema information assistant').first().waitFor(WAIT);
  return chatFrame(page);
}

function expectTheme(seen: Awaited<ReturnType<typeof colours>>, theme: 'light' | 'dark'): void {
  const dark = theme === 'dark';
  expect(isDark(seen.header.background), `header ${seen.header.background}`).to.equal(dark);
  expect(isDark(seen.bubble.background), `bubble ${seen.bubble.background}`).to.equal(dark);
  expect(seen.body).to.include(`theme-${theme}`);
  expect(contrast(seen.header.background, seen.header.text), 'header text contrast').to.be.at.least(4.5);
  expect(contrast(seen.bubble.background, seen.bubble.text), 'bubble text contrast').to.be.at.least(4.5);
}

describe('browser: the widget follows the page\'s light or dark theme (real app, headless Chromium)', function () {
  this.timeout(180_000);

  let browser: Browser;
  let app: RunningServer;
  let site: Site;
  let dataDir: string;

  before(async function () {
    const executable = requireChromium(this);
    site = await serveFramingPage('Clinic page with a theme');
    dataDir = mkdtempSync(join(tmpdir(), 'e2e-theme-'));
    app = await start({
      env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', DB_FILE: join(dataDir, 'db.json') },
      config: { PORT: 0 },
      web: { ALLOWED_EMBED_ORIGINS: [site.origin], DIRECT_LINE_SECRET: undefined },
    });
    browser = await launchChromium(executable);
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
    await site?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const cases = [
    { name: 'a browser that prefers dark, on a page that says nothing', scheme: 'dark', query: '', theme: 'dark', axe: true },
    { name: 'data-theme="light" on the page\'s <html> over a browser that prefers dark', scheme: 'dark', query: '&html=light', theme: 'light', axe: true },
    { name: 'data-theme="dark" on the page\'s <body> in a light browser', scheme: 'light', query: '&body=dark', theme: 'dark', axe: false },
    { name: 'data-theme="light" on the widget\'s tag over a dark page', scheme: 'light', query: '&body=dark&script=light', theme: 'light', axe: false },
    { name: 'data-theme="dark" on the element holding the widget\'s tag, over a light <body>', scheme: 'light', query: '&body=light&container=dark', theme: 'dark', axe: false },
  ] as const;

  for (const c of cases) {
    it(`${c.name}: ${c.theme} header and bubbles with readable text${c.axe ? ', urgent card included, and axe passes' : ''}`, async () => {
      const page = await browser.context.newPage();
      await page.emulateMedia({ colorScheme: c.scheme });
      await page.goto(`${site.origin}/themed?bot=${encodeURIComponent(app.url)}${c.query}`);
      const frame = await openWidget(page);
      expectTheme(await colours(page, frame), c.theme);
      if (c.axe) {
        const chat = page.frameLocator(`iframe[title="${TITLE}"]`);
        const urgent = await ask(chat, frame, 'my eczema is oozing yellow pus and I have a fever');
        expect(urgent).to.match(/Urgent/);
        await chat.locator('.ac-adaptiveCard').filter({ hasText: 'Urgent' }).last().scrollIntoViewIfNeeded();
        await screenshot(page, `widget-theme-${c.theme}-${c.scheme}.png`);
        const onPage = await seriousA11yViolations(page);
        const inChat = await seriousA11yViolations(frame);
        expect(onPage, describeViolations(onPage)).to.deep.equal([]);
        expect(inChat, describeViolations(inChat)).to.deep.equal([]);
      }
      await page.close();
    });
  }

  it('switches with the page: data-theme set on <html> while the chat is open, then the browser\'s scheme once it is removed', async () => {
    const page = await browser.context.newPage();
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${site.origin}/themed?bot=${encodeURIComponent(app.url)}`);
    const frame = await openWidget(page);
    expectTheme(await colours(page, frame), 'light');

    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
    await frame.waitForFunction(() => document.body.classList.contains('theme-dark'), undefined, WAIT);
    expectTheme(await colours(page, frame), 'dark');

    await page.evaluate(() => document.documentElement.removeAttribute('data-theme'));
    await frame.waitForFunction(() => document.body.classList.contains('theme-light'), undefined, WAIT);
    expectTheme(await colours(page, frame), 'light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await frame.waitForFunction(() => document.body.classList.contains('theme-dark'), undefined, WAIT);
    expectTheme(await colours(page, frame), 'dark');
    await page.close();
  });

  it('the demo clinic page in a dark browser: the page, the widget and its chat are dark, and axe passes', async () => {
    const page = await browser.context.newPage();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${app.url}/`);
    expect(isDark(await page.locator('body').evaluate((el) => getComputedStyle(el).backgroundColor))).to.equal(true);
    const frame = await openWidget(page);
    expectTheme(await colours(page, frame), 'dark');
    const onPage = await seriousA11yViolations(page);
    expect(onPage, describeViolations(onPage)).to.deep.equal([]);
    await screenshot(page, 'demo-dark.png');
    await page.close();
  });

  it('the portal embed with theme=auto follows the browser', async () => {
    const page = await browser.context.newPage();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${app.url}/embed?theme=auto`);
    await page.getByText('automated eczema information assistant').first().waitFor(WAIT);
    expect(await page.locator('body').getAttribute('class')).to.include('theme-dark');
    const bubble = await page.locator('.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content').first().evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(isDark(bubble)).to.equal(true);
    await page.close();
  });
});
