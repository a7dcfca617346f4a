import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { projectRoot } from '../../src/paths.js';

/**
 * Headless Chromium for the browser tests (Debian's package; `npx playwright install` cannot download here).
 * Without a browser the tests skip with one line, unless E2E=required (CI), where a missing browser fails.
 */

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const artifactsDir = join(projectRoot, 'test-artifacts');

export function chromiumPath(): string | undefined {
  const candidate = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  return existsSync(candidate) ? candidate : undefined;
}

let skipNoticePrinted = false;

/** The browser's path, or skip the suite (one printed line) — or fail it when E2E=required. */
export function requireChromium(ctx: Mocha.Context): string {
  const path = chromiumPath();
  if (path) return path;
  const where = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (process.env.E2E === 'required') throw new Error(`E2E=required but there is no Chromium at ${where} (set CHROMIUM_PATH)`);
  if (!skipNoticePrinted) {
    console.log(`    browser tests skipped: no Chromium at ${where} (install chromium or set CHROMIUM_PATH; E2E=required makes this fail)`);
    skipNoticePrinted = true;
  }
  ctx.skip();
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile per run, so no cache, storage or service worker carries over between runs. */
export async function launchChromium(executablePath: string): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface PageWatch {
  /** Console errors mentioning Content Security Policy, from the page and its frames. */
  csp: string[];
  errors: string[];
}

export function watch(page: Page): PageWatch {
  const seen: PageWatch = { csp: [], errors: [] };
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (/Content Security Policy/i.test(text)) seen.csp.push(text);
    else seen.errors.push(text);
  });
  page.on('pageerror', (error) => seen.errors.push(error.message));
  return seen;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, name);
  await page.screenshot({ path });
  return path;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core run inside the page as it is (evaluated through the DevTools protocol, so the page's CSP, which
 * forbids inline script, stays on). Returns the serious and critical violations only.
 */
export async function seriousA11yViolations(target: Page | Frame): Promise<AxeViolation[]> {
  await target.evaluate(axeSource);
  const violations = await target.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n');
}

export interface Site {
  origin: string;
  close(): Promise<void>;
}

/**
 * A second local web server = another origin: the "portal" that frames our chat page. The page frames whatever
 * `?chat=` names, so the site can start before the bot server whose allowed origins must include it.
 */
export async function serveFramingPage(heading: string): Promise<Site> {
  const app = express();
  app.get('/', (req, res) => {
    const chatUrl = String(req.query.chat ?? '').replace(/[^A-Za-z0-9:/?&=._%-]/g, '');
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${heading}</title></head>
<body style="margin:0;font-family:sans-serif;background:#eef2f5">
<h1 style="margin:0;padding:12px 16px;background:#213547;color:#fff;font-size:18px">${heading}</h1>
<iframe id="chat" src="${chatUrl}" title="Eczema questions" style="display:block;width:100%;height:640px;border:0"></iframe>
</body></html>`);
  });
  // A clinic page with the widget tag, under a strict CSP of its own: no inline styles, scripts and frames only
  // from the bot's origin. The widget must still look and work right there.
  app.get('/clinic', (req, res) => {
    const bot = new URL(String(req.query.bot ?? '')).origin;
    res.set('Content-Security-Policy', `default-src 'self'; script-src ${bot}; frame-src ${bot}; style-src 'self'; img-src 'self'`);
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${heading}</title></head>
<body><main><h1>${heading}</h1><p>A clinic page on another site.</p></main>
<script src="${bot}/widget.js" data-title="Ask the clinic" data-position="left" data-primary-color="#7a1f5c"></script>
</body></html>`);
  });
  // A clinic page with the widget whose theme is set by data-theme on <html> (?html=), <body> (?body=), an element
  // holding the widget's tag (?container=) or the tag itself (?script=), each optional; a dark page is dark itself.
  app.get('/themed', (req, res) => {
    const bot = new URL(String(req.query.bot ?? '')).origin;
    const attr = (name: string) => {
      const value = String(req.query[name] ?? '');
      return value === 'dark' || value === 'light' ? ` data-theme="${value}"` : '';
    };
    const darkPage = req.query.html === 'dark' || req.query.body === 'dark';
    res.type('html').send(`<!doctype html><html lang="en"${attr('html')}><head><meta charset="utf-8"><title>${heading}</title>
<style>body{font-family:sans-serif;margin:24px;${darkPage ? 'background:#15171a;color:#e8e6e3' : 'background:#ffffff;color:#1b1b1b'}}</style></head>
<body${attr('body')}><main><h1>${heading}</h1><p>A clinic page with a theme of its own.</p></main>
${req.query.container ? `<div${attr('container')}><script src="${bot}/widget.js"${attr('script')}></script></div>` : `<script src="${bot}/widget.js"${attr('script')}></script>`}
</body></html>`);
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
