// Content-script loader, run at document_start so the wasm is ready before the page renders
// its cards. The wasm glue is injected just before it (`content/content.js`, a classic script
// made by .ci/classic-glue.mjs: the global `fetcherAshbyContent`), with the wasm's bytes in it:
// nothing is fetched. A page whose CSP forbids wasm makes this fail; the failure is reported
// instead of breaking silently.
// On a search page its upload digest (the worker's copy of the search's records, one key) is
// read at the same time too, and so are the storage keys, then the records themselves: once the
// page's own scripts run, a storage answer waits for them, and the cards would show before
// their statuses. The digest needs one round trip, so the first statuses come from it; the
// records (two round trips) correct it. The search is guessed from the URL; the wasm (which
// knows the page model's routes) uses these reads only for the search it would read itself.
// A browser without getKeys leaves the records to the wasm.
// Upload records change while all this loads (the worker may be sending one of them): the
// changes are noted from before the first read until the wasm listens itself, and handed over,
// or a status would stay as the early read saw it ("Queued") after the upload was sent.
(async () => {
  const changed = [];
  const noteChanges = (changes, area) => {
    if (area !== 'local') return;
    for (const [key, change] of Object.entries(changes)) {
      if (key.startsWith('upload/')) changed.push([key, change.newValue]);
    }
  };
  chrome.storage.onChanged.addListener(noteChanges);
  try {
    const keys = chrome.storage.local.getKeys?.().catch(() => undefined);
    const search = /^\/searches\/([^/]+)\/?$/.exec(location.pathname)?.[1];
    const prefix = search && `upload/${search}/`;
    const digestKey = search && `uploadDigest/${search}`;
    const digest = digestKey && chrome.storage.local.get(digestKey).catch(() => undefined);
    const records = prefix && keys?.then((all) => {
      const mine = (all ?? []).filter((key) => key.startsWith(prefix) && !key.slice(prefix.length).includes('/'));
      return mine.length ? chrome.storage.local.get(mine) : {};
    }).catch(() => undefined);
    // After the storage reads are on their way: decoding the bytes takes about a millisecond.
    const content = fetcherAshbyContent;
    await content.default({ module_or_path: content.wasm_bytes() });
    content.start_content(keys, prefix, records, digest, changed);
  } catch (error) {
    console.warn('Fetcher → Ashby could not start on this page:', error);
    chrome.runtime.sendMessage({ type: 'ContentBlocked', reason: String(error).slice(0, 300) }).catch(() => {});
  } finally {
    // The wasm listens from `start_content` on (in the same task: no change falls between).
    chrome.storage.onChanged.removeListener(noteChanges);
  }
})();
