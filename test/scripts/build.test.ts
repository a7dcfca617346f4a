import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUTPUTS, STAMP, buildIfChanged, buildInputs, whyBuild } from '../../scripts/build.mjs';
import { projectRoot } from '../../src/paths.js';

/**
 * `npm start` builds only when a source changed since the last successful build (scripts/build.mjs). Checked on a
 * small project laid out like this one (the real tsconfig files, package files, node_modules and build scripts; two
 * sources, one of them a bundler that writes what npm start runs), built for real with tsc.
 */
const MINI_BUNDLER = `import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
const compiled = readFileSync('dist/src/main.js', 'utf8');
mkdirSync('dist/bundle', { recursive: true });
writeFileSync('dist/bundle/main.mjs', compiled);
writeFileSync('dist/bundle/retrain-worker.mjs', '');
`;

describe('scripts/build.mjs: rebuild only when the sources changed', function () {
  this.timeout(180_000);
  let root: string;
  const bundle = () => join(root, 'dist', 'bundle', 'main.mjs');
  const setGreeting = (text: string) => writeFileSync(join(root, 'src', 'main.ts'), `const greeting: string = ${JSON.stringify(text)};\nconsole.log(greeting);\n`);
  const node = (script: string) => spawnSync(process.execPath, [join(root, 'scripts', script)], { cwd: root, encoding: 'utf8' });

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'build-check-'));
    for (const file of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs', 'scripts/start.mjs']) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      copyFileSync(join(projectRoot, file), join(root, file));
    }
    symlinkSync(join(projectRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
    mkdirSync(join(root, 'src', 'cli'), { recursive: true });
    writeFileSync(join(root, 'src', 'cli', 'bundle.ts'), MINI_BUNDLER);
    setGreeting('hello from the first build');
    mkdirSync(join(root, 'data', 'kb'), { recursive: true });
    writeFileSync(join(root, 'data', 'kb', 'entry.md'), 'An answer clinicians edit.\n');
  });
  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('a fresh checkout builds: tsc and the bundle, then the stamp', () => {
    expect(whyBuild(root)).to.equal('no successful build yet');
    expect(buildIfChanged(root)).to.equal('no successful build yet');
    for (const file of [...OUTPUTS, STAMP]) expect(statSync(join(root, file)).isFile(), file).to.equal(true);
    expect(readFileSync(bundle(), 'utf8')).to.contain('hello from the first build');
  });

  it('a second start with nothing changed skips the build and runs the bundle', () => {
    expect(whyBuild(root)).to.equal(undefined);
    const builtAt = statSync(bundle()).mtimeMs;
    const started = node('start.mjs');
    expect(started.status, started.stderr).to.equal(0);
    expect(started.stderr).to.contain('build up to date');
    expect(started.stdout).to.equal('hello from the first build\n');
    expect(statSync(bundle()).mtimeMs).to.equal(builtAt);
  });

  it('a changed source file rebuilds; a touch that changes nothing does not', () => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'src', 'main.ts'), later, later);
    expect(whyBuild(root)).to.equal(undefined);

    setGreeting('hello after an edit');
    expect(whyBuild(root)).to.equal('src/main.ts changed');
    const started = node('start.mjs');
    expect(started.status, started.stderr).to.equal(0);
    expect(started.stderr).to.contain('building: src/main.ts changed');
    expect(started.stdout).to.equal('hello after an edit\n');
    expect(whyBuild(root)).to.equal(undefined);
  });

  it('a new or removed source, or a changed lockfile or compiler setting, rebuilds', () => {
    writeFileSync(join(root, 'src', 'extra.ts'), 'export const extra = 1;\n');
    expect(whyBuild(root)).to.equal('src/extra.ts is new');
    buildIfChanged(root);
    rmSync(join(root, 'src', 'extra.ts'));
    expect(whyBuild(root)).to.equal('src/extra.ts was removed');
    buildIfChanged(root);
    for (const file of ['package-lock.json', 'tsconfig.build.json']) {
      const before = readFileSync(join(root, file));
      appendFileSync(join(root, file), '\n');
      expect(whyBuild(root)).to.equal(`${file} changed`);
      writeFileSync(join(root, file), before);
      expect(whyBuild(root)).to.equal(undefined);
    }
  });

  it('content in data/ is read at start-up, so changing it does not rebuild', () => {
    appendFileSync(join(root, 'data', 'kb', 'entry.md'), 'A reviewed sentence.\n');
    expect(whyBuild(root)).to.equal(undefined);
  });

  it('a deleted dist, or a deleted bundle, rebuilds', () => {
    rmSync(bundle());
    expect(whyBuild(root)).to.equal(`${join('dist', 'bundle', 'main.mjs')} is missing`);
    rmSync(join(root, 'dist'), { recursive: true });
    expect(whyBuild(root)).to.equal('no successful build yet');
    expect(buildIfChanged(root)).to.equal('no successful build yet');
    expect(readFileSync(bundle(), 'utf8')).to.contain('hello after an edit');
  });

  it('a failed build is built again next time, even once the mistake is undone', () => {
    const good = readFileSync(join(root, 'src', 'main.ts'), 'utf8');
    writeFileSync(join(root, 'src', 'main.ts'), 'const greeting: number = "not a number";\n');
    const failed = node('start.mjs');
    expect(failed.status).to.equal(1);
    expect(failed.stderr).to.match(/build step failed: .*tsc.*the next start builds again/s);
    expect(failed.stdout).not.to.contain('hello');
    writeFileSync(join(root, 'src', 'main.ts'), good);
    expect(whyBuild(root)).to.equal('no successful build yet');
  });

  it("this project's inputs: every compiled source, the package and compiler files; not data/, intents/ or public/", () => {
    const inputs = buildInputs(projectRoot);
    expect(inputs).to.include.members(['src/main.ts', 'src/cli/bundle.ts', 'dialogs/conversation.ts', 'teams/package.ts', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs']);
    expect(inputs.filter((file) => /^(data|intents|public|test)\//.test(file))).to.deep.equal([]);
  });
});
