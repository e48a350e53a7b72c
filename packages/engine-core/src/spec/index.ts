// Public surface of spec/: parsing, checking and hashing table specs.

export type {
  ColumnPii,
  ColumnSpec,
  DedupeSpec,
  DeleteMarkerSpec,
  PiiSpec,
  ScheduleSpec,
  SourceSpec,
  BadInputPolicy,
  AlertsSpec,
  GlueJobSpec,
  TableSpec,
  TransformSpec,
  ValidationRuleSpec,
  WriteMode,
  WriteSpec,
  WriteFilter,
  WriteFilterValue,
} from "./table-spec.js";
export { parseSpec, isTableSpec, type ParseSpecOptions } from "./parse-spec.js";
export { loadSpec, type LoadSpecOptions } from "./load-spec.js";
export { specHash, canonicalJson } from "./spec-hash.js";
export { resolveSourcePath } from "./resolve-source-path.js";
export { tableSpecJsonSchema, VALIDATION_RULE_NAMES, IDENTIFIER_PATTERN, TABLE_NAME_PATTERN } from "./json-schema.js";
export { type SpecIssue, type SpecPathSegment, formatSpecPath } from "./spec-issue.js";
export {
  parseIcebergType,
  formatIcebergType,
  isPrimitiveType,
  ICEBERG_PRIMITIVE_TYPES,
  type IcebergTypeNode,
  type IcebergPrimitiveName,
  type IcebergTypeParseResult,
} from "./iceberg-type.js";
export {
  parsePartitionField,
  formatPartitionField,
  transformAcceptsType,
  type PartitionField,
  type PartitionTransformName,
  type PartitionFieldParseResult,
} from "./partition-field.js";
export { parseDuration } from "./duration.js";
export { parseByteSize } from "./byte-size.js";
export { substituteParams, listParams, type SubstitutionResult } from "./source-params.js";
