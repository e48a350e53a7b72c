// The cron forms Airflow accepts as `schedule=` and that we let through: five fields or a preset.

const PRESETS = new Set(["@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@annually", "@midnight", "@once"]);
const FIELD = /^[0-9A-Za-z*?,\/#LW-]+$/;

/** True for "0 17 * * *"-style five-field crons and Airflow's @presets. */
export function isCron(text: string): boolean {
  const t = text.trim();
  if (PRESETS.has(t)) return true;
  const fields = t.split(/\s+/);
  return fields.length === 5 && fields.every((f) => FIELD.test(f));
}

/** Collapses runs of blanks so that equal crons compare equal. */
export function normalizeCron(text: string): string {
  return text.trim().split(/\s+/).join(" ");
}
