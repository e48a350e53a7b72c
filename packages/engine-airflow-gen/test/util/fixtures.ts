// Loading the fixture specs and metadata.

import { join } from "node:path";
import { loadSpecsFromDir, readIngestionCsv, readScheduleCsv, type GenInput } from "../../src/index.js";
import { FIXTURES, OPTIONS } from "./golden.js";

/** The fixture specs alone: schedules come from the specs' `schedule` sections. */
export function specsOnlyInput(): GenInput {
  return { specs: loadSpecsFromDir(join(FIXTURES, "specs")), options: OPTIONS };
}

/** The fixture specs with the schedule and ingestion CSVs. */
export function withCsvInput(): GenInput {
  return {
    specs: loadSpecsFromDir(join(FIXTURES, "specs")),
    schedule: readScheduleCsv(join(FIXTURES, "meta/schedule.csv")),
    ingestion: readIngestionCsv(join(FIXTURES, "meta/ingestion.csv")),
    options: OPTIONS,
  };
}
