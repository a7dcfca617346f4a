import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { start, type RunningServer } from '../../src/server/index.js';
import { startWeb, type Running } from './harness.js';

/**
 * /privacy and /terms, the pages the Teams package names by default: served from configuration (clinic, contact,
 * the store's retention), escaped, under the same security headers as the other pages.
 */
describe('privacy and terms pages', function () {
  this.timeout(60_000);
  const clinicName = 'Skin <script>alert(1)</script> & "Co"';
  let app: RunningServer;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'legal-pages-'));
    app = await start({
      env: {
        PATH: process.env.PATH,
        LOG_LEVEL: 'silent',
        DB_FILE: join(dir, 'db.json'),
        CLINIC_NAME: clinicName,
        CLINIC_PHONE: '+44 20 7946 0018',
        CLINIC_EMAIL: 'eczema@skin.example.org',
        CLINIC_ADDRESS: '1 High Street, Leeds <LS1 1AA>',
        EMERGENCY_NUMBER: '999',
        RETENTION_DAYS: '30',
        DIRECT_LINE_CONVERSATION_IDLE_MINUTES: '45',
      },
      config: { PORT: 0 },
      web: { DIRECT_LINE_SECRET: undefined },
    });
  });
  after(async () => {
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const get = async (path: string) => {
    const res = await fetch(`${app.url}${path}`);
    return { res, body: await res.text() };
  };

  it('privacy: 200 with the configured clinic (escaped), contact, retention days and what is and is not kept', async () => {
    const { res, body } = await get('/privacy');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    expect(body).to.contain('Skin &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
    expect(body).not.to.contain('<script>');
    expect(body).to.contain('deleted after 30 days');
    expect(body).to.contain('dropped after 45 minutes without activity');
    expect(body).to.match(/Names, email addresses, phone numbers, dates, street addresses and record numbers are removed/);
    expect(body).to.match(/the language your message was in/);
    expect(body).to.match(/Your name, your account or your patient record/);
    expect(body).to.contain('href="tel:+442079460018">+44 20 7946 0018</a>');
    expect(body).to.contain('href="mailto:eczema@skin.example.org"');
    expect(body).to.contain('1 High Street, Leeds &lt;LS1 1AA&gt;');
  });

  it('terms: 200 with the clinic (escaped), not a diagnosis service, emergencies to the emergency number', async () => {
    const { res, body } = await get('/terms');
    expect(res.status).to.equal(200);
    expect(body).to.contain('Skin &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;');
    expect(body).not.to.contain('<script>');
    expect(body).to.match(/does not diagnose/);
    expect(body).to.contain('call <a href="tel:999">999</a> now');
    expect(body).to.contain('href="/privacy"');
  });

  it('carries the same security headers as the other pages', async () => {
    const names = ['content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy', 'permissions-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy', 'strict-transport-security'];
    const home = (await get('/')).res.headers;
    for (const path of ['/privacy', '/terms']) {
      const headers = (await get(path)).res.headers;
      // The style nonce is fresh on every response; the rest of each header is the same.
      const same = (value: string | null) => value?.replace(/'nonce-[^']+'/, "'nonce-…'");
      for (const name of names) expect(same(headers.get(name)), `${path} ${name}`).to.equal(same(home.get(name)));
      expect(headers.get('content-security-policy')).to.contain("script-src 'self'");
    }
  });

  it('the demo page links to both', async () => {
    const { body } = await get('/');
    expect(body).to.contain('<a href="/privacy">Privacy</a>');
    expect(body).to.contain('<a href="/terms">Terms of use</a>');
  });

  describe('with only the defaults', () => {
    let web: Running;
    before(async () => {
      web = await startWeb();
    });
    after(() => web.close());

    it('names no email or address the clinic did not configure', async () => {
      const body = await (await fetch(`${web.url}/privacy`)).text();
      expect(body).to.contain('Phone:');
      expect(body).not.to.contain('Email:');
      expect(body).not.to.contain('Address:');
      expect(body).to.contain('deleted after 90 days');
    });
  });
});
