import type { Arms } from "../models/experiments/assign.js";
import type { LiveConfig } from "../models/config/liveConfig.js";
import type { LoadedModel } from "./model/readModel.js";

/** What middleware puts on the context before a route answers. */
export type AppEnv = {
  Bindings: Env;
  Variables: {
    /** The live config document (withConfig). */
    config: LiveConfig;
    /** The unit's experiment arms on this surface (withArms). */
    arms: Arms;
    /** The experiment unit the request named, if any (withArms): what an answer's event token is for. */
    unit: string | undefined;
    /** The unit the worker issued for this request (it named none): the answer hands it over to keep. */
    issuedUnit: string | undefined;
    /** The model that answers: the live one, or the version the unit's variant pins (withModel). */
    model: LoadedModel;
    /** The answer's ETag, when answerCache had to compute it first (the route reuses it). */
    answerTag: string | undefined;
  };
};

/** Work to finish after the answer: ctx.waitUntil in a request, awaited inline without one (app.request in unit tests). */
export type Scheduler = ((promise: Promise<unknown>) => void) | undefined;

export function schedulerOf(c: { executionCtx: { waitUntil(promise: Promise<unknown>): void } }): Scheduler {
  try {
    const ctx = c.executionCtx;
    return (promise) => ctx.waitUntil(promise);
  } catch {
    return undefined;
  }
}

/** Hands `work` to the scheduler when there is one (the answer goes out first), else waits for it here. */
export async function finishAfterAnswer(schedule: Scheduler, work: Promise<unknown>): Promise<void> {
  if (schedule) schedule(work);
  else await work;
}
