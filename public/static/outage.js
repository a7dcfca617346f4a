/*
 * What the chat page does when the bot cannot be reached (the server is down or restarting, the network dropped) or
 * a message does not get through: a notice with the clinic's phone and the emergency number instead of "Sending"
 * with no end, then, as soon as the server answers again, a new Direct Line connection (the same conversation when
 * the server still knows it, a new one otherwise) with the transcript kept, and the notice goes away.
 *
 * It reads Web Chat's own signals through its store middleware: DIRECT_LINE/POST_ACTIVITY_PENDING and _FULFILLED
 * (a message that has not gone through after a few seconds makes it ask the server whether it is there),
 * DIRECT_LINE/POST_ACTIVITY_IMPEDED and _REJECTED (Web Chat gave up sending), and the Direct Line client's
 * connection status (failed to connect, conversation ended) of the connection in use. A message that failed keeps Web Chat's "Retry", which sends it again on
 * the new connection. Nothing here reads or keeps what the patient typed.
 */
(function () {
  'use strict';

  // botframework-directlinejs ConnectionStatus
  var FAILED_TO_CONNECT = 4;
  var ENDED = 5;
  /** A message not through after this long: is the server there at all? */
  var CHECK_AFTER_MS = 3000;
  var FIRST_PROBE_MS = 1000;
  var LONGEST_PROBE_MS = 10000;

  function telUrl(number) {
    return 'tel:' + String(number).replace(/[^0-9+]/g, '');
  }

  function link(number) {
    var a = document.createElement('a');
    a.href = telUrl(number);
    a.textContent = number;
    return a;
  }

  /**
   * options: element (the notice's container, role="alert"), clinic ({ name, phone, emergencyNumber }), readyUrl,
   * reconnect() (a promise: a new connection in place), onChange(down) (optional).
   */
  function create(options) {
    var element = options.element;
    var clinic = options.clinic;
    var pending = {};
    var down = false;
    var probeTimer = null;

    function fill() {
      element.textContent = '';
      var lead = document.createElement('strong');
      lead.textContent = 'The chat cannot reach the clinic right now.';
      var retry = document.createElement('span');
      retry.textContent = ' It will reconnect by itself; a message that was not sent can be sent again with "Retry". ';
      element.appendChild(lead);
      element.appendChild(retry);
      if (clinic.phone) {
        element.appendChild(document.createTextNode('If you need help now, call ' + clinic.name + ' on '));
        element.appendChild(link(clinic.phone));
        element.appendChild(document.createTextNode('. '));
      }
      element.appendChild(document.createTextNode('In an emergency, call '));
      element.appendChild(link(clinic.emergencyNumber));
      element.appendChild(document.createTextNode(' now.'));
    }

    function setDown(value) {
      if (down === value) return;
      down = value;
      if (value) fill();
      else element.textContent = '';
      element.hidden = !value;
      if (options.onChange) options.onChange(value);
    }

    function ready() {
      return fetch(options.readyUrl, { cache: 'no-store', credentials: 'same-origin' }).then(function (res) {
        if (!res.ok) throw new Error('HTTP ' + res.status);
      });
    }

    /** Ask the server again and again (1 s, then longer, at most 10 s apart) until it answers, then reconnect. */
    function probe(delay) {
      window.clearTimeout(probeTimer);
      probeTimer = setTimeout(function () {
        ready()
          .then(function () { return options.reconnect(); })
          .then(function () {
            probeTimer = null;
            setDown(false);
          }, function () {
            probe(Math.min(delay * 2, LONGEST_PROBE_MS));
          });
      }, delay);
    }

    /** The bot cannot be reached, or a message did not get through: say so, and start watching for its return. */
    function trouble() {
      setDown(true);
      if (probeTimer === null) probe(FIRST_PROBE_MS);
    }

    function check() {
      ready().then(function () { /* the server is there: Web Chat's own timeout decides about this message */ }, trouble);
    }

    function middleware() {
      return function (next) {
        return function (action) {
          var meta = action.meta || {};
          switch (action.type) {
            case 'DIRECT_LINE/POST_ACTIVITY_PENDING':
              if (meta.clientActivityID) pending[meta.clientActivityID] = setTimeout(check, CHECK_AFTER_MS);
              break;
            case 'DIRECT_LINE/POST_ACTIVITY_FULFILLED':
              window.clearTimeout(pending[meta.clientActivityID]);
              delete pending[meta.clientActivityID];
              break;
            case 'DIRECT_LINE/POST_ACTIVITY_IMPEDED':
            case 'DIRECT_LINE/POST_ACTIVITY_REJECTED':
              window.clearTimeout(pending[meta.clientActivityID]);
              delete pending[meta.clientActivityID];
              // "cancelled" is the old connection's sends stopped by our own reconnect: they are marked failed, with
              // Retry, and are no sign of trouble on the new connection.
              if (!(action.payload && action.payload.message === 'cancelled')) trouble();
              break;
            default:
              break;
          }
          return next(action);
        };
      };
    }

    /**
     * A connection's own status (its connectionStatus$, which Web Chat turns into DIRECT_LINE/CONNECTION_STATUS_UPDATE).
     * Read here per connection, not from the store: the action does not say which connection it is about, and Web Chat
     * ends the old connection (status "ended") when the page swaps in a new one, which is no outage.
     */
    function connectionStatus(status) {
      if (status === FAILED_TO_CONNECT || status === ENDED) trouble();
    }

    return { middleware: middleware, trouble: trouble, connectionStatus: connectionStatus, isDown: function () { return down; } };
  }

  window.EczemaFaqOutage = { create: create };
})();
