// Service worker shim. MV3 wakes the worker for an event and delivers it only to listeners
// registered in the first turn, so they are registered here, synchronously, and forward to
// Rust once the wasm module is ready. No top-level await: service workers forbid it.
import init, * as worker from './background/background.js';

const ready = init({ module_or_path: new URL('./background/background_bg.wasm', import.meta.url) })
  .then(() => worker.start_background());

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  ready
    .then(() => worker.handle_message(message, sender))
    .then(sendResponse, () => sendResponse({ type: 'Error', message: 'The extension hit an internal error. Reload it and try again.' }));
  return true; // the reply is sent asynchronously
});

// Retries are scheduled with alarms (they survive the worker being stopped; timers do not).
chrome.alarms.onAlarm.addListener((alarm) => {
  ready.then(() => worker.handle_alarm(alarm.name));
});
// The "Send to Ashby" shortcut: the content script in the active tab does the rest (a tab
// without it, i.e. not a Fetcher page, just does not answer).
chrome.commands?.onCommand.addListener((command, tab) => {
  if (command === 'send-to-ashby' && tab?.id !== undefined) {
    chrome.tabs.sendMessage(tab.id, { type: 'ShortcutSend' }).catch(() => {});
  }
});
// Starting the worker (above) resumes the queue; these events just make sure it starts.
chrome.runtime.onStartup.addListener(() => {});
chrome.runtime.onInstalled.addListener(() => {});
