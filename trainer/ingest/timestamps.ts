/**
 * Order timestamps as shops export them: ISO 8601, "YYYY-MM-DD HH:MM:SS", or epoch seconds or
 * milliseconds. Values without a zone are read as UTC so a run does not depend on the machine's zone.
 * Returns epoch milliseconds, or null when the text is not a timestamp.
 */
export function parseTimestamp(text: string): number | null {
  const fast = plainUtc(text);
  if (fast !== null) return fast;
  if (/^\d{9,10}$/.test(text)) return Number(text) * 1000;
  if (/^\d{12,13}$/.test(text)) return Number(text);
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!match) return null;
  const [, date, time, zone] = match;
  const ms = Date.parse(`${date}T${time ?? "00:00:00"}${zone ?? "Z"}`);
  return Number.isNaN(ms) ? null : ms;
}

/** Digits at [from, from + n) as a number, or -1 when any is not a digit. */
function digits(text: string, from: number, n: number): number {
  let value = 0;
  for (let i = from; i < from + n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * The common exact shape "YYYY-MM-DD[T ]HH:MM:SS" without arithmetic on strings: tens of millions of
 * order lines go through here. Anything else (zones, fractions, dates alone) takes the general path.
 */
function plainUtc(text: string): number | null {
  if (text.length !== 19) return null;
  const sep = text.charCodeAt(10);
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 32)) return null;
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return null;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return null;
  if (second < 0 || second > 59) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 April into 1 May; the general path refuses it, and so does this one.
  return new Date(ms).getUTCDate() === day ? ms : null;
}
