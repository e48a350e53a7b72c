// Runs an erasure in its own process and stops dead after the first rewrite commit, before any
// expiry: prints PAUSED and waits to be killed (SIGKILL) by erase-kill.test.ts.
import { Engine } from "@engine/core";
import { eraseSubjects, staticKeyProvider } from "../../src/index.js";

const [warehouse, subject] = process.argv.slice(2);
const engine = await Engine.open({ warehouse: warehouse! });
await eraseSubjects(engine, {
  subjects: [Number(subject)],
  tables: [{ table: "crm.customers", column: "customer_id", piiColumns: ["email", "name"] }, { table: "sales.orders", column: "customer_id" }],
  keyProvider: staticKeyProvider(new Uint8Array(32).fill(7)),
  onStage: async ({ stage }) => {
    if (stage !== "committed") return;
    process.stdout.write("PAUSED\n");
    await new Promise(() => {});
  },
});
process.stdout.write("FINISHED\n");
