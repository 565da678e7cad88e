'use strict';
// node --test scripts/  — the multipart parser of the second judge.
const test = require('node:test');
const assert = require('node:assert');
const { parseMultipart } = require('./judge-multipart.cjs');

function body(boundary, parts) {
  const text = parts
    .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
    .join('');
  return Buffer.from(`${text}--${boundary}--\r\n`, 'utf8');
}

test('repeated parts are a list, single ones text', () => {
  const raw = body('xyz', [['tags', 'a'], ['tags', 'b'], ['name', 'vidéo'], ['empty', '']]);
  assert.deepStrictEqual(parseMultipart(raw, 'multipart/form-data; boundary=xyz'), {
    tags: ['a', 'b'],
    name: 'vidéo',
    empty: '',
  });
});

test('a quoted boundary and no boundary', () => {
  const raw = body('a b', [['x', '1']]);
  assert.deepStrictEqual(parseMultipart(raw, 'multipart/form-data; boundary="a b"'), { x: '1' });
  assert.strictEqual(parseMultipart(raw, 'multipart/form-data'), undefined);
});

test('a JSON part is its document, other parts text', () => {
  const raw = Buffer.from(
    '--b\r\nContent-Disposition: form-data; name="attributes"\r\nContent-Type: application/json\r\n\r\n{"name":"a.txt","parent":{"id":"0"}}\r\n' +
      '--b\r\nContent-Disposition: form-data; name="broken"\r\nContent-Type: application/json\r\n\r\n{nope\r\n' +
      '--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n{"x":1}\r\n--b--\r\n',
    'utf8',
  );
  assert.deepStrictEqual(parseMultipart(raw, 'multipart/form-data; boundary=b'), {
    attributes: { name: 'a.txt', parent: { id: '0' } },
    broken: '{nope',
    file: '{"x":1}',
  });
});
