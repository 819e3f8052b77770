#!/usr/bin/env node
// Browser tests of the rabta web UI in headless Chromium (playwright-core, system Chromium).
//
//   node tests/browser/run.mjs --rabta build/rabta [--screenshots DIR | --no-screenshots] [--only SUBSTRING]
//
// Makes a demo DB in a temp dir (importing the national baseline catalog when the demo has no
// catalog), starts `rabta serve` on an ephemeral port, runs every test of TEST_FILES in a fresh
// browser context, always stops the server and removes the temp dir.
// Screenshots (every page at 390 and 1366 px, and each failed test) go to DIR, by default
// `screenshots/` next to a rabta binary built in the repo (build/screenshots/), else the repo's
// build/screenshots/, for a person (or CI) to look at.
// Last line: `browser: N passed, N failed, N skipped`; exit 1 if any failed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const CHROMIUM = process.env.RABTA_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// A safety net against a hung browser, not a measurement: a base plus a share per test run.
const WATCHDOG_BASE_MS = 120000;
const WATCHDOG_PER_TEST_MS = 20000;
// Run in this order (later files may rely on what earlier ones made, e.g. the guideline tests' campaign).
const TEST_FILES = ['ui_tests.mjs', 'guidelines_tests.mjs', 'shell_tests.mjs', 'incidents_tests.mjs', 'advisories_tests.mjs', 'inventory_tests.mjs', 'risks_tests.mjs',
  'trainings_tests.mjs', 'rollup_tests.mjs', 'phone_tests.mjs'];

function summary(p, f, s) {
  console.log(`browser: ${p} passed, ${f} failed, ${s} skipped`);
}

function parseArgs(argv) {
  const out = { rabta: null, screenshots: null, noScreenshots: false, only: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) { console.error(`run.mjs: ${a} needs a value`); process.exit(2); }
      return argv[++i];
    };
    if (a === '--rabta') out.rabta = next();
    else if (a === '--screenshots') out.screenshots = next();
    else if (a === '--no-screenshots') out.noScreenshots = true;
    else if (a === '--only') out.only = next();
    else if (a === '--help' || a === '-h') {
      console.log('usage: node tests/browser/run.mjs --rabta PATH [--screenshots DIR | --no-screenshots] [--only SUBSTRING]');
      process.exit(0);
    } else { console.error(`run.mjs: unknown argument ${a}`); process.exit(2); }
  }
  return out;
}

// A relative --rabta is taken from the current directory when it exists there, else from the repo root.
function resolveBinary(p) {
  if (!p) return path.join(repo, 'build', 'rabta');
  if (path.isAbsolute(p)) return p;
  const fromCwd = path.resolve(p);
  return fs.existsSync(fromCwd) ? fromCwd : path.resolve(repo, p);
}

function startServer(bin, db, logs) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--quiet'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let settled = false;
    const fail = (err) => { if (!settled) { settled = true; reject(err); } };
    const timer = setTimeout(() => { child.kill('SIGKILL'); fail(new Error('rabta serve did not announce its address')); }, 15000);
    child.on('error', fail);
    child.on('exit', (code, sig) => fail(new Error(`rabta serve exited early (code ${code}, signal ${sig}): ${logs.join('')}`)));
    child.stderr.on('data', (d) => { logs.push(d.toString()); if (logs.length > 400) logs.splice(0, 200); });
    const rl = readline.createInterface({ input: child.stdout });
    rl.once('line', (line) => {
      clearTimeout(timer);
      const m = /^rabta is serving at (http:\/\/127\.0\.0\.1:\d+)\s*$/.exec(line);
      if (!m) { child.kill('SIGTERM'); fail(new Error(`unexpected first line from rabta serve: ${line}`)); return; }
      settled = true;
      const info = { child, base: m[1], exited: null };
      child.on('exit', (code, sig) => { info.exited = { code, sig }; });
      resolve(info);
    });
    child.once('exit', () => clearTimeout(timer));
  });
}

function stopServer(child) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
    const k = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => { clearTimeout(k); resolve(); });
    child.kill('SIGTERM');
  });
}

