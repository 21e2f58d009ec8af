import type { Linter } from 'eslint';

/** The layer rules of eslint.layers.js (typed for test/unit/layers.test.ts). */
export declare const layerRules: Linter.Config[];
