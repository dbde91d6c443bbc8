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
/** What a card's reading looks at (and the cards inside it), in one query per card. */
const READ = 'a, button, [role], article, [' + HOST + ']';
/** Our status hosts: a batch that only added these changed nothing of the page's. */
const OURS = new WeakSet();
/** A root-relative path the URL parser keeps as is (no dots, escapes, backslashes). */
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9_\-\/]*$/;
/** Schemes are case-insensitive; tested in place (no slice or lower-cased copy per link). */
const MAILTO = /^mailto:/i;
const TEL = /^tel:/i;
function put(out, s) { return out + s.length + ':' + s; }
/** A batch crosses into wasm as UTF-8 bytes: encoded natively here and copied in at once
 * (the glue's string crossing walks a long string one code unit at a time in JS). Encoded
 * into an array of this script's own (`encodeInto`): in Firefox, `encode`'s array belongs to
 * the page's compartment, which wasm cannot take as a `Uint8Array`. At most 3 bytes per
 * UTF-16 unit. */
const UTF8 = new TextEncoder();
function utf8(s) {
  const bytes = new Uint8Array(s.length * 3);
  return bytes.subarray(0, UTF8.encodeInto(s, bytes).written);
}
// Every DOM call from here is a call into the browser (and each element met gets a wrapper
// in the content script's world): loops are indexed, each attribute is asked for once.
function readCard(card, plainPaths, innerCard) {
  let host = '';
  let reading = '';
  let status = false;
  // One query per card, in document order: links, buttons, anything with a role, our host,
  // and cards inside this one (handed to `innerCard`, when given).
  const found = card.querySelectorAll(READ);
  for (let i = 0, count = found.length; i < count; i += 1) {
    const e = found[i];
    const tag = e.localName;
    if (tag === 'a') {
      const raw = e.getAttribute('href');
      if (raw !== null) {
        if (MAILTO.test(raw)) reading = put(reading + 'm', raw);
        else if (TEL.test(raw)) reading = put(reading + 't', raw);
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
    if (innerCard !== null && (tag === 'article' || role === 'article')) innerCard(e);
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
    // Our hosts are divs (`status_host`): other elements are not asked (each ask is a call into
    // the browser, the dearest part of reading a long page).
    if (host === '' && tag === 'div') {
      const id = e.getAttribute(HOST);
      if (id !== null) host = id;
    }
  }
  return put(put('', host), reading);
}
function plainPathsHere() {
  try { return new URL(document.baseURI).origin === location.origin; } catch { return false; }
}
/** `cards` read in order; a card found inside one of them (`innerCard`) is added and read too. */
function readAll(cards, innerCard) {
  const plainPaths = plainPathsHere();
  let out = '';
  for (let i = 0; i < cards.length; i += 1) out += readCard(cards[i], plainPaths, innerCard);
  return out;
}
/** `CARD` without a selector match: one property read for most elements. */
function isCard(e) { return e.localName === 'article' || e.getAttribute('role') === 'article'; }
/** The cards at or inside an added element. Wrappers with one child are walked down (cheaper
 * than a query); the cards inside a card are found while reading it. */
function addCardsIn(node, add) {
  let at = node;
  for (;;) {
    if (isCard(at)) { add(at); return; }
    if (at.childElementCount !== 1) break;
    at = at.firstElementChild;
  }
  if (at.firstElementChild === null) return;
  const inner = at.querySelectorAll(CARD);
  for (let i = 0, count = inner.length; i < count; i += 1) add(inner[i]);
}
export function scanBatch(records, withCards) {
  const cards = [];
  const seen = new Set();
  let adds = false;
  const add = (card) => { if (!seen.has(card)) { seen.add(card); cards.push(card); } };
  // Many records share a target (a list whose children were replaced): look it up once.
  let lastTarget = null;
  for (let r = 0, total = records.length; r < total; r += 1) {
    const record = records[r];
    const added = record.addedNodes;
    const count = added.length;
    // Only our own status hosts added (checked from the first: usually it is not ours).
    if (count !== 0 && OURS.has(added[0]) && record.removedNodes.length === 0) {
      let onlyOurs = true;
      for (let i = 1; i < count; i += 1) if (!OURS.has(added[i])) { onlyOurs = false; break; }
      if (onlyOurs) continue;
    }
    if (count !== 0) adds = true;
    if (!withCards) continue;
    const node = record.target;
    if (node !== lastTarget) {
      lastTarget = node;
      const target = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
      const card = target && target.closest(CARD);
      if (card) add(card);
    }
    for (let i = 0; i < count; i += 1) {
      const node = added[i];
      if (node.nodeType === Node.ELEMENT_NODE) addCardsIn(node, add);
    }
  }
  return [cards, utf8(withCards ? readAll(cards, add) : ''), adds];
}
export function readCards(cards) { return utf8(readAll(cards, null)); }
export function allCards() {
  const cards = [...document.querySelectorAll(CARD)];
  return [cards, utf8(readAll(cards, null))];
}
export function ownHost(host) { OURS.add(host); }
export function appendEach(parents, children) {
  for (let i = 0; i < parents.length; i += 1) parents[i].append(children[i]);
}
"#)]
extern "C" {
    /// `[cards, batch, addsNodes]` for `records` (a `MutationRecord` array): the cards
    /// (`article`, `role="article"`) it touched (the card around each changed node, cards
    /// added or inside added nodes, and cards inside those, each once, in the order met) and
    /// their reading as UTF-8 bytes (`batch_text`), when `with_cards`; whether any node was
    /// added. Records that only added our own status hosts are skipped.
    #[wasm_bindgen(js_name = scanBatch)]
    pub fn scan_batch(records: &js_sys::Array, with_cards: bool) -> js_sys::Array;

    /// The reading of `cards` (an array of elements), in order, as UTF-8 bytes.
    #[wasm_bindgen(js_name = readCards)]
    pub fn read_cards(cards: &js_sys::Array) -> js_sys::Uint8Array;

    /// `[cards, batch]`: every card on the page and their reading (UTF-8 bytes).
    #[wasm_bindgen(js_name = allCards)]
    pub fn all_cards() -> js_sys::Array;

    /// Marks `host` as one of ours (its insertion is not a change of the page).
    #[wasm_bindgen(js_name = ownHost)]
    pub fn own_host(host: &Element);

    /// Appends `children[i]` to `parents[i]`, for each `i`, in one call.
    #[wasm_bindgen(js_name = appendEach)]
    pub fn append_each(parents: &js_sys::Array, children: &js_sys::Array);
}

/// A batch's reading from its UTF-8 bytes (empty if it is not bytes, or not UTF-8: the reader
/// makes neither, so a page cannot feed anything else in).
pub fn batch_text(bytes: &JsValue) -> String {
    bytes
        .dyn_ref::<js_sys::Uint8Array>()
        .and_then(|bytes| String::from_utf8(bytes.to_vec()).ok())
        .unwrap_or_default()
}
