/** `npm start` and the systemd unit in docs/deploy.md start the server exactly as scripts/server-command.ts says. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { SERVER_NODE_ARGS } from '../../scripts/server-command.ts';
import { ROOT } from '../support/database.ts';

const command = `node ${SERVER_NODE_ARGS.join(' ')}`;

test('npm start runs the server command', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.equal(pkg.scripts.start, command);
});

test("docs/deploy.md's systemd unit runs the server command", () => {
  const deploy = fs.readFileSync(path.join(ROOT, 'docs/deploy.md'), 'utf8');
  assert.match(deploy, new RegExp(`^ExecStart=/usr/bin/${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
});
