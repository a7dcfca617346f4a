/*
 * Eczema FAQ chat widget. A clinic pastes one tag into any page:
 *   <script src="https://bot.example.org/widget.js" data-title="..." data-primary-color="#0b5cad"
 *           data-position="right|left" data-greeting="..." data-locale="en-US" data-theme="light|dark"></script>
 * Without data-theme it follows the nearest data-theme="light|dark" around the tag (an element holding it, <body>,
 * <html>), else the browser's prefers-color-scheme, and keeps following it while the page is open.
 * It adds a launcher button and a panel holding an iframe of our chat page (/embed), so the host page's CSS and
 * CSP cannot break the chat. Styles are set through element.style (CSSOM), which a host CSP without
 * 'unsafe-inline' still allows, unlike <style> elements or style attributes.
 */
(function () {
  'use strict';

  // The server replaces this line with the clinic's defaults.
  var DEFAULTS = {};

  if (window.__eczemaFaqWidgetLoaded) return;
  var script = document.currentScript;
  if (!script || !script.src) return;
  window.__eczemaFaqWidgetLoaded = true;

  var origin = new URL(script.src, location.href).origin;
  var HEX = /^#[0-9a-fA-F]{6}$/;
  // English variants only: the answers are English, and a German interface around them would have screen
  // readers read the answers with a German voice.
  var LOCALE = /^en(-[A-Za-z0-9]{1,8}){0,4}$/i;
  var NARROW = '(max-width: 480px)';

  function option(name, fallback, valid) {
    var value = script.getAttribute('data-' + name);
    value = value === null ? '' : value.trim();
    return value !== '' && (!valid || valid(value)) ? value : fallback;
  }

  var title = option('title', DEFAULTS.title || 'Chat', function (v) { return v.length <= 60; });
  var color = option('primary-color', DEFAULTS.primaryColor || '#0b5cad', function (v) { return HEX.test(v); });
  var position = option('position', DEFAULTS.position || 'right', function (v) { return v === 'left' || v === 'right'; });
  var greeting = option('greeting', DEFAULTS.greeting || title, function (v) { return v.length <= 120; });
  var docLang = document.documentElement.getAttribute('lang') || '';
  var locale = option('locale', LOCALE.test(docLang) ? docLang : 'en-US', function (v) { return LOCALE.test(v); });
  // The theme: this tag's data-theme, else a data-theme on the page's <body> or <html>, else the browser's
  // prefers-color-scheme. Followed live: a page that switches theme switches the chat too.
  var THEMES = { light: true, dark: true };
  var DARK_QUERY = '(prefers-color-scheme: dark)';
  var darkScheme = window.matchMedia ? window.matchMedia(DARK_QUERY) : null;
  function themeOf(el) {
    var value = el && el.getAttribute('data-theme');
    value = value ? value.trim().toLowerCase() : '';
    return THEMES[value] ? value : '';
  }
  /** The nearest data-theme from this tag outwards (the tag, the element holding it, …, <html>), then <body>. */
  function pageTheme() {
    for (var el = script; el && el.nodeType === 1; el = el.parentNode) {
      var found = themeOf(el);
      if (found) return found;
    }
    return themeOf(document.body);
  }
  function currentTheme() {
    return pageTheme() || (darkScheme && darkScheme.matches ? 'dark' : 'light');
  }
  var theme = currentTheme();

  // White or near-black text on the clinic's colour, whichever reads better (WCAG contrast).
  function luminance(hex) {
    var rgb = [1, 3, 5].map(function (i) {
      var c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  }
  var onColor = (1.05 / (luminance(color) + 0.05)) >= ((luminance(color) + 0.05) / 0.05) ? '#ffffff' : '#1b1b1b';

  // !important keeps a host page's broad rules (button { ... }) off our elements; text spacing stays
  // overridable (WCAG 1.4.12), so line-height, letter- and word-spacing are never set with it.
  var SPACING = { 'line-height': true, 'letter-spacing': true, 'word-spacing': true };
  function css(el, styles) {
    for (var key in styles) {
      if (Object.prototype.hasOwnProperty.call(styles, key)) el.style.setProperty(key, styles[key], SPACING[key] ? '' : 'important');
    }
  }

  var SVG = 'http://www.w3.org/2000/svg';
  function icon(pathData, size) {
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', String(size));
    svg.setAttribute('height', String(size));
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', pathData);
    path.setAttribute('fill', 'currentColor');
    svg.appendChild(path);
    return svg;
  }
  var CHAT_ICON = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z';
  var CLOSE_ICON = 'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z';

  var font = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  var side = position === 'left' ? 'left' : 'right';
  var panelId = 'eczema-faq-chat-panel';

  var root = document.createElement('div');
  root.setAttribute('data-eczema-faq-widget', '');

  var launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.className = 'eczema-faq-launcher';
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('aria-controls', panelId);
  launcher.setAttribute('aria-haspopup', 'dialog');
  var launcherText = document.createElement('span');
  launcherText.textContent = greeting;
  launcher.appendChild(icon(CHAT_ICON, 24));
  launcher.appendChild(launcherText);

  var panel = document.createElement('div');
  panel.id = panelId;
  panel.className = 'eczema-faq-panel';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-modal', 'false');
  panel.setAttribute('aria-label', title);
  panel.hidden = true;

  var header = document.createElement('div');
  var heading = document.createElement('span');
  heading.textContent = title;
  var closeButton = document.createElement('button');
  closeButton.type = 'button';
  closeButton.className = 'eczema-faq-close';
  closeButton.setAttribute('aria-label', 'Close chat');
  closeButton.appendChild(icon(CLOSE_ICON, 20));
  header.appendChild(heading);
  header.appendChild(closeButton);
  panel.appendChild(header);

  var frame = null;

  css(launcher, {
    position: 'fixed', bottom: '20px', [side]: '20px', 'z-index': '2147483000',
    display: 'flex', 'align-items': 'center', gap: '8px', 'min-height': '48px', 'min-width': '48px',
    padding: '12px 18px', margin: '0', border: '0', 'border-radius': '24px', cursor: 'pointer',
    background: color, color: onColor, 'font-family': font, 'font-size': '15px', 'font-weight': '600', 'line-height': '1.2',
    'box-shadow': '0 4px 14px rgba(0,0,0,.25)', 'max-width': 'calc(100vw - 40px)', 'text-align': 'left', 'text-transform': 'none',
  });
  css(panel, {
    position: 'fixed', 'z-index': '2147483001', 'flex-direction': 'column', overflow: 'hidden',
    'box-shadow': '0 8px 30px rgba(0,0,0,.3)', margin: '0', padding: '0',
  });
  css(header, {
    display: 'flex', 'align-items': 'center', 'justify-content': 'space-between', gap: '8px',
    padding: '6px 6px 6px 16px', margin: '0',
    'font-family': font, 'font-size': '16px', 'font-weight': '600', 'line-height': '1.3',
  });
  css(closeButton, {
    display: 'flex', 'align-items': 'center', 'justify-content': 'center', width: '44px', height: '44px',
    padding: '0', margin: '0', border: '0', 'border-radius': '8px', background: 'transparent', cursor: 'pointer',
  });

  // Light: the header in the clinic's colour. Dark: a dark header with light text (the clinic's colour as its
  // bottom edge), the panel dark behind the chat, so a dark page gets no white block.
  function paint() {
    var dark = theme === 'dark';
    css(panel, { background: dark ? '#1f1f1f' : '#ffffff', border: dark ? '1px solid #5c5c5c' : '1px solid rgba(0,0,0,.15)' });
    css(header, dark
      ? { background: '#2c2c2c', color: '#f2f2f2', 'border-bottom': '3px solid ' + color }
      : { background: color, color: onColor, 'border-bottom': '0' });
    css(closeButton, { color: dark ? '#f2f2f2' : onColor });
  }

  var narrow = window.matchMedia ? window.matchMedia(NARROW) : null;
  function layout() {
    var small = narrow ? narrow.matches : false;
    // Phones: the panel takes the whole screen; wider: a floating panel above the launcher.
    css(panel, small
      ? { top: '0', bottom: '0', left: '0', right: '0', width: '100%', height: '100%', 'border-radius': '0' }
      : { top: 'auto', bottom: '88px', [side]: '20px', [side === 'left' ? 'right' : 'left']: 'auto',
          width: '380px', height: 'min(640px, calc(100vh - 110px))', 'border-radius': '12px' });
    css(launcherText, small
      ? { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', 'white-space': 'nowrap' }
      : { position: 'static', width: 'auto', height: 'auto', overflow: 'visible', clip: 'auto', 'white-space': 'normal' });
    css(launcher, { padding: small ? '12px' : '12px 18px', 'border-radius': small ? '50%' : '24px' });
    launcher.style.setProperty('display', small && !panel.hidden ? 'none' : 'flex', 'important');
    setModal(small && !panel.hidden);
  }

  // Full screen, the panel hides the whole page: keyboard focus and a screen reader must not wander into what
  // cannot be seen, so the rest of the page is made inert until the panel closes or leaves full screen.
  var madeInert = [];
  function setModal(on) {
    panel.setAttribute('aria-modal', on ? 'true' : 'false');
    if (on && madeInert.length === 0 && document.body) {
      Array.prototype.forEach.call(document.body.children, function (el) {
        if (el !== root && !el.inert) {
          el.inert = true;
          madeInert.push(el);
        }
      });
    } else if (!on) {
      madeInert.splice(0).forEach(function (el) { el.inert = false; });
    }
  }

  function embedUrl() {
    var query = new URLSearchParams({ mode: 'widget', title: title, color: color, locale: locale, theme: theme });
    return origin + '/embed?' + query.toString();
  }

  function postToFrame(type, extra) {
    if (frame && frame.contentWindow) frame.contentWindow.postMessage(Object.assign({ type: type }, extra || {}), origin);
  }

  function open() {
    if (!frame) {
      // The chat page (and the 1 MB Web Chat bundle) loads on first open, not with every page view.
      frame = document.createElement('iframe');
      frame.title = title;
      frame.src = embedUrl();
      frame.setAttribute('allow', 'clipboard-write');
      css(frame, { flex: '1 1 auto', width: '100%', height: '100%', border: '0', margin: '0', padding: '0', display: 'block', background: 'transparent' });
      frame.addEventListener('load', function () {
        // The page may have switched theme while the chat loaded.
        postToFrame('eczema-faq:theme', { theme: theme });
        if (!panel.hidden) postToFrame('eczema-faq:focus');
      });
      panel.appendChild(frame);
    }
    panel.hidden = false;
    panel.style.setProperty('display', 'flex', 'important');
    launcher.setAttribute('aria-expanded', 'true');
    layout();
    frame.focus();
    postToFrame('eczema-faq:focus');
  }

  function close() {
    if (panel.hidden) return;
    panel.hidden = true;
    panel.style.setProperty('display', 'none', 'important');
    launcher.setAttribute('aria-expanded', 'false');
    layout();
    launcher.focus();
  }

  launcher.addEventListener('click', function () {
    if (panel.hidden) open();
    else close();
  });
  closeButton.addEventListener('click', close);
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && !panel.hidden) close();
  });
  // Escape pressed inside the chat iframe arrives as a message from our own origin and that frame only.
  window.addEventListener('message', function (event) {
    if (!frame || event.origin !== origin || event.source !== frame.contentWindow) return;
    if (event.data && event.data.type === 'eczema-faq:close') close();
  });
  if (narrow) {
    if (narrow.addEventListener) narrow.addEventListener('change', layout);
    else if (narrow.addListener) narrow.addListener(layout);
  }

  /** The page switched theme (its data-theme, or the browser's scheme): repaint, and tell the chat in the frame. */
  function followTheme() {
    var next = currentTheme();
    if (next === theme) return;
    theme = next;
    paint();
    postToFrame('eczema-faq:theme', { theme: theme });
  }
  if (darkScheme) {
    if (darkScheme.addEventListener) darkScheme.addEventListener('change', followTheme);
    else if (darkScheme.addListener) darkScheme.addListener(followTheme);
  }
  if (window.MutationObserver) {
    var observer = new window.MutationObserver(followTheme);
    // Any data-theme in the page: the tag's, its holders', <body>'s or <html>'s (the filter keeps this cheap).
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'], subtree: true });
    if (!document.body) document.addEventListener('DOMContentLoaded', followTheme);
  }

  panel.style.setProperty('display', 'none', 'important');
  root.appendChild(panel);
  root.appendChild(launcher);
  paint();
  layout();

  function mount() { document.body.appendChild(root); }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
