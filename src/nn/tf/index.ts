export * from './aggregate.js';
export * from './dense.js';
export * from './optim.js';
export * from './pca.js';
export * from './setup.js';
