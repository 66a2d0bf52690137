import cliProgress from "cli-progress";

export interface Progress {
  update(value: number): void;
  done(summary: string): void;
}

export interface Reporter {
  /** A bar with rate and ETA on a terminal; nothing until the step ends otherwise. */
  step(label: string, total: number, unit: string): Progress;
  info(message: string): void;
}

/** Progress goes to stderr so stdout stays clean for machine-readable output. */
export function createReporter(options: { quiet?: boolean } = {}): Reporter {
  const interactive = process.stderr.isTTY && !options.quiet && process.env.CI !== "true";
  const log = (message: string) => {
    if (!options.quiet) process.stderr.write(`${message}\n`);
  };
  return {
    info: log,
    step(label, total, unit) {
      const started = performance.now();
      const bar = interactive
        ? new cliProgress.SingleBar(
            {
              format: `${label.padEnd(22)} {bar} {percentage}% | {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted}`,
              stream: process.stderr,
              hideCursor: true,
              clearOnComplete: true,
            },
            cliProgress.Presets.shades_classic,
          )
        : null;
      bar?.start(total, 0, { rate: 0 });
      return {
        update(value) {
          const seconds = (performance.now() - started) / 1000;
          bar?.update(value, { rate: seconds > 0 ? Math.round(value / seconds) : 0 });
        },
        done(summary) {
          bar?.stop();
          log(`${label}: ${summary} (${((performance.now() - started) / 1000).toFixed(2)} s)`);
        },
      };
    },
  };
}
