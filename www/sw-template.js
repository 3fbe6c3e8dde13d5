
// Service worker of R2P Annotator: precaches the whole app at install and serves it cache-first,
// so the app works offline after one visit. (VERSION and FILES are written above at build time.)
// Cache names carry the worker's scope, so that another copy of the app on the same origin (served
// from another path) keeps its own caches: activate deletes only this copy's older ones. A space
// ends the scope: a serialized URL never holds one, so no copy's prefix starts another's (a ":"
// would let scope "/a/" claim the caches of scope "/a/:b/").
const CACHE_PREFIX = `r2p-annotator:${self.registration.scope} `;
const CACHE = CACHE_PREFIX + VERSION;

self.addEventListener("install", (event) => {
  // cache: "reload" bypasses the HTTP cache, so a stale copy of a file cannot enter a new version.
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(FILES.map((f) => new Request(f, { cache: "reload" }))))
  );
});

// Caches of builds before scoped names ("r2p-annotator-" and a version) are this copy's only when
// they hold this very scope's start page: another copy's (another path, even one nested below this
// scope) holds its own.
const LEGACY = /^r2p-annotator-[0-9a-f]{16}$/;
const ours = async (key) =>
  (key.startsWith(CACHE_PREFIX) && key !== CACHE) ||
  (LEGACY.test(key) && !!(await (await caches.open(key)).match(self.registration.scope, { ignoreSearch: true })));

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then(async (keys) => {
        const old = [];
        for (const k of keys) if (await ours(k)) old.push(k);
        return Promise.all(old.map((k) => caches.delete(k)));
      })
      .then(() => self.clients.claim())
  );
});

// The page asks a waiting worker to take over when the user accepts an update.
self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const hit = await cache.match(request, { ignoreSearch: true });
      if (hit) return hit;
      try {
        return await fetch(request);
      } catch (error) {
        // Offline and not cached: a navigation still gets the app.
        if (request.mode === "navigate") return cache.match("./index.html");
        throw error;
      }
    })
  );
});
