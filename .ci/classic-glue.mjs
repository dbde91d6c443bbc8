// Turns the content script's wasm-bindgen glue (an ES module, `--target web`) into a classic
// script that the manifest injects at document_start, before the loader (`content.js`). A
// content script cannot be a module, so the glue used to be imported dynamically: a second
// extension-resource load that, on a busy page load, often finished after the page's first
// cards (measured: 40-60 ms after the loader started, the wasm's own fetch 30-50 ms). Injected
// from the manifest, it is ready when the loader runs, and no longer web-accessible.
// The wasm itself is embedded in it too (base64, decoded by `wasm_bytes()`), for the same
// reason: its own fetch from the extension's package took 10-60 ms after the loader started
// (median ~25 ms in probe runs), and on about one load in twenty the page's first cards came
// before the wasm was ready, so their statuses waited. A content script's source comes with its
// injection, no request of its own, so the bytes are there at once (wasm ready ~10 ms after the
// loader starts, median, in the same probe). The wasm is no longer web-accessible either: a
// page can fetch nothing from the extension but the Send dialog's page.
//
// The glue's JS snippets (`inline_js`, in `snippets/`) are put into it first; its exports become
// the members of one global of the content script's isolated world, `fetcherAshbyContent`
// (`default` is the init function, as the module's default export was). Anything else a
// module can do (another import, `export` form, `import.meta` use) fails the build.
// Usage: node .ci/classic-glue.mjs <glue.js>  (the wasm beside it, `<name>_bg.wasm`, is embedded;
// it and the snippets folder are removed).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const glue = process.argv[2];
const dir = path.dirname(glue);
let code = readFileSync(glue, 'utf8');

// 1. Snippets: each snippet module becomes a local object of its functions.
const modules = new Map();
const moduleFor = (specifier) => {
  if (!modules.has(specifier)) {
    const source = readFileSync(path.join(dir, specifier), 'utf8');
    const names = [...source.matchAll(/^export function (\w+)/gm)].map((m) => m[1]);
    if (/^export (?!function )/m.test(source)) throw new Error(`${specifier}: only "export function" is supported`);
    const body = source.replace(/^export function /gm, 'function ');
    modules.set(specifier, { name: `__snippet${modules.size}`, body, names });
  }
  return modules.get(specifier).name;
};
code = code
  .replace(/^import \{([^}]*)\} from ['"](\.\/snippets\/[^'"]+)['"];?$/gm, (_, names, specifier) => `const {${names}} = ${moduleFor(specifier)};`)
  .replace(/^import \* as (\w+) from ['"](\.\/snippets\/[^'"]+)['"];?$/gm, (_, alias, specifier) => `const ${alias} = ${moduleFor(specifier)};`);
if (/\.\/snippets\//.test(code.replace(/^\s*"\.\/snippets\/[^"]+": \w+,$/gm, ''))) throw new Error('a snippet import was not inlined');
const snippets = [...modules.values()]
  .map(({ name, body, names }) => `const ${name} = (() => {\n${body}\nreturn { ${names.join(', ')} };\n})();`)
  .join('\n');

// 2. Exports become the global's members.
const members = [];
code = code.replace(/^export function (\w+)/gm, (_, name) => {
  members.push(name);
  return `function ${name}`;
});
code = code.replace(/^export \{([^}]*)\};?$/gm, (_, list) => {
  for (const entry of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [local, exported = local] = entry.split(/\s+as\s+/);
    members.push(exported === local ? local : `${exported}: ${local}`);
  }
  return '';
});
// The wasm's default place, beside the glue, as `import.meta.url` meant it.
code = code.replaceAll('import.meta.url', "chrome.runtime.getURL('content/content.js')");
if (/^\s*(import|export)\b/m.test(code) || code.includes('import.meta')) {
  throw new Error(`${glue}: a module form this script does not convert is left`);
}
if (!members.includes('default: __wbg_init') || !members.includes('start_content')) {
  throw new Error(`${glue}: expected the init function and start_content among the exports`);
}
// 3. The wasm, embedded. The literal has a line of its own, which the bench reads to measure
// the wasm (tests/bench/bench.mjs).
const wasmFile = glue.replace(/\.js$/, '_bg.wasm');
const wasmBase64 = readFileSync(wasmFile).toString('base64');
members.push('wasm_bytes');
writeFileSync(glue, `// wasm-bindgen's glue for the content script, as a classic script (.ci/classic-glue.mjs).
var fetcherAshbyContent = (() => {
'use strict';
${snippets}
${code}
const wasm_base64 =
"${wasmBase64}";
/** The embedded wasm's bytes (\`Uint8Array.fromBase64\`: Chrome 140, Firefox 133; else atob). */
function wasm_bytes() {
  return typeof Uint8Array.fromBase64 === 'function'
    ? Uint8Array.fromBase64(wasm_base64)
    : Uint8Array.from(atob(wasm_base64), (c) => c.charCodeAt(0));
}
return { ${members.join(', ')} };
})();
`);
rmSync(path.join(dir, 'snippets'), { recursive: true, force: true });
rmSync(wasmFile);
