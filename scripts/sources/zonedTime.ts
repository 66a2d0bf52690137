/**
 * Source timestamps to the UTC instants sidecart's files hold ("2017-01-01T12:30:27Z"). A time with a
 * zone (or epoch digits) is taken as it is; a time without one is wall-clock time in the source's
 * zone: R's write.csv, for one, writes a POSIXct in its own zone and says nothing about it.
 */
import { parseTimestamp } from "../../trainer/ingest/timestamps.js";

const ZONELESS = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
const HOUR = 3_600_000;

/** Milliseconds the zone is ahead of UTC at `utc`, cached by hour (millions of lines, few hours). */
function zoneOffset(timeZone: string): (utc: number) => number {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  });
  const byHour = new Map<number, number>();
  return (utc) => {
    const hour = Math.floor(utc / HOUR) * HOUR;
    let offset = byHour.get(hour);
    if (offset === undefined) {
      const part = (type: Intl.DateTimeFormatPartTypes) =>
        Number(format.formatToParts(hour).find((p) => p.type === type)?.value ?? Number.NaN);
      offset = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute")) - hour;
      byHour.set(hour, offset);
    }
    return offset;
  };
}

/**
 * Reads a timestamp, a zoneless one as wall-clock time in `timeZone`; null when it is not one. In a
 * daylight-saving gap (02:30 on a spring-forward night) the hour after is taken.
 */
export function zonedTimestamps(timeZone: string): (text: string) => string | null {
  const offsetAt = zoneOffset(timeZone);
  return (text) => {
    const read = parseTimestamp(text);
    if (read === null) return null;
    let utc = read;
    if (ZONELESS.test(text)) {
      // The offset at the wall time read as UTC is off by at most the offset itself; one more step settles it.
      utc = read - offsetAt(read);
      utc = read - offsetAt(utc);
    }
    return new Date(utc).toISOString().replace(/\.000Z$/, "Z");
  };
}
