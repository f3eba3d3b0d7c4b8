import type { Position } from '../model/types.js';

/** Text as Buffer#toString('utf8') gives it: a byte-order mark is kept, as the reader always kept it. */
const LENIENT = new TextDecoder('utf-8', { ignoreBOM: true });
const STRICT = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });

export interface DecodedText {
  text: string;
  /** Where the first byte that is not UTF-8 is, if any; the text then has U+FFFD in its place. */
  invalid?: Position & { byte: number };
}

/**
 * Bytes read from a file or stdin as text. YAML is Unicode text: a byte that is not UTF-8 (a Latin-1
 * file, a binary) is reported where it is, and the rest is still read (with U+FFFD in its place).
 */
export function decodeUtf8(bytes: Uint8Array): DecodedText {
  try {
    return { text: STRICT.decode(bytes) };
  } catch {
    const offset = firstInvalidByte(bytes);
    const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
    let line = 1;
    for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++;
    // Columns count characters, as the parser's do.
    const column = [...LENIENT.decode(bytes.subarray(lineStart, offset))].length + 1;
    return { text: LENIENT.decode(bytes), invalid: { line, column, byte: bytes[offset] ?? 0 } };
  }
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629). */
export function firstInvalidByte(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min = 0x80;
    let max = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) min = 0xa0; // overlong
      if (c === 0xed) max = 0x9f; // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) min = 0x90; // overlong
      if (c === 0xf4) max = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const next = b[i + k];
      if (next === undefined) return i;
      const lo = k === 1 ? min : 0x80;
      const hi = k === 1 ? max : 0xbf;
      if (next < lo || next > hi) return i;
    }
    i += need + 1;
  }
  return b.length;
}
