// The Spark engine: the load plan compiled to Spark SQL and to a PySpark script for AWS Glue.
export { SparkLoadCompiler, sparkType, sparkString, quoteSpark, sparkPartitionTransform, TARGET_TABLE } from "./spark-compiler.js";
export { compileGlueScript, GLUE_SCRIPT_HEADER, type GlueScriptOptions } from "./glue-script.js";
export { compileValidateScript, compileAthenaChecks, type AthenaCheck } from "./validate-script.js";
export { SparkRuleCompiler, AthenaRuleCompiler, type RuleCheck } from "./rule-checks.js";
