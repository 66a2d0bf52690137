import { GraphInput, GraphOutput } from "../../models/contract.js";
import { createOrtSession, ort } from "../ort/ortRuntime.js";

export interface Candidates {
  items: Int32Array;
  scores: Float32Array;
}

/**
 * Runs the published scoring graph. Runs are serialised: the single-threaded wasm backend works on
 * one request at a time anyway, and ORT's web binding is not safe for overlapping run() calls.
 */
export class Scorer {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly session: ort.InferenceSession) {}

  static async create(model: Uint8Array): Promise<Scorer> {
    const session = await createOrtSession(model);
    const missing = [...Object.values(GraphInput)].filter((name) => !session.inputNames.includes(name));
    const missingOut = [...Object.values(GraphOutput)].filter((name) => !session.outputNames.includes(name));
    if (missing.length > 0 || missingOut.length > 0) {
      await session.release();
      throw new Error(`model does not honour the graph contract (missing ${[...missing, ...missingOut].join(", ")})`);
    }
    return new Scorer(session);
  }

  /** Frees the session's wasm memory once the runs already queued have finished. */
  release(): void {
    this.queue = this.queue.then(() => this.session.release()).catch(() => undefined);
  }

  /** The best topK candidates for a basket of catalog indices, basket items already excluded. */
  score(basket: readonly number[], weights: readonly number[], topK: number): Promise<Candidates> {
    const run = this.queue.then(() => this.run(basket, weights, topK));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(basket: readonly number[], weights: readonly number[], topK: number): Promise<Candidates> {
    const feeds = {
      [GraphInput.basketItems]: new ort.Tensor(
        "int64",
        BigInt64Array.from(basket, (i) => BigInt(i)),
        [basket.length],
      ),
      [GraphInput.basketWeights]: new ort.Tensor("float32", Float32Array.from(weights), [weights.length]),
      [GraphInput.topK]: new ort.Tensor("int64", BigInt64Array.of(BigInt(topK)), [1]),
    };
    const out = await this.session.run(feeds);
    const items = out[GraphOutput.items]?.data;
    const scores = out[GraphOutput.scores]?.data;
    if (!(items instanceof Int32Array) || !(scores instanceof Float32Array)) {
      throw new Error("model returned outputs of the wrong type");
    }
    let real = scores.length;
    while (real > 0 && scores[real - 1] === Number.NEGATIVE_INFINITY) real--;
    return { items: items.subarray(0, real), scores: scores.subarray(0, real) };
  }
}
