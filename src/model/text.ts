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

/**
 * Levenshtein distance, for "did you mean" suggestions. Past a length difference of 4 it returns that
 * difference (a lower bound) without the table: no caller suggests a name that far off.
 */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 4) return Math.abs(a.length - b.length);
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** A value from the input as the user wrote it: a string as is, anything else as JSON. */
export function asWritten(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}
