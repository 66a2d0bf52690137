import { Worker } from "node:worker_threads";
import type { Baskets } from "../ingest/orders.js";
import type { EaseWeights } from "../learn/ease.js";
import type { Reporter } from "../progress.js";

/** What the worker needs: the baskets (the split is recomputed from them and the cut). */
export interface EaseJob {
  baskets: Baskets;
  cutMs: number;
  maxBasket: number;
}

export type EaseMessage =
  | { kind: "line"; text: string }
  | ({ kind: "done"; lambda: number; validation: Record<number, number>; seconds: number } & EaseWeights);

export interface TunedInBackground {
  fit: EaseWeights;
  lambda: number;
  validation: Record<number, number>;
  /** The worker's own time for the tuning and the fit. */
  seconds: number;
}

/**
 * The dense EASE baseline's λ tuning and fit (tuneEase.ts: five dense inverses, the eval's largest
 * single cost) in a worker thread, so it runs on the second core while the main thread trains
 * sidecart's model and evaluates the other models and the served answers. The worker's lines reach
 * `reporter` whenever the main thread is idle. `result()` waits for the fit; until it is called the
 * worker does not keep the process alive, so an eval that fails on the main thread still exits.
 */
export function tuneEaseInBackground(job: EaseJob, reporter: Reporter): { result(): Promise<TunedInBackground> } {
  // lineValues are the served eval's; the worker needs none of them.
  const workerData: EaseJob = { ...job, baskets: { ...job.baskets, lineValues: undefined } };
  const worker = new Worker(new URL("./easeWorker.mjs", import.meta.url), { workerData });
  worker.unref();
  const result = new Promise<TunedInBackground>((resolve, reject) => {
    let settled = false;
    worker.on("message", (message: EaseMessage) => {
      if (message.kind === "line") {
        reporter.info(message.text);
        return;
      }
      settled = true;
      const { items, weights, lambda, validation, seconds } = message;
      resolve({ fit: { items, weights }, lambda, validation, seconds });
      void worker.terminate();
    });
    worker.on("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.on("exit", (code) => {
      if (!settled) reject(new Error(`the EASE baseline's worker stopped (exit code ${code}) before its fit`));
    });
  });
  // A failure nobody waits for (the main thread failed first) is not an unhandled rejection.
  void result.catch(() => undefined);
  return {
    result() {
      worker.ref();
      return result;
    },
  };
}
