/**
 * Order timestamps as shops export them: ISO 8601, "YYYY-MM-DD HH:MM:SS", or epoch seconds or
 * milliseconds. Values without a zone are read as UTC so a run does not depend on the machine's zone.
 * Returns epoch milliseconds, or null when the text is not a timestamp.
 */
export function parseTimestamp(text: string): number | null {
  if (/^\d{9,10}$/.test(text)) return Number(text) * 1000;
  if (/^\d{12,13}$/.test(text)) return Number(text);
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!match) return null;
  const [, date, time, zone] = match;
  const ms = Date.parse(`${date}T${time ?? "00:00:00"}${zone ?? "Z"}`);
  return Number.isNaN(ms) ? null : ms;
}
