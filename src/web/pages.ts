import { LOCALE } from '../directline/incoming.js';

/**
 * The two HTML pages we serve: the chat page (`/embed`, used by the widget's iframe and by patient portals) and a
 * demo clinic page with the widget on it. No inline script: page data travels in a JSON block that is never
 * executed, and behaviour lives in public/*.js.
 */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON that cannot close the <script> element it sits in. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export interface EmbedOptions {
  mode: 'widget' | 'portal';
  title: string;
  locale: string;
  /** `auto` follows the browser's prefers-color-scheme (the widget sends the host page's resolved theme). */
  theme: 'light' | 'dark' | 'auto';
  primaryColor: string;
}

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** Query options are hints from the host page: anything malformed falls back to the clinic's defaults. */
export function embedOptionsFromQuery(
  query: Record<string, unknown>,
  defaults: { title: string; primaryColor: string },
): EmbedOptions {
  const str = (key: string): string | undefined => (typeof query[key] === 'string' ? (query[key] as string).trim() : undefined);
  const locale = str('locale');
  const title = str('title');
  const color = str('color');
  return {
    mode: str('mode') === 'widget' ? 'widget' : 'portal',
    title: title && title.length <= 60 ? title : defaults.title,
    // English variants only: the knowledge base is written in English, and a page (or a Web Chat interface) in
    // another language would have screen readers read every answer with that language's voice.
    locale: locale && locale.length <= 35 && LOCALE.test(locale) && /^en(-|$)/i.test(locale) ? locale : 'en-US',
    theme: str('theme') === 'dark' ? 'dark' : str('theme') === 'auto' ? 'auto' : 'light',
    primaryColor: color && HEX_COLOR.test(color) ? color.toLowerCase() : defaults.primaryColor.toLowerCase(),
  };
}

export function renderEmbedPage(options: {
  embed: EmbedOptions;
  clinicName: string;
  nonce: string;
  webChatPath: string;
  tokenPath: string;
  azure: boolean;
  /** The clinic's phone and the emergency number: the outage notice names them when the chat cannot answer. */
  clinic: { phone: string; emergencyNumber: string };
  /** Where the page checks that the server is back after an outage (`/readyz`). */
  readyPath: string;
}): string {
  const { embed } = options;
  const config = {
    mode: embed.mode,
    title: embed.title,
    locale: embed.locale,
    theme: embed.theme,
    primaryColor: embed.primaryColor,
    tokenUrl: options.tokenPath,
    // Azure Direct Line streams over WebSocket; our own Direct Line is polled.
    webSocket: options.azure,
    nonce: options.nonce,
    clinic: { name: options.clinicName, phone: options.clinic.phone, emergencyNumber: options.clinic.emergencyNumber },
    readyUrl: options.readyPath,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(embed.title)} – ${escapeHtml(options.clinicName)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/embed.css">
<script type="application/json" id="chat-config">${scriptSafeJson(config)}</script>
<script src="${escapeHtml(options.webChatPath)}" defer></script>
<script src="/static/outage.js" defer></script>
<script src="/static/embed.js" defer></script>
</head>
<body class="theme-${embed.theme} mode-${embed.mode}">
<header class="chat-header${embed.mode === 'widget' ? ' visually-hidden' : ''}">
<h1>${escapeHtml(embed.title)}</h1>
<p>${escapeHtml(options.clinicName)} · automated assistant with general information, not a doctor and not for emergencies.</p>
</header>
<main class="chat-main" aria-label="${escapeHtml(embed.title)}">
<div id="chat-outage" class="chat-outage" role="alert" hidden></div>
<div id="webchat" class="webchat" role="region" aria-label="Conversation"></div>
<p id="chat-status" class="chat-status" role="status" aria-live="polite">Connecting…</p>
<noscript><p class="chat-status">The chat needs JavaScript. Please call the clinic instead.</p></noscript>
</main>
</body>
</html>
`;
}

/**
 * The start of a page of the clinic's site (the demo page, privacy, terms): head, style sheet, header with the
 * clinic's name and the given links, up to the opening of <main>. `title`, `name` and `nav` are HTML already escaped.
 */
export function siteTop(title: string, name: string, nav: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/demo.css">
</head>
<body>
<header class="site-header">
<p class="site-name">${name}</p>
<nav aria-label="Main">${nav}</nav>
</header>
<main class="site-main">`;
}

export function renderDemoPage(options: {
  clinicName: string;
  widget: { title: string; primaryColor: string; position: string; greeting: string };
  /** What the assistant covers: the labels of the topics of the content packs that are on (data/catalog.yaml). */
  topics: readonly string[];
}): string {
  const { clinicName, widget } = options;
  const name = escapeHtml(clinicName);
  return `${siteTop(`${name} – eczema care`, name, '<a href="/">Home</a> <a href="/embed">Full-page chat</a>')}
<h1>Living well with eczema</h1>
<p>This is a demonstration page for ${name}. The chat button in the corner is the patient-FAQ assistant:
it answers common questions about atopic dermatitis (eczema) from the clinic's approved information and shows
where each answer comes from.</p>
<h2>What the assistant can help with</h2>
<ul>
${options.topics.map((label) => `<li>${escapeHtml(label)}</li>`).join('\n')}
</ul>
<p>The assistant is not a doctor. In an emergency, call your local emergency number.</p>
<h2>Add it to another page</h2>
<p>One script tag shows the same button on any page (see <code>docs/CHANNELS.md</code>):</p>
<pre><code>&lt;script src="https://your-bot-host/widget.js" data-title="${escapeHtml(widget.title)}" data-primary-color="${escapeHtml(widget.primaryColor)}" data-position="${escapeHtml(widget.position)}"&gt;&lt;/script&gt;</code></pre>
</main>
<footer class="site-footer"><p>${name} · demonstration page · <a href="/privacy">Privacy</a> · <a href="/terms">Terms of use</a></p></footer>
<script src="/widget.js" data-title="${escapeHtml(widget.title)}" data-primary-color="${escapeHtml(widget.primaryColor)}" data-position="${escapeHtml(widget.position)}" data-greeting="${escapeHtml(widget.greeting)}"></script>
</body>
</html>
`;
}
