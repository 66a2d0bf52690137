import type { z } from "zod";

/** Where an issue is, in JSON terms (experiments[0].variants[1].weight); "(root)" for the value itself. */
export function issuePath(path: readonly PropertyKey[]): string {
  const text = path.reduce<string>(
    (at, key) => (typeof key === "number" ? `${at}[${key}]` : at === "" ? String(key) : `${at}.${String(key)}`),
    "",
  );
  return text || "(root)";
}

/**
 * Every problem zod found as "path: message", one line each: how sidecart words a refused value
 * everywhere (API 400s, config files, manifests), so an operator reads one style.
 */
export function issueLines(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issuePath(issue.path)}: ${issue.message}`);
}

/** The issue lines joined into the one line an error message or an API answer carries. */
export function describeIssues(error: z.ZodError): string {
  return issueLines(error).join("; ");
}
