// Benchmarks print figures next to a baseline measured in the same run; nothing here asserts.
import { benchServer } from './server.mjs';

const rows = [];
const report = (name, { value, baseline, ratio }) => {
  rows.push({ name, value, baseline, ratio: ratio.toFixed(2) });
  console.log(`${name}\n  ${value}   (baseline: ${baseline}; ratio ${ratio.toFixed(2)})`);
};

console.log(`octopoid benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
await benchServer(report);
console.log('\nsummary');
console.table(rows);
