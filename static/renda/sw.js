/* The service worker of the installable web app (issue 17 part 8), served at /sw.js (renda/pwa.py).
 *
 * It keeps the app shell (our static files and the offline page) and nothing else of the platform's
 * answers: never an API answer (/api/), never a page with personal data, except the two entry forms a deputy
 * may open with no signal (duty record, opinion), which are kept in a cache of the session that is dropped at
 * logout and whenever a page without a signed-in user loads (drafts.js asks for it). A form sent to one of
 * these that fails on the way is saved as a draft on the phone (draftstore.js) and the offline page says so;
 * drafts.js sends it when the phone is back online. */
"use strict";
importScripts("/static/renda/draftstore.js");

var SHELL = "renda-shell-v1";
var SESSION = "renda-session";
var OFFLINE = "/offline/";
var SHELL_URLS = [
  OFFLINE,
  "/static/renda/renda.css",
  "/static/renda/renda.js",
  "/static/renda/draftstore.js",
  "/static/renda/drafts.js",
  "/static/renda/favicon.svg",
  "/static/renda/icons/icon-192.png",
  "/static/vendor/htmx.min.js",
];
var DRAFT_FORMS = ["/duty/new/", "/opinions/new/"];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL).then(function (cache) {
      // One by one: a file missing (htmx is optional) must not keep the rest out.
      return Promise.all(
        SHELL_URLS.map(function (url) {
          return cache.add(new Request(url, { cache: "reload" })).catch(function () {});
        })
      );
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names.filter(function (n) {
          return n !== SHELL && n !== SESSION;
        }).map(function (n) {
          return caches.delete(n);
        })
      );
    }).then(function () {
      return self.clients.claim();
    })
  );
});

self.addEventListener("message", function (event) {
  if (event.data === "signed-out") event.waitUntil(caches.delete(SESSION));
});

function offlinePage(saved) {
  return caches.match(OFFLINE).then(function (page) {
    if (!page) return new Response("没有网络", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    if (!saved) return page;
    return page.text().then(function (html) {
      html = html.replace("data-offline-page", "data-offline-page data-just-saved");
      return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
    });
  });
}

// A draft form sent while the signal drops: keep what was written, show the offline page.
function sendOrKeep(request) {
  var copy = request.clone();
  return fetch(request).catch(function () {
    return copy.formData().then(function (data) {
      return self.RendaDrafts.put(self.RendaDrafts.fromFormData(data, new URL(copy.url).pathname));
    }).then(function () {
      return offlinePage(true);
    }, function () {
      return offlinePage(false);
    });
  });
}

function fromNetworkFirst(request, keep) {
  return fetch(request).then(function (response) {
    if (keep && response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(SESSION).then(function (cache) {
        cache.put(request, copy);
      });
    }
    return response;
  }).catch(function () {
    return (keep ? caches.match(request, { cacheName: SESSION }) : Promise.resolve(null)).then(function (hit) {
      return hit || offlinePage(false);
    });
  });
}

// Static files: from the cache at once, refreshed from the network behind it.
function staleWhileRevalidate(request) {
  return caches.open(SHELL).then(function (cache) {
    return cache.match(request).then(function (hit) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
      return hit || fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) return;
  var isDraftForm = DRAFT_FORMS.indexOf(url.pathname) !== -1;
  if (request.method === "POST") {
    if (url.pathname === "/accounts/logout/") {
      event.respondWith(caches.delete(SESSION).then(function () {
        return fetch(request);
      }));
    } else if (isDraftForm && request.mode === "navigate") {
      event.respondWith(sendOrKeep(request));
    }
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staleWhileRevalidate(request));
  } else if (request.mode === "navigate") {
    event.respondWith(fromNetworkFirst(request, isDraftForm && !url.search));
  }
});
