import { escapeHtml } from '../web/pages.js';

/**
 * The console's HTML: a shell per page, with no inline script or style (the staff CSP forbids both). What the page
 * shows is fetched from /admin/api by /admin/assets/console.js and put in the page with textContent, so a patient's
 * text is always shown as text.
 */

export const PAGES = [
  { path: 'inbox', title: 'Inbox' },
  { path: 'gaps', title: 'Content gaps' },
  { path: 'analytics', title: 'Analytics' },
  { path: 'content', title: 'Content review' },
  { path: 'learned', title: 'Taught wordings' },
  { path: 'audit', title: 'Audit log' },
] as const;
export type PageName = (typeof PAGES)[number]['path'];

function layout(options: { title: string; clinicName: string; body: string; scripts: string[]; page: string }): string {
  const scripts = options.scripts.map((src) => `<script src="${escapeHtml(src)}" defer></script>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(options.title)} · ${escapeHtml(options.clinicName)} staff console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/admin/assets/console.css">
${scripts}
</head>
<body data-page="${escapeHtml(options.page)}">
${options.body}
</body>
</html>
`;
}

export function renderLoginPage(options: { clinicName: string; message?: string; username?: string }): string {
  const message = options.message ? `<p class="error" role="alert">${escapeHtml(options.message)}</p>` : '';
  return layout({
    title: 'Sign in',
    clinicName: options.clinicName,
    page: 'login',
    scripts: [],
    body: `<main class="login">
<h1>${escapeHtml(options.clinicName)}<span class="sub">Staff console</span></h1>
${message}
<form method="post" action="/admin/login">
<label for="username">Account name</label>
<input id="username" name="username" autocomplete="username" required maxlength="64" value="${escapeHtml(options.username ?? '')}" autocapitalize="none" spellcheck="false">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
<button type="submit">Sign in</button>
</form>
<p class="hint">Accounts are created on the bot's machine with <code>npm run staff -- add NAME</code>.</p>
</main>`,
  });
}

const PAGE_BODIES: Record<PageName, string> = {
  inbox: `<h1>Inbox</h1>
<p class="lead">What the bot could not answer well. Teach it an intent, mark a question off-topic or as a content gap, or dismiss it.</p>
<form id="filters" class="filters" aria-label="Filter the inbox">
<div><label for="f-reason">Reason</label><select id="f-reason" name="reason">
<option value="">Any reason</option><option value="declined">Declined</option><option value="did-you-mean">Did you mean</option>
<option value="low-confidence">Low-confidence answer</option><option value="not-helpful">Not helpful (feedback)</option>
<option value="handoff">Asked for a person</option><option value="escalation">Escalation (audit)</option></select></div>
<div><label for="f-status">State</label><select id="f-status" name="status">
<option value="open">Open</option><option value="assigned">Taught an intent</option><option value="off-topic">Off-topic</option>
<option value="needs-content">Needs new content</option><option value="dismissed">Dismissed</option><option value="all">All</option></select></div>
<div><label for="f-intent">Intent</label><select id="f-intent" name="intent"><option value="">Any intent</option></select></div>
<div><label for="f-from">From</label><input id="f-from" name="from" type="date"></div>
<div><label for="f-to">To</label><input id="f-to" name="to" type="date"></div>
<div class="actions"><button type="submit">Show</button></div>
</form>
<p id="status" class="status" role="status" aria-live="polite"></p>
<div id="bulk" class="bulk" hidden>
<p id="bulk-count"></p>
<label for="bulk-intent">Teach the selected questions</label>
<select id="bulk-intent"><option value="">Choose an intent…</option></select>
<button type="button" id="bulk-teach">Teach selected</button>
<button type="button" id="bulk-off-topic" class="off-topic">Selected are off-topic</button>
<p id="bulk-result" class="result" role="status"></p>
</div>
<div id="items" class="items"></div>
<p><button type="button" id="more" hidden>Show older</button></p>`,
  gaps: `<h1>Content gaps</h1>
<p class="lead">Questions staff marked "needs new content": what patients ask that the knowledge base does not answer yet.</p>
<p><a id="gaps-csv" href="/admin/api/content-gaps.csv" download>Download as CSV</a></p>
<p id="status" class="status" role="status" aria-live="polite"></p>
<div id="gaps"></div>`,
  analytics: `<h1>Analytics</h1>
<form id="range" class="filters" aria-label="Period">
<div><label for="days">Period</label><select id="days" name="days">
<option value="1">Last 24 hours (today)</option><option value="7">Last 7 days</option><option value="30" selected>Last 30 days</option><option value="90">Last 90 days</option></select></div>
<div class="actions"><button type="submit">Show</button></div>
</form>
<p id="status" class="status" role="status" aria-live="polite"></p>
<section aria-labelledby="h-totals"><h2 id="h-totals">In this period</h2><dl id="totals" class="totals"></dl></section>
<div class="charts">
<section class="chart" aria-labelledby="h-daily"><h2 id="h-daily">Questions and conversations per day</h2><div class="canvas"><canvas id="c-daily" role="img" aria-label="Questions and conversations per day"></canvas></div></section>
<section class="chart" aria-labelledby="h-outcomes"><h2 id="h-outcomes">Answered, did you mean, declined</h2><div class="canvas"><canvas id="c-outcomes" role="img" aria-label="Outcomes per day"></canvas></div></section>
<section class="chart" aria-labelledby="h-escalations"><h2 id="h-escalations">Escalations by level</h2><div class="canvas"><canvas id="c-escalations" role="img" aria-label="Escalations by level"></canvas></div></section>
<section class="chart" aria-labelledby="h-intents"><h2 id="h-intents">Top intents answered</h2><div class="canvas"><canvas id="c-intents" role="img" aria-label="Top intents"></canvas></div></section>
<section class="chart" aria-labelledby="h-feedback"><h2 id="h-feedback">Feedback and handoffs</h2><div class="canvas"><canvas id="c-feedback" role="img" aria-label="Feedback and handoffs per day"></canvas></div></section>
<section class="chart" aria-labelledby="h-channels"><h2 id="h-channels">By channel</h2><div class="canvas"><canvas id="c-channels" role="img" aria-label="Questions by channel"></canvas></div></section>
</div>
<section aria-labelledby="h-table"><h2 id="h-table">The figures per day</h2><div id="table"></div></section>
<section aria-labelledby="h-export"><h2 id="h-export">Export records</h2>
<form id="export" class="filters" method="get" action="/admin/api/export.csv">
<div><label for="x-from">From</label><input id="x-from" name="from" type="date" required></div>
<div><label for="x-to">To</label><input id="x-to" name="to" type="date" required></div>
<div class="actions"><button type="submit">Download CSV</button></div>
</form></section>`,
  content: `<h1>Content review</h1>
<p class="lead">Every knowledge-base entry with the date a clinician last reviewed it and its sources. Entries not reviewed for 12 months are flagged.</p>
<p id="status" class="status" role="status" aria-live="polite"></p>
<div id="content"></div>`,
  learned: `<h1>Taught wordings</h1>
<p class="lead">Wordings staff taught the bot here. The bot trains on them on top of <code>intents/</code>; they are copied into <code>intents/</code> only when an operator runs <code>npm run staff -- export-learned</code>.</p>
<p id="status" class="status" role="status" aria-live="polite"></p>
<div id="learned"></div>
<h2>Recent retrains</h2>
<div id="jobs"></div>`,
  audit: `<h1>Audit log</h1>
<p class="lead">Who did what in the console, newest first.</p>
<p id="status" class="status" role="status" aria-live="polite"></p>
<div id="audit"></div>
<p><button type="button" id="more" hidden>Show older</button></p>`,
};

export function renderConsolePage(options: { page: PageName; clinicName: string; user: string }): string {
  const page = PAGES.find((p) => p.path === options.page)!;
  const nav = PAGES.map(
    (p) => `<li><a href="/admin/${p.path}"${p.path === options.page ? ' aria-current="page"' : ''}>${escapeHtml(p.title)}</a></li>`,
  ).join('');
  const scripts = options.page === 'analytics' ? ['/admin/assets/chart.umd.min.js', '/admin/assets/console.js'] : ['/admin/assets/console.js'];
  return layout({
    title: page.title,
    clinicName: options.clinicName,
    page: options.page,
    scripts,
    body: `<a class="skip" href="#main">Skip to the content</a>
<header class="top">
<p class="brand">${escapeHtml(options.clinicName)} <span>staff console</span></p>
<nav aria-label="Console"><ul>${nav}</ul></nav>
<div class="who"><span>Signed in as <strong>${escapeHtml(options.user)}</strong></span> <button type="button" id="sign-out">Sign out</button></div>
</header>
<main id="main">
${PAGE_BODIES[options.page]}
</main>`,
  });
}
