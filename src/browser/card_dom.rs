//! The content script's hot path on search pages, in one JS call each: which candidate cards a
//! batch of DOM changes touched, and the raw strings of one card. Every web-sys call is a
//! JS↔wasm crossing; reading a card field by field took dozens of them per card on every
//! re-render. Here the DOM is walked in JS and only strings come back. What the strings mean
//! (which link is the profile, what a name is) stays in Rust (`content::page_reader`).

use wasm_bindgen::prelude::*;
use web_sys::Element;

#[wasm_bindgen(inline_js = r#"
const CARD = 'article, [role="article"]';
export function touchedCards(records) {
  const touched = [];
  const seen = new Set();
  const add = (card) => { if (!seen.has(card)) { seen.add(card); touched.push(card); } };
  for (const record of records) {
    const node = record.target;
    const target = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const card = target && target.closest(CARD);
    if (card) add(card);
    for (const added of record.addedNodes) {
      if (added.nodeType !== Node.ELEMENT_NODE) continue;
      if (added.matches(CARD)) add(added);
      for (const inner of added.querySelectorAll(CARD)) add(inner);
    }
  }
  return touched;
}
export function readCard(card) {
  const out = [];
  let status = false;
  // One walk of the card; an element may be several of these at once.
  for (const e of card.querySelectorAll('a[href], [role="status"], button, [role="button"]')) {
    if (e.localName === 'a' && e.hasAttribute('href')) {
      const raw = e.getAttribute('href');
      const scheme = raw.slice(0, 7).toLowerCase();
      if (scheme === 'mailto:') out.push('m', raw);
      else if (scheme.startsWith('tel:')) out.push('t', raw);
      if (e instanceof HTMLAnchorElement) {
        // Only what can be a profile link or a LinkedIn/GitHub link (Rust decides which).
        const path = e.pathname;
        const href = e.href;
        const profile = path.startsWith('/searches/') && path.includes('/candidates/');
        if (profile || href.includes('linkedin.com/') || href.includes('github.com/')) {
          out.push('a', path, profile ? e.textContent : '', href);
        }
      }
    }
    if (!status && e.matches('[role="status"]')) {
      status = true;
      out.push('s', e.textContent);
    }
    if (e.localName === 'button' || e.getAttribute('role') === 'button') {
      out.push('b', e.hasAttribute('aria-labelledby') ? '1' : '0', e.getAttribute('aria-label') ?? '',
        e.getAttribute('aria-pressed') ?? '');
    }
  }
  return out;
}
"#)]
extern "C" {
    /// The cards (`article`, `role="article"`) that `records` (a `MutationRecord` array)
    /// touched: the card around each changed node, and cards added or inside added nodes, each
    /// once, in the order met.
    #[wasm_bindgen(js_name = touchedCards)]
    pub fn touched_cards(records: &js_sys::Array) -> Vec<Element>;

    /// One card as tagged strings, in one walk: `a` pathname text href (HTML links that may be
    /// a profile link, whose text comes along, or a LinkedIn/GitHub link), `m` href (`mailto:`
    /// links), `t` href (`tel:` links), `s` text (the first `role="status"`), `b`
    /// labelledby(`1`/`0`) aria-label aria-pressed (each button).
    #[wasm_bindgen(js_name = readCard)]
    pub fn read_card(card: &Element) -> Vec<String>;
}
