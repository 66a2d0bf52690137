import { GraphInput } from "../../models/contract.js";
import type { ScoreResult } from "../model/scorer.js";
import type { RowFeeds } from "../model/rowFeeds.js";
import { ort } from "../ort/ortRuntime.js";

declare global {
  namespace Cloudflare {
    interface Env {
      /**
       * `npm run bench:ort-floor` only, and only with SIDECART_BENCH "1": what stands in for the scoring
       * graph (see BenchScorer). Not in wrangler.toml: a deploy always scores with the graph.
       */
      BENCH_SCORER?: string;
    }
  }
}

/**
 * What scores a request in the serving benchmark: the published graph (always, outside it); no ORT run
 * at all ("none"); or a run of a one-node graph instead ("one-node"), so the benchmark can tell ORT's
 * fixed cost per run in this runtime from what the scoring graph adds. The stand-ins answer with the
 * candidates in the order the rows name them (and every compared item equally similar): the work
 * around the graph is the real one, the scores are not.
 */
export type BenchScorer = "graph" | "one-node" | "none";

let mode: BenchScorer = "graph";

/** Set once by worker/index.ts when SIDECART_BENCH is "1"; anything but the two stand-ins is the graph. */
export function useBenchScorer(value: string | undefined): void {
  mode = value === "none" || value === "one-node" ? value : "graph";
}

export function benchScorer(): BenchScorer {
  return mode;
}

/** One Add of two float [1] inputs (opset 17): the smallest graph ORT makes a session of. */
const ONE_NODE_GRAPH =
  "CAg6SQoRCgFhCgFiEgFjGgFjIgNBZGQSAWdaDwoBYRIKCggIARIECgIIAVoPCgFiEgoKCAgBEgQKAggBYg8KAWMSCgoICAESBAoCCAFCBAoAEBE=";

let oneNode: Promise<ort.InferenceSession> | null = null;

/** Memory a request writes over to push ORT's code and data out of the CPU's caches (bench:ort-runs). */
let evictionArea: Uint8Array | null = null;

/** Writes one byte in every 64 (a cache line) of `bytes` of memory kept by the module. */
function evictCaches(bytes: number): void {
  if (evictionArea === null || evictionArea.length < bytes) evictionArea = new Uint8Array(bytes);
  const area = evictionArea;
  for (let i = 0; i < bytes; i += 64) area[i] = (area[i] ?? 0) + 1;
}

/**
 * Runs the one-node graph `times` times, one after the other (for "one-node", and for
 * `npm run bench:ort-runs`, which compares a request's first run with its next ones). With
 * `evictBytes`, each of the first `evictions` steps writes over that much memory before its run (if
 * it has one), so the benchmark can tell a cache-cold run's cost from a warm one's in this runtime.
 */
export async function runOneNode(times: number, evictions = 0, evictBytes = 0): Promise<void> {
  oneNode ??= ort.InferenceSession.create(
    Uint8Array.from(atob(ONE_NODE_GRAPH), (c) => c.charCodeAt(0)),
    { executionProviders: ["wasm"] },
  );
  const session = await oneNode;
  const one = () => new ort.Tensor("float32", Float32Array.of(1), [1]);
  for (let i = 0; i < Math.max(times, evictions); i++) {
    if (i < evictions) evictCaches(evictBytes);
    if (i < times) await session.run({ a: one(), b: one() });
  }
}

/** The stand-in's answer for prepared feeds (after a run of the one-node graph, for "one-node"). */
export async function standInRun(prepared: RowFeeds): Promise<ScoreResult> {
  if (mode === "one-node") await runOneNode(1);
  const { candidates, feeds } = prepared;
  const compared = feeds[GraphInput.compareAnchors]?.dims[0] ?? 0;
  return {
    items: candidates,
    scores: Float32Array.from(candidates, (_, i) => candidates.length - i),
    similarity: new Float32Array(compared).fill(1),
  };
}
