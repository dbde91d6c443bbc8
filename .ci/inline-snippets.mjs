// Puts the JS snippets wasm-bindgen emits (`inline_js`, in `snippets/`) into the glue module
// itself: the content script then starts with one module to load, not a glue module that
// imports another one (a second fetch and module evaluation before the wasm can start).
// Usage: node .ci/inline-snippets.mjs <glue.js>  (the snippets folder beside it is removed).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const glue = process.argv[2];
const dir = path.dirname(glue);
let code = readFileSync(glue, 'utf8');
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
const defined = [...modules.values()]
  .map(({ name, body, names }) => `const ${name} = (() => {\n${body}\nreturn { ${names.join(', ')} };\n})();`)
  .join('\n');
writeFileSync(glue, `${defined}\n${code}`);
rmSync(path.join(dir, 'snippets'), { recursive: true, force: true });
