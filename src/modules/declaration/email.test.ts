import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAddress } from './email.ts';

const normalised = (input: string) => {
  const parsed = parseAddress(input);
  assert.ok(parsed.ok, input);
  return parsed.value;
};
const problem = (input: string) => {
  const parsed = parseAddress(input);
  assert.ok(!parsed.ok, `${input} should be refused`);
  return parsed.problem;
};

test('one person, one normalised address: case, +tags, Gmail dots and googlemail.com', () => {
  assert.equal(normalised(' Ama.Mensah+declaration@Example.ORG ').normalised, 'ama.mensah@example.org');
  assert.equal(normalised('a.m.a+x@googlemail.com').normalised, 'ama@gmail.com');
  assert.equal(normalised('AMA@gmail.com').normalised, 'ama@gmail.com');
  assert.equal(normalised('Ama.Mensah+declaration@Example.ORG').deliverable, 'Ama.Mensah+declaration@example.org', 'mail goes where it was asked to');
});

test('internationalised addresses are accepted, the domain written in punycode', () => {
  const idn = normalised('josé@bücher.example');
  assert.equal(idn.domain, 'xn--bcher-kva.example');
  assert.equal(idn.deliverable, 'josé@xn--bcher-kva.example');
  assert.equal(normalised('用户@例子.广告').domain, 'xn--fsqu00a.xn--4rr70v');
  assert.equal(normalised("o'brien&co=1@sub.example.co.uk").domain, 'sub.example.co.uk');
});

test('invalid addresses are refused with the reason', () => {
  assert.equal(problem(''), 'missing');
  assert.equal(problem('plainaddress'), 'no-at');
  assert.equal(problem('@example.org'), 'local');
  assert.equal(problem('.dot@example.org'), 'local');
  assert.equal(problem('two..dots@example.org'), 'local');
  assert.equal(problem('"quoted"@example.org'), 'local');
  assert.equal(problem('a b@example.org'), 'local');
  assert.equal(problem('+tagonly@example.org'), 'local');
  assert.equal(problem('someone@localhost'), 'domain');
  assert.equal(problem('someone@[127.0.0.1]'), 'domain');
  assert.equal(problem('someone@192.168.0.1'), 'domain');
  assert.equal(problem('someone@-example.org'), 'domain');
  assert.equal(problem('someone@exa_mple.org'), 'domain');
  assert.equal(problem('new\nline@example.org'), 'control');
  assert.equal(problem(`${'a'.repeat(65)}@example.org`), 'local');
  assert.equal(problem(`a@${'b'.repeat(250)}.org`), 'too-long');
});
