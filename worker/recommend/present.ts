import type { Bundle } from "../../models/rules/bundle.js";
import type { CrossSell } from "../../models/rules/crossSell.js";
import type { Upgrade } from "../../models/rules/upsell.js";
import type { CatalogView } from "../../models/catalog.js";

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

export function describeItem(catalog: CatalogView, index: number) {
  return {
    sku: catalog.sku.get(index),
    title: catalog.title.get(index),
    price: catalog.priceOf(index),
    category: catalog.categoryOf(index),
  };
}

export function presentCrossSell(catalog: CatalogView, item: CrossSell, withAnchor = false) {
  const { support, confidence, lift, anchor, categories, via, viaRelation } = item.evidence;
  return {
    ...describeItem(catalog, item.index),
    score: round(item.score, 6),
    source: item.source,
    evidence: {
      ...(withAnchor ? { because: catalog.sku.get(anchor) } : {}),
      support,
      confidence: round(confidence),
      lift: round(lift, 3),
      ...(categories
        ? {
            categories: {
              anchor: catalog.categoryNames.get(categories[0]),
              item: catalog.categoryNames.get(categories[1]),
            },
          }
        : {}),
      ...(via === undefined
        ? {}
        : {
            via: {
              sku: catalog.sku.get(via),
              title: catalog.title.get(via),
              relation: viaRelation ?? "bought_with",
            },
          }),
    },
  };
}

export function presentUpgrade(catalog: CatalogView, item: Upgrade) {
  return {
    ...describeItem(catalog, item.index),
    score: round(item.similarity, 6),
    evidence: {
      priceDelta: catalog.toMajor(item.priceDeltaMinor),
      priceRatio: Number.isFinite(item.priceRatio) ? round(item.priceRatio, 3) : null,
      tierDelta: item.tierDelta,
      sizeRatio: item.sizeRatio === null ? null : round(item.sizeRatio, 3),
      similarity: round(item.similarity),
    },
    ...(item.savingMinor === null ? {} : { saving: catalog.toMajor(item.savingMinor) }),
  };
}

export function presentBundle(catalog: CatalogView, bundle: Bundle) {
  return {
    items: bundle.items.map((index) => describeItem(catalog, index)),
    totalPrice: bundle.totalMinor === null ? null : catalog.toMajor(bundle.totalMinor),
    pairs: bundle.pairs.map((pair) => ({
      skus: pair.items.map((i) => catalog.sku.get(i)),
      support: pair.support,
      confidence: round(pair.confidence),
      lift: round(pair.lift, 3),
    })),
  };
}
