/** How a webhook POST ended; a webhook never fails a load. */
export interface WebhookResult {
  readonly ok: boolean;
  readonly status?: number;
  readonly error?: string;
}

/**
 * POSTs a report as JSON (bigints as strings) to a webhook, waiting at most `timeoutMs`.
 * Never throws: a failed or slow webhook is reported as a process warning and in the result.
 */
export async function sendWebhook(url: string, report: unknown, options: { timeoutMs?: number } = {}): Promise<WebhookResult> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(report, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) process.emitWarning(`alerts: webhook ${url} answered ${response.status}`);
    return { ok: response.ok, status: response.status };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.emitWarning(`alerts: webhook ${url} failed: ${message}`);
    return { ok: false, error: message };
  }
}
