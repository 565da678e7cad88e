'use strict';
// multipart/form-data bodies for the second judge (scripts/judge.cjs): the parts by name,
// a name sent more than once (RFC 7578 section 4.3: how a form sends a list) as an array,
// so that openapi-backend validates them against the body's object schema.

function boundaryOf(contentType) {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(String(contentType || ''));
  return m ? m[1] || m[2] : null;
}

// Buffer, Content-Type  ->  { name: 'text', list: ['a', 'b'] }, or undefined when it has no
// boundary. File parts are kept as text (their schema is a binary string); a part whose own
// Content-Type is JSON (how OpenAPI sends an object property of a form) is its document.
function parseMultipart(raw, contentType) {
  const boundary = boundaryOf(contentType);
  if (!boundary) return undefined;
  const text = raw.toString('latin1');
  const out = {};
  const sections = text.split(`--${boundary}`).slice(1);
  for (const section of sections) {
    if (section.startsWith('--')) break;
    const split = section.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = section.slice(0, split);
    let value = section.slice(split + 4);
    if (value.endsWith('\r\n')) value = value.slice(0, -2);
    const name = /\bname="([^"]*)"/i.exec(head);
    if (!name) continue;
    let decoded = Buffer.from(value, 'latin1').toString('utf8');
    if (/^content-type:\s*application\/([\w.-]+\+)?json\b/im.test(head)) {
      try {
        decoded = JSON.parse(decoded);
      } catch {
        // Not JSON after all: validated as the text it is.
      }
    }
    const key = name[1];
    if (!Object.prototype.hasOwnProperty.call(out, key)) out[key] = decoded;
    else out[key] = [].concat(out[key], decoded);
  }
  return out;
}

module.exports = { parseMultipart };
