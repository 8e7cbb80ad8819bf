#!/usr/bin/env node
// Runs the bundled CLI (one module to load: a faster start) unless the compiled modules were
// rebuilt after it (`tsc -b` alone while developing), so a stale bundle never runs.
import { statSync } from 'node:fs';

const modifiedMs = (file) =>
  statSync(new URL(file, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundle = modifiedMs('../dist/cli.bundle.js');
await import(
  bundle >= 0 && bundle >= modifiedMs('../dist/.tsbuildinfo')
    ? '../dist/cli.bundle.js'
    : '../dist/cli.js'
);
