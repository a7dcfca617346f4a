import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { start, type RunningServer } from '../../src/server/index.js';
import { describeViolations, launchChromium, requireChromium, screenshot, seriousA11yViolations, type Browser } from './browser.js';
import { ask, say, transcript, WAIT } from './chatPage.js';

/**
 * The server stops while a patient chats, in the real chat page in headless Chromium: the page says so with the
 * clinic's phone instead of "Sending" with no end, and recovers by itself when the server is back on the same port.
 */

describe('browser: the bot cannot be reached (real app stopped and started again, headless Chromium)', function () {
  this.timeout(180_000);

  let browser: Browser;
  let app: RunningServer | undefined;
  let dataDir: string;
  const env = () => ({ PATH: process.env.PATH, LOG_LEVEL: 'silent', DB_FILE: join(dataDir, 'db.json') });

  before(async function () {
    const executable = requireChromium(this);
    dataDir = mkdtempSync(join(tmpdir(), 'e2e-outage-'));
    browser = await launchChromium(executable);
  });

  // A failed test must not leave its server holding the database for the next one.
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  after(async () => {
    await browser?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the outage notice with the clinic\'s phone when the server is gone, and clears it, reconnects and answers again when it is back', async () => {
    app = await start({ env: env(), config: { PORT: 0 }, web: { DIRECT_LINE_SECRET: undefined } });
    const port = app.port;
    const page = await browser.context.newPage();
    await page.goto(`${app.url}/embed`);
    await page.getByText('automated eczema information assistant').first().waitFor(WAIT);
    expect(await ask(page, page, 'what is eczema')).to.include('Sources');
    const notice = page.locator('#chat-outage');
    expect(await notice.isHidden()).to.equal(true);

    // The server really stops: its port is closed, nothing answers.
    await app.stop();
    app = undefined;
    await say(page, 'what triggers a flare');
    await notice.waitFor({ state: 'visible', ...WAIT });
    const shown = await notice.innerText();
    expect(shown).to.match(/cannot reach the clinic/);
    expect(shown).to.include('Demo Dermatology Clinic on +1 555 010 0199');
    expect(await notice.getByRole('link', { name: '+1 555 010 0199' }).getAttribute('href')).to.equal('tel:+15550100199');
    expect(await notice.getByRole('link', { name: '911' }).getAttribute('href')).to.equal('tel:911');
    expect(await notice.getAttribute('role')).to.equal('alert');
    await screenshot(page, 'outage.png');
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).to.deep.equal([]);

    // Back on the same port (a new process: new token key, no memory of the conversation).
    app = await start({ env: env(), config: { PORT: port }, web: { DIRECT_LINE_SECRET: undefined } });
    await notice.waitFor({ state: 'hidden', ...WAIT });
    // The transcript is kept, and the message that did not go through can be sent again with Web Chat's Retry.
    const lines = await transcript(page);
    expect(lines.some((l) => l.includes('what is eczema'))).to.equal(true);
    const retry = page.getByRole('button', { name: /Retry/ });
    await retry.first().waitFor(WAIT);
    await retry.first().click();
    await page.waitForFunction(
      () => Array.from(document.querySelectorAll('.ac-adaptiveCard')).some((c) => /trigger/i.test((c as HTMLElement).innerText) && (c as HTMLElement).innerText.includes('Sources')),
      undefined,
      WAIT,
    );
    // And a new message gets its reply.
    expect(await ask(page, page, 'how do moisturizers help eczema')).to.include('Sources');
    expect(await notice.isHidden()).to.equal(true);
    await page.close();
    await app.stop();
    app = undefined;
  });

  it('when the server is down as the page opens: the notice, then the chat by itself once the server starts', async () => {
    // A port that nothing listens on yet: take one from a server, then stop it.
    const first = await start({ env: env(), config: { PORT: 0 }, web: { DIRECT_LINE_SECRET: undefined } });
    const { port, url } = first;
    const page = await browser.context.newPage();
    // The page itself must load: it comes from the server before it stops; then the server is gone.
    await page.route('**/api/directline/token', async (route) => {
      await first.stop();
      await route.abort('connectionrefused');
    });
    await page.goto(`${url}/embed`);
    const notice = page.locator('#chat-outage');
    await notice.waitFor({ state: 'visible', ...WAIT });
    expect(await notice.innerText()).to.include('+1 555 010 0199');
    await page.unroute('**/api/directline/token');
    app = await start({ env: env(), config: { PORT: port }, web: { DIRECT_LINE_SECRET: undefined } });
    await notice.waitFor({ state: 'hidden', ...WAIT });
    await page.getByText('automated eczema information assistant').first().waitFor(WAIT);
    expect(await ask(page, page, 'what is eczema')).to.include('Sources');
    await page.close();
  });
});
