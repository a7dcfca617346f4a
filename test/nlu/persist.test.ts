import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadNluConfig, loadOrTrainModel, modelFilePath, serialiseModel } from '../../src/nlu/index.js';
import { trainStats } from '../../src/nlu/model.js';
import { SYNTHETIC } from './fixtures.js';

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('model persistence', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nlu-model-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('trains and saves when there is no model file, then loads the saved one while the hash matches', () => {
    const modelFile = join(dir, 'nested', 'model.json');
    const first = capturingLogger();
    const trained = loadOrTrainModel({ training: SYNTHETIC, trainingHash: 'hash-1', modelFile, logger: first.logger });
    expect(first.lines).to.have.length(1);
    expect(String(first.lines[0].msg)).to.match(/re-trained/);
    expect(first.lines[0].reason).to.equal('no saved model');
    expect(JSON.parse(readFileSync(modelFile, 'utf8')).trainingHash).to.equal('hash-1');
    const written = statSync(modelFile).mtimeMs;

    const second = capturingLogger();
    const loaded = loadOrTrainModel({
      // Different utterances under the same hash: if the model were re-trained, "hello" would be unknown.
      training: new Map([['a', ['alpha']], ['b', ['beta']]]),
      trainingHash: 'hash-1',
      modelFile,
      logger: second.logger,
    });
    expect(second.lines.filter((l) => /re-trained/.test(String(l.msg)))).to.have.length(0);
    expect(statSync(modelFile).mtimeMs).to.equal(written);
    expect(loaded.intents).to.deep.equal(trained.intents);
    expect(loaded.decide('is dupilumab safe')).to.deep.equal(trained.decide('is dupilumab safe'));
  });

  it('re-trains and rewrites a stale model (hash differs), with one log line saying why', () => {
    const modelFile = join(dir, 'model.json');
    loadOrTrainModel({ training: SYNTHETIC, trainingHash: 'old', modelFile, logger: capturingLogger().logger });
    const changed = new Map(SYNTHETIC);
    changed.set('thanks', ['thank you', 'thanks a lot', 'cheers', 'much appreciated']);
    const { logger, lines } = capturingLogger();
    const model = loadOrTrainModel({ training: changed, trainingHash: 'new', modelFile, logger });
    expect(lines).to.have.length(1);
    expect(lines[0].reason).to.equal('training data changed since the model was saved');
    expect(model.intents).to.include('thanks');
    expect(JSON.parse(readFileSync(modelFile, 'utf8')).trainingHash).to.equal('new');
    // Written through a temporary file that is renamed into place, so nothing is left beside it.
    expect(readdirSync(dir)).to.deep.equal(['model.json']);
  });

  it('re-trains when the configuration the statistics depend on changed', () => {
    const modelFile = join(dir, 'model.json');
    const config = loadNluConfig();
    loadOrTrainModel({ training: SYNTHETIC, trainingHash: 'h', modelFile, logger: capturingLogger().logger, config });
    const { logger, lines } = capturingLogger();
    const other = { ...config, features: { ...config.features, bigramWeight: config.features.bigramWeight + 0.25 } };
    loadOrTrainModel({ training: SYNTHETIC, trainingHash: 'h', modelFile, logger, config: other });
    expect(lines[0]?.reason).to.equal('data/nlu.yaml changed since the model was saved');
  });

  it('re-trains over a corrupt model file instead of failing', () => {
    const modelFile = join(dir, 'model.json');
    writeFileSync(modelFile, '{"format": 1, "stats": ');
    const { logger, lines } = capturingLogger();
    const model = loadOrTrainModel({ training: SYNTHETIC, trainingHash: 'h', modelFile, logger });
    expect(lines[0].reason).to.equal('saved model is not valid JSON');
    expect(model.classify('dupixent')[0].intent).to.equal('dupilumab');
    expect(() => JSON.parse(readFileSync(modelFile, 'utf8'))).not.to.throw();
  });

  it('trains deterministically: same content gives a byte-identical file, whatever the order it was read in', () => {
    const config = loadNluConfig();
    const a = serialiseModel(trainStats(SYNTHETIC, config, 'h'));
    const b = serialiseModel(trainStats(SYNTHETIC, config, 'h'));
    const reversed = new Map([...SYNTHETIC.entries()].reverse());
    const c = serialiseModel(trainStats(reversed, config, 'h'));
    expect(b).to.equal(a);
    expect(c).to.equal(a);

    const f1 = join(dir, 'one.json');
    const f2 = join(dir, 'two.json');
    loadOrTrainModel({ training: SYNTHETIC, trainingHash: 'h', modelFile: f1, logger: capturingLogger().logger });
    loadOrTrainModel({ training: reversed, trainingHash: 'h', modelFile: f2, logger: capturingLogger().logger });
    expect(readFileSync(f2)).to.deep.equal(readFileSync(f1));
  });

  it('takes the model path from MODEL_FILE when set', () => {
    expect(modelFilePath({ MODEL_FILE: join(dir, 'm.json') })).to.equal(join(dir, 'm.json'));
    expect(modelFilePath({})).to.match(/var[\\/]model\.json$/);
    expect(existsSync(dir)).to.equal(true);
  });
});
