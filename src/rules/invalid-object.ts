import { edit, edits, notFixed, SAFE, unsafeEdit } from './fixes/build.js';
import type { FixPlan, FixTarget, PatchOp } from './fixes/types.js';
import { getAt } from '../model/json-path.js';
import { isJsonObject, type JsonObject } from '../model/types.js';
import { fieldName, schemaIssues } from '../model/schema-checks.js';
import { defineRule } from './define-rule.js';

export default defineRule({
  id: 'invalid-object',
  category: 'hygiene',
  defaultSeverity: 'error',
  guide: '(manifest hygiene)',
  description:
    'A document without apiVersion or kind, with a field the API server does not know, or with a value of the wrong type, is rejected by the API server.',
  // Documents without apiVersion or kind are reported by the loader (src/sources/parse.ts) under this id;
  // the messages below are the static part: fields the API server would refuse to decode or validate.
  fixSafety: {
    kind: 'safe-or-unsafe',
    reason:
      'moving or renaming a field the API server does not know is unsafe: kubeha guesses where it was meant to go',
  },
  messages: {
    load: {
      headline: '{{message}}',
      detail:
        'The API server rejects a document that is not a whole Kubernetes object, so nothing in it is applied. Give it an apiVersion, a kind and the fields of that kind, or remove it.',
    },
    type: {
      headline: '{{name}}: {{field}} must be {{expected}}',
      detail:
        'It is {{actual}} ({{value}}): the API server cannot decode the object and rejects all of it. Write {{expected}} there.',
    },
    notString: {
      headline: '{{name}}: {{field}} needs quotes around {{written}}',
      detail:
        'Without quotes kubectl reads {{written}} as {{reading}}, but the API server expects a string there: it cannot decode the object and rejects all of it. Quote it: "{{written}}".',
    },
    unknownField: {
      headline: '{{name}}: unknown field {{field}} in {{parent}}',
      detail:
        'The API server rejects the object: kubectl applies with strict field validation by default (unknown field "{{field}}").{{hint}} Otherwise fix its name or indentation, or remove it.',
    },
    range: {
      headline: '{{name}}: {{field}} is {{value}}, out of range',
      detail:
        'It is outside the {{format}} range ({{min}} to {{max}}): the API server cannot decode it and rejects the object. Use a value from {{min}} to {{max}}.',
    },
    format: {
      headline: '{{name}}: {{field}} is not {{expected}}',
      detail:
        'It is {{value}}: the API server cannot decode it and rejects the object. Write {{expected}} there.',
    },
    required: {
      headline: '{{kind}} {{name}}: {{field}} is missing',
      detail:
        'The API server requires it ("{{field}}: Required value") and rejects the object. Set {{field}}.',
    },
    nameSyntax: {
      headline: '{{kind}} {{name}}: {{field}} is not a valid name',
      detail:
        '"{{value}}" is not a valid name here: the API server rejects it ("{{rule}}"). Choose a name that follows that rule.',
    },
    labelSyntax: {
      headline: '{{name}}: {{field}} has an invalid {{what}}',
      detail: 'The API server rejects the {{what}} "{{value}}" ("{{rule}}"). Change it to follow that rule.',
    },
    invalidValue: {
      headline: '{{name}}: {{field}} is invalid ({{value}})',
      detail: 'The API server rejects it ("{{field}}: {{reason}}"). Change {{field}} as that message asks.',
    },
    unsupportedValue: {
      headline: '{{name}}: {{field}} is {{value}}, an unsupported value',
      detail:
        'The API server does not support it and rejects the object ("supported values: {{supported}}"). Use one of those.',
    },
    negative: {
      headline: '{{name}}: {{field}} is {{value}}, below 0',
      detail: 'The API server rejects it ("must be greater than or equal to 0"). Use 0 or more.',
    },
    noName: {
      headline: '{{kind}} has neither metadata.name nor metadata.generateName',
      detail: 'The API server rejects it ("name or generateName is required"). Give it a name.',
    },
    labelValue: {
      headline: '{{name}}: {{field}} needs quotes around {{written}}',
      detail:
        'Without quotes kubectl reads {{written}} as {{reading}}, but label, annotation and selector values must be strings: the API server cannot decode the object. Quote it: "{{written}}".',
    },
    selectorMissing: {
      headline: '{{kind}} {{name}} has no spec.selector',
      detail:
        'apps/v1 requires one ("spec.selector: Required value"): the API server rejects the object. Set spec.selector.matchLabels to the pod template labels ({{labels}}).',
    },
    selectorEmpty: {
      headline: '{{kind}} {{name}} has an empty spec.selector',
      detail:
        'The API server rejects it ("empty selector is invalid for {{what}}"). Set matchLabels to the pod template labels ({{labels}}).',
    },
    selectorMismatch: {
      headline: '{{kind}} {{name}}: spec.selector does not select its own pod template',
      detail:
        'The selector ({{selector}}) does not match the template labels ({{labels}}): the API server rejects the object ("`selector` does not match template `labels`"). Give the template every label the selector asks for.',
    },
    containersMissing: {
      headline: '{{kind}} {{name}} has no containers in {{field}}',
      detail:
        'The API server rejects it ("{{field}}: Required value"). Add at least one container with a name and an image.',
    },
    containerName: {
      headline: '{{kind}} {{name}}: container #{{n}} has no name',
      detail:
        'Container #{{n}} in {{field}} needs one: the API server rejects the object ("{{field}}: Required value"). Give the container a name.',
    },
    containerImage: {
      headline: '{{kind}} {{name}}: container {{container}} has no image',
      detail:
        'The API server rejects the object ("{{field}}: Required value"). Set the image the container runs.',
    },
    containerDuplicate: {
      headline: '{{kind}} {{name}}: two containers are named {{container}}',
      detail: 'The API server rejects it ("{{field}}: Duplicate value"). Give each container its own name.',
    },
    quantity: {
      headline: '{{name}}: {{field}} is {{value}}, not a quantity',
      detail: 'The API server rejects a value that is not a Kubernetes quantity. Write it like {{example}}.',
    },
    negativeQuantity: {
      headline: '{{name}}: {{field}} is {{value}}, below 0',
      detail:
        'Container {{container}} asks for a negative amount: the API server rejects it ("must be greater than or equal to 0"). Use 0 or more.',
    },
    requestAboveLimit: {
      headline: '{{name}}: {{container}} requests {{resource}} above its limit',
      detail:
        'Container {{container}} requests {{resource}} {{request}}, above its limit {{limit}}: the API server rejects it ("must be less than or equal to {{resource}} limit"). Lower the request or raise the limit.',
    },
    intstrString: {
      headline: '{{name}}: {{field}} is "{{value}}", not a number or %',
      detail:
        'It is neither a number nor a percentage: the API server rejects it ("a valid percent string must be a numeric string followed by an ending \'%\'"). Write {{suggestion}}.',
    },
    percentOver100: {
      headline: '{{name}}: {{field}} is {{value}}, over 100%',
      detail: 'The API server rejects it ("must not be greater than 100%"). Use 100% or less.',
    },
    pdbBoth: {
      headline: 'PodDisruptionBudget {{name}} sets both minAvailable and maxUnavailable',
      detail:
        'It sets minAvailable {{min}} and maxUnavailable {{max}}: the API server rejects it ("minAvailable and maxUnavailable cannot be both set"). Keep one: maxUnavailable: 1 keeps drains moving whatever the replica count.',
    },
    rollingBothZero: {
      headline: 'Deployment {{name}}: maxUnavailable and maxSurge are both 0',
      detail:
        'A rolling update could never replace a pod: the API server rejects it ("may not be 0 when `maxSurge` is 0"). Set maxSurge: 1 (or maxUnavailable: 1).',
    },
    recreateWithRollingUpdate: {
      headline: 'Deployment {{name}} uses strategy Recreate but also sets rollingUpdate',
      detail:
        'The API server rejects it ("may not be specified when strategy `type` is \'Recreate\'"). Remove rollingUpdate, or use type: RollingUpdate.',
    },
    daemonSetSurgeAndUnavailable: {
      headline: 'DaemonSet {{name}}: maxSurge and maxUnavailable are both non-zero',
      detail:
        'It has maxSurge {{surge}} with maxUnavailable {{unavailable}}{{defaulted}}: a DaemonSet update either surges or takes pods down, not both, and the API server rejects it ("may not be set when maxUnavailable is non-zero"). Set maxUnavailable: 0 to surge.',
    },
    daemonSetBothZero: {
      headline: 'DaemonSet {{name}}: maxSurge and maxUnavailable are both 0',
      detail:
        'An update could never replace a pod: the API server rejects it ("cannot be 0 when maxSurge is 0"). Set maxUnavailable: 1 or maxSurge: 1.',
    },
  },
  fix: planInvalidObject,
  check({ index, report }) {
    for (const object of index.objects) {
      // An object read from a cluster (scan, serve) was decoded and validated by its own API server,
      // whose version may not be the schemas': only manifests are judged.
      if (!object.source) continue;
      for (const issue of schemaIssues(object)) {
        report({ object, path: issue.path, messageId: issue.messageId, data: issue.data });
      }
    }
  },
});

