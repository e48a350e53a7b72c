export type { ValidationOutcome, ValidationPhase } from "./outcome.js";
export { runValidations, throwIfFailed, blockingFailures, defaultPhase, phaseOf, type ValidationContext } from "./run-validations.js";
export { compileRule, MAX_EXAMPLES, type CompiledRule, type RuleSqlContext, type RuleVerdict } from "./rule-sql.js";
export { tableRelationResolver } from "./table-views.js";
export { LoadChecks, type LoadChecksOptions, type LoadFailureReport } from "./load-checks.js";
export { runCheckedLoad, type CheckedLoadOptions } from "./checked-load.js";
