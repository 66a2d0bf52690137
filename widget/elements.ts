import { ask, report, unitId, type Answer, type Item, type Question, type ShopperEvent, type Surface } from "./api.js";
import { bundleFooter } from "./bundleFooter.js";
import { element } from "./dom.js";
import { evidenceLine, headingOf, money } from "./format.js";
import { emptyReason } from "./reasons.js";
import { STYLES } from "./styles.js";

// Where the script was loaded from is where the API is, unless an element says otherwise.
const script = document.currentScript;
const scriptOrigin = script instanceof HTMLScriptElement && script.src ? new URL(script.src).origin : location.origin;

const addEvent = (item: Item): ShopperEvent => ({
  type: "add_to_cart",
  sku: item.sku,
  ...(item.price === null ? {} : { value: item.price }),
});

/**
 * One list of suggestions. Attributes: sku (or skus="A,B" for the cart), limit, stage, unit (else a
 * per-shopper id in localStorage), api (else the script's origin), heading, href and image (templates
 * with {sku}), add-label (shows a button that fires `sidecart-add`; on a bundle also one that adds the
 * whole set, labelled by add-all-label, firing `sidecart-add` once per item), explain-empty (on a product's
 * list: an empty answer shows its heading and why it is empty, from the answer's reasons, instead of
 * hiding). Text only ever goes in through textContent: nothing from the API is parsed as HTML.
 */
