/**
 * Just enough MIME (RFC 2045–2047) to read what nodemailer sends: headers with encoded words,
 * quoted-printable and base64 bodies in any charset Node's TextDecoder knows, and nested
 * multipart bodies whose first text/plain and text/html parts are the message's text and HTML.
 */

export interface ParsedMail {
  /** Header names in lower case; a repeated header keeps its first value. */
  headers: Record<string, string>;
  subject: string;
  text: string;
  html?: string;
}

export function parseMail(raw: Buffer): ParsedMail {
  const entity = parseEntity(raw.toString('latin1'));
  const bodies: { text?: string; html?: string } = {};
  collectBodies(entity, bodies);
  return {
    headers: entity.headers,
    subject: decodeHeader(entity.headers.subject ?? ''),
    text: bodies.text ?? '',
    ...(bodies.html === undefined ? {} : { html: bodies.html }),
  };
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`) in a header value. */
export function decodeHeader(value: string): string {
  const encodedWord = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  // Whitespace between two adjacent encoded words is not part of the text (RFC 2047 §6.2).
  const joined = value.replace(/(\?=)\s+(?==\?)/g, '$1');
  let out = '';
  let last = 0;
  // Adjacent words of one charset are decoded together: a character may be split between them.
  let pending: { charset: string; bytes: Buffer[] } | undefined;
  const flush = () => {
    if (pending) out += decodeBytes(Buffer.concat(pending.bytes), pending.charset);
    pending = undefined;
  };
  for (const match of joined.matchAll(encodedWord)) {
    const [word, charset = 'utf-8', encoding = 'B', payload = ''] = match;
    if (match.index > last) {
      flush();
      out += joined.slice(last, match.index);
    }
    const bytes =
      encoding.toUpperCase() === 'B'
        ? Buffer.from(payload, 'base64')
        : decodeQuotedPrintable(payload.replace(/_/g, ' '));
    const lowerCharset = charset.toLowerCase();
    if (pending?.charset !== lowerCharset) flush();
    pending ??= { charset: lowerCharset, bytes: [] };
    pending.bytes.push(bytes);
    last = match.index + word.length;
  }
  flush();
  return out + joined.slice(last);
}

interface Entity {
  headers: Record<string, string>;
  /** The body as a binary (latin1) string, still transfer-encoded. */
  body: string;
}

function parseEntity(source: string): Entity {
  const match = /\r?\n\r?\n/.exec(source);
  const head = match ? source.slice(0, match.index) : source;
  const body = match ? source.slice(match.index + match[0].length) : '';
  const headers: Record<string, string> = {};
  // Header bytes are UTF-8 when not encoded words; unfold continuation lines first.
  const unfolded = Buffer.from(head, 'latin1')
    .toString('utf8')
    .replace(/\r?\n(?=[ \t])/g, '');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function collectBodies(entity: Entity, into: { text?: string; html?: string }): void {
  const { type, params } = contentType(entity.headers['content-type']);
  if (type.startsWith('multipart/') && params.boundary) {
    for (const part of splitMultipart(entity.body, params.boundary)) collectBodies(parseEntity(part), into);
    return;
  }
  const disposition = (entity.headers['content-disposition'] ?? '').toLowerCase();
  if (disposition.startsWith('attachment')) return;
  const key = type === 'text/plain' ? 'text' : type === 'text/html' ? 'html' : undefined;
  if (!key || into[key] !== undefined) return;
  const bytes = decodeTransfer(entity.body, entity.headers['content-transfer-encoding']);
  into[key] = decodeBytes(bytes, params.charset ?? 'utf-8');
}

function contentType(value = 'text/plain'): { type: string; params: Record<string, string> } {
  const [type = 'text/plain', ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    const name = param.slice(0, eq).trim().toLowerCase();
    params[name] = param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
  }
  return { type: type.trim().toLowerCase(), params };
}

function splitMultipart(body: string, boundary: string): string[] {
  const parts: string[] = [];
  const delimiter = `--${boundary}`;
  let current: string[] | undefined;
  for (const line of body.split(/\r?\n/)) {
    if (line.trimEnd() === `${delimiter}--`) break;
    if (line.trimEnd() === delimiter) {
      if (current) parts.push(current.join('\r\n'));
      current = [];
    } else {
      current?.push(line);
    }
  }
  if (current) parts.push(current.join('\r\n'));
  return parts;
}

function decodeTransfer(body: string, encoding = '7bit'): Buffer {
  switch (encoding.trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64');
    case 'quoted-printable':
      return decodeQuotedPrintable(body.replace(/=\r?\n/g, ''));
    default:
      return Buffer.from(body, 'latin1');
  }
}

/** `=XX` escapes to bytes; other characters are taken as they are (latin1, one byte each). */
function decodeQuotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === '=' ? text.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(text.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

function decodeBytes(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}
