import { z } from "zod";
import { MANIFEST_SCHEMA_VERSION } from "./contract.js";
import { versionName } from "./names.js";
import { describeIssues } from "./zodIssues.js";

const blobEntry = z.object({
  key: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** How many KV values the blob is split into (KV refuses values above 25 MiB). */
  chunks: z.number().int().positive(),
});

/**
 * A paged model's pages: pages.bin in the version folder, one KV value per page under `key` (a
 * prefix; page n is key + n). Each page's size and sha256 are in the head, whose own are in `head`.
 */
const pagesEntry = z.object({
  key: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  pages: z.number().int().positive(),
});

export const manifestSchema = z.object({
  schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
  version: versionName,
  createdAt: z.iso.datetime(),
  trainingWindow: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }),
  /** sha256 over the input files, so two runs on the same data can be recognised. */
  dataFingerprint: z.string(),
  model: z.object({
    itemCount: z.number().int().positive(),
    dimension: z.number().int().positive(),
    neighbours: z.number().int().positive(),
    opset: z.number().int().positive(),
    bytesPerItem: z.number().nonnegative(),
    /** What gave the neighbour weights (trainer --learner); absent in manifests written before it. */
    learner: z.enum(["dense", "sparse", "confidence"]).optional(),
  }),
  blobs: z.object({
    model: blobEntry,
    /**
     * The scoring tables the worker gathers the graph's rows from (contract v2). Absent in versions
     * trained before it, which kept the tables in modelData; the worker refuses those.
     */
    tables: blobEntry.optional(),
    /** Before contract v2: the graph's tables as ONNX external data. Still parsed, so the refusal can say why. */
    modelData: blobEntry.optional(),
    catalog: blobEntry,
    evidence: blobEntry,
    /** What the worker serves from (absent in versions trained before paging; the worker refuses those). */
    head: blobEntry.optional(),
    pages: pagesEntry.optional(),
  }),
  stats: z.record(z.string(), z.number()),
  /** Offline evaluation on the most recent window ("basket.HR@10" → value), for the nightly quality gate. */
  metrics: z.record(z.string(), z.number()).optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type BlobEntry = z.infer<typeof blobEntry>;
export type PagesEntry = z.infer<typeof pagesEntry>;

/** The pointer names the live version; it is written only after every blob of that version. */
export const pointerSchema = z.object({
  version: versionName,
  publishedAt: z.iso.datetime(),
});
export type Pointer = z.infer<typeof pointerSchema>;

/** Versions published, oldest first: what rollback and pruning work from. */
export const historySchema = z.object({ versions: z.array(pointerSchema) });
export type History = z.infer<typeof historySchema>;

/** Parses a manifest, turning every problem into one line naming the field. */
export function parseManifest(value: unknown): Manifest {
  const result = manifestSchema.safeParse(value);
  if (!result.success) throw new Error(`invalid manifest: ${describeIssues(result.error)}`);
  return result.data;
}

export function parsePointer(value: unknown): Pointer {
  const result = pointerSchema.safeParse(value);
  if (!result.success) throw new Error(`invalid pointer: ${describeIssues(result.error)}`);
  return result.data;
}
