// Where a new table's files go and which FileIO reaches them, asked of the catalog when it knows
// (GlueCatalog: the database's LocationUri or `<warehouse>/<db>.db/<table>`), so data files are
// written where the table will live before the table exists.

import { fileIOFor, NoSuchNamespaceError, type Catalog, type FileIO, type TableIdentifier } from "@engine/iceberg";

interface CatalogExtras {
  defaultTableLocation?: (id: TableIdentifier) => Promise<string> | string;
  io?: FileIO | (() => Promise<FileIO>);
  properties?: Readonly<Record<string, string>> | (() => Promise<Readonly<Record<string, string>>>);
}

/**
 * The location of a table about to be created: the catalog's `defaultTableLocation` when it has
 * one, else `<warehouse>/<namespace…>/<name>` (the filesystem catalog's layout). A catalog with
 * its own default whose namespace does not exist yet gets the Hive layout
 * `<warehouse>/<namespace>.db/<name>`: the load creates the namespace without a location, which
 * is what such catalogs (Glue, Java's Hive and Glue catalogs) then default to.
 */
export async function newTableLocation(catalog: Catalog, id: TableIdentifier, warehouse: string): Promise<string> {
  const root = warehouse.replace(/\/+$/, "");
  const extras = catalog as Catalog & CatalogExtras;
  if (typeof extras.defaultTableLocation === "function") {
    try {
      return (await extras.defaultTableLocation(id)).replace(/\/+$/, "");
    } catch (error) {
      if (!(error instanceof NoSuchNamespaceError)) throw error;
      return `${root}/${id.namespace.join(".")}.db/${id.name}`;
    }
  }
  return `${root}/${[...id.namespace, id.name].join("/")}`;
}

/** The FileIO a catalog uses for its tables' files at `location`: its own when it exposes one, else the registry's for the scheme. */
export async function catalogFileIO(catalog: Catalog, location: string): Promise<FileIO> {
  const extras = catalog as Catalog & CatalogExtras;
  if (typeof extras.io === "function") return extras.io();
  if (extras.io && typeof extras.io === "object") return extras.io;
  return fileIOFor(location, typeof extras.properties === "object" ? extras.properties : {});
}
