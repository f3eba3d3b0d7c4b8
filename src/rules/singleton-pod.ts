import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'singleton-pod',
  category: 'workload',
  defaultSeverity: 'error',
  seed: 'Avoid running singleton pods',
  description: 'A bare Pod with no controller is not recreated when it dies or its node goes away.',
  messages: {
    service:
      'Pod {{name}} has no controller: when it is evicted, deleted or its node fails, nothing recreates it. Run it from a Deployment (a StatefulSet if it keeps state) with 2 or more replicas.',
    oneShot:
      'Pod {{name}} runs to completion with no controller: if its node fails the work is lost and nothing retries it. Run it as a Job.',
  },
  check({ index, report }) {
    for (const w of index.workloads) {
      if (!w.singleton) continue;
      report({
        object: w.object,
        path: '/kind',
        messageId: w.longRunning ? 'service' : 'oneShot',
        data: { name: w.object.name },
      });
    }
  },
});
