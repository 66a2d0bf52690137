import { answer, type Plan, type ScoredRun, type ScoreQuery } from "../../models/surfaces.js";
import type { PageSession } from "../model/pageSession.js";
import type { LoadedModel } from "../model/readModel.js";
import { benchScorer, standInRun } from "./benchScorer.js";

/**
 * One run of the published ONNX graph for a surface's query: every slot of every basket item's
 * neighbour list as candidates (or one, where only the similarities are wanted), gathered from the
 * pages once every row is read.
 */
async function scoreQuery(model: LoadedModel, session: PageSession, query: ScoreQuery): Promise<ScoredRun> {
  const { basket, candidates, compare, compareAnchors } = query;
  const request = {
    basket,
    weights: basket.map(() => 1),
    topK: candidates ? basket.length * model.head.neighbours : 1,
    compare,
    compareAnchors,
  };
  const prepared = await session.complete(() => model.scorer.prepare(request, session.rows));
  // complete() returns only from a run that missed no page, and prepare() is null only on a miss.
  if (prepared === null) throw new Error("rows still missing after their pages were read");
  return benchScorer() === "graph" ? model.scorer.score(prepared) : standInRun(prepared);
}

/**
 * A surface's answer from a paged model, presented: the graph scores the plan's query, then the
 * answer and its presentation run over the pages until a run needs none it has not read.
 */
export async function answerPaged<A, B>(
  model: LoadedModel,
  session: PageSession,
  plan: Plan<A>,
  present: (answer: A) => B,
): Promise<B> {
  const run = plan.query === null ? null : await scoreQuery(model, session, plan.query);
  return session.complete(() =>
    present(answer(plan, { score: () => run ?? { items: [], scores: [], similarity: [] } })),
  );
}
