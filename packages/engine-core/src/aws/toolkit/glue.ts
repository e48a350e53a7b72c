// Glue chores: dropping tables and databases (optionally with their data) and running a crawler to the end.
import { EngineError } from "../../errors.js";
import { glueClientOf, loadGlueSdk, type AwsClients } from "../clients.js";
import { deletePrefix } from "./s3.js";

/** Options of the Glue helpers. */
export interface GlueToolkitOptions extends AwsClients {
  readonly catalogId?: string;
  /** Also delete every object under the table's (or database's) S3 location. */
  readonly deleteData?: boolean;
}

const notFound = (e: unknown) => (e as { name?: string })?.name === "EntityNotFoundException";

/** Deletes a Glue table; with `deleteData`, also the objects under its StorageDescriptor.Location. Returns false when it did not exist. */
export async function deleteTable(database: string, table: string, o: GlueToolkitOptions = {}): Promise<{ existed: boolean; deletedObjects: number }> {
  const sdk = await loadGlueSdk();
  const glue = await glueClientOf(o);
  const ids = { ...(o.catalogId ? { CatalogId: o.catalogId } : {}), DatabaseName: database };
  let location: string | undefined;
  try {
    location = (await glue.send(new sdk.GetTableCommand({ ...ids, Name: table }))).Table?.StorageDescriptor?.Location;
    await glue.send(new sdk.DeleteTableCommand({ ...ids, Name: table }));
  } catch (e) {
    if (notFound(e)) return { existed: false, deletedObjects: 0 };
    throw new EngineError("GLUE_ERROR", `glue: delete table ${database}.${table} failed: ${(e as Error).message}`, { cause: e });
  }
  let deletedObjects = 0;
  if (o.deleteData && location && /^s3[an]?:\/\//.test(location)) {
    deletedObjects = (await deletePrefix(location.endsWith("/") ? location : `${location}/`, o)).deleted.length;
  }
  return { existed: true, deletedObjects };
}

/** Deletes a Glue database and every table in it (each with its data when `deleteData`), then its LocationUri data. */
export async function deleteDatabase(database: string, o: GlueToolkitOptions = {}): Promise<{ existed: boolean; tables: string[]; deletedObjects: number }> {
  const sdk = await loadGlueSdk();
  const glue = await glueClientOf(o);
  const cat = o.catalogId ? { CatalogId: o.catalogId } : {};
  let location: string | undefined;
  try {
    location = (await glue.send(new sdk.GetDatabaseCommand({ ...cat, Name: database }))).Database?.LocationUri;
  } catch (e) {
    if (notFound(e)) return { existed: false, tables: [], deletedObjects: 0 };
    throw e;
  }
  const tables: string[] = [];
  let token: string | undefined;
  do {
    const page = await glue.send(new sdk.GetTablesCommand({ ...cat, DatabaseName: database, ...(token ? { NextToken: token } : {}) }));
    for (const t of page.TableList ?? []) if (t.Name) tables.push(t.Name);
    token = page.NextToken || undefined;
  } while (token);
  let deletedObjects = 0;
  for (const t of tables) deletedObjects += (await deleteTable(database, t, o)).deletedObjects;
  await glue.send(new sdk.DeleteDatabaseCommand({ ...cat, Name: database }));
  if (o.deleteData && location && /^s3[an]?:\/\//.test(location)) deletedObjects += (await deletePrefix(location.endsWith("/") ? location : `${location}/`, o)).deleted.length;
  return { existed: true, tables, deletedObjects };
}

/** Starts a Glue crawler and polls until it is READY again; fails when its last crawl did not succeed. */
export async function startCrawlerAndWait(name: string, o: AwsClients & { readonly pollMs?: number; readonly timeoutMs?: number } = {}): Promise<{ status: string; polls: number }> {
  const sdk = await loadGlueSdk();
  const glue = await glueClientOf(o);
  await glue.send(new sdk.StartCrawlerCommand({ Name: name }));
  const deadline = Date.now() + (o.timeoutMs ?? 30 * 60_000);
  let polls = 0;
  let delay = o.pollMs ?? 5000;
  for (;;) {
    const c = (await glue.send(new sdk.GetCrawlerCommand({ Name: name }))).Crawler;
    polls++;
    if (c?.State === "READY" && polls > 1) {
      const status = c.LastCrawl?.Status ?? "SUCCEEDED";
      if (status !== "SUCCEEDED") throw new EngineError("CRAWLER_FAILED", `glue: crawler ${name}: expected its crawl to succeed, got ${status}: ${c.LastCrawl?.ErrorMessage ?? ""}`, { context: { crawler: name, status } });
      return { status, polls };
    }
    if (Date.now() > deadline) throw new EngineError("CRAWLER_TIMEOUT", `glue: crawler ${name}: expected READY within ${o.timeoutMs} ms, got ${c?.State}`, { context: { crawler: name } });
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 1.5, 30_000);
  }
}
