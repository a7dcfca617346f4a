import { Writable } from 'node:stream';
import { expect } from 'chai';
import { pino } from 'pino';
import { ACCOUNT_PREFIX } from '../../src/admin/accounts.js';
import { form, PASSWORD, signIn, startConsole, type Console } from './harness.js';

/** The console's security promises, over HTTP as a browser or an attacker would meet them. */
describe('staff console: security', function () {
  this.timeout(60_000);
  let console_: Console;

  beforeEach(async () => {
    console_ = await startConsole();
  });
  afterEach(async () => {
    await console_.close();
  });

  it('is off (404) until an account exists, for pages, sign-in and APIs alike', async () => {
    for (const path of ['/admin', '/admin/login', '/admin/inbox', '/admin/api/inbox', '/admin/assets/console.js']) {
      expect((await fetch(`${console_.url}${path}`, { redirect: 'manual' })).status, path).to.equal(404);
    }
    expect((await form(console_.url, { username: 'alice', password: PASSWORD })).status).to.equal(404);
    await console_.admin.accounts.add('alice', PASSWORD);
    console_.admin.accountsChanged();
    expect((await fetch(`${console_.url}/admin/login`)).status).to.equal(200);
  });

  describe('with an account', () => {
    beforeEach(async () => {
      await console_.admin.accounts.add('alice', PASSWORD);
      console_.admin.accountsChanged();
    });

    it('answers 401 to anonymous API calls and sends anonymous pages to the sign-in page', async () => {
      for (const path of ['/admin/api/inbox', '/admin/api/stats', '/admin/api/session', '/admin/api/audit', '/admin/api/export.csv?from=2026-01-01&to=2026-01-02']) {
        expect((await fetch(`${console_.url}${path}`)).status, path).to.equal(401);
      }
      const post = await fetch(`${console_.url}/admin/api/inbox/x/dismiss`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(post.status).to.equal(401);
      for (const path of ['/admin', '/admin/inbox', '/admin/analytics', '/admin/content', '/admin/audit']) {
        const res = await fetch(`${console_.url}${path}`, { redirect: 'manual' });
        expect(res.status, path).to.equal(303);
        expect(res.headers.get('location'), path).to.match(/^\/admin\/(login|inbox)$/);
      }
      const login = await fetch(`${console_.url}/admin/inbox`);
      expect(await login.text()).to.include('<form method="post" action="/admin/login">');
    });

    it('signs in with 303 and a session cookie that is HttpOnly, SameSite=Strict, path /admin, with an expiry', async () => {
      const res = await form(console_.url, { username: 'Alice', password: PASSWORD });
      expect(res.status).to.equal(303);
      expect(res.headers.get('location')).to.equal('/admin/inbox');
      const cookie = res.headers.get('set-cookie') ?? '';
      expect(cookie).to.match(/^staff_session=/);
      expect(cookie).to.match(/HttpOnly/i);
      expect(cookie).to.match(/SameSite=Strict/i);
      expect(cookie).to.match(/Path=\/admin/);
      expect(cookie).to.match(/Expires=/);
      // Plain http here: a Secure cookie would never come back.
      expect(cookie).not.to.match(/Secure/i);
      const staff = await signIn(console_.url, 'alice');
      const session = await (await staff.get('/admin/api/session')).json();
      expect(session.user).to.equal('alice');
      expect(session.csrfToken).to.be.a('string').with.length.greaterThan(20);
    });

    it('marks the cookie Secure when a trusted proxy says the request came over https', async () => {
      const proxied = await startConsole({ trustProxyHops: 1 });
      try {
        await proxied.admin.accounts.add('alice', PASSWORD);
        proxied.admin.accountsChanged();
        const res = await form(proxied.url, { username: 'alice', password: PASSWORD }, { 'x-forwarded-proto': 'https' });
        expect(res.status).to.equal(303);
        expect(res.headers.get('set-cookie')).to.match(/;\s*Secure/i);
      } finally {
        await proxied.close();
      }
    });

    it('answers 401 to a wrong password or an unknown account, with the sign-in page again', async () => {
      const wrong = await form(console_.url, { username: 'alice', password: 'not the password at all' });
      expect(wrong.status).to.equal(401);
      expect(wrong.headers.get('set-cookie')).to.equal(null);
      expect(await wrong.text()).to.include('Wrong account name or password');
      expect((await form(console_.url, { username: 'mallory', password: PASSWORD })).status).to.equal(401);
      expect((await form(console_.url, { username: '', password: '' })).status).to.equal(401);
    });

    it('refuses a change without the CSRF token (403), with a wrong one (403), and accepts the right one', async () => {
      const staff = await signIn(console_.url, 'alice');
      const record = await console_.store.records.append('unanswered', { channel: 'webchat', intent: null, text: 'is laser good', reason: 'low-confidence', inbox: 'declined', status: 'open' });
      const path = `/admin/api/inbox/${record.id}/dismiss`;
      const without = await fetch(`${console_.url}${path}`, { method: 'POST', headers: { cookie: staff.cookie, 'content-type': 'application/json' }, body: '{}' });
      expect(without.status).to.equal(403);
      expect((await without.json()).error).to.match(/CSRF/);
      expect((await staff.post(path, {}, { 'x-csrf-token': 'forged' })).status).to.equal(403);
      expect((await console_.store.records.get(record.id))?.status).to.equal('open');
      const ok = await staff.post(path);
      expect(ok.status).to.equal(200);
      expect((await console_.store.records.get(record.id))?.status).to.equal('dismissed');
      // Sign-out is a change too.
      expect((await fetch(`${console_.url}/admin/logout`, { method: 'POST', headers: { cookie: staff.cookie } })).status).to.equal(403);
    });

    it('answers 429 after 10 failures from one address, even to the right password, and counts successes as nothing', async () => {
      expect((await form(console_.url, { username: 'alice', password: PASSWORD })).status).to.equal(303);
      for (let i = 0; i < 10; i++) {
        expect((await form(console_.url, { username: `guess${i}`, password: `wrong password ${i}` })).status, `failure ${i + 1}`).to.equal(401);
      }
      const locked = await form(console_.url, { username: 'alice', password: PASSWORD });
      expect(locked.status).to.equal(429);
      expect(locked.headers.get('retry-after')).to.equal('900');
      expect(await locked.text()).to.include('Too many failed sign-ins');
    });

    it('answers 429 after 10 failures on one account, whatever address they come from, for 15 minutes', async () => {
      const proxied = await startConsole({ trustProxyHops: 1 });
      try {
        await proxied.admin.accounts.add('alice', PASSWORD);
        await proxied.admin.accounts.add('bob', PASSWORD);
        proxied.admin.accountsChanged();
        for (let i = 0; i < 10; i++) {
          const res = await form(proxied.url, { username: 'alice', password: `guess ${i}` }, { 'x-forwarded-for': `203.0.113.${i + 1}` });
          expect(res.status).to.equal(401);
        }
        expect((await form(proxied.url, { username: 'alice', password: PASSWORD }, { 'x-forwarded-for': '198.51.100.7' })).status).to.equal(429);
        // Another account from a fresh address is not locked.
        expect((await form(proxied.url, { username: 'bob', password: PASSWORD }, { 'x-forwarded-for': '198.51.100.8' })).status).to.equal(303);
      } finally {
        await proxied.close();
      }
    });

    it('never lets the console be framed or cached: pages, sign-in, APIs and assets', async () => {
      const staff = await signIn(console_.url, 'alice');
      const responses = [
        await fetch(`${console_.url}/admin/login`),
        await form(console_.url, { username: 'alice', password: 'wrong wrong wrong' }),
        await staff.get('/admin/inbox'),
        await staff.get('/admin/analytics'),
        await staff.get('/admin/api/inbox'),
        await staff.get('/admin/assets/console.js'),
      ];
      for (const res of responses) {
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp, res.url).to.include("frame-ancestors 'none'");
        expect(csp, res.url).to.include("script-src 'self'");
        expect(csp, res.url).not.to.include('unsafe-inline');
        expect(res.headers.get('x-frame-options'), res.url).to.equal('DENY');
        expect(res.headers.get('cache-control'), res.url).to.equal('no-store');
        expect(res.headers.get('x-content-type-options'), res.url).to.equal('nosniff');
      }
    });

    it('ends a session after the idle time, and after the absolute limit even when it is used', async () => {
      const staff = await signIn(console_.url, 'alice');
      expect((await staff.get('/admin/api/inbox')).status).to.equal(200);
      console_.advance(31 * 60_000);
      expect((await staff.get('/admin/api/inbox')).status).to.equal(401);

      const long = await startConsole({ config: { STAFF_SESSION_IDLE_MINUTES: 24 * 60, STAFF_SESSION_MAX_HOURS: 1 } });
      try {
        await long.admin.accounts.add('alice', PASSWORD);
        long.admin.accountsChanged();
        const s = await signIn(long.url, 'alice');
        long.advance(50 * 60_000);
        expect((await s.get('/admin/api/inbox')).status).to.equal(200);
        long.advance(11 * 60_000);
        expect((await s.get('/admin/api/inbox')).status).to.equal(401);
      } finally {
        await long.close();
      }
    });

    it('signs out: the cookie stops working', async () => {
      const staff = await signIn(console_.url, 'alice');
      expect((await staff.post('/admin/logout')).status).to.equal(204);
      expect((await staff.get('/admin/api/inbox')).status).to.equal(401);
    });

    it('ends the sessions of a removed account', async () => {
      const staff = await signIn(console_.url, 'alice');
      await console_.admin.accounts.add('bob', PASSWORD);
      await console_.admin.accounts.remove('alice');
      expect((await staff.get('/admin/api/inbox')).status).to.equal(401);
    });

    it('answers malformed requests with 4xx, never 500', async () => {
      const staff = await signIn(console_.url, 'alice');
      expect((await staff.get('/admin/api/inbox?from=yesterday')).status).to.equal(400);
      expect((await staff.get('/admin/api/inbox?cursor=%00%00')).status).to.be.within(400, 499);
      expect((await staff.get('/admin/api/stats?days=-3')).status).to.equal(400);
      expect((await staff.post('/admin/api/inbox/nope/assign', { intent: 'dupilumab' })).status).to.equal(404);
      expect((await staff.post('/admin/api/inbox/nope/assign', { intent: 42 })).status).to.equal(400);
      const broken = await fetch(`${console_.url}/admin/api/inbox/x/assign`, {
        method: 'POST',
        headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf, 'content-type': 'application/json' },
        body: '{"intent":',
      });
      expect(broken.status).to.equal(400);
      expect((await staff.get('/admin/api/export.csv?from=2026-02-01&to=2026-01-01')).status).to.equal(400);
    });
  });

  it('stores only an Argon2id hash and never logs the password', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logged = await startConsole({ logger: pino({ level: 'trace' }, sink) });
    try {
      await logged.admin.accounts.add('carol', PASSWORD);
      logged.admin.accountsChanged();
      const doc = (await logged.store.documents.read([`${ACCOUNT_PREFIX}carol`]))[`${ACCOUNT_PREFIX}carol`]!;
      expect(String(doc.passwordHash)).to.match(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(JSON.stringify(doc)).not.to.include(PASSWORD);
      await signIn(logged.url, 'carol');
      await form(logged.url, { username: PASSWORD, password: PASSWORD });
      const all = lines.join('') + JSON.stringify(logged.store.records.all());
      expect(all).not.to.include(PASSWORD);
    } finally {
      await logged.close();
    }
  });
});
