'use strict';
// node --test scripts/  — the judge's validators refer to shared components, same verdicts.
const test = require('node:test');
const assert = require('node:assert');
const { OpenAPIBackend, OpenAPIValidator } = require('openapi-backend');
const { shareComponents, decycle, COMPONENTS } = require('./judge-components.cjs');

const node = { $ref: '#/components/schemas/Node' };
function spec() {
  return {
    openapi: '3.0.3',
    info: { title: 't', version: '1' },
    paths: {
      '/trees': {
        post: {
          operationId: 'plant',
          requestBody: { required: true, content: { 'application/json': { schema: node } } },
          responses: { 200: { description: 'ok', content: { 'application/json': { schema: node } } } },
        },
      },
      '/forests': {
        post: {
          operationId: 'grow',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Alias' } } } },
          },
          responses: { 200: { description: 'ok' } },
        },
      },
    },
    components: {
      schemas: {
        Node: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1 },
            children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
            'a/b~c': { $ref: '#/components/schemas/Leaf' },
          },
        },
        Leaf: { type: 'integer', maximum: 3 },
        Alias: { $ref: '#/components/schemas/Node' },
      },
    },
  };
}

async function backend() {
  const instances = [];
  const api = new OpenAPIBackend({
    definition: spec(),
    quick: true,
    strict: false,
    validate: true,
    ajvOpts: { strict: false, allErrors: true },
    customizeAjv: shareComponents(OpenAPIValidator, () => api.definition, (ajv) => instances.push(ajv)),
    handlers: { notImplemented: () => 'ok', validationFail: (c) => c.validation },
  });
  await api.init();
  return { api, instances };
}

const post = (path, body) => ({ method: 'post', path, headers: { 'content-type': 'application/json' }, body });

test('a component below the root is a $ref into the shared schema; escapes are kept', () => {
  const leaf = { type: 'integer' };
  const root = { type: 'object', properties: { 'a/b~c': leaf, again: { items: leaf } } };
  const names = new Map([[leaf, `${COMPONENTS}#/components/schemas/Leaf`]]);
  const out = decycle(names, root, '#', new WeakMap(), root);
  assert.deepStrictEqual(out.properties['a/b~c'], { $ref: `${COMPONENTS}#/components/schemas/Leaf` });
  assert.deepStrictEqual(out.properties.again.items, { $ref: `${COMPONENTS}#/components/schemas/Leaf` });
  // The root itself is copied even when it is a component (it is what is compiled).
  const self = decycle(names, leaf, '#', new WeakMap(), leaf);
  assert.deepStrictEqual(self, { type: 'integer' });
});

test('same verdicts through shared components, one Ajv instance per context', async () => {
  const { api, instances } = await backend();
  const good = { name: 'oak', children: [{ name: 'twig', children: [], 'a/b~c': 2 }] };
  assert.strictEqual(await api.handleRequest(post('/trees', good)), 'ok');

  const bad = { name: 'oak', children: [{ name: '', children: [{}], 'a/b~c': 9 }] };
  const errors = (await api.handleRequest(post('/trees', bad))).errors;
  const paths = errors.map((e) => `${e.instancePath} ${e.keyword}`).sort();
  assert.deepStrictEqual(paths, [
    '/requestBody/children/0/a~1b~0c maximum',
    '/requestBody/children/0/children/0 required',
    '/requestBody/children/0/name minLength',
  ]);

  // An alias of a component (a `$ref` the dereferencer leaves in place) still validates.
  assert.strictEqual(await api.handleRequest(post('/forests', [good])), 'ok');
  const aliasErrors = (await api.handleRequest(post('/forests', [{ children: [] }]))).errors;
  assert.deepStrictEqual(aliasErrors.map((e) => `${e.instancePath} ${e.keyword}`), ['/requestBody/0 required']);

  // Responses too; recursion and errors come out as before.
  assert.strictEqual(api.validator.validateResponse(good, 'plant', 200).valid, true);
  assert.strictEqual(api.validator.validateResponse({ children: 1 }, 'plant', 200).valid, false);

  const contexts = new Set(instances);
  assert.ok(contexts.size <= 4, `${contexts.size} Ajv instances prepared for 2 operations`);
});
