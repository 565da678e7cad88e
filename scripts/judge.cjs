#!/usr/bin/env node
'use strict';
// A second conformance judge: a small validating mock server whose routing, request
// validation and security evaluation come from openapi-backend (npm), not from us.
// It answers like `prism mock --errors=false`: violations go into the `sl-violations`
// response header (Prism's shape) and never change the mock answer.
//
//   node scripts/judge.cjs SPEC --port P [--host 127.0.0.1] [--dynamic] [--seed S]
//
// Prints `judge listening on http://HOST:PORT` on stdout once ready.

const fs = require('node:fs');
const http = require('node:http');
const { OpenAPIBackend, OpenAPIValidator } = require('openapi-backend');
const { shareComponents } = require('./judge-components.cjs');
const { parseMultipart } = require('./judge-multipart.cjs');
const { rng, generate } = require('./judge-generate.cjs');

const PRISM = 'https://stoplight.io/prism/errors#';
const MAX_BODY = 10 * 1024 * 1024;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// The `format` names used anywhere in `doc` (dereferenced in place, so cycles are met once).
function documentFormats(doc) {
  const found = new Set();
  const seen = new Set();
  const stack = [doc];
  while (stack.length) {
    const node = stack.pop();
    if (!node || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    if (typeof node.format === 'string') found.add(node.format);
    for (const value of Object.values(node)) if (value && typeof value === 'object') stack.push(value);
  }
  return found;
}

function usage(msg) {
  if (msg) process.stderr.write(`judge: ${msg}\n`);
  process.stderr.write('usage: node scripts/judge.cjs SPEC --port P [--host 127.0.0.1] [--dynamic] [--seed S]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { host: '127.0.0.1', port: null, dynamic: false, seed: 'oapigen', spec: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--port' || a === '-p') o.port = Number(val());
    else if (a === '--host' || a === '-h') o.host = val();
    else if (a === '--dynamic' || a === '-d') o.dynamic = true;
    else if (a === '--seed') o.seed = val();
    else if (a === '--help') usage();
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else if (o.spec === null) o.spec = a;
    else usage(`unexpected argument ${a}`);
  }
  if (!o.spec) usage('missing SPEC');
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) usage('missing or bad --port');
  return o;
}

async function loadSpec(file) {
  const text = fs.readFileSync(file, 'utf8');
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    let yaml;
    try {
      yaml = require('js-yaml');
    } catch {
      yaml = null;
    }
    doc = yaml ? yaml.load(text) : require('yaml').parse(text);
  }
  if (!doc || typeof doc !== 'object') throw new Error(`${file}: not an OpenAPI document`);
  if (doc.swagger === '2.0') {
    // openapi-backend reads OpenAPI 3 only: Mermade's converter (pinned too, offline: no
    // external reference is fetched) makes the 3.0 document, so no reading of ours judges.
    try {
      doc = (await require('swagger2openapi').convertObj(doc, { patch: true, warnOnly: true, resolve: false })).openapi;
    } catch (err) {
      throw new Error(`${file}: Swagger 2.0 could not be converted to OpenAPI 3.0: ${err.message}`);
    }
  } else if (doc.swagger) {
    throw new Error(`${file}: Swagger ${doc.swagger} is not supported (2.0 or OpenAPI 3.0/3.1 expected)`);
  }
  if (typeof doc.openapi !== 'string' || !/^3\.[01]\./.test(doc.openapi)) {
    throw new Error(`${file}: unsupported openapi version ${JSON.stringify(doc.openapi)} (3.0.x or 3.1.x expected)`);
  }
  // openapi-backend keys everything (handlers, validators) by operationId: give the
  // operations that lack one a synthetic, unique id.
  const seen = new Set();
  for (const [p, item] of Object.entries(doc.paths || {})) {
    for (const m of METHODS) {
      const op = item && item[m];
      if (!op || typeof op !== 'object') continue;
      let id = typeof op.operationId === 'string' && op.operationId ? op.operationId : `${m}_${p}`;
      while (seen.has(id)) id += '_';
      seen.add(id);
      op.operationId = id;
    }
  }
  sanitize(doc);
  return doc;
}

