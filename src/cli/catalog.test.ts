/** The restore order of tables: referenced tables before the tables that point at them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parentsFirst } from './catalog.ts';

test('parents come before children, whatever the name order', () => {
  const order = parentsFirst(['a_child', 'b_grandchild', 'z_parent'], [
    { child: 'a_child', parent: 'z_parent' },
    { child: 'b_grandchild', parent: 'a_child' },
  ]);
  assert.deepEqual(order, ['z_parent', 'a_child', 'b_grandchild']);
});

test('self-references, unknown tables and cycles do not stop the ordering', () => {
  const order = parentsFirst(['node', 'x', 'y', 'free'], [
    { child: 'node', parent: 'node' },
    { child: 'node', parent: 'pgboss_job' },
    { child: 'x', parent: 'y' },
    { child: 'y', parent: 'x' },
  ]);
  assert.deepEqual(order.sort(), ['free', 'node', 'x', 'y']);
  assert.equal(order.length, 4);
});
