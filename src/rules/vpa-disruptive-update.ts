import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'vpa-disruptive-update',
  category: 'autoscaling',
  defaultSeverity: 'warning',
  seed: 'Vertical Pod Autoscaler (VPA)',
  description: 'A VPA that restarts pods to resize them takes down a workload with one replica or no PDB.',
  messages: {},
  check() {
    // TODO(kubeha): implement
  },
});
