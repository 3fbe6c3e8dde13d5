// A tiny static server on 127.0.0.1 (ephemeral port): the release build at /, the bench pages at
// /bench/, Recogito's prebuilt UMD bundle at /vendor/, and generated data at /data/ (in memory).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * mounts: [{ prefix: '/bench/', dir }] (first match wins; '/' last); data: Map(urlPath → {type, body}).
 * Resolves to { url, close, data }.
 */
export function startServer(mounts, data = new Map()) {
  const server = http.createServer((req, res) => {
    let urlPath;
    try {
      urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const send = (status, type, body) => {
      res.writeHead(status, {
        'content-type': type,
        'content-length': Buffer.byteLength(body),
        'cache-control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (data.has(urlPath)) {
      const { type, body } = data.get(urlPath);
      return send(200, type, body);
    }
    for (const { prefix, dir } of mounts) {
      if (!urlPath.startsWith(prefix)) continue;
      let rel = urlPath.slice(prefix.length);
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      const file = path.resolve(dir, rel);
      if (!file.startsWith(path.resolve(dir) + path.sep)) return send(403, 'text/plain', 'forbidden');
      fs.readFile(file, (err, body) => {
        if (err) return send(404, 'text/plain', 'not found');
        send(200, TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream', body);
      });
      return;
    }
    send(404, 'text/plain', 'not found');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        data,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}
