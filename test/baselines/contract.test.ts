import { CnnEmaRecommender } from '../../src/baselines/cnn-ema.js';
import { ItemCfRecommender } from '../../src/baselines/item-cf.js';
import { LastKRecommender } from '../../src/baselines/last-k.js';
import { LightGcnRecommender } from '../../src/baselines/lightgcn.js';
import { PinSageRecommender } from '../../src/baselines/pinsage.js';
import { PopularityRecommender } from '../../src/baselines/popularity.js';
import { RandomRecommender } from '../../src/baselines/random.js';
import { recommenderContractSuite } from '../recommender/contract-suite.js';

recommenderContractSuite('random', async () => new RandomRecommender());
recommenderContractSuite('popularity', async () => new PopularityRecommender());
recommenderContractSuite('last-k', async () => new LastKRecommender());
recommenderContractSuite('item-cf', async () => new ItemCfRecommender());
recommenderContractSuite('cnn-ema', async () => new CnnEmaRecommender());
recommenderContractSuite('lightgcn', async () => new LightGcnRecommender({ epochs: 5, dim: 16, batchSize: 128 }));
recommenderContractSuite('pinsage', async () => new PinSageRecommender({ epochs: 2, hidden: 16, dim: 16, batchSize: 32 }));
