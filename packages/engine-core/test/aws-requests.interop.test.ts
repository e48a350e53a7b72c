import { beforeAll, describe, expect, it } from "vitest";
import { parseTransform, type Schema, type TableMetadata } from "@engine/iceberg";
import {
  createDatabaseRequest, createTableRequest, deleteTableRequest, getTableRequest, getTablesRequest, glueTableInput, renameTableInput, updateTableRequest,
} from "@engine/iceberg/catalog/glue";
import { getQueryResultsRequest, startQueryExecutionRequest } from "../src/aws/index.js";
import { motoPeer, runPython, type MotoPeer } from "../../../test/util/peers.js";

// botocore's own service models (the ones boto3 and the AWS CLI use) judge every request our
// builders produce: wrong member names, types, enums, lengths or missing required members fail.
const VALIDATE = `
import botocore.session
from botocore.validate import ParamValidator
session = botocore.session.get_session()
out = []
for r in args:
    model = session.get_service_model(r["service"]).operation_model(r["operation"])
    report = ParamValidator().validate(r["params"], model.input_shape)
    out.append({"operation": r["operation"], "errors": report.generate_report() if report.has_errors() else ""})
result = out
`;

const schema: Schema = {
  schemaId: 1,
  fields: [
    { id: 1, name: "id", required: true, type: { kind: "primitive", name: "long" }, doc: "the key" },
    { id: 2, name: "ts", required: false, type: { kind: "primitive", name: "timestamptz" } },
    { id: 3, name: "amount", required: false, type: { kind: "decimal", precision: 12, scale: 2 } },
    { id: 4, name: "tags", required: false, type: { kind: "list", elementId: 7, elementRequired: false, element: { kind: "primitive", name: "string" } } },
    { id: 5, name: "attrs", required: false, type: { kind: "map", keyId: 8, key: { kind: "primitive", name: "string" }, valueId: 9, valueRequired: false, value: { kind: "primitive", name: "int" } } },
    { id: 6, name: "addr", required: false, type: { kind: "struct", fields: [{ id: 10, name: "city", required: false, type: { kind: "primitive", name: "string" } }] } },
  ],
};
const metadata: TableMetadata = {
  formatVersion: 2, tableUuid: "2b5f4f7e-0d0e-4c1b-9a37-0d8f5e0b7c11", location: "s3://lake/wh/sales.db/orders", lastSequenceNumber: 0n, lastUpdatedMs: 0n, lastColumnId: 10,
  schemas: [{ schemaId: 0, fields: [{ id: 1, name: "id", required: true, type: { kind: "primitive", name: "long" } }, { id: 11, name: "old_col", required: false, type: { kind: "primitive", name: "uuid" } }] }, schema],
  currentSchemaId: 1, partitionSpecs: [{ specId: 0, fields: [{ sourceId: 2, fieldId: 1000, name: "ts_day", transform: parseTransform("day") }] }], defaultSpecId: 0, lastPartitionId: 1000,
  properties: { comment: "orders", "write.format.default": "parquet" }, snapshots: [], snapshotLog: [], metadataLog: [], sortOrders: [{ orderId: 0, fields: [] }], defaultSortOrderId: 0, refs: {},
};

let moto: MotoPeer;
beforeAll(async () => { moto = await motoPeer(); });

describe("AWS requests built by Engine", () => {
  it("are valid Glue CreateDatabase/CreateTable/UpdateTable/… and Athena StartQueryExecution/GetQueryResults requests per botocore's models", async () => {
    const input = glueTableInput({ name: "orders", metadata, metadataLocation: "s3://lake/wh/sales.db/orders/metadata/00001-6c97e413-d51b-4538-ac70-12fe2a85cb83.metadata.json", previousMetadataLocation: "s3://lake/wh/sales.db/orders/metadata/00000-1c97e413-d51b-4538-ac70-12fe2a85cb83.metadata.json" });
    const requests = [
      { service: "glue", operation: "CreateDatabase", params: createDatabaseRequest({ name: "sales", properties: { location: "s3://lake/wh/sales.db", Description: "d", owner: "x" } }) },
      { service: "glue", operation: "CreateDatabase", params: createDatabaseRequest({ name: "sales", catalogId: "123456789012" }) },
      { service: "glue", operation: "CreateTable", params: createTableRequest({ database: "sales", input }) },
      { service: "glue", operation: "UpdateTable", params: updateTableRequest({ database: "sales", catalogId: "123456789012", input, versionId: "3", skipArchive: true }) },
      { service: "glue", operation: "GetTable", params: getTableRequest({ database: "sales", name: "orders" }) },
      { service: "glue", operation: "GetTables", params: getTablesRequest({ database: "sales", nextToken: "abc" }) },
      { service: "glue", operation: "DeleteTable", params: deleteTableRequest({ database: "sales", name: "orders" }) },
      { service: "glue", operation: "CreateTable", params: createTableRequest({ database: "sales", input: renameTableInput("orders2", { ...input, Name: "orders", DatabaseName: "sales", StorageDescriptor: input.StorageDescriptor } as never) }) },
      { service: "athena", operation: "StartQueryExecution", params: startQueryExecutionRequest("SELECT 1", { workgroup: "etl", outputLocation: "s3://res/", database: "sales", catalog: "AwsDataCatalog", clientRequestToken: "0123456789abcdef0123456789abcdef" }) },
      { service: "athena", operation: "StartQueryExecution", params: startQueryExecutionRequest("VACUUM t") },
      { service: "athena", operation: "GetQueryResults", params: getQueryResultsRequest("a-query-id", "tok", 5000) },
    ];
    const report = await runPython<{ operation: string; errors: string }[]>(VALIDATE, requests, { python: moto.python });
    expect(report.filter((r) => r.errors !== "")).toEqual([]);
    expect(report).toHaveLength(requests.length);
    // And the validator does catch a broken request.
    const broken = await runPython<{ errors: string }[]>(VALIDATE, [{ service: "glue", operation: "UpdateTable", params: { DatabaseName: "sales", TableInput: { ...input, Columns: [] }, SkipArchive: "yes" } }], { python: moto.python });
    expect(broken[0]!.errors).toMatch(/Unknown parameter in TableInput: "Columns"|Invalid type for parameter SkipArchive/);
  });

  it("give Glue Athena-compatible column types with Iceberg field ids, current fields first", () => {
    const input = glueTableInput({ name: "orders", metadata, metadataLocation: "s3://x/m.json" });
    expect(input.StorageDescriptor!.Columns!.map((c) => [c.Name, c.Type, c.Parameters!["iceberg.field.id"], c.Parameters!["iceberg.field.current"]])).toEqual([
      ["id", "bigint", "1", "true"], ["ts", "timestamp", "2", "true"], ["amount", "decimal(12,2)", "3", "true"], ["tags", "array<string>", "4", "true"],
      ["attrs", "map<string,int>", "5", "true"], ["addr", "struct<city:string>", "6", "true"], ["old_col", "string", "11", "false"],
    ]);
    expect(input.Description).toBe("orders");
    expect(input.StorageDescriptor!.Columns![0]!.Comment).toBe("the key");
  });
});
