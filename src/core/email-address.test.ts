import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEmailAddress, personKey } from './email-address.ts';

const parse = (input: string) => {
  const parsed = parseEmailAddress(input);
  assert.ok(parsed.ok, `${input} should be accepted`);
  return parsed.value;
};

test('an address is sent as typed with an ASCII domain, and shown in lower case with a Unicode domain', () => {
  const idn = parse('  José.Núñez+news@Bücher.Example ');
  assert.equal(idn.deliverable, 'José.Núñez+news@xn--bcher-kva.example');
  assert.equal(idn.display, 'josé.núñez+news@bücher.example');
  assert.equal(idn.domain, 'xn--bcher-kva.example');
});

test('one person whatever the spelling: case, +tags, Gmail dots, googlemail.com', () => {
  assert.equal(personKey(parse('Ama.Mensah+declaration@Example.ORG')), 'ama.mensah@example.org');
  assert.equal(personKey(parse('a.m.a+x@googlemail.com')), 'ama@gmail.com');
  assert.equal(personKey(parse('AMA@gmail.com')), 'ama@gmail.com');
});

test('what is not an address is refused with the reason, control characters and line breaks first', () => {
  const problem = (input: string) => {
    const parsed = parseEmailAddress(input);
    assert.ok(!parsed.ok, `${input} should be refused`);
    return parsed.problem;
  };
  assert.equal(problem('   '), 'missing');
  assert.equal(problem('a@example.org\r\nBcc: victim@example.org'), 'control');
  assert.equal(problem('a\u200b@example.org'), 'control');
  assert.equal(problem(`${'a'.repeat(250)}@example.org`), 'too-long');
  assert.equal(problem('no-at-sign.example.org'), 'no-at');
  assert.equal(problem('"quoted"@example.org'), 'local');
  assert.equal(problem('someone@[127.0.0.1]'), 'domain');
  assert.equal(problem('someone@example.123'), 'domain');
});
