export * from './negative-sampler.js';
export * from './neighbour-sampler.js';
export * from './pair-sampler.js';
