export { AUDIT_TABLE, appendValidationResults, validationResultsSpec, type ValidationResultRow } from "./validation-results.js";
export { sendWebhook, type WebhookResult } from "./alerts.js";
