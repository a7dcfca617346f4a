import type { Decision, IntentScore } from './decide.js';
import type { IntentModel, NaiveBayesIntentModel } from './model.js';

/**
 * The model the answerer asks, which can be replaced while the bot runs (a model retrained elsewhere and announced
 * through the shared store). A question is answered wholly by the model in place when it arrives: the swap is one
 * assignment between two synchronous calls.
 */
export class SwappableModel implements IntentModel {
  constructor(private model: NaiveBayesIntentModel) {}

  get current(): NaiveBayesIntentModel {
    return this.model;
  }

  replace(model: NaiveBayesIntentModel): void {
    this.model = model;
  }

  classify(text: string): IntentScore[] {
    return this.model.classify(text);
  }

  decide(text: string): Decision {
    return this.model.decide(text);
  }

  get intents(): readonly string[] {
    return this.model.intents;
  }
}
