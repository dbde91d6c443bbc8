// Gives a wasm module's imports and exports one-to-three-letter names, and its wasm-bindgen glue
// the same names. wasm-bindgen names each import after its binding and a hash, under the glue's
// module name (`"./content_bg.js"`, `"__wbg_toLowerCase_c0c7c927b41fa95c"`: ~60 bytes an import,
// 74 to 146 imports a surface), and each closure's export after its hash: 4.6 to 8.2 KB of a
// surface's wasm that only pairs a wasm import with a glue function. Here every import lives in
// one module named "" and is named by its place (`a` … `Z`, then `aa`, …); exports likewise.
// What runs is unchanged: the glue's functions are the same, under shorter keys.
// The glue is rewritten where wasm-bindgen 0.2's `--target web` output names these: the keys of
// the import objects (`NAME: function(…`), the object `__wbg_get_imports` returns (module name →
// object), and `wasm.NAME` for exports. Each name must be found exactly where expected, or the
// build fails: a glue of another shape is refused, never half-rewritten.
// Usage: node .ci/minify-names.mjs <glue.js> <module.wasm>   (after wasm-opt; both rewritten)
import { readFileSync, writeFileSync } from 'node:fs';
import { checkModule, leb, name, readLeb, readName, sections, section, skipImportDescription } from './wasm-binary.mjs';

const [glueFile, wasmFile] = process.argv.slice(2);
const bytes = readFileSync(wasmFile);
let glue = readFileSync(glueFile, 'utf8');

/** The n-th short name: a … z, A … Z, then two letters, and so on. */
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const shortName = (n) => {
  let text = '';
  do { text = LETTERS[n % LETTERS.length] + text; n = Math.floor(n / LETTERS.length) - 1; } while (n >= 0);
  return text;
};
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Replaces `pattern` (global) in the glue, which must match exactly `times` times. */
const rewrite = (pattern, replacement, times, what) => {
  const found = glue.match(pattern)?.length ?? 0;
  if (found !== times) throw new Error(`${glueFile}: ${what} found ${found} times, expected ${times}`);
  glue = glue.replace(pattern, replacement);
};

checkModule(bytes, wasmFile);

// 1. The glue's import objects: `return { __proto__: null, "<module>": importN, … };`
const returned = () => /^    return \{\n        __proto__: null,\n((?:        "[^"]+": \w+,\n)+)    \};\n/gm;
const block = returned().exec(glue);
if (!block) throw new Error(`${glueFile}: the import objects __wbg_get_imports returns were not found`);
const objectOf = new Map();
for (const [, module, object] of block[1].matchAll(/^        "([^"]+)": (\w+),$/gm)) {
  if (!objectOf.has(module)) objectOf.set(module, object);
}
const [mainModule, mainObject] = [...objectOf.entries()][0];

// 2. The wasm: imports and exports renamed, every other section as it was.
const parts = [bytes.subarray(0, 8)];
const borrowed = []; // [short, object, name]: imports from other modules (snippets), kept by reference
let imports = 0, exports = 0;
for (const { id, start, body, end } of sections(bytes)) {
  if (id === 2) {
    let [count, at] = readLeb(bytes, body);
    const entries = [];
    for (let i = 0; i < count; i++) {
      let module, field;
      [module, at] = readName(bytes, at);
      [field, at] = readName(bytes, at);
      const describe = at;
      at = skipImportDescription(bytes, at, wasmFile);
      const short = shortName(i);
      if (module === mainModule) {
        rewrite(new RegExp(`^(\\s+)${escape(field)}(?=: )`, 'gm'), `$1${short}`, 1, `import ${field}`);
      } else if (objectOf.has(module)) {
        borrowed.push([short, objectOf.get(module), field]);
      } else {
        throw new Error(`${wasmFile}: import ${field} from ${module}, which the glue does not provide`);
      }
      entries.push(Buffer.concat([name(''), name(short), bytes.subarray(describe, at)]));
      imports++;
    }
    parts.push(section(2, Buffer.concat([leb(count), ...entries])));
  } else if (id === 7) {
    let [count, at] = readLeb(bytes, body);
    const entries = [];
    for (let i = 0; i < count; i++) {
      let field;
      [field, at] = readName(bytes, at);
      const describe = at;
      [, at] = readLeb(bytes, at + 1);
      const short = shortName(i);
      const uses = new RegExp(`\\bwasm\\.${escape(field)}\\b`, 'g');
      rewrite(uses, `wasm.${short}`, glue.match(uses)?.length || 0, `export ${field}`);
      entries.push(Buffer.concat([name(short), bytes.subarray(describe, at)]));
      exports++;
    }
    parts.push(section(7, Buffer.concat([leb(count), ...entries])));
  } else {
    parts.push(bytes.subarray(start, end));
  }
}

// 3. One import object, under "": the main one, with the snippets' functions added to it.
const added = borrowed.map(([short, object, field]) => `        ${short}: ${object}.${field},\n`).join('');
rewrite(
  new RegExp(`^(    const ${mainObject} = \\{\\n        __proto__: null,\\n)`, 'gm'),
  `$1${added}`, 1, `the object ${mainObject}`,
);
rewrite(returned(), `    return { __proto__: null, "": ${mainObject} };\n`, 1, 'the returned import objects');

writeFileSync(wasmFile, Buffer.concat(parts));
writeFileSync(glueFile, glue);
console.log(`build: ${wasmFile}: ${imports} imports and ${exports} exports renamed (${bytes.length - Buffer.concat(parts).length} B less)`);
