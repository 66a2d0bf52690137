/**
 * README figures live between markers, `<!--fig:NAME-->text<!--/fig-->`, so a script can rewrite
 * them and a test can compare them; the comments do not render.
 */
const MARKER = /<!--fig:([a-z0-9-]+)-->(.*?)<!--\/fig-->/g;

export type Figures = Record<string, string>;

/** Every marked figure of a README, by name (a name used twice must hold the same text twice). */
export function readFigures(text: string): Figures {
  const figures: Figures = {};
  for (const [, name = "", value = ""] of text.matchAll(MARKER)) {
    const before = figures[name];
    if (before !== undefined && before !== value) throw new Error(`figure ${name} is "${before}" and "${value}"`);
    figures[name] = value;
  }
  return figures;
}

/** The README with each marked figure replaced; a marker the figures lack is an error, not left stale. */
export function writeFigures(text: string, figures: Figures): string {
  return text.replace(MARKER, (_, name: string) => {
    const value = figures[name];
    if (value === undefined) throw new Error(`README marks a figure "${name}" that nothing measures`);
    return `<!--fig:${name}-->${value}<!--/fig-->`;
  });
}
