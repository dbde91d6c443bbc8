//! The content script's hot path on search pages, in one JS call per batch: which candidate
//! cards a batch of DOM changes touched, and their raw strings, as **one** string
//! (`fetcher::card_reading` decodes it). Every web-sys call is a JS↔wasm crossing; reading a
//! card field by field took dozens of them per card on every re-render. Here the DOM is walked
//! in JS and only one string comes back. What the strings mean (which link is the profile,
//! what a name is) stays in Rust (`content::page_reader`).

use wasm_bindgen::prelude::*;
use web_sys::Element;

#[wasm_bindgen(inline_js = r#"
const CARD = 'article, [role="article"]';
const HOST = 'data-fetcher-ashby-status';
/** Our status hosts: a batch that only added these changed nothing of the page's. */
const OURS = new WeakSet();
/** A root-relative path the URL parser keeps as is (no dots, escapes, backslashes). */
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9_\-\/]*$/;
function put(out, s) { return out + s.length + ':' + s; }
function readCard(card, plainPaths) {
  let host = '';
  let reading = '';
  let status = false;
  // One query per card, in document order: links, buttons, anything with a role, our host.
  for (const e of card.querySelectorAll('a, button, [role], [' + HOST + ']')) {
    const tag = e.localName;
    if (tag === 'a') {
      const raw = e.getAttribute('href');
      if (raw !== null) {
        const scheme = raw.slice(0, 7).toLowerCase();
        if (scheme === 'mailto:') reading = put(reading + 'm', raw);
        else if (scheme.startsWith('tel:')) reading = put(reading + 't', raw);
        else if (e instanceof HTMLAnchorElement) {
          // Resolving a URL is the costliest read: a plain same-site path needs none (and
          // is never a LinkedIn or GitHub link).
          const plain = plainPaths && PLAIN_PATH.test(raw);
          const path = plain ? raw : e.pathname;
          const href = plain ? '' : e.href;
          const profile = path.startsWith('/searches/') && path.includes('/candidates/');
          if (profile || href.includes('linkedin.com/') || href.includes('github.com/')) {
            reading = put(put(put(reading + 'a', path), profile ? e.textContent : ''), href);
          }
        }
      }
    }
    const role = e.getAttribute('role');
    if (!status && role === 'status') { status = true; reading = put(reading + 's', e.textContent); }
    if (tag === 'button' || role === 'button') {
      const labelledby = e.getAttribute('aria-labelledby');
      const label = e.getAttribute('aria-label') ?? '';
      reading = put(put(reading + 'b' + (labelledby === null ? '0' : '1'), label), e.getAttribute('aria-pressed') ?? '');
      // What else may name it, when the label alone does not: part of the reading, so a card
      // that reads the same is named the same.
      const named = labelledby === null && label.trim() !== '';
      reading = put(put(put(reading, named ? '' : labelledby ?? ''), named ? '' : e.getAttribute('title') ?? ''),
        named ? '' : (e.textContent ?? '').slice(0, 256));
    }
    if (host === '' && e.hasAttribute(HOST)) host = e.getAttribute(HOST);
  }
  return put(put('', host), reading);
}
function readAll(cards) {
  let out = '';
  let plainPaths = false;
  try { plainPaths = new URL(document.baseURI).origin === location.origin; } catch {}
  for (const card of cards) out += readCard(card, plainPaths);
  return out;
}
export function scanBatch(records, withCards) {
  const cards = [];
  const seen = new Set();
  let adds = false;
  const add = (card) => { if (!seen.has(card)) { seen.add(card); cards.push(card); } };
  // Many records share a target (a list whose children were replaced): look it up once.
  let lastTarget = null;
  for (const record of records) {
    const added = record.addedNodes;
    if (added.length && !record.removedNodes.length) {
      let onlyOurs = true;
      for (const node of added) if (!OURS.has(node)) { onlyOurs = false; break; }
      if (onlyOurs) continue;
    }
    if (added.length) adds = true;
    if (!withCards) continue;
    const node = record.target;
    if (node !== lastTarget) {
      lastTarget = node;
      const target = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
      const card = target && target.closest(CARD);
      if (card) add(card);
    }
    for (const node of added) {
      if (node.nodeType !== Node.ELEMENT_NODE) continue;
      if (node.matches(CARD)) add(node);
      if (node.firstElementChild) for (const inner of node.querySelectorAll(CARD)) add(inner);
    }
  }
  return [cards, withCards ? readAll(cards) : '', adds];
}
export function readCards(cards) { return readAll(cards); }
export function allCards() {
  const cards = [...document.querySelectorAll(CARD)];
  return [cards, readAll(cards)];
}
export function ownHost(host) { OURS.add(host); }
export function appendEach(parents, children) {
  for (let i = 0; i < parents.length; i += 1) parents[i].append(children[i]);
}
"#)]
extern "C" {
    /// `[cards, batch, addsNodes]` for `records` (a `MutationRecord` array): the cards
    /// (`article`, `role="article"`) it touched (the card around each changed node, and cards
    /// added or inside added nodes, each once, in the order met) and their reading, when
    /// `with_cards`; whether any node was added. Records that only added our own status hosts
    /// are skipped.
    #[wasm_bindgen(js_name = scanBatch)]
    pub fn scan_batch(records: &js_sys::Array, with_cards: bool) -> js_sys::Array;

    /// The reading of `cards` (an array of elements), in order.
    #[wasm_bindgen(js_name = readCards)]
    pub fn read_cards(cards: &js_sys::Array) -> String;

    /// `[cards, batch]`: every card on the page and their reading.
    #[wasm_bindgen(js_name = allCards)]
    pub fn all_cards() -> js_sys::Array;

    /// Marks `host` as one of ours (its insertion is not a change of the page).
    #[wasm_bindgen(js_name = ownHost)]
    pub fn own_host(host: &Element);

    /// Appends `children[i]` to `parents[i]`, for each `i`, in one call.
    #[wasm_bindgen(js_name = appendEach)]
    pub fn append_each(parents: &js_sys::Array, children: &js_sys::Array);
}
