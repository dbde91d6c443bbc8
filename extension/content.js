// Content-script loader, run at document_start so the wasm is ready before the page renders
// its cards. Content scripts are classic scripts, so the wasm glue is imported dynamically from
// the extension's web-accessible resources; the wasm is fetched at the same time, not after
// the glue. A page whose CSP forbids wasm makes this fail; the failure is reported instead of
// breaking silently.
// The storage keys are asked for at the same time too, so the search's upload records can be
// read as soon as the wasm runs (a browser without getKeys leaves it to the wasm).
(async () => {
  try {
    const wasm = fetch(chrome.runtime.getURL('content/content_bg.wasm'));
    const keys = chrome.storage.local.getKeys?.().catch(() => undefined);
    const content = await import(chrome.runtime.getURL('content/content.js'));
    await content.default({ module_or_path: wasm });
    content.start_content(keys);
  } catch (error) {
    console.warn('Fetcher → Ashby could not start on this page:', error);
    chrome.runtime.sendMessage({ type: 'ContentBlocked', reason: String(error).slice(0, 300) }).catch(() => {});
  }
})();
