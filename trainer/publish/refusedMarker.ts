import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

/**
 * A version folder the nightly quality gate refused carries this file. The folder stays (it is the
 * evidence of what went wrong, and can still be published by name), but `publish` without --from
 * must not pick it just because it is the newest.
 */
export const REFUSED_FILE = "refused.json";

const refusedSchema = z.object({
  /** What the gate said, one line. */
  reason: z.string(),
  at: z.string(),
  /** The live version it was compared with. */
  live: z.string().nullable().optional(),
});
export type Refusal = z.infer<typeof refusedSchema>;

export async function markRefused(dir: string, refusal: Refusal): Promise<void> {
  await writeFile(join(dir, REFUSED_FILE), `${JSON.stringify(refusal, null, 2)}\n`);
}

/** The folder's refusal, or null. An unreadable marker still counts: refusing is the safe reading. */
export async function readRefusal(dir: string): Promise<Refusal | null> {
  let text: string;
  try {
    text = await readFile(join(dir, REFUSED_FILE), "utf8");
  } catch {
    return null;
  }
  try {
    const parsed = refusedSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through: a marker that is not JSON is still a marker
  }
  return { reason: `see ${join(dir, REFUSED_FILE)}`, at: "unknown" };
}