/** Only what has one possible repair: a misspelt apiVersion or kind, and the API server's either-or fields. */
function planInvalidObject(target: FixTarget): FixPlan {
  const o = target.object;
  switch (target.messageId) {
    case 'load': {
      const message = String(target.data['message'] ?? '');
      const ops: PatchOp[] = [];
      for (const m of message.matchAll(/"([^"]+)" looks like a misspelt (apiVersion|kind)/g)) {
        const [, typo, field] = m as unknown as [string, string, string];
        if (typo in o.raw && !(field in o.raw))
          ops.push({ op: 'rename', path: `/${escape(typo)}`, to: field });
      }
      if (ops.length === 0) return notFixed('decide the apiVersion and kind of the document');
      return edit(
        o,
        ops.map((op) => (op.op === 'rename' ? `rename ${op.path.slice(1)} to ${op.to}` : '')).join(', '),
        ...ops,
      );
    }
    case 'labelValue':
    case 'notString': {
      // Quote what was written (`yes`, not the `true` kubectl makes of it); fix writes a string that
      // kubectl would read otherwise in quotes.
      const value = getAt(o.raw, target.path);
      if (value === undefined || value === null || typeof value === 'object')
        return notFixed('decide the value, as a string');
      const written = String(target.data['written'] ?? value);
      return edit(o, `quote ${target.path.split('/').pop()} as the string "${written}"`, {
        op: 'replace',
        path: target.path,
        value: written,
      });
    }
    case 'unknownField': {
      // A field known nearby moves there, a typo takes the known name; either may not be what the
      // author meant, so both are unsafe fixes, and only where the target is free.
      const key = String(target.data['key'] ?? '');
      const moveTo = target.data['moveTo'];
      if (typeof moveTo === 'string' && getAt(o.raw, moveTo) === undefined && parentExists(o.raw, moveTo))
        return unsafeEdit(
          o,
          `move ${key} to ${fieldName(moveTo)}`,
          `check that ${fieldName(moveTo)} is where ${key} was meant to go`,
          { op: 'move', from: target.path, path: moveTo },
        );
      const suggestion = target.data['suggestion'];
      const sibling = `${target.path.slice(0, target.path.lastIndexOf('/'))}/${String(suggestion)}`;
      if (typeof suggestion === 'string' && getAt(o.raw, sibling) === undefined)
        return unsafeEdit(
          o,
          `rename ${key} to ${suggestion}`,
          `check that ${suggestion} is the field you meant`,
          {
            op: 'rename',
            path: target.path,
            to: suggestion,
          },
        );
      return notFixed(`remove ${key}, or move it where it belongs`);
    }
    case 'range':
      return notFixed('choose a value within the range');
    case 'pdbBoth':
      return edit(o, 'keep maxUnavailable, remove minAvailable', {
        op: 'remove',
        path: '/spec/minAvailable',
      });
    case 'recreateWithRollingUpdate':
      return edit(o, 'remove rollingUpdate (Recreate has none)', {
        op: 'remove',
        path: '/spec/strategy/rollingUpdate',
      });
    case 'selectorMissing': {
      const labels = getAt(o.raw, '/spec/template/metadata/labels');
      if (!isJsonObject(labels) || Object.keys(labels).length === 0)
        return notFixed('label the pod template, then select those labels in spec.selector');
      return edits({
        object: o,
        description: 'select the pod template labels in spec.selector',
        ops: [{ op: 'add', path: '/spec/selector', value: { matchLabels: structuredClone(labels) } }],
        applicability: SAFE,
      });
    }
    default:
      return notFixed('decide the right value of the field the API server refuses');
  }
}

/** Whether the mapping a pointer's last key would go in is there. */
function parentExists(raw: JsonObject, pointer: string): boolean {
  const parent = pointer.slice(0, pointer.lastIndexOf('/'));
  return parent === '' || isJsonObject(getAt(raw, parent));
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
