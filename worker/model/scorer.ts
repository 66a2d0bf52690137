import { GraphInput, GraphOutput } from "../../models/contract.js";
import { createOrtSession, ort } from "../ort/ortRuntime.js";

export interface ScoreRequest {
  basket: readonly number[];
  weights: readonly number[];
  /** How many co-purchase candidates to return. */
  topK: number;
  /** Items to measure in embedding space (upgrade candidates). */
  compare?: readonly number[];
  /** For each `compare` item, the basket position it is measured against (default: the first). */
  compareAnchors?: readonly number[];
}

export interface ScoreResult {
  /** Co-purchase candidates, best first, basket items excluded. */
  items: Int32Array;
  scores: Float32Array;
  /** Similarity of each `compare` item to its anchor, in the same order. */
  similarity: Float32Array;
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

  /** Runs the graph once for a basket of catalog indices. */
  score(request: ScoreRequest): Promise<ScoreResult> {
    const run = this.queue.then(() => this.run(request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run({ basket, weights, topK, compare = [], compareAnchors }: ScoreRequest): Promise<ScoreResult> {
    const int64 = (values: readonly number[]) =>
      new ort.Tensor(
        "int64",
        BigInt64Array.from(values, (i) => BigInt(i)),
        [values.length],
      );
    const feeds = {
      [GraphInput.basketItems]: int64(basket),
      [GraphInput.basketWeights]: new ort.Tensor("float32", Float32Array.from(weights), [weights.length]),
      [GraphInput.topK]: int64([topK]),
      [GraphInput.candidateItems]: int64(compare),
      [GraphInput.candidateAnchors]: int64(compareAnchors ?? compare.map(() => 0)),
    };
    const out = await this.session.run(feeds);
    const items = out[GraphOutput.items]?.data;
    const scores = out[GraphOutput.scores]?.data;
    const similarity = out[GraphOutput.candidateSimilarity]?.data;
    if (!(items instanceof Int32Array) || !(scores instanceof Float32Array) || !(similarity instanceof Float32Array)) {
      throw new Error("model returned outputs of the wrong type");
    }
    let real = scores.length;
    while (real > 0 && scores[real - 1] === Number.NEGATIVE_INFINITY) real--;
    return { items: items.subarray(0, real), scores: scores.subarray(0, real), similarity };
  }
}