// A closed stdout (e.g. `| head`) must not stop the cleanup below.
process.stdout.on('error', () => {});

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const pwDir = path.join(here, 'node_modules', 'playwright-core');
  if (!fs.existsSync(CHROMIUM)) {
    console.log(`browser: skipping: ${CHROMIUM} is missing (apt-get install chromium)`);
    summary(0, 0, 1);
    return 0;
  }
  if (!fs.existsSync(pwDir)) {
    console.log('browser: skipping: playwright-core is missing (cd tests/browser && npm ci --no-audit --no-fund)');
    summary(0, 0, 1);
    return 0;
  }
  const bin = resolveBinary(args.rabta);
  if (!fs.existsSync(bin)) {
    console.log(`browser: the rabta binary ${bin} does not exist (build it with ninja -C build)`);
    summary(0, 1, 0);
    return 1;
  }

  const { chromium, request: pwRequest } = createRequire(path.join(here, 'package.json'))('playwright-core');
  const tests = [];
  for (const f of TEST_FILES) tests.push(...(await import(`./${f}`)).tests);
  // by default next to a binary built in the repo (build/screenshots), else in the repo's build/
  const binDir = path.dirname(bin);
  const inRepo = !path.relative(repo, binDir).startsWith('..') && !path.isAbsolute(path.relative(repo, binDir));
  const shots = args.noScreenshots ? null
    : path.resolve(args.screenshots || path.join(inRepo ? binDir : path.join(repo, 'build'), 'screenshots'));
  const { runTests } = await import('./harness.mjs');

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rabta-browser-'));
  const db = path.join(tmp, 'demo.db');
  const logs = [];
  let server = null;
  let browser = null;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    if (browser) await browser.close().catch(() => {});
    if (server) await stopServer(server.child);
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  const onSignal = (sig) => {
    cleanup().finally(() => { summary(0, 1, 0); process.exit(sig === 'SIGINT' ? 130 : 143); });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const planned = args.only ? tests.filter((x) => x.name.includes(args.only)).length : tests.length;
  const watchdog = setTimeout(() => {
    console.log('not ok - the browser run hung; stopping it');
    cleanup().finally(() => { summary(0, 1, 0); process.exit(1); });
  }, WATCHDOG_BASE_MS + WATCHDOG_PER_TEST_MS * planned);

  let result = { passed: 0, failed: 1, skipped: 0 };
  try {
    const demo = spawnSync(bin, ['demo', '--db', db, '--seed-only'], { encoding: 'utf8' });
    if (demo.status !== 0) throw new Error(`rabta demo failed: ${demo.stdout}${demo.stderr}`);
    // The guideline pages need a catalog: older demos have none, so import the project's own baseline.
    const cats = spawnSync(bin, ['catalog', 'list', '--db', db, '--json'], { encoding: 'utf8' });
    if (cats.status !== 0) throw new Error(`rabta catalog list failed: ${cats.stdout}${cats.stderr}`);
    if (!JSON.parse(cats.stdout || '[]').length) {
      const file = path.join(repo, 'content', 'oscal', 'rabta-national-baseline-catalog.json');
      const imp = spawnSync(bin, ['import', 'oscal', '--db', db, file], { encoding: 'utf8' });
      if (imp.status !== 0) throw new Error(`rabta import oscal failed: ${imp.stdout}${imp.stderr}`);
    }
    server = await startServer(bin, db, logs);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    if (shots) fs.mkdirSync(shots, { recursive: true });
    const selected = args.only ? tests.filter((t) => t.name.includes(args.only)) : tests;
    result = await runTests(selected, {
      browser, base: server.base, pwRequest, screenshots: shots, repo,
    });
    if (shots) console.log(`# screenshots: ${shots}`);
    if (result.failed && logs.length) console.log(`# server log tail:\n${logs.join('').split('\n').slice(-20).join('\n')}`);
    result.skipped += tests.length - selected.length;
  } catch (err) {
    console.log(`not ok - setup: ${err && err.stack ? err.stack : err}`);
    if (logs.length) console.log(`# server log tail:\n${logs.join('').split('\n').slice(-20).join('\n')}`);
    result = { passed: 0, failed: 1, skipped: 0 };
  } finally {
    clearTimeout(watchdog);
    if (server && server.exited) {
      console.log(`not ok - rabta serve stopped during the run (exit code ${server.exited.code}, signal ${server.exited.sig})`);
      if (logs.length) console.log(`# server log tail:\n${logs.join('').split('\n').slice(-30).join('\n')}`);
      result.failed += 1;
    }
    await cleanup();
  }
  summary(result.passed, result.failed, result.skipped);
  return result.failed ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (err) => {
  console.log(`not ok - runner: ${err && err.stack ? err.stack : err}`);
  summary(0, 1, 0);
  process.exitCode = 1;
});
