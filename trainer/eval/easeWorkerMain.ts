import { parentPort, workerData } from "node:worker_threads";
import type { Reporter } from "../progress.js";
import type { EaseJob, EaseMessage } from "./easeInBackground.js";
import { splitAt } from "./split.js";
import { tunedEase } from "./tuneEase.js";

/**
 * Runs in a worker thread: tunes and fits the dense EASE baseline on the baskets it was given (the
 * split is the same pure function of them and the cut), reporting each finished fit as a line.
 */
const post = (message: EaseMessage, transfer: ArrayBuffer[] = []) => parentPort?.postMessage(message, transfer);
const job = workerData as EaseJob;
const started = performance.now();
// Bars from two threads would overwrite each other: the main thread's have the ETA, these send lines.
const reporter: Reporter = {
  step(label) {
    const stepStarted = performance.now();
    return {
      update() {},
      done(summary) {
        const seconds = (performance.now() - stepStarted) / 1000;
        post({ kind: "line", text: `${label}: ${summary} (${seconds.toFixed(2)} s, in the background)` });
      },
    };
  },
  info: (text) => post({ kind: "line", text }),
  record: (_kind, _value, lines) => lines.forEach((text) => post({ kind: "line", text })),
};
const tuned = tunedEase(job.baskets, splitAt(job.baskets, job.cutMs), job.cutMs, job.maxBasket, reporter);
const { items, weights } = tuned.fit;
post(
  {
    kind: "done",
    items,
    weights,
    lambda: tuned.lambda,
    validation: tuned.validation,
    seconds: (performance.now() - started) / 1000,
  },
  [items.buffer as ArrayBuffer, weights.buffer as ArrayBuffer],
);
