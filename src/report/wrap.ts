/**
 * Splits `text` into lines of at most `width` characters, breaking only between words: a word longer
 * than `width` (a URL, a 253-character name) gets a line of its own rather than being cut, so it can
 * still be copied whole. Runs of whitespace, line breaks included, count as one space.
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
