'use strict';
// Seeded schema-valid values for the second judge's dynamic mode (scripts/judge.cjs): the same
// seed and request give the same body, so a failing run can be replayed.

function rng(seed) {
  // xmur3 hash of the seed string into a mulberry32 state
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function typeOf(schema) {
  let t = schema.type;
  if (Array.isArray(t)) t = t.find((x) => x !== 'null') || t[0];
  if (t) return t;
  if (schema.properties || schema.additionalProperties) return 'object';
  if (schema.items) return 'array';
  if (schema.enum && schema.enum.length) return typeof schema.enum[0] === 'number' ? 'number' : 'string';
  return undefined;
}

function genString(schema, rand) {
  const f = schema.format;
  const n = Math.floor(rand() * 1e9);
  const iso = new Date(Date.UTC(2020, 0, 1) + (n % 1e6) * 60000).toISOString();
  if (f === 'date-time') return iso.replace(/\.\d{3}Z$/, 'Z');
  if (f === 'date') return iso.slice(0, 10);
  if (f === 'time') return iso.slice(11, 19) + 'Z';
  if (f === 'email') return `user${n % 1000}@example.com`;
  if (f === 'uri' || f === 'url') return `https://example.com/${n % 1000}`;
  if (f === 'uuid') {
    const hex = () => Math.floor(rand() * 16).toString(16);
    const s = (k) => Array.from({ length: k }, hex).join('');
    return `${s(8)}-${s(4)}-4${s(3)}-a${s(3)}-${s(12)}`;
  }
  if (f === 'ipv4') return `10.${n % 256}.${(n >> 8) % 256}.${(n >> 16) % 256}`;
  if (f === 'ipv6') return `2001:db8::${(n % 65535).toString(16)}`;
  if (f === 'byte') return Buffer.from(`value${n % 1000}`).toString('base64');
  let s = `string${n % 10000}`;
  const min = schema.minLength || 0;
  const max = schema.maxLength === undefined ? Infinity : schema.maxLength;
  while (s.length < min) s += 'x';
  if (s.length > max) s = s.slice(0, max);
  return s;
}

function genNumber(schema, rand, integer) {
  let lo = schema.minimum !== undefined ? schema.minimum : 0;
  let hi = schema.maximum !== undefined ? schema.maximum : lo + 1000;
  if (typeof schema.exclusiveMinimum === 'number') lo = schema.exclusiveMinimum + (integer ? 1 : 0.001);
  else if (schema.exclusiveMinimum === true) lo += integer ? 1 : 0.001;
  if (typeof schema.exclusiveMaximum === 'number') hi = schema.exclusiveMaximum - (integer ? 1 : 0.001);
  else if (schema.exclusiveMaximum === true) hi -= integer ? 1 : 0.001;
  if (hi < lo) hi = lo;
  let v = lo + rand() * (hi - lo);
  if (integer) v = Math.min(Math.max(Math.round(v), Math.ceil(lo)), Math.floor(hi));
  if (schema.multipleOf) v = Math.ceil(lo / schema.multipleOf) * schema.multipleOf;
  return integer ? Math.round(v) : Math.round(v * 1000) / 1000;
}

// The names an `allOf` requires anywhere in its parts (PagerDuty's `Reference` is
// `allOf: [Tag, {required: [type, id]}]`: the part that requires has no properties).
function allOfRequired(schema, depth = 0) {
  const out = new Set(Array.isArray(schema.required) ? schema.required : []);
  if (depth < 8 && Array.isArray(schema.allOf)) {
    for (const sub of schema.allOf) {
      if (sub && typeof sub === 'object') for (const k of allOfRequired(sub, depth + 1)) out.add(k);
    }
  }
  return out;
}

// Generates an instance of a dereferenced schema (which may be circular): depth-capped.
// `required` holds names required by the `allOf` around this schema.
function generate(schema, rand, depth = 0, required = new Set()) {
  if (!schema || typeof schema !== 'object' || depth > 8) return null;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[Math.floor(rand() * schema.enum.length)];
  if (Array.isArray(schema.allOf) && schema.allOf.length) {
    const inherited = new Set([...required, ...allOfRequired(schema)]);
    let out;
    for (const sub of schema.allOf) {
      const v = generate(sub, rand, depth + 1, inherited);
      if (v && typeof v === 'object' && !Array.isArray(v)) out = { ...(out || {}), ...v };
      else if (out === undefined) out = v;
    }
    const rest = { ...schema };
    delete rest.allOf;
    if (rest.properties || rest.type) {
      const v = generate(rest, rand, depth + 1, inherited);
      if (v && typeof v === 'object' && !Array.isArray(v)) out = { ...(out || {}), ...v };
    }
    return out === undefined ? null : out;
  }
  const alts = schema.oneOf || schema.anyOf;
  if (Array.isArray(alts) && alts.length) {
    const rest = { ...schema };
    delete rest.oneOf;
    delete rest.anyOf;
    const index = Math.floor(rand() * alts.length);
    const value = generate({ ...rest, ...alts[index] }, rand, depth + 1, required);
    const tags = schema['x-judge-tags'];
    const property = schema.discriminator && schema.discriminator.propertyName;
    if (Array.isArray(tags) && tags[index] != null && value && typeof value === 'object' && !Array.isArray(value)) {
      value[property] = tags[index];
    }
    return value;
  }
  switch (typeOf(schema)) {
    case 'object': {
      const out = {};
      const req = new Set([...required, ...(Array.isArray(schema.required) ? schema.required : [])]);
      for (const [k, sub] of Object.entries(schema.properties || {})) {
        if (sub && (req.has(k) || (depth < 4 && rand() < 0.8))) {
          out[k] = generate(sub, rand, depth + 1);
        }
      }
      return out;
    }
    case 'array': {
      const min = schema.minItems || 0;
      const max = schema.maxItems === undefined ? Math.max(min, 3) : schema.maxItems;
      const n = depth > 4 ? min : Math.min(max, Math.max(min, 1 + Math.floor(rand() * 2)));
      return Array.from({ length: n }, () => generate(schema.items || {}, rand, depth + 1));
    }
    case 'string':
      return genString(schema, rand);
    case 'integer':
      return genNumber(schema, rand, true);
    case 'number':
      return genNumber(schema, rand, false);
    case 'boolean':
      return rand() < 0.5;
    case 'null':
      return null;
    default:
      return {};
  }
}

module.exports = { rng, generate };
