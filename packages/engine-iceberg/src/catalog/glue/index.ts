// `@engine/iceberg/catalog/glue`: the AWS Glue Data Catalog as an Iceberg catalog.
// `@aws-sdk/client-glue` loads on first use; S3 warehouses use `@engine/iceberg/io/s3`.
export * from "./properties.js";
export { GlueCatalog, loadGlueSdk, type GlueCatalogOptions } from "./glue-catalog.js";
export { ICEBERG_FIELD_ID, ICEBERG_FIELD_OPTIONAL, ICEBERG_FIELD_CURRENT, glueTypeName, glueColumns, type GlueColumn } from "./glue-types.js";
export {
  TABLE_TYPE_PARAM, METADATA_LOCATION_PARAM, PREVIOUS_METADATA_LOCATION_PARAM, ICEBERG_TABLE_TYPE, EXTERNAL_TABLE, isIcebergGlueTable,
  glueTableInput, createTableRequest, updateTableRequest, createDatabaseRequest, getTableRequest, getTablesRequest, deleteTableRequest,
  renameTableInput, type GlueTableInputOptions,
} from "./glue-requests.js";
export { metadataFolder, metadataVersion, nextMetadataLocation } from "./metadata-files.js";
