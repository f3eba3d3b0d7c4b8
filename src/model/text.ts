/**
 * One line of at most `max` characters: whitespace runs become one space, and a longer text is cut at
 * a word boundary (without a dangling colon or comma) and ends with an ellipsis.
 */
export function cutAtWord(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= max) return oneLine;
  const cut = oneLine.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s:;,]+$/, '')}…`;
}
