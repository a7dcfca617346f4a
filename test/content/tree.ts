import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { ContentError, ContentErrors } from '../../src/content/errors.js';
import { loadContent } from '../../src/content/load.js';
import type { Content } from '../../src/core/types.js';

/** A date after every review date the fixtures use, so fixture trees do not age into failures. */
export const TODAY = '2026-11-26';

function lines(prefix: string, count: number): string {
  return Array.from({ length: count }, (_, i) => `${prefix} question number ${i + 1}`).join('\n') + '\n';
}

export function entry(fields: Record<string, string>, answer = 'A short answer in plain words.'): string {
  const yaml = Object.entries(fields)
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n');
  return `---\n${yaml}\n---\n${answer}\n`;
}

/**
 * The smallest content tree that passes validation: two FAQ intents, the required dermatologist-visit answer and
 * one conversation intent.
 */
const VALID: Record<string, string> = {
  'data/catalog.yaml': 'intents:\n  - { id: alpha, kind: faq }\n  - { id: beta, kind: faq }\n  - { id: hello, kind: conversation }\n  - { id: see-a-dermatologist, kind: faq }\n',
  'data/sources.yaml':
    'src-one:\n  title: Source one\n  citation: "Author A. Source one. 2020."\n  url: https://example.org/one\n  terms: [widget, "30%"]\n',
  'data/kb/alpha.md': entry({
    intent: 'alpha',
    title: 'What is alpha?',
    sources: '[src-one]',
    followUps: '[beta, hello]',
    escalation: 'none',
    reviewed: '2026-01-15',
  }),
  'data/kb/beta.md': entry({
    intent: 'beta',
    title: 'What is beta?',
    sources: '[src-one]',
    followUps: '[alpha, hello]',
    escalation: 'dermatologist',
    reviewed: '2026-01-15',
  }),
  'data/kb/hello.md': entry(
    { intent: 'hello', title: 'Hello', followUps: '[alpha]', escalation: 'none', reviewed: '2026-01-15' },
    'Hello from {clinicName}. Call {clinicPhone} or book at {bookingUrl}.',
  ),
  'data/kb/see-a-dermatologist.md': entry({
    intent: 'see-a-dermatologist',
    title: 'When should I see a dermatologist?',
    sources: '[src-one]',
    followUps: '[alpha, hello]',
    escalation: 'dermatologist',
    reviewed: '2026-01-15',
  }),
  'intents/alpha.txt': '# how people ask about alpha\n\n' + lines('alpha', 25),
  'intents/beta.txt': lines('beta', 25),
  'intents/hello.txt': lines('hello', 10),
  'intents/see-a-dermatologist.txt': lines('dermatologist visit', 25),
  'intents/out-of-scope.txt': lines('unrelated', 200),
  'intents/held-out/alpha.txt': 'tell me about alpha please\n',
};

/** A throw-away copy of the valid tree in a temp folder, to break one thing at a time. */
export class Tree {
  readonly root = mkdtempSync(join(tmpdir(), 'content-'));

  constructor() {
    for (const [file, text] of Object.entries(VALID)) this.write(file, text);
  }

  write(file: string, text: string | Uint8Array): this {
    mkdirSync(dirname(join(this.root, file)), { recursive: true });
    writeFileSync(join(this.root, file), text);
    return this;
  }

  read(file: string): string {
    return readFileSync(join(this.root, file), 'utf8');
  }

  /** Replace text inside a file; fails loudly if the fixture no longer contains it. */
  edit(file: string, from: string | RegExp, to: string): this {
    const before = this.read(file);
    const after = before.replace(from, to);
    expect(after, `fixture ${file} should contain ${String(from)}`).to.not.equal(before);
    return this.write(file, after);
  }

  remove(file: string): this {
    rmSync(join(this.root, file), { recursive: true, force: true });
    return this;
  }

  load(today = TODAY): Content {
    return loadContent(this.root, { today });
  }

  /** The problems loading reports (empty when the tree is valid). */
  problems(today = TODAY): ContentError[] {
    try {
      this.load(today);
      return [];
    } catch (err) {
      if (err instanceof ContentErrors) return [...err.problems];
      throw err;
    }
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export interface Expected {
  file: string;
  entry: string;
  field: string;
  problem: RegExp;
}

/** Assert that exactly one reported problem names this file, entry and field, with a matching explanation. */
export function expectProblem(problems: readonly ContentError[], expected: Expected): void {
  const listed = problems.map((p) => p.message).join('\n') || '(no problems)';
  const match = problems.filter(
    (p) => p.file === expected.file && p.entry === expected.entry && p.field === expected.field && expected.problem.test(p.problem),
  );
  expect(match, `expected one problem like ${JSON.stringify({ ...expected, problem: String(expected.problem) })}, got:\n${listed}`).to.have.length(1);
}

/** Assert that this is the only problem reported: the one mistake must not be reported again elsewhere. */
export function expectOnlyProblem(problems: readonly ContentError[], expected: Expected): void {
  expectProblem(problems, expected);
  expect(problems.map((p) => p.message)).to.have.length(1);
}
