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
import { checkModule, leb, readLeb, readName, sections, section, skipImportDescription } from './wasm-binary.mjs';

const [file, pattern] = process.argv.slice(2);
const matches = new RegExp(pattern, 'i');
const bytes = readFileSync(file);

checkModule(bytes, file);
const parts = [bytes.subarray(0, 8)];
const dropped = [];
for (const { id, start, body, end } of sections(bytes)) {
  if (id === 2) {
    // Imports: module name, field name, then a description whose length depends on its kind.
    let [count, at] = readLeb(bytes, body);
    for (let i = 0; i < count; i++) {
      let name;
      [, at] = readName(bytes, at);
      [name, at] = readName(bytes, at);
      if (matches.test(name)) throw new Error(`${file}: import ${name} is still used`);
      at = skipImportDescription(bytes, at, file);
    }
  }
  if (id === 7) {
    let [count, at] = readLeb(bytes, body);
    const kept = [];
    for (let i = 0; i < count; i++) {
      const entry = at;
      let name;
      [name, at] = readName(bytes, at);
      [, at] = readLeb(bytes, at + 1);
      if (matches.test(name)) dropped.push(name);
      else kept.push(bytes.subarray(entry, at));
    }
    parts.push(section(7, Buffer.concat([leb(kept.length), ...kept])));
  } else {
    parts.push(bytes.subarray(start, end));
  }
}
if (dropped.length === 0) throw new Error(`${file}: no export matches ${pattern}`);
writeFileSync(file, Buffer.concat(parts));
console.log(`build: ${file}: dropped ${dropped.length} unused exports`);
