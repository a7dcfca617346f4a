import type { IntentModel } from '../nlu/index.js';
import type { Answerer } from './answer.js';

/**
 * The seam that lets the running bot take a new intent model without a restart (the staff console's "teach").
 *
 * The bot, the conversation and the channels hold `answerer`, which never changes identity: every call on it is
 * passed to the answerer built around the model in force at that moment. `swap` builds the next answerer first and
 * then replaces the current one in a single assignment, so a turn uses either the old model or the new one from
 * start to finish of one call, never a mixture. answer() itself does not know any of this.
 */
export interface LiveModel {
  /** The model in force now. */
  readonly model: IntentModel;
  /** Training utterances per intent the model in force was trained on (content plus what staff taught). */
  readonly training: ReadonlyMap<string, readonly string[]>;
  /** Counts the swaps since start-up: 0 is the model the process started with. */
  readonly version: number;
  /** The answerer every caller holds; calls go to the answerer around the current model. */
  readonly answerer: Answerer;
  /** An answerer around `model` that is not put in force (to check a retrained model before the swap). */
  trial(model: IntentModel): Answerer;
  /** Puts `model` (trained on `training`) in force for every call that starts after this returns. */
  swap(model: IntentModel, training: ReadonlyMap<string, readonly string[]>): void;
}

export function liveModel(build: (model: IntentModel) => Answerer, model: IntentModel, training: ReadonlyMap<string, readonly string[]>): LiveModel {
  let current = { model, training, answerer: build(model), version: 0 };
  // A Proxy rather than a hand-written wrapper: methods added to the answerer later are passed on too. The target
  // is only the first answerer's shape; every read goes to the current one.
  const answerer = new Proxy(current.answerer, {
    get: (_target, property) => Reflect.get(current.answerer, property),
    has: (_target, property) => Reflect.has(current.answerer, property),
  });
  return {
    get model() {
      return current.model;
    },
    get training() {
      return current.training;
    },
    get version() {
      return current.version;
    },
    answerer,
    trial: build,
    swap(next, nextTraining) {
      const built = build(next);
      current = { model: next, training: nextTraining, answerer: built, version: current.version + 1 };
    },
  };
}
