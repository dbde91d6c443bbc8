// Content-script loader, run at document_start so the wasm is ready before the page renders
// its cards. Content scripts are classic scripts, so the wasm glue is imported dynamically from
// the extension's web-accessible resources; the wasm is fetched at the same time, not after
// the glue. A page whose CSP forbids wasm makes this fail; the failure is reported instead of
// breaking silently.
// The storage keys are asked for at the same time too, and on a search page its upload records
// are read as soon as they arrive: once the page's own scripts run, a storage answer waits for
// them, and the cards would show before their statuses. The search is guessed from the URL; the
// wasm (which knows the page model's routes) uses the records only for the prefix it would
// read itself. A browser without getKeys leaves it all to the wasm.
(async () => {
  try {
    const wasm = fetch(chrome.runtime.getURL('content/content_bg.wasm'));
    const keys = chrome.storage.local.getKeys?.().catch(() => undefined);
    const search = /^\/searches\/([^/]+)\/?$/.exec(location.pathname)?.[1];
    const prefix = search && `upload/${search}/`;
    const records = prefix && keys?.then((all) => {
      const mine = (all ?? []).filter((key) => key.startsWith(prefix) && !key.slice(prefix.length).includes('/'));
      return mine.length ? chrome.storage.local.get(mine) : {};
    }).catch(() => undefined);
    const content = await import(chrome.runtime.getURL('content/content.js'));
    await content.default({ module_or_path: wasm });
    content.start_content(keys, prefix, records);
  } catch (error) {
    console.warn('Fetcher → Ashby could not start on this page:', error);
    chrome.runtime.sendMessage({ type: 'ContentBlocked', reason: String(error).slice(0, 300) }).catch(() => {});
  }
})();
