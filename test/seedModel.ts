/** A model the global setup trained, as handed to every test project (Node and Workers runtime alike). */
export interface SeedModel {
  /** Folder of the trained version. */
  dir: string;
  version: string;
  /** KV entries to write (key → base64 value), pointer last. */
  entries: [string, string][];
  /** The whole catalog and evidence blobs (base64), which stay in the version folder, for exhaustive references. */
  wholeBlobs: { catalog: string; evidence: string };
  /** The scoring tables inside the ONNX model (base64 of each typed array), for exhaustive references. */
  tables: {
    itemCount: number;
    neighbours: number;
    dimension: number;
    embeddingWeight: number;
    neighbourItems: string;
    neighbourWeights: string;
    neighbourScales: string;
    confidenceWeights: string;
    confidenceScales: string;
    confidenceBlend: number;
    blendPower: number;
    embeddings: string;
    embeddingScales: string;
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    /** Trained on the bundled Online Retail sample (real baskets, prices, colour families). */
    seedModel: SeedModel;
    /** Trained on the bundled Complete Journey slice (category ladders, thin baskets). */
    journeyModel: SeedModel;
  }
}
