// Turns the content script's wasm-bindgen glue (an ES module, `--target web`) into a classic
// script that the manifest injects at document_start, before the loader (`content.js`). A
// content script cannot be a module, so the glue used to be imported dynamically: a second
// extension-resource load that, on a busy page load, often finished after the page's first
// cards (measured: 40-60 ms after the loader started, the wasm's own fetch 30-50 ms). Injected
// from the manifest, it is ready when the loader runs, and no longer web-accessible.
//
// The glue's JS snippets (`inline_js`, in `snippets/`) are put into it first; its exports become
// the members of one global of the content script's isolated world, `fetcherAshbyContent`
// (`default` is the init function, as the module's default export was). Anything else a
// module can do (another import, `export` form, `import.meta` use) fails the build.
// Usage: node .ci/classic-glue.mjs <glue.js>  (the snippets folder beside it is removed).
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
writeFileSync(glue, `// wasm-bindgen's glue for the content script, as a classic script (.ci/classic-glue.mjs).
var fetcherAshbyContent = (() => {
'use strict';
${snippets}
${code}
return { ${members.join(', ')} };
})();
`);
rmSync(path.join(dir, 'snippets'), { recursive: true, force: true });
