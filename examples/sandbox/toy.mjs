#!/usr/bin/env node
// The sandbox's toy service: a tiny HTTP server plus the CLI that deploys, breaks and rolls it back.
// Plain ESM JavaScript with no dependencies, so it runs on Node 20 and 24. See README.md for the commands.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION_RE = /^v\d+\.\d+\.\d+$/;
const HOST = '127.0.0.1';
const INITIAL_VERSION = 'v1.0.0';
const USAGE =
  'usage: node toy.mjs serve|start|stop|status|check [--version vX]|deploy <vX>|migrate <vX> [--force]|' +
  'migrated <vX>|break [--after 5s] [--version vX]|heal|rollback|backup|restore';

/** An expected failure: printed as one line, exit code 1 (2 for usage errors). */
class ToyError extends Error {
  constructor(message, code = 1) {
    super(message);
    this.code = code;
  }
}

/** The port the runbook next to this file gives the toy (its `env: SANDBOX_PORT`), the one place it is written. */
function runbookPort() {
  const runbook = path.join(path.dirname(fileURLToPath(import.meta.url)), 'runbook.yaml');
  const text = fs.existsSync(runbook) ? fs.readFileSync(runbook, 'utf8') : '';
  const match = /^\s+SANDBOX_PORT:\s*["']?(\d+)["']?\s*(#.*)?$/m.exec(text);
  if (!match) throw new ToyError(`set SANDBOX_PORT: ${runbook} gives no SANDBOX_PORT under env:`, 2);
  return match[1];
}

function readConfig(env = process.env) {
  const dir = path.resolve(env.SANDBOX_DIR || path.join('.preflight', 'sandbox'));
  const portText = env.SANDBOX_PORT || runbookPort();
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw new ToyError(`SANDBOX_PORT must be a port number from 1 to 65535, got "${portText}"`, 2);
  }
  return {
    dir,
    port,
    url: `http://${HOST}:${port}`,
    migrateMs: Number(env.SANDBOX_MIGRATE_MS || 0),
    files: {
      state: path.join(dir, 'state.json'),
      backup: path.join(dir, 'backup.json'),
      pid: path.join(dir, 'toy.pid'),
      log: path.join(dir, 'toy.log'),
    },
  };
}

// ---- state ---------------------------------------------------------------------------------------------

function freshState() {
  return {
    version: INITIAL_VERSION,
    previous_version: null,
    rolled_back_from: null,
    deployed_at: new Date().toISOString(),
    fault: null,
    db: { schema: 0, migrations: [] },
    history: [],
  };
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw new ToyError(`cannot read ${file}: ${error.message}`);
  }
}

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

function loadState(cfg) {
  return readJson(cfg.files.state) ?? freshState();
}

function saveState(cfg, state) {
  try {
    writeJson(cfg.files.state, state);
  } catch (error) {
    throw new ToyError(`cannot write the state in ${cfg.dir}: ${error.message}`);
  }
}

/** When the current fault (if any) starts to bite, in ms since the epoch; undefined when healthy. */
function brokenSince(state) {
  const fault = state.fault;
  if (!fault) return undefined;
  if (fault.version && fault.version !== state.version) return undefined;
  const armed = Date.parse(fault.armed_at);
  const from = fault.version ? Math.max(armed, Date.parse(state.deployed_at)) : armed;
  const since = from + fault.after_ms;
  return Date.now() >= since ? since : undefined;
}

// ---- HTTP server -----------------------------------------------------------------------------------------

function sendJson(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'x-toy-pid': String(process.pid) });
  res.end(JSON.stringify(body));
}

function errorRatio(since) {
  if (since === undefined) return 0.01;
  return Math.min(0.95, 0.6 + (Date.now() - since) / 100_000);
}

