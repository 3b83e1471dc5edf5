/* The drafts kept on the phone (issue 17 part 8), in IndexedDB: one row per form a deputy sent with no
 * signal, {key, user, action, title, fields: [[name, value]...], saved, state, problem}. `key` is the
 * draft's idempotency key (a UUID), so the platform records it once however often it is sent. Files (photos)
 * are kept as they are: IndexedDB stores File objects. Used by drafts.js in pages and by sw.js, which saves
 * a form whose sending failed on the way. */
(function (scope) {
  "use strict";
  var DB = "renda-drafts";
  var STORE = "drafts";

  function open() {
    return new Promise(function (resolve, reject) {
      var req = scope.indexedDB.open(DB, 1);
      req.onupgradeneeded = function () {
        req.result.createObjectStore(STORE, { keyPath: "key" });
      };
      req.onsuccess = function () {
        resolve(req.result);
      };
      req.onerror = function () {
        reject(req.error);
      };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () {
          db.close();
          resolve(result && "result" in result ? result.result : undefined);
        };
        tx.onerror = function () {
          db.close();
          reject(tx.error);
        };
      });
    });
  }

  // A version 4 UUID; crypto.randomUUID exists only on HTTPS, getRandomValues everywhere.
  function uuid() {
    var b = scope.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) {
      return (x + 0x100).toString(16).slice(1);
    });
    return [h.slice(0, 4), h.slice(4, 6), h.slice(6, 8), h.slice(8, 10), h.slice(10)]
      .map(function (part) {
        return part.join("");
      })
      .join("-");
  }

  // A form's data as a draft. The CSRF token is left out: the sender takes the session's current one.
  function fromFormData(data, action) {
    var fields = [];
    data.forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") return;
      if (typeof value !== "string" && !value.size) return; // no file chosen
      fields.push([name, value]);
    });
    var get = function (name) {
      var found = fields.filter(function (f) {
        return f[0] === name;
      })[0];
      return found && typeof found[1] === "string" ? found[1] : "";
    };
    return {
      key: get("idempotency_key") || uuid(),
      user: get("draft_user"),
      action: action,
      title: get("title") || get("content").slice(0, 30),
      fields: fields,
      saved: new Date().toISOString(),
      state: "waiting",
      problem: "",
    };
  }

  scope.RendaDrafts = {
    uuid: uuid,
    fromFormData: fromFormData,
    put: function (draft) {
      return run("readwrite", function (s) {
        s.put(draft);
      });
    },
    all: function () {
      return run("readonly", function (s) {
        return s.getAll();
      });
    },
    remove: function (key) {
      return run("readwrite", function (s) {
        s.delete(key);
      });
    },
  };
})(self);
