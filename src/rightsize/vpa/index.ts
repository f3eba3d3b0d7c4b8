/** The VPA recommender's algorithm (v1.8.1), pure and exact: see docs/rightsize-algorithm.md. */
export { VPA_DEFAULTS, type RecommenderParams } from './params.js';
export {
  recommendContainers,
  type ContainerRecommendation,
  type RecommendOptions,
  type Resources,
} from './recommend.js';
export {
  containerPolicyFor,
  type Capping,
  type ContainerResourcePolicy,
  type PodResourcePolicy,
  type PolicyAmounts,
  type PolicyResource,
} from './policy.js';