// openapi-backend's quick dereferencer (dereference-json-schema) resolves every `$ref` it
// meets, even inside example data, and throws on one it cannot follow (GitHub's spec has
// SCIM examples with `"$ref": "https://api.github.com/..."`); init() then swallows the error
// and routes nothing. Rename such keys to `x-unresolved-$ref` so the rest loads.
// The target of a local `$ref`, or undefined. JSON Pointer escapes are read
// (`application~1json`: PagerDuty's refs into a response's schema).
function localTarget(doc, ref) {
  if (ref === '#') return doc;
  if (!ref.startsWith('#/')) return undefined;
  let cur = doc;
  for (const raw of ref.split('/').slice(1)) {
    let seg;
    try {
      seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined;
    }
    if (!cur || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

// The dereferencer splits a pointer at `/` and reads no escapes: a ref holding one is
// pointed at a copy of its target under `components.schemas`, a name it can follow.
function hoistEscaped(doc, node, hoisted) {
  const ref = node.$ref;
  if (!/[~%]/.test(ref)) return;
  if (!hoisted.has(ref)) {
    doc.components = doc.components || {};
    doc.components.schemas = doc.components.schemas || {};
    const name = `x-judge-ref-${hoisted.size}`;
    doc.components.schemas[name] = localTarget(doc, ref);
    hoisted.set(ref, `#/components/schemas/${name}`);
  }
  node.$ref = hoisted.get(ref);
}

function isContainer(doc, schema, depth = 0) {
  if (!schema || typeof schema !== 'object' || depth > 8) return true;
  if (typeof schema.$ref === 'string') return isContainer(doc, localTarget(doc, schema.$ref), depth + 1);
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('array') || types.includes('object') || schema.items || schema.properties) return true;
  if (schema.type === undefined && !schema.enum) return true;
  return ['oneOf', 'anyOf', 'allOf'].some((k) => Array.isArray(schema[k]));
}

// The tag each variant of a discriminated `oneOf`/`anyOf` carries (its `mapping` key, else
// its schema's name), kept as `x-judge-tags` before openapi-backend dereferences the `$ref`s:
// a random body then names the variant it was drawn from, as the discriminator says it must.
function tagVariants(schema) {
  const alts = schema.oneOf || schema.anyOf;
  const property = schema.discriminator && schema.discriminator.propertyName;
  if (!Array.isArray(alts) || typeof property !== 'string') return;
  const mapping = schema.discriminator.mapping || {};
  schema['x-judge-tags'] = alts.map((alt) => {
    const ref = alt && typeof alt.$ref === 'string' ? alt.$ref : null;
    if (!ref) return null;
    const key = Object.keys(mapping).find((k) => mapping[k] === ref);
    return key !== undefined ? key : ref.split('/').pop();
  });
}

function sanitize(doc) {
  const seen = new Set();
  const hoisted = new Map();
  const stack = [doc];
  let n = 0;
  let nullables = 0;
  while (stack.length) {
    const cur = stack.pop();
    if (!cur || typeof cur !== 'object' || seen.has(cur)) continue;
    seen.add(cur);
    // Ajv's OpenAPI `nullable` keyword refuses `nullable` without a sibling `type` (OpenAI's
    // spec has 9 operations with it; their validators would not compile): drop such flags.
    if (!Array.isArray(cur) && typeof cur.nullable === 'boolean' && cur.type === undefined) {
      delete cur.nullable;
      nullables++;
    }
    if (!Array.isArray(cur)) tagVariants(cur);
    // openapi-backend splits every `explode: false` query value at commas into a list, also
    // of a string parameter (PagerDuty's `sort_by=created_at,resolved_at`), so its own
    // validator then refuses it; for a value that is not a list or an object, `explode`
    // changes nothing on the wire.
    if (!Array.isArray(cur) && cur.in === 'query' && cur.explode === false && !isContainer(doc, cur.schema)) {
      delete cur.explode;
    }
    if (!Array.isArray(cur) && typeof cur.$ref === 'string') {
      if (localTarget(doc, cur.$ref) === undefined) {
        cur['x-unresolved-$ref'] = cur.$ref;
        delete cur.$ref;
        n++;
      } else {
        hoistEscaped(doc, cur, hoisted);
      }
    }
    for (const v of Object.values(cur)) if (v && typeof v === 'object') stack.push(v);
  }
  if (nullables) process.stderr.write(`judge: dropped ${nullables} 'nullable' without 'type'\n`);
  if (n) process.stderr.write(`judge: ${n} unresolvable $ref left unresolved (renamed x-unresolved-$ref)\n`);
}

// ---------- responses ----------

function pickResponse(responses) {
  const codes = Object.keys(responses || {});
  const ok = codes.filter((c) => /^2\d\d$/.test(c)).sort();
  if (ok.length) return { code: ok[0], status: Number(ok[0]) };
  const wild = codes.find((c) => /^2XX$/i.test(c));
  if (wild) return { code: wild, status: 200 };
  if (codes.includes('default')) return { code: 'default', status: 200 };
  if (codes.length) {
    const c = codes[0];
    const status = /^\d{3}$/.test(c) ? Number(c) : /^[1-5]XX$/i.test(c) ? Number(c[0]) * 100 : 200;
    return { code: c, status };
  }
  return { code: null, status: 200 };
}

function isJson(mt) {
  return /^application\/(.+\+)?json\b/i.test(mt) || /\+json\b/i.test(mt) || mt === '*/*';
}

function headerValue(h, rand, dynamic) {
  if (!h || typeof h !== 'object') return 'x';
  let v = h.example;
  if (v === undefined && h.examples) {
    const first = Object.values(h.examples)[0];
    v = first && first.value;
  }
  const schema = h.schema || (h.content && Object.values(h.content)[0] && Object.values(h.content)[0].schema) || {};
  if (v === undefined && schema.example !== undefined) v = schema.example;
  if (v === undefined) v = generate(schema, dynamic ? rand : rng('header'), 0);
  if (v === null || v === undefined) v = 'x';
  if (Array.isArray(v)) return v.join(',');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function mockAnswer(api, op, opts, rand) {
  const { code, status } = pickResponse(op.responses);
  const resp = code === null ? {} : op.responses[code] || {};
  const headers = {};
  for (const [name, h] of Object.entries(resp.headers || {})) {
    if (h && h.required && name.toLowerCase() !== 'content-type') headers[name] = headerValue(h, rand, opts.dynamic);
  }
  const content = resp.content || {};
  const mt = Object.keys(content)[0];
  if (!mt) return { status, headers, body: null };
  const media = content[mt] || {};
  let value;
  let have = false;
  if (!opts.dynamic) {
    if (media.example !== undefined) {
      value = media.example;
      have = true;
    } else if (media.examples && Object.keys(media.examples).length) {
      const first = media.examples[Object.keys(media.examples)[0]];
      if (first && first.value !== undefined) {
        value = first.value;
        have = true;
      }
    }
    if (!have && media.schema && media.schema.example !== undefined) {
      value = media.schema.example;
      have = true;
    }
    if (!have) {
      try {
        const out = api.mockResponseForOperation(op.operationId, { code: code === 'default' ? undefined : code, mediaType: mt });
        value = out.mock;
        have = true;
      } catch {
        have = false; // circular schemas can overflow mock-json-schema: fall back below
      }
    }
  }
  if (!have) value = generate(media.schema || {}, rand, 0);
  headers['Content-Type'] = mt === '*/*' ? 'application/json' : mt;
  let body;
  if (isJson(mt)) body = JSON.stringify(value === undefined ? null : value);
  else if (typeof value === 'string') body = value;
  else if (value === undefined || value === null) body = '';
  else if (typeof value === 'object') body = JSON.stringify(value);
  else body = String(value);
  return { status, headers, body, json: isJson(mt) ? (value === undefined ? null : value) : undefined };
}

// Like Prism, the answer's own breaks of the schema go into `sl-violations`, located under
// `response`; the check is openapi-backend's (Ajv). A random body that breaks it is drawn
// again a few times first (this generator is simpler than the schemas it meets); one that
// still does is named "Random response body": the judge's failing, not the spec's.
function checkedAnswer(api, op, opts, rand) {
  let out = mockAnswer(api, op, opts, rand);
  const subject = opts.dynamic ? 'Random response body' : 'Response body';
  let problems = responseViolations(api, op, out, subject);
  for (let attempt = 1; opts.dynamic && problems.length && attempt < 8; attempt++) {
    const again = mockAnswer(api, op, opts, rand);
    const left = responseViolations(api, op, again, subject);
    if (left.length < problems.length) [out, problems] = [again, left];
  }
  return { ...out, violations: problems };
}

const unvalidatedResponses = new Set();

function responseViolations(api, op, out, subject) {
  if (out.json === undefined || unvalidatedResponses.has(op.operationId)) return [];
  let result;
  try {
    result = api.validator.validateResponse(out.json, op, out.status);
  } catch (err) {
    unvalidatedResponses.add(op.operationId);
    process.stderr.write(`judge: ${op.operationId}: response not validated: ${String(err.message).slice(0, 200)}\n`);
    return [];
  }
  return (result.errors || []).map((e) => {
    const segs = String(e.instancePath || '').split('/').slice(1).map((x) => x.replace(/~1/g, '/').replace(/~0/g, '~'));
    const what = segs.length ? `${subject} property ${segs.join('.')}` : subject;
    return { location: ['response', 'body', ...segs], severity: 'Error', code: e.keyword, message: `${what} ${e.message || e.keyword}` };
  });
}

// ---------- violations ----------

function toViolations(errors) {
  const out = [];
  for (const e of errors || []) {
    const segs = String(e.instancePath || '').split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    let where = segs.shift();
    if (e.keyword === 'required' && where === undefined && e.params) where = e.params.missingProperty;
    // Like Prism (and Ajv), a missing property is located at its parent; the message names it.
    const extra = [];
    // Prism does not report undeclared query/path/header parameters.
    if (e.keyword === 'additionalProperties' && segs.length === 0 && ['query', 'path', 'header', 'cookie'].includes(where)) continue;
    let loc;
    if (where === 'requestBody' || e.keyword === 'parse') loc = ['request', 'body'];
    else if (where === 'query' || where === 'path' || where === 'header' || where === 'cookie') loc = ['request', where];
    else loc = ['request'];
    out.push({
      location: [...loc, ...segs, ...extra],
      severity: 'Error',
      code: e.keyword,
      message: e.message || e.keyword,
    });
  }
  return out;
}

// ---------- security ----------

function securityHandlerFor(scheme) {
  return (c) => {
    const h = c.request.headers || {};
    const auth = String(h.authorization || '');
    const type = String(scheme.type || '').toLowerCase();
    if (type === 'apikey') {
      const name = String(scheme.name || '');
      if (scheme.in === 'header') return h[name.toLowerCase()] !== undefined;
      if (scheme.in === 'query') return (c.request.query || {})[name] !== undefined;
      if (scheme.in === 'cookie') return (c.request.cookies || {})[name] !== undefined;
      return false;
    }
    if (type === 'http') {
      const s = String(scheme.scheme || '').toLowerCase();
      if (s === 'basic') {
        const m = /^basic\s+(\S+)$/i.exec(auth);
        if (!m) return false;
        const dec = Buffer.from(m[1], 'base64').toString('utf8');
        return /^[A-Za-z0-9+/=]+$/.test(m[1]) && dec.includes(':');
      }
      if (s === 'bearer') return /^bearer\s+\S+/i.test(auth);
      return new RegExp(`^${s.replace(/[^a-z0-9-]/g, '')}\\s+\\S+`, 'i').test(auth);
    }
    if (type === 'oauth2' || type === 'openidconnect') return /^bearer\s+\S+/i.test(auth);
    if (type === 'mutualtls') return true; // not observable over plain HTTP
    return false;
  };
}

function securityMessage(op, schemes) {
  const alts = (op.security || []).map((req) => Object.keys(req).map((n) => {
    const s = schemes[n] || {};
    const t = s.type === 'apiKey' ? `apiKey ${s.in} '${s.name}'` : s.type === 'http' ? `http ${s.scheme}` : s.type;
    return `${n} (${t})`;
  }).join(' + '));
  return `Invalid security scheme used: the request does not satisfy the operation's security requirements (${alts.join(' or ')})`;
}

// ---------- form bodies ----------

// a=1&b[c]=2&d[]=x&d[]=y&e[0][f]=z  ->  { a: '1', b: { c: '2' }, d: ['x', 'y'], e: [{ f: 'z' }] }
function parseForm(text) {
  const out = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const m = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(key);
    if (!m) {
      out[key] = value;
      continue;
    }
    const parts = [m[1], ...[...m[2].matchAll(/\[([^\]]*)\]/g)].map((x) => x[1])];
    let cur = out;
    for (let i = 0; i < parts.length; i++) {
      const k = parts[i];
      const last = i === parts.length - 1;
      const nextIsIndex = !last && (parts[i + 1] === '' || /^\d+$/.test(parts[i + 1]));
      if (Array.isArray(cur) && k === '') {
        if (last) cur.push(value);
        else cur.push((cur = nextIsIndex ? [] : {}));
        if (!last) continue;
        break;
      }
      if (last) {
        if (cur[k] === undefined) cur[k] = value;
        else if (Array.isArray(cur[k])) cur[k].push(value);
        else cur[k] = [cur[k], value];
      } else {
        if (cur[k] === undefined || typeof cur[k] !== 'object') cur[k] = nextIsIndex ? [] : {};
        cur = cur[k];
      }
    }
  }
  return out;
}

function coerceForm(value, schema, depth) {
  if (!schema || typeof schema !== 'object' || depth > 16) return value;
  const alts = [...(schema.allOf || []), ...(schema.anyOf || []), ...(schema.oneOf || [])];
  if (typeof value === 'string') {
    const types = new Set([].concat(schema.type || []));
    for (const a of alts) for (const t of [].concat((a && a.type) || [])) types.add(t);
    if ((types.has('integer') || types.has('number')) && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
    if (types.has('boolean') && (value === 'true' || value === 'false')) return value === 'true';
    if (types.has('array') && !types.has('string')) return [value];
    return value;
  }
  if (Array.isArray(value)) {
    const items = schema.items || (alts.find((a) => a && a.items) || {}).items;
    return value.map((v) => coerceForm(v, items, depth + 1));
  }
  if (value && typeof value === 'object') {
    const props = { ...(schema.properties || {}) };
    let extra = schema.additionalProperties;
    // A field several alternatives declare is coerced by all of them (Stripe's
    // `mandate_data`: only the first variant's `customer_acceptance` has `accepted_at`).
    for (const a of alts) {
      for (const [k, s] of Object.entries((a && a.properties) || {})) props[k] = k in props ? { anyOf: [props[k], s] } : s;
    }
    if (!extra || extra === true) extra = (alts.find((a) => a && typeof a.additionalProperties === 'object') || {}).additionalProperties;
    // Stripe-style arrays sent as a[0]=x&a[1]=y decode as objects with index keys
    if (!schema.properties && (schema.type === 'array' || schema.items) && Object.keys(value).every((k) => /^\d+$/.test(k))) {
      return Object.keys(value).sort((x, y) => x - y).map((k) => coerceForm(value[k], schema.items, depth + 1));
    }
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = coerceForm(v, props[k] || (typeof extra === 'object' ? extra : null), depth + 1);
    return out;
  }
  return value;
}

// ---------- server ----------

function problem(res, status, code, title, detail) {
  const body = JSON.stringify({ type: PRISM + code, title, status, ...(detail ? { detail } : {}) });
  res.writeHead(status, { 'Content-Type': 'application/problem+json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  let doc;
  try {
    doc = await loadSpec(opts.spec);
  } catch (err) {
    process.stderr.write(`judge: ${err.message}\n`);
    process.exit(1);
  }
  const schemes = (doc.components && doc.components.securitySchemes) || {};
  const securityHandlers = {};
  for (const [name, scheme] of Object.entries(schemes)) securityHandlers[name] = securityHandlerFor(scheme || {});

  const answer = (c, req, res) => {
    const op = c.operation;
    const violations = toViolations(c.validation && c.validation.errors);
    if ((op.security || []).length > 0 && !(c.security && c.security.authorized)) {
      violations.push({ location: ['request'], severity: 'Error', code: 'security', message: securityMessage(op, schemes) });
    }
    const rand = rng(`${opts.seed}:${req.method}:${req.url}`);
    const out = checkedAnswer(c.api, op, opts, rand);
    violations.push(...out.violations);
    const headers = { ...out.headers };
    if (violations.length) headers['sl-violations'] = JSON.stringify(violations);
    if (out.body === null) {
      headers['Content-Length'] = '0';
      res.writeHead(out.status, headers);
      res.end();
    } else {
      headers['Content-Length'] = String(Buffer.byteLength(out.body));
      res.writeHead(out.status, headers);
      res.end(req.method === 'HEAD' ? undefined : out.body);
    }
  };

  const compiled = {};
  let usedFormats = null;
  const api = new OpenAPIBackend({
    definition: doc,
    // quick: skip the meta-schema validation of the whole document, dereference
    // synchronously in place (dereference-json-schema), and compile each operation's
    // Ajv validators on its first request instead of all at start-up.
    quick: true,
    strict: false,
    // Validators are compiled lazily (quick); an operation whose schemas Ajv refuses is
    // served unvalidated (once reported on stderr) instead of answering 500.
    validate: (c) => {
      const id = c.operation && c.operation.operationId;
      if (!id) return false;
      if (!(id in compiled)) {
        try {
          c.api.validator.getRequestValidatorsForOperation(id);
          compiled[id] = true;
        } catch (err) {
          compiled[id] = false;
          process.stderr.write(`judge: ${id}: request not validated, Ajv refused its schema: ${String(err.message).slice(0, 200)}\n`);
        }
      }
      return compiled[id];
    },
    ajvOpts: { strict: false, allErrors: true, validateFormats: true, unicodeRegExp: false },
    customizeAjv: shareComponents(OpenAPIValidator, () => api.definition, (ajv) => {
      try {
        require('ajv-formats')(ajv);
      } catch {
        /* formats stay unchecked */
      }
      // A format Ajv does not know (Stripe's `unix-time`, `decimal`) allows any value, as
      // OpenAPI lets a tool ignore it, without Ajv warning once per schema that uses it.
      if (!usedFormats) usedFormats = documentFormats(api.definition);
      for (const name of usedFormats) if (!ajv.formats[name]) ajv.addFormat(name, true);
    }),
    handlers: {
      notFound: (c, req, res) => problem(res, 404, 'NO_PATH_MATCHED_ERROR', 'Route not resolved'),
      methodNotAllowed: (c, req, res) => problem(res, 405, 'NO_METHOD_MATCHED_ERROR', 'Route not resolved'),
      notImplemented: answer,
      // Form fields arrive as strings: coerce them to the types the body schema declares
      // (as a form decoder would) before openapi-backend validates the body.
      postRoutingHandler: (c, req, res, apiReq) => {
        if (!c.operation || !apiReq || !apiReq.body || typeof apiReq.body !== 'object') return;
        const content = (c.operation.requestBody && c.operation.requestBody.content) || {};
        const media = content['application/x-www-form-urlencoded'] || content['multipart/form-data'];
        if (media && media.schema) apiReq.body = coerceForm(apiReq.body, media.schema, 0);
      },
    },
    securityHandlers,
  });
  const t0 = Date.now();
  await api.init();
  if (!api.definition) {
    process.stderr.write('judge: openapi-backend could not dereference the document (see the warning above)\n');
    process.exit(1);
  }
  process.stderr.write(`judge: ${api.getOperations().length} operations loaded in ${Date.now() - t0} ms\n`);

  const server = http.createServer((req, res) => {
    const chunks = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (ch) => {
      size += ch.length;
      if (size > MAX_BODY) {
        tooBig = true;
        req.pause();
        if (!res.headersSent) {
          problem(res, 413, 'UNKNOWN', 'Request body too large', `over ${MAX_BODY} bytes`);
          req.destroy();
        }
        return;
      }
      chunks.push(ch);
    });
    req.on('error', () => {});
    req.on('end', async () => {
      if (tooBig) return;
      try {
        const url = new URL(req.url, 'http://judge');
        const raw = Buffer.concat(chunks);
        const ctype = String(req.headers['content-type'] || '').toLowerCase();
        let body;
        if (raw.length === 0) body = undefined;
        else if (ctype.startsWith('application/x-www-form-urlencoded')) {
          body = parseForm(raw.toString('utf8'));
        } else if (ctype.startsWith('multipart/form-data')) {
          body = parseMultipart(raw, req.headers['content-type']);
        } else body = raw.toString('utf8');
        const path = url.pathname;
        const apiReq = { method: req.method, path, query: url.search.slice(1), headers: req.headers, body };
        await api.handleRequest(apiReq, req, res, apiReq);
      } catch (err) {
        if (!res.headersSent) problem(res, 500, 'UNKNOWN', 'Internal error', String((err && err.message) || err));
        else res.end();
      }
    });
  });
  server.headersTimeout = 30000;
  server.requestTimeout = 60000;
  const stop = () => {
    server.close();
    setTimeout(() => process.exit(0), 200).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  server.on('error', (err) => {
    process.stderr.write(`judge: ${err.message}\n`);
    process.exit(1);
  });
  server.listen(opts.port, opts.host, () => {
    const { port } = server.address();
    const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
    process.stdout.write(`judge listening on http://${host}:${port}\n`);
  });
}

process.on('uncaughtException', (err) => {
  process.stderr.write(`judge: uncaught: ${(err && err.stack) || err}\n`);
});
main().catch((err) => {
  process.stderr.write(`judge: ${(err && err.stack) || err}\n`);
  process.exit(1);
});
