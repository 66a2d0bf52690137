const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export interface Series {
  name: string;
  /** One value per x, on a 0–1 scale (shares and rates). */
  values: readonly number[];
}

const COLOURS = ["#d9480f", "#1c7ed6", "#2b8a3e", "#862e9c", "#e67700", "#495057"];

/**
 * An SVG line chart of shares against a swept knob, with the configured value marked by a dashed
 * line, so a merchandiser reads off what moving the knob costs or earns. No script, no library: the
 * report is one self-contained file.
 */
export function lineChart(
  title: string,
  xLabel: string,
  xs: readonly number[],
  series: readonly Series[],
  marked: number | null,
): string {
  const width = 690;
  const height = 300;
  const left = 50;
  const right = 240;
  const top = 30;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const yMax = Math.max(0.05, ...series.flatMap((s) => s.values));
  const x = (v: number) => left + (xMax === xMin ? plotW / 2 : ((v - xMin) / (xMax - xMin)) * plotW);
  const y = (v: number) => top + plotH - (v / yMax) * plotH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * yMax);
  const axes = [
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#495057"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#495057"/>`,
    ...ticks.map(
      (t) =>
        `<text x="${left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="10">${(100 * t).toFixed(0)}%</text><line x1="${left}" y1="${y(t)}" x2="${left + plotW}" y2="${y(t)}" stroke="#e9ecef"/>`,
    ),
    ...xs.map(
      (v) => `<text x="${x(v)}" y="${top + plotH + 14}" text-anchor="middle" font-size="10">${String(v)}</text>`,
    ),
    `<text x="${left + plotW / 2}" y="${height - 6}" text-anchor="middle">${escape(xLabel)}</text>`,
  ];
  const lines = series.map((s, i) => {
    const colour = COLOURS[i % COLOURS.length] ?? "#000";
    const points = s.values.map((v, j) => `${x(xs[j] ?? 0).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    const dots = s.values
      .map((v, j) => `<circle cx="${x(xs[j] ?? 0).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${colour}"/>`)
      .join("");
    const legendY = top + 16 * i;
    return `<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"/>${dots}<rect x="${left + plotW + 12}" y="${legendY}" width="10" height="10" fill="${colour}"/><text x="${left + plotW + 26}" y="${legendY + 9}" font-size="11">${escape(s.name)}</text>`;
  });
  const mark =
    marked === null || marked < xMin || marked > xMax
      ? ""
      : `<line x1="${x(marked)}" y1="${top}" x2="${x(marked)}" y2="${top + plotH}" stroke="#212529" stroke-dasharray="4 3"/><text x="${x(marked) + 4}" y="${top + 10}" font-size="10">configured ${marked}</text>`;
  return `<figure><svg width="${width}" height="${height}" font-family="sans-serif" font-size="12"><text x="0" y="16" font-weight="bold">${escape(title)}</text>${axes.join("")}${lines.join("")}${mark}</svg></figure>`;
}
