import { blendWeight, type ScoringTables } from "../../models/scoringTables.js";
import type { CoPurchase } from "../learn/coPurchase.js";
import type { EaseWeights } from "../learn/ease.js";

/** A model under evaluation: fills a score for every item given a query basket (-Infinity = never suggested). */
export interface QueryScorer {
  name: string;
  score(query: readonly number[], out: Float64Array): void;
}

export function popularity(co: CoPurchase): QueryScorer {
  return {
    name: "popularity",
    score(_query, out) {
      for (let i = 0; i < out.length; i++) out[i] = co.itemBaskets[i] ?? 0;
    },
  };
}

function coCountScorer(
  name: string,
  co: CoPurchase,
  weight: (i: number, j: number, count: number) => number,
): QueryScorer {
  return {
    name,
    score(query, out) {
      out.fill(0);
      for (const i of query) {
        for (let p = co.rowStart[i] ?? 0; p < (co.rowStart[i + 1] ?? 0); p++) {
          const j = co.cols[p] ?? 0;
          out[j] = (out[j] ?? 0) + weight(i, j, co.counts[p] ?? 0);
        }
      }
    },
  };
}

/** Amazon item-to-item: the sum of raw co-purchase counts. */
export const coCount = (co: CoPurchase) => coCountScorer("co-count", co, (_i, _j, c) => c);

/** Co-counts normalised by both items' popularity (cosine of the basket vectors). */
export function cosine(co: CoPurchase): QueryScorer {
  const norm = Float64Array.from(co.itemBaskets, (n) => (n > 0 ? 1 / Math.sqrt(n) : 0));
  return coCountScorer("cosine", co, (i, j, c) => c * (norm[i] ?? 0) * (norm[j] ?? 0));
}

/** Dense EASE: Σ_{b ∈ query} B_b. Items outside the fitted set score -Infinity. */
export function ease(name: string, fit: EaseWeights, itemCount: number): QueryScorer {
  const m = fit.items.length;
  const position = new Int32Array(itemCount).fill(-1);
  fit.items.forEach((item, p) => (position[item] = p));
  return {
    name,
    score(query, out) {
      out.fill(Number.NEGATIVE_INFINITY);
      for (const item of fit.items) out[item] = 0;
      for (const i of query) {
        const row = position[i] ?? -1;
        if (row < 0) continue;
        for (let p = 0; p < m; p++) {
          const j = fit.items[p] ?? 0;
          out[j] = (out[j] ?? 0) + (fit.weights[row * m + p] ?? 0);
        }
      }
    },
  };
}

/**
 * The served model, with the ONNX graph's semantics (models/scoringTables.ts): the query's neighbour
 * lists are the candidates; each scores its summed weights plus embedding similarity to the query.
 */
export function served(name: string, tables: ScoringTables): QueryScorer {
  const { neighbours: K, dimension: d } = tables;
  const query = new Float64Array(d);
  return {
    name,
    score(basket, out) {
      out.fill(Number.NEGATIVE_INFINITY);
      query.fill(0);
      const gamma = blendWeight(tables, basket.length);
      for (const b of basket) {
        const scale = tables.neighbourScales[b] ?? 0;
        const confScale = tables.confidenceScales[b] ?? 0;
        for (let k = 0; k < K; k++) {
          const c = tables.neighbourItems[b * K + k] ?? b;
          const w =
            (tables.neighbourWeights[b * K + k] ?? 0) * scale +
            gamma * (tables.confidenceWeights[b * K + k] ?? 0) * confScale;
          out[c] = (out[c] === Number.NEGATIVE_INFINITY ? 0 : (out[c] ?? 0)) + w;
        }
        const eScale = tables.embeddingScales[b] ?? 0;
        for (let j = 0; j < d; j++) query[j] = (query[j] ?? 0) + (tables.embeddings[b * d + j] ?? 0) * eScale;
      }
      for (const b of basket) out[b] = Number.NEGATIVE_INFINITY;
      if (tables.embeddingWeight === 0) return;
      for (let c = 0; c < out.length; c++) {
        if (out[c] === Number.NEGATIVE_INFINITY) continue;
        const eScale = tables.embeddingScales[c] ?? 0;
        let dot = 0;
        for (let j = 0; j < d; j++) dot += (query[j] ?? 0) * (tables.embeddings[c * d + j] ?? 0) * eScale;
        out[c] = (out[c] ?? 0) + tables.embeddingWeight * dot;
      }
    },
  };
}
