import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { headingAnchors, headingSlug, linkTargets } from "../../scripts/docsLinks.js";
import { docPages, readPage } from "../../scripts/docPages.js";
import { repoRoot } from "../fixtures.js";

const pages = docPages(repoRoot);
const read = (page: string) => readPage(repoRoot, page);

/** What is wrong with one relative link of `page`, or undefined when it resolves. */
function brokenLink(page: string, target: string): string | undefined {
  const [path = "", anchor] = target.split("#", 2);
  const file = path === "" ? join(repoRoot, page) : join(repoRoot, dirname(page), decodeURI(path));
  const inRepo = relative(repoRoot, file);
  if (inRepo.startsWith("..")) return `${page}: ${target} points outside the repository`;
  if (!existsSync(file)) return `${page}: ${target} names no file`;
  if (anchor !== undefined && file.endsWith(".md") && !headingAnchors(readFileSync(file, "utf8")).has(anchor))
    return `${page}: ${target} names no heading of ${inRepo}`;
  return undefined;
}

const isRelative = (target: string) => !/^[a-z][a-z0-9+.-]*:/i.test(target);

describe("README.md and docs/", () => {
  it("link only to files and headings in the repository", () => {
    const broken = pages.flatMap((page) =>
      linkTargets(read(page))
        .filter(isRelative)
        .map((target) => brokenLink(page, target))
        .filter((problem) => problem !== undefined),
    );
    expect(broken).toEqual([]);
  });

  it("keep the README to what a newcomer needs (at most 200 lines) and link every docs page from it", () => {
    const readme = read("README.md");
    expect(readme.trimEnd().split("\n").length).toBeLessThanOrEqual(200);
    const linked = new Set(linkTargets(readme).map((target) => target.split("#")[0]));
    expect(pages.filter((page) => page.startsWith("docs/") && !linked.has(page))).toEqual([]);
  });

  it("the checker finds a missing file, a missing heading and a link out of the repository", () => {
    expect(brokenLink("README.md", "docs/api.md#routes")).toBeUndefined();
    expect(brokenLink("docs/api.md", "rules.md#fallback-levels")).toBeUndefined();
    expect(brokenLink("README.md", "docs/nope.md")).toMatch(/names no file/);
    expect(brokenLink("README.md", "docs/api.md#no-such-heading")).toMatch(/names no heading/);
    expect(brokenLink("docs/api.md", "../../shared/DESIGN.md")).toMatch(/outside the repository/);
    expect(linkTargets("[a](x.md) `[b](y.md)`\n```\n[c](z.md)\n```\n[d](https://e.f)")).toEqual([
      "x.md",
      "https://e.f",
    ]);
    expect(headingSlug("Limits: what `/openapi.json` promises is what is enforced")).toBe(
      "limits-what-openapijson-promises-is-what-is-enforced",
    );
  });
});
