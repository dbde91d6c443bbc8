// Reading and writing the parts of a wasm binary that the build's post-processing scripts
// touch (`drop-exports.mjs`, `minify-names.mjs`): LEB128 numbers, names, sections, and the
// length of an import's description. Positions are byte offsets into `bytes`.

/** Checks the magic number and version; the sections start at byte 8. */
export function checkModule(bytes, file) {
  if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error(`${file}: not a wasm module`);
}

/** The unsigned LEB128 number at `at`: [value, the position after it]. */
export function readLeb(bytes, at) {
  let value = 0, shift = 0, byte;
  do { byte = bytes[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return [value, at];
}

/** `value` as unsigned LEB128. */
export function leb(value) {
  const out = [];
  do { const byte = value & 0x7f; value = Math.floor(value / 128); out.push(value ? byte | 0x80 : byte); } while (value);
  return Buffer.from(out);
}

/** The name (length-prefixed UTF-8) at `at`: [text, the position after it]. */
export function readName(bytes, at) {
  const [length, start] = readLeb(bytes, at);
  return [bytes.toString('utf8', start, start + length), start + length];
}

/** `text` as a wasm name. */
export function name(text) {
  const utf8 = Buffer.from(text, 'utf8');
  return Buffer.concat([leb(utf8.length), utf8]);
}

/** The position after the import description at `at` (its kind byte first). */
export function skipImportDescription(bytes, at, file) {
  const kind = bytes[at++];
  if (kind === 0) return readLeb(bytes, at)[1];
  if (kind === 1) {
    at++;
    const flags = bytes[at++];
    [, at] = readLeb(bytes, at);
    return flags & 1 ? readLeb(bytes, at)[1] : at;
  }
  if (kind === 2) {
    const flags = bytes[at++];
    [, at] = readLeb(bytes, at);
    return flags & 1 ? readLeb(bytes, at)[1] : at;
  }
  if (kind === 3) return at + 2;
  throw new Error(`${file}: unknown import kind ${kind}`);
}

/** Each section: { id, body (its first byte), end }. */
export function* sections(bytes) {
  let offset = 8;
  while (offset < bytes.length) {
    const id = bytes[offset];
    const [size, body] = readLeb(bytes, offset + 1);
    yield { id, start: offset, body, end: body + size };
    offset = body + size;
  }
}

/** A section with `id` and `content`, ready to concatenate. */
export function section(id, content) {
  return Buffer.concat([Buffer.from([id]), leb(content.length), content]);
}
