import { mkdtempSync, rmSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { controlFilePath } from '../../src/admin/control.js';
import { controlTarget, runStaffCli } from '../../src/admin/staffCli.js';
import { start, type RunningServer } from '../../src/server/index.js';
import { describeViolations, launchChromium, requireChromium, screenshot, seriousA11yViolations, watch, type Browser } from '../e2e/browser.js';

/**
 * The staff console in headless Chromium, on the real app: a patient's question declined in the widget is found
 * in the inbox, taught to an intent, and answered in the same chat without a restart; the analytics page draws its
 * charts; axe finds no serious or critical violation on the console's pages; a question carrying markup is text.
 */

const WAIT = { timeout: 30_000 };
const TITLE = 'Eczema questions';
const DECLINED = 'how do wet wraps work';
const MARKUP = '<img src=x onerror=alert(1)> where can I park my car';
const PASSWORD = 'a long enough staff password';

function chatFrame(page: Page): Frame {
  const frame = page.frames().find((f) => f.url().includes('/embed'));
  if (!frame) throw new Error('the chat iframe is not on the page');
  return frame;
}

async function transcript(frame: Frame): Promise<string[]> {
  return frame.locator('.webchat__basic-transcript__activity').evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).innerText));
}

/** Types a question in the widget and returns the bot's reply text. */
async function ask(chat: FrameLocator, frame: Frame, text: string): Promise<string> {
  const before = (await transcript(frame)).length;
  const input = chat.locator('[data-id="webchat-sendbox-input"]');
  await input.fill(text);
  await input.press('Enter');
  await frame.waitForFunction((n) => document.querySelectorAll('.webchat__basic-transcript__activity').length >= n, before + 2, WAIT);
  return (await transcript(frame)).slice(before + 1).join('\n');
}

async function expectAccessible(page: Page, what: string): Promise<void> {
  const violations = await seriousA11yViolations(page);
  expect(violations, `${what}:\n${describeViolations(violations)}`).to.deep.equal([]);
}

