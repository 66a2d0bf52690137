import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createSidecartClient } from "../../models/api/client.js";
import { buildWidget } from "../../scripts/build.mjs";
import { repoRoot } from "../fixtures.js";
import { startDevServer, type DevServer } from "./devServer.js";

// Debian's chromium (.ci/run installs it); never a browser download.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === "true";
if (!haveChromium && !inCi) {
  console.warn(
    `storefront browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`,
  );
}

interface Bundle {
  anchor: { sku: string };
  bundle: { items: { sku: string; price: number | null }[]; totalPrice: number | null } | null;
  currency: string;
}

interface AlsoBought {
  anchor: { sku: string; price: number };
  items: { sku: string; price: number | null }[];
}

interface Upgrades {
  items: { sku: string; title: string }[];
  reasons: string[];
}

// From the bundled sample (data/catalog.csv.gz): a product never sold, and two hearts sold in a small and a large size.
const NEVER_SOLD = "23429"; // RED RETRO KITCHEN WALL CLOCK
const WICKER_SMALL = "22469"; // HEART OF WICKER SMALL, £1.65; LARGE is £2.95, above the 1.6× price band
const TRELLIS_SMALL = "22297"; // HEART IVORY TRELLIS SMALL, £1.25; LARGE (22296) is £1.65

