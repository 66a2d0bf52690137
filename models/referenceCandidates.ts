import type { ScoredCandidates } from "./rules/crossSell.js";
import { referenceCandidateSimilarity, type ScoringTables } from "./scoringTables.js";
import type { CandidateSource } from "./surfaces.js";

const NONE: ScoredCandidates = { items: [], scores: [] };

/**
 * The TypeScript reference scorer as the answer pipeline's candidate source (models/surfaces.ts), for
 * the eval, the benchmarks and the tests: `candidates` finds a basket's co-purchase candidates (the
 * graph's neighbour lists, or every catalog item for an exhaustive reference), and similarities are
 * the graph's candidate_similarity computed in plain TypeScript.
 */
export function referenceCandidates(
  tables: ScoringTables,
  candidates: (basket: readonly number[]) => ScoredCandidates,
): CandidateSource {
  return {
    score: (query) => ({
      ...(query.candidates ? candidates(query.basket) : NONE),
      similarity:
        query.compare.length === 0
          ? []
          : referenceCandidateSimilarity(tables, query.basket, query.compare, query.compareAnchors),
    }),
  };
}
