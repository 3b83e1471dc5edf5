/* Live meeting screens (hall, chair, phone): the state arrives over a WebSocket and is written into the page
 * through data attributes; where the WebSocket is blocked the same state is polled from the API every 2 s.
 *
 *   <div data-live-meeting="ID" data-live-view="hall|chair|phone">   the root (one per page)
 *   <span data-live="attendance.present">                             text of a value (dotted path)
 *   <div data-live-if="vote">  /  data-live-if="vote.state" data-live-eq="open"   shown when truthy / equal
 *   <div data-live-if="phase" data-live-in="a b">                      shown when the value is one of these
 *   <ul data-live-list="not_voted">                                   items: strings, or {name, choice_label}
 *   <tbody data-live-rows="election.rows" data-live-cols="name for">  one <tr> per item, one <td> per key
 *   <span data-live-countdown="vote.closes_at">                        mm:ss left until that ISO time
 *   <span data-live-indicator>                                         connection state (optional: added if absent)
 *
 * A phone's ballot form marked <form data-live-ballot="VOTE ID"> is sent over the socket when it is open (the
 * page reloads on the answer); without an open socket, or with no answer in 5 s, the form posts as usual.
 *
 * Optional on the root: data-live-poll-url (default /api/v1/meetings/ID/live?view=VIEW), data-live-vote
 * ("<vote id>:<state>" as rendered, so a phone reloads when the vote changes), data-live-label-live /
 * -poll / -down (indicator texts). Plain JS, no build step, no CDN.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-live-meeting]");
  if (!root) return;

  var meetingId = root.getAttribute("data-live-meeting");
  var view = root.getAttribute("data-live-view") || "hall";
  var pollUrl =
    root.getAttribute("data-live-poll-url") ||
    "/api/v1/meetings/" + encodeURIComponent(meetingId) + "/live?view=" + encodeURIComponent(view);
  var wsUrl =
    (location.protocol === "https:" ? "wss://" : "ws://") +
    location.host + "/ws/meetings/" + encodeURIComponent(meetingId) + "/" + encodeURIComponent(view) + "/";
  var labels = {
    live: root.getAttribute("data-live-label-live") || "实时",
    poll: root.getAttribute("data-live-label-poll") || "轮询",
    down: root.getAttribute("data-live-label-down") || "断开"
  };

  var POLL_MS = 2000;
  var MAX_BACKOFF_MS = 30000;
  var REFUSED = 4403;

  var version = -1;
  var voteKey = root.getAttribute("data-live-vote"); // null: take the first state as the baseline
  var socket = null;
  var failures = 0; // WebSocket attempts in a row that never opened or closed soon
  var backoff = 1000;
  var pollTimer = null;
  var pingTimer = null;
  var mode = "";

  // --- indicator -------------------------------------------------------------------------------------
  var indicator = root.querySelector("[data-live-indicator]");
  if (!indicator) {
    indicator = document.createElement("span");
    indicator.setAttribute("data-live-indicator", "");
    indicator.className = "live-indicator";
    root.insertBefore(indicator, root.firstChild);
  }

  function setMode(next) {
    mode = next;
    indicator.textContent = labels[next];
    indicator.setAttribute("data-state", next);
    root.setAttribute("data-live-mode", next);
  }

  // --- applying a state ------------------------------------------------------------------------------
  function get(state, path) {
    var parts = path.split(".");
    var value = state;
    for (var i = 0; i < parts.length; i++) {
      if (value === null || value === undefined) return undefined;
      value = value[parts[i]];
    }
    return value;
  }

  function truthy(value) {
    if (Array.isArray(value)) return value.length > 0;
    return !!value;
  }

  function text(value) {
    if (value === null || value === undefined) return "—";
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
  }

  function itemText(item) {
    if (item === null || typeof item !== "object") return text(item);
    var name = item.name || item.deputy || "";
    var label = item.choice_label || item.label || item.choice || "";
    return label ? name + "：" + label : name;
  }

  function each(selector, fn) {
    var nodes = root.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) fn(nodes[i]);
  }

  function apply(state) {
    if (!state || typeof state !== "object") return;
    var v = typeof state.version === "number" ? state.version : 0;
    if (v < version) return; // an older state overtaken by a newer one
    version = v;

    if (view === "phone") {
      var vote = state.vote;
      var key = vote ? vote.id + ":" + vote.state : "";
      if (voteKey === null) {
        voteKey = key;
      } else if (key !== voteKey) {
        location.reload(); // a vote opened or closed: the page shows other buttons
        return;
      }
    }

    each("[data-live]", function (el) {
      el.textContent = text(get(state, el.getAttribute("data-live")));
    });
    each("[data-live-if]", function (el) {
      var value = get(state, el.getAttribute("data-live-if"));
      var eq = el.getAttribute("data-live-eq");
      var among = el.getAttribute("data-live-in");
      if (among !== null) el.hidden = among.split(" ").indexOf(String(value)) < 0;
      else el.hidden = !(eq === null ? truthy(value) : String(value) === eq);
    });
    each("[data-live-rows]", function (el) {
      var items = get(state, el.getAttribute("data-live-rows")) || [];
      var cols = (el.getAttribute("data-live-cols") || "").split(" ");
      var frag = document.createDocumentFragment();
      for (var i = 0; i < items.length; i++) {
        var tr = document.createElement("tr");
        for (var j = 0; j < cols.length; j++) {
          var td = document.createElement("td");
          td.textContent = text(items[i][cols[j]]);
          tr.appendChild(td);
        }
        frag.appendChild(tr);
      }
      el.replaceChildren ? el.replaceChildren(frag) : ((el.innerHTML = ""), el.appendChild(frag));
    });
    each("[data-live-countdown]", function (el) {
      var at = get(state, el.getAttribute("data-live-countdown"));
      el.setAttribute("data-live-until", at ? String(Date.parse(at)) : "");
    });
    tick();
    each("[data-live-list]", function (el) {
      var items = get(state, el.getAttribute("data-live-list")) || [];
      var frag = document.createDocumentFragment();
      for (var i = 0; i < items.length; i++) {
        var li = document.createElement("li");
        li.textContent = itemText(items[i]);
        frag.appendChild(li);
      }
      el.replaceChildren ? el.replaceChildren(frag) : ((el.innerHTML = ""), el.appendChild(frag));
    });
    root.setAttribute("data-live-version", String(version));
    if (state.final) root.setAttribute("data-live-final", "1");
    root.dispatchEvent(new CustomEvent("renda:live", { detail: state }));
  }

  // --- countdowns (every second, from the time the state gives) ----------------------------------------
  function tick() {
    each("[data-live-countdown]", function (el) {
      var until = parseInt(el.getAttribute("data-live-until") || "", 10);
      if (!until) {
        el.textContent = el.getAttribute("data-live-countdown-none") || "";
        return;
      }
      var left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      var m = Math.floor(left / 60);
      var sec = left % 60;
      el.textContent = (m < 10 ? "0" : "") + m + ":" + (sec < 10 ? "0" : "") + sec;
    });
  }
  setInterval(tick, 1000);

  // --- polling ---------------------------------------------------------------------------------------
  function pollOnce() {
    return fetch(pollUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (resp) {
        if (!resp.ok) throw new Error("HTTP " + resp.status);
        return resp.json();
      })
      .then(function (state) {
        if (mode !== "live") setMode("poll");
        apply(state);
      })
      .catch(function () {
        if (mode !== "live") setMode("down");
      });
  }

  function startPolling() {
    if (pollTimer) return;
    setMode("poll");
    pollOnce();
    pollTimer = setInterval(pollOnce, POLL_MS);
  }

  function stopPolling() {
    if (pollTimer) clearInterval(pollTimer);
    pollTimer = null;
  }

  // --- WebSocket -------------------------------------------------------------------------------------
  function connect() {
    if (typeof WebSocket === "undefined") {
      startPolling();
      return;
    }
    var opened = false;
    var openedAt = 0;
    try {
      socket = new WebSocket(wsUrl);
    } catch (e) {
      failures++;
      startPolling();
      return;
    }
    socket.onopen = function () {
      opened = true;
      openedAt = Date.now();
      stopPolling();
      setMode("live");
      pingTimer = setInterval(function () {
        if (socket && socket.readyState === 1) socket.send("ping");
      }, 25000);
    };
    socket.onmessage = function (event) {
      if (event.data === "pong") return;
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        return; // a malformed message is skipped; the next state replaces it
      }
      if (message && message.ref !== undefined && "ok" in message) answer(message);
      else apply(message);
    };
    socket.onclose = function (event) {
      if (pingTimer) clearInterval(pingTimer);
      pingTimer = null;
      socket = null;
      if (event.code === REFUSED) {
        setMode("down"); // not allowed to watch: polling would be refused too
        return;
      }
      // A connection that never opened, or dropped within seconds, counts as a failure.
      if (!opened || Date.now() - openedAt < 5000) {
        failures++;
      } else {
        failures = 0;
        backoff = 1000;
      }
      if (!opened || failures >= 2) startPolling();
      else setMode("down");
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    };
  }

  // --- ballots over the socket (phone) ------------------------------------------------------------------
  var pending = {};
  var nextRef = 1;

  function postForm(form, choice) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "choice";
    input.value = choice;
    form.appendChild(input);
    form.submit();
  }

  function answer(message) {
    var entry = pending[message.ref];
    if (!entry) return;
    delete pending[message.ref];
    clearTimeout(entry.timer);
    if (message.ok) {
      if (message.receipt) location.search = "?receipt=" + encodeURIComponent(message.receipt);
      else location.reload();
      return;
    }
    var box = entry.form.querySelector("[data-live-ballot-error]");
    if (box) box.textContent = message.message || "";
    else window.alert(message.message || "");
    entry.setDisabled(false);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-live-ballot")) return;
    var button = event.submitter;
    if (!button || !button.value || !socket || socket.readyState !== 1) return; // posts as usual
    event.preventDefault();
    var buttons = form.querySelectorAll("button");
    var setDisabled = function (on) {
      for (var i = 0; i < buttons.length; i++) buttons[i].disabled = on;
    };
    setDisabled(true);
    var ref = nextRef++;
    var choice = button.value;
    pending[ref] = {
      form: form,
      setDisabled: setDisabled,
      timer: setTimeout(function () {
        delete pending[ref];
        postForm(form, choice); // no answer: the server tells (a second ballot is refused anyway)
      }, 5000)
    };
    socket.send(
      JSON.stringify({ ballot: { vote: parseInt(form.getAttribute("data-live-ballot"), 10), choice: choice }, ref: ref })
    );
  });

  window.rendaLive = {
    apply: apply,
    mode: function () {
      return mode;
    },
    version: function () {
      return version;
    }
  };

  setMode("down");
  connect();
})();
