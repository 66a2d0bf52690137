import cliProgress from "cli-progress";

export interface Progress {
  update(value: number): void;
  done(summary: string): void;
}

export interface Reporter {
  /** A bar with rate and ETA on a terminal; nothing until the step ends otherwise. */
  step(label: string, total: number, unit: string): Progress;
  info(message: string): void;
  /** A structured record (the validation report): a JSON line in --json mode, text lines otherwise. */
  record(kind: string, value: object, lines: readonly string[]): void;
}

export interface ReporterOptions {
  /** Nothing on stderr (stdout carries the command's JSON). */
  quiet?: boolean;
  /** One JSON line per finished step and record on stderr, for a scheduler's log collector. */
  json?: boolean;
}

/**
 * Progress goes to stderr so stdout stays clean for machine-readable output. A bar only on a
 * terminal; off a terminal (cron, CI) one line per finished step, or one JSON line with --json.
 */
export function createReporter(options: ReporterOptions = {}): Reporter {
  const interactive = process.stderr.isTTY && !options.quiet && !options.json && process.env.CI !== "true";
  const write = (message: string) => {
    if (!options.quiet || options.json) process.stderr.write(`${message}\n`);
  };
  const emit = (event: object) => write(JSON.stringify(event));
  return {
    info: (message) => (options.json ? emit({ event: "info", message }) : write(message)),
    record: (kind, value, lines) => (options.json ? emit({ event: kind, ...value }) : lines.forEach(write)),
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
          const seconds = Math.round(performance.now() - started) / 1000;
          if (options.json) emit({ event: "step", step: label, seconds, summary });
          else write(`${label}: ${summary} (${seconds.toFixed(2)} s)`);
        },
      };
    },
  };
}
