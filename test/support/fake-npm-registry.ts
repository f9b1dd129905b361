/**
 * A stand-in for the npm registry (a third party, not our code), for the supply-chain tests: real
 * `npm audit` runs against it. It answers the bulk advisory endpoint with the advisories it was given
 * (or refuses it, as read-only mirrors do), and package documents from the installed node_modules,
 * which npm reads to work out fixes.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ROOT } from './database.ts';

export interface Advisory {
  title: string;
  severity: 'low' | 'moderate' | 'high' | 'critical';
  vulnerable_versions: string;
}

export interface FakeNpmRegistry {
  url: string;
  close(): Promise<void>;
}

export async function fakeNpmRegistry(options: { advisories?: Record<string, Advisory[]>; refuseAudit?: boolean }): Promise<FakeNpmRegistry> {
  let id = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST') {
        if (options.refuseAudit) {
          res.statusCode = 405;
          return res.end();
        }
        const answer = Object.fromEntries(
          Object.entries(options.advisories ?? {}).map(([name, list]) => [name, list.map((a) => ({ ...a, id: (id += 1), url: `https://github.com/advisories/GHSA-test-${id}`, cwe: [], cvss: { score: 0, vectorString: null } }))]),
        );
        return res.end(JSON.stringify(answer));
      }
      const name = decodeURIComponent((req.url ?? '/').slice(1));
      const manifest = path.join(ROOT, 'node_modules', name, 'package.json');
      if (name.includes('..') || !fs.existsSync(manifest)) {
        res.statusCode = 404;
        return res.end('{}');
      }
      const { version, dependencies } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string; dependencies?: Record<string, string> };
      res.end(JSON.stringify({ name, 'dist-tags': { latest: version }, versions: { [version]: { name, version, dependencies: dependencies ?? {} } } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