abstract class SidecartList extends HTMLElement {
  static observedAttributes = ["sku", "skus", "limit", "stage", "unit", "api"];
  protected abstract readonly surface: Surface;
  private readonly root: ShadowRoot;
  private controller: AbortController | null = null;
  private observer: IntersectionObserver | null = null;
  private queued = false;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: "open" });
  }

  connectedCallback(): void {
    this.refresh();
  }

  disconnectedCallback(): void {
    this.controller?.abort();
    this.observer?.disconnect();
  }

  attributeChangedCallback(): void {
    if (this.isConnected) this.refresh();
  }

  /** Several attributes set in one task make one request. */
  refresh(): void {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      void this.load();
    });
  }

  private question(): Question {
    const limit = Number(this.getAttribute("limit"));
    return {
      api: (this.getAttribute("api") ?? scriptOrigin).replace(/\/$/, ""),
      surface: this.surface,
      sku: this.getAttribute("sku") ?? "",
      skus: (this.getAttribute("skus") ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
      limit: limit > 0 ? limit : undefined,
      stage: this.getAttribute("stage") ?? undefined,
      unit: this.getAttribute("unit") ?? unitId(),
    };
  }

  private async load(): Promise<void> {
    const q = this.question();
    if (q.surface === "cart" ? q.skus.length === 0 : q.sku === "") return this.show(q, null);
    this.controller?.abort();
    const controller = (this.controller = new AbortController());
    this.root.querySelector("section")?.setAttribute("aria-busy", "true");
    try {
      const answer = await ask(q, controller.signal);
      if (!controller.signal.aborted) this.show(q, answer);
    } catch (error) {
      if (!controller.signal.aborted) {
        this.show(q, null);
        this.dispatchEvent(new CustomEvent("sidecart-error", { detail: error, bubbles: true, composed: true }));
      }
    }
  }

  private show(q: Question, answer: Answer | null): void {
    this.observer?.disconnect();
    const bundle = answer?.bundle ?? null;
    // The suggestions (what impressions and the report count); a bundle shows its anchor with them,
    // as a set the shopper can buy in one go.
    const items: Item[] = (bundle ? bundle.items.slice(1) : answer?.items) ?? [];
    const shown: Item[] = bundle && items.length > 0 ? bundle.items : items;
    const anchor = bundle ? bundle.items[0] : undefined;
    // Opt-in, as many shops rather hide an empty strip. The cart's reasons are about its lines, which
    // these product-page sentences do not fit.
    const explain = this.hasAttribute("explain-empty") && q.surface !== "cart";
    const empty = answer && items.length === 0 && explain ? emptyReason(answer.reasons ?? []) : "";
    this.hidden = items.length === 0 && empty === "";
    const section = element("section", "root");
    section.setAttribute("aria-busy", "false");
    const heading = element(
      "h2",
      "heading",
      this.getAttribute("heading") ?? (answer ? headingOf(q.surface, answer) : ""),
    );
    heading.id = "sidecart-heading";
    section.setAttribute("aria-labelledby", heading.id);
    const list = element("ul", "list");
    const price = money(answer?.currency ?? "USD");
    const href = this.getAttribute("href");
    const image = this.getAttribute("image");
    const addLabel = this.getAttribute("add-label");
    for (const item of shown) {
      const isAnchor = item === anchor;
      const li = element("li", "item");
      li.dataset.sku = item.sku;
      if (isAnchor) li.dataset.anchor = "";
      if (image) {
        const img = element("img", "image");
        img.src = image.replaceAll("{sku}", encodeURIComponent(item.sku));
        img.alt = "";
        img.loading = "lazy";
        li.append(img);
      }
      const title = href ? element("a", "title", item.title) : element("span", "title", item.title);
      if (title instanceof HTMLAnchorElement && href) {
        title.href = href.replaceAll("{sku}", encodeURIComponent(item.sku));
        title.addEventListener("click", () => answer && report(q, answer, [{ type: "click", sku: item.sku }]));
      }
      li.append(title);
      if (item.price !== null) li.append(element("span", "price", price(item.price)));
      const why = isAnchor ? "This item" : evidenceLine(q.surface, item, price);
      if (why) li.append(element("span", "evidence", why));
      if (addLabel && !isAnchor) {
        const button = element("button", "add", addLabel);
        button.type = "button";
        button.setAttribute("aria-label", `${addLabel}: ${item.title}`);
        button.addEventListener("click", () => {
          if (answer) report(q, answer, [addEvent(item)]);
          this.add(item);
        });
        li.append(button);
      }
      list.append(li);
    }
    section.append(heading, empty ? element("p", "empty", empty) : list);
    if (answer && bundle && items.length > 0) {
      const addAllLabel = this.getAttribute("add-all-label") ?? (addLabel ? `Add all ${shown.length} to cart` : null);
      section.append(
        ...bundleFooter(bundle.totalPrice, shown, price, addAllLabel, (all) => {
          report(q, answer, items.map(addEvent));
          for (const item of all) this.add(item);
        }),
      );
    }
    const style = document.createElement("style");
    style.textContent = STYLES;
    this.root.replaceChildren(style, section);
    if (answer && items.length > 0) this.watchImpressions(q, answer, items, section);
    this.dispatchEvent(new CustomEvent("sidecart-load", { detail: answer, bubbles: true, composed: true }));
  }

  private add(item: Item): void {
    this.dispatchEvent(new CustomEvent("sidecart-add", { detail: item, bubbles: true, composed: true }));
  }

  /** One impression per item per answer, once at least half of the list has been on screen. */
  private watchImpressions(q: Question, answer: Answer, items: Item[], section: HTMLElement): void {
    const events: ShopperEvent[] = items.map((item) => ({ type: "impression", sku: item.sku }));
    if (typeof IntersectionObserver === "undefined") return report(q, answer, events);
    this.observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        this.observer?.disconnect();
        report(q, answer, events);
      },
      { threshold: 0.5 },
    );
    this.observer.observe(section);
  }
}

const surfaces: [string, Surface][] = [
  ["sidecart-also-bought", "also-bought"],
  ["sidecart-upgrades", "upgrades"],
  ["sidecart-bundle", "bundle"],
  ["sidecart-cart", "cart"],
];
for (const [tag, surface] of surfaces) {
  if (!customElements.get(tag)) {
    customElements.define(
      tag,
      class extends SidecartList {
        protected readonly surface = surface;
      },
    );
  }
}
