/* Offline drafts and the installable web app, on every page (issue 17 part 8).
 *
 *   <form data-draft="duty|opinion">  an entry form a deputy may fill with no signal. It carries hidden
 *                              `idempotency_key` (filled here with a new UUID), `draft_user` and
 *                              `draft_form`. Sent while the phone is offline, its data stays in the phone
 *                              (draftstore.js) with "已保存在手机上，联网后自动发送"; sent while the signal
 *                              drops on the way, the service worker keeps it the same way.
 *   on load and on `online`    the signed-in user's waiting drafts are sent to their form's address with the
 *                              session's CSRF token; the key makes the platform record each once, however
 *                              often it arrives. A draft the platform refuses (a field to correct) stays,
 *                              marked, with 打开修改 to put it back into its form.
 *   the service worker         registered where browsers allow it (HTTPS or localhost); on plain HTTP the
 *                              pages work without it. A page without a signed-in user tells it to drop the
 *                              cached entry forms of the session.
 */
(function () {
  "use strict";
  var Drafts = window.RendaDrafts;
  var user = document.body.getAttribute("data-user") || "";
  var t = {
    saved: "已保存在手机上，联网后自动发送",
    waiting: "等待发送",
    problem: "未能发送：内容需要修改",
    open: "打开修改",
    drop: "删除",
    heading: "手机上的草稿",
    sent: function (n) {
      return "已发送 " + n + " 条草稿";
    },
  };

  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    if (!user && !document.body.hasAttribute("data-offline-page") && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage("signed-out");
    }
  }
  if (!Drafts || !window.indexedDB || !window.fetch) return;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function panel() {
    var list = document.querySelector("[data-drafts-list]");
    if (list) return list;
    var main = document.querySelector("main");
    if (!main) return null;
    var box = el("section", "card drafts-panel");
    box.setAttribute("data-drafts-panel", "");
    box.appendChild(el("h2", "", t.heading));
    list = el("ul", "drafts");
    list.setAttribute("data-drafts-list", "");
    box.appendChild(list);
    main.insertBefore(box, main.firstChild);
    return list;
  }

  function show() {
    return Drafts.all().then(function (all) {
      var mine = all.filter(function (d) {
        return !user || d.user === user;
      });
      var list = mine.length ? panel() : document.querySelector("[data-drafts-list]");
      if (!list) return;
      list.textContent = "";
      list.closest("[data-drafts-panel]").hidden = !mine.length;
      mine.forEach(function (d) {
        var li = el("li", "draft " + d.state);
        li.appendChild(el("span", "draft-title", d.title || "（无标题）"));
        li.appendChild(el("span", "muted small", d.state === "problem" ? t.problem : t.waiting));
        if (user) {
          var open = el("a", "btn secondary", t.open);
          open.href = d.action + "?draft=" + encodeURIComponent(d.key);
          li.appendChild(open);
        }
        var drop = el("button", "btn secondary", t.drop);
        drop.type = "button";
        drop.addEventListener("click", function () {
          Drafts.remove(d.key).then(show);
        });
        li.appendChild(drop);
        list.appendChild(li);
      });
    });
  }

  function note(text) {
    var n = document.querySelector("[data-draft-saved]");
    if (!n) {
      n = el("p", "msg");
      n.setAttribute("data-draft-saved", "");
      n.setAttribute("role", "status");
      var main = document.querySelector("main");
      if (main) main.insertBefore(n, main.firstChild);
    }
    n.textContent = text;
    n.hidden = false;
  }

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  // One draft to its form's address: true when recorded (now or by an earlier sending), false to wait.
  function send(d) {
    var body = new FormData();
    d.fields.forEach(function (f) {
      if (typeof f[1] === "string") body.append(f[0], f[1]);
      else body.append(f[0], f[1], f[1].name || "photo");
    });
    return fetch(d.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf() },
    }).then(
      function (r) {
        var to = new URL(r.url, location.href).pathname;
        if (r.redirected && to.indexOf("/accounts/") !== 0) return Drafts.remove(d.key).then(function () {
          return true;
        });
        if (r.redirected || r.status === 403) return false; // signed out: sent after the next login
        d.state = "problem";
        return Drafts.put(d).then(function () {
          return false;
        });
      },
      function () {
        return false; // still no signal
      }
    );
  }

  var sending = false;
  function sendAll() {
    if (sending || !user || navigator.onLine === false) return Promise.resolve();
    sending = true;
    return Drafts.all()
      .then(function (all) {
        var mine = all.filter(function (d) {
          return d.user === user && d.state === "waiting";
        });
        return mine.reduce(function (chain, d) {
          return chain.then(function (n) {
            return send(d).then(function (ok) {
              return n + (ok ? 1 : 0);
            });
          });
        }, Promise.resolve(0));
      })
      .then(function (n) {
        sending = false;
        if (n) note(t.sent(n));
        return show();
      }, function () {
        sending = false;
      });
  }

  function freshKey(form) {
    var key = form.querySelector("input[name=idempotency_key]");
    if (key && !key.value) key.value = Drafts.uuid();
  }

  // A draft put back into its form (打开修改): its text fields, and its photos where the browser allows.
  function restore(form, key) {
    return Drafts.all().then(function (all) {
      var d = all.filter(function (x) {
        return x.key === key && x.user === user;
      })[0];
      if (!d) return;
      var files = {};
      d.fields.forEach(function (f) {
        var input = form.elements.namedItem(f[0]);
        if (!input) return;
        if (typeof f[1] !== "string") {
          (files[f[0]] = files[f[0]] || []).push(f[1]);
        } else if (input.type !== "file") {
          input.value = f[1];
        }
      });
      Object.keys(files).forEach(function (name) {
        try {
          var dt = new DataTransfer();
          files[name].forEach(function (f) {
            dt.items.add(f);
          });
          form.elements.namedItem(name).files = dt.files;
        } catch (e) {
          /* the deputy chooses the photos again */
        }
      });
      return Drafts.remove(key);
    });
  }

  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    var wanted = new URLSearchParams(location.search).get("draft");
    (wanted ? restore(form, wanted) : Promise.resolve()).then(function () {
      freshKey(form);
    });
    form.addEventListener("submit", function (event) {
      if (navigator.onLine !== false) return; // sent as usual; the service worker keeps it if it fails
      event.preventDefault();
      var draft = Drafts.fromFormData(new FormData(form), form.getAttribute("action") || location.pathname);
      Drafts.put(draft).then(function () {
        note(t.saved);
        form.reset();
        form.querySelector("input[name=idempotency_key]").value = Drafts.uuid();
        show();
        window.scrollTo(0, 0);
      });
    });
  });

  if (document.body.hasAttribute("data-just-saved")) note(t.saved);
  window.addEventListener("online", sendAll);
  show().then(sendAll);
})();
