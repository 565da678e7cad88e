'use strict';
// node --test scripts/  — starts scripts/judge.cjs on a fixture, loopback only.
const test = require('node:test');
const assert = require('node:assert');
const { spawn } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');

const JUDGE = path.join(__dirname, 'judge.cjs');
const FIXTURE = path.join(__dirname, 'fixtures', 'judge-fixture.yaml');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function startJudge(args = [], fixture = FIXTURE) {
  const port = await freePort();
  const child = spawn(process.execPath, [JUDGE, fixture, '--port', String(port), '--host', '127.0.0.1', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`judge not ready: ${err}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes(`judge listening on http://127.0.0.1:${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`judge exited ${code}: ${err}`)));
  });
  return { child, base: `http://127.0.0.1:${port}`, stderr: () => err };
}

function violations(res) {
  const h = res.headers.get('sl-violations');
  return h ? JSON.parse(h) : [];
}

test('judge', async (t) => {
  const { child, base, stderr } = await startJudge();
  t.after(() => child.exitCode === null && child.kill('SIGKILL'));

  await t.test('valid request: documented example, no violations', async () => {
    const res = await fetch(`${base}/pets?dryRun=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: JSON.stringify({ name: 'Rex' }),
    });
    assert.strictEqual(res.status, 201);
    assert.strictEqual(res.headers.get('sl-violations'), null);
    assert.match(res.headers.get('x-request-id'), /^[0-9a-f-]{36}$/);
    assert.deepStrictEqual(await res.json(), { name: 'Rex', tag: 'dog' });
  });

  await t.test('a format Ajv does not know allows any value, without a warning', async () => {
    const res = await fetch(`${base}/pets?dryRun=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: JSON.stringify({ name: 'Rex', born: 1700000000 }),
    });
    assert.strictEqual(res.status, 201);
    assert.deepStrictEqual(violations(res), []);
    assert.ok(!stderr().includes('unknown format'), stderr());
  });

  await t.test('missing body property, query parameter and api key', async () => {
    const res = await fetch(`${base}/pets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tag: 'x' }),
    });
    assert.strictEqual(res.status, 201, 'violations do not change the answer');
    assert.deepStrictEqual(await res.json(), { name: 'Rex', tag: 'dog' });
    const v = violations(res);
    for (const e of v) {
      assert.strictEqual(e.severity, 'Error');
      assert.strictEqual(typeof e.message, 'string');
    }
    const body = v.find((e) => e.location[1] === 'body');
    assert.ok(body, JSON.stringify(v));
    assert.strictEqual(body.code, 'required');
    assert.match(body.message, /'name'/);
    const query = v.find((e) => e.location[1] === 'query');
    assert.ok(query, JSON.stringify(v));
    assert.strictEqual(query.code, 'required');
    assert.match(query.message, /'dryRun'/);
    const sec = v.find((e) => e.code === 'security');
    assert.ok(sec, JSON.stringify(v));
    assert.deepStrictEqual(sec.location, ['request']);
    assert.match(sec.message, /security/);
    assert.strictEqual(v.length, 3, JSON.stringify(v));
  });

  await t.test('security alternatives: basic or anonymous', async () => {
    const anon = await fetch(`${base}/pets`);
    assert.strictEqual(anon.status, 200);
    assert.strictEqual(anon.headers.get('sl-violations'), null);
    const bad = await fetch(`${base}/pets`, { headers: { authorization: 'Basic' } });
    assert.strictEqual(bad.headers.get('sl-violations'), null, 'the {} alternative is satisfied');
  });

  await t.test('path parameter type and empty response', async () => {
    const res = await fetch(`${base}/pets/abc`, { method: 'DELETE' });
    assert.strictEqual(res.status, 204);
    assert.strictEqual(await res.text(), '');
    const v = violations(res);
    assert.deepStrictEqual(v.map((e) => [e.location.slice(0, 2), e.code]), [[['request', 'path'], 'type']]);
  });

  await t.test('unknown route and unknown method', async () => {
    const res = await fetch(`${base}/nope`);
    assert.strictEqual(res.status, 404);
    assert.deepStrictEqual(await res.json(), {
      type: 'https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR',
      title: 'Route not resolved',
      status: 404,
    });
    const root = await fetch(`${base}/`);
    assert.strictEqual(root.status, 404);
    await root.arrayBuffer();
    const m = await fetch(`${base}/pets`, { method: 'PUT' });
    assert.strictEqual((await m.json()).type, 'https://stoplight.io/prism/errors#NO_METHOD_MATCHED_ERROR');
  });

  await t.test('malformed JSON body does not crash the judge', async () => {
    const res = await fetch(`${base}/pets?dryRun=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: '{not json',
    });
    assert.ok(res.status === 201 || res.status === 500);
    await res.arrayBuffer();
    const again = await fetch(`${base}/pets`);
    assert.strictEqual(again.status, 200);
  });

  await t.test('exits on SIGTERM', async () => {
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    child.kill('SIGTERM');
    const r = await exited;
    assert.strictEqual(r.code, 0, JSON.stringify(r));
  });
});

