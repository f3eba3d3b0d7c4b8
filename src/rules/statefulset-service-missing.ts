import { getAt } from '../model/json-path.js';
import { defineRule } from './define-rule.js';

/** How many Service names of the namespace the detail lists. */
const LISTED = 5;

export default defineRule({
  id: 'statefulset-service-missing',
  category: 'workload',
  defaultSeverity: 'warning',
  guide: '(service routing)',
  description:
    'A StatefulSet whose spec.serviceName names no headless Service of its namespace gives its pods no stable DNS names.',
  needs: ['Service'],
  fixSafety: {
    kind: 'none',
    reason:
      "which ports and labels the governing Service needs is the user's call, and a Service's clusterIP cannot change once set: it must be deleted and created again as headless",
  },
  messages: {
    missing: {
      headline: 'StatefulSet {{name}} names Service {{service}}, which is missing',
      detail:
        'No Service {{service}} is in namespace {{namespace}} ({{existing}}). The API server accepts the StatefulSet and its pods run, but no Service governs them, so they get no stable DNS names ({{example}}) and peers that find each other by those names fail. Create a headless Service (clusterIP: None) named {{service}} that selects the pods, or set spec.serviceName to the one that does.',
    },
    notHeadless: {
      headline: 'StatefulSet {{name}} names Service {{service}}, which is not headless',
      detail:
        "Service {{service}} has clusterIP {{clusterIP}}: cluster DNS gives a Service with a cluster IP one name for all its pods, and no name per pod, so {{example}} does not resolve and peers that find each other by those names fail. The governing Service must be headless: clusterIP: None (a Service's clusterIP cannot change once set: delete it and create it again).",
    },
  },
  check({ index, report }) {
    for (const sts of index.ofKind('StatefulSet')) {
      const service = getAt(sts.raw, '/spec/serviceName');
      if (typeof service !== 'string' || service === '') continue;
      const ns = sts.namespace;
      // A StatefulSet and its governing Service come in the same chart or kustomization: one missing
      // from the input is missing. (Admission sees only the Services that select the pods, so a rule
      // that waived the finding when the namespace has no Service would answer check and serve apart.)
      const services = index.inNamespace(ns, 'Service');
      const example = `${sts.name}-0.${service}.${ns}.svc`;
      const target = services.find((s) => s.name === service);
      if (!target) {
        const names = services.slice(0, LISTED).map((s) => s.name);
        if (services.length > LISTED) names.push(`${services.length - LISTED} more`);
        const existing = names.length ? `it has ${names.join(', ')}` : 'it has none in the input';
        report({
          object: sts,
          path: '/spec/serviceName',
          messageId: 'missing',
          data: {
            name: sts.name,
            service,
            namespace: ns,
            existing,
            example,
          },
        });
        continue;
      }
      const clusterIP = getAt(target.raw, '/spec/clusterIP');
      if (clusterIP === 'None') continue;
      report({
        object: sts,
        path: '/spec/serviceName',
        messageId: 'notHeadless',
        data: {
          name: sts.name,
          service,
          namespace: ns,
          clusterIP:
            getAt(target.raw, '/spec/type') === 'ExternalName'
              ? 'none (an ExternalName alias, with no pods behind it)'
              : typeof clusterIP === 'string' && clusterIP !== ''
                ? clusterIP
                : 'unset (the API server allocates one)',
          example,
        },
      });
    }
  },
});
