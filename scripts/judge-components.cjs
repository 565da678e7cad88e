'use strict';
// Ajv validators that share the spec's component schemas instead of copying them.
//
// openapi-backend dereferences the document in place, so every use of a component schema
// is the very object under `components.schemas`, and it compiles each validator from a deep
// copy of that tree (its `decycle`, in a new Ajv instance each time). On Stripe, whose
// schemas reach about a thousand components, one operation's first request took 8-18 s
// and the whole spec could not be judged within the harness's bound. Here a component met
// below a validator's root is written as a `$ref` into one schema holding all components,
// added once to one Ajv instance per validation context, so Ajv compiles each component
// once per run. What is checked is unchanged: the same schemas, by the same Ajv.

const COMPONENTS = 'judge-components.json';

function pointerToken(name) {
  return encodeURIComponent(String(name).replace(/~/g, '~0').replace(/\//g, '~1'));
}

function isNode(value) {
  return typeof value === 'object' && value !== null && (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);
}

// openapi-backend's decycle (after cycle.js): a deep copy in which an object met again
// becomes `{$ref: <path of its first copy>}`. Besides, a component below the root becomes a
// `$ref` to it, and a `$ref` the dereferencer left in place (a use of an alias of another
// component) into `components.schemas` points into the shared schema.
function decycle(names, value, path, objects, root) {
  if (!isNode(value)) return value;
  if (value !== root && names.has(value)) return { $ref: names.get(value) };
  const seen = objects.get(value);
  if (seen !== undefined) return { $ref: seen };
  objects.set(value, path);
  if (Array.isArray(value)) return value.map((v, i) => decycle(names, v, `${path}/${i}`, objects, root));
  const copy = {};
  for (const key of Object.keys(value)) {
    const v = value[key];
    copy[key] = key === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/') ? COMPONENTS + v : decycle(names, v, `${path}/${pointerToken(key)}`, objects, root);
  }
  return copy;
}

// Installs the sharing into openapi-backend's validator class and returns the
// `customizeAjv` option; `prepare(ajv)` adds what every instance needs (formats).
// `definition()` is read at the first compile, after `init()` dereferenced the document.
function shareComponents(OpenAPIValidator, definition, prepare) {
  let names = null;
  let doc = null;
  const setup = () => {
    if (names) return;
    const schemas = (definition() && definition().components && definition().components.schemas) || {};
    names = new Map();
    for (const [name, schema] of Object.entries(schemas)) {
      if (isNode(schema) && !names.has(schema)) names.set(schema, `${COMPONENTS}#/components/schemas/${pointerToken(name)}`);
    }
    const objects = new WeakMap();
    const copies = {};
    for (const [name, schema] of Object.entries(schemas)) {
      copies[name] = decycle(names, schema, `#/components/schemas/${pointerToken(name)}`, objects, schema);
    }
    doc = { $id: COMPONENTS, components: { schemas: copies } };
  };
  OpenAPIValidator.decycle = (schema) => {
    setup();
    return decycle(names, schema, '#', new WeakMap(), schema);
  };
  const withComponents = (ajv) => {
    prepare(ajv);
    // The components are checked when a validator using them compiles, like before.
    ajv.addSchema(doc, undefined, undefined, false);
    return ajv;
  };
  const shared = new Map();
  return (ajv, ajvOpts, context) => {
    setup();
    const key = `${context}/${Boolean(ajvOpts && ajvOpts.coerceTypes)}`;
    if (!shared.has(key)) shared.set(key, withComponents(ajv));
    const instance = shared.get(key);
    if (instance === ajv) return ajv;
    // openapi-backend only calls `compile` on what this returns. A schema whose `$id` the
    // shared instance already holds (an `$id` in an inline schema used twice) is compiled
    // on this call's own fresh instance instead, as openapi-backend would have.
    return {
      compile(schema) {
        try {
          return instance.compile(schema);
        } catch (err) {
          if (!/already exists/.test(String(err && err.message))) throw err;
          return withComponents(ajv).compile(schema);
        }
      },
    };
  };
}

module.exports = { shareComponents, decycle, COMPONENTS };
