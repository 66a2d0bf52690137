import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));
export const sampleOrders = fileURLToPath(new URL("../data/orders.csv.gz", import.meta.url));
export const sampleCatalog = fileURLToPath(new URL("../data/catalog.csv.gz", import.meta.url));
/** The shared data sets sit beside the project (../shared/data), in CI too. */
const shared = (path: string) => fileURLToPath(new URL(`../../shared/data/${path}`, import.meta.url));
export const journeyOrders = shared("completejourney-sample/orders.csv.gz");
export const journeyCatalog = shared("completejourney-sample/catalog.csv.gz");
export const onlineRetailOrders = shared("online-retail-2010-12-to-2011-06/orders.csv.gz");