describe('browser: the staff console (real app, headless Chromium)', function () {
  this.timeout(180_000);
  let browser: Browser;
  let app: RunningServer;
  let dir: string;

  before(async function () {
    const executable = requireChromium(this);
    dir = mkdtempSync(join(tmpdir(), 'e2e-console-'));
    app = await start({
      // BOT_SDK: the CI runs this test on both bot SDKs (the chat goes through the edge's Direct Line adapter).
      env: { PATH: process.env.PATH, BOT_SDK: process.env.BOT_SDK, LOG_LEVEL: 'silent', DB_FILE: join(dir, 'db.json'), MODEL_FILE: join(dir, 'model.json') },
      config: { PORT: 0 },
      web: { DIRECT_LINE_SECRET: undefined },
    });
    // The account is made the way a clinic makes it: `npm run staff -- add`, while the bot runs.
    const stdin = new PassThrough();
    stdin.end(`${PASSWORD}\n`);
    const out: string[] = [];
    const code = await runStaffCli(['add', 'nurse.jo', '--password-stdin'], { stdin, stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => out.push(t) } }, async () => {
      const target = await controlTarget(controlFilePath(join(dir, 'db.json')));
      if (!target) throw new Error('the running bot has no control file');
      return target;
    });
    expect(code, out.join('')).to.equal(0);
    browser = await launchChromium(executable);
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('signs in, finds a question declined in the widget, teaches it, and the same chat gets that answer; charts draw; axe passes', async () => {
    const patient = await browser.context.newPage();
    await patient.goto(`${app.url}/`);
    await patient.locator('button[aria-controls="eczema-faq-chat-panel"]').click();
    const chat = patient.frameLocator(`iframe[title="${TITLE}"]`);
    await chat.getByText('automated eczema information assistant').first().waitFor(WAIT);
    const frame = chatFrame(patient);
    const declined = await ask(chat, frame, DECLINED);
    expect(declined, declined).to.match(/can[’']t answer/i);
    await ask(chat, frame, MARKUP);

    const staff = await browser.context.newPage();
    const seen = watch(staff);
    let dialogs = 0;
    staff.on('dialog', (d) => {
      dialogs += 1;
      void d.dismiss();
    });
    await staff.goto(`${app.url}/admin`);
    expect(new URL(staff.url()).pathname).to.equal('/admin/login');
    await expectAccessible(staff, 'sign-in page');
    await staff.getByLabel('Account name').fill('nurse.jo');
    await staff.getByLabel('Password').fill(PASSWORD);
    await staff.getByRole('button', { name: 'Sign in' }).click();
    await staff.waitForURL(/\/admin\/inbox$/, WAIT);

    const item = staff.locator('article.item').filter({ has: staff.getByRole('heading', { name: DECLINED, exact: true }) });
    await item.waitFor(WAIT);
    expect(await item.locator('.meta').innerText()).to.match(/webchat · Declined/);

    // The question with markup is shown as the characters the patient typed; nothing in it ran or rendered.
    const markup = staff.getByRole('heading', { name: MARKUP, exact: true });
    await markup.waitFor(WAIT);
    expect(await staff.locator('#items img').count()).to.equal(0);
    await expectAccessible(staff, 'inbox');
    await screenshot(staff, 'console-inbox.png');

    // Selecting questions offers to teach them together (one change for the guard).
    const select = item.getByRole('checkbox');
    await select.check();
    await staff.locator('#bulk-count').getByText('1 question selected').waitFor(WAIT);
    await select.uncheck();
    expect(await staff.locator('#bulk').isHidden()).to.equal(true);

    const moisturizers = app.core.content.entries.get('moisturizers')!.title;
    await item.getByLabel('Teach another intent').selectOption({ label: moisturizers });
    await item.getByRole('button', { name: 'Teach', exact: true }).click();
    await item.getByText(/^Learned: the bot now answers this question with/).waitFor({ timeout: 90_000 });
    expect(app.core.live.version).to.equal(1);

    // The same chat, no restart: the question now gets the moisturiser answer with its sources.
    const reply = await ask(chat, frame, DECLINED);
    const plain = (t: string) => t.replace(/[’‘]/g, "'");
    expect(plain(reply), reply).to.include(plain(moisturizers));
    expect(reply).to.include('Sources');

    for (const path of ['learned', 'audit', 'content', 'gaps']) {
      await staff.goto(`${app.url}/admin/${path}`);
      await staff.locator('#status').filter({ hasText: /\S/ }).waitFor(WAIT);
      await expectAccessible(staff, `${path} page`);
    }
    expect(await staff.locator('#audit, #content, #gaps').count()).to.equal(1);
    await staff.goto(`${app.url}/admin/audit`);
    await staff.getByRole('cell', { name: 'assigned' }).first().waitFor(WAIT);

    await staff.goto(`${app.url}/admin/analytics`);
    await staff.waitForFunction(() => document.body.getAttribute('data-charts') === '6', undefined, WAIT);
    const sizes = await staff.locator('canvas').evaluateAll((nodes) => nodes.map((n) => [(n as HTMLCanvasElement).width, (n as HTMLCanvasElement).height]));
    expect(sizes).to.have.length(6);
    for (const [w, h] of sizes) expect(w! * h!).to.be.greaterThan(0);
    const questions = await staff.locator('.totals div').filter({ hasText: /^Questions/ }).locator('dd').innerText();
    expect(Number(questions)).to.be.at.least(3);
    await expectAccessible(staff, 'analytics page');
    await screenshot(staff, 'console-analytics.png');

    expect(dialogs, 'no alert() ran').to.equal(0);
    expect(seen.csp, 'no Content-Security-Policy violation in the console').to.deep.equal([]);
    expect(seen.errors, 'no script errors in the console').to.deep.equal([]);
  });

  it('a "No, it did not help" in the widget asks what was missing; the reply is thanked with the clinic\'s number, stored redacted and shown as text by the vote', async () => {
    const patient = await browser.context.newPage();
    await patient.goto(`${app.url}/`);
    await patient.locator('button[aria-controls="eczema-faq-chat-panel"]').click();
    const chat = patient.frameLocator(`iframe[title="${TITLE}"]`);
    await chat.getByText('automated eczema information assistant').first().waitFor(WAIT);
    const frame = chatFrame(patient);
    await ask(chat, frame, 'how do moisturizers help eczema');
    const card = chat.locator('.ac-adaptiveCard').filter({ hasText: 'Sources' }).last();
    await card.waitFor(WAIT);
    const before = (await transcript(frame)).length;
    await card.getByRole('button', { name: 'No, it did not help' }).click();
    await frame.waitForFunction((n) => document.querySelectorAll('.webchat__basic-transcript__activity').length >= n, before + 1, WAIT);
    expect((await transcript(frame)).slice(before).join('\n')).to.match(/What was missing from the answer\?/);

    const missing = '<b>which ones</b> are safe for a baby, mail me at jo.parent@example.com or call 555-201-9876';
    const thanks = await ask(chat, frame, missing);
    expect(thanks).to.match(/Thank you, the clinic will read this/);
    // The clinic offered, as the escalation replies do: a button that calls its number, one that books.
    const thanksCard = chat.locator('.ac-adaptiveCard').filter({ hasText: 'Thank you, the clinic will read this' }).last();
    await thanksCard.locator('.ac-pushButton[aria-label="Call Demo Dermatology Clinic (+1 555 010 0199)"]').waitFor(WAIT);
    await thanksCard.locator('.ac-pushButton[aria-label="Book a visit"]').waitFor(WAIT);

    const [vote] = await app.records.list('feedback');
    expect(vote).to.include({ helpful: false, inbox: 'not-helpful', comment: '<b>which ones</b> are safe for a baby, mail me at [EMAIL] or call [PHONE]' });
    await patient.close();

    const staff = await browser.context.newPage();
    await staff.goto(`${app.url}/admin/inbox`);
    if (new URL(staff.url()).pathname === '/admin/login') {
      await staff.getByLabel('Account name').fill('nurse.jo');
      await staff.getByLabel('Password').fill(PASSWORD);
      await staff.getByRole('button', { name: 'Sign in' }).click();
      await staff.waitForURL(/\/admin\/inbox$/, WAIT);
    }
    const item = staff.locator('article.item').filter({ hasText: 'A vote on' }).filter({ hasText: 'what was missing' }).first();
    await item.waitFor(WAIT);
    // The patient's words beside the vote, as the characters typed: the markup did not render.
    expect(await item.locator('q.comment').innerText()).to.equal(vote!.comment);
    expect(await item.locator('b').count()).to.equal(0);
    await expectAccessible(staff, 'inbox with a comment');
    await staff.close();
  });
});
