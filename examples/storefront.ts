// A storefront's server asking sidecart for a product page's suggestions (npx tsx examples/storefront.ts
// while `npm start` serves on localhost:8787).
import { createSidecartClient, SidecartError } from "../models/api/client.js";

const sidecart = createSidecartClient({ baseUrl: process.env.SIDECART_URL ?? "http://localhost:8787" });

try {
  const { anchor, items, currency, experiments } = await sidecart.alsoBought("85123A", {
    limit: 4,
    unit: "shopper-42",
  });
  const price = new Intl.NumberFormat("en-GB", { style: "currency", currency });
  console.log(`With ${anchor.title} (${anchor.price === null ? "no price" : price.format(anchor.price)}):`);
  for (const item of items) {
    const share = Math.round(item.evidence.confidence * 100);
    console.log(
      `  ${item.title}, ${item.price === null ? "—" : price.format(item.price)}: in ${share}% of orders with it`,
    );
  }
  console.log(`served under ${experiments.map((e) => `${e.id}/${e.variant}`).join(", ") || "no experiment"}`);
} catch (error) {
  if (error instanceof SidecartError) console.error(error.message);
  else throw error;
}
