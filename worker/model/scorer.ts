import { GraphInput, GraphOutput, OptionalGraphInput } from "../../models/contract.js";
import { createOrtSession, type OrtSession } from "../ort/ortRuntime.js";
import { rowFeeds, type RowFeeds, type RowSource } from "./rowFeeds.js";

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
 * Runs the published scoring graph (contract v2) on rows gathered from a row source (a paged
 * model's pages). Gathering is synchronous and says when a row is missing, so the caller can read
 * its page and gather again before any run. Runs are serialised: the single-threaded wasm backend
 * works on one request at a time anyway, and ORT's web binding is not safe for overlapping run() calls.
 */
export class Scorer {
  private constructor(
    private readonly session: OrtSession,
    /** Whether the graph's score has an embedding term, and so takes the candidates' embeddings. */
    private readonly withCandidateEmbeddings: boolean,
  ) {}

  static async create(model: Uint8Array): Promise<Scorer> {
    const session = await createOrtSession(model);
    const missing = [...Object.values(GraphInput)].filter((name) => !session.inputNames.includes(name));
    const missingOut = [...Object.values(GraphOutput)].filter((name) => !session.outputNames.includes(name));
    if (missing.length > 0 || missingOut.length > 0) {
      session.release();
      throw new Error(`model does not honour the graph contract (missing ${[...missing, ...missingOut].join(", ")})`);
    }
    const candidateEmbeddings = Object.values(OptionalGraphInput).filter((name) => session.inputNames.includes(name));
    if (candidateEmbeddings.length === 1) {
      session.release();
      throw new Error(`model declares only one of ${Object.values(OptionalGraphInput).join(", ")}`);
    }
    return new Scorer(session, candidateEmbeddings.length > 0);
  }

  /** Frees the session's wasm memory once the runs already queued have finished (not the shared warm-up session). */
  release(): void {
    this.session.release();
  }

  /** Whether this version scores on the warm-up's session (its graph is the warm-up's), creating none of its own. */
  get sharedSession(): boolean {
    return this.session.shared;
  }

  /** The graph's inputs for a request, or null while a row it needs is not loaded (the source notes which). */
  prepare({ basket, weights, topK, compare = [], compareAnchors }: ScoreRequest, rows: RowSource): RowFeeds | null {
    return rowFeeds(
      rows,
      { basket, weights, topK, compare, compareAnchors: compareAnchors ?? compare.map(() => 0) },
      this.withCandidateEmbeddings,
    );
  }

  /** Runs the graph once on prepared inputs (in the session's turn). */
  async score({ feeds, candidates }: RowFeeds): Promise<ScoreResult> {
    const out = await this.session.run(feeds);
    const local = out[GraphOutput.candidates]?.data;
    const scores = out[GraphOutput.scores]?.data;
    const similarity = out[GraphOutput.candidateSimilarity]?.data;
    if (!(local instanceof Int32Array) || !(scores instanceof Float32Array) || !(similarity instanceof Float32Array)) {
      throw new Error("model returned outputs of the wrong type");
    }
    let real = scores.length;
    while (real > 0 && scores[real - 1] === Number.NEGATIVE_INFINITY) real--;
    const items = new Int32Array(real);
    for (let i = 0; i < real; i++) {
      const item = candidates[local[i] ?? -1];
      if (item === undefined) throw new Error(`model answered candidate ${local[i]} of ${candidates.length}`);
      items[i] = item;
    }
    return { items, scores: scores.subarray(0, real), similarity };
  }
}
