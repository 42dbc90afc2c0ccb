#!/usr/bin/env node
import { run } from "./program.js";
import { describeError, io } from "./runtime.js";

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    io.err(describeError(error));
    process.exit(1);
  },
);