/** Answers a PromQL instant query for the few series the toy exports: `up`, `toy_error_ratio`, … */
function queryPrometheus(cfg, state, query) {
  const match = /^\s*(?:(min|max|sum|avg)\s*\(\s*)?([a-z_]+)\s*(?:\{([^}]*)\})?\s*(\))?\s*$/.exec(query);
  if (!match || Boolean(match[1]) !== Boolean(match[4])) {
    return {
      error: `invalid parameter "query": parse error: the toy understands "metric", "metric{job=\\"toy\\"}" or "min(metric)", got "${query}"`,
    };
  }
  const [, agg, name, matchers] = match;
  const since = brokenSince(state);
  const series = {
    up: since === undefined ? 1 : 0,
    toy_error_ratio: errorRatio(since),
    toy_schema_version: state.db.schema,
    toy_build_info: 1,
  };
  if (!Object.hasOwn(series, name)) {
    return { error: `unknown metric "${name}"; the toy exports ${Object.keys(series).join(', ')}` };
  }
  const labels = { __name__: name, job: 'toy', instance: `${HOST}:${cfg.port}` };
  if (name === 'toy_build_info') labels.version = state.version;
  for (const m of (matchers ?? '').split(',').filter((s) => s.trim() !== '')) {
    const lm = /^\s*([a-zA-Z_]\w*)\s*=\s*"([^"]*)"\s*$/.exec(m);
    if (!lm)
      return {
        error: `invalid parameter "query": parse error: the toy only supports label="value" matchers, got "${m.trim()}"`,
      };
    if (labels[lm[1]] !== lm[2]) return { result: [] };
  }
  const metric = agg ? {} : labels;
  return { result: [{ metric, value: [Date.now() / 1000, String(series[name])] }] };
}

function alertFingerprint(labels) {
  const text = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Alertmanager API v2 `GET /api/v2/alerts`, honouring `filter=label="value"` (=, !=, =~, !~). */
function listAlerts(cfg, state, filters) {
  const since = brokenSince(state);
  if (since === undefined) return [];
  const labels = {
    alertname: 'ToyServiceDown',
    instance: `${HOST}:${cfg.port}`,
    job: 'toy',
    service: 'toy',
    severity: 'critical',
  };
  const now = Date.now();
  const alert = {
    labels,
    annotations: {
      summary: `toy ${state.version} is failing its health check`,
      description: `GET /health has answered 503 since ${new Date(since).toISOString()}.`,
    },
    startsAt: new Date(since).toISOString(),
    endsAt: new Date(now + 4 * 60_000).toISOString(),
    updatedAt: new Date(now).toISOString(),
    generatorURL: `http://${HOST}:${cfg.port}/api/v1/query?query=up`,
    fingerprint: alertFingerprint(labels),
    receivers: [{ name: 'preflight' }],
    status: { state: 'active', silencedBy: [], inhibitedBy: [] },
  };
  for (const filter of filters) {
    const m = /^\s*([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*"?([^"]*)"?\s*$/.exec(filter);
    if (!m) throw new ToyError(`bad matcher "${filter}"`);
    const [, key, op, value] = m;
    const actual = labels[key] ?? '';
    const ok =
      op === '='
        ? actual === value
        : op === '!='
          ? actual !== value
          : new RegExp(`^(?:${value})$`).test(actual) === (op === '=~');
    if (!ok) return [];
  }
  return [alert];
}

function readBody(req) {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => resolve(body));
  });
}

async function handle(cfg, req, res) {
  const url = new URL(req.url ?? '/', cfg.url);
  const state = loadState(cfg);
  const since = brokenSince(state);
  if (url.pathname === '/health') {
    if (since === undefined)
      return sendJson(res, 200, { status: 'ok', version: state.version, schema: state.db.schema });
    return sendJson(res, 503, {
      status: 'failing',
      version: state.version,
      schema: state.db.schema,
      error: `upstream errors since ${new Date(since).toISOString()}`,
    });
  }
  if (url.pathname === '/api/v1/query') {
    const params = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : url.searchParams;
    const query = params.get('query');
    const answer = query
      ? queryPrometheus(cfg, state, query)
      : { error: 'invalid parameter "query": missing query' };
    if (answer.error)
      return sendJson(res, 400, { status: 'error', errorType: 'bad_data', error: answer.error });
    return sendJson(res, 200, { status: 'success', data: { resultType: 'vector', result: answer.result } });
  }
  if (url.pathname === '/api/v2/alerts') {
    try {
      return sendJson(res, 200, listAlerts(cfg, state, url.searchParams.getAll('filter')));
    } catch (error) {
      return sendJson(res, 400, error.message);
    }
  }
  if (url.pathname === '/') {
    return sendJson(res, 200, {
      service: 'toy',
      pid: process.pid,
      version: state.version,
      endpoints: ['/health', '/api/v1/query?query=up', '/api/v2/alerts'],
    });
  }
  return sendJson(res, 404, { error: `no route ${req.method} ${url.pathname}` });
}

