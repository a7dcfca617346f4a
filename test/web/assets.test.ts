import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { startWeb, type Running } from './harness.js';

/** Raw HTTP, because fetch would decompress the body and hide what went over the wire. */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function webChatFile(): Buffer {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve('botframework-webchat'));
  const isPackageRoot = (d: string) => existsSync(join(d, 'package.json')) && readFileSync(join(d, 'package.json'), 'utf8').includes('"name": "botframework-webchat"');
  while (!isPackageRoot(dir)) dir = dirname(dir);
  return readFileSync(join(dir, 'dist', 'webchat.js'));
}

describe('web assets', () => {
  let s: Running;
  let bundlePath: string;
  before(async () => {
    s = await startWeb({ WIDGET_TITLE: 'Ask Riverside Skin', WIDGET_PRIMARY_COLOR: '#7a1f5c', WIDGET_POSITION: 'left' });
    const html = await (await fetch(`${s.url}/embed`)).text();
    bundlePath = /<script src="(\/vendor\/webchat-[^"]+\.js)"/.exec(html)![1]!;
  });
  after(async () => {
    await s.close();
  });

  it('serves the full Web Chat bundle from our origin, compressed and cacheable for a year', async () => {
    const original = webChatFile();
    const gz = await rawGet(`${s.url}${bundlePath}`, { 'Accept-Encoding': 'gzip' });
    expect(gz.status).to.equal(200);
    expect(gz.headers['content-encoding']).to.equal('gzip');
    expect(gz.headers['content-type']).to.match(/javascript/);
    expect(gz.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    expect(gz.headers.vary).to.match(/accept-encoding/i);
    expect(gz.body.length).to.be.below(original.length / 3);
    expect(gunzipSync(gz.body).equals(original)).to.equal(true);

    const br = await rawGet(`${s.url}${bundlePath}`, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).to.equal('br');
    expect(br.body.length).to.be.below(gz.body.length);
    expect(brotliDecompressSync(br.body).equals(original)).to.equal(true);

    const plain = await rawGet(`${s.url}${bundlePath}`);
    expect(plain.headers['content-encoding']).to.equal(undefined);
    expect(plain.body.equals(original)).to.equal(true);
  });

  it('answers a revalidation of the bundle with 304 and no body', async () => {
    const first = await rawGet(`${s.url}${bundlePath}`, { 'Accept-Encoding': 'gzip' });
    const again = await rawGet(`${s.url}${bundlePath}`, { 'Accept-Encoding': 'gzip', 'If-None-Match': String(first.headers.etag) });
    expect(again.status).to.equal(304);
    expect(again.body.length).to.equal(0);
  });

  it('serves widget.js for other sites to load, with the clinic defaults written in', async () => {
    const res = await rawGet(`${s.url}/widget.js`, { 'Accept-Encoding': 'gzip' });
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/javascript/);
    // A clinic's page on another origin loads it with a plain script tag.
    expect(res.headers['cross-origin-resource-policy']).to.equal('cross-origin');
    expect(res.headers['cache-control']).to.equal('public, max-age=300');
    const source = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(res.body) : res.body).toString('utf8');
    expect(source).to.include('"title":"Ask Riverside Skin"');
    expect(source).to.include('"primaryColor":"#7a1f5c"');
    expect(source).to.include('"position":"left"');
    expect(source).not.to.include('var DEFAULTS = {};');
  });

  it('serves the demo clinic page with the widget script tag on it', async () => {
    const res = await fetch(`${s.url}/`);
    expect(res.status).to.equal(200);
    const html = await res.text();
    expect(html).to.include('Test Clinic');
    expect(html).to.match(/<script src="\/widget\.js" data-title="Ask Riverside Skin"/);
  });

  it('takes portal options from the query, and falls back to the defaults for malformed ones', async () => {
    const good = await (await fetch(`${s.url}/embed?locale=en-GB&theme=dark`)).text();
    expect(good).to.include('<html lang="en">');
    expect(good).to.include('class="theme-dark mode-portal"');
    expect(good).to.include('"locale":"en-GB"');
    // The answers are English: a German page would be read to a screen-reader user with a German voice.
    const german = await (await fetch(`${s.url}/embed?locale=de-DE`)).text();
    expect(german).to.include('<html lang="en">');
    expect(german).to.include('"locale":"en-US"');
    const bad = await (await fetch(`${s.url}/embed?locale=%3Cscript%3E&theme=neon&color=red&title=${'x'.repeat(200)}`)).text();
    expect(bad).to.include('"locale":"en-US"');
    expect(bad).to.include('class="theme-light mode-portal"');
    expect(bad).to.include('"primaryColor":"#7a1f5c"');
    expect(bad).to.include('<h1>Ask Riverside Skin</h1>');
    const auto = await (await fetch(`${s.url}/embed?theme=auto`)).text();
    expect(auto).to.include('class="theme-auto mode-portal"');
  });

  it('gives the chat page the numbers its outage notice names, and where to check that the server is back', async () => {
    const html = await (await fetch(`${s.url}/embed`)).text();
    const config = JSON.parse(/<script type="application\/json" id="chat-config">([^<]*)<\/script>/.exec(html)![1]!) as Record<string, unknown>;
    expect(config.clinic).to.deep.include({ name: 'Test Clinic', emergencyNumber: '911' });
    expect(config.readyUrl).to.equal('/readyz');
    expect(html).to.include('<div id="chat-outage" class="chat-outage" role="alert" hidden></div>');
  });

  it('escapes whatever a host page passes as the widget title', async () => {
    const html = await (await fetch(`${s.url}/embed?mode=widget&title=${encodeURIComponent('</script><img src=x onerror=alert(1)>')}`)).text();
    expect(html).not.to.include('<img src=x');
    expect(html).to.include('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).to.include('\\u003c/script\\u003e');
  });

  it('serves the page scripts and styles from /static', async () => {
    for (const file of ['embed.js', 'embed.css', 'demo.css']) {
      const res = await fetch(`${s.url}/static/${file}`);
      expect(res.status, file).to.equal(200);
    }
  });
});
