export * from './csr.js';
export * from './product-graph.js';