test('dynamic mode is deterministic per seed', async (t) => {
  const a = await startJudge(['--dynamic', '--seed', 's1']);
  const b = await startJudge(['--dynamic', '--seed', 's1']);
  t.after(() => [a, b].forEach((j) => j.child.exitCode === null && j.child.kill('SIGKILL')));
  const ra = await (await fetch(`${a.base}/pets`)).text();
  const rb = await (await fetch(`${b.base}/pets`)).text();
  assert.strictEqual(ra, rb);
  assert.ok(Array.isArray(JSON.parse(ra)));
  for (const j of [a, b]) j.child.kill('SIGTERM');
});

test('a Swagger 2.0 spec is converted, then judged', async () => {
  const { child, base } = await startJudge([], path.join(__dirname, 'fixtures', 'judge-swagger2.yaml'));
  try {
    const ok = await fetch(`${base}/items/7?verbose=true`);
    assert.strictEqual(ok.status, 200);
    assert.deepStrictEqual(violations(ok), []);
    assert.deepStrictEqual(await ok.json(), { id: 7, name: 'lamp' });
    const bad = await fetch(`${base}/items/seven`);
    const v = violations(bad);
    assert.ok(v.some((e) => e.location[1] === 'path'), JSON.stringify(v));
  } finally {
    child.kill('SIGKILL');
  }
});

test('a $ref with JSON Pointer escapes is followed, not dropped', async () => {
  const { child, base } = await startJudge([], path.join(__dirname, 'fixtures', 'judge-escaped-refs.yaml'));
  try {
    const put = (value) =>
      fetch(`${base}/data`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value }) });
    const ok = await put('text');
    assert.deepStrictEqual(violations(ok), []);
    // Dropped, each variant would be `{}`, and every body would match both.
    const bad = violations(await put([1]));
    assert.ok(bad.some((e) => e.code === 'oneOf' && e.location[1] === 'body'), JSON.stringify(bad));
  } finally {
    child.kill('SIGKILL');
  }
});

test('form fields declared by several alternatives are coerced by each', async (t) => {
  const { child, base } = await startJudge([], path.join(__dirname, 'fixtures', 'judge-form.yaml'));
  t.after(() => child.exitCode === null && child.kill('SIGKILL'));
  const send = (form) =>
    fetch(`${base}/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
  const ok = await send('mandate_data[customer_acceptance][accepted_at]=1700000000&mandate_data[customer_acceptance][type]=offline');
  assert.strictEqual(ok.status, 200);
  assert.deepStrictEqual(violations(ok), []);
  const bad = await send('mandate_data[customer_acceptance][accepted_at]=soon&mandate_data[customer_acceptance][type]=offline');
  assert.ok(violations(bad).some((v) => v.location.join('.').startsWith('request.body')), JSON.stringify(violations(bad)));
});
