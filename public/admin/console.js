/*
 * The staff console's pages (served as /admin/assets/console.js; no inline script anywhere, see src/admin/pages.ts).
 * Everything a patient wrote reaches the page through textContent, never innerHTML, so it is shown as text.
 */
/* global FormData */
(function () {
  'use strict';

  var page = document.body.getAttribute('data-page');
  var csrfToken = null;

  /** An element with attributes and children (strings become text nodes). */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === 'text') node.textContent = String(value);
      else if (key.slice(0, 2) === 'on') node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function say(text) {
    var status = document.getElementById('status');
    if (status) status.textContent = text;
  }

  function session() {
    if (csrfToken) return Promise.resolve(csrfToken);
    return fetch('/admin/api/session', { credentials: 'same-origin' }).then(function (res) {
      if (res.status === 401) {
        window.location.assign('/admin/login');
        throw new Error('signed out');
      }
      return res.json();
    }).then(function (body) {
      csrfToken = body.csrfToken;
      return csrfToken;
    });
  }

  /** fetch() for the console's API: JSON in and out, the CSRF token on every change, sign-in page on 401. */
  function api(method, path, body) {
    return session().then(function (token) {
      var init = { method: method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
      if (method !== 'GET') {
        init.headers['X-CSRF-Token'] = token;
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body || {});
      }
      return fetch(path, init);
    }).then(function (res) {
      if (res.status === 401) {
        window.location.assign('/admin/login');
        throw new Error('signed out');
      }
      return res.json().then(function (data) {
        if (!res.ok) throw new Error(data && data.error ? data.error : 'the request failed (' + res.status + ')');
        return data;
      });
    });
  }

  function when(iso) {
    var d = new Date(iso);
    return isNaN(d.getTime()) ? iso : d.toLocaleString();
  }

  function percent(x) {
    return Math.round(x * 100) + ' %';
  }

  var signOut = document.getElementById('sign-out');
  if (signOut) {
    signOut.addEventListener('click', function () {
      session().then(function (token) {
        return fetch('/admin/logout', { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': token } });
      }).then(function () {
        window.location.assign('/admin/login');
      });
    });
  }

  var REASONS = {
    declined: 'Declined',
    'did-you-mean': 'Did you mean',
    'low-confidence': 'Low-confidence answer',
    'not-helpful': 'Not helpful',
    handoff: 'Asked for a person',
    escalation: 'Escalation',
  };
  var STATUSES = {
    open: 'Open',
    unmarked: 'Open',
    assigned: 'Taught',
    'off-topic': 'Off-topic',
    'needs-content': 'Needs new content',
    dismissed: 'Dismissed',
  };

  // ---------------------------------------------------------------- inbox

  function inboxPage() {
    var form = document.getElementById('filters');
    var list = document.getElementById('items');
    var more = document.getElementById('more');
    var intents = [];
    var offTopic = 'out-of-scope';
    var next = null;

    function titleOf(id) {
      for (var i = 0; i < intents.length; i++) if (intents[i].intent === id) return intents[i].title;
      return id === offTopic ? 'Off-topic (declined)' : id;
    }

    function query(cursor) {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, key) {
        if (value) params.set(key, value);
      });
      if (cursor) params.set('cursor', cursor);
      return '/admin/api/inbox?' + params.toString();
    }

    function waitForJob(job, result, item, done) {
      result.textContent = 'Training the bot… (the old model answers until the new one is ready)';
      function poll() {
        api('GET', '/admin/api/jobs/' + job.id).then(function (body) {
          var j = body.job;
          if (j.status === 'queued' || j.status === 'training') {
            setTimeout(poll, 500);
            return;
          }
          if (j.status === 'swapped') {
            result.textContent = 'Learned: the bot now answers this question with "' + titleOf(j.request.intent) + '" (model version ' + j.modelVersion + ', ' + (j.ms / 1000).toFixed(1) + ' s).';
            item.setAttribute('data-status', 'done');
          } else if (j.status === 'unchanged') {
            result.textContent = 'Nothing to learn: ' + j.reasons.join('; ') + '.';
            item.setAttribute('data-status', 'done');
          } else {
            result.textContent = 'Not learned, the model in force is kept: ' + j.reasons.join('; ') + '.';
            item.setAttribute('data-status', 'refused');
          }
          if (done) done();
        }).catch(function (err) {
          result.textContent = err.message;
        });
      }
      poll();
    }

    function act(item, result, path, body) {
      var buttons = item.querySelectorAll('button, select');
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
      api('POST', '/admin/api/inbox/' + encodeURIComponent(item.getAttribute('data-id')) + '/' + path, body).then(function (res) {
        if (res.job) waitForJob(res.job, result, item);
        else {
          result.textContent = 'Marked: ' + STATUSES[res.item.status] + '.';
          item.setAttribute('data-status', 'done');
        }
      }).catch(function (err) {
        result.textContent = err.message;
        Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
      });
    }

    function render(it) {
      var result = el('p', { class: 'result', role: 'status' });
      var article = el('article', { class: 'item', 'data-id': it.id, 'aria-labelledby': 'q-' + it.id });
      if (it.text) {
        article.appendChild(el('input', { type: 'checkbox', class: 'select', id: 'sel-' + it.id, 'aria-label': 'Select: ' + it.text.slice(0, 80), onchange: updateBulk }));
      }
      var heading = it.text ? it.text : (it.reason === 'not-helpful' ? 'A vote on "' + titleOf(it.intent) + '"' : 'No question text (a button press)');
      var meta = [when(it.at), it.channel, REASONS[it.reason] || it.reason];
      if (it.level) meta.push('level: ' + it.level);
      if (it.detail && it.reason !== 'not-helpful') meta.push(it.detail);
      var facts = [];
      if (it.intent) facts.push(el('li', {}, ['The bot answered: ', el('strong', { text: titleOf(it.intent) }), it.confidence !== null ? ' (' + percent(it.confidence) + ')' : '']));
      else if (it.confidence !== null) facts.push(el('li', { text: 'The bot\u2019s confidence: ' + percent(it.confidence) }));
      if (it.suggestions.length) facts.push(el('li', { text: 'Offered: ' + it.suggestions.map(titleOf).join(', ') }));
      if (it.comment) {
        var label = it.reason === 'not-helpful' ? 'What was missing, in the patient\u2019s words: ' : 'The patient\u2019s comment: ';
        facts.push(el('li', {}, [label, el('q', { class: 'comment', text: it.comment })]));
      }
      if (it.status !== 'open' && it.status !== 'unmarked') {
        facts.push(el('li', { text: 'State: ' + STATUSES[it.status] + (it.review ? ' by ' + it.review.by + ', ' + when(it.review.at) + (it.review.intent ? ' (' + titleOf(it.review.intent) + ')' : '') : '') }));
      }
      if (it.refused) facts.push(el('li', { class: 'refused', text: 'Last attempt refused: ' + it.refused }));

      var controls = [];
      if (it.text) {
        var guesses = it.guesses.filter(function (g) { return g.intent !== offTopic; });
        if (guesses.length) {
          controls.push(el('p', { class: 'guesses-label', text: 'The bot\u2019s best guesses now:' }));
          controls.push(el('ul', { class: 'guesses' }, guesses.map(function (g) {
            return el('li', {}, [el('button', { type: 'button', class: 'guess', 'data-intent': g.intent, onclick: function () { act(article, result, 'assign', { intent: g.intent }); } }, ['Teach: ' + g.title + ' (' + percent(g.confidence) + ')'])]);
          })));
        }
        var selectId = 'intent-' + it.id;
        var select = el('select', { id: selectId, class: 'assign-intent' }, [el('option', { value: '', text: 'Choose an intent…' })].concat(
          intents.filter(function (i) { return i.intent !== offTopic; }).map(function (i) { return el('option', { value: i.intent, text: i.title }); })));
        controls.push(el('div', { class: 'assign' }, [
          el('label', { for: selectId, text: 'Teach another intent' }), select,
          el('button', { type: 'button', class: 'assign-button', onclick: function () {
            if (!select.value) { result.textContent = 'Choose an intent first.'; return; }
            act(article, result, 'assign', { intent: select.value });
          } }, ['Teach']),
        ]));
      }
      var buttons = [];
      if (it.text) buttons.push(el('button', { type: 'button', class: 'off-topic', onclick: function () { act(article, result, 'off-topic'); } }, ['Off-topic']));
      buttons.push(el('button', { type: 'button', class: 'needs-content', onclick: function () { act(article, result, 'needs-content'); } }, ['Needs new content']));
      if (it.status === 'open' || it.status === 'unmarked') buttons.push(el('button', { type: 'button', class: 'dismiss', onclick: function () { act(article, result, 'dismiss'); } }, ['Dismiss']));
      else buttons.push(el('button', { type: 'button', class: 'reopen', onclick: function () { act(article, result, 'reopen'); } }, ['Reopen']));
      controls.push(el('div', { class: 'buttons' }, buttons));

      article.appendChild(el('h2', { id: 'q-' + it.id, class: it.text ? 'question' : 'question none', text: heading }));
      article.appendChild(el('p', { class: 'meta', text: meta.join(' · ') }));
      if (facts.length) article.appendChild(el('ul', { class: 'facts' }, facts));
      controls.forEach(function (c) { article.appendChild(c); });
      article.appendChild(result);
      return article;
    }

    var bulk = document.getElementById('bulk');
    var bulkResult = document.getElementById('bulk-result');
    function selected() {
      return Array.prototype.map.call(list.querySelectorAll('input.select:checked'), function (box) { return box.id.slice(4); });
    }
    function updateBulk() {
      var n = selected().length;
      bulk.hidden = n === 0;
      document.getElementById('bulk-count').textContent = n + ' question' + (n === 1 ? '' : 's') + ' selected; they are judged by the accuracy guard as one change.';
    }
    function bulkAct(path, body) {
      var ids = selected();
      if (!ids.length) return;
      api('POST', '/admin/api/inbox/' + path, Object.assign({ ids: ids }, body || {})).then(function (res) {
        waitForJob(res.job, bulkResult, bulk, function () { load(null); });
      }).catch(function (err) { bulkResult.textContent = err.message; });
    }
    document.getElementById('bulk-teach').addEventListener('click', function () {
      var intent = document.getElementById('bulk-intent').value;
      if (!intent) { bulkResult.textContent = 'Choose an intent first.'; return; }
      bulkAct('assign', { intent: intent });
    });
    document.getElementById('bulk-off-topic').addEventListener('click', function () { bulkAct('off-topic'); });

    function load(cursor) {
      say('Loading…');
      api('GET', query(cursor)).then(function (body) {
        if (!cursor) clear(list);
        if (!cursor) updateBulk();
        body.items.forEach(function (it) { list.appendChild(render(it)); });
        next = body.next || null;
        more.hidden = !next;
        var count = list.querySelectorAll('article').length;
        say(count === 0 ? 'Nothing to review here.' : count + (next ? '+' : '') + ' item' + (count === 1 ? '' : 's') + '.');
      }).catch(function (err) { say(err.message); });
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      load(null);
    });
    more.addEventListener('click', function () { if (next) load(next); });
    api('GET', '/admin/api/intents').then(function (body) {
      intents = body.intents;
      offTopic = body.offTopic;
      var select = document.getElementById('f-intent');
      var bulkSelect = document.getElementById('bulk-intent');
      intents.forEach(function (i) {
        select.appendChild(el('option', { value: i.intent, text: i.title }));
        if (i.intent !== offTopic) bulkSelect.appendChild(el('option', { value: i.intent, text: i.title }));
      });
      load(null);
    }).catch(function (err) { say(err.message); });
  }

  // ---------------------------------------------------------------- tables

  function table(caption, headers, rows) {
    return el('table', {}, [
      el('caption', { text: caption }),
      el('thead', {}, [el('tr', {}, headers.map(function (h) { return el('th', { scope: 'col', text: h }); }))]),
      el('tbody', {}, rows.map(function (row) {
        return el('tr', row.attrs || {}, row.cells.map(function (c) { return typeof c === 'object' && c !== null && c.nodeType ? el('td', {}, [c]) : el('td', { text: c === null || c === undefined ? '' : String(c) }); }));
      })),
    ]);
  }

  function gapsPage() {
    api('GET', '/admin/api/content-gaps').then(function (body) {
      var box = document.getElementById('gaps');
      if (!body.items.length) { say('No content gaps marked yet.'); return; }
      say(body.items.length + ' content gap' + (body.items.length === 1 ? '' : 's') + '.');
      box.appendChild(table('Questions that need new content', ['Time', 'Question (redacted)', 'Comment', 'Note', 'Marked by'], body.items.map(function (i) {
        return { cells: [when(i.at), i.text, i.comment, i.review && i.review.note, i.review && i.review.by] };
      })));
    }).catch(function (err) { say(err.message); });
  }

  function contentPage() {
    api('GET', '/admin/api/content').then(function (body) {
      var stale = body.entries.filter(function (e) { return e.stale; }).length;
      say(body.entries.length + ' entries; ' + stale + ' not reviewed in the last 12 months.');
      document.getElementById('content').appendChild(table('Knowledge-base entries, the longest unreviewed first', ['Entry', 'Reviewed', 'Sources', 'File'], body.entries.map(function (e) {
        var reviewed = el('span', {}, [e.reviewed, e.stale ? el('strong', { class: 'stale', text: ' needs review (' + e.monthsSince + ' months)' }) : '']);
        var sources = el('ul', { class: 'sources' }, e.sources.map(function (s) {
          var label = s.title + (s.citation ? ' — ' + s.citation : '');
          return el('li', {}, [s.url && /^https?:\/\//.test(s.url) ? el('a', { href: s.url, rel: 'noopener noreferrer', target: '_blank', text: label }) : label]);
        }));
        return { attrs: e.stale ? { class: 'stale-row' } : {}, cells: [e.title, reviewed, e.sources.length ? sources : 'none (conversation)', e.file] };
      })));
    }).catch(function (err) { say(err.message); });
  }

  function learnedPage() {
    api('GET', '/admin/api/learned').then(function (body) {
      say(body.items.length + ' taught wording' + (body.items.length === 1 ? '' : 's') + '.');
      if (body.items.length) {
        document.getElementById('learned').appendChild(table('Taught wordings, oldest first', ['Wording', 'Intent', 'Taught by', 'When', 'In intents/'], body.items.map(function (u) {
          return { cells: [u.text, u.intent, u.by, when(u.at), u.inIntents ? 'yes' : 'not yet'] };
        })));
      }
    }).catch(function (err) { say(err.message); });
    api('GET', '/admin/api/model').then(function (body) {
      var box = document.getElementById('jobs');
      box.appendChild(el('p', { text: 'Model version in force: ' + body.version + ' (0 is the one the bot started with).' }));
      if (body.jobs.length) {
        box.appendChild(table('Retrains since the bot started, newest first', ['Asked', 'By', 'Intent', 'Outcome', 'Accuracy before → after', 'Time'], body.jobs.map(function (j) {
          var fig = j.before && j.after ? 'CV ' + (j.before.crossValidation * 100).toFixed(1) + ' → ' + (j.after.crossValidation * 100).toFixed(1) + ' %' + (j.before.heldOut !== null ? ', held-out ' + (j.before.heldOut * 100).toFixed(1) + ' → ' + (j.after.heldOut * 100).toFixed(1) + ' %' : '') : '';
          return { cells: [when(j.queuedAt), j.request.by, j.request.intent, j.status + (j.reasons.length ? ': ' + j.reasons.join('; ') : ''), fig, j.ms !== undefined ? (j.ms / 1000).toFixed(1) + ' s' : ''] };
        })));
      }
    }).catch(function (err) { say(err.message); });
  }

  function auditPage() {
    var box = document.getElementById('audit');
    var more = document.getElementById('more');
    var body = null;
    var next = null;
    function load(cursor) {
      api('GET', '/admin/api/audit' + (cursor ? '?cursor=' + encodeURIComponent(cursor) : '')).then(function (page) {
        if (!body) {
          var t = table('Audit log, newest first', ['When', 'Who', 'What', 'Item', 'Detail'], []);
          box.appendChild(t);
          body = t.querySelector('tbody');
        }
        page.items.forEach(function (a) {
          body.appendChild(el('tr', {}, [when(a.at), a.who, a.action, a.target || '', a.detail || ''].map(function (c) { return el('td', { text: c }); })));
        });
        next = page.next || null;
        more.hidden = !next;
        say(body.children.length + ' entr' + (body.children.length === 1 ? 'y' : 'ies') + (next ? ' (more below)' : '') + '.');
      }).catch(function (err) { say(err.message); });
    }
    more.addEventListener('click', function () { if (next) load(next); });
    load(null);
  }

  // ---------------------------------------------------------------- analytics

  var COLOURS = ['#1d4ed8', '#b45309', '#b91c1c', '#047857', '#6d28d9', '#0f766e', '#be185d', '#4d7c0f'];
  var charts = [];

  function chart(id, config) {
    config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'bottom' } } }, config.options || {});
    charts.push(new window.Chart(document.getElementById(id), config));
  }

  function analyticsPage() {
    var form = document.getElementById('range');
    var today = new Date().toISOString().slice(0, 10);
    var monthAgo = new Date(Date.now() - 29 * 86400000).toISOString().slice(0, 10);
    document.getElementById('x-from').value = monthAgo;
    document.getElementById('x-to').value = today;

    function draw(s) {
      charts.forEach(function (c) { c.destroy(); });
      charts = [];
      var days = s.perDay.map(function (d) { return d.day; });
      var t = s.totals;
      var dl = clear(document.getElementById('totals'));
      [
        ['Questions', t.questions],
        ['Conversations', t.conversations],
        ['Answered', t.outcomes.answered],
        ['Did you mean', t.outcomes['did-you-mean']],
        ['Declined', t.outcomes.declined],
        ['Not recognised (did you mean + declined)', percent(t.unrecognisedRatio)],
        ['Red flags answered with urgent or emergency advice', t.outcomes['red-flag']],
        ['Helpful / not helpful votes', t.helpful + ' / ' + t.notHelpful],
        ['Asked for a person', t.handoffs],
      ].forEach(function (pair) {
        dl.appendChild(el('div', {}, [el('dt', { text: pair[0] }), el('dd', { text: String(pair[1]) })]));
      });

      chart('c-daily', { type: 'line', data: { labels: days, datasets: [
        { label: 'Questions', data: s.perDay.map(function (d) { return d.questions; }), borderColor: COLOURS[0], backgroundColor: COLOURS[0] },
        { label: 'Conversations', data: s.perDay.map(function (d) { return d.conversations; }), borderColor: COLOURS[1], backgroundColor: COLOURS[1] },
      ] } });
      chart('c-outcomes', { type: 'bar', data: { labels: days, datasets: [
        { label: 'Answered', data: s.perDay.map(function (d) { return d.outcomes.answered; }), backgroundColor: COLOURS[3] },
        { label: 'Did you mean', data: s.perDay.map(function (d) { return d.outcomes['did-you-mean']; }), backgroundColor: COLOURS[1] },
        { label: 'Declined', data: s.perDay.map(function (d) { return d.outcomes.declined; }), backgroundColor: COLOURS[2] },
        { label: 'Red flag', data: s.perDay.map(function (d) { return d.outcomes['red-flag']; }), backgroundColor: COLOURS[4] },
      ] }, options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } } });
      var levels = ['dermatologist', 'urgent', 'emergency'];
      chart('c-escalations', { type: 'bar', data: { labels: levels, datasets: [
        { label: 'Escalations', data: levels.map(function (l) { return t.escalations[l] || 0; }), backgroundColor: [COLOURS[0], COLOURS[1], COLOURS[2]] },
      ] }, options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } } });
      chart('c-intents', { type: 'bar', data: { labels: s.topIntents.map(function (i) { return i.title; }), datasets: [
        { label: 'Answers', data: s.topIntents.map(function (i) { return i.count; }), backgroundColor: COLOURS[5] },
      ] }, options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } } } });
      chart('c-feedback', { type: 'bar', data: { labels: days, datasets: [
        { label: 'Helpful', data: s.perDay.map(function (d) { return d.helpful; }), backgroundColor: COLOURS[3] },
        { label: 'Not helpful', data: s.perDay.map(function (d) { return d.notHelpful; }), backgroundColor: COLOURS[2] },
        { label: 'Asked for a person', data: s.perDay.map(function (d) { return d.handoffs; }), backgroundColor: COLOURS[4] },
      ] }, options: { scales: { y: { beginAtZero: true } } } });
      chart('c-channels', { type: 'doughnut', data: { labels: s.channels.map(function (c) { return c.channel; }), datasets: [
        { label: 'Questions', data: s.channels.map(function (c) { return c.questions; }), backgroundColor: COLOURS },
      ] } });

      var box = clear(document.getElementById('table'));
      box.appendChild(table('Per day (UTC)', ['Day', 'Questions', 'Conversations', 'Answered', 'Did you mean', 'Declined', 'Red flag', 'Escalations', 'Helpful', 'Not helpful', 'Handoffs'], s.perDay.slice().reverse().map(function (d) {
        var esc = Object.keys(d.escalations).map(function (k) { return k + ' ' + d.escalations[k]; }).join(', ');
        return { cells: [d.day, d.questions, d.conversations, d.outcomes.answered, d.outcomes['did-you-mean'], d.outcomes.declined, d.outcomes['red-flag'], esc, d.helpful, d.notHelpful, d.handoffs] };
      })));
    }

    function load() {
      say('Loading…');
      api('GET', '/admin/api/stats?days=' + encodeURIComponent(document.getElementById('days').value)).then(function (s) {
        draw(s);
        document.body.setAttribute('data-charts', String(charts.length));
        say('From ' + s.from + ' to ' + s.to + ' (UTC days).');
      }).catch(function (err) { say(err.message); });
    }
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      load();
    });
    load();
  }

  if (page === 'inbox') inboxPage();
  else if (page === 'gaps') gapsPage();
  else if (page === 'content') contentPage();
  else if (page === 'learned') learnedPage();
  else if (page === 'audit') auditPage();
  else if (page === 'analytics') analyticsPage();
})();
