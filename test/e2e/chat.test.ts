import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { start, type RunningServer } from '../../src/server/index.js';
import {
  describeViolations,
  launchChromium,
  requireChromium,
  screenshot,
  serveFramingPage,
  seriousA11yViolations,
  watch,
  type Browser,
  type Site,
} from './browser.js';
import { ask, chatFrame, say, settled, transcript, WAIT, waitForActivities } from './chatPage.js';

/**
 * The real app (lead's start()) in headless Chromium: the widget on the demo page, the portal embed framed by
 * an allowed and by a foreign origin, and axe-core on both. Screenshots go to test-artifacts/.
 */

const TITLE = 'Eczema questions';
const EMERGENCY_PHRASE = "my lips and throat are swelling and I can't breathe";

function expectSources(reply: string): void {
  expect(reply.includes('Sources'), `the reply to "what is eczema" should be an answer card with sources, got:\n${reply}`).to.equal(true);
}

describe('browser: widget, portal embed and accessibility (real app, headless Chromium)', function () {
  this.timeout(120_000);

  let browser: Browser;
  let app: RunningServer;
  let portal: Site;
  let stranger: Site;
  let dataDir: string;

  before(async function () {
    const executable = requireChromium(this);
    portal = await serveFramingPage('Patient portal (allowed origin)');
    stranger = await serveFramingPage('Some other site (not allowed)');
    dataDir = mkdtempSync(join(tmpdir(), 'e2e-app-'));
    // A minimal environment: nothing from the developer's shell (an Azure secret would send the test online).
    app = await start({
      env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', DB_FILE: join(dataDir, 'db.json') },
      config: { PORT: 0 },
      web: { ALLOWED_EMBED_ORIGINS: [portal.origin], DIRECT_LINE_SECRET: undefined },
    });
    browser = await launchChromium(executable);
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
    await portal?.close();
    await stranger?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('on the demo page: opens the widget from the keyboard, answers with sources, follows up, takes feedback, puts an emergency first, closes on Escape', async () => {
    const page = await browser.context.newPage();
    const seen = watch(page);
    await page.goto(`${app.url}/`);
    await screenshot(page, 'widget-closed.png');

    const launcher = page.locator('button[aria-controls="eczema-faq-chat-panel"]');
    // Keyboard only: Tab until the launcher has focus, then Enter.
    for (let i = 0; i < 15 && !(await launcher.evaluate((el) => el === document.activeElement)); i += 1) await page.keyboard.press('Tab');
    expect(await launcher.evaluate((el) => el === document.activeElement), 'launcher reachable with Tab').to.equal(true);
    await page.keyboard.press('Enter');

    const panel = page.getByRole('dialog', { name: TITLE });
    await panel.waitFor({ state: 'visible', ...WAIT });
    expect(await launcher.getAttribute('aria-expanded')).to.equal('true');

    const chat = page.frameLocator(`iframe[title="${TITLE}"]`);
    await chat.getByText('automated eczema information assistant').first().waitFor(WAIT);
    const frame = chatFrame(page);
    // Opening the panel puts the cursor in the message box, so a keyboard user can type at once.
    await frame.waitForFunction(() => document.activeElement?.getAttribute('data-id') === 'webchat-sendbox-input', undefined, WAIT);

    expectSources(await ask(chat, frame, 'what is eczema'));
    const answerCard = chat.locator('.ac-adaptiveCard').filter({ hasText: 'Sources' }).last();
    expect(await answerCard.innerText()).to.match(/Last reviewed: \d{4}-\d{2}-\d{2}/);
    await screenshot(page, 'widget-answer.png');

    // A follow-up button asks the related question: a second answer card with its own sources arrives.
    const followUp = answerCard.locator('.ac-actionSet').first().locator('button').first();
    const followUpTitle = (await followUp.innerText()).trim();
    await followUp.click();
    await frame.waitForFunction(
      () => Array.from(document.querySelectorAll('.ac-adaptiveCard')).filter((c) => (c as HTMLElement).innerText.includes('Sources')).length >= 2,
      undefined,
      WAIT,
    );
    const secondCard = chat.locator('.ac-adaptiveCard').filter({ hasText: 'Sources' }).last();
    expect(await secondCard.innerText()).to.include(followUpTitle);

    // "Yes, this helped": the bot acknowledges with a new message.
    const before = (await transcript(frame)).length;
    await secondCard.getByRole('button', { name: 'Yes, this helped' }).click();
    await waitForActivities(frame, before + 1);
    await screenshot(page, 'widget-feedback.png');

    // An emergency phrase: the emergency instruction is the bot's first reply, before anything else.
    await say(chat, EMERGENCY_PHRASE);
    await chat.getByText(/Call 911 now, or go to the nearest emergency department/).first().waitFor(WAIT);
    const lines = await transcript(frame);
    const asked = lines.findIndex((l) => l.includes(EMERGENCY_PHRASE));
    expect(asked, 'the patient message is in the transcript').to.be.at.least(0);
    expect(lines[asked + 1]).to.match(/Emergency\s+Call 911 now/);
    // Web Chat scrolls to new messages with an animation; bring the reply into view for the picture.
    await chat.getByText(/Call 911 now, or go/).first().scrollIntoViewIfNeeded();
    await screenshot(page, 'widget-emergency.png');

    // Escape in the message box closes the panel and gives focus back to the launcher.
    await chat.locator('[data-id="webchat-sendbox-input"]').press('Escape');
    await panel.waitFor({ state: 'hidden', ...WAIT });
    expect(await launcher.getAttribute('aria-expanded')).to.equal('false');
    expect(await launcher.evaluate((el) => el === document.activeElement)).to.equal(true);

    expect(seen.csp, 'no Content-Security-Policy violation while chatting').to.deep.equal([]);
    expect(seen.errors, 'no script errors').to.deep.equal([]);
    await page.close();
  });

  it('on a phone-sized screen: the panel fills the screen, the hidden page is inert, and the close button returns to the page', async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 375, height: 667 });
    await page.goto(`${app.url}/`);
    const launcher = page.locator('button[aria-controls="eczema-faq-chat-panel"]');
    await launcher.click();
    const panel = page.getByRole('dialog', { name: TITLE });
    await panel.waitFor({ state: 'visible', ...WAIT });
    expect(await panel.boundingBox()).to.deep.equal({ x: 0, y: 0, width: 375, height: 667 });
    await page.frameLocator(`iframe[title="${TITLE}"]`).getByText('automated eczema information assistant').first().waitFor(WAIT);
    await settled(chatFrame(page));
    await screenshot(page, 'widget-phone.png');
    // Long button titles (welcome examples, follow-ups) wrap instead of ending in "…": no mouse needed to read them.
    const cut = await chatFrame(page).evaluate(() =>
      Array.from(document.querySelectorAll('.ac-pushButton > div')).filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent),
    );
    expect(cut, 'buttons whose title is cut off').to.deep.equal([]);
    // Focus and a screen reader must not reach the page the panel covers.
    const inertBehind = () => page.evaluate(() => Array.from(document.body.children).filter((el) => !el.contains(document.getElementById('eczema-faq-chat-panel'))).map((el) => (el as HTMLElement).inert));
    expect(await panel.getAttribute('aria-modal')).to.equal('true');
    const behind = await inertBehind();
    expect(behind.length).to.be.greaterThan(0);
    expect(behind.every(Boolean)).to.equal(true);

    await page.getByRole('button', { name: 'Close chat' }).click();
    await panel.waitFor({ state: 'hidden', ...WAIT });
    expect(await launcher.isVisible()).to.equal(true);
    expect(await launcher.evaluate((el) => el === document.activeElement)).to.equal(true);
    expect((await inertBehind()).some(Boolean)).to.equal(false);
    await page.close();
  });

  it('keeps the conversation when the patient moves to another page of the site in the same tab', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${app.url}/`);
    await page.locator('button[aria-controls="eczema-faq-chat-panel"]').click();
    const chat = page.frameLocator(`iframe[title="${TITLE}"]`);
    await chat.getByText('automated eczema information assistant').first().waitFor(WAIT);
    await say(chat, 'thank you');
    await chat.getByText('thank you', { exact: true }).first().waitFor(WAIT);
    await waitForActivities(chatFrame(page), 3);

    await page.goto(`${app.url}/?page=2`);
    await page.locator('button[aria-controls="eczema-faq-chat-panel"]').click();
    await page.frameLocator(`iframe[title="${TITLE}"]`).getByText('thank you', { exact: true }).first().waitFor(WAIT);
    const lines = await transcript(chatFrame(page));
    expect(lines.filter((l) => l.includes('automated eczema information assistant')), 'one welcome, not a new conversation').to.have.length(1);
    await page.close();
  });

  it('on a clinic site on another origin, under that site\'s own strict CSP: the widget shows, opens and chats', async () => {
    const page = await browser.context.newPage();
    const seen = watch(page);
    await page.goto(`${portal.origin}/clinic?bot=${encodeURIComponent(app.url)}`);
    const launcher = page.locator('button[aria-controls="eczema-faq-chat-panel"]');
    await launcher.waitFor(WAIT);
    // Styled through CSSOM, which the host's style-src 'self' allows: the clinic colour, bottom-left corner.
    const look = await launcher.evaluate((el) => {
      const style = getComputedStyle(el);
      return { background: style.backgroundColor, position: style.position, left: el.getBoundingClientRect().left };
    });
    expect(look).to.deep.equal({ background: 'rgb(122, 31, 92)', position: 'fixed', left: 20 });
    await launcher.click();
    const chat = page.frameLocator('iframe[title="Ask the clinic"]');
    await chat.getByText('automated eczema information assistant').first().waitFor(WAIT);
    await settled(chatFrame(page));
    await screenshot(page, 'widget-foreign-site.png');
    expect(seen.csp, 'no CSP violation on the host page or in the chat').to.deep.equal([]);
    await page.close();
  });

  it('in a patient portal on an allowed origin: the framed chat works, in the portal\'s locale and theme', async () => {
    const page = await browser.context.newPage();
    const seen = watch(page);
    await page.goto(`${portal.origin}/?chat=${encodeURIComponent(`${app.url}/embed?locale=en-GB&theme=dark`)}`);
    const chat = page.frameLocator('#chat');
    await chat.getByText('automated eczema information assistant').first().waitFor(WAIT);
    expectSources(await ask(chat, chatFrame(page), 'what is eczema'));
    expect(await chat.locator('body').getAttribute('class')).to.include('theme-dark');
    await screenshot(page, 'portal-allowed.png');
    expect(seen.csp).to.deep.equal([]);
    await page.close();
  });

  it('in a page on an origin that is not allowed: the browser refuses to show the chat', async () => {
    const page = await browser.context.newPage();
    const seen = watch(page);
    await page.goto(`${stranger.origin}/?chat=${encodeURIComponent(`${app.url}/embed`)}`);
    await page.waitForFunction(() => document.readyState === 'complete');
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    // Chromium replaces a refused frame with its error page: none of our chat is there.
    await frame.waitForLoadState();
    expect(await frame.locator('#webchat').count()).to.equal(0);
    expect(seen.csp.join('\n')).to.match(/frame-ancestors/);
    await screenshot(page, 'portal-refused.png');
    await page.close();
  });

  it('has no serious or critical accessibility violations (axe-core) on the widget page and the portal page', async () => {
    const demo = await browser.context.newPage();
    await demo.goto(`${app.url}/`);
    await demo.locator('button[aria-controls="eczema-faq-chat-panel"]').click();
    const widgetChat = demo.frameLocator(`iframe[title="${TITLE}"]`);
    await widgetChat.getByText('automated eczema information assistant').first().waitFor(WAIT);
    expectSources(await ask(widgetChat, chatFrame(demo), 'what is eczema'));
    const onHostPage = await seriousA11yViolations(demo);
    const inWidget = await seriousA11yViolations(chatFrame(demo));
    expect(onHostPage, describeViolations(onHostPage)).to.deep.equal([]);
    expect(inWidget, describeViolations(inWidget)).to.deep.equal([]);
    await demo.close();

    for (const theme of ['light', 'dark']) {
      const page = await browser.context.newPage();
      await page.goto(`${app.url}/embed?theme=${theme}`);
      await page.getByText('automated eczema information assistant').first().waitFor(WAIT);
      expectSources(await ask(page, page, 'what is eczema'));
      if (theme === 'dark') await screenshot(page, 'portal-dark.png');
      const violations = await seriousA11yViolations(page);
      expect(violations, `${theme}: ${describeViolations(violations)}`).to.deep.equal([]);
      await page.close();
    }
  });
});
