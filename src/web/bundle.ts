import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import type { RequestHandler } from 'express';

/**
 * The official Web Chat bundle (full build: the minimal one cannot render Adaptive Cards), served from our own
 * origin so the widget works offline and under `script-src 'self'`. The package's `exports` map hides dist/, so
 * we resolve the package entry and walk up to its folder.
 */

export interface WebChatBundle {
  version: string;
  /** Versioned URL path, so the file can be cached for a year. */
  path: string;
  handler: RequestHandler;
  /** Compressed sizes once computed (for the report and tests). */
  sizes(): Promise<{ raw: number; gzip: number; br: number }>;
}

function locateWebChat(): { file: string; version: string } {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve('botframework-webchat'));
  for (let depth = 0; depth < 5; depth += 1) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'botframework-webchat' && pkg.version) return { file: join(dir, 'dist', 'webchat.js'), version: pkg.version };
    } catch {
      // not the package folder yet
    }
    dir = dirname(dir);
  }
  throw new Error('cannot find the botframework-webchat package folder (is it installed?)');
}

interface Encoded {
  body: Buffer;
  etag: string;
}

// One compression per process, shared by every app instance (tests build several).
let compressed: Promise<{ identity: Encoded; gzip: Encoded; br: Encoded }> | undefined;

function compressOnce(file: string) {
  compressed ??= (async () => {
    const raw = readFileSync(file);
    const hash = createHash('sha256').update(raw).digest('base64url').slice(0, 16);
    // Quality 9 brotli: about 0.4 s once, ~25% smaller than gzip; 11 would take seconds for little more.
    const [gz, br] = await Promise.all([
      promisify(gzip)(raw, { level: 9 }),
      promisify(brotliCompress)(raw, {
        params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: raw.length },
      }),
    ]);
    return {
      identity: { body: raw, etag: `"${hash}"` },
      gzip: { body: gz, etag: `"${hash}-gz"` },
      br: { body: br, etag: `"${hash}-br"` },
    };
  })();
  compressed.catch(() => {
    compressed = undefined;
  });
  return compressed;
}

/** Chooses br, then gzip, from Accept-Encoding (ignoring q=0). */
function pickEncoding(header: string | undefined): 'br' | 'gzip' | 'identity' {
  const accepted = new Set(
    (header ?? '')
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([, q]) => !q || !/^q=0(\.0*)?$/.test(q.trim()))
      .map(([name]) => name!.trim().toLowerCase()),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return 'identity';
}

export function createWebChatBundle(): WebChatBundle {
  const { file, version } = locateWebChat();
  const handler: RequestHandler = (req, res, next) => {
    compressOnce(file).then((variants) => {
      const encoding = pickEncoding(req.get('accept-encoding'));
      const variant = variants[encoding];
      res.set({
        'Content-Type': 'application/javascript; charset=utf-8',
        'Cache-Control': 'public, max-age=31536000, immutable',
        Vary: 'Accept-Encoding',
        ETag: variant.etag,
      });
      if (encoding !== 'identity') res.set('Content-Encoding', encoding);
      if (req.fresh) {
        res.status(304).end();
        return;
      }
      res.set('Content-Length', String(variant.body.length));
      if (req.method === 'HEAD') res.end();
      else res.end(variant.body);
    }, next);
  };
  return {
    version,
    path: `/vendor/webchat-${version}.js`,
    handler,
    async sizes() {
      const v = await compressOnce(file);
      return { raw: v.identity.body.length, gzip: v.gzip.body.length, br: v.br.body.length };
    },
  };
}
