// Reads the Vitest and Playwright JSON reports and prints each suite's totals, the five slowest
// tests, every test that passed only on a retry, and last the one line CI reads: "N passed, N failed".
// Usage: node scripts/test-summary.mjs <vitest exit> <playwright exit> <prettier exit>
import { readFileSync } from 'node:fs';

const [vitestStatus, playwrightStatus, formatStatus] = process.argv.slice(2).map(Number);
const read = (file) => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
};
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

let passed = 0;
let failed = 0;
/** @type {{ name: string, ms: number }[]} */
const timings = [];
/** @type {string[]} */
const flaky = [];

if (formatStatus !== 0) {
  failed += 1;
  console.log('Formatting: some files differ from Prettier (npm run format)');
}

const vitest = read('test-results/vitest.json');
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  console.log(`Vitest: ${vitest.numPassedTests} passed, ${vitest.numFailedTests} failed`);
  for (const file of vitest.testResults) {
    for (const test of file.assertionResults) timings.push({ name: `vitest › ${test.fullName}`, ms: test.duration ?? 0 });
  }
  if (vitestStatus !== 0 && vitest.numFailedTests === 0) {
    failed += 1;
    console.log('Vitest exited non-zero without a failed test (a suite failed to load)');
  }
} else {
  failed += 1;
  console.log('Vitest: no report (the run crashed)');
}

const playwright = read('test-results/playwright.json');
if (playwright) {
  const { expected, flaky: flakyCount, unexpected, skipped } = playwright.stats;
  passed += expected + flakyCount;
  failed += unexpected;
  console.log(`Playwright: ${expected + flakyCount} passed (${flakyCount} flaky), ${unexpected} failed, ${skipped} skipped`);
  const walk = (suite, file) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        const name = `playwright › [${test.projectName}] ${spec.file ?? file} › ${spec.title}`;
        for (const result of test.results) {
          timings.push({ name: result.retry > 0 ? `${name} (retry #${result.retry})` : name, ms: result.duration });
        }
        if (test.status === 'flaky') flaky.push(name);
      }
    }
    for (const child of suite.suites ?? []) walk(child, suite.file ?? file);
  };
  for (const suite of playwright.suites) walk(suite, suite.file);
  if (playwrightStatus !== 0 && unexpected === 0) {
    failed += 1;
    console.log('Playwright exited non-zero without a failed test');
  }
} else {
  failed += 1;
  console.log('Playwright: no report (the run crashed)');
}

console.log('\nSlowest tests:');
for (const { name, ms } of timings.sort((a, b) => b.ms - a.ms).slice(0, 5)) console.log(`  ${seconds(ms).padStart(7)}  ${name}`);
console.log(flaky.length === 0 ? 'Flaky tests (passed only on a retry): none' : 'Flaky tests (passed only on a retry):');
for (const name of flaky) console.log(`  ${name}`);

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
