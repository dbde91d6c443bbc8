// Removes a dependency's wasm exports that nothing calls, so the wasm-opt run after it can drop
// the code behind them. Leptos turns on server_fn's "browser" feature, which links
// wasm-streams, and its `#[wasm_bindgen]` stream classes (IntoUnderlyingSource, …Sink,
// …ByteSource) are exports: roots no link-time optimisation may remove, ~5 KB of each Leptos
// page's wasm although these pages have no server functions. JS only reaches that code through
// those classes, and JS only gets one when Rust makes it, through an import of the same name
// (`__wbg_intounderlyingsource_new…`): the script refuses a module that has such an import.
// The glue keeps the unused classes. wasm-opt runs after it (`.ci/build`).
// Usage: node .ci/drop-exports.mjs <file.wasm> <export-name regex>
import { readFileSync, writeFileSync } from 'node:fs';

const [file, pattern] = process.argv.slice(2);
const matches = new RegExp(pattern, 'i');
const bytes = readFileSync(file);

const readLeb = (at) => {
  let value = 0, shift = 0, byte;
  do { byte = bytes[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return [value, at];
};
const leb = (value) => {
  const out = [];
  do { let byte = value & 0x7f; value = Math.floor(value / 128); out.push(value ? byte | 0x80 : byte); } while (value);
  return Buffer.from(out);
};
const readName = (at) => {
  const [length, start] = readLeb(at);
  return [bytes.toString('utf8', start, start + length), start + length];
};

if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error(`${file}: not a wasm module`);
const parts = [bytes.subarray(0, 8)];
const dropped = [];
let offset = 8;
while (offset < bytes.length) {
  const id = bytes[offset];
  const [size, body] = readLeb(offset + 1);
  const end = body + size;
  if (id === 2) {
    // Imports: module name, field name, then a description whose length depends on its kind.
    let [count, at] = readLeb(body);
    for (let i = 0; i < count; i++) {
      let name;
      [, at] = readName(at);
      [name, at] = readName(at);
      if (matches.test(name)) throw new Error(`${file}: import ${name} is still used`);
      const kind = bytes[at++];
      if (kind === 0) [, at] = readLeb(at);
      else if (kind === 1) { at++; const flags = bytes[at++]; [, at] = readLeb(at); if (flags & 1) [, at] = readLeb(at); }
      else if (kind === 2) { const flags = bytes[at++]; [, at] = readLeb(at); if (flags & 1) [, at] = readLeb(at); }
      else if (kind === 3) at += 2;
      else throw new Error(`${file}: unknown import kind ${kind}`);
    }
  }
  if (id === 7) {
    let [count, at] = readLeb(body);
    const kept = [];
    for (let i = 0; i < count; i++) {
      const start = at;
      let name;
      [name, at] = readName(at);
      [, at] = readLeb(at + 1);
      if (matches.test(name)) dropped.push(name);
      else kept.push(bytes.subarray(start, at));
    }
    const section = Buffer.concat([leb(kept.length), ...kept]);
    parts.push(Buffer.from([7]), leb(section.length), section);
  } else {
    parts.push(bytes.subarray(offset, end));
  }
  offset = end;
}
if (dropped.length === 0) throw new Error(`${file}: no export matches ${pattern}`);
writeFileSync(file, Buffer.concat(parts));
console.log(`build: ${file}: dropped ${dropped.length} unused exports`);
