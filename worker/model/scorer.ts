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

function int64(values: readonly number[]): ort.Tensor {
  const data = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i] ?? 0);
  return new ort.Tensor("int64", data, [values.length]);
}

function float32(values: readonly number[]): ort.Tensor {
  return new ort.Tensor("float32", Float32Array.from(values), [values.length]);
}

// Inputs most runs share (a single anchor of weight 1, no caller candidates): ORT copies input data
// into wasm memory on every run and never writes to it, so one tensor serves every run.
const ONE_WEIGHT = float32([1]);
const NO_ITEMS = int64([]);

/**
 * Runs the published scoring graph. Runs are serialised: the single-threaded wasm backend works on
 * one request at a time anyway, and ORT's web binding is not safe for overlapping run() calls.
 */
export class Scorer {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly session: ort.InferenceSession) {}

  /** `data`: the model's external initializers (the modelData blob), when it has any. */
  static async create(model: Uint8Array, data: Uint8Array | null = null): Promise<Scorer> {
    const session = await createOrtSession(model, data);
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
    const feeds = {
      [GraphInput.basketItems]: int64(basket),
      [GraphInput.basketWeights]: weights.length === 1 && weights[0] === 1 ? ONE_WEIGHT : float32(weights),
      [GraphInput.topK]: int64([topK]),
      [GraphInput.candidateItems]: compare.length === 0 ? NO_ITEMS : int64(compare),
      [GraphInput.candidateAnchors]: compare.length === 0 ? NO_ITEMS : int64(compareAnchors ?? compare.map(() => 0)),
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