describe("the storefront: typed client, widget and demo page through wrangler dev", () => {
  let server: DevServer;

  beforeAll(async () => {
    const widget = await buildWidget({ quiet: true });
    expect(widget.gzip).toBeLessThanOrEqual(6 * 1024);
    server = await startDevServer(inject("seedModel").dir);
  });
  afterAll(() => server?.stop());

  it("the typed client reads also-bought, upgrades and the cart", async () => {
    const sidecart = createSidecartClient({ baseUrl: server.base });
    const also = await sidecart.alsoBought("85123A", { limit: 3 });
    expect(also.anchor.sku).toBe("85123A");
    expect(also.items.length).toBe(3);
    for (const item of also.items) expect(item.price ?? Infinity).toBeLessThanOrEqual(0.3 * (also.anchor.price ?? 0));
    const cart = await sidecart.cart([{ sku: "85123A" }, { sku: "22423" }]);
    expect(cart.cart.lines).toBe(2);
    await expect(sidecart.alsoBought("NO-SUCH")).rejects.toMatchObject({ status: 404, code: "unknown_sku" });
  });

  it("serves the widget and the OpenAPI document", async () => {
    const widget = await fetch(`${server.base}/widget/v1/sidecart.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get("content-type")).toContain("javascript");
    expect(await widget.text()).toContain("sidecart-also-bought");
    const doc = (await (await fetch(`${server.base}/openapi.json`)).json()) as { openapi: string };
    expect(doc.openapi).toBe("3.1.0");
  });

  describe.skipIf(!haveChromium && !inCi)("in headless Chromium", () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
      });
    });
    afterAll(() => browser?.close());

    /** Runs `body` on a new page, then checks that no error was thrown in the page and closes it. */
    async function onPage(body: (page: Page) => Promise<void>): Promise<void> {
      const page = await browser.newPage({ viewport: { width: 1200, height: 1100 } });
      const problems: string[] = [];
      page.on("pageerror", (error) => problems.push(error.message));
      await body(page);
      expect(problems).toEqual([]);
      await page.close();
    }

    /** Opens the demo page on `sku` and returns its widget's answer from /v1/items/`sku`/`endpoint`. */
    async function openDemo<T>(page: Page, sku: string, endpoint: string): Promise<T> {
      const answered = page.waitForResponse((r) => r.url().includes(`/v1/items/${sku}/${endpoint}`));
      await page.goto(`${server.base}/demo/?sku=${sku}`);
      return (await (await answered).json()) as T;
    }

    /** A full-page screenshot of `page` in test-results/. */
    async function screenshot(page: Page, file: string): Promise<void> {
      await mkdir(join(repoRoot, "test-results"), { recursive: true });
      await page.screenshot({ path: join(repoRoot, "test-results", file), fullPage: true });
    }

    it("picks a product, shows suggestions within the price rule, adds to cart, shows cart suggestions", () =>
      onPage(async (page) => {
        const events: { events: { token?: string }[] }[] = [];
        const recorded: number[] = [];
        page.on("request", (request) => {
          if (request.url().endsWith("/v1/events")) events.push(request.postDataJSON() as (typeof events)[number]);
        });
        page.on("response", (response) => {
          if (response.url().endsWith("/v1/events")) recorded.push(response.status());
        });

        const answer = await openDemo<AlsoBought>(page, "85123A", "also-bought");
        expect(answer.items.length).toBeGreaterThan(0);
        for (const item of answer.items) expect(item.price ?? Infinity).toBeLessThanOrEqual(0.3 * answer.anchor.price);

        // Playwright's CSS pierces the widget's open shadow root.
        const shown = page.locator("sidecart-also-bought li[data-sku]");
        await expect.poll(() => shown.count()).toBe(answer.items.length);
        expect(await shown.evaluateAll((lis) => lis.map((li) => li.getAttribute("data-sku")))).toEqual(
          answer.items.map((i) => i.sku),
        );
        await expect
          .poll(() => page.locator("sidecart-also-bought .evidence").first().textContent())
          .toMatch(/^In \d+% of orders with this$/);
        await expect.poll(() => page.locator("#variant").textContent()).toMatch(/experiment|no experiment/);

        // Add the product, then one suggestion by keyboard: the cart widget answers for both lines.
        await page.locator("#add").click();
        const firstAdd = page.locator("sidecart-also-bought button").first();
        await firstAdd.focus();
        await page.keyboard.press("Enter");
        await expect.poll(() => page.locator("#cart-lines li").count()).toBe(2);
        await expect
          .poll(() => page.locator("sidecart-cart li[data-sku]").count(), { timeout: 15_000 })
          .toBeGreaterThan(0);
        await expect.poll(() => events.length).toBeGreaterThan(0);
        // The shop records them: each event carries its answer's token and the worker stores the batch.
        for (const batch of events) for (const event of batch.events) expect(event.token).toMatch(/\.[\w-]{16}$/);
        // Both counts are read at each poll: the widget may post another batch while the first is answered.
        await expect.poll(() => recorded.length - events.length).toBe(0);
        expect(new Set(recorded)).toEqual(new Set([202]));

        await screenshot(page, "demo.png");
      }));

    it("an empty answer says why in the shopper's words, from its reasons, instead of vanishing", () =>
      onPage(async (page) => {
        const answer = await openDemo<{ items: unknown[]; reasons: string[] }>(page, NEVER_SOLD, "also-bought");
        expect(answer).toMatchObject({ items: [], reasons: ["no_evidence"] });

        // allTextContents does not wait for the element, so a missing one fails the poll, not the test's timeout.
        const why = page.locator("sidecart-also-bought .empty");
        await expect
          .poll(() => why.allTextContents())
          .toEqual(["Too few orders include this product yet to say what goes with it."]);
        expect(await why.isVisible()).toBe(true);
        expect(await page.locator("sidecart-also-bought li").count()).toBe(0);
      }));

    it("upgrades: says why the larger wicker heart is no upgrade, and the hint leads to a product with one", () =>
      onPage(async (page) => {
        // The ladder has HEART OF WICKER LARGE, but at 1.79× the price it is outside the default band (1.6×).
        expect((await openDemo<Upgrades>(page, WICKER_SMALL, "upgrades")).reasons).toEqual(["price_band"]);
        await expect
          .poll(() => page.locator("sidecart-upgrades .empty").allTextContents())
          .toEqual(["The bigger or better versions of this product cost too much more to suggest."]);

        // The demo's hint names a product whose larger size is within the band.
        const hint = page.locator("#upgrades-hint a");
        expect(await hint.count()).toBe(1);
        const trellis = page.waitForResponse((r) => r.url().includes(`/v1/items/${TRELLIS_SMALL}/upgrades`));
        await hint.click();
        const answer = (await (await trellis).json()) as Upgrades;
        expect(answer.items.map((i) => i.title)).toEqual(["HEART IVORY TRELLIS LARGE"]);
        await expect
          .poll(() =>
            page
              .locator("sidecart-upgrades li[data-sku]")
              .evaluateAll((lis) =>
                lis.map((li) => [
                  li.getAttribute("data-sku"),
                  li.querySelector(".title")?.textContent,
                  li.querySelector(".evidence")?.textContent,
                ]),
              ),
          )
          .toEqual([["22296", "HEART IVORY TRELLIS LARGE", "£0.40 more"]]);
        expect(await page.locator("sidecart-upgrades .empty").count()).toBe(0);
      }));

    it("shows the bundle as a set: the anchor first, the add-ons, their total and one button to add them all", () =>
      onPage(async (page) => {
        const answer = await openDemo<Bundle>(page, "85123A", "bundle");
        const items = answer.bundle?.items ?? [];
        expect(items.length).toBeGreaterThan(1);
        expect(items[0]?.sku).toBe("85123A");

        const shown = page.locator("sidecart-bundle li[data-sku]");
        await expect.poll(() => shown.count()).toBe(items.length);
        expect(await shown.evaluateAll((lis) => lis.map((li) => li.getAttribute("data-sku")))).toEqual(
          items.map((i) => i.sku),
        );
        await expect
          .poll(() => page.locator("sidecart-bundle li[data-anchor]").getAttribute("data-sku"))
          .toBe("85123A");
        const total = new Intl.NumberFormat("en-GB", { style: "currency", currency: answer.currency }).format(
          answer.bundle?.totalPrice ?? NaN,
        );
        await expect.poll(() => page.locator("sidecart-bundle .total").textContent()).toContain(total);

        const addAll = page.locator("sidecart-bundle button.add-all");
        await expect.poll(() => addAll.textContent()).toMatch(/add all/i);
        await addAll.click();
        await expect
          .poll(() => page.locator("#cart-lines li").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-sku"))))
          .toEqual(items.map((i) => i.sku));

        await screenshot(page, "demo-bundle.png");
      }));
  });
});
