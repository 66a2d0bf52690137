import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));
export const sampleOrders = fileURLToPath(new URL("../data/orders.csv.gz", import.meta.url));
export const sampleCatalog = fileURLToPath(new URL("../data/catalog.csv.gz", import.meta.url));
