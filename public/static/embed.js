/*
 * The chat page (/embed): fetches a Direct Line token from our server, then hands it to the stock Web Chat.
 * Used full-page by patient portals and inside the widget's iframe. The page never asks who the patient is:
 * the server picks an anonymous user id and puts it in the token.
 */
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('chat-config').textContent);
  var host = document.getElementById('webchat');
  var status = document.getElementById('chat-status');
  var STORAGE_KEY = 'eczema-faq:conversation';
  var mode = config.webSocket ? 'azure' : 'own';

  function luminance(hex) {
    var rgb = [1, 3, 5].map(function (i) {
      var c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  }
  function textOn(hex) {
    var l = luminance(hex);
    return 1.05 / (l + 0.05) >= (l + 0.05) / 0.0616 ? '#ffffff' : '#1b1b1b';
  }
  /** The clinic colour as link/accent text on the page background, lightened or darkened until readable. */
  function readableAccent(hex, background) {
    var bgL = luminance(background);
    var c = [1, 3, 5].map(function (i) { return parseInt(hex.slice(i, i + 2), 16); });
    var towards = bgL > 0.5 ? 0 : 255;
    for (var step = 0; step <= 20; step += 1) {
      var mixed = '#' + c.map(function (v) {
        var m = Math.round(v + (towards - v) * (step / 20));
        return (m < 16 ? '0' : '') + m.toString(16);
      }).join('');
      var l = luminance(mixed);
      var ratio = (Math.max(l, bgL) + 0.05) / (Math.min(l, bgL) + 0.05);
      if (ratio >= 4.6) return mixed;
    }
    return bgL > 0.5 ? '#000000' : '#ffffff';
  }

  var primary = config.primaryColor;
  var font = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

  /**
   * The theme: "light" or "dark" as the page asked (the widget resolves the host page's theme and sends changes), or
   * "auto", which follows the browser's prefers-color-scheme.
   */
  var darkScheme = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  var chosenTheme = config.theme;
  function isDark() {
    return chosenTheme === 'dark' || (chosenTheme === 'auto' && Boolean(darkScheme && darkScheme.matches));
  }

  /** Web Chat's colours for a theme; every pair meets WCAG AA. */
  function stylesFor(dark) {
    var background = dark ? '#1f1f1f' : '#ffffff';
    // Accent text sits on the page, on bubbles and on card buttons; the bubble colour is the hardest of the three.
    var bubble = dark ? '#2c2c2c' : '#f3f4f6';
    var accent = readableAccent(primary, bubble);
    return {
      accent: accent,
      backgroundColor: background,
      primaryFont: font,
      rootHeight: '100%',
      rootWidth: '100%',
      hideUploadButton: true,
      bubbleBorderRadius: 10,
      bubbleFromUserBorderRadius: 10,
      bubbleBackground: bubble,
      bubbleBorderColor: dark ? '#3a3a3a' : '#e1e3e6',
      bubbleTextColor: dark ? '#f2f2f2' : '#1b1b1b',
      bubbleFromUserBackground: primary,
      bubbleFromUserBorderColor: primary,
      bubbleFromUserTextColor: textOn(primary),
      subtle: dark ? '#c4c4c4' : '#595959',
      timestampColor: dark ? '#c4c4c4' : '#595959',
      sendBoxBackground: dark ? '#2c2c2c' : '#ffffff',
      sendBoxTextColor: dark ? '#f2f2f2' : '#1b1b1b',
      sendBoxPlaceholderColor: dark ? '#c4c4c4' : '#595959',
      sendBoxButtonColor: accent,
      // The message box's only edge once its placeholder is gone: 3:1 against the box at least (WCAG 1.4.11).
      sendBoxBorderTop: dark ? 'solid 1px #8f8f8f' : 'solid 1px #767676',
      suggestedActionBackgroundColor: dark ? '#2c2c2c' : '#ffffff',
      suggestedActionBorderColor: accent,
      suggestedActionTextColor: accent,
      cardEmphasisBackgroundColor: dark ? '#333333' : '#f7f7f7',
      cardPushButtonBackgroundColor: primary,
      cardPushButtonTextColor: textOn(primary),
      // Text on Web Chat's #595959 "end of chat history" bar, the first stop of Shift+Tab from the message box.
      transcriptTerminatorColor: '#ffffff',
      notificationText: dark ? '#f2f2f2' : '#1b1b1b',
    };
  }

  var styleOptions = stylesFor(isDark());
  function paintPage() {
    var dark = isDark();
    document.body.classList.toggle('theme-dark', dark);
    document.body.classList.toggle('theme-light', !dark);
    document.body.classList.remove('theme-auto');
    document.documentElement.style.colorScheme = dark ? 'dark' : 'light';
  }
  paintPage();

  function setStatus(text, isError) {
    status.textContent = text;
    status.hidden = !text;
    status.classList.toggle('chat-status--error', Boolean(isError));
  }

  function readStored() {
    try {
      var stored = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || 'null');
      return stored && stored.mode === mode && stored.token && stored.conversationId && stored.domain ? stored : null;
    } catch {
      return null; // storage blocked (privacy settings): every page view starts a new chat
    }
  }
  function writeStored(value) {
    try {
      if (value) window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
      else window.sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // storage blocked: nothing to resume later, which is fine
    }
  }

  function postJson(url, token) {
    var headers = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    return fetch(url, { method: 'POST', headers: headers, body: '{}', credentials: 'same-origin', cache: 'no-store' }).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.json();
    });
  }

  /** Resume this tab's conversation (the widget reloads on every page of a clinic site), or start a new one. */
  function session() {
    var stored = readStored();
    var resume = stored
      ? postJson(stored.domain + '/tokens/refresh', stored.token).then(function (body) {
          return { token: body.token, conversationId: stored.conversationId, domain: stored.domain, resumed: true };
        })
      : Promise.reject(new Error('nothing to resume'));
    return resume.catch(function () {
      writeStored(null);
      return postJson(config.tokenUrl).then(function (body) {
        return { token: body.token, domain: new URL(body.domain, location.href).href.replace(/\/+$/, ''), resumed: false };
      });
    });
  }

  function focusSendBox() {
    var input = document.querySelector('[data-id="webchat-sendbox-input"], .webchat__send-box-text-box__input');
    if (input) input.focus();
  }

  // Inside the widget: Escape in the message box closes the panel; the launcher's page asks us to focus.
  if (config.mode === 'widget' && window.parent !== window) {
    document.addEventListener('keydown', function (event) {
      if (event.key !== 'Escape') return;
      var target = event.target;
      var inSendBox = target && target.closest && target.closest('.webchat__send-box');
      if (inSendBox || target === document.body) window.parent.postMessage({ type: 'eczema-faq:close' }, '*');
    });
    window.addEventListener('message', function (event) {
      if (event.source !== window.parent || !event.data) return;
      if (event.data.type === 'eczema-faq:focus') focusSendBox();
      // The host page switched theme (widget.js follows its data-theme and prefers-color-scheme).
      if (event.data.type === 'eczema-faq:theme' && (event.data.theme === 'light' || event.data.theme === 'dark')) {
        chosenTheme = event.data.theme;
        retheme();
      }
    });
  }

  if (!window.WebChat) {
    setStatus('The chat could not load. Please refresh the page, or contact the clinic.', true);
    return;
  }

  /**
   * Web Chat paints card buttons white in every theme, which puts the lightened accent on white in dark mode; and
   * the card renderer cuts a long button title with "…" (an inline nowrap style), so a follow-up question or a
   * did-you-mean choice could not be read without a mouse. Titles wrap instead.
   */
  function styleSetFor(options) {
    var styleSet = window.WebChat.createStyleSet(options);
    var renderer = styleSet.adaptiveCardRenderer && styleSet.adaptiveCardRenderer['&.webchat__adaptive-card-renderer'];
    if (renderer) {
      renderer['& .ac-pushButton'] = Object.assign({}, renderer['& .ac-pushButton'], { backgroundColor: options.sendBoxBackground, height: 'auto' });
      renderer['& .ac-pushButton > div'] = { whiteSpace: 'normal !important', overflow: 'visible !important', textOverflow: 'clip !important' };
      // Links in cards (a source's title, an address in a citation) in the readable accent, not the browser's
      // default blue, which is unreadable on the dark theme's bubbles.
      renderer['& a'] = { color: options.accent + ' !important', textDecoration: 'underline' };
    }
    return styleSet;
  }

  var current = null; // the Direct Line connection in use
  var currentDomain = null;
  // The outage notice and recovery (public/static/outage.js): it watches Web Chat's store and reconnects through connect().
  var outageNotice = document.getElementById('chat-outage');
  var guard = window.EczemaFaqOutage && outageNotice
    ? window.EczemaFaqOutage.create({ element: outageNotice, clinic: config.clinic, readyUrl: config.readyUrl, reconnect: connect })
    : null;
  var store = guard ? window.WebChat.createStore({}, guard.middleware) : window.WebChat.createStore();

  /**
   * A Direct Line connection for this tab's conversation (resumed, or new), rendered into the same Web Chat store,
   * so the transcript stays when an outage forces a new connection. Resolves once it is online.
   */
  function connect() {
    return session().then(function (s) {
      return new Promise(function (resolve, reject) {
        var previous = current;
        var directLine = window.WebChat.createDirectLine({
          token: s.token,
          domain: s.domain,
          conversationId: s.resumed ? s.conversationId : undefined,
          // Picks up after what this page already shows when it is the same conversation.
          watermark: s.resumed && previous && previous.conversationId === s.conversationId ? previous.watermark : undefined,
          webSocket: Boolean(config.webSocket),
          conversationStartProperties: { locale: config.locale },
        });
        current = directLine;
        currentDomain = s.domain;
        var settled = false;
        directLine.connectionStatus$.subscribe(function (state) {
          if (directLine !== current) return;
          // 2 online, 4 failed to connect, 5 ended (see botframework-directlinejs ConnectionStatus)
          if (state === 2) {
            setStatus('');
            writeStored({ mode: mode, token: directLine.token, conversationId: directLine.conversationId, domain: s.domain });
            if (!settled) { settled = true; resolve(); }
          } else if (state === 4 || state === 5) {
            writeStored(null);
            if (!settled) { settled = true; reject(new Error('not connected')); }
            else if (guard) guard.connectionStatus(state);
            else setStatus('The chat is unavailable right now. Please try again later, or contact the clinic.', true);
          }
        });
        render();
      });
    });
  }

  /** Web Chat on the connection in use, in the theme in force; again on a new connection or a theme change. */
  function render() {
    if (!current) return;
    window.WebChat.renderWebChat(
      {
        directLine: current,
        store: store,
        locale: config.locale,
        styleOptions: styleOptions,
        styleSet: styleSetFor(styleOptions),
        nonce: config.nonce,
        sendTypingIndicator: false,
      },
      host,
    );
  }

  function retheme() {
    var dark = isDark();
    if (dark === document.body.classList.contains('theme-dark')) return;
    styleOptions = stylesFor(dark);
    paintPage();
    render();
  }
  if (darkScheme) {
    var onScheme = function () { if (chosenTheme === 'auto') retheme(); };
    if (darkScheme.addEventListener) darkScheme.addEventListener('change', onScheme);
    else if (darkScheme.addListener) darkScheme.addListener(onScheme);
  }

  // The client refreshes its token every 15 minutes; keep the newest for the next page of the site.
  window.addEventListener('pagehide', function () {
    if (current && current.conversationId) writeStored({ mode: mode, token: current.token, conversationId: current.conversationId, domain: currentDomain });
  });

  connect().then(function () {
    if (config.mode === 'widget' && document.hasFocus()) setTimeout(focusSendBox, 0);
  }, function () {
    // The server could not be reached at all: the outage notice, and a new try as soon as it answers.
    setStatus('');
    if (guard) guard.trouble();
    else setStatus('The chat is unavailable right now. Please try again later, or contact the clinic.', true);
  });
})();
