import { KvKeys } from "../../models/contract.js";
import type { DryRun } from "./dryRun.js";

/** A dry run as the lines `publish --dry-run` prints. */
export function dryRunText(plan: DryRun): string {
  const lines = [`dry run: would publish ${plan.version} to ${plan.target}`];
  const width = Math.max(...plan.writes.map((w) => w.key.length));
  for (const write of plan.writes) {
    const bytes = write.key === KvKeys.history ? "(updated)" : `${write.bytes.toLocaleString("en")} bytes`;
    lines.push(`  request ${String(write.request).padStart(3)}  ${write.key.padEnd(width)}  ${bytes}`);
  }
  const total = plan.writes.reduce((n, w) => n + w.bytes, 0);
  lines.push(
    `${plan.requests} write requests, ${total.toLocaleString("en")} bytes of values; the pointer after a read-back check of every blob`,
  );
  const r = plan.retention;
  lines.push(
    "unknown" in r
      ? `retention (--keep ${r.keep}): not computed (${r.unknown})`
      : r.deleted.length === 0
        ? `retention (--keep ${r.keep}): would delete nothing`
        : `retention (--keep ${r.keep}): would delete ${r.deleted.join(", ")} (${r.deletedKeys} keys)`,
  );
  lines.push("nothing was written");
  return `${lines.join("\n")}\n`;
}
