import type { AsyncCandidateSource } from "../../models/surfaces.js";
import type { LoadedModel } from "../model/readModel.js";

/**
 * The worker's candidate source: one run of the published ONNX graph per request, every slot of every
 * basket item's neighbour list as candidates (or one, where only the similarities are wanted).
 */
export function onnxCandidates(model: LoadedModel): AsyncCandidateSource {
  return {
    score: ({ basket, candidates, compare, compareAnchors }) =>
      model.scorer.score({
        basket,
        weights: basket.map(() => 1),
        topK: candidates ? basket.length * model.manifest.model.neighbours : 1,
        compare,
        compareAnchors,
      }),
  };
}
