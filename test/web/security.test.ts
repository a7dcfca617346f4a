import { expect } from 'chai';
import { startWeb, type Running } from './harness.js';

const PORTAL = 'https://portal.example.org';
const CLINIC_SITE = 'https://www.clinic.example.org';

function directive(csp: string | null, name: string): string[] {
  const found = (csp ?? '').split(';').map((d) => d.trim().split(/\s+/)).find(([n]) => n === name);
  return found ? found.slice(1) : [];
}

describe('web security headers and embedding', () => {
  let s: Running;
  before(async () => {
    s = await startWeb({ ALLOWED_EMBED_ORIGINS: `${PORTAL}, ${CLINIC_SITE}` });
  });
  after(async () => {
    await s.close();
  });

  it('lets the chat page be framed by our own pages and the listed origins only', async () => {
    const res = await fetch(`${s.url}/embed`);
    expect(res.status).to.equal(200);
    const csp = res.headers.get('content-security-policy');
    expect(directive(csp, 'frame-ancestors')).to.have.members(["'self'", PORTAL, CLINIC_SITE]);
    // X-Frame-Options cannot name several origins and would contradict frame-ancestors.
    expect(res.headers.get('x-frame-options')).to.equal(null);
  });

  it('keeps every other page unframeable by other sites', async () => {
    const res = await fetch(`${s.url}/`);
    expect(directive(res.headers.get('content-security-policy'), 'frame-ancestors')).to.deep.equal(["'self'"]);
    expect(res.headers.get('x-frame-options')).to.equal('SAMEORIGIN');
  });

  it('allows scripts from our origin only and styles by per-response nonce, never unsafe-inline or eval', async () => {
    const first = await fetch(`${s.url}/embed`);
    const second = await fetch(`${s.url}/embed`);
    const csp = first.headers.get('content-security-policy');
    expect(directive(csp, 'script-src')).to.deep.equal(["'self'"]);
    expect(csp).not.to.include('unsafe-inline');
    expect(csp).not.to.include('unsafe-eval');
    const nonceOf = (value: string | null) => directive(value, 'style-src').find((v) => v.startsWith("'nonce-"));
    const nonce = nonceOf(csp);
    expect(nonce).to.be.a('string');
    expect(nonceOf(second.headers.get('content-security-policy'))).not.to.equal(nonce);
    // The page hands the same nonce to Web Chat, and has no inline script to execute.
    const html = await first.text();
    expect(html).to.include(`"nonce":"${nonce!.slice(7, -1)}"`);
    expect(html).not.to.match(/<script(?![^>]*\bsrc=)(?![^>]*type="application\/json")[^>]*>/);
    expect(first.headers.get('cache-control')).to.equal('no-store');
  });

  it('sends the usual hardening headers on every response', async () => {
    const res = await fetch(`${s.url}/widget.js`);
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(res.headers.get('referrer-policy')).to.equal('no-referrer');
    expect(res.headers.get('permissions-policy')).to.include('microphone=()');
    expect(res.headers.get('x-powered-by')).to.equal(null);
  });

  it('answers Direct Line calls from a listed origin with CORS headers, preflight included', async () => {
    const preflight = await fetch(`${s.url}/api/directline/token`, {
      method: 'OPTIONS',
      headers: { Origin: PORTAL, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get('access-control-allow-origin')).to.equal(PORTAL);
    expect(preflight.headers.get('access-control-allow-headers')).to.match(/authorization/i);
    const res = await fetch(`${s.url}/api/directline/token`, { method: 'POST', headers: { Origin: PORTAL } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('access-control-allow-origin')).to.equal(PORTAL);
  });

  it('refuses Direct Line calls from an origin that is not listed (403, no CORS header)', async () => {
    for (const path of ['/api/directline/token', '/v3/directline/tokens/generate', '/v3/directline/conversations']) {
      const res = await fetch(`${s.url}${path}`, { method: 'POST', headers: { Origin: 'https://evil.example.com' } });
      expect(res.status, path).to.equal(403);
      expect(res.headers.get('access-control-allow-origin'), path).to.equal(null);
    }
    const preflight = await fetch(`${s.url}/api/directline/token`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example.com', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).to.equal(403);
  });

  it('treats our own origin as same-origin (the chat page calls the routes with an Origin header)', async () => {
    const res = await fetch(`${s.url}/api/directline/token`, { method: 'POST', headers: { Origin: s.url } });
    expect(res.status).to.equal(200);
  });
});

describe('web security when only our own pages may embed', () => {
  let s: Running;
  before(async () => {
    s = await startWeb();
  });
  after(async () => {
    await s.close();
  });

  it("defaults frame-ancestors to 'self' and refuses every cross-origin caller", async () => {
    const res = await fetch(`${s.url}/embed`);
    expect(directive(res.headers.get('content-security-policy'), 'frame-ancestors')).to.deep.equal(["'self'"]);
    const cross = await fetch(`${s.url}/api/directline/token`, { method: 'POST', headers: { Origin: PORTAL } });
    expect(cross.status).to.equal(403);
  });

  it('does not upgrade requests on plain http (it would break a localhost install)', async () => {
    const res = await fetch(`${s.url}/embed`);
    expect(res.headers.get('content-security-policy')).not.to.include('upgrade-insecure-requests');
  });
});
