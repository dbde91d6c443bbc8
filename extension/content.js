// Content-script loader. Content scripts are classic scripts, so the wasm glue is imported
// dynamically from the extension's web-accessible resources. A page whose CSP forbids wasm
// makes this fail; the failure is reported instead of breaking silently.
(async () => {
  try {
    const content = await import(chrome.runtime.getURL('content/content.js'));
    await content.default({ module_or_path: chrome.runtime.getURL('content/content_bg.wasm') });
    content.start_content();
  } catch (error) {
    console.warn('Fetcher → Ashby could not start on this page:', error);
    chrome.runtime.sendMessage({ type: 'ContentBlocked', reason: String(error).slice(0, 300) }).catch(() => {});
  }
})();
