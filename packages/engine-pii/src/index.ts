// Public API of @engine/pii. Everything not listed here is private (src/internal/).

export { KeyMaterialError, MissingDependencyError, PiiArgumentError, PiiError, type PiiErrorOptions } from "./errors.js";

// Classification
export { DEFAULT_GRADES, PII_KINDS, type PiiGrade, type PiiKind, type PiiTag } from "./classify/pii-kind.js";
export type { Detection } from "./classify/detection.js";
export { detectValue } from "./classify/detect-value.js";
export { nameHint, type NameHint } from "./classify/name-hint.js";
export type { ColumnSuggestion, ScanOptions } from "./classify/column-suggestion.js";
export { scanColumn } from "./classify/scan-column.js";
export { scanColumns } from "./classify/scan-columns.js";
export {
  sampleSql,
  scanRelation,
  type QueryRows,
  type RelationSource,
  type ScanRelationOptions,
} from "./classify/scan-relation.js";

// Tokens and keys
export { MIN_KEY_BYTES, type KeyMaterial, type KeyProvider } from "./tokenize/key-provider.js";
export { envKeyProvider, type EnvKeyProviderOptions } from "./tokenize/env-key-provider.js";
export { staticKeyProvider } from "./tokenize/static-key-provider.js";
export { kmsKeyProvider, type KmsClientLike, type KmsKeyProviderOptions } from "./tokenize/kms-key-provider.js";
export { subjectKeyText, tokenize } from "./tokenize/tokenize.js";
export { hmacSqlExpression } from "./tokenize/hmac-sql.js";

// Masking
export { MASK_MODES, REDACTED, type MaskMode } from "./mask/mask-mode.js";
export { maskValue } from "./mask/mask-value.js";
export { maskSql } from "./mask/mask-sql.js";
export { maskSqlTrino } from "./mask/mask-sql-trino.js";
export { createMaskedView, DEFAULT_MASK_BY_GRADE, maskedViewSql, type MaskedViewOptions } from "./mask/masked-view.js";

// Access
export type {
  AddLfTagsToResourceInput,
  CreateLfTagInput,
  GrantPermissionsInput,
  LakeFormationRequest,
  LfPermission,
  LfTagPair,
  LfTagPolicyResource,
  TableWithColumnsResource,
} from "./access/lake-formation-request.js";
export {
  lakeFormationTagPlan,
  PII_GRADE_TAG_VALUES,
  type LakeFormationTagPlanOptions,
  type LfTableInput,
} from "./access/lake-formation-tag-plan.js";

// Erasure
export type {
  EraseOptions, ErasureCertificate, ErasureFinding, ErasureStage, ErasureStageEvent, ErasureVerification, SubjectKey, SubjectTable, TableErasure,
} from "./erase/erasure-types.js";
export { eraseSubjects, rejectsDir } from "./erase/erase-subjects.js";
export {
  PII_COLUMNS_PROPERTY, PII_KEY_COLUMNS_PROPERTY, PII_SUBJECT_COLUMN_PROPERTY, PII_SUBJECT_MATCH_PROPERTY, subjectTableOfSpec, subjectTables,
  type SubjectTablesOptions,
} from "./erase/subject-tables.js";

// Separation
export { separationSpecs, type SeparationSpecs } from "./separate/separation-specs.js";
export { loadSeparated, type SeparatedLoadResult } from "./separate/load-separated.js";
export { rejoinSql } from "./separate/rejoin-view.js";

// Retention
export type { RetentionFinding, RetentionOptions, RetentionReport, TableRetention } from "./retention/retention-types.js";
export { RETENTION_RUN_PROPERTY, runRetention, type RetentionSpecInput } from "./retention/run-retention.js";

// CLI (`engine pii …`)
export { registerPiiCommands, type PiiCliIo } from "./cli/register-pii-commands.js";
