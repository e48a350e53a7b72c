// Glue requests as pure functions of the catalog's state, so tests can validate every request the
// catalog sends against botocore's service model without a network.
import type {
  CreateDatabaseRequest, CreateTableRequest, DeleteTableRequest, GetTableRequest, GetTablesRequest, Table as GlueTable, TableInput, UpdateTableRequest,
} from "@aws-sdk/client-glue";
import type { TableMetadata } from "../../spec/table-metadata.js";
import { glueColumns } from "./glue-types.js";

// Spec: the Glue table parameters of Iceberg's BaseMetastoreTableOperations / PyIceberg `catalog/__init__.py`.
/** Glue table parameter naming the table format; `ICEBERG` for Iceberg tables. */
export const TABLE_TYPE_PARAM = "table_type";
/** Glue table parameter holding the current metadata file. */
export const METADATA_LOCATION_PARAM = "metadata_location";
/** Glue table parameter holding the metadata file before the current one. */
export const PREVIOUS_METADATA_LOCATION_PARAM = "previous_metadata_location";
/** The value of `table_type` for Iceberg tables. */
export const ICEBERG_TABLE_TYPE = "ICEBERG";
/** Glue's table type for tables whose data lives outside Glue. */
export const EXTERNAL_TABLE = "EXTERNAL_TABLE";

/** Whether a Glue table is an Iceberg table (`table_type` = ICEBERG, any case). */
export function isIcebergGlueTable(table: Pick<GlueTable, "Parameters">): boolean {
  return (table.Parameters?.[TABLE_TYPE_PARAM] ?? "").toUpperCase() === ICEBERG_TABLE_TYPE;
}

/** Inputs of `glueTableInput`. */
export interface GlueTableInputOptions {
  readonly name: string;
  readonly metadata: TableMetadata;
  readonly metadataLocation: string;
  readonly previousMetadataLocation?: string;
  /** The current Glue table, whose parameters are kept (other engines store theirs there). */
  readonly current?: Pick<GlueTable, "Parameters" | "Owner">;
}

/**
 * The TableInput of an Iceberg table, as Java's and PyIceberg's GlueCatalog build it:
 * EXTERNAL_TABLE, parameters `table_type`, `metadata_location`, `previous_metadata_location` plus
 * the table properties, the location, and the columns with their Iceberg field ids.
 */
export function glueTableInput(o: GlueTableInputOptions): TableInput {
  const parameters: Record<string, string> = { ...(o.current?.Parameters ?? {}) };
  for (const [k, v] of Object.entries(o.metadata.properties)) parameters[k] = String(v);
  parameters[TABLE_TYPE_PARAM] = ICEBERG_TABLE_TYPE;
  parameters[METADATA_LOCATION_PARAM] = o.metadataLocation;
  if (o.previousMetadataLocation) parameters[PREVIOUS_METADATA_LOCATION_PARAM] = o.previousMetadataLocation;
  else delete parameters[PREVIOUS_METADATA_LOCATION_PARAM];
  const comment = o.metadata.properties["comment"];
  return {
    Name: o.name,
    TableType: EXTERNAL_TABLE,
    ...(o.current?.Owner ? { Owner: o.current.Owner } : {}),
    ...(comment ? { Description: comment } : {}),
    Parameters: parameters,
    StorageDescriptor: {
      Location: o.metadata.location,
      Columns: glueColumns(o.metadata).map((c) => ({ ...c, Parameters: { ...c.Parameters } })),
    },
  };
}

/** CreateTable of a new Iceberg table. */
export function createTableRequest(o: { database: string; catalogId?: string | undefined; input: TableInput }): CreateTableRequest {
  return { ...(o.catalogId ? { CatalogId: o.catalogId } : {}), DatabaseName: o.database, TableInput: o.input };
}

/** UpdateTable with Glue's optimistic lock: it fails with ConcurrentModificationException unless `versionId` is still current. */
export function updateTableRequest(o: { database: string; catalogId?: string | undefined; input: TableInput; versionId?: string | undefined; skipArchive: boolean }): UpdateTableRequest {
  return {
    ...(o.catalogId ? { CatalogId: o.catalogId } : {}),
    DatabaseName: o.database,
    TableInput: o.input,
    SkipArchive: o.skipArchive,
    ...(o.versionId ? { VersionId: o.versionId } : {}),
  };
}

/**
 * CreateDatabase for a namespace; like PyIceberg, `location` becomes LocationUri, `Description`
 * (or Java's `comment`) the description, the other properties Parameters.
 */
export function createDatabaseRequest(o: { name: string; catalogId?: string | undefined; properties?: Readonly<Record<string, string>> }): CreateDatabaseRequest {
  const params: Record<string, string> = {};
  let description: string | undefined;
  let location: string | undefined;
  for (const [k, v] of Object.entries(o.properties ?? {})) {
    if (k === "location") location = v;
    else if (k === "Description" || k === "comment") description = v;
    else params[k] = v;
  }
  return {
    ...(o.catalogId ? { CatalogId: o.catalogId } : {}),
    DatabaseInput: { Name: o.name, ...(description ? { Description: description } : {}), ...(location ? { LocationUri: location } : {}), Parameters: params },
  };
}

/** GetTable. */
export function getTableRequest(o: { database: string; name: string; catalogId?: string | undefined }): GetTableRequest {
  return { ...(o.catalogId ? { CatalogId: o.catalogId } : {}), DatabaseName: o.database, Name: o.name };
}

/** One page of GetTables. */
export function getTablesRequest(o: { database: string; catalogId?: string | undefined; nextToken?: string | undefined }): GetTablesRequest {
  return { ...(o.catalogId ? { CatalogId: o.catalogId } : {}), DatabaseName: o.database, ...(o.nextToken ? { NextToken: o.nextToken } : {}) };
}

/** DeleteTable. */
export function deleteTableRequest(o: { database: string; name: string; catalogId?: string | undefined }): DeleteTableRequest {
  return { ...(o.catalogId ? { CatalogId: o.catalogId } : {}), DatabaseName: o.database, Name: o.name };
}

/**
 * The TableInput that recreates a Glue table under a new name (Glue has no rename). Spec: Java's
 * GlueCatalog.renameTable copies table type, owner, parameters, storage descriptor, description.
 */
export function renameTableInput(newName: string, table: GlueTable): TableInput {
  const sd = table.StorageDescriptor;
  return {
    Name: newName,
    ...(table.TableType ? { TableType: table.TableType } : {}),
    ...(table.Owner ? { Owner: table.Owner } : {}),
    ...(table.Description ? { Description: table.Description } : {}),
    ...(table.Parameters ? { Parameters: { ...table.Parameters } } : {}),
    ...(sd
      ? {
        StorageDescriptor: {
          ...(sd.Location ? { Location: sd.Location } : {}),
          ...(sd.Columns ? { Columns: sd.Columns.map((c) => ({ Name: c.Name!, ...(c.Type ? { Type: c.Type } : {}), ...(c.Comment ? { Comment: c.Comment } : {}), ...(c.Parameters ? { Parameters: c.Parameters } : {}) })) } : {}),
        },
      }
      : {}),
  };
}