async function serve(cfg) {
  fs.mkdirSync(cfg.dir, { recursive: true });
  if (!fs.existsSync(cfg.files.state)) saveState(cfg, freshState());
  const server = http.createServer((req, res) => {
    handle(cfg, req, res)
      .catch((error) => sendJson(res, 500, { status: 'error', error: String(error.message ?? error) }))
      .finally(() => console.log(`${new Date().toISOString()} ${req.method} ${req.url} ${res.statusCode}`));
  });
  await new Promise((resolve, reject) => {
    server.once('error', (error) => {
      const busy = error.code === 'EADDRINUSE';
      reject(
        new ToyError(
          busy ? `port ${cfg.port} on ${HOST} is in use; set SANDBOX_PORT to a free port` : error.message,
        ),
      );
    });
    server.listen(cfg.port, HOST, resolve);
  });
  fs.writeFileSync(cfg.files.pid, `${process.pid}\n`);
  const shutdown = (signal) => {
    console.log(`${new Date().toISOString()} ${signal}: stopping`);
    if (readPid(cfg) === process.pid) fs.rmSync(cfg.files.pid, { force: true });
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  stopWithOwner(Number(process.env.SANDBOX_OWNER_PID || 0), shutdown);
  const state = loadState(cfg);
  console.log(`toy: serving ${state.version} on ${cfg.url} (pid ${process.pid}, state in ${cfg.dir})`);
}

/** A toy started by Preflight (SANDBOX_EXIT_WITH_PARENT) stops when that Preflight process is gone. */
function stopWithOwner(owner, shutdown) {
  if (!owner) return;
  const timer = setInterval(() => {
    try {
      process.kill(owner, 0);
    } catch (error) {
      if (error.code !== 'ESRCH') return;
      clearInterval(timer);
      shutdown(`the process that started the toy (pid ${owner}) exited`);
    }
  }, 500);
  timer.unref();
}

// ---- process control -------------------------------------------------------------------------------------

function get(cfg, pathname, timeoutMs = 2000) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${cfg.url}${pathname}`, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode, body: JSON.parse(body) });
        } catch {
          resolve({ status: res.statusCode, body: {} });
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

function readPid(cfg) {
  const text = fs.existsSync(cfg.files.pid) ? fs.readFileSync(cfg.files.pid, 'utf8').trim() : '';
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return error.code === 'EPERM';
  }
  return !isZombie(pid);
}

/** An exited toy whose new parent (init) has not reaped it yet still answers kill(pid, 0). */
function isZombie(pid) {
  try {
    return execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' })
      .trim()
      .startsWith('Z');
  } catch {
    return false;
  }
}

/** For a toy that no longer answers: is this pid still a toy.mjs process (not a reused pid)? */
function isToyProcess(pid) {
  try {
    return execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' }).includes(
      'toy.mjs',
    );
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The pid of the toy answering on our port, when it is the one in our pid file. */
async function runningPid(cfg) {
  const pid = readPid(cfg);
  if (pid === undefined || !isAlive(pid)) return undefined;
  try {
    const { body } = await get(cfg, '/');
    return body.service === 'toy' && body.pid === pid ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function start(cfg) {
  const running = await runningPid(cfg);
  const state = loadState(cfg);
  if (running) return `toy: running pid ${running} on ${cfg.url}, version ${state.version} (already running)`;
  fs.mkdirSync(cfg.dir, { recursive: true });
  if (!fs.existsSync(cfg.files.state)) saveState(cfg, state);
  fs.rmSync(cfg.files.pid, { force: true });
  const log = fs.openSync(cfg.files.log, 'a');
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'serve'], {
    detached: true,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      SANDBOX_DIR: cfg.dir,
      SANDBOX_PORT: String(cfg.port),
      SANDBOX_OWNER_PID: /^(1|true|yes)$/.test(process.env.SANDBOX_EXIT_WITH_PARENT ?? '')
        ? String(process.ppid)
        : '',
    },
  });
  fs.closeSync(log);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  child.unref();
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && !exited) {
    if ((await runningPid(cfg)) === child.pid) {
      return `toy: running pid ${child.pid} on ${cfg.url}, version ${state.version} (started)`;
    }
    await sleep(100);
  }
  const tail = fs.readFileSync(cfg.files.log, 'utf8').trim().split('\n').pop();
  if (!exited) process.kill(-child.pid, 'SIGKILL');
  throw new ToyError(
    `could not start on ${cfg.url}: ${exited ? tail : 'no answer within 10 s'} (log: ${cfg.files.log})`,
  );
}

async function stop(cfg) {
  const pid = readPid(cfg);
  if (pid === undefined) return 'toy: not running';
  if (!isAlive(pid) || ((await runningPid(cfg)) !== pid && !isToyProcess(pid))) {
    fs.rmSync(cfg.files.pid, { force: true });
    return `toy: not running (removed the stale pid file for pid ${pid})`;
  }
  try {
    process.kill(-pid, 'SIGTERM'); // its own process group when started with `start`
  } catch {
    process.kill(pid, 'SIGTERM');
  }
  const deadline = Date.now() + 5000;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  fs.rmSync(cfg.files.pid, { force: true });
  return `toy: stopped pid ${pid}`;
}

async function status(cfg) {
  const state = loadState(cfg);
  const pid = await runningPid(cfg);
  const facts = `version ${state.version}, schema ${state.db.schema}`;
  if (!pid) return { line: `toy: stopped, ${facts}`, code: 3 };
  return {
    line: `toy: running pid ${pid}, ${facts}, ${brokenSince(state) === undefined ? 'healthy' : 'failing'}`,
  };
}

async function check(cfg, expected) {
  let answer;
  try {
    answer = await get(cfg, '/health');
  } catch (error) {
    throw new ToyError(`not answering on ${cfg.url}/health (${error.code ?? error.message})`);
  }
  const { status: code, body } = answer;
  const line = `toy: ${body.status ?? 'unknown'}, version ${body.version} (HTTP ${code} from ${cfg.url}/health)`;
  if (code !== 200) throw new ToyError(line);
  if (expected && body.version !== expected) {
    throw new ToyError(`toy: serving ${body.version}, expected ${expected} (HTTP ${code})`);
  }
  return line;
}

// ---- deployment commands --------------------------------------------------------------------------------

function requireVersion(text, what) {
  if (text === undefined) throw new ToyError(`${what} needs a version, e.g. v1.3.0`, 2);
  if (!VERSION_RE.test(text))
    throw new ToyError(`"${text}" is not a version like v1.3.0 (^v\\d+\\.\\d+\\.\\d+$)`);
  return text;
}

function deploy(cfg, version) {
  const state = loadState(cfg);
  if (state.version === version) return `toy: already serving ${version}`;
  const from = state.version;
  state.previous_version = from;
  state.version = version;
  state.rolled_back_from = null;
  state.deployed_at = new Date().toISOString();
  state.history.push({
    action: 'deploy',
    version,
    from,
    at: state.deployed_at,
    deployment: process.env.PREFLIGHT_DEPLOYMENT_ID ?? null,
    environment: process.env.PREFLIGHT_ENVIRONMENT ?? null,
  });
  saveState(cfg, state);
  return `toy: deployed ${version} (previous ${from})`;
}

async function migrate(cfg, version, force) {
  const state = loadState(cfg);
  const done = state.db.migrations.find((m) => m.version === version);
  if (done && !force) {
    throw new ToyError(
      `toy: ${version} was already migrated at ${done.at} (schema ${done.schema}); refusing to run it twice (use --force)`,
    );
  }
  if (cfg.migrateMs > 0) await sleep(cfg.migrateMs);
  const before = state.db.schema;
  state.db.schema += 1;
  state.db.migrations.push({
    version,
    schema: state.db.schema,
    at: new Date().toISOString(),
    forced: Boolean(done),
  });
  saveState(cfg, state);
  return `toy: migrated for ${version} (schema ${before} → ${state.db.schema})${done ? ' (forced re-run)' : ''}`;
}

function migrated(cfg, version) {
  const state = loadState(cfg);
  const done = state.db.migrations.findLast((m) => m.version === version);
  if (!done) throw new ToyError(`toy: ${version} has not been migrated (schema ${state.db.schema})`);
  return `toy: ${version} migrated at ${done.at} (schema ${done.schema}, now ${state.db.schema})`;
}

function parseAfter(text) {
  const m = /^(\d+)(ms|s|m)?$/.exec(text ?? '');
  if (!m) throw new ToyError(`--after needs a duration like 500ms, 5s or 1m, got "${text ?? ''}"`, 2);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] ?? 's'];
}

function breakToy(cfg, options) {
  const state = loadState(cfg);
  const afterMs = options.after === undefined ? 0 : parseAfter(options.after);
  const version = options.version === undefined ? null : requireVersion(options.version, '--version');
  state.fault = { version, after_ms: afterMs, armed_at: new Date().toISOString() };
  saveState(cfg, state);
  if (version)
    return `toy: armed: ${version} fails ${afterMs} ms after it is deployed (node toy.mjs heal to disarm)`;
  return afterMs === 0
    ? 'toy: broken: /health answers 503'
    : `toy: armed: /health answers 503 in ${afterMs} ms`;
}

function heal(cfg) {
  const state = loadState(cfg);
  state.fault = null;
  saveState(cfg, state);
  return `toy: healed: /health answers 200 (version ${state.version})`;
}

function rollback(cfg) {
  const state = loadState(cfg);
  if (!state.previous_version && state.rolled_back_from) {
    state.fault = null;
    saveState(cfg, state);
    return `toy: already rolled back to ${state.version} (from ${state.rolled_back_from})`;
  }
  if (!state.previous_version)
    throw new ToyError(`toy: no previous version recorded; serving ${state.version}`);
  const from = state.version;
  Object.assign(state, {
    version: state.previous_version,
    previous_version: null,
    rolled_back_from: from,
    deployed_at: new Date().toISOString(),
    fault: null,
  });
  state.history.push({ action: 'rollback', version: state.version, from, at: state.deployed_at });
  saveState(cfg, state);
  return `toy: rolled back to ${state.version} (from ${from}), healthy`;
}

function backup(cfg) {
  const state = loadState(cfg);
  writeJson(cfg.files.backup, { taken_at: new Date().toISOString(), version: state.version, db: state.db });
  return `toy: backed up schema ${state.db.schema} (${state.db.migrations.length} migration${state.db.migrations.length === 1 ? '' : 's'}) to ${cfg.files.backup}`;
}

function restore(cfg) {
  const saved = readJson(cfg.files.backup);
  if (!saved) throw new ToyError(`toy: no backup in ${cfg.files.backup} (run node toy.mjs backup first)`);
  const state = loadState(cfg);
  const before = state.db.schema;
  state.db = saved.db;
  saveState(cfg, state);
  return `toy: restored the backup taken at ${saved.taken_at} (schema ${before} → ${saved.db.schema})`;
}

// ---- CLI -----------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const positional = [];
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--force') options.force = true;
    else if (arg === '--after' || arg === '--version') options[arg.slice(2)] = argv[++i];
    else if (arg.startsWith('--')) throw new ToyError(`unknown option ${arg}\n${USAGE}`, 2);
    else positional.push(arg);
  }
  return { positional, options };
}

async function main(argv) {
  const [command, ...rest] = argv;
  const { positional, options } = parseArgs(rest);
  const cfg = readConfig();
  switch (command) {
    case 'serve':
      return serve(cfg);
    case 'start':
      return start(cfg);
    case 'stop':
      return stop(cfg);
    case 'status':
      return status(cfg);
    case 'check':
      return check(cfg, options.version && requireVersion(options.version, '--version'));
    case 'deploy':
      return deploy(cfg, requireVersion(positional[0], 'deploy'));
    case 'migrate':
      return migrate(cfg, requireVersion(positional[0], 'migrate'), options.force === true);
    case 'migrated':
      return migrated(cfg, requireVersion(positional[0], 'migrated'));
    case 'break':
      return breakToy(cfg, options);
    case 'heal':
      return heal(cfg);
    case 'rollback':
      return rollback(cfg);
    case 'backup':
      return backup(cfg);
    case 'restore':
      return restore(cfg);
    case 'help':
    case '--help':
    case undefined:
      return USAGE;
    default:
      throw new ToyError(`unknown command "${command}"\n${USAGE}`, 2);
  }
}

try {
  const result = await main(process.argv.slice(2));
  const { line, code } = typeof result === 'object' && result !== null ? result : { line: result };
  if (line) console.log(line);
  if (code !== undefined) process.exitCode = code;
} catch (error) {
  if (!(error instanceof ToyError)) throw error;
  console.error(error.message.startsWith('toy: ') ? error.message : `toy: ${error.message}`);
  process.exitCode = error.code;
}
